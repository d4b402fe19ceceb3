"""A staged plan for the recommended approach: what to do now, what to measure, when to revisit."""

from collections.abc import Mapping
from typing import Any

from .decision import Decision
from .prices import fine_tune_terms
from .rules import LABEL_FLOOR
from .text import money, whole

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"


def _step(action: str, when: str, measure: str) -> dict[str, str]:
    return {"action": action, "when": when, "measure": measure}


def _test_set(a: Mapping[str, Any]) -> dict[str, str]:
    action = (
        "Collect 20-50 real inputs with the answer you want, including five that fail today, "
        "and keep them as a fixed test set."
    )
    if a["problem_type"] == "unsure":
        action += (
            " For each failure note whether the model didn't know something or knew it and "
            "said it wrong: that settles the knowledge-or-behaviour question."
        )
    return _step(action, "Now", "Share of test cases answered correctly: your baseline.")


def _prompt_work(a: Mapping[str, Any]) -> str:
    parts = ["Rewrite the prompt: state the task plainly and show three to five worked examples"]
    if a["output_format"] == "strict_schema":
        parts.append("ask for structured output against your schema and validate every reply")
    if a["style_consistency"] in ("medium", "high"):
        parts.append("add a short style guide with examples of the house voice")
    if a["problem_type"] in ("knowledge", "both", "unsure") and 0 < a["corpus_documents"] <= 50:
        parts.append(f"paste your {whole(a['corpus_documents'])} documents into the prompt")
    return "; ".join(parts) + "."


def _retrieval_build(a: Mapping[str, Any]) -> str:
    docs = a["corpus_documents"]
    if a["corpus_structure"] == "structured":
        how = "a SQL or keyword filter over your records"
    elif docs < 1_000:
        how = "keyword (BM25) search, which often beats vectors on a small corpus"
    elif docs <= 100_000:
        how = "embeddings in a vector column of the database you already run (pgvector)"
    else:
        how = "embeddings in a managed vector store, with keyword search alongside"
    text = f"Build the simplest retrieval that passes your test set: {how}"
    if a["retrieval_issues"]:
        text = (
            "Fix the retrieval you have before anything else: chunking, keyword plus vector "
            "search, reranking"
        )
    extras = []
    if a["per_user_permissions"]:
        extras.append("filter by each user's access before any text reaches the model")
    if a["needs_citations"]:
        extras.append("return the source passage with every answer")
    if extras:
        text += "; " + "; ".join(extras)
    return text + "."


def _build_when(a: Mapping[str, Any]) -> str:
    return "This week" if a["time_to_ship"] == "this_week" else "Weeks 1-2"


def _collect_examples(a: Mapping[str, Any]) -> dict[str, str]:
    have = a["labeled_examples"]
    return _step(
        "Log real traffic and save reviewed, corrected answers as labeled examples.",
        "From launch",
        f"Clean examples collected: fine-tuning needs {whole(LABEL_FLOOR)} or more "
        f"(you have {whole(have)}).",
    )


def _retrain_cadence(a: Mapping[str, Any], tuned: str) -> dict[str, str]:
    per_year = a["retrains_per_year"]
    when = (
        f"About every {whole(round(12 / per_year, 1))} months, or when accuracy drops"
        if per_year
        else "When accuracy on the test set drops"
    )
    return _step(
        f"Retrain {tuned} on fresh, reviewed examples and re-run the fixed test set before "
        "switching.",
        when,
        "Accuracy and format validity on the same test set over time.",
    )


_NEXT_WORDS = {
    R: "add retrieval",
    H: "build retrieval and fine-tune a model on top of it (a hybrid)",
    F: "fine-tune a model",
    P: "keep improving the prompt",
}


def _prompting_plan(
    a: Mapping[str, Any], d: Decision, stage_plan: Mapping[str, Any] | None
) -> list[dict[str, str]]:
    if stage_plan:
        revisit = (
            "If prompting falls short (about 9 answers in 10 when you need 99), "
            f"{_NEXT_WORDS[stage_plan['next']]}: with your answers that is the next step."
        )
    else:
        revisit = (
            "If failures are missing facts, add retrieval. If prompting stalls around 9 in 10 on "
            f"format or tone and you have {whole(LABEL_FLOOR)}+ clean examples, consider "
            "fine-tuning."
        )
    return [
        _test_set(a),
        _step(
            _prompt_work(a),
            "This week" if a["time_to_ship"] == "this_week" else "Next two weeks",
            "Pass rate on the test set against the bar you need.",
        ),
        _collect_examples(a),
        _step(
            revisit,
            "After 4-6 weeks, or when the pass rate stops improving",
            "Which kind of failure dominates.",
        ),
    ]


