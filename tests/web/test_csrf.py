"""Every state-changing request needs the CSRF token, whether a form posts it or htmx sends it in
the X-CSRFToken header; a refused request changes nothing and says so."""

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from advisor.assessments import links as access
from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.assessments.remembered import REMEMBER_COOKIE
from advisor.engine import STEPS, assess
from tests.wizard_steps import FINISHED_ANSWERS, STEP_DATA

pytestmark = pytest.mark.django_db

ANSWERS = FINISHED_ANSWERS


def finished() -> Assessment:
    return create_assessment(
        answers=ANSWERS,
        saved_steps=[step.slug for step in STEPS],
        result=assess(ANSWERS),
        status="complete",
    )


def ready_to_run() -> Assessment:
    return create_assessment(answers=ANSWERS, saved_steps=[step.slug for step in STEPS])


def database_state() -> list[dict]:
    return list(Assessment.objects.order_by("pk").values())


# (what it does, URL and form data for a fresh assessment, the status a valid request gets)
POSTS: dict[str, Callable[[], tuple[str, dict, int]]] = {
    "start": lambda: (reverse("assessment-start"), {}, 302),
    "save a step": lambda: (
        reverse("assessment-step", args=[create_assessment().edit_token, "product"]),
        {**STEP_DATA["product"], "revision": "1"},
        302,
    ),
    "complete": lambda: (
        reverse("assessment-check", args=[(a := ready_to_run()).edit_token]),
        {"revision": a.revision},
        302,
    ),
    "rotate the share link": lambda: (
        reverse("assessment-share-rotate", args=[finished().edit_token]),
        {},
        302,
    ),
    "revoke the share link": lambda: (
        reverse("assessment-share-revoke", args=[finished().edit_token]),
        {},
        302,
    ),
    "duplicate": lambda: (reverse("assessment-duplicate", args=[finished().edit_token]), {}, 302),
    "re-run": lambda: (reverse("assessment-rerun", args=[finished().edit_token]), {}, 200),
    "keep the re-run": lambda: (
        reverse("assessment-rerun-keep", args=[(a := finished()).edit_token]),
        {"revision": a.revision},
        302,
    ),
    "forget": lambda: (
        reverse("assessment-forget"),
        {"token": finished().edit_token},
        302,
    ),
}


def page_token(client: Client) -> str:
    """The token as htmx sends it: from the hx-headers attribute on the page's body."""
    body = client.get("/").content.decode()
    headers = re.search(r"hx-headers='([^']+)'", body).group(1)
    return json.loads(headers)["X-CSRFToken"]


@pytest.mark.parametrize("action", list(POSTS))
def test_a_post_without_the_token_is_refused_and_changes_nothing(action):
    url, data, _ = POSTS[action]()
    client = Client(enforce_csrf_checks=True)
    page_token(client)  # the browser has the cookie; the request lacks the token
    before = database_state()

    plain = client.post(url, data)
    htmx = client.post(url, data, headers={"HX-Request": "true"})
    forged = client.post(url, data, headers={"HX-Request": "true", "X-CSRFToken": "x" * 64})

    assert (plain.status_code, htmx.status_code, forged.status_code) == (403, 403, 403)
    assert database_state() == before
    assert REMEMBER_COOKIE not in plain.cookies


@pytest.mark.parametrize("action", list(POSTS))
def test_a_post_with_the_token_in_the_htmx_header_goes_through(action):
    url, data, expected = POSTS[action]()
    client = Client(enforce_csrf_checks=True)
    token = page_token(client)

    response = client.post(url, data, headers={"HX-Request": "true", "X-CSRFToken": token})

    assert response.status_code == expected


def test_a_refused_htmx_save_says_not_saved_and_brings_a_fresh_token_that_works():
    assessment = create_assessment()
    url = reverse("assessment-step", args=[assessment.edit_token, "product"])
    data = {**STEP_DATA["product"], "revision": "1"}
    client = Client(enforce_csrf_checks=True)  # no cookie yet: as if it had been cleared

    refused = client.post(url, data, headers={"HX-Request": "true", "X-CSRFToken": "stale"})

    assert refused.status_code == 403
    assert b"data-failure-reason" in refused.content
    assert b"<html" not in refused.content
    assert refused["Cache-Control"] == "no-store"
    fresh = refused["X-New-CSRF-Token"]
    retried = client.post(url, data, headers={"HX-Request": "true", "X-CSRFToken": fresh})
    assert retried.status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["project_name"] == "Docs assistant"


def test_a_refused_plain_form_gets_a_friendly_page_that_leads_back_to_the_assessment():
    assessment = create_assessment()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("assessment-check", args=[assessment.edit_token]), {"revision": "1"}
    )

    body = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">Not saved</h1>' in body
    assert "nothing was changed" in body
    assert f'href="/a/{assessment.edit_token}/"' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert access.assessment_for_owner(assessment.edit_token).revision == 1


def test_the_friendly_page_elsewhere_leads_home():
    response = Client(enforce_csrf_checks=True).post(reverse("assessment-start"))

    assert response.status_code == 403
    assert 'href="/"' in response.content.decode()
    assert not Assessment.objects.exists()
