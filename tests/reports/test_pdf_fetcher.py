"""The PDF's URL fetcher serves the app's own static files and data: URLs, and nothing else."""

from pathlib import Path

import pytest
from django.conf import settings

from advisor.reports import pdf

ORIGIN = settings.SITE_ORIGIN
PRINT_CSS = Path(settings.BASE_DIR, "static", "css", "print.css")


@pytest.fixture
def fetcher():
    return pdf.make_fetcher()


def test_it_serves_the_print_stylesheet_from_disk(fetcher):
    response = fetcher.fetch(f"{ORIGIN}/static/css/print.css")
    assert response.read() == PRINT_CSS.read_bytes()
    assert response.content_type == "text/css"


def test_it_serves_data_urls(fetcher):
    response = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/style.css",
        "ftp://example.com/x.css",
        "gopher://127.0.0.1:6379/_x",
        f"{ORIGIN}/etc/passwd",
        f"{ORIGIN}/static/../../etc/passwd",
        f"{ORIGIN}/static/css/../../../../etc/passwd",
        f"{ORIGIN}/static/%2e%2e/%2e%2e/etc/passwd",
        f"{ORIGIN}/static/css%2f..%2f..%2fsettings.py",
        f"{ORIGIN}/static//etc/passwd",
        f"{ORIGIN}/static/css\\..\\..\\etc\\passwd.css",
        f"{ORIGIN}/static/css/print.css%00.png",
        f"{ORIGIN}/static/js/app.js",
        f"{ORIGIN}/static/css/missing.css",
        f"{ORIGIN}@169.254.169.254/static/css/print.css",
        "http://169.254.169.254/static/css/print.css",
        f"{ORIGIN.replace('http://', 'https://')}/static/css/print.css",
        "/static/css/print.css",
    ],
)
def test_it_refuses_everything_else(fetcher, url):
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)


def test_it_has_no_network_or_file_handlers_to_fall_back_on(fetcher):
    assert fetcher.handlers == []
    with pytest.raises(pdf.RefusedURL):
        fetcher.open("file:///etc/passwd")


def test_it_serves_collected_files_by_their_hashed_names(settings, tmp_path):
    # In production {% static %} names the collected, hashed copy, which only STATIC_ROOT has.
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_bytes(b"body { color: black }")
    response = pdf.make_fetcher().fetch(f"{ORIGIN}/static/css/print.0123abcd.css")
    assert response.read() == b"body { color: black }"
