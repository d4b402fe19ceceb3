"""Completed assessments to show: answers from the shared examples, the result from the engine."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.engine import QUESTIONS, assess

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "engine" / "examples.json").read_text(encoding="utf-8")
)
RESULT_SCHEMA: dict[str, Any] = json.loads(
    (ROOT / "advisor" / "engine" / "schemas" / "result.schema.json").read_text(encoding="utf-8")
)
DOCS = {"per_user_permissions": False, "sensitive_data": False, **EXAMPLES[0]["answers"]}
# "Docs assistant": retrieval, 15,000 calls a month
COMPLETED_AT = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)

MARKUP_NAME = "<b>Acme</b><script>alert(1)</script>"
# 120 characters, the most the question allows: markup, entities and wide letters.
LONGEST_NAME = ("<i>Wide Ω project</i> & “quotes” " * 5)[:120]


def completed_assessment(
    answers: dict[str, Any] | None = None, unknown: list[str] | None = None, **fields: Any
) -> Assessment:
    """A completed assessment, as the wizard leaves one; `.edit_token` holds its owner token."""
    answers = dict(DOCS if answers is None else answers)
    defaults = {
        "result": assess(answers),
        "status": Assessment.Status.COMPLETE,
        "completed_at": COMPLETED_AT,
    }
    return create_assessment(answers=answers, unknown=list(unknown or []), **{**defaults, **fields})


def longest_answers() -> dict[str, Any]:
    """Every question answered, each at the size that makes the longest report: the longest
    name, the largest numbers, the choices that fire the most rules."""
    return {
        "project_name": LONGEST_NAME,
        "use_case": "support_assistant",
        "stage": "production",
        "problem_type": "both",
        "prompting_result": "mostly_works",
        "output_format": "strict_schema",
        "style_consistency": "high",
        "domain_language": "specialized",
        "task_shape": "narrow_repetitive",
        "latency_budget_ms": 50,
        "data_change_frequency": "daily",
        "corpus_documents": int(QUESTIONS["corpus_documents"].maximum),
        "corpus_structure": "mixed",
        "needs_citations": True,
        "per_user_permissions": True,
        "sensitive_data": True,
        "labeled_examples": int(QUESTIONS["labeled_examples"].maximum),
        "label_quality": "noisy",
        "retrieval_issues": True,
        "monthly_queries": int(QUESTIONS["monthly_queries"].maximum),
        "upfront_budget_usd": QUESTIONS["upfront_budget_usd"].maximum,
        "time_to_ship": "this_week",
        "error_cost": "high",
        "ml_expertise": "none",
        "model": "gpt-4o",
        "avg_input_tokens": int(QUESTIONS["avg_input_tokens"].maximum),
        "avg_output_tokens": int(QUESTIONS["avg_output_tokens"].maximum),
        "retrieved_context_tokens": int(QUESTIONS["retrieved_context_tokens"].maximum),
        "tokens_per_example": int(QUESTIONS["tokens_per_example"].maximum),
        "training_epochs": int(QUESTIONS["training_epochs"].maximum),
        "retrains_per_year": int(QUESTIONS["retrains_per_year"].maximum),
        "engineer_hourly_usd": QUESTIONS["engineer_hourly_usd"].maximum,
        "horizon_months": int(QUESTIONS["horizon_months"].maximum),
    }
