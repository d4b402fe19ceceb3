"""Rate limits on the requests that guess or mint capability links.

Every request to an edit or share link (/a/<token>/..., /s/<token>/...) looks a token up, so a
client that tries many tokens is slowed down whatever the page; creating assessments (and copies
of them) has a limit of its own. The counts live in the shared cache, so they hold across every
app process. Limits come from settings.RATE_LIMITS; a limit of 0 turns one off.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from advisor.web import ratelimit
from advisor.web.capability_urls import is_capability_path, is_edit_path

CREATE_PATH = "/assessments/new/"


def _creates_an_assessment(request: HttpRequest) -> bool:
    if request.method != "POST":
        return False
    return request.path == CREATE_PATH or (
        is_edit_path(request.path) and request.path.endswith("/duplicate/")
    )


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scopes = []
        if is_capability_path(request.path):
            scopes.append("token-lookup")
        if _creates_an_assessment(request):
            scopes.append("create-assessment")
        for scope in scopes:
            refused = ratelimit.check(request, scope)
            if refused is not None:
                return refused
        return self.get_response(request)
