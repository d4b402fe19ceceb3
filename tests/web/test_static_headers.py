"""Static files, answered by WhiteNoise before any view runs, carry the same security headers as
pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


@pytest.fixture
def static_client(settings) -> Client:
    # WhiteNoise reads this when the middleware is built, at a new client's first request.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


@pytest.mark.parametrize(
    "path", ["/static/css/app.css", "/static/js/app.js", "/static/favicon.svg"]
)
def test_static_files_have_the_security_headers_of_pages(static_client, path):
    page = static_client.get("/")
    static = static_client.get(path)

    assert static.status_code == 200
    for name in SECURITY_HEADERS:
        assert name in static.headers, f"{path} has no {name}"
    assert static.headers["X-Frame-Options"] == page.headers["X-Frame-Options"] == "DENY"
    assert static.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in static.headers["Content-Security-Policy"]
    assert "default-src 'self'" in static.headers["Content-Security-Policy"]
    assert "nonce-" not in static.headers["Content-Security-Policy"]


def test_a_vendored_stylesheet_has_them_too(static_client):
    response = static_client.get("/static/vendor/bootstrap/bootstrap.min.css")

    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers
