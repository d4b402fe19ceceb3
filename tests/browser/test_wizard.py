import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from tests.browser.axe import audit_context, describe, wait_for_audits
from tests.browser.screens import screenshot_path
from tests.wizard_steps import STEP_DATA, finished_assessment, post_step

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(settings, live_server):
    settings.SITE_ORIGIN = live_server.url


@contextmanager
def fresh_browser(browser, live_server, **options) -> Iterator[Page]:
    """Another browser: no cookies, no history. Console errors and accessibility violations
    (checked wherever scripts run) fail the test here too."""
    context = browser.new_context(base_url=live_server.url, **options)
    violations = audit_context(context) if options.get("java_script_enabled", True) else []
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        if violations is not None and options.get("java_script_enabled", True):
            wait_for_audits(page)
    finally:
        context.close()
    assert not errors, f"browser console errors: {errors}"
    assert not violations, "accessibility violations:\n" + describe(violations)


def choose(page: Page, question: str, answer: str) -> None:
    """Pick a radio answer within one question (its label may go on with a hint)."""
    pattern = re.compile("^" + re.escape(answer) + r"(\W|$)")
    page.locator(f"#q-{question}").get_by_role("radio", name=pattern).check()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def save_and_continue(page: Page, next_title: str, button: str = "") -> None:
    name = button or re.compile("^Save and (continue|check)")
    page.get_by_role("button", name=name).click()
    expect(heading(page)).to_have_text(next_title)


def fill_product(page: Page, name: str = "Docs assistant") -> None:
    page.get_by_label("What is the project called?").fill(name)
    choose(page, "use_case", "Answers to questions from our documents")
    choose(page, "stage", "A prototype people have tried")
    choose(page, "problem_type", "It doesn't know our facts")
    choose(page, "prompting_result", "I don't know")


def fill_behaviour(page: Page) -> None:
    choose(page, "output_format", "Free text")
    choose(page, "style_consistency", "Not much")
    choose(page, "domain_language", "No, everyday or common business language")
    choose(page, "task_shape", "No, people ask all sorts of things")
    page.get_by_label("How long can users wait for an answer?").fill("2000")


def fill_data(page: Page, with_javascript: bool = True) -> None:
    choose(page, "data_change_frequency", "Every week")
    page.get_by_label("Roughly how many documents").fill("1200")
    choose(page, "corpus_structure", "Mostly free text")
    choose(page, "needs_citations", "Yes")
    choose(page, "per_user_permissions", "No")
    choose(page, "sensitive_data", "No")
    choose(page, "retrieval_issues", "No")
    page.get_by_label("How many examples of good answers").fill("300")
    if with_javascript:
        page.get_by_label("How many examples of good answers").press("Tab")
        choose(page, "label_quality", "Reviewed by people who know what good looks like")


def fill_constraints(page: Page, monthly_queries: str = "15000") -> None:
    page.get_by_label("How many AI calls a month do you expect?").fill(monthly_queries)
    page.get_by_label("How much can you spend to build it?").fill("5000")
    choose(page, "time_to_ship", "This month")
    choose(page, "error_cost", "Annoying: it costs us some trust")
    choose(page, "ml_expertise", "Nobody on the team")


