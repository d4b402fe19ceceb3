"""Twenty people saving at the same moment, over HTTP against the live server's threads (each with
its own database connection): no "database is locked", no lost update, and every assessment
ends complete and valid. Runs on SQLite (a file with WAL and IMMEDIATE transactions) and, in CI's
second pass, on PostgreSQL."""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.engine import STEPS, validate_answers
from bench.driver import Client
from bench.flows import STEPS as STEP_ANSWERS
from bench.flows import Founder, expect

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 20


@pytest.fixture(autouse=True)
def _pdfs_queued_not_rendered(settings):
    """As in production, completing only queues the PDF (here on Django's dummy backend, which
    keeps the queued task); rendering it inside each of twenty racing requests would measure
    WeasyPrint, not the saves. tests/reports/test_pdf_tasks.py covers the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _limits_counted_but_never_reached(settings):
    # Every request also writes its rate-limit count to the shared cache table.
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "token-lookup": (100_000, 60),
        "create-assessment": (100_000, 3600),
    }


@pytest.fixture
def server_errors(caplog) -> Callable[[], list[str]]:
    caplog.set_level(logging.ERROR)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def all_at_once(work: Callable[[int, threading.Barrier], Any]) -> list[Any]:
    """Runs work(i, barrier) on PEOPLE threads; they wait for each other at the barrier."""
    barrier = threading.Barrier(PEOPLE, timeout=60)

    def run(i: int) -> Any:
        try:
            return work(i, barrier)
        finally:
            connections.close_all()  # the ORM reads some threads make

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        return list(pool.map(run, range(PEOPLE)))


def founder_on(live_server, assessment: Assessment | None = None) -> Founder:
    founder = Founder(Client(live_server.url))
    if assessment is not None:
        founder.edit_path = f"/a/{assessment.edit_token}/"
        founder.open_step("product")  # the CSRF cookie and token
    return founder


def test_twenty_founders_finishing_at_the_same_time_all_get_their_result(
    live_server, server_errors
):
    def finish(i: int, barrier: threading.Barrier) -> str:
        founder = founder_on(live_server)
        barrier.wait()
        founder.start()
        for step in STEPS:
            founder.save_step(step.slug)
        check = f"{founder.edit_path}check/"
        response = founder.post(check, {"revision": str(founder.revision)})
        assert response.headers["location"].endswith("/result/")
        founder.client.close()
        return founder.edit_path.split("/")[2]

    tokens = all_at_once(finish)

    assert server_errors() == []
    assessments = list(Assessment.objects.all())
    assert len(assessments) == PEOPLE == len(set(tokens))
    for assessment in assessments:
        assert assessment.status == "complete"
        assert assessment.revision == 1 + len(STEPS) + 1
        assert sorted(assessment.saved_steps) == sorted(step.slug for step in STEPS)
        assert assessment.result["approach"]
        validate_answers(assessment.answers)
        assert assessment.answers["project_name"] == STEP_ANSWERS["product"]["project_name"]


def test_of_twenty_saves_from_the_same_revision_exactly_one_wins(live_server, server_errors):
    shared = create_assessment()

    def save(i: int, barrier: threading.Barrier) -> tuple[int, str]:
        founder = founder_on(live_server, shared)
        data = {**STEP_ANSWERS["product"], "project_name": f"Person {i}", "revision": "1"}
        barrier.wait()
        response = expect(
            founder.client.request(
                "POST",
                founder.step_path("product"),
                urlencode_form({"csrfmiddlewaretoken": founder.csrf, **data}),
                {"Content-Type": "application/x-www-form-urlencoded"},
            ),
            302,
            409,
        )
        founder.client.close()
        return response.status, f"Person {i}"

    outcomes = all_at_once(save)

    assert server_errors() == []
    winners = [name for status, name in outcomes if status == 302]
    assert len(winners) == 1
    assert sorted(status for status, _ in outcomes) == [302] + [409] * (PEOPLE - 1)
    shared.refresh_from_db()
    assert shared.revision == 2
    assert shared.answers["project_name"] == winners[0]


# One field per step that each person sets to a value of their own.
OWN_VALUE = {
    "product": ("project_name", lambda i: f"Person {i}"),
    "behaviour": ("latency_budget_ms", lambda i: str(1000 + i)),
    "data": ("corpus_documents", lambda i: str(1000 + i)),
    "constraints": ("monthly_queries", lambda i: str(1000 + i)),
    "costs": ("avg_input_tokens", lambda i: str(100 + i)),
}


def test_twenty_people_saving_different_steps_of_one_assessment_lose_no_update(
    live_server, server_errors
):
    shared = create_assessment()

    def save_until_it_lands(i: int, barrier: threading.Barrier) -> tuple[str, str, int]:
        slug = STEPS[i % len(STEPS)].slug
        field, value = OWN_VALUE[slug][0], OWN_VALUE[slug][1](i)
        founder = founder_on(live_server, shared)
        barrier.wait()
        for _attempt in range(PEOPLE * 3):
            # A page loaded just now shows the current revision.
            revision = Assessment.objects.values_list("revision", flat=True).get(pk=shared.pk)
            data = {**STEP_ANSWERS[slug], field: value, "revision": str(revision), "go": "next"}
            response = expect(
                founder.client.request(
                    "POST",
                    founder.step_path(slug),
                    urlencode_form({"csrfmiddlewaretoken": founder.csrf, **data}),
                    {"Content-Type": "application/x-www-form-urlencoded"},
                ),
                302,
                409,
            )
            if response.status == 302:
                founder.client.close()
                return slug, value, revision + 1
        raise AssertionError(f"person {i} never got a save in")

    landed = all_at_once(save_until_it_lands)

    assert server_errors() == []
    shared.refresh_from_db()
    # Every save that was accepted made exactly one revision: none overwrote another unseen.
    assert sorted(revision for _, _, revision in landed) == list(range(2, 2 + PEOPLE))
    assert shared.revision == 1 + PEOPLE
    # Each field holds the value of the last accepted save of its step.
    for slug, (field, _) in OWN_VALUE.items():
        last = max((r, v) for s, v, r in landed if s == slug)[1]
        stored = shared.answers[field]
        assert str(stored) == last, (slug, stored, last)
    assert sorted(shared.saved_steps) == sorted(step.slug for step in STEPS)
    validate_answers(shared.answers)


def urlencode_form(data: dict[str, str]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(data).encode()
