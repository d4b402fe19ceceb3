import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

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
