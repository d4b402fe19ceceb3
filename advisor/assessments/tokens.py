"""Token cryptography for capability links; no database and no HTTP here.

Edit tokens are drawn at random; share tokens are derived from the assessment's public id and a
generation counter with SECRET_KEY (see advisor.assessments.links for the whole design). Only
SHA-256 hashes of either are ever stored.

Rotating SECRET_KEY: a share token derived with a key that is neither SECRET_KEY nor one of
SECRET_KEY_FALLBACKS is dead, on the owner's page (no link shown, "sharing is turned off") and at
the link itself (404) alike. Keeping the old key in SECRET_KEY_FALLBACKS keeps such links
working and shown until the owner replaces them or the fallback is dropped.
"""

import base64
import hashlib
import secrets
from typing import Any, Protocol

from django.conf import settings
from django.utils.crypto import salted_hmac

from advisor.web.capability_urls import well_formed

__all__ = [
    "TOKEN_BYTES",
    "current_share_token",
    "derive_share_token",
    "new_token",
    "token_hash",
    "well_formed",
]

TOKEN_BYTES = 32
# Named after the module that first held it; changing it would void every share link issued.
# The salt keeps its first module's name: changing it would break every link already issued.
_SHARE_SALT = "advisor.access.share-token"


class HasShareLink(Protocol):
    public_id: Any
    share_generation: int
    share_token_hash: str | None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def derive_share_token(public_id: Any, generation: int, secret: str | None = None) -> str:
    """The share token for this generation, with SECRET_KEY unless another `secret` is given."""
    digest = salted_hmac(
        _SHARE_SALT, f"{public_id}:{generation}", secret=secret, algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def current_share_token(assessment: HasShareLink) -> str | None:
    """The live share token, or None when the link is revoked or was derived with a key this
    site no longer holds (neither SECRET_KEY nor a fallback): such a link is dead."""
    if not assessment.share_token_hash:
        return None
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])):
        token = derive_share_token(assessment.public_id, assessment.share_generation, secret)
        if secrets.compare_digest(token_hash(token), assessment.share_token_hash):
            return token
    return None
