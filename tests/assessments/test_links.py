import base64
import secrets

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from advisor.assessments import links as access
from advisor.assessments import tokens
from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from tests.wizard_steps import fill_every_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(client) -> Assessment:
    assessment = create_assessment()
    fill_every_step(client, assessment)
    client.post(
        reverse("assessment-check", args=[assessment.edit_token]),
        {"revision": assessment.revision},
    )
    assessment.refresh_from_db()
    return assessment


def share_url(token: str) -> str:
    return reverse("share-result", args=[token])


def owner_pages(token: str) -> list[str]:
    return [
        reverse("assessment-resume", args=[token]),
        step_url(token, "product"),
        reverse("assessment-check", args=[token]),
        reverse("assessment-share", args=[token]),
        reverse("assessment-rerun", args=[token]),
        reverse("assessment-result", args=[token]),
    ]


def test_tokens_carry_256_random_bits_in_url_safe_text(finished):
    for token in (finished.edit_token, finished.share_token):
        assert len(token) == 43
        assert len(base64.urlsafe_b64decode(token + "=")) == 32
        assert token.replace("-", "").replace("_", "").isalnum()


def test_no_token_is_stored_in_clear(client):
    response = client.post(reverse("assessment-start"))
    edit_token = response.url.split("/")[2]
    assessment = access.assessment_for_owner(edit_token)
    share_token = assessment.share_token

    for row in Assessment.objects.values():
        stored = " ".join(str(value) for value in row.values())
        assert edit_token not in stored
        assert share_token not in stored
    assert assessment.edit_token_hash == tokens.token_hash(edit_token)


def test_the_owner_sees_the_same_share_link_every_time(finished):
    again = access.assessment_for_owner(finished.edit_token)

    assert again.share_token == access.assessment_for_owner(finished.edit_token).share_token
    assert access.assessment_for_share(again.share_token).pk == finished.pk


def test_share_links_are_built_from_the_site_origin_not_the_host_header(client, finished, settings):
    settings.SITE_ORIGIN = "https://advisor.example.com"
    settings.ALLOWED_HOSTS = ["*"]

    body = client.get(
        reverse("assessment-share", args=[finished.edit_token]), HTTP_HOST="evil.example"
    ).content.decode()

    assert f"https://advisor.example.com/s/{finished.share_token}/" in body
    assert "evil.example" not in body


def test_rotating_the_share_link_kills_the_old_one_at_once(client, finished):
    old = finished.share_token
    assert client.get(share_url(old)).status_code == 200

    response = client.post(reverse("assessment-share-rotate", args=[finished.edit_token]))

    finished.refresh_from_db()
    new = finished.share_token
    assert response.status_code == 302
    assert new and new != old
    assert client.get(share_url(old)).status_code == 404
    assert client.get(share_url(new)).status_code == 200
    page = client.get(response.url).content.decode()
    assert "the old share link no longer works" in page
    assert new in page


def test_revoking_the_share_link_turns_sharing_off_until_a_new_one_is_made(client, finished):
    old = finished.share_token

    client.post(reverse("assessment-share-revoke", args=[finished.edit_token]))

    finished.refresh_from_db()
    assert finished.share_token_hash is None
    assert finished.share_token is None
    assert client.get(share_url(old)).status_code == 404
    page = client.get(reverse("assessment-share", args=[finished.edit_token])).content.decode()
    assert "Sharing is turned off" in page

    client.post(reverse("assessment-share-rotate", args=[finished.edit_token]))

    finished.refresh_from_db()
    assert finished.share_token not in (None, old)
    assert client.get(share_url(finished.share_token)).status_code == 200
    assert client.get(share_url(old)).status_code == 404


def test_link_changes_need_a_post(client, finished):
    before = finished.share_token
    for name in ("assessment-share-rotate", "assessment-share-revoke"):
        # A GET only asks the question.
        assert client.get(reverse(name, args=[finished.edit_token])).status_code == 200
    finished.refresh_from_db()
    assert finished.share_token == before


def test_link_changes_need_a_csrf_token(finished):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("assessment-share-revoke", args=[finished.edit_token]))

    assert response.status_code == 403
    finished.refresh_from_db()
    assert finished.share_token is not None


def test_share_links_are_read_only(client, finished):
    url = share_url(finished.share_token)

    assert client.post(url).status_code == 405
    body = client.get(url).content.decode()
    assert "<form" not in body
    assert finished.edit_token not in body
    assert "Edit answers" not in body


def test_a_share_token_does_not_open_the_owner_pages(client, finished):
    for url in owner_pages(finished.share_token):
        assert client.get(url).status_code == 404


def test_unknown_malformed_and_revoked_tokens_all_get_the_same_404(client, finished):
    revoked = finished.share_token
    client.post(reverse("assessment-share-revoke", args=[finished.edit_token]))
    well_formed_unknown = secrets.token_urlsafe(32)
    tokens = [well_formed_unknown, "abc", "x" * 43 + "!", "%00", "a" * 500, revoked]

    responses = [client.get(share_url(token)) for token in tokens]
    responses += [client.get(url) for url in owner_pages(well_formed_unknown)]
    responses += [client.get(url) for url in owner_pages("not-a-token")]

    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1


def test_lookups_raise_not_found_for_anything_but_a_live_token(finished):
    for token in ("", "short", None, secrets.token_urlsafe(32), finished.share_token):
        with pytest.raises(Http404):
            access.assessment_for_owner(token)
    for token in ("", secrets.token_urlsafe(32), finished.edit_token):
        with pytest.raises(Http404):
            access.assessment_for_share(token)


def test_owner_pages_stay_out_of_search_engines_referrers_and_shared_caches(client, finished):
    response = client.get(step_url(finished.edit_token, "product"))

    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]
    assert b'name="robots" content="noindex, nofollow"' in response.content


def test_after_a_secret_key_change_the_old_share_link_is_dead_as_the_owner_is_told(
    finished, settings
):
    token = finished.share_token
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"

    owner_view = access.assessment_for_owner(finished.edit_token)

    assert owner_view.share_token is None  # the owner's page says sharing is off
    with pytest.raises(Http404):
        access.assessment_for_share(token)