def _rag_plan(
    a: Mapping[str, Any], d: Decision, stage_plan: Mapping[str, Any] | None
) -> list[dict[str, str]]:
    per_query = d.figures[R].per_query
    steps = [
        _test_set(a),
        _step(
            _retrieval_build(a),
            _build_when(a),
            "Right document in the top five results; p95 latency against your "
            f"{whole(a['latency_budget_ms'])} ms budget; about {money(per_query)} per call.",
        ),
    ]
    check = "Share of answers the retrieved sources support, and reported wrong answers."
    if a["error_cost"] == "high":
        check += " Review a sample of answers every week: wrong answers are costly for you."
    steps.append(
        _step(
            "Ship it, and show users the sources behind each answer.",
            "After the test set passes",
            check,
        )
    )
    wants_behaviour = (
        a["problem_type"] in ("behavior", "both")
        or a["output_format"] == "strict_schema"
        or a["style_consistency"] == "high"
    )
    if wants_behaviour:
        steps.append(_collect_examples(a))
        steps.append(
            _step(
                "Revisit fine-tuning for the behaviour gaps that survive better prompts and "
                "retrieval, layered on this retrieval (a hybrid).",
                f"When you have {whole(LABEL_FLOOR)}+ clean examples",
                "Format validity and tone on the test set, retrieval alone against hybrid.",
            )
        )
    else:
        at = d.facts.get("break_even")
        when = (
            "If call volume grows a lot"
            if at is None
            else f"If volume passes {whole(round(at))} calls a month"
        )
        steps.append(
            _step(
                "Re-check the costs: at high volume a fine-tuned model with shorter prompts can "
                "be cheaper per call.",
                when,
                "Monthly calls and cost per call.",
            )
        )
    return steps


def _fine_tuning_plan(
    a: Mapping[str, Any], d: Decision, stage_plan: Mapping[str, Any] | None
) -> list[dict[str, str]]:
    # The model the founder would fine-tune, else the tunable model closest to theirs.
    tuned = a["fine_tune_model"] or fine_tune_terms(a["model"]).tuned_model
    examples = whole(a["labeled_examples"])
    baseline = "Baseline accuracy and format validity of the prompted base model."
    if a["prompting_result"] == "mostly_works":
        baseline += " You report about 9 in 10; that is the number to beat."
    return [
        _step(
            f"Hold out 10-20% of your {examples} clean examples as a test set and score the "
            "best prompt you have on it.",
            "Now",
            baseline,
        ),
        _step(
            "Review the training examples for consistency; fix or drop the ones reviewers "
            "disagree on.",
            _build_when(a),
            "Share of examples two reviewers agree on.",
        ),
        _step(
            f"Fine-tune for {whole(a['training_epochs'])} epochs and compare with the baseline "
            "on the held-out set; ship only if it clearly wins.",
            "Weeks 2-4",
            f"Accuracy, format validity, p95 latency against {whole(a['latency_budget_ms'])} ms, "
            f"about {money(d.figures[F].per_query)} per call.",
        ),
        _retrain_cadence(a, f"the {tuned}-based model"),
    ]


def _hybrid_plan(
    a: Mapping[str, Any], d: Decision, stage_plan: Mapping[str, Any] | None
) -> list[dict[str, str]]:
    return [
        _test_set(a),
        _step(
            "Ship retrieval first. " + _retrieval_build(a),
            _build_when(a),
            "Right document in the top five results; answers the sources support.",
        ),
        _step(
            f"Gather the cases where the retrieval version gets format or tone wrong, and add "
            f"them to your {whole(a['labeled_examples'])} clean examples, with the retrieved "
            "context included.",
            "The first weeks after launch",
            "Which behaviour failures remain once the facts are right.",
        ),
        _step(
            "Fine-tune on those examples and put the model behind the same retrieval layer; "
            "compare it with retrieval alone on the test set.",
            "Once retrieval is stable, about 4-8 weeks in",
            "Format validity and grounded accuracy (in one benchmark: 75% base, 81% "
            "fine-tuned, 86% both).",
        ),
        _retrain_cadence(a, "the fine-tuned model"),
    ]


_PLANS = {P: _prompting_plan, R: _rag_plan, F: _fine_tuning_plan, H: _hybrid_plan}


def _before_training(a: Mapping[str, Any]) -> str:
    """Checks that must pass before any training run, for answers not known yet."""
    checks = []
    if a["per_user_permissions"] is None:
        checks.append("every user may see everything in the training examples")
    if a["sensitive_data"] is None:
        checks.append("the examples hold no personal, confidential or regulated data")
    if not checks:
        return ""
    return "Before any training run, confirm that " + " and that ".join(checks) + ". "


def roadmap(
    a: Mapping[str, Any], decision: Decision, stage_plan: Mapping[str, Any] | None = None
) -> list[dict[str, str]]:
    """Three to five steps for the recommended approach. A plan that trains a model starts by
    settling the data-safety answers not known yet."""
    steps = _PLANS[decision.approach](a, decision, stage_plan)[:5]
    if decision.approach in (F, H):
        first = steps[0]
        steps[0] = {**first, "action": _before_training(a) + first["action"]}
    return steps
