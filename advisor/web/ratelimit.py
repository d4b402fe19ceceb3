"""Fixed-window rate limits kept in the shared cache, so they hold across app processes."""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest) -> str:
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope: str, key: str, limit: int, window: int) -> int:
    """Counts one request; returns 0 when allowed, else the seconds until the window resets.

    A count lives only until its window ends, so counts never crowd rendered PDFs out of the
    shared cache. Once a client is over the limit nothing more is written, so a flood of
    requests costs one read each. Two processes counting the same request at the same moment
    may both write the same number (the database cache has no atomic increment): the limit is
    approximate under races, never stricter than configured."""
    now = int(time.time())
    window_start = now - now % window
    remaining = window_start + window - now
    cache_key = f"ratelimit:{scope}:{key}:{window_start}"
    count = cache.get(cache_key)
    if count is None and cache.add(cache_key, 1, timeout=remaining + 1):
        count = 1
    elif count is None or count <= limit:
        count = (count or cache.get(cache_key) or 0) + 1
        cache.set(cache_key, count, timeout=remaining + 1)
    else:
        count += 1
    return max(1, remaining) if count > limit else 0


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
