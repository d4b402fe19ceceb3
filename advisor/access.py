"""Capability links: who may see or change an assessment is decided by the token in the URL.

Design
- Edit token: 32 random bytes (`secrets.token_urlsafe(32)`, 256 bits). Only its SHA-256 hash is
  stored. The owner holds the token in their private link (and in the "your assessments" cookie
  of their own browser); the server can never show it again to anybody else.
- Share token: also 256 bits, but derived rather than drawn: HMAC-SHA256 keyed with SECRET_KEY
  over the assessment's random public_id and a share generation counter. The database stores
  only its SHA-256 hash and the counter, yet the owner's pages can show the current share link
  at any time. Rotating bumps the counter (the old token's hash is gone at once); revoking clears
  the hash, and creating a link after a revocation bumps the counter too, so no revoked link ever
  comes back. A reader needs both SECRET_KEY and the database to forge a share token, and even
  then gets read-only access. If SECRET_KEY is rotated, existing share links keep working (their
  hash is still stored) but can no longer be re-displayed; the owner is told to rotate.
- Lookups hash the presented token and compare hashes in the database; unknown, malformed and
  revoked tokens all raise the same Http404.
"""

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from advisor.models import Assessment

REMEMBER_COOKIE = "advisor_assessments"
REMEMBER_LIMIT = 20
_REMEMBER_SALT = "advisor.access.remembered"
_REMEMBER_MAX_AGE = 60 * 60 * 24 * 365
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
_SHARE_SALT = "advisor.access.share-token"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _well_formed(token: Any) -> bool:
    return isinstance(token, str) and _TOKEN_SHAPE.fullmatch(token) is not None


def _not_found() -> Http404:
    # One message for every failure, so a response never tells which check failed.
    return Http404("No assessment at this address.")


def derive_share_token(public_id: Any, generation: int) -> str:
    digest = salted_hmac(_SHARE_SALT, f"{public_id}:{generation}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def current_share_token(assessment: Assessment) -> str | None:
    """The live share token, or None when the link is revoked (or cannot be re-derived)."""
    if not assessment.share_token_hash:
        return None
    token = derive_share_token(assessment.public_id, assessment.share_generation)
    if not secrets.compare_digest(token_hash(token), assessment.share_token_hash):
        return None
    return token


def create_assessment(**fields: Any) -> Assessment:
    """A new assessment with a fresh edit token (kept on the instance) and a live share link."""
    edit_token = new_token()
    assessment = Assessment(edit_token_hash=token_hash(edit_token), **fields)
    assessment.share_token_hash = token_hash(
        derive_share_token(assessment.public_id, assessment.share_generation)
    )
    assessment.save()
    assessment.edit_token = edit_token
    return assessment


def assessment_for_owner(token: str) -> Assessment:
    if not _well_formed(token):
        raise _not_found()
    try:
        assessment = Assessment.objects.get(edit_token_hash=token_hash(token))
    except Assessment.DoesNotExist:
        raise _not_found() from None
    assessment.edit_token = token
    return assessment


def assessment_for_share(token: str) -> Assessment:
    if not _well_formed(token):
        raise _not_found()
    try:
        return Assessment.objects.get(share_token_hash=token_hash(token))
    except Assessment.DoesNotExist:
        raise _not_found() from None


def assessments_for_owner_tokens(tokens: list[str]) -> list[Assessment]:
    """The assessments these edit tokens open, in the order given; dead tokens are skipped."""
    by_hash = {token_hash(t): t for t in tokens if _well_formed(t)}
    found = {a.edit_token_hash: a for a in Assessment.objects.filter(edit_token_hash__in=by_hash)}
    listed = []
    for digest, token in by_hash.items():
        if digest in found:
            found[digest].edit_token = token
            listed.append(found[digest])
    return listed


def rotate_share_token(assessment: Assessment) -> str:
    """Replace the share link (or create one after a revocation); the old one dies at once."""
    for _ in range(5):
        generation = assessment.share_generation + 1
        digest = token_hash(derive_share_token(assessment.public_id, generation))
        updated = Assessment.objects.filter(
            pk=assessment.pk, share_generation=assessment.share_generation
        ).update(share_generation=generation, share_token_hash=digest)
        if updated:
            assessment.share_generation = generation
            assessment.share_token_hash = digest
            return derive_share_token(assessment.public_id, generation)
        # Someone rotated at the same moment: start again from their generation.
        assessment.refresh_from_db(fields=["share_generation", "share_token_hash"])
    raise RuntimeError("could not rotate the share link")  # pragma: no cover


def revoke_share_token(assessment: Assessment) -> None:
    # Bumping the generation as well means the revoked token can never be derived again.
    Assessment.objects.filter(pk=assessment.pk).update(
        share_token_hash=None, share_generation=F("share_generation") + 1
    )
    assessment.refresh_from_db(fields=["share_generation", "share_token_hash"])


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


# "Your assessments" without accounts: the owner's own browser keeps a signed, HttpOnly cookie
# listing the edit tokens it created or opened, newest first. The tokens never leave that browser
# except in the requests it makes to this site.


def remembered_tokens(request: HttpRequest) -> list[str]:
    raw = request.get_signed_cookie(REMEMBER_COOKIE, default="", salt=_REMEMBER_SALT)
    return [token for token in raw.split(".") if _well_formed(token)][:REMEMBER_LIMIT]


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
