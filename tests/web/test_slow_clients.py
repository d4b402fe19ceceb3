"""Clients that trickle their request body cannot stop the site, through a real gunicorn with the
production configuration: the threads they hold are a few of many, and each is given back once
the body deadline passes."""

import re
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.web.gunicorn_server import Gunicorn, gunicorn

BODY_TIMEOUT = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Gunicorn]:
    with gunicorn(
        tmp_path_factory.mktemp("slow-clients"),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="8",
        REQUEST_BODY_TIMEOUT=str(BODY_TIMEOUT),
    ) as running:
        yield running


class Trickler(threading.Thread):
    """Sends a POST whose body arrives at one byte a second; records what the server answered
    and when."""

    def __init__(self, port: int, length: int = 200, seconds: float = 30) -> None:
        super().__init__(daemon=True)
        self.port, self.length, self.seconds = port, length, seconds
        self.answer = b""
        self.elapsed: float | None = None
        self.ready = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.port), timeout=self.seconds + 5) as sock:
            sock.sendall(
                b"POST /assessments/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                # With a CSRF cookie, Django reads the body to find the form's token.
                b"Cookie: csrftoken="
                + b"k" * 32
                + b"\r\n"
                + f"Content-Length: {self.length}\r\n\r\n".encode()
            )
            self.ready.set()
            try:
                for _ in range(self.length):
                    if time.monotonic() - started > self.seconds:
                        break
                    sock.sendall(b"a")
                    sock.settimeout(1)
                    try:
                        data = sock.recv(4096)
                    except TimeoutError:
                        continue
                    self.answer += data
                    if not data or self.answer:
                        break
                while data := sock.recv(4096):
                    self.answer += data
            except OSError:
                pass
        self.elapsed = time.monotonic() - started


def start_tricklers(server: Gunicorn, count: int) -> list[Trickler]:
    tricklers = [Trickler(server.port) for _ in range(count)]
    for trickler in tricklers:
        trickler.start()
        trickler.ready.wait(5)
    time.sleep(0.5)  # each has its thread by now
    return tricklers


def timed_home_page(server: Gunicorn) -> tuple[int, float]:
    started = time.monotonic()
    reply = server.request("GET", "/", timeout=BODY_TIMEOUT + 10)
    return reply.status, time.monotonic() - started


def test_six_slow_bodies_leave_the_home_page_fast(server):
    tricklers = start_tricklers(server, 6)

    timings = [timed_home_page(server) for _ in range(5)]

    assert [status for status, _ in timings] == [200] * 5
    assert max(seconds for _, seconds in timings) < 1.0, timings
    for trickler in tricklers:
        trickler.join(BODY_TIMEOUT + 10)


def test_a_slow_body_is_cut_off_at_the_deadline_with_408(server):
    trickler = Trickler(server.port, length=500)
    trickler.start()
    trickler.join(BODY_TIMEOUT + 10)

    assert trickler.answer.startswith(b"HTTP/1.1 408 "), trickler.answer
    assert b"Connection: close" in trickler.answer
    assert BODY_TIMEOUT - 0.5 <= trickler.elapsed <= BODY_TIMEOUT + 3
    time.sleep(0.3)
    assert re.search(r"Request body not received within 3(\.0)?s", server.output())


def test_more_slow_bodies_than_threads_delay_pages_only_until_the_deadline(server):
    tricklers = start_tricklers(server, 20)  # two workers of eight threads each

    status, seconds = timed_home_page(server)

    assert status == 200
    assert seconds < BODY_TIMEOUT + 3
    for trickler in tricklers:
        trickler.join(BODY_TIMEOUT + 10)
        assert trickler.answer.startswith(b"HTTP/1.1 408 ")


def test_a_body_sent_at_once_still_reaches_the_app(server):
    page = server.request("GET", "/assessments/new/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    cookie = page.headers["Set-Cookie"].split(";")[0]
    body = urlencode({"csrfmiddlewaretoken": token.decode()}).encode()

    reply = server.request(
        "POST",
        "/assessments/new/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )

    assert reply.status == 302
    assert reply.headers["Location"].startswith("/a/")


def test_a_body_over_the_limit_is_refused_unread(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /assessments/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Length: 50000000\r\n\r\n"
        )
        answer = sock.recv(4096)

    assert answer.startswith(b"HTTP/1.1 413 ")
