"""Deleting an assessment: asked first, and afterwards nothing of it is left to find."""

from pathlib import Path

import pytest
from django.urls import reverse

from advisor.assessments.models import Assessment
from advisor.assessments.remembered import remembered_tokens
from advisor.reports.models import StoredPDF
from tests.report_helpers import completed_assessment
from tests.wizard_steps import post_step

pytestmark = pytest.mark.django_db


def delete_url(assessment: Assessment) -> str:
    return reverse("assessment-delete", args=[assessment.edit_token])


def stored_pdfs_of(assessment: Assessment) -> list[Path]:
    """The PDF files kept for an assessment (rows and files on disk)."""
    rows = StoredPDF.objects.filter(assessment_id=assessment.pk)
    return [row.path for row in rows if row.path.is_file()]


def test_the_delete_page_asks_first_and_changes_nothing(client):
    assessment = completed_assessment()
    response = client.get(delete_url(assessment))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Delete this assessment?" in body
    assert "every saved revision, the stored result and any PDFs" in body
    assert f'action="{delete_url(assessment)}"' in body
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_deleting_removes_the_answers_the_result_and_the_stored_pdfs(client):
    keep = completed_assessment()
    assessment = completed_assessment()
    client.get(reverse("assessment-resume", args=[assessment.edit_token]))  # remembered
    post_step(client, assessment, "product", project_name="Docs assistant v2")  # a revision
    assessment.refresh_from_db()
    for owner in (assessment, keep):
        client.get(reverse("assessment-pdf", args=[owner.edit_token]))  # rendered and stored
    files = stored_pdfs_of(assessment)
    assert files and stored_pdfs_of(keep)

    response = client.post(delete_url(assessment))

    assert response.status_code == 302
    assert response.url == reverse("assessment-deleted")
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert stored_pdfs_of(assessment) == [] and not any(path.exists() for path in files)
    assert stored_pdfs_of(keep) != []  # other assessments keep theirs
    request = response.wsgi_request
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    assert assessment.edit_token not in remembered_tokens(request)
    page = client.get(response.url)
    assert "Assessment deleted" in page.content.decode()


def test_a_deleted_assessments_links_answer_like_any_unknown_link(client):
    assessment = completed_assessment()
    edit, share = assessment.edit_token, assessment.share_token
    client.post(delete_url(assessment))

    urls = [
        reverse("assessment-resume", args=[edit]),
        reverse("assessment-result", args=[edit]),
        reverse("assessment-pdf", args=[edit]),
        reverse("share-result", args=[share]),
        reverse("share-pdf", args=[share]),
        reverse("share-result", args=["x" * 43]),
    ]
    responses = [client.get(url) for url in urls]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1
    assert client.post(delete_url(assessment)).status_code == 404  # nothing left to delete
