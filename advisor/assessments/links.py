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
  then gets read-only access. A share link lives only as long as the key it was derived with:
  after SECRET_KEY is rotated, a link from the old key opens (and shows on the owner's page)
  while the old key is in SECRET_KEY_FALLBACKS, and is dead everywhere once it is not; the
  owner's page then says sharing is off and offers a new link. Edit links do not depend on
  SECRET_KEY at all.
- Lookups hash the presented token and compare hashes in the database; unknown, malformed and
  revoked tokens all raise the same Http404.
"""

import secrets
from typing import Any

from django.db.models import F
from django.http import Http404

from advisor.assessments.models import Assessment
from advisor.assessments.tokens import (
    current_share_token,
    derive_share_token,
    new_token,
    token_hash,
    well_formed,
)


def _not_found() -> Http404:
    # One message for every failure, so a response never tells which check failed.
    return Http404("No assessment at this address.")


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
    if not well_formed(token):
        raise _not_found()
    try:
        assessment = Assessment.objects.get(edit_token_hash=token_hash(token))
    except Assessment.DoesNotExist:
        raise _not_found() from None
    assessment.edit_token = token
    return assessment


def assessment_for_share(token: str) -> Assessment:
    if not well_formed(token):
        raise _not_found()
    try:
        assessment = Assessment.objects.get(share_token_hash=token_hash(token))
    except Assessment.DoesNotExist:
        raise _not_found() from None
    # Derived with a key the site no longer holds: dead, as the owner's page says.
    live = current_share_token(assessment)
    if live is None or not secrets.compare_digest(live, token):
        raise _not_found()
    return assessment


def assessments_for_owner_tokens(tokens: list[str]) -> list[Assessment]:
    """The assessments these edit tokens open, in the order given; dead tokens are skipped."""
    by_hash = {token_hash(t): t for t in tokens if well_formed(t)}
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
