import re

import pytest
from django.urls import reverse

from tests.report_helpers import DOCS, completed_assessment

pytestmark = pytest.mark.browser


def test_the_owner_sees_the_recommendation_first_and_the_charts(page):
    assessment = completed_assessment()
    page.goto(reverse("assessment-result", args=[assessment.edit_token]))

    assert page.get_by_role("heading", level=1).inner_text() == "Docs assistant"
    assert page.locator(".verdict-approach").inner_text() == "Retrieval (RAG)"
    charts = page.get_by_role("img", name="Cumulative cost by approach")
    charts.scroll_into_view_if_needed()
    assert charts.is_visible()
    box = charts.bounding_box()
    assert box["width"] > 400 and box["height"] > 200
    assert page.get_by_role("link", name="Download PDF").is_visible()


def test_the_sections_can_be_reached_from_the_keyboard(page):
    assessment = completed_assessment()
    page.goto(reverse("share-result", args=[assessment.share_token]))

    page.get_by_role("link", name="Trade-offs").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#tradeoffs")
    assert page.get_by_role("heading", name="Trade-offs").is_visible()


def test_the_share_page_reads_on_a_phone_without_sideways_scrolling(page):
    assessment = completed_assessment()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("share-result", args=[assessment.share_token]))

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("form").count() == 0
    chart = page.get_by_role("img", name="Total cost over 12 months by monthly volume")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    assert page.get_by_role("link", name="Download data (JSON)").is_visible()


def test_not_launched_yet_shows_the_build_cost_and_says_when_running_costs_start(page):
    assessment = completed_assessment({**DOCS, "monthly_queries": 0})
    page.goto(reverse("assessment-result", args=[assessment.edit_token]))

    note = page.locator(".cost-note").filter(has_text="Not launched yet")
    note.scroll_into_view_if_needed()
    assert note.is_visible()
    assert "Running costs start with the first users" in note.inner_text()
    option = assessment.result["costs"]["options"][assessment.result["approach"]]
    assert option["total_usd"] == option["upfront_usd"]  # the build cost is the whole total


def test_the_tradeoff_table_marks_only_rows_the_answers_bear_on(page):
    calm = {**DOCS, "needs_citations": False, "error_cost": "medium", "ml_expertise": "some"}
    assessment = completed_assessment(calm)
    page.goto(reverse("assessment-result", args=[assessment.edit_token]))

    table = page.locator(".tradeoff-table")
    table.scroll_into_view_if_needed()
    marked = table.locator("tr.matters th .dimension").all_inner_texts()
    assert "Citations and auditability" not in marked
    assert "Hallucination control" not in marked
    assert len(marked) <= 6, marked
    # Every marked row says why, in one line.
    whys = table.locator("tr.matters .matters-why").all_inner_texts()
    assert len(whys) == len(marked) and all(w.strip() for w in whys)


def test_on_a_phone_the_cost_table_is_one_card_per_approach(page):
    assessment = completed_assessment()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse("assessment-result", args=[assessment.edit_token]))

    rows = page.locator(".cost-summary tbody tr")
    assert rows.count() == 4
    first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # stacked, not side by side
    assert first["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    sensitivity = page.get_by_role("img", name=re.compile("What moves the cost"))
    sensitivity.scroll_into_view_if_needed()
    assert sensitivity.bounding_box()["width"] <= 375
