import datetime as dt
import io
import json
import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from advisor.assessments.models import Assessment
from advisor.engine import APPROACH_LABELS, AnswersInvalid, assess, validate_answers
from advisor.reports import pdf, tasks
from advisor.reports.context import Report
from tests.report_helpers import (
    DOCS,
    LONGEST_NAME,
    MARKUP_NAME,
    completed_assessment,
    longest_answers,
)


def text_of(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def download(client, assessment: Assessment, which: str = "owner"):
    if which == "owner":
        url = reverse("assessment-pdf", args=[assessment.edit_token])
    else:
        url = reverse("share-pdf", args=[assessment.share_token])
    return client.get(url)


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Counts real renders (documents not yet stored)."""
    calls: list[str] = []
    real = pdf.render_document_bytes

    def counting(report, share_url=None):
        calls.append(report.title)
        return real(report, share_url)

    monkeypatch.setattr(pdf, "render_document_bytes", counting)
    return calls


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL the PDF renderer asks the fetcher for."""
    urls: list[str] = []
    real = pdf.make_fetcher

    def recording(*args, **kwargs):
        fetcher = real(*args, **kwargs)
        inner = fetcher.fetch

        def fetch(url, headers=None):
            urls.append(url)
            return inner(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf, "make_fetcher", recording)
    return urls


@pytest.mark.django_db
def test_the_pdf_downloads_with_a_name_from_the_project_and_date(client):
    response = download(client, completed_assessment())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="docs-assistant-2026-11-21.pdf"'
    assert response.getvalue().startswith(b"%PDF-")


@pytest.fixture(scope="module")
def docs_report() -> tuple[dict, str]:
    """One rendered report, read back once, for the tests that only look at its content."""
    result = assess(DOCS)
    report = Report.from_answers(DOCS, result, title="Docs assistant", today=dt.date(2026, 11, 21))
    return result, text_of(pdf.render_pdf(report))


def test_the_pdf_holds_the_recommendation_and_confidence(docs_report):
    result, text = docs_report
    assert "Docs assistant" in text
    assert "21 NOVEMBER 2026" in text.upper()
    assert APPROACH_LABELS[result["approach"]] in text
    assert f"{round(result['confidence'] * 100)}%" in text


def test_the_pdf_holds_the_reasons_roadmap_and_what_would_change(docs_report):
    _, text = docs_report
    assert "Why this recommendation" in text
    assert "When the model gets it wrong, what goes wrong?" in text
    assert "You answered It doesn't know our facts" in text
    assert "Roadmap" in text and "What would change the answer" in text


def test_the_pdf_holds_the_cost_table_and_charts(docs_report):
    result, text = docs_report
    for option in result["costs"]["options"].values():
        assert f"${option['total_usd']:,.0f}" in text
    assert "Spent so far" in text and "Calls per month (log scale)" in text


def test_the_pdf_holds_every_tradeoff_row(docs_report):
    result, text = docs_report
    for row in result["tradeoffs"]:
        assert row["dimension"] in text
    assert "MATTERS TO YOU" in text.upper()


def test_the_pdf_ends_with_every_answer_and_a_footer_on_each_page(docs_report):
    result, text = docs_report
    assert "Appendix: every answer" in text
    assert "How often does the information it relies on change? Every week" in text
    assert "Not answered (we assume “gpt-4o-mini”)" in text
    assert f"Prices checked on {result['prices_as_of']}" in text
    assert f"Engine {result['engine_version']}" in text
    assert "Page 1 of" in text


def _pages(body: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(body)).pages]


@pytest.mark.django_db
def test_page_one_is_a_summary_for_a_board_and_the_detail_follows(client):
    assessment = completed_assessment()
    report = Report.from_assessment(assessment, today=dt.date(2026, 11, 21))
    first, *rest = _pages(download(client, assessment).getvalue())
    assert report.approach_label in first and f"{report.confidence}% confidence" in first
    for heading in ("Why", "What it costs", "First step"):
        assert heading in first
    for reason in report.reasons[:3]:
        assert reason.explanation[:60] in first
    assert report.recommended_cost.total in first
    assert report.roadmap[0].action[:50] in first
    assert "Why this recommendation" not in first
    assert "Why this recommendation" in " ".join(rest)


@pytest.mark.django_db
def test_the_pdf_is_tagged_titled_bookmarked_and_links_back_to_the_live_page(client):
    assessment = completed_assessment()
    body = download(client, assessment, "share").getvalue()
    reader = PdfReader(io.BytesIO(body))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Docs assistant")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Costs over 12 months" in titles and "Sources" in titles
    live = settings.SITE_ORIGIN + reverse("share-result", args=[assessment.share_token])
    for page in _pages(body):
        assert "Assessed 21 November 2026" in page
        assert live.replace("https://", "")[:20] in page.replace(" ", "")