def test_a_founder_walks_the_wizard_resumes_elsewhere_and_shares_the_result(
    page, browser, live_server
):
    page.goto("/")
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_role("button", name="Start the interview").click()
    expect(heading(page)).to_have_text("Your product")
    expect(page.get_by_role("heading", name="Your private link")).to_be_visible()
    private_link = page.locator("#private-link-url").input_value()
    assert private_link.startswith(live_server.url + "/a/")

    # Steps swap in place: the page is never reloaded and the address follows the step.
    page.evaluate("() => { window.stillTheSamePage = true }")
    fill_product(page)
    save_and_continue(page, "How it should answer")
    assert page.url.endswith("/step/behaviour/")
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.title().startswith("How it should answer · Docs assistant")
    expect(heading(page)).to_be_focused()  # screen readers hear the new step
    expect(page.locator("nav[aria-label='Interview progress'] [aria-current='step']")).to_have_text(
        re.compile("How it should answer")
    )

    # Back keeps what was entered on both steps; a changed answer is kept.
    fill_behaviour(page)
    page.get_by_role("button", name=re.compile("^Back to")).click()
    expect(heading(page)).to_have_text("Your product")
    assert page.url.endswith("/step/product/")
    expect(page.get_by_label("What is the project called?")).to_have_value("Docs assistant")
    choose(page, "stage", "Live with real users")
    save_and_continue(page, "How it should answer")
    expect(page.get_by_label("How long can users wait for an answer?")).to_have_value("2000")
    expect(
        page.locator("#q-output_format").get_by_role("radio", name="Free text", exact=True)
    ).to_be_checked()
    save_and_continue(page, "Your data")

    # The browser's back button shows the earlier step with its answers.
    page.go_back()
    expect(heading(page)).to_have_text("How it should answer")
    expect(page.get_by_label("How long can users wait for an answer?")).to_have_value("2000")
    page.go_forward()
    expect(heading(page)).to_have_text("Your data")

    # The follow-up question appears once there are examples.
    expect(page.locator("#q-label_quality input")).to_have_count(0)
    fill_data(page)
    save_and_continue(page, "Budget, time and team")

    # Plain-words errors next to the field; everything else typed stays.
    fill_constraints(page, monthly_queries="-5")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#q-monthly_queries .invalid-feedback")).to_contain_text(
        "Enter a number of at least 0."
    )
    expect(page.get_by_role("alert")).to_contain_text("Some answers need another look")
    expect(page.get_by_label("How much can you spend to build it?")).to_have_value("5000")
    assert page.url.endswith("/step/constraints/")

    # Leave, and come back in another browser through the private link.
    with fresh_browser(browser, live_server) as elsewhere:
        elsewhere.goto(private_link)
        expect(heading(elsewhere)).to_have_text("Budget, time and team")
        assert elsewhere.url.endswith("/step/constraints/")
        fill_constraints(elsewhere)
        save_and_continue(elsewhere, "Cost details")
        save_and_continue(elsewhere, "Check your answers")
        check = elsewhere.locator("#wizard")
        expect(check).to_contain_text("Live with real users")
        expect(check).to_contain_text("Reviewed by people who know what good looks like")
        expect(check).to_contain_text("I don't know (we assume “We haven't really tried yet”)")
        elsewhere.get_by_role("button", name="Get my recommendation").click()
        expect(heading(elsewhere)).to_have_text("Docs assistant")
        expect(elsewhere.get_by_text("Retrieval (RAG)").first).to_be_visible()
        share_link = elsewhere.locator("#share-link-url").input_value()
        assert share_link.startswith(live_server.url + "/s/")

    # The share link shows the result, read-only, to anybody.
    with fresh_browser(browser, live_server) as reader:
        reader.goto(share_link)
        expect(heading(reader)).to_have_text("Docs assistant")
        expect(reader.get_by_text("Retrieval (RAG)").first).to_be_visible()
        assert reader.locator("form").count() == 0
        assert reader.locator("input:not([readonly]), textarea, select").count() == 0
        expect(reader.get_by_role("link", name="Edit answers")).to_have_count(0)
        expect(
            reader.get_by_role("button", name=re.compile("Duplicate|Re-run|Replace"))
        ).to_have_count(0)

    # This browser remembers the assessment it started.
    page.goto("/")
    expect(page.locator(".your-assessments")).to_contain_text("Docs assistant")


def test_the_whole_wizard_works_with_javascript_off(browser, live_server):
    with fresh_browser(browser, live_server, java_script_enabled=False) as page:
        page.goto("/assessments/new/")
        page.get_by_role("button", name="Start the interview").click()
        expect(heading(page)).to_have_text("Your product")

        fill_product(page, name="No-script assistant")
        save_and_continue(page, "How it should answer")
        fill_behaviour(page)
        save_and_continue(page, "Your data")

        # Without JavaScript the follow-up question appears after saving its trigger.
        fill_data(page, with_javascript=False)
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_text("Your answers make one more question relevant")).to_be_visible()
        choose(page, "label_quality", "Mixed: some are wrong or inconsistent")
        save_and_continue(page, "Budget, time and team")

        fill_constraints(page, monthly_queries="lots")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("#q-monthly_queries .invalid-feedback")).to_contain_text(
            "Enter a whole number"
        )
        page.get_by_label("How many AI calls a month do you expect?").fill("15000")
        save_and_continue(page, "Cost details")
        page.get_by_role("button", name=re.compile("^Back to")).click()
        expect(heading(page)).to_have_text("Budget, time and team")
        expect(page.get_by_label("How many AI calls a month do you expect?")).to_have_value("15000")
        page.locator("nav[aria-label='Interview progress']").get_by_role(
            "link", name=re.compile("Cost details")
        ).click()
        save_and_continue(page, "Check your answers")
        expect(page.locator("main")).to_contain_text("Mixed: some are wrong or inconsistent")

        page.get_by_role(
            "link", name=re.compile("Change your answer to “What is the project")
        ).click()
        page.get_by_label("What is the project called?").fill("No-script assistant v2")
        # A change made from the check page goes straight back there once saved.
        save_and_continue(page, "Check your answers", button="Save and return to your answers")
        expect(page.locator("main")).to_contain_text("No-script assistant v2")
        page.get_by_role("button", name="Get my recommendation").click()
        expect(heading(page)).to_have_text("No-script assistant v2")
        assert "/result/" in page.url

        page.goto("/assessments/")
        expect(page.locator("main")).to_contain_text("No-script assistant v2")


