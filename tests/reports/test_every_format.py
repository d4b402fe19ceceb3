"""The page, the share page, the PDF, the text and the Markdown are all drawn from one Report:
the same recommendation, reasons, answers and money figures must read the same in each."""

import html
import io
import re
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from advisor.reports.context import Report
from advisor.reports.exports import as_markdown, as_text
from tests.report_helpers import EXAMPLES, completed_assessment

pytestmark = pytest.mark.django_db


def _plain(text: str) -> str:
    """Text as a reader sees it: no tags, no entities, no Markdown escapes, one space between
    words, typographic quotes and dashes folded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # A line that breaks after a hyphen ("fine-" / "tuned") joins again.
    return re.sub(r"(\w)-\s+(\w)", r"\1-\2", text)


def _figures(report: Report) -> list[str]:
    """What every format must state: the recommendation, each reason, each ruled-out
    explanation, each cost total and the first step."""
    shown = [report.approach_label]
    shown += [r.explanation for r in report.reasons]
    shown += [r.explanation for r in report.ruled_out]
    shown += [option.total for option in report.costs]
    shown += [report.roadmap[0].action]
    return [_plain(s) for s in shown]


def owner_url(assessment, name: str) -> str:
    return reverse(name, args=[assessment.edit_token])


def share_url(assessment, name: str) -> str:
    return reverse(name, args=[assessment.share_token])


@pytest.mark.parametrize("example", EXAMPLES[:3], ids=lambda e: e["id"])
def test_every_format_states_the_same_recommendation_reasons_and_totals(client, example):
    assessment = completed_assessment(example["answers"])
    report = Report.from_assessment(assessment, today=assessment.completed_at.date())
    formats = {
        "page": client.get(owner_url(assessment, "assessment-result")).content.decode(),
        "share page": client.get(share_url(assessment, "share-result")).content.decode(),
        "pdf": _pdf_text(client.get(share_url(assessment, "share-pdf")).getvalue()),
        "text": as_text(report),
        "markdown": as_markdown(report),
    }
    for name, body in formats.items():
        body = _plain(body)
        missing = [s for s in _figures(report) if s not in body]
        assert not missing, f"the {name} does not show: {missing}"
