"""A save that changes nothing adds no revision and leaves the stored result, and everything
keyed by the revision (rendered reports and PDFs), current."""

import datetime as dt

import pytest

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.reports.tasks import document_key as cache_key
from tests.wizard_steps import STEP_DATA, post_step, step_url

pytestmark = pytest.mark.django_db


def finished(client) -> Assessment:
    """An assessment whose first two steps were saved through the forms, marked complete with a
    stored result (the rest of the interview does not matter to these tests)."""
    assessment = create_assessment()
    for slug in ("product", "behaviour"):
        assert post_step(client, assessment, slug).status_code == 302
    assessment.refresh_from_db()
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.COMPLETE, result={"stored": "result"}
    )
    assessment.refresh_from_db()
    return assessment


def test_saving_unchanged_answers_five_times_adds_no_revision(client):
    assessment = finished(client)
    before = Assessment.objects.get(pk=assessment.pk)
    pdf_key = cache_key(before, dt.date.today())

    for _ in range(5):
        for slug in ("product", "behaviour"):
            response = post_step(client, assessment, slug)
            assert response.status_code == 302

    after = Assessment.objects.get(pk=assessment.pk)
    assert after.revision == before.revision
    assert after.updated_at == before.updated_at
    assert after.status == Assessment.Status.COMPLETE
    assert after.result == before.result
    assert cache_key(after, dt.date.today()) == pdf_key


def test_a_page_opened_before_an_unchanged_save_can_still_save(client):
    assessment = create_assessment()
    post_step(client, assessment, "product")
    assessment.refresh_from_db()
    revision = assessment.revision
    url = step_url(assessment.edit_token, "product")

    other_tab = client.post(url, {**STEP_DATA["product"], "revision": str(revision)})
    this_tab = client.post(
        url, {**STEP_DATA["product"], "project_name": "Renamed", "revision": str(revision)}
    )

    assessment.refresh_from_db()
    assert other_tab.status_code == 302
    assert this_tab.status_code == 302
    assert assessment.answers["project_name"] == "Renamed"
    assert assessment.revision == revision + 1


def test_a_real_change_still_adds_one_revision_and_marks_the_result_outdated(client):
    assessment = finished(client)
    revision = assessment.revision

    response = post_step(client, assessment, "product", project_name="Another name")

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert assessment.revision == revision + 1
    assert assessment.status == Assessment.Status.DRAFT


def test_a_first_save_of_a_step_counts_even_with_the_defaults_unchanged(client):
    assessment = create_assessment()
    post_step(client, assessment, "product")
    assessment.refresh_from_db()
    revision = assessment.revision

    post_step(client, assessment, "behaviour")

    assessment.refresh_from_db()
    assert "behaviour" in assessment.saved_steps
    assert assessment.revision == revision + 1
