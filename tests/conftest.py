import os
import shutil
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that browser tests
# make to set up or check data are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a file rather than in memory: the live server's threads then use their
    own connections, and WAL and IMMEDIATE transactions apply as in production."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _rate_limits_off(settings):
    """Rate limits count per client address, and every test is the same 127.0.0.1; the tests
    that exercise the limits switch them back on."""
    settings.RATE_LIMITS = {
        scope: (0, window) for scope, (_, window) in settings.RATE_LIMITS.items()
    }


@pytest.fixture(autouse=True)
def _pdfs_rendered_on_request(settings, tmp_path_factory):
    """PDF renders run at once in the requesting process (Django's immediate task backend),
    into a folder of the test's own; tests/reports/test_pdf_tasks.py uses the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PDF_STORAGE_DIR = tmp_path_factory.mktemp("pdfs")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests serve static files from the finders; no collectstatic manifest is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _cache_table(django_db_blocker, request) -> None:
    """The shared cache lives in a database table; create it in each test database."""
    if "django_db_setup" not in request.fixturenames:
        return
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; run 'make test' to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser context (no cookies, no storage) whose console errors fail the test."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def pytest_report_header(config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('NAME', '')}"
