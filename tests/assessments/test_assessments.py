import re

import pytest
from django.test import Client
from django.urls import reverse

from advisor.assessments import links as access
from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.assessments.remembered import REMEMBER_COOKIE
from tests.wizard_steps import STEP_DATA, fill_every_step, post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(client) -> Assessment:
    assessment = create_assessment()
    fill_every_step(client, assessment)
    client.post(check_url(assessment), {"revision": assessment.revision})
    assessment.refresh_from_db()
    return assessment


def check_url(assessment: Assessment) -> str:
    return reverse("assessment-check", args=[assessment.edit_token])


def started(client: Client) -> Assessment:
    response = client.post(reverse("assessment-start"))
    return access.assessment_for_owner(response.url.split("/")[2])


# Stale saves


def test_a_save_from_an_older_revision_is_refused_with_409_and_the_newer_data_kept(client):
    assessment = create_assessment()
    url = step_url(assessment.edit_token, "product")
    stale_page = {**STEP_DATA["product"], "revision": "1"}
    client.post(url, {**stale_page, "problem_type": "behavior"})  # the other tab saves first

    response = client.post(url, {**stale_page, "problem_type": "both"})

    assessment.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 409
    assert "This assessment was changed in another tab or window" in body
    assert f'href="{url}"' in body  # reload the current version
    assert assessment.answers["problem_type"] == "behavior"
    assert assessment.revision == 2


def test_a_stale_save_is_refused_even_when_the_form_is_invalid(client):
    assessment = create_assessment()
    post_step(client, assessment, "product")

    response = client.post(
        step_url(assessment.edit_token, "constraints"), {"revision": "1", "monthly_queries": "x"}
    )

    assert response.status_code == 409