def test_the_owner_rotates_the_share_link_and_duplicates_from_the_result(
    page, browser, live_server
):
    assessment = finished_assessment()
    page.goto(f"/a/{assessment.edit_token}/result/")
    old_share_link = page.locator("#share-link-url").input_value()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#owner-actions").get_by_role("button", name="Copy").click()
    expect(page.locator("#owner-actions").get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == old_share_link

    # Asked first, in a dialog; cancelling changes nothing.
    page.get_by_role("link", name="Replace with a new link").click()
    dialog = page.get_by_role("dialog", name="Replace the share link?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("stops working at once")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert page.locator("#share-link-url").input_value() == old_share_link
    page.get_by_role("link", name="Replace with a new link").click()
    page.get_by_role("dialog").get_by_role("button", name="Replace the link").click()
    expect(page.get_by_text("the old share link no longer works")).to_be_visible()
    new_share_link = page.locator("#share-link-url").input_value()
    assert new_share_link != old_share_link

    with fresh_browser(browser, live_server) as reader:
        assert reader.request.get(old_share_link).status == 404
        assert reader.request.get(new_share_link).status == 200

    page.get_by_role("link", name="Back to the report").click()
    page.get_by_role("button", name="Duplicate to try a variant").click()
    expect(heading(page)).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text("Support bot (copy)")
    assert Assessment.objects.count() == 2


def answered_assessment() -> Assessment:
    """An assessment with every step saved through the forms, not yet run."""
    assessment, client = create_assessment(), Client()
    for slug in STEP_DATA:
        changes = {"sensitive_data": "no"} if slug == "data" else {}
        assert post_step(client, assessment, slug, **changes).status_code == 302
    return assessment


def test_a_change_from_the_check_page_returns_there_after_saving(page):
    assessment = answered_assessment()
    page.goto(f"/a/{assessment.edit_token}/check/")
    page.evaluate("() => { window.stillTheSamePage = true }")
    page.get_by_role("link", name=re.compile("Change your answer to “How many AI calls")).click()
    expect(heading(page)).to_have_text("Budget, time and team")
    page.get_by_label("How many AI calls a month do you expect?").fill("42000")
    save_and_continue(page, "Check your answers", button="Save and return to your answers")
    assert page.url.endswith(f"/a/{assessment.edit_token}/check/")
    expect(page.locator("#wizard")).to_contain_text("42,000")
    # Going through the steps in order still carries on to the next step.
    page.locator("nav[aria-label='Interview progress']").get_by_role(
        "link", name=re.compile("Your product")
    ).click()
    save_and_continue(page, "How it should answer")


def test_turning_sharing_off_and_deleting_ask_first_in_a_dialog(page, browser, live_server):
    assessment = finished_assessment()
    share_link = f"/s/{assessment.share_token}/"
    page.goto(f"/a/{assessment.edit_token}/result/")

    page.get_by_role("link", name="Turn off sharing").click()
    dialog = page.get_by_role("dialog", name="Turn off sharing?")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.request.get(share_link).status == 200

    page.get_by_role("link", name="Turn off sharing").click()
    page.get_by_role("dialog").get_by_role("button", name="Turn off sharing").click()
    expect(page.get_by_role("status")).to_contain_text("sharing is turned off")
    assert page.request.get(share_link).status == 404
    page.console_errors.clear()  # the 404 just asked for on purpose

    page.get_by_role("link", name="Back to the report").click()
    page.get_by_role("link", name="Delete this assessment").click()
    dialog = page.get_by_role("dialog", name="Delete this assessment?")
    expect(dialog).to_contain_text("cannot be undone")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=screenshot_path(f"delete-dialog-{width}.png"))
    dialog.get_by_role("button", name="Delete for good").click()
    expect(heading(page)).to_have_text("Assessment deleted")
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    page.goto("/assessments/")
    expect(page.locator("main")).not_to_contain_text("Support bot")


def test_without_javascript_link_changes_and_deleting_ask_on_a_page(browser, live_server):
    assessment = finished_assessment()
    with fresh_browser(browser, live_server, java_script_enabled=False) as page:
        page.goto(f"/a/{assessment.edit_token}/result/")
        old_share = page.locator("#share-link-url").input_value()
        page.get_by_role("link", name="Replace with a new link").click()
        expect(heading(page)).to_have_text("Replace the share link?")
        page.get_by_role("link", name="Cancel").click()
        assert page.locator("#share-link-url").input_value() == old_share
        page.get_by_role("link", name="Replace with a new link").click()
        page.get_by_role("button", name="Replace the link").click()
        expect(page.get_by_role("status")).to_contain_text("the old share link no longer works")
        assert page.locator("#share-link-url").input_value() != old_share

        page.get_by_role("link", name="Turn off sharing").click()
        expect(heading(page)).to_have_text("Turn off sharing?")
        page.get_by_role("button", name="Turn off sharing").click()
        expect(page.get_by_role("status")).to_contain_text("sharing is turned off")

        page.get_by_role("link", name="Back to the report").click()
        page.get_by_role("link", name="Delete this assessment").click()
        expect(heading(page)).to_have_text("Delete this assessment?")
        page.get_by_role("button", name="Delete for good").click()
        expect(heading(page)).to_have_text("Assessment deleted")
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_the_model_list_offers_current_models_first_and_suggests_near_matches(page):
    assessment = answered_assessment()
    page.goto(f"/a/{assessment.edit_token}/step/costs/")
    options = page.locator("#model-options option")
    names = options.evaluate_all("(all) => all.map((o) => o.value)")
    labels = options.evaluate_all("(all) => all.map((o) => o.label)")
    assert not {"ada", "babbage", "babbage-002", "davinci-002"} & set(names)  # retired
    assert labels[0] == "OpenAI" and labels[names.index("gpt-4.1")] == "OpenAI"
    # Grouped: each provider's current models sit together, before any older ones.
    runs = [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
    assert len(runs) == len(set(runs)), runs  # every group is one unbroken run
    first_older = next(i for i, label in enumerate(labels) if "older" in label)
    assert all("older" in label for label in labels[first_older:])
    assert names.index("gpt-3.5-turbo") > first_older
    assert names.index("claude-sonnet-4-5") < first_older

    page.locator("#id_model").fill("gpt-4o-mnii")
    page.get_by_role("button", name=re.compile("^Save and check")).click()
    feedback = page.locator("#q-model .invalid-feedback")
    expect(feedback).to_contain_text("“gpt-4o-mnii” is not a model we have prices for")
    expect(feedback).to_contain_text("Did you mean “gpt-4o-mini”")


RERUN_STATE = """() => {
  const form = document.querySelector("#owner-actions form[data-progress]");
  const status = form.querySelector("[role=status]");
  return { status: status.textContent.trim(), busy: form.getAttribute("aria-busy"),
           live: status.getAttribute("aria-live") };
}"""
# Stands in for a slow server: the form's submission is seen, and kept from leaving the page.
HOLD_SUBMISSIONS = """() => {
  window.sent = 0;
  window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) window.sent += 1;
    event.preventDefault();
  });
}"""


def test_a_rerun_says_it_is_on_its_way_while_the_server_works(page):
    assessment = finished_assessment()
    page.goto(f"/a/{assessment.edit_token}/result/")
    page.evaluate(HOLD_SUBMISSIONS)
    rerun = page.get_by_role("button", name="Re-run with today's engine")
    rerun.click()
    state = page.evaluate(RERUN_STATE)
    assert state["status"] == "Re-running with today's engine and prices. This takes a few seconds."
    assert state["busy"] == "true" and state["live"] == "polite"
    rerun.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("rerun-progress-1280.png"))
    page.evaluate(
        "() => document.querySelector('#owner-actions form[data-progress]').requestSubmit()"
    )
    assert page.evaluate("() => window.sent") == 1  # a second try sends nothing more

    page.reload()
    rerun.click()  # and the real one answers
    expect(heading(page)).to_have_text("Re-run with today's engine and prices")
