"""After SECRET_KEY is rotated, the owner's page and the share link agree: both live while the old
key is a fallback, both dead once it is not; edit links never depend on the key."""

import pytest
from django.http import Http404
from django.urls import reverse

from advisor.assessments import links
from advisor.assessments.links import assessment_for_owner, assessment_for_share, create_assessment

pytestmark = pytest.mark.django_db

OLD_KEY = "old-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789"
NEW_KEY = "new-secret-key-9876543210-zyxwvutsrqponmlkjihgfedcba-9876543210"
SHARING_OFF = "Sharing is turned off"


@pytest.fixture
def shared(settings):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    assessment = create_assessment(answers={"project_name": "Rotated"})
    return assessment, assessment.share_token


def owner_page(client, assessment) -> str:
    response = client.get(reverse("assessment-share", args=[assessment.edit_token]))
    assert response.status_code == 200
    return response.content.decode()


def test_with_a_new_key_alone_the_old_share_link_is_dead_and_the_owner_is_told(
    client, settings, shared
):
    assessment, old_token = shared
    settings.SECRET_KEY = NEW_KEY

    page = owner_page(client, assessment)
    response = client.get(reverse("share-result", args=[old_token]))

    assert SHARING_OFF in page
    assert old_token not in page
    assert response.status_code == 404
    with pytest.raises(Http404):
        assessment_for_share(old_token)


def test_the_dead_link_answers_exactly_like_an_unknown_one(client, settings, shared):
    _, old_token = shared
    settings.SECRET_KEY = NEW_KEY

    dead = client.get(reverse("share-result", args=[old_token]))
    unknown = client.get(reverse("share-result", args=["x" * 43]))

    assert (dead.status_code, dead.content) == (unknown.status_code, unknown.content)


def test_with_the_old_key_as_a_fallback_the_link_works_and_is_shown(client, settings, shared):
    assessment, old_token = shared
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    page = owner_page(client, assessment)

    assert old_token in page
    assert SHARING_OFF not in page
    assert assessment_for_share(old_token).pk == assessment.pk


def test_a_new_link_after_rotation_uses_the_new_key_and_survives_dropping_the_fallback(
    client, settings, shared
):
    assessment, old_token = shared
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    response = client.post(reverse("assessment-share-rotate", args=[assessment.edit_token]))
    settings.SECRET_KEY_FALLBACKS = []
    owner = assessment_for_owner(assessment.edit_token)
    new_token = owner.share_token

    assert response.status_code == 302
    assert new_token and new_token != old_token
    assert new_token in owner_page(client, owner)
    assert assessment_for_share(new_token).pk == assessment.pk
    with pytest.raises(Http404):
        assessment_for_share(old_token)


def test_edit_links_keep_working_whatever_the_key(client, settings, shared):
    assessment, _ = shared
    settings.SECRET_KEY = NEW_KEY

    response = client.get(reverse("assessment-resume", args=[assessment.edit_token]))

    assert response.status_code == 302
    assert links.assessment_for_owner(assessment.edit_token).pk == assessment.pk
