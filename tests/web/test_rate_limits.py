"""Rate limits on guessing links and on creating assessments, applied to every matching request.
(That they hold across app processes is tested against real servers in test_servers.py.)"""

import datetime as dt
import secrets
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.web import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings, monkeypatch):
    settings.RATE_LIMITS = {"token-lookup": (5, 60), "create-assessment": (2, 3600)}
    # Mid-window, so that no test straddles the start of a new one.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


def unknown_share_url() -> str:
    return reverse("share-result", args=[secrets.token_urlsafe(32)])


def test_guessing_links_is_slowed_down_with_429_and_retry_after(limits):
    client = Client(REMOTE_ADDR="203.0.113.7")

    guesses = [client.get(unknown_share_url()).status_code for _ in range(5)]
    blocked = client.get(unknown_share_url())

    assert guesses == [404] * 5
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert blocked["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in blocked.headers  # still a response of this site
    assert b"Too many requests" in blocked.content


def test_once_blocked_every_link_page_waits_but_the_rest_of_the_site_does_not(limits):
    assessment = create_assessment()
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(5):
        client.get(unknown_share_url())

    owner = client.get(reverse("assessment-resume", args=[assessment.edit_token]))
    share = client.get(reverse("share-result", args=[assessment.share_token]))
    home = client.get("/")
    health = client.get("/health/")

    assert (owner.status_code, share.status_code) == (429, 429)
    assert (home.status_code, health.status_code) == (200, 200)


def test_posts_to_link_pages_count_too_and_the_blocked_save_changes_nothing(limits):
    assessment = create_assessment()
    client = Client(REMOTE_ADDR="203.0.113.9")
    url = reverse("assessment-step", args=[assessment.edit_token, "product"])
    for _ in range(5):
        client.get(url)

    response = client.post(url, {"revision": "1", "project_name": "Blocked"})

    assert response.status_code == 429
    assessment.refresh_from_db()
    assert assessment.revision == 1 and assessment.answers == {}


def test_each_client_address_has_its_own_allowance(limits):
    for _ in range(6):
        Client(REMOTE_ADDR="203.0.113.10").get(unknown_share_url())

    assert Client(REMOTE_ADDR="203.0.113.10").get(unknown_share_url()).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.2").get(unknown_share_url()).status_code == 404


def test_behind_a_proxy_a_client_cannot_reset_its_allowance_by_forging_forwarded_for(
    limits, settings
):
    settings.TRUSTED_PROXY_HOPS = 1
    client = Client(REMOTE_ADDR="10.0.0.1")  # the proxy

    statuses = [
        client.get(
            unknown_share_url(), headers={"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.11"}
        ).status_code
        for n in range(7)
    ]
    other = client.get(unknown_share_url(), headers={"X-Forwarded-For": "203.0.113.12"})

    assert statuses == [404] * 5 + [429] * 2
    assert other.status_code == 404


def test_creating_assessments_is_limited_and_a_refused_one_is_not_created(limits):
    client = Client(REMOTE_ADDR="203.0.113.13")

    made = [client.post(reverse("assessment-start")).status_code for _ in range(2)]
    refused = client.post(reverse("assessment-start"))

    assert made == [302, 302]
    assert refused.status_code == 429
    assert Assessment.objects.count() == 2
    assert client.get(reverse("assessment-start")).status_code == 200  # reading the page is fine


def test_copies_count_as_new_assessments(limits):
    original = create_assessment(answers={"project_name": "Original"})
    client = Client(REMOTE_ADDR="203.0.113.14")
    url = reverse("assessment-duplicate", args=[original.edit_token])

    statuses = [client.post(url).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert Assessment.objects.count() == 3


def test_a_limit_of_zero_turns_it_off(settings):
    settings.RATE_LIMITS = {"token-lookup": (0, 60), "create-assessment": (0, 3600)}
    client = Client(REMOTE_ADDR="203.0.113.15")

    statuses = {client.get(unknown_share_url()).status_code for _ in range(20)}

    assert statuses == {404}


def test_the_shipped_limits_leave_room_for_a_real_founder(settings):
    from advisor import settings as shipped

    lookups, per = shipped.RATE_LIMITS["token-lookup"]
    created, hour = shipped.RATE_LIMITS["create-assessment"]
    # A founder clicking through the wizard makes a few dozen link requests a minute at most.
    assert (per, hour) == (60, 3600)
    assert 100 <= lookups <= 1000
    assert 10 <= created <= 100


def test_a_count_is_kept_only_until_its_window_ends(limits):
    from django.db import connection
    from django.utils import timezone

    Client(REMOTE_ADDR="203.0.113.16").get(unknown_share_url())

    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM advisor_cache WHERE cache_key LIKE '%%ratelimit%%'")
        (expires,) = cursor.fetchone()
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    # Not the cache's week-long default: counts must not crowd rendered PDFs out of the table.
    assert (expires - timezone.now()).total_seconds() <= 61


def test_a_blocked_flood_costs_one_read_per_request(limits, django_assert_max_num_queries):
    client = Client(REMOTE_ADDR="203.0.113.17")
    for _ in range(6):
        client.get(unknown_share_url())

    with django_assert_max_num_queries(1):
        assert client.get(unknown_share_url()).status_code == 429
