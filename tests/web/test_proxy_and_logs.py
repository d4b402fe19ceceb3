"""Through a real gunicorn with the production configuration: the client address behind a proxy
cannot be forged into fresh allowances, gunicorn believes X-Forwarded-Proto only when told to,
and no form of a capability token reaches the access log."""

import secrets
import sqlite3
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.web.gunicorn_server import Gunicorn, gunicorn

LIMIT = 20


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[Gunicorn]:
    with gunicorn(
        tmp_path_factory.mktemp("proxied"),
        BEHIND_TLS_PROXY="1",
        TRUSTED_PROXY_HOPS="1",
        RATE_LIMIT_TOKEN_LOOKUPS=str(LIMIT),
    ) as server:
        yield server


def fresh_window() -> None:
    if time.time() % 60 > 50:
        time.sleep(60 - time.time() % 60 + 0.2)


def unknown_share_path() -> str:
    return f"/s/{secrets.token_urlsafe(32)}/"


def ratelimit_keys(server: Gunicorn) -> list[str]:
    with sqlite3.connect(server.database) as db:
        rows = db.execute("SELECT cache_key FROM advisor_cache WHERE cache_key LIKE '%ratelimit%'")
        return [key for (key,) in rows]


def test_rotating_garbage_in_forwarded_for_gets_no_fresh_allowance(proxied):
    fresh_window()
    before = len(ratelimit_keys(proxied))

    statuses = [
        proxied.request(
            "GET",
            unknown_share_path(),
            headers={"X-Forwarded-For": secrets.token_hex(4000)},
        ).status
        for _ in range(LIMIT + 5)
    ]

    assert statuses[:LIMIT] == [404] * LIMIT
    assert set(statuses[LIMIT:]) == {429}
    keys = ratelimit_keys(proxied)
    assert len(keys) - before <= 1  # every garbage value counted under the proxy's address
    assert max(len(key) for key in keys) < 150


def test_a_client_rotating_addresses_in_its_ipv6_64_is_one_client(proxied):
    fresh_window()

    statuses = [
        proxied.request(
            "GET",
            unknown_share_path(),
            headers={"X-Forwarded-For": f"2001:db8:77:1:{n:x}::{n + 1:x}"},
        ).status
        for n in range(LIMIT + 3)
    ]
    neighbour = proxied.request(
        "GET", unknown_share_path(), headers={"X-Forwarded-For": "2001:db8:77:2::1"}
    )

    assert statuses[:LIMIT] == [404] * LIMIT
    assert set(statuses[LIMIT:]) == {429}
    assert neighbour.status == 404


def test_addresses_left_of_the_trusted_hop_prove_nothing(proxied):
    fresh_window()

    statuses = [
        proxied.request(
            "GET",
            unknown_share_path(),
            headers={"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.44"},
        ).status
        for n in range(LIMIT + 2)
    ]

    assert set(statuses[LIMIT:]) == {429}


def test_behind_the_proxy_x_forwarded_proto_is_believed(tmp_path):
    with gunicorn(tmp_path, BEHIND_TLS_PROXY="1", SECURE_SSL_REDIRECT="1") as server:
        plain = server.request("GET", "/health/")
        forwarded = server.request("GET", "/health/", headers={"X-Forwarded-Proto": "https"})

    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")
    assert forwarded.status == 200


def test_without_the_proxy_switch_no_one_can_claim_https(tmp_path):
    with gunicorn(tmp_path, BEHIND_TLS_PROXY="0", SECURE_SSL_REDIRECT="1") as server:
        claims = [
            server.request("GET", "/health/", headers={name: value})
            for name, value in [
                ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Ssl", "on"),
                ("X-Forwarded-Protocol", "ssl"),
            ]
        ]

    assert [reply.status for reply in claims] == [301, 301, 301]
    assert all(reply.headers["Location"].startswith("https://") for reply in claims)


def test_no_form_of_a_token_reaches_the_access_log(proxied):
    token = secrets.token_urlsafe(32)
    short = token[:12]  # a mistyped or cut-off link
    encoded = quote(f"/a/{token}/", safe="")
    requests = [
        f"/a/{token}/",
        f"/s/{token}/report.pdf",
        f"/?next=/a/{token}/",
        f"/?next={encoded}",
        f"/?next={quote(encoded, safe='')}",
        f"/?next={encoded.lower()}",
        f"/?token={token}",
        f"/?token={short}",
        f"/?share_token={short}&x=1",
        f"/?q=%22{token}%22",
        f"/health/?edit={token}",
        f"/a/{short}/",
    ]
    for path in requests:
        proxied.request("GET", path, headers={"Referer": f"http://127.0.0.1/a/{token}/"})
    time.sleep(0.3)

    output = proxied.output()
    assert token not in output
    assert token.lower() not in output
    assert short not in output
    assert output.count("[redacted]") >= len(requests)
    assert "GET /?next=%2Fa%2F[redacted]%2F HTTP/1.1" in output
    assert "GET /?token=[redacted] HTTP/1.1" in output
