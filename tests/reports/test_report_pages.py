import html
import json
import re

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from advisor.assessments.links import revoke_share_token
from advisor.assessments.models import Assessment
from advisor.engine import APPROACH_LABELS
from tests.report_helpers import (
    DOCS,
    MARKUP_NAME,
    RESULT_SCHEMA,
    completed_assessment,
)

pytestmark = pytest.mark.django_db


def owner_url(assessment: Assessment, name: str = "assessment-result") -> str:
    return reverse(name, args=[assessment.edit_token])


def share_url(assessment: Assessment, name: str = "share-result") -> str:
    return reverse(name, args=[assessment.share_token])


def test_the_owner_page_shows_the_whole_report(client):
    assessment = completed_assessment()
    result = assessment.result
    response = client.get(owner_url(assessment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Docs assistant" in page
    assert APPROACH_LABELS[result["approach"]] in page
    assert f"{round(result['confidence'] * 100)}%" in page
    for heading in (
        "Why this recommendation",
        "Roadmap",
        "What would change the answer",
        "Costs over 12 months",
        "Trade-offs",
        "Assumptions",
        "Your answers",
    ):
        assert heading in page
    assert result["roadmap"][0]["action"] in page
    assert page.count("<svg") >= 2 and 'role="img"' in page
    assert "Matters to you" in page
    assert "How often does the information it relies on change?" in page
    assert "Every week" in page


def test_the_page_shows_the_reasons_with_the_question_and_the_answer_given(client):
    assessment = completed_assessment()
    page = client.get(owner_url(assessment)).content.decode()
    assert "When the model gets it wrong, what goes wrong?" in page
    assert "It doesn&#x27;t know our facts" in page
    assert "Favours Retrieval (RAG)" in page
    assert "Strong" in page


def test_the_page_lists_every_cost_line_item_with_its_basis(client):
    assessment = completed_assessment()
    page = client.get(owner_url(assessment)).content.decode()
    for option in assessment.result["costs"]["options"].values():
        for item in option["breakdown"]:
            assert str(item["label"]).replace("'", "&#x27;") in page


def test_what_would_change_lists_each_flip(client):
    answers = {**DOCS, "data_change_frequency": "rarely", "needs_citations": False}
    assessment = completed_assessment(answers)
    changes = assessment.result["what_would_change"]
    page = client.get(owner_url(assessment)).content.decode()
    for change in changes:
        assert change["question_label"].replace("'", "&#x27;") in page
        assert f"if it were <strong>{change['display']}" in page


def test_answered_i_dont_know_shows_the_assumed_value(client):
    answers = {k: v for k, v in DOCS.items() if k != "stage"}
    assessment = completed_assessment(answers, unknown=["stage"])
    page = client.get(owner_url(assessment)).content.decode()
    assert "I don&#x27;t know (we assume “An idea, nothing built yet”)" in page


def test_the_owner_page_has_the_owner_actions(client):
    assessment = completed_assessment()
    page = client.get(owner_url(assessment)).content.decode()
    assert reverse("assessment-pdf", args=[assessment.edit_token]) in page
    assert reverse("assessment-export", args=[assessment.edit_token]) in page


def test_the_owner_page_without_a_result_goes_back_to_the_wizard(client):
    assessment = completed_assessment(result=None, status=Assessment.Status.DRAFT)
    response = client.get(owner_url(assessment))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-resume", args=[assessment.edit_token])


def test_an_unknown_owner_token_is_not_found(client):
    response = client.get(reverse("assessment-result", args=["x" * 43]))
    assert response.status_code == 404


def test_share_pages_and_downloads_send_no_referrer_and_noindex(client):
    assessment = completed_assessment()
    for url in (
        share_url(assessment),
        share_url(assessment, "share-export"),
        share_url(assessment, "share-pdf"),
        owner_url(assessment, "assessment-export"),
        owner_url(assessment, "assessment-pdf"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        assert "no-store" in response["Cache-Control"]


def test_the_owner_page_keeps_referrers_on_its_own_site(client):
    # Its buttons are forms; with no-referrer they would post `Origin: null` and fail CSRF.
    response = client.get(owner_url(completed_assessment()))
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert 'content="no-referrer"' not in response.content.decode()


def test_the_share_page_shows_the_report_without_edit_controls(client):
    assessment = completed_assessment()
    response = client.get(share_url(assessment))
    page = response.content.decode()
    assert response.status_code == 200
    assert APPROACH_LABELS[assessment.result["approach"]] in page
    assert "Trade-offs" in page and "<svg" in page
    assert "<form" not in page
    assert assessment.edit_token not in page
    assert "/a/" not in page
    assert reverse("share-pdf", args=[assessment.share_token]) in page
    assert reverse("share-export", args=[assessment.share_token]) in page


def test_the_share_page_has_a_title_and_description_for_link_previews(client):
    assessment = completed_assessment()
    page = client.get(share_url(assessment)).content.decode()
    assert "<title>Docs assistant: Retrieval (RAG)" in page
    assert '<meta property="og:title" content="Docs assistant: Retrieval (RAG)">' in page
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert description.startswith("Recommendation: Retrieval (RAG)")
    assert '<meta property="og:description"' in page


def test_a_revoked_share_link_is_not_found(client):
    assessment = completed_assessment()
    token = assessment.share_token
    revoke_share_token(assessment)
    for name in ("share-result", "share-export", "share-pdf"):
        assert client.get(reverse(name, args=[token])).status_code == 404


def test_an_unfinished_assessment_has_no_share_page(client):
    assessment = completed_assessment(result=None, status=Assessment.Status.DRAFT)
    assert client.get(share_url(assessment)).status_code == 404
    assert client.get(share_url(assessment, "share-export")).status_code == 404


def test_a_project_name_full_of_markup_is_shown_as_text(client):
    assessment = completed_assessment({**DOCS, "project_name": MARKUP_NAME})
    for url in (owner_url(assessment), share_url(assessment)):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;b&gt;Acme&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pages_have_no_inline_styles_or_scripts(client):
    assessment = completed_assessment()
    for url in (owner_url(assessment), share_url(assessment)):
        page = client.get(url).content.decode()
        assert " style=" not in page and "<style" not in page
        for script in re.findall(r"<script[^>]*>", page):
            assert "src=" in script and "nonce=" in script


def test_the_json_export_downloads_the_answers_and_the_stored_result(client):
    assessment = completed_assessment()
    for url in (owner_url(assessment, "assessment-export"), share_url(assessment, "share-export")):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/json")
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="docs-assistant-2026-11-21.json"'
        )
        doc = json.loads(response.content)
        assert doc == {"answers": DOCS, "result": assessment.result}
        Draft202012Validator(RESULT_SCHEMA).validate(doc["result"])


def test_the_download_name_is_safe_whatever_the_project_is_called(client):
    assessment = completed_assessment({**DOCS, "project_name": 'Ünïcode "quoted"; X-Evil: 1'})
    response = client.get(share_url(assessment, "share-export"))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="unicode-quoted-x-evil-1-2026-11-21.json"'
    )


def test_pages_show_the_stored_result_not_a_fresh_assessment(client, monkeypatch):
    assessment = completed_assessment()
    stored = dict(assessment.result, summary="The summary stored at the time.")
    Assessment.objects.filter(pk=assessment.pk).update(result=stored)

    def no_engine(*args, **kwargs):
        raise AssertionError("the engine must not run when a result is shown")

    monkeypatch.setattr("advisor.engine.assess", no_engine)
    page = client.get(owner_url(assessment)).content.decode()
    assert "The summary stored at the time." in page


def test_an_outdated_result_shows_the_answers_it_was_based_on(client):
    assessment = completed_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(
        answers={**DOCS, "monthly_queries": 999_999}, status=Assessment.Status.DRAFT
    )
    page = client.get(owner_url(assessment)).content.decode()
    assert "You have changed answers since this recommendation was made" in page
    assert "15,000" in page and "999,999" not in page


@pytest.mark.parametrize("which", ["owner", "share"])
def test_a_result_page_takes_a_fixed_small_number_of_queries(
    client, which, django_assert_max_num_queries
):
    assessment = completed_assessment()
    url = owner_url(assessment) if which == "owner" else share_url(assessment)
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


def test_a_result_from_an_older_engine_says_so_and_offers_the_rerun(client):
    assessment = completed_assessment()
    page = client.get(owner_url(assessment)).content.decode()
    assert "This recommendation was made by engine" not in page
    old = dict(assessment.result, engine_version="2026.11.1")
    Assessment.objects.filter(pk=assessment.pk).update(result=old)
    page = html.unescape(client.get(owner_url(assessment)).content.decode())
    assert "made by engine 2026.11.1" in page
    assert reverse("assessment-rerun", args=[assessment.edit_token]) in page
    # The share page shows which engine judged it, but offers no re-run to readers.
    shared = html.unescape(client.get(share_url(assessment)).content.decode())
    assert "2026.11.1" in shared
    assert "assessment-rerun" not in shared and "/rerun/" not in shared
