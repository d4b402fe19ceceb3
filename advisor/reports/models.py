"""What the reports keep: saved comparisons, and rendered PDFs between downloads (one row per
distinct document, the bytes in a file)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from advisor.assessments.models import Assessment


class Comparison(models.Model):
    """A saved side-by-side of an assessment with some variants, with its own share link.

    `members` lists what stands beside the assessment, each one of:
    - {"kind": "variant", "id": <public id>}: a variant in the assessment's family (made with
      Duplicate); shown while it is one and has a result.
    - {"kind": "shared", "id": <public id>, "generation": <share generation>}: an assessment whose
      share link was pasted; shown only while that same share link is live, so revoking or
      rotating it takes it out of every comparison too.
    - {"kind": "what_if", "question": <question id>, "changes": {question id: value}}: the
      assessment's stored answers with those answers changed, assessed afresh on each view.

    The share token is derived like an assessment's (advisor.assessments.tokens) from this
    comparison's own public id and generation; only its hash is stored.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comparisons")
    members = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Null while the owner has revoked the share link.
    share_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    share_generation = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Comparison {self.public_id}"

    @property
    def share_token(self) -> str | None:
        from advisor.reports.comparisons import current_share_token

        return current_share_token(self)

    @property
    def share_url(self) -> str | None:
        token = self.share_token
        if token is None:
            return None
        return settings.SITE_ORIGIN + reverse("comparison-share", args=[token])

    def owner_url(self, edit_token: str) -> str:
        return reverse("comparison-owner", args=[edit_token, self.public_id])


class StoredPDF(models.Model):
    """One PDF document of an assessment's stored result.

    `key` is a digest of everything the document depends on (the result, the answers it was
    computed from, the layout, the share link printed in the footer), so a save that changes
    none of these finds the PDF already made. The unique key is also what keeps renders to one
    at a time per document: whoever inserts the row queues the render, everyone else waits for
    it. The bytes live in `path` (under settings.PDF_STORAGE_DIR), written whole or not at all.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Queued or rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class Failure(models.TextChoices):
        NONE = "", "None"
        DISK_FULL = "disk_full", "No space left to store it"
        ERROR = "error", "The render failed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="pdfs")
    key = models.CharField(max_length=64, unique=True)
    revision = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    failure = models.CharField(max_length=10, choices=Failure, blank=True, default="")
    # The download's file name (ASCII letters, digits and hyphens, from the report).
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched by downloads (at most once a minute each), for dropping the least recently used.
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["state", "last_used_at"], name="storedpdf_lru")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def path(self) -> Path:
        # Only the hex digest names the file: nothing a founder typed reaches the path.
        return Path(settings.PDF_STORAGE_DIR) / f"{self.key}.pdf"


@receiver(post_delete, sender=StoredPDF)
def _remove_file(sender: type, instance: StoredPDF, **kwargs: object) -> None:
    """A row deleted (evicted, or its assessment deleted) takes its file with it."""
    instance.path.unlink(missing_ok=True)
