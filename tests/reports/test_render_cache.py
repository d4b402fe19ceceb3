"""Renders kept per revision (the "renders" cache): what each response carries must still be its
own, what is kept holds no secret, and a change must show at once."""

import html
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from advisor.assessments.links import revoke_share_token, rotate_share_token
from advisor.assessments.models import Assessment
from advisor.engine import APPROACH_LABELS
from tests.report_helpers import DOCS, completed_assessment
from tests.wizard_steps import STEP_DATA, post_step, step_url

pytestmark = pytest.mark.django_db

NONCE_ATTRIBUTE = re.compile(r'nonce="([^"]+)"')
HEADER_NONCE = re.compile(r"'nonce-([^']+)'")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def owner_url(assessment: Assessment, name: str = "assessment-result") -> str:
    return reverse(name, args=[assessment.edit_token])


def share_url(assessment: Assessment, name: str = "share-result") -> str:
    return reverse(name, args=[assessment.share_token])


def owner_pages(assessment: Assessment) -> list[str]:
    token = assessment.edit_token
    return [
        owner_url(assessment),
        reverse("assessment-check", args=[token]),
        *(step_url(token, slug) for slug in STEP_DATA),
    ]


def nonces(response) -> tuple[set[str], set[str]]:
    body = response.content.decode()
    return set(NONCE_ATTRIBUTE.findall(body)), set(
        HEADER_NONCE.findall(response["Content-Security-Policy"])
    )


# Nonces and CSRF tokens are per response


@pytest.mark.parametrize("which", ["owner", "share", "step"])
def test_every_response_of_a_kept_page_has_its_own_nonce_matching_its_csp_header(client, which):
    assessment = completed_assessment()
    url = {
        "owner": owner_url(assessment),
        "share": share_url(assessment),
        "step": step_url(assessment.edit_token, "data"),
    }[which]

    first, second = client.get(url), client.get(url)

    (first_page, first_header), (second_page, second_header) = nonces(first), nonces(second)
    assert len(first_page) == 1 and first_page == first_header
    assert len(second_page) == 1 and second_page == second_header
    assert first_page != second_page


