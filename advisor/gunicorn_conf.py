"""gunicorn settings: threaded workers that slow clients cannot use up, request bodies read
against a deadline, the proxy headers trusted only when configured, and an access log on stdout
with capability tokens redacted.

Workers and threads. The work is CPU-bound (templates, the engine, PDF renders), so a worker or
so per core serves best: the default of 3 is a core plus one on a two-core machine, which keeps
pages moving while one worker renders a PDF (measured on two cores with bench/run.py, 5 workers
were slower than 2 or 3). Each worker is a `gthread` worker with GUNICORN_THREADS threads (8 by
default): threads do not add CPU, but a connection that is slow to send its request holds one
thread, not a whole worker, and gunicorn waits for a new connection's first bytes in its poller
before it gives the connection a thread at all. A worker accepts connections while any of its
threads is busy (they queue for a thread), so each worker has threads to spare for the slow
clients that happen to land on it.

Slow bodies. A client that trickles its request body (one byte a second, say) would hold a
thread for as long as it likes: `pre_request` reads the whole body before the app sees the
request, with REQUEST_BODY_TIMEOUT seconds (10 by default) for all of it, and answers 408 and
closes the connection when the client is slower; bodies over REQUEST_BODY_MAX_BYTES get 413
without being read. In production a buffering proxy (deploy/nginx.conf) sits in front as well:
it takes whole requests from the clients, however slow, before it passes them on.

Proxy headers. gunicorn believes `X-Forwarded-Proto` (the request came over https) only from
the addresses in FORWARDED_ALLOW_IPS, and only when BEHIND_TLS_PROXY=1; without that switch it
believes it from nobody, whatever gunicorn's own default.

The app is not preloaded in the master: preloading only changes start-up (time and shared
memory), not the time a request takes, and a graceful reload (HUP) would then keep running the
old code.
"""

import io
import os
import time

from gunicorn.http.body import Body

from advisor.web.redaction import redact


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def _env_switch(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(_env_number("WEB_CONCURRENCY", 3))
worker_class = "gthread"
threads = int(_env_number("GUNICORN_THREADS", 8))
# A worker whose main loop is silent this long is restarted (a request thread stuck in a render
# does not silence it; the body deadline below bounds the slow clients).
timeout = int(_env_number("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = int(_env_number("GUNICORN_KEEPALIVE", 5))
REQUEST_BODY_TIMEOUT = _env_number("REQUEST_BODY_TIMEOUT", 10)
# Django refuses form bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) anyway.
REQUEST_BODY_MAX_BYTES = int(_env_number("REQUEST_BODY_MAX_BYTES", 3 * 1024 * 1024))

BEHIND_TLS_PROXY = _env_switch("BEHIND_TLS_PROXY")
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if BEHIND_TLS_PROXY else ""
)
accesslog = os.environ.get("ACCESS_LOG", "-")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "advisor.web.redaction.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}


def post_worker_init(worker) -> None:
    """Load the price snapshot, WeasyPrint and its fonts once per worker, before it takes
    requests, so that the first costs step, result and PDF download do not pay for them (each
    takes most of a second)."""
    from advisor.engine import known_models
    from advisor.reports.pdf import warm_up

    try:
        known_models()
        warm_up()
    except Exception:  # a failed warm-up only costs the first requests their speed
        worker.log.exception("warm-up failed")


class _TooSlow(Exception):
    pass


def _refuse(sock, status: str, text: str) -> None:
    body = f"{text}\n".encode()
    head = (
        f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n\r\n"
    ).encode()
    try:
        sock.settimeout(1)
        sock.sendall(head + body)
    except OSError:
        pass


def _content_length(req) -> int | None:
    for name, value in req.headers:
        if name == "CONTENT-LENGTH":
            return int(value)  # gunicorn has already checked that it is a number
    return None


def _is_chunked(req) -> bool:
    return any(
        name == "TRANSFER-ENCODING" and "chunked" in value.lower() for name, value in req.headers
    )


def read_body_with_deadline(req, seconds: float, max_bytes: int) -> bytes:
    """The whole request body, or _TooSlow once `seconds` have passed since the first read (each
    receive may wait only for what is left of the deadline, so a trickle cannot stretch it)."""
    unreader = req.unreader
    sock = unreader.sock
    deadline = time.monotonic() + seconds
    receive = unreader.chunk

    def chunk(size_hint=None):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _TooSlow
        sock.settimeout(remaining)
        return receive(size_hint)

    unreader.chunk = chunk
    try:
        return req.body.read(max_bytes + 1)
    except TimeoutError:
        raise _TooSlow from None
    finally:
        unreader.chunk = receive
        sock.settimeout(None)


def pre_request(worker, req) -> None:
    """Buffer the request body against the deadline before the app runs (see the top)."""
    length = _content_length(req)
    if not length and not _is_chunked(req):
        return
    sock = req.unreader.sock
    where = f"{req.method} {redact(req.path)}"
    if length and length > REQUEST_BODY_MAX_BYTES:
        _refuse(sock, "413 Content Too Large", "The request is too large.")
        worker.log.warning("Refused a %s-byte body: %s", length, where)
        raise StopIteration
    if req._expected_100_continue:
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        req._expected_100_continue = False
    try:
        data = read_body_with_deadline(req, REQUEST_BODY_TIMEOUT, REQUEST_BODY_MAX_BYTES)
    except _TooSlow:
        _refuse(sock, "408 Request Timeout", "The request took too long to arrive.")
        worker.log.warning(
            "Request body not received within %ss, connection closed: %s",
            REQUEST_BODY_TIMEOUT,
            where,
        )
        raise StopIteration from None
    if len(data) > REQUEST_BODY_MAX_BYTES:
        _refuse(sock, "413 Content Too Large", "The request is too large.")
        raise StopIteration
    req.body = Body(io.BytesIO(data))
