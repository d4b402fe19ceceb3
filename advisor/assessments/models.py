import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

# Sent with `assessment=` after a result was saved (completed or re-run); the PDF listens.
result_saved = Signal()


class Assessment(models.Model):
    """One founder's interview: the answers so far and, once assessed, the result snapshot.

    Nobody signs in. Whoever holds the edit link owns the assessment; the share link shows the
    result read-only. Both links carry a random token of which only a SHA-256 hash is stored here
    (see advisor.assessments.links).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    # For internal references (logs, support, derived share tokens); never a sequential id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # The answers-v1 document as entered so far: only questions answered with a value.
    answers = models.JSONField(default=dict, blank=True)
    # Question ids answered "I don't know": left out of `answers` so the engine's default applies.
    unknown = models.JSONField(default=list, blank=True)
    # Slugs of the steps the founder has submitted without errors at least once.
    saved_steps = models.JSONField(default=list, blank=True)

    # What assess() returned, engine_version and prices_as_of included; null until assessed.
    result = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # Every save adds one; a form posted with an older number is stale and rejected.
    revision = models.PositiveIntegerField(default=1)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    edit_token_hash = models.CharField(max_length=64, unique=True)
    # Null while the owner has revoked the share link.
    share_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The share token is derived from public_id and this counter; rotating bumps it.
    share_generation = models.PositiveIntegerField(default=1)

    # Set by advisor.assessments.links when the assessment was looked up (or created) with its
    # edit token, so owner-only templates can build the owner's links. Never stored.
    edit_token: str | None = None

    def __str__(self) -> str:
        return f"{self.project_name} ({self.public_id})"

    @property
    def project_name(self) -> str:
        return (self.answers or {}).get("project_name") or "Untitled assessment"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    @property
    def result_is_outdated(self) -> bool:
        """The answers changed after the stored result was computed."""
        return self.result is not None and self.status == self.Status.DRAFT

    @property
    def share_token(self) -> str | None:
        from advisor.assessments.tokens import current_share_token

        return current_share_token(self)

    @property
    def share_url(self) -> str | None:
        token = self.share_token
        if token is None:
            return None
        return settings.SITE_ORIGIN + reverse("share-result", args=[token])

    @property
    def edit_url(self) -> str | None:
        if not self.edit_token:
            return None
        return settings.SITE_ORIGIN + reverse("assessment-resume", args=[self.edit_token])

    def save_if_current(self, revision: int, **fields: Any) -> bool:
        """Write `fields` only if nobody saved since `revision` was read; one conditional UPDATE,
        so of two concurrent saves from the same revision exactly one wins."""
        fields["updated_at"] = timezone.now()
        updated = Assessment.objects.filter(pk=self.pk, revision=revision).update(
            revision=F("revision") + 1, **fields
        )
        if updated:
            for name, value in fields.items():
                setattr(self, name, value)
            self.revision = revision + 1
        return bool(updated)

    def save_result(self, revision: int, result: dict[str, Any], **fields: Any) -> bool:
        """Store the engine's result as complete (with any other `fields`), like save_if_current.
        The wizard's "see the recommendation" and the API's create and update all go through it."""
        saved = self.save_if_current(
            revision,
            result=result,
            status=self.Status.COMPLETE,
            completed_at=timezone.now(),
            **fields,
        )
        if saved:
            result_saved.send(sender=Assessment, assessment=self)
        return saved

    def snapshot_fields(self) -> dict[str, Any]:
        """What a copy of this assessment starts from."""
        return {
            "answers": dict(self.answers),
            "unknown": list(self.unknown),
            "saved_steps": list(self.saved_steps),
        }


class Variant(models.Model):
    """Marks an assessment as a variant of another: the copy that "Duplicate" made of it.

    Every variant points at the root of its family (a variant of a variant points at the same
    original), so the original and all its variants can be put side by side from any of them.
    """

    original = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="variants")
    variant = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="variant_of")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.variant_id} is a variant of {self.original_id}"


def family_root(assessment: Assessment) -> Assessment:
    """The original an assessment is a variant of, or the assessment itself."""
    link = Variant.objects.filter(variant=assessment).select_related("original").first()
    return link.original if link else assessment


def mark_variant(original: Assessment, copy: Assessment) -> Variant:
    """Record `copy` as a variant of `original`'s family."""
    return Variant.objects.create(original=family_root(original), variant=copy)