@pytest.mark.django_db
def test_a_revoked_share_link_is_not_printed_in_a_new_pdf(client):
    from advisor.assessments import links

    assessment = completed_assessment()
    token = assessment.share_token
    links.revoke_share_token(assessment)
    assessment = Assessment.objects.get(pk=assessment.pk)
    assessment.edit_token = None
    text = text_of(pdf.assessment_pdf(assessment, today=dt.date(2026, 11, 21)))
    assert token not in text.replace(" ", "")


@pytest.mark.django_db
def test_a_project_name_full_of_markup_appears_as_literal_text(client):
    assessment = completed_assessment({**DOCS, "project_name": MARKUP_NAME})
    text = text_of(download(client, assessment, "share").getvalue())
    assert MARKUP_NAME in text


PAYLOADS = [
    '<img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>',
    '<link rel="attachment" href="file:///etc/passwd"><a rel="attachment" href="/etc/passwd">x</a>',
    '<style>@import url("file:///etc/passwd");@import "http://169.254.169.254/";</style>',
    '"><img src="http://169.254.169.254/latest/meta-data/"><object data="file:///etc/passwd">',
    "@import url(file:///etc/passwd); body { background: url(http://169.254.169.254/) }",
    '<svg><image href="file:///etc/passwd"/></svg><base href="file:///etc/">',
]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_project_names_fetch_nothing_and_embed_nothing(client, payload, fetched):
    assert len(payload) <= 120
    assessment = completed_assessment({**DOCS, "project_name": payload})
    body = download(client, assessment).getvalue()
    reader = PdfReader(io.BytesIO(body))
    text = text_of(body)
    assert "root:x:0:0" not in text and b"root:x:0:0" not in body
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert b"/EmbeddedFile" not in body and b"/FileAttachment" not in body
    assert fetched == [f"{settings.SITE_ORIGIN}/static/css/print.css"]
    assert payload[:20] in text  # shown as text, not obeyed


def test_a_model_name_cannot_carry_a_payload():
    with pytest.raises(AnswersInvalid) as invalid:
        validate_answers({**DOCS, "model": "file:///etc/passwd"})
    assert [e.field for e in invalid.value.errors] == ["model"]


@pytest.mark.django_db
def test_the_longest_possible_answers_still_render(client):
    assessment = completed_assessment(longest_answers())
    body = download(client, assessment).getvalue()
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) >= 4
    text = text_of(body)
    assert LONGEST_NAME[:40] in text
    assert "Appendix: every answer" in text


@pytest.mark.django_db
def test_a_repeat_download_is_served_from_the_cache(client, renders):
    assessment = completed_assessment()
    first = download(client, assessment)
    second = download(client, assessment)
    shared = download(client, assessment, "share")
    assert first.getvalue() == second.getvalue() == shared.getvalue()
    assert len(renders) == 1


@pytest.mark.django_db
def test_a_cached_download_takes_two_queries(client, django_assert_max_num_queries):
    assessment = completed_assessment()
    download(client, assessment)
    with django_assert_max_num_queries(2):
        assert download(client, assessment, "share").status_code == 200


@pytest.mark.django_db
def test_a_save_that_changes_nothing_printed_does_not_render_again(client, renders):
    assessment = completed_assessment()
    download(client, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(revision=assessment.revision + 1)
    assert download(client, assessment).status_code == 200
    assert len(renders) == 1


@pytest.mark.django_db
def test_a_changed_result_renders_again(client, renders):
    assessment = completed_assessment()
    download(client, assessment)
    answers = {**assessment.answers, "project_name": "Renamed"}
    Assessment.objects.filter(pk=assessment.pk).update(
        revision=assessment.revision + 1, answers=answers, result=assess(answers)
    )
    assert download(client, assessment).status_code == 200
    assert len(renders) == 2


@pytest.mark.django_db
def test_the_document_key_follows_what_the_pdf_prints():
    assessment = completed_assessment()
    day = dt.date(2026, 11, 21)
    key = tasks.document_key(assessment, day)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assessment.revision += 1  # a new revision of the same content: the same document
    assert tasks.document_key(assessment, day) == key
    assessment.revision += 1
    assessment.share_generation += 1  # a rotated share link is printed in the footer
    assert tasks.document_key(assessment, day) != key


def test_a_render_that_takes_too_long_raises(monkeypatch):
    monkeypatch.setattr(pdf, "RENDER_TIMEOUT", 0.05)
    monkeypatch.setattr(pdf, "_write_pdf", lambda html, base: time.sleep(0.5) or b"%PDF-")
    report = Report.from_answers(DOCS, assess(DOCS), title="Docs", today=dt.date(2026, 11, 21))
    with pytest.raises(pdf.RenderTimeout):
        pdf.render_pdf(report)


def test_the_advise_command_writes_the_same_report_as_a_pdf(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(DOCS), encoding="utf-8")
    out = tmp_path / "out.pdf"
    call_command("advise", str(answers), "--format", "pdf", "-o", str(out))
    text = text_of(out.read_bytes())
    assert "Docs assistant" in text and "Retrieval (RAG)" in text
    assert "Appendix: every answer" in text
