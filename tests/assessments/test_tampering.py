"""Requests a page would never send: steps out of order, results asked for too early, writes to a
read-only link, replayed revisions and made-up tokens. None of them changes anything it should
not, and none of them tells a guesser anything."""

import secrets

import pytest
from django.urls import reverse

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from tests.wizard_steps import STEP_DATA, fill_every_step, post_step, step_url

pytestmark = pytest.mark.django_db


def database_state() -> list[dict]:
    return list(Assessment.objects.order_by("pk").values())


def check_url(token: str) -> str:
    return reverse("assessment-check", args=[token])


@pytest.fixture
def finished(client) -> Assessment:
    assessment = create_assessment()
    fill_every_step(client, assessment)
    client.post(check_url(assessment.edit_token), {"revision": assessment.revision})
    assessment.refresh_from_db()
    assert assessment.status == "complete"
    return assessment


# Steps out of order


def test_a_later_step_may_be_saved_first_but_the_result_waits_for_every_step(client):
    assessment = create_assessment()

    saved = post_step(client, assessment, "costs")
    assert saved.status_code == 302
    post_step(client, assessment, "constraints")
    assessment.refresh_from_db()
    assert assessment.saved_steps == ["costs", "constraints"]

    resume = client.get(reverse("assessment-resume", args=[assessment.edit_token]))
    check = client.get(check_url(assessment.edit_token)).content.decode()
    completing = client.post(check_url(assessment.edit_token), {"revision": assessment.revision})

    assert resume.url == step_url(assessment.edit_token, "product")  # the first one not done
    assert "Not finished" in check and "Get my recommendation" not in check
    assert f'href="{step_url(assessment.edit_token, "product")}' in check
    assert completing.status_code == 200
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.result is None


def test_the_owner_asking_for_an_unfinished_result_is_sent_to_the_first_step_to_do(client):
    assessment = create_assessment()
    post_step(client, assessment, "product")

    response = client.get(reverse("assessment-result", args=[assessment.edit_token]), follow=True)

    assert response.redirect_chain[-1][0] == step_url(assessment.edit_token, "behaviour")
    assert response.status_code == 200


def test_nothing_of_an_unfinished_assessment_is_shared_or_exported(client):
    assessment = create_assessment()
    post_step(client, assessment, "product")
    share = assessment.share_token
    urls = [
        reverse("share-result", args=[share]),
        reverse("share-export", args=[share]),
        reverse("share-pdf", args=[share]),
        reverse("assessment-export", args=[assessment.edit_token]),
        reverse("assessment-pdf", args=[assessment.edit_token]),
    ]

    assert [client.get(url).status_code for url in urls] == [404] * len(urls)


def test_a_step_saved_after_the_result_cannot_sneak_a_bad_value_into_it(client, finished):
    response = post_step(client, finished, "constraints", monthly_queries="-1")

    finished.refresh_from_db()
    assert response.status_code == 200
    assert finished.answers["monthly_queries"] == 15000
    assert finished.status == "complete"


# The share link is read-only


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_to_a_share_link_is_not_allowed_and_changes_nothing(client, finished, method):
    token = finished.share_token
    before = database_state()
    urls = [reverse(name, args=[token]) for name in ("share-result", "share-export", "share-pdf")]

    statuses = [getattr(client, method)(url).status_code for url in urls]

    assert statuses == [405, 405, 405]
    assert database_state() == before


# Replayed revisions


def test_replaying_an_old_revision_is_refused_everywhere_and_changes_nothing(client, finished):
    old = finished.revision - 1
    before = database_state()
    token = finished.edit_token

    responses = [
        client.post(step_url(token, "product"), {**STEP_DATA["product"], "revision": old}),
        client.post(check_url(token), {"revision": old}),
        client.post(reverse("assessment-rerun-keep", args=[token]), {"revision": old}),
        client.post(step_url(token, "data"), {**STEP_DATA["data"], "revision": old, "go": "back"}),
        client.post(check_url(token), {"revision": str(10**30)}),
        client.post(check_url(token), {"revision": "-1"}),
        client.post(check_url(token), {}),
    ]

    assert [r.status_code for r in responses] == [409] * len(responses)
    assert database_state() == before


# Tokens nobody was given

BAD_TOKENS = [
    secrets.token_urlsafe(32),  # well formed, unknown
    secrets.token_urlsafe(32)[:-1] + "!",
    "a" * 5000,
    "é" * 43,
    "токен",
    "..",
    "%2e%2e",
    "..%2F..%2Fadvisor",
    "%00",
    "null",
    " " * 43,
    "A" * 42,
]


def token_urls(token: str) -> list[tuple[str, str]]:
    owner = [
        "",
        "step/product/",
        "step/nonsense/",
        "check/",
        "share/",
        "rerun/",
        "result/",
        "export.json",
        "report.pdf",
    ]
    owner_posts = ["step/product/", "check/", "share/rotate/", "share/revoke/", "duplicate/"]
    owner_posts.append("rerun/keep/")
    share = ["", "export.json", "report.pdf"]
    return (
        [("get", f"/a/{token}/{rest}") for rest in owner]
        + [("post", f"/a/{token}/{rest}") for rest in owner_posts]
        + [("get", f"/s/{token}/{rest}") for rest in share]
    )


def comparable(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k.lower() != "date"}
    return response.status_code, response.content, tuple(sorted(headers.items()))


def test_every_made_up_token_gets_the_very_same_404_and_changes_nothing(client, finished):
    revoked = finished.share_token
    client.post(reverse("assessment-share-revoke", args=[finished.edit_token]))
    before = database_state()
    requests = [req for token in [*BAD_TOKENS, revoked] for req in token_urls(token)]
    requests += [("get", "/a//"), ("get", "/s//"), ("post", "/a//check/"), ("get", "/a/")]
    requests += [("get", f"/s/{finished.edit_token}/"), ("get", f"/a/{revoked}/result/")]

    answers = {}
    for method, url in requests:
        data = {"revision": finished.revision, **STEP_DATA["product"]} if method == "post" else {}
        answers[url, method] = comparable(getattr(client, method)(url, data))

    distinct = {answer for answer in answers.values()}
    assert len(distinct) == 1, distinct
    assert next(iter(distinct))[0] == 404
    assert database_state() == before