def test_a_form_on_a_kept_page_posts_with_its_own_csrf_token():
    assessment = completed_assessment()
    Client().get(owner_url(assessment))  # someone else's browser fills the cache
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(owner_url(assessment)).content.decode()
    token = CSRF_INPUT.search(page).group(1)
    response = browser.post(
        reverse("assessment-share-rotate", args=[assessment.edit_token]),
        {"csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert browser.cookies["csrftoken"].value


def test_two_browsers_get_different_csrf_tokens_for_the_same_page():
    assessment = completed_assessment()
    pages = [Client().get(owner_url(assessment)).content.decode() for _ in range(2)]
    tokens = [set(CSRF_INPUT.findall(page)) for page in pages]
    assert all(len(found) == 1 for found in tokens)
    assert tokens[0] != tokens[1]


# Owner and share variants never mix


def test_the_share_page_never_shows_the_edit_token_even_after_the_owner_page_was_kept(client):
    assessment = completed_assessment()
    owner = client.get(owner_url(assessment)).content.decode()
    assert assessment.edit_token in owner

    for _ in range(2):
        shared = client.get(share_url(assessment)).content.decode()
        assert assessment.edit_token not in shared
        assert "Duplicate to try a variant" not in shared
        assert 'name="csrfmiddlewaretoken"' not in shared
        assert f"/s/{assessment.share_token}/report.pdf" in shared


def test_the_owner_page_is_not_the_kept_share_page(client):
    assessment = completed_assessment()
    client.get(share_url(assessment))
    owner = client.get(owner_url(assessment)).content.decode()
    assert "Duplicate to try a variant" in owner
    assert f"/a/{assessment.edit_token}/report.pdf" in owner


def test_one_assessments_kept_page_is_never_served_for_another(client):
    first = completed_assessment()
    second = completed_assessment({**DOCS, "project_name": "Second project"})
    client.get(owner_url(first))
    client.get(share_url(first))

    owner = client.get(owner_url(second)).content.decode()
    shared = client.get(share_url(second)).content.decode()

    for page in (owner, shared):
        assert "Second project" in page
        assert first.edit_token not in page and first.share_token not in page
    assert second.edit_token in owner


def test_kept_pages_hold_no_token_and_no_per_request_secret(client):
    assessment = completed_assessment()
    responses = [client.get(url) for url in [*owner_pages(assessment), share_url(assessment)]]
    secrets = {assessment.edit_token, assessment.share_token}
    for response in responses:
        secrets |= nonces(response)[0] | set(CSRF_INPUT.findall(response.content.decode()))

    kept = [
        value for key, value in caches["renders"]._cache.items() if str(assessment.public_id) in key
    ]
    assert kept, "the report of this revision is kept"
    for value in kept:
        assert not any(secret.encode() in value for secret in secrets)


# A change shows at once


def test_an_edited_answer_shows_on_the_step_the_check_page_and_after_confirming(client):
    assessment = completed_assessment(saved_steps=list(STEP_DATA))
    for url in [*owner_pages(assessment), share_url(assessment)]:
        client.get(url)

    post_step(client, assessment, "product", project_name="Renamed project")

    assert (
        'value="Renamed project"'
        in client.get(step_url(assessment.edit_token, "product")).content.decode()
    )
    assert (
        "Renamed project" in client.get(owner_url(assessment, "assessment-check")).content.decode()
    )
    outdated = client.get(owner_url(assessment)).content.decode()
    assert "You have changed answers since this recommendation was made" in outdated

    assessment.refresh_from_db()
    client.post(owner_url(assessment, "assessment-check"), {"revision": assessment.revision})

    for url in (owner_url(assessment), share_url(assessment)):
        page = client.get(url).content.decode()
        assert "Renamed project" in page
        assert "You have changed answers" not in page


def test_a_new_result_shows_at_once_on_both_pages(client):
    assessment = completed_assessment(saved_steps=list(STEP_DATA))
    for url in (owner_url(assessment), share_url(assessment)):
        assert "999,000" not in client.get(url).content.decode()

    post_step(client, assessment, "constraints", monthly_queries="999000")
    assessment.refresh_from_db()
    client.post(owner_url(assessment, "assessment-check"), {"revision": assessment.revision})

    for url in (owner_url(assessment), share_url(assessment)):
        assert "999,000" in client.get(url).content.decode()


def test_turning_sharing_off_shows_on_the_kept_owner_page_and_kills_the_kept_share_page(client):
    assessment = completed_assessment()
    old_share = share_url(assessment)
    client.get(owner_url(assessment))
    client.get(old_share)

    revoke_share_token(assessment)

    assert client.get(old_share).status_code == 404
    owner = client.get(owner_url(assessment)).content.decode()
    assert "Sharing is turned off" in owner
    assert old_share not in owner


def test_a_replaced_share_link_shows_on_the_kept_owner_page(client):
    assessment = completed_assessment()
    old_share = share_url(assessment)
    client.get(owner_url(assessment))

    new_token = rotate_share_token(assessment)

    owner = client.get(owner_url(assessment)).content.decode()
    assert f"/s/{new_token}/" in owner and old_share not in owner
    assert client.get(reverse("share-result", args=[new_token])).status_code == 200


def test_a_step_shows_its_own_answers_when_another_assessment_had_others(client):
    first, second = completed_assessment(), completed_assessment()
    post_step(client, first, "constraints", monthly_queries="777000")
    post_step(client, second, "constraints", monthly_queries="123000")

    for assessment, mine, theirs in ((first, "777000", "123000"), (second, "123000", "777000")):
        page = client.get(step_url(assessment.edit_token, "constraints")).content.decode()
        assert f'value="{mine}"' in page and f'value="{theirs}"' not in page


def test_an_error_shows_on_the_step_it_was_made_on_and_is_gone_once_fixed(client):
    assessment = completed_assessment()
    wrong = post_step(client, assessment, "constraints", monthly_queries="lots")
    assert "using digits only" in wrong.content.decode()

    post_step(client, assessment, "constraints", monthly_queries="20000")

    page = client.get(step_url(assessment.edit_token, "constraints")).content.decode()
    assert "using digits only" not in page and 'value="20000"' in page


def test_opening_a_kept_step_still_remembers_the_assessment_in_this_browser():
    assessment = completed_assessment()
    Client().get(step_url(assessment.edit_token, "data"))
    browser = Client()

    response = browser.get(step_url(assessment.edit_token, "data"))

    assert assessment.edit_token in response.cookies["advisor_assessments"].value


@pytest.mark.parametrize("debug", [True, False])
def test_debug_and_production_keep_the_same_renders(client, settings, debug):
    settings.DEBUG = debug
    assessment = completed_assessment()
    client.get(owner_url(assessment))
    keys = [key for key in caches["renders"]._cache if str(assessment.public_id) in key]
    assert len(keys) == 1


# Queries: a small fixed number per page, first view or repeat


@pytest.mark.parametrize("view", ["first", "repeat"])
def test_each_page_takes_one_query(client, view, django_assert_max_num_queries):
    assessment = completed_assessment()
    urls = [
        *owner_pages(assessment),
        share_url(assessment),
        owner_url(assessment, "assessment-export"),
        share_url(assessment, "share-export"),
    ]
    if view == "repeat":
        for url in urls:
            client.get(url)
    for url in urls:
        with django_assert_max_num_queries(1):
            response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        # What the founder came for is on it: the project and, where shown, the result.
        assert "Docs assistant" in body, url
        if "/step/" not in url and "export" not in url and "check" not in url:
            assert APPROACH_LABELS[assessment.result["approach"]] in html.unescape(body), url


def test_a_pdf_download_takes_at_most_two_queries_even_in_another_process(
    client, django_assert_max_num_queries
):
    assessment = completed_assessment()
    client.get(share_url(assessment, "share-pdf"))  # rendered and kept
    caches["renders"].clear()  # as in another worker: only the shared cache has it
    with django_assert_max_num_queries(2):
        assert client.get(owner_url(assessment, "assessment-pdf")).status_code == 200
    with django_assert_max_num_queries(2):
        response = client.get(share_url(assessment, "share-pdf"))
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF-")


def test_saving_a_step_takes_two_queries(client, django_assert_max_num_queries):
    assessment = completed_assessment()
    data = {**STEP_DATA["constraints"], "revision": assessment.revision, "go": "next"}
    with django_assert_max_num_queries(2):
        response = client.post(step_url(assessment.edit_token, "constraints"), data)
    assert response.status_code == 302
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.revision == assessment.revision + 1
    assert saved.answers["monthly_queries"] == 15000
    assert float(saved.answers["upfront_budget_usd"]) == 5000
    assert saved.answers["time_to_ship"] == "this_month"


def test_listing_many_assessments_takes_as_many_queries_as_listing_one(
    client, django_assert_max_num_queries
):
    assessments = [completed_assessment() for _ in range(12)]
    for assessment in assessments:
        client.get(reverse("assessment-resume", args=[assessment.edit_token]))
    with django_assert_max_num_queries(1):
        page = client.get(reverse("assessment-list")).content.decode()
    assert all(a.edit_token in page for a in assessments)
    with django_assert_max_num_queries(1):
        home = client.get(reverse("home"))
    assert home.status_code == 200
    # The home page shows the five most recent.
    assert sum(a.edit_token in home.content.decode() for a in assessments) == 5
