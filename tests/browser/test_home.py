import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_opens_the_home_page_and_follows_the_start_link(page):
    page.goto("/")

    assert page.title().startswith("Model customisation advisor")
    page.get_by_role("link", name="Start an assessment").click()

    page.wait_for_url("**/assessments/new/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Start")