def test_a_save_without_a_revision_is_refused(client):
    assessment = create_assessment()
    data = {k: v for k, v in STEP_DATA["product"].items()}

    response = client.post(step_url(assessment.edit_token, "product"), data)

    assert response.status_code == 409
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_htmx_gets_the_conflict_message_as_a_wizard_fragment(client):
    assessment = create_assessment()
    post_step(client, assessment, "product")
    headers = {"HX-Request": "true", "HX-Target": "wizard"}

    response = client.post(
        step_url(assessment.edit_token, "product"),
        {**STEP_DATA["product"], "revision": "1"},
        headers=headers,
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert 'id="wizard"' in body and "<html" not in body
    assert response.headers["HX-Push-Url"] == "false"


def test_of_two_saves_from_the_same_revision_exactly_one_wins():
    assessment = create_assessment()
    first = Assessment.objects.get(pk=assessment.pk)
    second = Assessment.objects.get(pk=assessment.pk)

    won_first = first.save_if_current(1, answers={"stage": "idea"})
    won_second = second.save_if_current(1, answers={"stage": "production"})

    assessment.refresh_from_db()
    assert (won_first, won_second) == (True, False)
    assert assessment.answers == {"stage": "idea"}
    assert assessment.revision == 2


def test_running_the_check_from_a_stale_page_is_refused(client, finished):
    stale = finished.revision
    post_step(client, finished, "constraints", monthly_queries="999")

    response = client.post(check_url(finished), {"revision": stale})

    finished.refresh_from_db()
    assert response.status_code == 409
    assert finished.status == "draft"  # the edit stands; the old page did not overwrite it


# Duplicate


def test_duplicating_copies_the_answers_under_new_links(client, finished):
    response = client.post(reverse("assessment-duplicate", args=[finished.edit_token]))

    copy = Assessment.objects.exclude(pk=finished.pk).get()
    assert response.status_code == 302
    token = response.url.split("/")[2]
    assert response.url == reverse("assessment-check", args=[token])
    assert access.assessment_for_owner(token).pk == copy.pk
    assert token != finished.edit_token
    assert copy.share_token_hash != finished.share_token_hash
    assert copy.public_id != finished.public_id
    assert copy.answers == {**finished.answers, "project_name": "Docs assistant (copy)"}
    assert copy.unknown == finished.unknown
    assert copy.status == "draft" and copy.result is None
    assert client.get(response.url).status_code == 200


def test_the_copy_is_remembered_in_this_browser(client, finished):
    client.post(reverse("assessment-duplicate", args=[finished.edit_token]))

    body = client.get(reverse("assessment-list")).content.decode()

    assert "Docs assistant (copy)" in body


def test_a_copy_of_a_long_name_still_fits():
    assessment = create_assessment(answers={"project_name": "n" * 120})
    client = Client()

    client.post(reverse("assessment-duplicate", args=[assessment.edit_token]))

    copy = Assessment.objects.exclude(pk=assessment.pk).get()
    assert len(copy.answers["project_name"]) == 120
    assert copy.answers["project_name"].endswith(" (copy)")


def test_duplicating_needs_a_post(client, finished):
    response = client.get(reverse("assessment-duplicate", args=[finished.edit_token]))

    assert response.status_code == 405
    assert Assessment.objects.count() == 1


# Re-run


def pretend_stored_by_an_older_engine(assessment: Assessment) -> None:
    old = {
        **assessment.result,
        "engine_version": "2020.1.0",
        "prices_as_of": "2020-01-01",
        "approach": "fine_tuning",
        "approach_label": "Fine-tuning",
        "confidence": 0.5,
    }
    Assessment.objects.filter(pk=assessment.pk).update(result=old)
    assessment.refresh_from_db()


def test_rerunning_shows_what_changed_without_saving_anything(client, finished):
    pretend_stored_by_an_older_engine(finished)

    response = client.post(reverse("assessment-rerun", args=[finished.edit_token]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Fine-tuning" in body and "Retrieval (RAG)" in body
    assert "2020.1.0" in body and "2020-01-01" in body
    assert body.count("is-changed") >= 4
    assert "Keep the new result" in body
    finished.refresh_from_db()
    assert finished.result["engine_version"] == "2020.1.0"


def test_keeping_the_rerun_replaces_the_stored_result(client, finished):
    pretend_stored_by_an_older_engine(finished)

    response = client.post(
        reverse("assessment-rerun-keep", args=[finished.edit_token]),
        {"revision": finished.revision},
    )

    finished.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("assessment-result", args=[finished.edit_token])
    assert finished.result["engine_version"] != "2020.1.0"
    assert finished.result["approach"] == "rag"
    assert finished.status == "complete"


def test_keeping_a_rerun_from_a_stale_page_is_refused(client, finished):
    pretend_stored_by_an_older_engine(finished)
    stale = finished.revision
    post_step(client, finished, "product", stage="production")

    response = client.post(
        reverse("assessment-rerun-keep", args=[finished.edit_token]), {"revision": stale}
    )

    finished.refresh_from_db()
    assert response.status_code == 409
    assert finished.result["engine_version"] == "2020.1.0"


def test_rerunning_an_unfinished_assessment_goes_to_its_check_page(client):
    assessment = create_assessment()

    response = client.post(reverse("assessment-rerun", args=[assessment.edit_token]))

    assert response.url == check_url(assessment)


# Your assessments


def test_this_browser_lists_the_assessments_it_started_newest_first(client):
    first = started(client)
    post_step(client, first, "product", project_name="First idea")
    second = started(client)
    post_step(client, second, "product", project_name="Second idea")

    body = client.get(reverse("assessment-list")).content.decode()

    assert body.index("Second idea") < body.index("First idea")
    assert reverse("assessment-resume", args=[first.edit_token]) in body
    home = client.get(reverse("home")).content.decode()
    assert "Your assessments" in home and "Second idea" in home


def test_the_list_cookie_is_signed_http_only_and_same_site(client):
    client.post(reverse("assessment-start"))

    cookie = client.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"]


def test_the_list_cookie_is_secure_in_production(client, settings):
    settings.SESSION_COOKIE_SECURE = True

    client.post(reverse("assessment-start"))

    assert client.cookies[REMEMBER_COOKIE]["secure"]


def test_another_browser_sees_an_empty_list(client):
    started(client)

    body = Client().get(reverse("assessment-list")).content.decode()

    assert "No assessments in this browser yet" in body
    assert "Your assessments" not in Client().get(reverse("home")).content.decode()


def test_a_tampered_list_cookie_is_ignored(client):
    assessment = create_assessment()
    client.cookies[REMEMBER_COOKIE] = assessment.edit_token  # unsigned

    body = client.get(reverse("assessment-list")).content.decode()

    assert assessment.edit_token not in body


def test_opening_a_private_link_remembers_it_in_this_browser(client):
    assessment = create_assessment()
    other_browser = Client()

    other_browser.get(reverse("assessment-resume", args=[assessment.edit_token]))

    body = other_browser.get(reverse("assessment-list")).content.decode()
    assert reverse("assessment-resume", args=[assessment.edit_token]) in body


def test_the_list_keeps_the_twenty_most_recent(client):
    for _ in range(23):
        client.post(reverse("assessment-start"))

    body = client.get(reverse("assessment-list")).content.decode()
    assert body.count('class="assessment-list-item"') == 20


def test_an_assessment_can_be_removed_from_the_list(client):
    assessment = started(client)

    client.post(reverse("assessment-forget"), {"token": assessment.edit_token})

    body = client.get(reverse("assessment-list")).content.decode()
    assert assessment.edit_token not in body
    assert Assessment.objects.filter(pk=assessment.pk).exists()  # only forgotten here


def test_listing_many_assessments_takes_one_query(client, django_assert_num_queries):
    for _ in range(10):
        client.post(reverse("assessment-start"))

    with django_assert_num_queries(1):
        response = client.get(reverse("assessment-list"))
    assert response.status_code == 200
    # Every one of the ten is listed, each with a link that opens that assessment.
    tokens = set(re.findall(r'href="/a/([A-Za-z0-9_-]{20,})/"', response.content.decode()))
    assert len(tokens) == 10
    assert {access.assessment_for_owner(t).pk for t in tokens} == set(
        Assessment.objects.values_list("pk", flat=True)
    )


# Queries per page


def test_a_step_page_takes_one_query_and_a_save_two(client, django_assert_num_queries):
    assessment = started(client)

    with django_assert_num_queries(1):
        page = client.get(step_url(assessment.edit_token, "data"))
    assert page.status_code == 200
    assert 'name="data_change_frequency"' in page.content.decode()
    with django_assert_num_queries(2):
        post_step_data = {**STEP_DATA["product"], "revision": "1"}
        response = client.post(step_url(assessment.edit_token, "product"), post_step_data)
    assert response.status_code == 302
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.revision == 2
    assert saved.answers["project_name"] == "Docs assistant"
    assert saved.answers["problem_type"] == "knowledge"
    assert "prompting_result" in saved.unknown  # "I don't know" is kept as such
