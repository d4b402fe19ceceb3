import pytest
from django.urls import reverse

from tests.report_helpers import completed_assessment

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
