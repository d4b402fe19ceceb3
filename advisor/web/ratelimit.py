"""Fixed-window rate limits kept in the shared cache, so they hold across app processes.

Who a client is: the address that connected, or, behind proxies, the address the nearest
trusted proxy saw. With TRUSTED_PROXY_HOPS=N, the client is the N-th `X-Forwarded-For` entry
from the right (each proxy appends the address it received the request from; entries further
left came from the client and prove nothing). Only a valid IP address counts: anything else in
that place falls back to the connecting address, so garbage cannot mint fresh allowances. IPv6
clients are counted by their /64 network, which one host can fill with addresses; IPv4-mapped
IPv6 addresses count as the IPv4 address.
"""

import functools
import hashlib
import ipaddress
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

IPV6_PREFIX = 64
# Cache keys stay short whatever a key is made of (PostgreSQL's cache key column is 255).
LONGEST_PLAIN_KEY = 64


def _address_key(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False)
        return str(network)
    return str(address)


def client_address(request: HttpRequest) -> str:
    """The key a client is counted under (see the top of this module)."""
    connected = _address_key(request.META.get("REMOTE_ADDR", "")) or "unknown"
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return connected
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if not forwarded:
        return connected
    # Fewer entries than trusted hops: every entry was written by a trusted proxy, and the
    # leftmost is the address the first of them saw.
    chosen = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _address_key(chosen) or connected


def _short(key: str) -> str:
    if len(key) <= LONGEST_PLAIN_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# Large limits are counted in batches (see `hit`): at most this many requests per batch, and a
# batch never more than a thirtieth of the limit, so limits under 60 are counted one by one.
LARGEST_BATCH = 10
BATCH_FRACTION = 30
# This process's counts not yet added to the shared cache: cache key -> [window start, pending,
# shared count last seen]. Pruned of past windows when it grows.
_local: dict[str, list[int]] = {}
_local_lock = threading.Lock()
LOCAL_ENTRIES_BEFORE_PRUNING = 4096
# Past this many clients in one window (addresses rotated to fill memory), the pending counts
# are dropped: each client loses at most a batch less one of its count, never more.
MOST_LOCAL_ENTRIES = 50_000


def batch_size(limit: int) -> int:
    return max(1, min(LARGEST_BATCH, limit // BATCH_FRACTION))


def _add_shared(cache_key: str, count: int, limit: int, timeout: int) -> int:
    """Adds `count` requests to the shared count and returns the new total. Writes nothing once
    the total is over the limit, so a flood costs one read per batch."""
    shared = cache.get(cache_key)
    if shared is None and cache.add(cache_key, count, timeout=timeout):
        return count
    if shared is None:
        shared = cache.get(cache_key) or 0
    if shared > limit:
        return shared + count
    cache.set(cache_key, shared + count, timeout=timeout)
    return shared + count


def _prune(window_start: int) -> None:
    for cache_key in [k for k, entry in _local.items() if entry[0] < window_start]:
        del _local[cache_key]
    if len(_local) >= MOST_LOCAL_ENTRIES:
        _local.clear()


def hit(scope: str, key: str, limit: int, window: int) -> int:
    """Counts one request; returns 0 when allowed, else the seconds until the window resets.

    A count lives only until its window ends, so counts never crowd anything else out of the
    shared cache. Two processes counting the same request at the same moment may both write
    the same number (the database cache has no atomic increment): the limit is approximate
    under races, never stricter than configured.

    Reading and writing the shared count costs a few queries, one of them a write, and on the
    token-lookup scope that would be every edit- and share-link request. So each process adds
    its requests to the shared count in batches (`batch_size`: 10 for a limit of 300) and in
    between judges by the shared count it last saw plus its own pending requests. Within one
    process the count is exact; across P processes a client can get at most P x (batch - 1)
    requests past the limit in a window (27 over 300 with 3 workers), and limits under 60 are
    counted exactly, request by request."""
    now = int(time.time())
    window_start = now - now % window
    remaining = window_start + window - now
    cache_key = f"ratelimit:{scope}:{_short(key)}:{window_start}"
    batch = batch_size(limit)
    with _local_lock:
        entry = _local.get(cache_key)
        if entry is None:
            if len(_local) >= LOCAL_ENTRIES_BEFORE_PRUNING:
                _prune(window_start)
            entry = _local[cache_key] = [window_start, 0, 0]
        entry[1] += 1
        estimate = entry[1] + entry[2]
        flush = entry[1] >= batch or estimate > limit
        pending = entry[1]
        if flush:
            entry[1] = 0
    if flush:
        estimate = _add_shared(cache_key, pending, limit, remaining + 1)
        with _local_lock:
            entry[2] = estimate
    return max(1, remaining) if estimate > limit else 0


def too_many_requests(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        "Too many requests. Please wait a moment and try again.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def check(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Counts this request against `scope`; returns the 429 answer once the client is over."""
    limit, window = settings.RATE_LIMITS[scope]
    if not limit:
        return None
    retry_after = hit(scope, client_address(request), limit, window)
    return too_many_requests(retry_after) if retry_after else None


def rate_limited(scope: str) -> Callable:
    """Answers 429 with Retry-After once a client passes the limit configured for `scope`."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return check(request, scope) or view(request, *args, **kwargs)

        return wrapper

    return decorator
