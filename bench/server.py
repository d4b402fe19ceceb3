"""Start the app with gunicorn in production mode on 127.0.0.1 for benchmarks and load tests.

The server gets its own SQLite file (or DATABASE_URL when set), collected static files, a fresh
schema and, as `make serve-production` runs it, the background worker that renders PDFs; both
are stopped when the context manager exits. Rate limits keep their production values.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir: Path, port: int, workers: int | None) -> dict[str, str]:
    """The environment of `make serve-production`, on a free port and a temporary database.
    `workers=None` keeps the production default (advisor.gunicorn_conf)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_ORIGIN=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        BIND=f"127.0.0.1:{port}",
        ACCESS_LOG=str(workdir / "access.log"),
        PDF_STORAGE_DIR=str(workdir / "pdfs"),
    )
    if workers is not None:
        env["WEB_CONCURRENCY"] = str(workers)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


@contextlib.contextmanager
def running_server(workers: int | None = 2, prepare=None) -> Iterator[tuple[str, dict[str, str]]]:
    """Yields (base_url, env). `prepare(env)` runs after migrations, before the server starts."""
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        env = production_env(workdir, port, workers)
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "createcachetable")
        if prepare is not None:
            prepare(env)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "advisor.wsgi",
                "-c",
                "python:advisor.gunicorn_conf",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(workdir / "server.log").open("w"),
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(workdir / "worker.log").open("w"),
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/health/", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((workdir / "server.log").read_text()) from None
                    time.sleep(0.1)
            yield base, env
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
