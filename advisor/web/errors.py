"""What a visitor sees when a request is refused for safety, or leads nowhere."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from advisor.web.capability_urls import edit_token_in

NEW_TOKEN_HEADER = "X-New-CSRF-Token"  # noqa: S105 (a header name)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A POST without a valid CSRF token (usually a page open for so long that its token no
    longer matches the cookie, or cookies turned off). Nothing was saved; say so plainly.

    htmx gets a one-line fragment and, in a header, a fresh token for the page to use, so trying
    again works without a reload that would lose what was typed. Browsers get a friendly page."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(
            "<p data-failure-reason>this page's security check had run out (it is renewed now)</p>",
            status=403,
        )
        response[NEW_TOKEN_HEADER] = get_token(request)
    else:
        token = edit_token_in(request.path)
        resume_url = reverse("assessment-resume", args=[token]) if token else None
        response = render(
            request, "errors/csrf_failure.html", {"resume_url": resume_url}, status=403
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Every address that leads nowhere (an unknown page, a revoked, replaced, mistyped or
    deleted link) gets this same page, byte for byte: it never names the path or says which
    check failed, so a response cannot tell a revoked link from one that never existed."""
    response = HttpResponseNotFound(render_to_string("errors/not_found.html", request=request))
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
