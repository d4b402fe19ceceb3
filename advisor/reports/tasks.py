"""PDFs rendered in the background and kept as files, bounded in number of renders and in size.

A download never renders. It asks `request_render` for the assessment's document:

- already stored: the view streams the file;
- queued or rendering: the view shows a progress page that checks again;
- not yet asked for: a row is inserted (its unique key makes this happen once per document,
  however many requests race) and `render_document` is queued on Django's tasks framework,
  whose database backend's worker (`manage.py db_worker`) renders it. Completing or re-running
  an assessment queues its PDF straight away, so it is usually ready before anyone asks.

Bounds: each assessment may queue at most settings.RATE_LIMITS["pdf-render"] new renders per
window (beyond that the download answers 429); the stored files together stay under
settings.PDF_STORAGE_MAX_BYTES, the least recently used dropped first; a render that finds no
space left is recorded as such (the download answers 503 with Retry-After) and leaves every
file already stored untouched, since files are written to a temporary name and renamed whole.
"""

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.tasks import task
from django.utils import timezone

from advisor.assessments.models import Assessment
from advisor.reports import pdf
from advisor.reports.context import Report, assessed_doc, render_key
from advisor.reports.models import StoredPDF
from advisor.web import ratelimit

logger = logging.getLogger(__name__)

DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
# How long a failed render answers 503 before a download may queue it again.
RETRY_FAILED_AFTER = 30
# Downloads record their use at most this often, so a repeat download writes nothing.
TOUCH_EVERY = dt.timedelta(seconds=60)


class RenderLimited(Exception):
    """This assessment queued as many renders as its window allows."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many PDF renders; retry in {retry_after} s")
        self.retry_after = retry_after


# ---------------------------------------------------------------------------------------------
# What a document depends on


def document_key(assessment: Assessment, today: dt.date) -> str:
    """A digest of everything the PDF shows: the stored result, the answers it was computed
    from, the date it carries, the share link in its footer and the layout. Kept per revision
    in each process, so a repeat download does not hash the result again."""
    sharing = f"{assessment.share_generation}:{int(bool(assessment.share_token_hash))}"
    memo = f"pdf-key:{pdf.LAYOUT_VERSION}:{render_key(assessment, today)}:{sharing}"
    renders = caches["renders"]
    key = renders.get(memo)
    if key is None:
        result = assessment.result or {}
        outdated = assessment.result_is_outdated
        completed = assessment.completed_at
        content = {
            "layout": pdf.LAYOUT_VERSION,
            "result": result,
            "answers": assessed_doc(result) if outdated else assessment.answers,
            "unknown": list(assessment.unknown or ()),
            "date": (timezone.localdate(completed) if completed else today).isoformat(),
            "assessment": str(assessment.public_id),
            "sharing": sharing,
        }
        encoded = json.dumps(content, sort_keys=True, default=str).encode()
        key = hashlib.sha256(encoded).hexdigest()
        renders.set(memo, key)
    return key


# ---------------------------------------------------------------------------------------------
# Asking for a document


def _is_stale(row: StoredPDF, now: dt.datetime) -> bool:
    if row.state == StoredPDF.State.PENDING:
        return now - row.requested_at > dt.timedelta(seconds=settings.PDF_RENDER_STALE_SECONDS)
    if row.state == StoredPDF.State.FAILED:
        return now - (row.finished_at or row.requested_at) > dt.timedelta(
            seconds=RETRY_FAILED_AFTER
        )
    return not row.path.is_file()  # ready, but the file went (removed by hand, or evicted)


def _count_render(assessment: Assessment) -> None:
    limit, window = settings.RATE_LIMITS["pdf-render"]
    if limit:
        retry_after = ratelimit.hit("pdf-render", str(assessment.public_id), limit, window)
        if retry_after:
            raise RenderLimited(retry_after)


def request_render(assessment: Assessment, today: dt.date | None = None) -> StoredPDF:
    """The stored PDF of this assessment's result, queuing its render when there is none.

    Raises RenderLimited when a render is needed but the assessment has used up its renders,
    and lets the database's errors through (a full disk among them) for the caller to answer.
    """
    today = today or timezone.localdate()
    key = document_key(assessment, today)
    row = StoredPDF.objects.filter(key=key).first()
    now = timezone.now()
    if row is not None and not _is_stale(row, now):
        return row
    _count_render(assessment)
    if row is None:
        try:
            with transaction.atomic():
                row = StoredPDF.objects.create(
                    assessment=assessment, key=key, revision=assessment.revision
                )
        except IntegrityError:  # another request inserted it first: its render is queued
            return StoredPDF.objects.get(key=key)
    else:
        # Queue it again only if nobody else did since we read it.
        claimed = StoredPDF.objects.filter(
            pk=row.pk, state=row.state, requested_at=row.requested_at
        ).update(state=StoredPDF.State.PENDING, failure="", requested_at=now, finished_at=None)
        row.refresh_from_db()
        if not claimed:
            return row
    render_document.enqueue(row.pk, today.isoformat())
    row.refresh_from_db()
    return row


def render_when_saved(sender: Any, assessment: Assessment, **kwargs: Any) -> None:
    """Queues the PDF of a result just saved (completed or re-run), once that save is committed.
    Never fails the save: a limit reached or a full disk only means the download renders later
    or says why it cannot."""

    def queue() -> None:
        try:
            with transaction.atomic():
                request_render(assessment)
        except RenderLimited:
            pass
        except Exception:
            logger.exception("Could not queue the PDF of assessment %s", assessment.public_id)

    transaction.on_commit(queue)


def touch(row: StoredPDF) -> None:
    """Records a download for the least-recently-used order, at most once a minute."""
    now = timezone.now()
    if now - row.last_used_at > TOUCH_EVERY:
        with contextlib.suppress(Exception):  # a read must not fail for want of a write
            StoredPDF.objects.filter(pk=row.pk).update(last_used_at=now)


# ---------------------------------------------------------------------------------------------
# The background render


def write_file(path: Path, body: bytes) -> None:
    """Writes `body` to `path` whole or not at all: a temporary file in the same folder,
    flushed to disk, then renamed over the name. On any error the temporary file goes and
    nothing else is touched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".render-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(body)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def stored_bytes() -> int:
    ready = StoredPDF.objects.filter(state=StoredPDF.State.READY)
    return ready.aggregate(total=Sum("size"))["total"] or 0


def evict(keep: int | None = None) -> int:
    """Drops the least recently used stored PDFs until the total is within the bound; returns
    how many went. `keep` (a row id) is never dropped: the render that just finished."""
    limit = settings.PDF_STORAGE_MAX_BYTES
    total = stored_bytes()
    dropped = 0
    if total <= limit:
        return 0
    oldest = StoredPDF.objects.filter(state=StoredPDF.State.READY).exclude(pk=keep)
    for row in oldest.order_by("last_used_at", "pk").only("pk", "key", "size"):
        if total <= limit:
            break
        row.delete()  # and its file, through the post_delete signal
        total -= row.size
        dropped += 1
    return dropped


def _finish(row: StoredPDF, **fields: Any) -> None:
    StoredPDF.objects.filter(pk=row.pk).update(finished_at=timezone.now(), **fields)


@task()
def render_document(pdf_id: int, today: str) -> str:
    """Renders one stored PDF's document and keeps it. Returns what became of it."""
    row = StoredPDF.objects.select_related("assessment").filter(pk=pdf_id).first()
    if row is None:
        return "gone"  # its assessment was deleted, or the row evicted
    if row.state == StoredPDF.State.READY and row.path.is_file():
        return "ready"
    assessment = row.assessment
    day = dt.date.fromisoformat(today)
    if assessment.result is None or document_key(assessment, day) != row.key:
        row.delete()  # the assessment changed since: that document is no longer anyone's
        return "superseded"
    report = Report.from_assessment(assessment, today=day)
    try:
        body = pdf.render_document_bytes(report, assessment.share_url)
        write_file(row.path, body)
    except OSError as error:
        if error.errno in DISK_FULL_ERRNOS:
            logger.error("No space left to store a PDF in %s", settings.PDF_STORAGE_DIR)
            _finish(row, state=StoredPDF.State.FAILED, failure=StoredPDF.Failure.DISK_FULL)
            return "disk full"
        _finish(row, state=StoredPDF.State.FAILED, failure=StoredPDF.Failure.ERROR)
        raise
    except Exception:
        _finish(row, state=StoredPDF.State.FAILED, failure=StoredPDF.Failure.ERROR)
        raise
    _finish(
        row,
        state=StoredPDF.State.READY,
        failure="",
        size=len(body),
        filename=report.filename("pdf"),
        last_used_at=timezone.now(),
    )
    evict(keep=row.pk)
    return "ready"
