"""Links in pages, downloads and PDFs come from settings.SITE_ORIGIN. A request with a forged
Host header (which a misconfigured proxy might let through) cannot make the app hand out links
to another site."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.report_helpers import completed_assessment

pytestmark = pytest.mark.django_db

ORIGIN = "https://advisor.example.com"
EVIL = "evil.example"


@pytest.fixture
def forged(settings) -> Client:
    settings.SITE_ORIGIN = ORIGIN
    settings.ALLOWED_HOSTS = ["*"]  # as if the Host header were not checked in front of the app
    return Client(HTTP_HOST=EVIL, HTTP_X_FORWARDED_HOST=EVIL)


def absolute_urls(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>)]+", text))


def pdf_strings(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    parts = []
    for page in reader.pages:
        parts.append(page.extract_text())
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            parts.append(str(action.get("/URI", "")))
    return "\n".join(parts)


def test_pages_and_downloads_link_to_the_site_origin_whatever_the_host_header(forged):
    assessment = completed_assessment()
    edit, share = assessment.edit_token, assessment.share_token
    pages = {
        name: forged.get(url)
        for name, url in {
            "step": reverse("assessment-step", args=[edit, "product"]),
            "check": reverse("assessment-check", args=[edit]),
            "result": reverse("assessment-result", args=[edit]),
            "share settings": reverse("assessment-share", args=[edit]),
            "share page": reverse("share-result", args=[share]),
            "owner export": reverse("assessment-export", args=[edit]),
            "share export": reverse("share-export", args=[share]),
        }.items()
    }
    pdfs = {
        "owner pdf": forged.get(reverse("assessment-pdf", args=[edit])),
        "share pdf": forged.get(reverse("share-pdf", args=[share])),
    }

    texts = {name: r.content.decode() for name, r in pages.items()}
    texts |= {name: pdf_strings(r.getvalue()) for name, r in pdfs.items()}
    for name, response in {**pages, **pdfs}.items():
        assert response.status_code == 200, name
        assert EVIL not in texts[name], name
        assert EVIL not in str(response.headers), name
    assert f"{ORIGIN}/s/{share}/" in texts["result"]
    assert f"{ORIGIN}/s/{share}/" in texts["share settings"]
    assert f"{ORIGIN}/s/{share}/" in texts["share page"]
    assert f"{ORIGIN}/a/{edit}/" in texts["step"]
    own_links = {
        url
        for text in texts.values()
        for url in absolute_urls(text)
        if f"/a/{edit}" in url or f"/s/{share}" in url or "/static/" in url
    }
    assert own_links and all(url.startswith(ORIGIN + "/") for url in own_links), own_links


def test_redirects_stay_on_the_site_whatever_the_host_header(forged):
    assessment = completed_assessment()

    responses = [
        forged.get(reverse("assessment-resume", args=[assessment.edit_token])),
        forged.post(reverse("assessment-start")),
        forged.post(reverse("assessment-duplicate", args=[assessment.edit_token])),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/"), response["Location"]
        assert not response["Location"].startswith("//")
