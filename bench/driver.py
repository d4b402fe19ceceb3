"""A small closed-loop HTTP load driver: N threads, each with its own keep-alive connection."""

import http.client
import itertools
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    # Set by a step that does untimed work first: only this much of it counts as its latency.
    elapsed: float | None = None


# Each client connects from an address of its own in 127.0.0.0/8 (all of it is this machine's
# loopback), as each founder comes from an address of their own: the rate limits, which count
# per client address, stay on at their production values and count each client as a founder.
_addresses = itertools.count(1)
_addresses_lock = threading.Lock()


def next_source_address(host: str | None) -> tuple[str, int] | None:
    if not host or not host.startswith("127."):
        return None
    with _addresses_lock:
        n = next(_addresses) % (250 * 250)
    return (f"127.1.{n // 250 + 1}.{n % 250 + 1}", 0)


class Client:
    """One keep-alive connection with a cookie jar; enough for scripted page flows."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.source = next_source_address(self.host)
        self.conn = self._connect()
        self.cookies: dict[str, str] = {}

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=self.source
        )

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                raw = self.conn.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = self._connect()
                if attempt:
                    raise
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def close(self) -> None:
        self.conn.close()


@dataclass
class Measurement:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    bytes: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p95_ms(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000

    @property
    def rps(self) -> float:
        return self.count / self.wall if self.wall else 0.0


def run_load(
    name: str,
    base_url: str,
    make_step: Callable[[Client, int], Callable[[], Response]],
    *,
    concurrency: int,
    requests_per_worker: int,
    warmup: int = 3,
    ok_statuses: tuple[int, ...] = (200,),
) -> Measurement:
    """`make_step(client, worker_index)` prepares a worker and returns the call to time. A call
    that does some untimed work first reports the part to count in `Response.elapsed`."""
    measurement = Measurement(name)
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)

    def worker(index: int) -> None:
        client = Client(base_url)
        step = make_step(client, index)
        for _ in range(warmup):
            step()
        ready.wait()
        local, errors, size = [], 0, 0
        for _ in range(requests_per_worker):
            started = time.perf_counter()
            response = step()
            taken = time.perf_counter() - started
            local.append(taken if response.elapsed is None else response.elapsed)
            size += len(response.body)
            if response.status not in ok_statuses:
                errors += 1
        client.close()
        with lock:
            measurement.latencies.extend(local)
            measurement.errors += errors
            measurement.bytes += size

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    measurement.wall = time.perf_counter() - started
    return measurement
