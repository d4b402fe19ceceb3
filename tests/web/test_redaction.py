import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

from advisor.web.redaction import RedactTokensFilter, redact

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zx81_kq-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def test_it_redacts_edit_and_share_tokens_in_paths():
    assert redact(f"GET /a/{TOKEN}/step/data/ HTTP/1.1") == "GET /a/[redacted]/step/data/ HTTP/1.1"
    assert redact(f"/s/{TOKEN}/report.pdf") == "/s/[redacted]/report.pdf"
    assert redact("/c/shortmistyped1/") == "/c/[redacted]/"


def test_it_leaves_other_paths_alone():
    assert redact("GET /static/css/app.css HTTP/1.1") == "GET /static/css/app.css HTTP/1.1"


def test_the_filter_redacts_message_arguments_and_attached_requests():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/a/{TOKEN}/",), None
    )

    RedactTokensFilter().filter(record)

    assert TOKEN not in record.getMessage()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_production_server_access_log_never_contains_a_token(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-enough-secret-key-for-this-log-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log = (tmp_path / "access.log").open("w+")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "advisor.wsgi",
            "--config",
            "python:advisor.gunicorn_conf",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for path in (f"/a/{TOKEN}/", f"/s/{TOKEN}/report.pdf", "/health/"):
            deadline = time.monotonic() + 20
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
                    break
                except HTTPError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=20)
    log.seek(0)
    output = log.read()

    assert "GET /a/[redacted]/" in output
    assert "GET /s/[redacted]/report.pdf" in output
    assert TOKEN not in output
