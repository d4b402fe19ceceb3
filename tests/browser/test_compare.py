"""Duplicate an assessment, change one answer of the copy, and compare the two side by side, at
desktop and phone widths, with htmx and without JavaScript."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from advisor.assessments.models import Assessment
from tests.reports.test_compare import finished

pytestmark = pytest.mark.browser

MONTHLY = "How many AI calls a month do you expect?"


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(settings, live_server):
    settings.SITE_ORIGIN = live_server.url


def no_sideways_scrolling(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def duplicate_and_change(page: Page, original: Assessment) -> None:
    page.goto(reverse("assessment-result", args=[original.edit_token]))
    page.get_by_role("button", name="Duplicate to try a variant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    page.get_by_role("link", name=f"Change your answer to “{MONTHLY}”").click()
    page.get_by_label(MONTHLY).fill("3000000")
    page.get_by_role("button", name=re.compile("^Save and (return|continue|check)")).click()
    expect(page).not_to_have_url(re.compile(r"/step/constraints/"))
    if "/check/" not in page.url:  # without the way back, go straight to the check page
        page.goto(page.url.split("/step/")[0] + "/check/")
    page.get_by_role("button", name="Get my recommendation").click()
    expect(page).to_have_url(re.compile(r"/result/$"))


def test_duplicate_change_an_answer_and_compare_at_1280_and_375(page: Page):
    original = finished()
    duplicate_and_change(page, original)
    copy = Assessment.objects.exclude(pk=original.pk).get()
    assert copy.result is not None and copy.answers["monthly_queries"] == 3_000_000

    page.goto(reverse("assessment-result", args=[original.edit_token]))
    page.get_by_role("link", name="Compare variants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare side by side")
    page.get_by_label("Docs assistant (copy)").check()
    page.get_by_role("button", name="Compare", exact=True).click()  # htmx swaps the region

    table = page.get_by_role("table", name=re.compile("assessments side by side"))
    expect(table).to_be_visible()
    assert page.url.endswith("/compare/")
    row = table.get_by_role("row", name=re.compile(re.escape(MONTHLY)))
    expect(row).to_contain_text("15,000")
    expect(row).to_contain_text("3,000,000")
    expect(row).to_contain_text("differs")
    headers = table.get_by_role("columnheader")
    expect(headers.nth(0)).to_contain_text("Docs assistant")
    expect(headers.nth(1)).to_contain_text("Docs assistant (copy)")
    for label in ("Recommendation", "Confidence", "Total cost: Retrieval (RAG)", "Break-even"):
        expect(
            table.get_by_role("rowheader", name=re.compile("^" + re.escape(label)))
        ).to_be_visible()
    no_sideways_scrolling(page, 1280)

    # On a phone the same comparison stacks into one card per assessment.
    page.set_viewport_size({"width": 375, "height": 812})
    expect(table).to_be_hidden()
    cards = page.locator(".compare-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(1).get_by_role("heading")).to_contain_text("Docs assistant (copy)")
    expect(cards.nth(1)).to_contain_text("3,000,000")
    no_sideways_scrolling(page, 375)

    # Save it: the comparison's share page reads on the phone too.
    page.get_by_role("button", name="Save and get a share link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved comparison")
    share_url = page.get_by_label("Read-only link to this comparison").input_value()
    assert "/c/" in share_url
    page.goto(share_url)
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    expect(page.locator(".compare-card")).to_have_count(2)
    assert page.locator("form").count() == 0
    no_sideways_scrolling(page, 375)


def test_the_comparison_works_without_javascript(browser, live_server):
    original = finished()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(reverse("assessment-compare", args=[original.edit_token]))
        page.get_by_label("Share links you hold").fill(original.share_url + "\nnonsense")
        page.get_by_role("button", name="Compare", exact=True).click()
        expect(page.get_by_text("line 2 is not a share link that works")).to_be_visible()
        page.get_by_label("Share links you hold").fill(finished().share_url)
        page.get_by_role("button", name="Compare", exact=True).click()
        expect(page.get_by_role("table", name=re.compile("side by side"))).to_be_visible()
        expect(page.get_by_text("Shared with you").first).to_be_attached()
    finally:
        context.close()
