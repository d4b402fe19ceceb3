import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from advisor.web.ratelimit import rate_limited


@rate_limited("token-lookup")
def lookup(request):
    return HttpResponse("found")


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token-lookup": (3, 60)}


@pytest.mark.django_db
def test_it_answers_429_with_retry_after_once_a_client_passes_the_limit(limits):
    request = RequestFactory().get("/s/whatever/", REMOTE_ADDR="203.0.113.7")

    statuses = [lookup(request).status_code for _ in range(4)]
    blocked = lookup(request)

    assert statuses == [200, 200, 200, 429]
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 60


@pytest.mark.django_db
def test_each_client_address_has_its_own_allowance(limits):
    factory = RequestFactory()
    for _ in range(3):
        lookup(factory.get("/", REMOTE_ADDR="203.0.113.7"))

    assert lookup(factory.get("/", REMOTE_ADDR="203.0.113.7")).status_code == 429
    assert lookup(factory.get("/", REMOTE_ADDR="198.51.100.2")).status_code == 200


@pytest.mark.django_db
def test_the_count_lives_in_the_shared_cache_table(limits):
    from django.db import connection

    lookup(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM advisor_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("ratelimit:token-lookup:203.0.113.9" in key for key in keys)
