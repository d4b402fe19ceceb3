"""Response headers for pages whose address is a secret (W3C TAG, "Good Practices for
Capability URLs"): out of search engines, referrers and shared caches."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse


def capability_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Headers for pages whose URL is a secret: keep them out of search engines, referrers and
    shared caches (W3C TAG, "Good Practices for Capability URLs")."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        # Never to another site. Not "no-referrer": browsers then send `Origin: null` with
        # form POSTs, which fails the CSRF origin check on the owner's own buttons.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapper


def no_referrer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send no referrer at all from pages without forms. (The owner's result page has forms, and
    with no-referrer browsers post them with `Origin: null`, which fails the CSRF check; it keeps
    capability_page's same-origin.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper
