"""What would change the recommendation: re-running the decision with one answer changed.

Candidates are meaningful alternatives, not every number: every other value of a choice, the
flip of a yes/no, and for numbers a representative of each other band the rules distinguish
(latency, labeled examples, corpus size, volume, budget) plus a tenfold change of the cost
inputs when the cost figures can still sway the outcome.
"""

import math
from collections.abc import Iterator, Mapping
from typing import Any

from . import rules
from .costs import FIGURE_INPUTS, option_figures
from .decision import COST_FACTS, COST_INPUTS, COST_SWING, Decision, decide, reconsider
from .questions import QUESTIONS

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"

# Answers a founder can change by doing work come first, facts about the product later.
PLAUSIBILITY: tuple[str, ...] = (
    "prompting_result",
    "label_quality",
    "labeled_examples",
    "retrieval_issues",
    "time_to_ship",
    "upfront_budget_usd",
    "ml_expertise",
    "output_format",
    "style_consistency",
    "latency_budget_ms",
    "stage",
    "monthly_queries",
    "needs_citations",
    "per_user_permissions",
    "sensitive_data",
    "error_cost",
    "data_change_frequency",
    "problem_type",
    "task_shape",
    "domain_language",
    "corpus_documents",
    "corpus_structure",
    "use_case",
    *COST_INPUTS,
)

MAX_CHANGES = 8
PER_QUESTION = 2
_MODELS_TO_TRY = ("gpt-4o-mini", "gpt-4o")


def _clamp(qid: str, value: float) -> int | float:
    q = QUESTIONS[qid]
    value = min(q.maximum, max(q.minimum, value))
    return round(value) if q.kind == "integer" else value


def _round_up(value: float, step: int = 1_000) -> int:
    return int(math.ceil(value / step) * step)


def _tenfold(qid: str, value: float) -> list[int | float]:
    return [_clamp(qid, value * 10), _clamp(qid, value / 10)]


def _number_alternatives(qid: str, a: Mapping[str, Any], decision: Decision) -> list[Any]:
    value = a[qid]
    if qid == "labeled_examples":
        return [0, rules.LABEL_FLOOR, rules.LABEL_COMFORTABLE]
    if qid == "latency_budget_ms":
        return [150, 500, 3_000]
    if qid == "corpus_documents":
        return [0, 20, 5_000, 200_000]
    if qid == "monthly_queries":
        options = [*_tenfold(qid, value), 500, rules.HIGH_VOLUME]
        at = decision.facts.get("break_even")
        if at:
            options.append(_clamp(qid, at * 2 if value <= at else at / 2))
        return options
    if qid == "upfront_budget_usd":
        options: list[Any] = [4_000 if value >= rules.SMALL_BUDGET_USD else 5_000]
        figures = decision.figures
        options += [
            _clamp(qid, _round_up(figures[name].upfront))
            for name in (F, H)
            if value < figures[name].upfront
        ]
        return options
    if qid == "training_epochs":
        return [1, 10]
    if qid == "retrains_per_year":
        return [0, 12]
    if qid == "horizon_months":
        return [6, 36]
    return _tenfold(qid, value)


def _candidates(
    a: Mapping[str, Any], decision: Decision
) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(question, new value, all answers it changes) in plausibility order."""
    # Cost inputs reach the decision only through a few cost facts; when those cannot close the
    # lead, no cost input can flip the outcome and none is tried.
    ranking = decision.ranking()
    lead = decision.scores[ranking[0]] - decision.scores[ranking[1]] if len(ranking) > 1 else 0
    live = any(decision.facts[key] != "n/a" for key in COST_FACTS)
    costs_matter = live and lead <= COST_SWING

    for qid in PLAUSIBILITY:
        q = QUESTIONS[qid]
        current = a[qid]
        if qid in COST_INPUTS and not costs_matter:
            continue
        if qid == "label_quality" and a["labeled_examples"] == 0:
            continue
        if q.kind == "choice":
            values: list[Any] = [c.value for c in q.choices]
        elif q.kind == "boolean":
            values = [not current]
        elif qid == "model":
            values = list(_MODELS_TO_TRY)
        else:
            values = _number_alternatives(qid, a, decision)
        seen = {current}
        for value in values:
            if value in seen:
                continue
            seen.add(value)
            changes = {qid: value}
            # New examples come with a quality question; a what-if about collecting them
            # assumes they are collected clean.
            if qid == "labeled_examples" and current == 0 and value > 0:
                changes["label_quality"] = "clean"
            yield qid, value, changes


def what_would_change(
    a: Mapping[str, Any], decision: Decision
) -> list[tuple[str, Any, dict[str, Any], Decision]]:
    """Single-answer changes that flip the recommendation, most plausible first."""
    found: list[tuple[str, Any, dict[str, Any], Decision]] = []
    per_question: dict[str, set[str]] = {}
    fired = decision.fired
    for qid, value, changes in _candidates(a, decision):
        flipped_to = per_question.setdefault(qid, set())
        if len(flipped_to) >= PER_QUESTION:
            continue
        changed = {**a, **changes}
        figures = option_figures(changed) if FIGURE_INPUTS & changes.keys() else decision.figures
        approach = reconsider(decision, fired, changed, figures)
        if approach == decision.approach or approach in flipped_to:
            continue
        flipped_to.add(approach)
        found.append((qid, value, changes, decide(changed, figures)))
        if len(found) >= MAX_CHANGES:
            break
    return found
