"""Which address a request is counted under, from the connection and the trusted proxy hops."""

import pytest
from django.test import RequestFactory

from advisor.web.ratelimit import client_address, hit


def address(settings, hops: int, forwarded: str | None, remote: str = "10.0.0.1") -> str:
    settings.TRUSTED_PROXY_HOPS = hops
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_hops_the_header_is_ignored(settings):
    assert address(settings, 0, "203.0.113.5") == "10.0.0.1"


def test_one_hop_takes_the_address_the_proxy_appended(settings):
    assert address(settings, 1, "192.0.2.1, 198.51.100.7, 203.0.113.5") == "203.0.113.5"


def test_two_hops_take_the_address_the_outer_proxy_saw(settings):
    assert address(settings, 2, "192.0.2.1, 198.51.100.7, 203.0.113.5") == "198.51.100.7"


def test_fewer_entries_than_hops_take_the_leftmost(settings):
    assert address(settings, 3, "198.51.100.7, 203.0.113.5") == "198.51.100.7"


@pytest.mark.parametrize(
    "garbage",
    ["x" * 8000, "not-an-ip", "203.0.113.5:443", "", " , ", "999.1.1.1", "203.0.113.5\x00"],
)
def test_anything_but_a_valid_address_falls_back_to_the_connection(settings, garbage):
    assert address(settings, 1, garbage) == "10.0.0.1"


def test_ipv6_clients_are_counted_by_their_64_network(settings):
    one = address(settings, 1, "2001:db8:1:2:aaaa::1")
    other = address(settings, 1, "2001:db8:1:2:ffff:ffff:ffff:ffff")
    neighbour = address(settings, 1, "2001:db8:1:3::1")

    assert one == other == "2001:db8:1:2::/64"
    assert neighbour != one


def test_ipv4_mapped_addresses_count_as_ipv4(settings):
    assert address(settings, 1, "::ffff:203.0.113.5") == "203.0.113.5"
    assert address(settings, 0, None, remote="::ffff:203.0.113.5") == "203.0.113.5"


@pytest.mark.django_db
def test_long_keys_are_hashed_into_a_short_cache_key():
    from django.db import connection

    hit("token-lookup", "k" * 5000, limit=10, window=60)

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM advisor_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and max(len(key) for key in keys) < 150
    assert any("ratelimit:token-lookup:sha256:" in key for key in keys)
