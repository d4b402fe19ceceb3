"""Answers a founder might type, step by step, as the wizard's forms post them."""

from django.test import Client
from django.urls import reverse

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.engine import STEPS, assess

# A short, complete answers document for tests that need a finished assessment.
FINISHED_ANSWERS = {
    "project_name": "Support bot",
    "problem_type": "knowledge",
    "data_change_frequency": "daily",
    "needs_citations": True,
    "per_user_permissions": False,
    "sensitive_data": False,
    "labeled_examples": 0,
    "monthly_queries": 20000,
}


def finished_assessment() -> Assessment:
    """An assessment with every step saved and its result stored; `.edit_token` is set."""
    return create_assessment(
        answers=dict(FINISHED_ANSWERS),
        saved_steps=[step.slug for step in STEPS],
        result=assess(FINISHED_ANSWERS),
        status="complete",
    )


STEP_DATA: dict[str, dict[str, str]] = {
    "product": {
        "project_name": "Docs assistant",
        "use_case": "qa_over_docs",
        "stage": "prototype",
        "problem_type": "knowledge",
        "prompting_result": "dont_know",
    },
    "behaviour": {
        "output_format": "free_text",
        "style_consistency": "low",
        "domain_language": "general",
        "task_shape": "open_ended",
        "latency_budget_ms": "",
    },
    "data": {
        "data_change_frequency": "weekly",
        "corpus_documents": "1200",
        "corpus_structure": "unstructured",
        "needs_citations": "yes",
        "per_user_permissions": "no",
        "sensitive_data": "dont_know",
        "labeled_examples": "0",
        "retrieval_issues": "no",
    },
    "constraints": {
        "monthly_queries": "15000",
        "upfront_budget_usd": "5000",
        "time_to_ship": "this_month",
        "error_cost": "medium",
        "ml_expertise": "none",
    },
    "costs": {
        "model": "",
        "avg_input_tokens": "",
        "avg_output_tokens": "",
        "retrieved_context_tokens": "",
        "tokens_per_example": "",
        "training_epochs": "",
        "retrains_per_year": "",
        "engineer_hourly_usd": "",
        "horizon_months": "",
    },
}


def step_url(token: str, slug: str) -> str:
    return reverse("assessment-step", args=[token, slug])


def post_step(client: Client, assessment, slug: str, go: str = "next", **changes: str):
    """Submit one step with the current revision, as the page would."""
    assessment.refresh_from_db()
    data = {**STEP_DATA[slug], **changes, "revision": str(assessment.revision), "go": go}
    return client.post(step_url(assessment.edit_token, slug), data)


def fill_every_step(client: Client, assessment) -> None:
    for slug in STEP_DATA:
        response = post_step(client, assessment, slug)
        assert response.status_code == 302, response.content.decode()[:2000]
    assessment.refresh_from_db()
