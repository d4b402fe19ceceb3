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
    """Counts one request; returns 0 when allowed, else the seconds until the window resets."""
    now = int(time.time())
    window_start = now - now % window
    cache_key = f"ratelimit:{scope}:{key}:{window_start}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return max(1, window_start + window - now)
    return 0


def rate_limited(scope: str) -> Callable:
    """Answers 429 with Retry-After once a client passes the limit configured for `scope`."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            limit, window = settings.RATE_LIMITS[scope]
            if limit:
                retry_after = hit(scope, client_address(request), limit, window)
                if retry_after:
                    response = HttpResponse(
                        "Too many requests. Please wait a moment and try again.",
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
