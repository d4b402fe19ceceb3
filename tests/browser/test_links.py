"""What a reader sees through a link that no longer leads anywhere, and the share page banner."""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from advisor.assessments import links
from tests.browser.screens import screenshot_path
from tests.report_helpers import completed_assessment

pytestmark = pytest.mark.browser


def bad_share_links() -> dict[str, str]:
    revoked, replaced = completed_assessment(), completed_assessment()
    revoked_token, replaced_token = revoked.share_token, replaced.share_token
    links.revoke_share_token(revoked)
    links.rotate_share_token(replaced)
    return {
        "revoked": f"/s/{revoked_token}/",
        "replaced": f"/s/{replaced_token}/",
        "mistyped": f"/s/{replaced_token[:-1]}/",
        "unknown": f"/s/{secrets.token_urlsafe(32)}/",
        "unknown edit link": f"/a/{secrets.token_urlsafe(32)}/result/",
    }


DOCUMENT_404 = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def open_dead_link(page: Page, url: str):
    """Open a link expected to answer 404. Chromium logs the document's own 404 as a console
    error; that one is expected, anything else the page loads must succeed."""
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(url)
    assert response.status == 404
    assert failed == [response.url], failed
    page.console_errors.remove(DOCUMENT_404)
    return response


def test_a_dead_link_explains_itself_and_offers_a_new_assessment(page: Page):
    bodies = set()
    for url in bad_share_links().values():
        response = open_dead_link(page, url)
        bodies.add(response.body())
        title = page.get_by_role("heading", level=1)
        expect(title).to_have_text("There is nothing at this address")
        expect(page.locator("main")).to_contain_text("turned sharing off")
        expect(page.locator("main")).to_contain_text("mistyped")
    assert len(bodies) == 1  # nothing tells a revoked link from one that never existed

    page.get_by_role("link", name="Start your own assessment").click()
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your product")


def test_the_dead_link_page_reads_on_a_phone(page: Page):
    page.set_viewport_size({"width": 375, "height": 812})
    open_dead_link(page, f"/s/{secrets.token_urlsafe(32)}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_role("link", name="Start your own assessment")).to_be_visible()
    page.screenshot(path=screenshot_path("not-found-375.png"), full_page=True)


def test_the_share_page_says_at_the_top_whose_report_it_is_and_how_it_was_made(page: Page):
    assessment = completed_assessment()
    page.goto(f"/s/{assessment.share_token}/")
    banner = page.get_by_role("region", name="Shared report")
    expect(banner).to_contain_text("Read-only")
    expect(banner).to_contain_text("Docs assistant")
    expect(banner).to_contain_text("21 November 2026")
    expect(banner).to_contain_text(re.compile(r"engine \S+"))
    expect(banner).to_contain_text(re.compile(r"prices as of \S+"))
    assert banner.bounding_box()["y"] < page.get_by_role("heading", level=1).bounding_box()["y"]
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=screenshot_path(f"share-{width}.png"))
    banner.get_by_role("link", name="Start your own assessment").click()
    page.wait_for_url("**/assessments/new/")
    expect(page.get_by_role("button", name="Start the interview")).to_be_visible()
