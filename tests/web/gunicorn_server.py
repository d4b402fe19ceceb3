"""A real gunicorn running the production configuration (advisor/gunicorn_conf.py, DEBUG off) on
its own SQLite file, for tests of what only a server does: slow clients, proxy headers and the
access log."""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Ports set aside for these servers; any free one is taken when all of them are busy.
PORTS = range(8110, 8120)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Gunicorn:
    port: int
    log: Path
    process: subprocess.Popen
    database: Path

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None, timeout=10
    ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body or None, headers or {})
            response = connection.getresponse()
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _prepare_database(env: dict) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.core.management import call_command;"
            "call_command('migrate', verbosity=0); call_command('createcachetable')",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "advisor.settings"},
        check=True,
    )


@contextmanager
def gunicorn(folder: Path, **settings: str) -> Iterator[Gunicorn]:
    """gunicorn with the production settings plus `settings` (environment variables)."""
    database = folder / "db.sqlite3"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="0",
        SECRET_KEY="gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_ORIGIN="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        DATABASE_URL=f"sqlite:///{database}",
        LOG_LEVEL="INFO",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    env.update(settings)
    _prepare_database(env)
    log = folder / f"gunicorn-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "advisor.wsgi", "-c", "python:advisor.gunicorn_conf"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    server = Gunicorn(port, log, process, database)
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                server.request("GET", "/health/", timeout=5)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{server.output()}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
