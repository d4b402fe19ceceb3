import re

import pytest
from playwright.sync_api import Page, expect

from advisor.assessments.links import create_assessment
from advisor.engine import STEPS
from tests.browser.test_wizard import fill_product
from tests.wizard_steps import finished_assessment

pytestmark = pytest.mark.browser

COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
NOT_SAVED = re.compile(r"^Not saved: .+\. Your answers on this page are still here; try again\.$")


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(settings, live_server):
    settings.SITE_ORIGIN = live_server.url


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(header: str, body: str) -> None:
    csp = policy(header)
    for directive in ("script-src", "style-src"):
        nonces = [v for v in csp[directive] if v.startswith("'nonce-")]
        assert len(nonces) == 1, (directive, header)
        assert f'nonce="{nonces[0][7:-1]}"' in body  # the page's own tags carry it
        assert "'unsafe-inline'" not in csp[directive]
    assert "'unsafe-eval'" not in header
    assert "'unsafe-hashes'" not in header
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]


def test_no_page_breaks_the_content_security_policy(page: Page, live_server):
    page.add_init_script(COLLECT_VIOLATIONS)
    assessment = finished_assessment()
    owner, share = f"/a/{assessment.edit_token}", f"/s/{assessment.share_token}/"
    urls = [
        "/",
        "/assessments/new/",
        *(f"{owner}/step/{step.slug}/" for step in STEPS),
        f"{owner}/check/",
        f"{owner}/result/",
        f"{owner}/share/",
        f"{owner}/rerun/",
        share,
        "/assessments/",
    ]

    violations = {}
    nonces = set()
    for visit in ("first", "again"):  # the second visit may be served from the page cache
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_load_state("load")
            header = response.headers["content-security-policy"]
            assert_strict_policy(header, response.text())
            nonces.update(v for v in policy(header)["script-src"] if v.startswith("'nonce-"))
            violations[visit, url] = page.evaluate("() => window.cspViolations")
    assert len(nonces) == 2 * len(urls)  # a fresh nonce for every response

    assert all(found == [] for found in violations.values()), violations
    # A step saved through htmx swaps new markup in; it must obey the policy too.
    page.goto(f"{owner}/step/product/")
    fill_product(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How it should answer")
    violations["htmx swap"] = page.evaluate("() => window.cspViolations")

    assert all(found == [] for found in violations.values()), violations


def allow_console_errors(page: Page, status: int) -> None:
    """The failed request this test causes is logged by the browser and by htmx; those expected
    lines are dropped, and any other console error still fails the test."""
    expected = (f"status of {status}", f"Response Status Error Code {status}")
    page.console_errors[:] = [e for e in page.console_errors if not e.startswith(expected[1])]
    page.console_errors[:] = [e for e in page.console_errors if expected[0] not in e]


def type_product_answers(page: Page) -> None:
    fill_product(page, name="Typed but not saved")


def test_a_save_the_server_fails_says_not_saved_and_keeps_what_was_typed(page: Page):
    assessment = create_assessment()
    step = f"/a/{assessment.edit_token}/step/product/"
    page.goto(step)
    type_product_answers(page)

    def fail_posts(route):
        if route.request.method == "POST":
            route.fulfill(status=500, body="Server error")
        else:
            route.continue_()

    page.route(f"**{step}", fail_posts)
    page.get_by_role("button", name="Save and continue").click()

    alert = page.locator("form .request-failed")
    expect(alert).to_be_visible()
    expect(alert).to_have_text(NOT_SAVED)
    expect(alert).to_contain_text("the server had a problem")
    assert alert.get_attribute("role") == "alert"
    expect(page.get_by_label("What is the project called?")).to_have_value("Typed but not saved")
    expect(
        page.locator("#q-stage").get_by_role("radio", name=re.compile("^A prototype"))
    ).to_be_checked()
    expect(page.get_by_role("button", name="Save and continue")).to_be_enabled()
    allow_console_errors(page, 500)
    assessment.refresh_from_db()
    assert assessment.answers == {}

    page.unroute(f"**{step}")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How it should answer")
    assessment.refresh_from_db()
    assert assessment.answers["project_name"] == "Typed but not saved"


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_save_refused_by_the_csrf_check_says_so_and_the_next_try_works(
    page: Page, settings, debug
):
    settings.DEBUG = debug  # in debug mode django-htmx shows error answers in place of the page
    assessment = create_assessment()
    page.goto(f"/a/{assessment.edit_token}/step/product/")
    type_product_answers(page)
    page.context.clear_cookies(name="csrftoken")

    page.get_by_role("button", name="Save and continue").click()

    alert = page.locator("form .request-failed")
    expect(alert).to_have_text(NOT_SAVED)
    expect(alert).to_contain_text("security check")
    expect(page.get_by_label("What is the project called?")).to_have_value("Typed but not saved")
    allow_console_errors(page, 403)
    assessment.refresh_from_db()
    assert assessment.revision == 1

    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How it should answer")
    expect(page.locator(".request-failed")).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.answers["project_name"] == "Typed but not saved"
