"""Comparing an assessment with its variants, what-ifs and shared assessments, through the views."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from advisor.assessments.links import revoke_share_token, rotate_share_token
from advisor.assessments.models import Assessment, Variant
from advisor.assessments.steps import STEPS
from advisor.engine import APPROACH_LABELS, QUESTIONS, assess
from advisor.reports import comparisons
from advisor.reports.models import Comparison
from tests.report_helpers import DOCS, EXAMPLES, MARKUP_NAME, completed_assessment

pytestmark = pytest.mark.django_db

INVOICE = EXAMPLES[1]["answers"]  # fine-tuning, with several "what would change" rows


def compare_url(assessment: Assessment) -> str:
    return reverse("assessment-compare", args=[assessment.edit_token])


def duplicate(client, assessment: Assessment) -> Assessment:
    response = client.post(reverse("assessment-duplicate", args=[assessment.edit_token]))
    assert response.status_code == 302
    token = re.search(r"/a/([A-Za-z0-9_-]{43})/check/", response["Location"]).group(1)
    from advisor.assessments.links import assessment_for_owner

    return assessment_for_owner(token)


def run_check(client, assessment: Assessment) -> Assessment:
    assessment.refresh_from_db()
    check = reverse("assessment-check", args=[assessment.edit_token])
    response = client.post(check, {"revision": assessment.revision})
    assert response.status_code == 302, response.content.decode()[:500]
    assessment.refresh_from_db()
    assert assessment.result is not None
    return assessment


def finished() -> Assessment:
    """ "Docs assistant" with every question answered and every wizard step saved, as the
    interview leaves it, so a duplicate of it can be assessed from its check page."""
    judged = assess(dict(DOCS))["answers"]
    answers = {
        qid: value
        for qid, value in judged.items()
        if qid in QUESTIONS and QUESTIONS[qid].applies_to(judged) and value is not None
    }
    answers.update(
        per_user_permissions=False,
        sensitive_data=False,
        fine_tune_model="gpt-4.1-mini",
        prompt_instruction_tokens=500,
    )
    return completed_assessment(answers, saved_steps=[step.slug for step in STEPS])


def cells(page: str, label: str) -> list[str]:
    """The cells of the table row whose header starts with `label`."""
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{re.escape(label)}.*?</tr>", page, re.S)
    assert row, f"no row {label!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row.group(0))]


def test_duplicate_makes_a_variant_with_its_own_links_opened_at_check_answers(client):
    original = completed_assessment()
    copy = duplicate(client, original)
    assert copy.pk != original.pk
    assert copy.edit_token != original.edit_token and copy.share_token != original.share_token
    assert copy.answers["monthly_queries"] == original.answers["monthly_queries"]
    assert Variant.objects.get(variant=copy).original == original
    # A variant of the variant joins the same family.
    second = duplicate(client, copy)
    assert Variant.objects.get(variant=second).original == original
    assert client.get(reverse("assessment-check", args=[copy.edit_token])).status_code == 200


def test_the_result_page_offers_compare_and_every_change_row_links_to_it(client):
    original = completed_assessment(INVOICE)
    page = client.get(reverse("assessment-result", args=[original.edit_token])).content.decode()
    assert f'href="{compare_url(original)}"' in page
    rows = original.result["what_would_change"]
    assert len(rows) >= 2
    for index in range(len(rows)):
        assert f"{compare_url(original)}?change={index}#" in page
    # The share page never links to the owner's comparison.
    shared = client.get(reverse("share-result", args=[original.share_token])).content.decode()
    assert "/compare/" not in shared and original.edit_token not in shared


def test_a_what_if_row_opens_the_comparison_unsaved_assessed_by_the_engine(client):
    original = completed_assessment(INVOICE)
    row = original.result["what_would_change"][0]
    expected = assess({**original.answers, **row["changes"]})
    before = Assessment.objects.count()

    response = client.get(compare_url(original), {"change": "0"})
    assert response.status_code == 200
    page = response.content.decode()
    assert Assessment.objects.count() == before and Comparison.objects.count() == 0
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"
    recommendation = cells(page, "Recommendation")
    assert recommendation == [
        APPROACH_LABELS[original.result["approach"]],
        APPROACH_LABELS[expected["approach"]],
    ]
    changed = cells(page, comparisons.QUESTIONS[row["question"]].label)
    assert len(set(changed)) == 2
    assert 'class="differs"' in page and "differs</span>" in page
    assert "What if (not saved)" in page


def test_variants_side_by_side_with_differences_costs_break_even_and_first_step(client):
    original = finished()
    copy = duplicate(client, original)
    Assessment.objects.filter(pk=copy.pk).update(
        answers={**copy.answers, "monthly_queries": 3_000_000}
    )
    copy = run_check(client, copy)
    response = client.post(compare_url(original), {"variant": [str(copy.public_id)]})
    assert response.status_code == 200
    page = response.content.decode()
    assert cells(page, "How many AI calls a month do you expect?") == ["15,000", "3,000,000"]
    for column, result in zip(
        cells(page, "Total cost: Retrieval (RAG)"), [original.result, copy.result], strict=True
    ):
        option = result["costs"]["options"]["rag"]
        low, high = option["total_low_usd"], option["total_high_usd"]
        assert f"${option['total_usd']:,.0f}" in column
        assert f"(${low:,.0f}\u2013${high:,.0f})" in column
    assert len(cells(page, "Break-even")) == 2
    assert cells(page, "First step")[0] == original.result["roadmap"][0]["action"]
    assert cells(page, "Confidence")[0] == f"{original.result['confidence']:.0%}"
    # One card per column for narrow screens, and the shared answers folded away.
    assert page.count('class="compare-card"') == 2
    assert "answers are the same in every column" in page


def test_pasted_share_links_join_and_bad_ones_are_named_by_line(client):
    original = completed_assessment()
    other = completed_assessment({**DOCS, "project_name": "Someone else's", "stage": "idea"})
    link = other.share_url
    response = client.post(compare_url(original), {"links": f"{link}\n\nnot a link\n"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Share links you hold: line 2 is not a share link that works" in page
    assert "Side by side" not in page
    assert "not a link" in page  # what was typed is kept

    page = client.post(compare_url(original), {"links": link}).content.decode()
    assert "Someone else&#x27;s" in page and "Shared with you" in page

    # An edit link pasted as a share link opens nothing.
    page = client.post(
        compare_url(original), {"links": f"http://testserver/a/{other.edit_token}/"}
    ).content.decode()
    assert "line 1 is not a share link that works" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"variant": ["not-a-uuid"]}, "Variants"),
        ({"change": ["99"]}, "What would change the answer"),
        ({"links": "x\n" * 20}, "Share links you hold"),
    ],
)
def test_bad_picks_are_errors_that_name_the_field_never_a_500(client, data, field):
    original = completed_assessment(INVOICE)
    response = client.post(compare_url(original), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{field}: " in page


def test_too_many_columns_is_refused(client):
    original = completed_assessment(INVOICE)
    picks = [str(i) for i in range(len(original.result["what_would_change"]))]
    assert len(picks) >= comparisons.MAX_COLUMNS
    page = client.post(compare_url(original), {"change": picks}).content.decode()
    assert f"Pick at most {comparisons.MAX_COLUMNS - 1}" in page


def test_htmx_gets_only_the_region(client):
    original = completed_assessment(INVOICE)
    response = client.post(
        compare_url(original),
        {"change": ["0"]},
        headers={"HX-Request": "true", "HX-Target": "compare-region"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="compare-region">')
    assert "<html" not in page and "Side by side" in page
    assert "HX-Request" in response["Vary"]


def test_a_variant_of_another_family_cannot_be_picked(client):
    original = completed_assessment()
    stranger = completed_assessment({**DOCS, "project_name": "Stranger"})
    page = client.post(compare_url(original), {"variant": [str(stranger.public_id)]})
    assert "Variants: " in page.content.decode()
    # Saved members are checked again when shown.
    comparison = comparisons.create_comparison(
        original, [{"kind": "variant", "id": str(stranger.public_id)}]
    )
    table, missing = comparisons.columns(original, comparison.members)
    assert (len(table), missing) == (1, 1)


def saved(client, original: Assessment, data: dict) -> Comparison:
    response = client.post(compare_url(original), {**data, "save": "1"})
    assert response.status_code == 302
    comparison = Comparison.objects.get()
    assert response["Location"] == comparison.owner_url(original.edit_token)
    return comparison


def test_a_saved_comparison_has_its_own_revocable_share_link(client):
    original = completed_assessment(INVOICE)
    other = completed_assessment({**DOCS, "project_name": MARKUP_NAME})
    comparison = saved(client, original, {"change": ["0"], "links": other.share_url})

    owner = client.get(comparison.owner_url(original.edit_token))
    assert owner.status_code == 200
    share_url = comparison.share_url
    assert share_url and "/c/" in share_url and share_url in owner.content.decode()
    token = comparison.share_token
    assert token not in (original.share_token, original.edit_token, other.share_token)

    shared = client.get(reverse("comparison-share", args=[token]))
    assert shared.status_code == 200
    assert shared["Referrer-Policy"] == "no-referrer"
    assert shared["X-Robots-Tag"] == "noindex, nofollow"
    page = shared.content.decode()
    assert "<form" not in page and original.edit_token not in page
    assert "&lt;b&gt;Acme&lt;/b&gt;" in page and "<script>alert" not in page
    assert len(cells(page, "Recommendation")) == 3

    # The pasted assessment's owner turns sharing off: its column goes.
    revoke_share_token(other)
    page = client.get(reverse("comparison-share", args=[token])).content.decode()
    assert len(cells(page, "Recommendation")) == 2 and "no longer available" in page

    # Rotating the comparison's link kills the old one; revoking kills every one.
    client.post(
        reverse("comparison-share-rotate", args=[original.edit_token, comparison.public_id])
    )
    comparison.refresh_from_db()
    assert client.get(reverse("comparison-share", args=[token])).status_code == 404
    new_token = comparison.share_token
    assert client.get(reverse("comparison-share", args=[new_token])).status_code == 200
    client.post(
        reverse("comparison-share-revoke", args=[original.edit_token, comparison.public_id])
    )
    comparison.refresh_from_db()
    assert comparison.share_token is None
    gone = client.get(reverse("comparison-share", args=[new_token]))
    unknown = client.get(reverse("comparison-share", args=["x" * 43]))
    malformed = client.get("/c/short/")
    assert gone.status_code == unknown.status_code == malformed.status_code == 404
    assert gone.content == unknown.content


def test_a_comparison_page_is_only_for_its_own_assessment(client):
    original = completed_assessment(INVOICE)
    comparison = saved(client, original, {"change": ["0"]})
    stranger = completed_assessment()
    url = reverse("comparison-owner", args=[stranger.edit_token, comparison.public_id])
    assert client.get(url).status_code == 404
    rotate = reverse("comparison-share-rotate", args=[stranger.edit_token, comparison.public_id])
    assert client.post(rotate).status_code == 404
    # The share link is read-only.
    share = reverse("comparison-share", args=[comparison.share_token])
    assert client.post(share).status_code == 405


def test_the_comparison_csv_parses_back_with_every_line_item_neutralised(client):
    original = completed_assessment(INVOICE)
    other = completed_assessment({**DOCS, "project_name": '=HYPERLINK("x")'})
    comparison = saved(client, original, {"links": other.share_url})
    for url in (
        reverse("comparison-share-csv", args=[comparison.share_token]),
        reverse("comparison-owner-csv", args=[original.edit_token, comparison.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="invoice')
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff") and "\r\n" in body
        rows = list(csv.reader(io.StringIO(body[1:])))
        assert rows[0] == list(comparisons.CSV_HEADER)
        names = {row[0] for row in rows[1:]}
        assert names == {original.project_name, '\'=HYPERLINK("x")'}
        for result, name in ((original.result, original.project_name),):
            count = sum(len(o["breakdown"]) for o in result["costs"]["options"].values())
            assert sum(1 for row in rows[1:] if row[0] == name) == count
        assert all(float(row[4]) >= 0 for row in rows[1:])


def test_the_comparison_pdf_reads_back_with_both_columns(client):
    cache.clear()
    original = completed_assessment(INVOICE)
    comparison = saved(client, original, {"change": ["0"]})
    response = client.get(reverse("comparison-share-pdf", args=[comparison.share_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Invoice fields compared" in text
    assert "Recommendation" in text and "Break-even" in text and "First step" in text
    row = original.result["what_would_change"][0]
    assert APPROACH_LABELS[original.result["approach"]] in text
    assert APPROACH_LABELS[row["approach"]] in text
    assert comparison.share_url in text.replace(" ", "")
    owner = client.get(
        reverse("comparison-owner-pdf", args=[original.edit_token, comparison.public_id])
    )
    assert owner.status_code == 200 and owner.content == response.content


def test_pasted_links_count_against_the_token_lookup_limit(client, settings):
    settings.RATE_LIMITS = {"token-lookup": (4, 60), "create-assessment": (30, 3600)}
    cache.clear()
    original = completed_assessment()
    others = [completed_assessment().share_url for _ in range(3)]
    # One request for the page itself and three links: four lookups, within the limit.
    assert client.post(compare_url(original), {"links": "\n".join(others)}).status_code == 200
    refused = client.post(compare_url(original), {"links": others[0]})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_a_stored_v1_shaped_result_still_compares():
    old = {"approach": "rag", "confidence": 80, "costs": {"break_even_monthly_queries": None}}
    table = comparisons.side_by_side(
        [
            comparisons.Column("Old", old, {"monthly_queries": 10}),
            comparisons.Column("New", assess(dict(DOCS)), {"monthly_queries": 20}),
        ]
    )
    outcome = {row.key: row.values for row in table.outcome}
    assert outcome["confidence"][0] == "80%" and outcome["break_even"][0] == "never"
    assert outcome["first_step"][0] == "-" and outcome["total:rag"][0] == "-"


def test_rotating_a_pasted_link_drops_it_too(client):
    original = completed_assessment()
    other = completed_assessment({**DOCS, "project_name": "Other"})
    comparison = saved(client, original, {"links": other.share_url})
    assert len(comparisons.columns(original, comparison.members)[0]) == 2
    rotate_share_token(other)
    assert comparisons.columns(original, comparison.members)[1] == 1


def test_comparison_links_count_against_the_token_lookup_limit_and_stay_out_of_logs(
    client, settings
):
    from advisor.web.redaction import redact

    settings.RATE_LIMITS = {"token-lookup": (3, 60), "create-assessment": (30, 3600)}
    cache.clear()
    statuses = [client.get(f"/c/{'y' * 43}/").status_code for _ in range(5)]
    assert statuses == [404] * 3 + [429] * 2
    token = comparisons.create_comparison(completed_assessment(), []).share_token
    assert token not in redact(f'"GET /c/{token}/comparison.pdf HTTP/1.1" 200')
