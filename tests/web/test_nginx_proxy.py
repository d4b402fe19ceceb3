"""deploy/nginx/advisor-proxy.conf in a real nginx in front of a real gunicorn: slow clients wait
at nginx, not in the app's threads, and what clients put in X-Forwarded-For counts for nothing."""

import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.gunicorn_server import ROOT, Gunicorn, free_port, gunicorn
from tests.web.test_slow_clients import Trickler

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LIMIT = 8
pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx-light)"
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[tuple[Gunicorn, int]]:
    folder = tmp_path_factory.mktemp("nginx")
    with gunicorn(
        folder,
        BEHIND_TLS_PROXY="1",
        TRUSTED_PROXY_HOPS="1",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        REQUEST_BODY_TIMEOUT="60",  # here nginx alone is what protects the app
        RATE_LIMIT_TOKEN_LOOKUPS=str(LIMIT),
    ) as app:
        port = free_port()
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / name).mkdir()
        config = folder / "nginx.conf"
        config.write_text(
            f"""
daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log crit;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream advisor_app {{ server 127.0.0.1:{app.port}; }}
    server {{
        listen 127.0.0.1:{port};
        include {ROOT}/deploy/nginx/advisor-proxy.conf;
    }}
}}
"""
        )
        subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(folder)], check=True)
        nginx = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            proxied = Gunicorn(port, folder / "error.log", nginx, app.database)
            deadline = time.monotonic() + 10
            while True:
                try:
                    proxied.request("GET", "/health/", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            yield app, port
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def through_nginx(stack, path: str, headers: dict | None = None):
    app, port = stack
    return Gunicorn(port, app.log, app.process, app.database).request("GET", path, headers=headers)


def test_slow_bodies_wait_at_nginx_and_the_app_stays_fast(stack):
    _, port = stack
    tricklers = [Trickler(port, length=100, seconds=6) for _ in range(8)]  # 4x the app's threads
    for trickler in tricklers:
        trickler.start()
        trickler.ready.wait(5)
    time.sleep(0.5)

    timings = []
    for _ in range(5):
        started = time.monotonic()
        status = through_nginx(stack, "/").status
        timings.append((status, time.monotonic() - started))

    assert [status for status, _ in timings] == [200] * 5
    assert max(seconds for _, seconds in timings) < 1.0, timings
    for trickler in tricklers:
        trickler.join(15)


def test_forged_forwarded_for_is_replaced_by_the_address_nginx_saw(stack):
    if time.time() % 60 > 50:
        time.sleep(60 - time.time() % 60 + 0.2)
    statuses = [
        through_nginx(
            stack,
            f"/s/{secrets.token_urlsafe(32)}/",
            {"X-Forwarded-For": f"198.51.100.{n}"},
        ).status
        for n in range(LIMIT + 2)
    ]

    assert statuses[:LIMIT] == [404] * LIMIT
    assert set(statuses[LIMIT:]) == {429}


def test_pages_keep_their_security_headers_through_nginx(stack):
    page = through_nginx(stack, "/")

    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
