import pytest

from tests.browser.axe import audit_context, describe, wait_for_audits


@pytest.fixture(autouse=True)
def _accessible_pages(request):
    """Every page a browser test opens is checked with axe-core, after each htmx swap too."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = audit_context(page.context)
    yield
    if not page.is_closed():
        wait_for_audits(page)
    assert not violations, "accessibility violations:\n" + describe(violations)
