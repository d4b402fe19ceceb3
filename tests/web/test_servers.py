"""Two real app processes sharing one database: the production server (gunicorn, DEBUG off) and
the development server (runserver, DEBUG on). Rate limits hold across them, neither writes a
token to its log, and made-up links get byte-identical answers."""

import http.client
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN_LIMIT = 12
CREATE_LIMIT = 3


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    name: str
    port: int
    log: Path
    process: subprocess.Popen

    def request(
        self, method: str, path: str, client: str, body: bytes = b"", headers: dict | None = None
    ) -> Reply:
        """One request as if from `client` (the address the proxy in front reports)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method, path, body or None, {"X-Forwarded-For": client, **(headers or {})}
            )
            response = connection.getresponse()
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(name: str, command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if server.request("GET", "/health/", "127.0.0.1").status == 200:
                return
        except OSError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} did not start:\n{server.output()}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[dict[str, Server]]:
    folder = tmp_path_factory.mktemp("servers")
    database = folder / "shared.sqlite3"
    ports = {"production": free_port(), "development": free_port()}
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="servers-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        LOG_LEVEL="INFO",
        RATE_LIMIT_TOKEN_LOOKUPS=str(TOKEN_LIMIT),
        RATE_LIMIT_NEW_ASSESSMENTS=str(CREATE_LIMIT),
        BEHIND_TLS_PROXY="1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_ORIGIN="http://127.0.0.1",
    )
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
    production_env = {
        **env,
        "DEBUG": "0",
        "BIND": f"127.0.0.1:{ports['production']}",
        "WEB_CONCURRENCY": "1",
    }
    production = Server(
        "production",
        ports["production"],
        folder / "production.log",
        start_server(
            "production",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "advisor.wsgi",
                "-c",
                "python:advisor.gunicorn_conf",
            ],
            production_env,
            folder / "production.log",
        ),
    )
    development = Server(
        "development",
        ports["development"],
        folder / "development.log",
        start_server(
            "development",
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{ports['development']}",
                "--noreload",
                "--skip-checks",
            ],
            {**env, "DEBUG": "1"},
            folder / "development.log",
        ),
    )
    servers = {"production": production, "development": development}
    try:
        for server in servers.values():
            wait_until_up(server)
        servers["database"] = database
        yield servers
    finally:
        for server in (production, development):
            server.process.terminate()
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()


def fresh_window(seconds: int) -> None:
    """Do not start a count in the last moments of a fixed window."""
    if time.time() % seconds > seconds - 3:
        time.sleep(seconds - time.time() % seconds + 0.2)


def unknown_share_path() -> str:
    return f"/s/{secrets.token_urlsafe(32)}/"


class Browser:
    """Cookies and the CSRF token of one visitor, across both servers."""

    def __init__(self, client: str) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _headers(self, extra: dict | None = None) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**({"Cookie": cookie} if cookie else {}), **(extra or {})}

    def _keep_cookies(self, reply: Reply) -> None:
        for name, value in reply.headers.items():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value

    def get(self, server: Server, path: str) -> Reply:
        reply = server.request("GET", path, self.client, headers=self._headers())
        self._keep_cookies(reply)
        if match := re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', reply.body):
            self.csrf = match.group(1).decode()
        return reply

    def post(self, server: Server, path: str, data: dict, with_token: bool = True) -> Reply:
        fields = {**({"csrfmiddlewaretoken": self.csrf} if with_token else {}), **data}
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        reply = server.request("POST", path, self.client, urlencode(fields).encode(), headers)
        self._keep_cookies(reply)
        return reply

    def start_assessment(self, server: Server) -> str:
        self.get(server, "/assessments/new/")
        reply = self.post(server, "/assessments/new/", {})
        assert reply.status == 302, reply.body[:500]
        return reply.headers["Location"].split("/")[2]


def test_a_link_guesser_stopped_by_one_process_is_stopped_by_the_other(servers):
    fresh_window(60)
    guesser = "198.51.100.21"

    guesses = [
        servers["production"].request("GET", unknown_share_path(), guesser).status
        for _ in range(TOKEN_LIMIT)
    ]
    elsewhere = servers["development"].request("GET", unknown_share_path(), guesser)
    someone_else = servers["development"].request("GET", unknown_share_path(), "198.51.100.22")

    assert guesses == [404] * TOKEN_LIMIT
    assert elsewhere.status == 429
    assert 1 <= int(elsewhere.headers["Retry-After"]) <= 60
    assert someone_else.status == 404


def test_new_assessments_are_counted_across_processes(servers):
    fresh_window(3600)
    founder = Browser("198.51.100.31")
    production, development = servers["production"], servers["development"]

    tokens = [founder.start_assessment(s) for s in (production, development, production)]
    refused = founder.post(development, "/assessments/new/", {})

    assert len(set(tokens)) == CREATE_LIMIT
    assert refused.status == 429
    with sqlite3.connect(servers["database"]) as db:
        assert db.execute("SELECT COUNT(*) FROM advisor_assessment").fetchone()[0] == CREATE_LIMIT


def test_made_up_links_get_byte_identical_answers_from_the_production_server(servers):
    production = servers["production"]
    token = Browser("198.51.100.41").start_assessment(production)
    paths = [
        f"/a/{secrets.token_urlsafe(32)}/",
        f"/a/{secrets.token_urlsafe(32)}/result/",
        f"/a/{'x' * 300}/",
        "/a/%C3%A9%C3%A9/",
        "/a/..%2F..%2F/",
        f"/s/{secrets.token_urlsafe(32)}/",
        f"/s/{token}/",  # an edit token is not a share token
        f"/a/{token}/step/nonsense/",
        "/a//",
    ]

    replies = [
        production.request("GET", path, f"198.51.100.{50 + n}") for n, path in enumerate(paths)
    ]

    def comparable(reply: Reply) -> tuple:
        headers = {k: v for k, v in reply.headers.items() if k.lower() != "date"}
        return reply.status, reply.body, tuple(sorted(headers.items()))

    assert {comparable(reply) for reply in replies} == {comparable(replies[0])}
    assert replies[0].status == 404


def test_neither_server_writes_a_token_to_its_log(servers):
    secrets_seen = []
    for name in ("production", "development"):
        server = servers[name]
        visitor = Browser(f"198.51.100.{70 if name == 'production' else 71}")
        token = visitor.start_assessment(server)
        unknown = secrets.token_urlsafe(32)
        secrets_seen += [token, unknown]

        assert visitor.get(server, f"/a/{token}/").status == 302
        assert visitor.get(server, f"/a/{token}/step/nonsense/").status == 404
        assert visitor.post(server, f"/a/{token}/check/", {"revision": "1"}, False).status == 403
        assert visitor.get(server, f"/s/{unknown}/report.pdf").status == 404
        blocked = [visitor.get(server, f"/s/{unknown}/").status for _ in range(TOKEN_LIMIT)]
        assert blocked[-1] == 429

    time.sleep(0.3)  # let both processes finish writing
    for name in ("production", "development"):
        output = servers[name].output()
        assert "Forbidden (CSRF token missing.): /a/[redacted]/check/" in output, output
        assert "Not Found: /a/[redacted]/step/nonsense/" in output, output
        assert "Too Many Requests: /s/[redacted]/" in output, output
        for secret in secrets_seen:
            assert secret not in output, f"{name} logged a token"
    assert "GET /a/[redacted]/ " in servers["production"].output()  # gunicorn's access log
    assert '"GET /a/[redacted]/ HTTP/1.1" 302' in servers["development"].output()
