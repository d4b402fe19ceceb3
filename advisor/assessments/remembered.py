""" "Your assessments" without accounts.

The owner's own browser keeps a signed, HttpOnly cookie listing the edit tokens it created or
opened, newest first. The tokens never leave that browser except in the requests it makes to
this site.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from advisor.assessments.links import assessments_for_owner_tokens
from advisor.assessments.models import Assessment
from advisor.assessments.tokens import well_formed

REMEMBER_COOKIE = "advisor_assessments"
REMEMBER_LIMIT = 20
# The salts keep their first names: changing one would void every cookie or share link issued.
# The salt keeps its first module's name: changing it would break every link already issued.
_REMEMBER_SALT = "advisor.access.remembered"
_REMEMBER_MAX_AGE = 60 * 60 * 24 * 365


def remembered_tokens(request: HttpRequest) -> list[str]:
    raw = request.get_signed_cookie(REMEMBER_COOKIE, default="", salt=_REMEMBER_SALT)
    return [token for token in raw.split(".") if well_formed(token)][:REMEMBER_LIMIT]


def _store_tokens(response: HttpResponse, tokens: list[str]) -> None:
    if not tokens:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return
    response.set_signed_cookie(
        REMEMBER_COOKIE,
        ".".join(tokens[:REMEMBER_LIMIT]),
        salt=_REMEMBER_SALT,
        max_age=_REMEMBER_MAX_AGE,
        httponly=True,
        samesite="Lax",
        # Secure whenever the deployment uses secure cookies (every non-debug default).
        secure=settings.SESSION_COOKIE_SECURE,
    )


def remember(request: HttpRequest, response: HttpResponse, token: str) -> HttpResponse:
    """Put `token` first in this browser's list (no cookie is written if it already is)."""
    tokens = remembered_tokens(request)
    if tokens[:1] != [token]:
        _store_tokens(response, [token, *(t for t in tokens if t != token)])
    return response


def forget(request: HttpRequest, response: HttpResponse, token: str) -> HttpResponse:
    _store_tokens(response, [t for t in remembered_tokens(request) if t != token])
    return response


def remembered_assessments(request: HttpRequest) -> list[Assessment]:
    return assessments_for_owner_tokens(remembered_tokens(request))
