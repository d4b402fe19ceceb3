"""PDFs rendered in the background and kept: the worker, one render per document, the limit on
renders, the bound on stored bytes and a full disk."""

import contextlib
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from advisor.assessments.models import Assessment
from advisor.engine import assess
from advisor.reports import tasks
from advisor.reports.models import StoredPDF
from tests.report_helpers import DOCS, ROOT, completed_assessment

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def pdf_url(assessment: Assessment, which: str = "share") -> str:
    if which == "owner":
        return reverse("assessment-pdf", args=[assessment.edit_token])
    return reverse("share-pdf", args=[assessment.share_token])


def body_of(response) -> bytes:
    return response.getvalue()


def renamed(assessment: Assessment, name: str) -> None:
    """A new result for the assessment, as a re-run or a changed answer gives: a new document."""
    answers = {**assessment.answers, "project_name": name}
    Assessment.objects.filter(pk=assessment.pk).update(
        answers=answers, result=assess(answers), revision=assessment.revision + 1
    )
    assessment.refresh_from_db()


@pytest.fixture
def queued(settings):
    """Renders are queued in the database for a worker, as in production, not run at once."""
    settings.TASKS = DB_BACKEND
    return settings


def database_url() -> str:
    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    user = quote(config["USER"] or "", safe="")
    password = quote(config["PASSWORD"] or "", safe="")
    host = config["HOST"] or "localhost"
    port = config["PORT"] or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{config['NAME']}"


def run_worker(storage: Path) -> subprocess.CompletedProcess:
    """The real worker, in its own process, on the test database: renders what is queued and
    exits."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=database_url(),
        PDF_STORAGE_DIR=str(storage),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    return subprocess.run(
        [*command, "--no-reload"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# ---------------------------------------------------------------------------------------------
# The worker


@pytest.mark.django_db(transaction=True)
def test_completing_queues_the_pdf_and_the_worker_process_renders_it(client, queued):
    assessment = completed_assessment(result=None, status=Assessment.Status.DRAFT)
    assert assessment.save_result(assessment.revision, assess(DOCS))
    assert DBTaskResult.objects.count() == 1  # queued by the save itself

    waiting = client.get(pdf_url(assessment))
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "2"
    page = waiting.content.decode()
    assert "Preparing your PDF" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'hx-get="{pdf_url(assessment)}"' in page and 'hx-trigger="every 2s"' in page
    assert DBTaskResult.objects.count() == 1  # asking again queues nothing more

    worker = run_worker(queued.PDF_STORAGE_DIR)
    assert worker.returncode == 0, worker.stderr

    stored = StoredPDF.objects.get()
    assert stored.state == StoredPDF.State.READY and stored.path.is_file()
    downloaded = client.get(pdf_url(assessment, "owner"))
    assert downloaded.status_code == 200
    assert downloaded.streaming
    assert (
        downloaded["Content-Disposition"]
        == f'attachment; filename="docs-assistant-{assessment.completed_at.date().isoformat()}.pdf"'
    )
    body = body_of(downloaded)
    assert body == stored.path.read_bytes()
    assert "Docs assistant" in PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_progress_check_from_htmx_sends_the_browser_to_the_file_once_ready(client, queued):
    assessment = completed_assessment()
    htmx = {"HTTP_HX_REQUEST": "true"}
    fragment = client.get(pdf_url(assessment), **htmx)
    assert fragment.status_code == 202
    assert fragment.content.decode().lstrip().startswith('<div id="pdf-status"')
    assert run_worker(queued.PDF_STORAGE_DIR).returncode == 0
    ready = client.get(pdf_url(assessment), **htmx)
    assert ready.status_code == 204
    assert ready["HX-Redirect"] == pdf_url(assessment)


@pytest.mark.django_db
def test_a_rerun_that_is_kept_queues_the_new_pdf(
    client, queued, django_capture_on_commit_callbacks
):
    assessment = completed_assessment()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment-rerun-keep", args=[assessment.edit_token]),
            {"revision": assessment.revision},
        )
    assert response.status_code == 302
    assert StoredPDF.objects.filter(assessment=assessment).count() == 1
    assert DBTaskResult.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# One render at a time per document


@pytest.mark.django_db
def test_many_downloads_of_a_document_being_rendered_queue_one_render(client, queued):
    assessment = completed_assessment()
    statuses = {client.get(pdf_url(assessment, which)).status_code for which in ["share"] * 10}
    statuses |= {client.get(pdf_url(assessment, "owner")).status_code}
    assert statuses == {202}
    assert StoredPDF.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_two_requests_that_race_for_a_new_document_queue_it_once(queued):
    assessment = completed_assessment()
    first = tasks.request_render(assessment)
    # The second read the table before the first inserted: it finds no row, and the unique key
    # turns its insert into a wait for the first one's render.
    original = StoredPDF.objects.filter

    class Unlucky:
        def __init__(self, *args, **kwargs):
            self.args, self.kwargs = args, kwargs

        def first(self):
            return None

    StoredPDF.objects.filter = lambda *a, **k: Unlucky(*a, **k) if "key" in k else original(*a, **k)
    try:
        second = tasks.request_render(assessment)
    finally:
        StoredPDF.objects.filter = original
    assert second.pk == first.pk
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_a_render_lost_with_its_worker_is_queued_again_later(client, queued):
    assessment = completed_assessment()
    client.get(pdf_url(assessment))
    StoredPDF.objects.update(requested_at=StoredPDF.objects.get().requested_at.replace(year=2000))
    assert client.get(pdf_url(assessment)).status_code == 202
    assert DBTaskResult.objects.count() == 2
    assert StoredPDF.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# A limit on renders per link


@pytest.mark.django_db
def test_new_renders_through_one_link_are_limited_with_a_clear_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pdf-render": (3, 3600)}
    assessment = completed_assessment()
    for round_ in range(3):
        renamed(assessment, f"Harmless change {round_}")
        assert client.get(pdf_url(assessment)).status_code == 200
    renamed(assessment, "One change too many")
    refused = client.get(pdf_url(assessment, "owner"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["Cache-Control"] == "no-store"
    page = refused.content.decode()
    assert "Too many new PDFs for this assessment" in page
    assert "Every PDF already made still downloads" in page
    assert StoredPDF.objects.count() == 3
    # A PDF already made is not a new render: it still downloads.
    earlier = StoredPDF.objects.order_by("pk").last()
    assert earlier.path.is_file()
    # Another assessment has its own count.
    assert client.get(pdf_url(completed_assessment())).status_code == 200


# ---------------------------------------------------------------------------------------------
# Stored PDFs bounded in size, least recently used dropped first


@pytest.mark.django_db
def test_stored_pdfs_stay_within_their_bound_dropping_the_least_recently_used(client, settings):
    first = completed_assessment({**DOCS, "project_name": "First"})
    assert client.get(pdf_url(first)).status_code == 200
    size = StoredPDF.objects.get().size
    settings.PDF_STORAGE_MAX_BYTES = int(size * 2.5)  # room for two

    second = completed_assessment({**DOCS, "project_name": "Second"})
    assert client.get(pdf_url(second)).status_code == 200
    # The first was downloaded again later than the second was made.
    StoredPDF.objects.filter(assessment=second).update(
        last_used_at=StoredPDF.objects.get(assessment=first).last_used_at.replace(year=2001)
    )
    third = completed_assessment({**DOCS, "project_name": "Third"})
    assert client.get(pdf_url(third)).status_code == 200

    kept = set(StoredPDF.objects.values_list("assessment__answers__project_name", flat=True))
    assert kept == {"First", "Third"}
    files = sorted(p.name for p in Path(settings.PDF_STORAGE_DIR).iterdir())
    assert files == sorted(row.path.name for row in StoredPDF.objects.all())
    assert tasks.stored_bytes() <= settings.PDF_STORAGE_MAX_BYTES
    # The dropped one renders again when asked for.
    assert client.get(pdf_url(second)).status_code == 200


@pytest.mark.django_db
def test_a_download_marks_its_pdf_as_recently_used_at_most_once_a_minute(client):
    assessment = completed_assessment()
    client.get(pdf_url(assessment))
    StoredPDF.objects.update(last_used_at=StoredPDF.objects.get().last_used_at.replace(year=2001))
    body_of(client.get(pdf_url(assessment)))
    touched = StoredPDF.objects.get().last_used_at
    assert touched.year > 2001
    body_of(client.get(pdf_url(assessment)))
    assert StoredPDF.objects.get().last_used_at == touched


@pytest.mark.django_db
def test_deleting_an_assessment_deletes_its_stored_pdf_files(client):
    assessment = completed_assessment()
    client.get(pdf_url(assessment))
    path = StoredPDF.objects.get().path
    assert path.is_file()
    assessment.delete()
    assert not path.exists()
    assert not StoredPDF.objects.exists()


# ---------------------------------------------------------------------------------------------
# A full disk


@contextlib.contextmanager
def small_filesystem(size: str):
    """A real filesystem of `size` (tmpfs), so writes past it fail as on a full disk."""
    mountpoint = Path("/tmp") / f"advisor-full-{uuid.uuid4().hex}"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        mountpoint.rmdir()
        pytest.skip("needs root to mount a small filesystem: " + mounted.stderr.decode())
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)
        mountpoint.rmdir()


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with contextlib.suppress(OSError), filler.open("wb", buffering=0) as file:
        while True:
            file.write(b"\0" * 4096)
    return filler


@pytest.mark.django_db
def test_a_full_disk_answers_503_with_retry_after_and_loses_nothing(client, settings, monkeypatch):
    with small_filesystem("4m") as disk:
        settings.PDF_STORAGE_DIR = disk
        kept = completed_assessment()
        before = body_of(client.get(pdf_url(kept)))
        filler = fill(disk)

        newer = completed_assessment({**DOCS, "project_name": "After the disk filled"})
        refused = client.get(pdf_url(newer))
        assert refused.status_code == 503
        assert refused["Retry-After"] == str(tasks.RETRY_FAILED_AFTER)
        assert "no space left" in refused.content.decode()
        assert StoredPDF.objects.get(assessment=newer).failure == StoredPDF.Failure.DISK_FULL

        # Nothing saved before is lost: the answers, the result, the PDF already stored.
        newer.refresh_from_db()
        assert newer.result is not None
        assert body_of(client.get(pdf_url(kept))) == before
        assert sorted(p.name for p in disk.iterdir()) == sorted(
            ["filler", StoredPDF.objects.get(assessment=kept).path.name]
        )  # no half-written file left behind

        # Once there is room again the PDF is made.
        filler.unlink()
        monkeypatch.setattr(tasks, "RETRY_FAILED_AFTER", 0)
        time.sleep(0.01)
        assert body_of(client.get(pdf_url(newer))).startswith(b"%PDF-")
