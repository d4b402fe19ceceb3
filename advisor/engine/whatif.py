"""What would change the recommendation: the decision re-run with one answer changed.

Candidates are meaningful alternatives, not every number: every other value of a choice, the
other answers to a yes/no (both, while it is not known yet), and for numbers a representative of
each other band the rules distinguish (latency, labeled examples, corpus size, volume against the
break-even, budget) plus a tenfold change of the cost inputs when the cost figures can still sway
the outcome. A candidate is never the answer already given. Each is re-run through `decide`;
only those that really change the recommendation are kept, most plausible first.
"""

import math
from collections.abc import Iterator, Mapping
from typing import Any

from . import rules
from .costs import FIGURE_INPUTS, option_figures
from .decision import COST_INPUTS, COST_SWING, Decision, decide
from .questions import QUESTIONS

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"

# After the answers not known yet (answering them is the likeliest change of all), answers a
# founder can change by doing work come first, facts about the product later.
PLAUSIBILITY: tuple[str, ...] = (
    "prompting_result",
    "failure_review",
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
# A review that settles each problem type one way.
_REVIEWS = (
    {"missing_or_wrong_facts": 5, "wrong_format_or_tone": 0},
    {"missing_or_wrong_facts": 0, "wrong_format_or_tone": 5},
    {"missing_or_wrong_facts": 3, "wrong_format_or_tone": 2},
)


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
        return [0, 5_000, 200_000]
    if qid == "monthly_queries":
        options = [*_tenfold(qid, value), rules.HIGH_VOLUME]
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
    if value is None:
        return []
    return _tenfold(qid, value)


def _values(qid: str, a: Mapping[str, Any], decision: Decision) -> list[Any]:
    q = QUESTIONS[qid]
    current = a[qid]
    if qid == "prompting_result":
        # Prompting once tried cannot be untried; better prompting is the likelier change.
        return ["good_enough", "mostly_works", "fails"]
    if q.kind == "choice":
        return [c.value for c in q.choices]
    if q.kind == "boolean":
        return [True, False] if current is None else [not current]
    if q.kind == "group":
        return list(_REVIEWS) if q.applies_to(a) else []
    if qid == "model":
        return list(_MODELS_TO_TRY)
    if q.kind in ("integer", "number"):
        return _number_alternatives(qid, a, decision)
    return []


def _candidates(
    a: Mapping[str, Any], decision: Decision
) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(question, new value, all answers it changes), the answers not known yet first, then in
    plausibility order."""
    # Cost inputs reach the decision only through a few cost facts; when those cannot close the
    # lead, no cost input can flip the outcome and none is tried.
    costs_matter = decision.lead <= COST_SWING
    order = sorted(PLAUSIBILITY, key=lambda qid: a[qid] is not None)
    for qid in order:
        if qid in COST_INPUTS and not costs_matter:
            continue
        if not QUESTIONS[qid].applies_to(a):
            continue
        current = a[qid]
        for value in _values(qid, a, decision):
            if value == current:
                continue
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
    for qid, value, changes in _candidates(a, decision):
        flipped_to = per_question.setdefault(qid, set())
        if len(flipped_to) >= PER_QUESTION:
            continue
        changed = {**a, **changes}
        figures = option_figures(changed) if FIGURE_INPUTS & changes.keys() else decision.figures
        outcome = decide(changed, figures)
        if outcome.approach == decision.approach or outcome.approach in flipped_to:
            continue
        flipped_to.add(outcome.approach)
        found.append((qid, value, changes, outcome))
        if len(found) >= MAX_CHANGES:
            break
    return found
