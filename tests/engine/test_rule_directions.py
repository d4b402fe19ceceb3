"""For every rule, the direction the guidance gives it.

Each entry changes one answer toward a rule's condition, in a setting written out here, and
names, from the guidance rather than from the rule table, which approaches must gain on which.
Over generated answers the score gaps must move that way (strictly: a rule whose weight was
dropped fails here), and the recommendation may change only in that direction. The cost figures
are held at those of the answers before the change, so what moves is the rule alone.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from advisor.engine import validate_answers
from advisor.engine.costs import option_figures
from advisor.engine.decision import decide
from advisor.engine.rules import RULES

from .test_engine_properties import answers

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"
DROP = object()  # the answer is left out


@dataclass(frozen=True)
class Direction:
    name: str
    question: str
    before: Any
    after: Any
    gains: tuple[tuple[str, str], ...]  # (gains, on) pairs
    setting: dict[str, Any] = field(default_factory=dict)

    @property
    def winners(self) -> set[str]:
        return {g for g, _ in self.gains}

    @property
    def losers(self) -> set[str]:
        return {o for _, o in self.gains}


def over(winners: str, losers: str) -> tuple[tuple[str, str], ...]:
    names = {"P": P, "R": R, "H": H, "F": F}
    return tuple((names[w], names[lo]) for w in winners for lo in losers)


KNOWLEDGE = {"problem_type": "knowledge", "failure_review": DROP}
BEHAVIOUR = {"problem_type": "behavior", "failure_review": DROP}
UNSURE = {"problem_type": "unsure", "failure_review": DROP}
CLEAN_600 = {"labeled_examples": 600, "label_quality": "clean"}

DIRECTIONS = [
    # Knowledge or behaviour (Lee: knowledge -> RAG, behaviour -> fine-tuning, both stack).
    Direction("knowledge", "problem_type", "unsure", "knowledge", over("R", "PF"), UNSURE),
    Direction("behaviour", "problem_type", "unsure", "behavior", over("F", "PR"), UNSURE),
    Direction("both", "problem_type", "knowledge", "both", over("HF", "R"), KNOWLEDGE),
    Direction("unsure", "problem_type", "knowledge", "unsure", over("P", "RH"), KNOWLEDGE),
    Direction(
        "review-finds-missing-facts",
        "failure_review",
        {"missing_or_wrong_facts": 0, "wrong_format_or_tone": 0},
        {"missing_or_wrong_facts": 5, "wrong_format_or_tone": 0},
        over("R", "PF"),
        UNSURE,
    ),
    Direction(
        "review-finds-wrong-format",
        "failure_review",
        {"missing_or_wrong_facts": 0, "wrong_format_or_tone": 0},
        {"missing_or_wrong_facts": 0, "wrong_format_or_tone": 5},
        over("F", "PR"),
        UNSURE,
    ),
    # Prompting first (Decide, Studio), fine-tune the 90%-not-99% gap (Lee, Cung).
    Direction(
        "prompting-good-enough",
        "prompting_result",
        "mostly_works",
        "good_enough",
        over("P", "RHF"),
        BEHAVIOUR,
    ),
    Direction(
        "prompting-untried-behaviour",
        "prompting_result",
        "fails",
        "not_tried",
        over("P", "HF"),
        BEHAVIOUR,
    ),
    Direction(
        "prompting-untried-knowledge",
        "prompting_result",
        "mostly_works",
        "not_tried",
        over("P", "RH"),
        KNOWLEDGE,
    ),
    Direction(
        "prompting-mostly-works-behaviour",
        "prompting_result",
        "not_tried",
        "mostly_works",
        over("HF", "P"),
        BEHAVIOUR,
    ),
    Direction(
        "prompting-fails-behaviour",
        "prompting_result",
        "good_enough",
        "fails",
        over("HF", "P"),
        BEHAVIOUR,
    ),
    Direction(
        "prompting-short-knowledge",
        "prompting_result",
        "good_enough",
        "fails",
        over("R", "P"),
        # A pure knowledge gap: no house voice or format to train (those open the hybrid).
        {**KNOWLEDGE, "output_format": "free_text", "style_consistency": "low"},
    ),
    Direction(
        "prompting-short-on-a-strict-format",
        "prompting_result",
        "good_enough",
        "mostly_works",
        over("HF", "P"),
        {**KNOWLEDGE, "output_format": "strict_schema"},
    ),
    # Shape, voice and speed (Lee, Sparkable, Decide, Studio, Cung).
    Direction(
        "strict-format-prompting-short",
        "output_format",
        "free_text",
        "strict_schema",
        over("HF", "PR"),
        {"prompting_result": "mostly_works"},
    ),
    Direction(
        "strict-format-untried",
        "output_format",
        "free_text",
        "strict_schema",
        over("P", "RHF"),
        {"prompting_result": "not_tried"},
    ),
    Direction("house-voice", "style_consistency", "low", "high", over("HF", "PR")),
    Direction("some-voice", "style_consistency", "low", "medium", over("HF", "PR")),
    Direction("domain-dialect", "domain_language", "general", "specialized", over("HF", "PR")),
    Direction(
        "narrow-at-volume",
        "task_shape",
        "open_ended",
        "narrow_repetitive",
        over("F", "PRH"),
        {"monthly_queries": 2_000_000},
    ),
    Direction(
        "narrow",
        "task_shape",
        "open_ended",
        "narrow_repetitive",
        over("F", "PRH"),
        {"monthly_queries": 20_000},
    ),
    Direction("tight-latency", "latency_budget_ms", 3_000, 150, over("FP", "RH")),
    Direction("snug-latency", "latency_budget_ms", 3_000, 500, over("FP", "RH")),
    # Freshness (Lee: daily or weekly -> RAG, full stop; monthly or never -> fine-tuning viable).
    Direction(
        "fresh-knowledge",
        "data_change_frequency",
        "rarely",
        "weekly",
        over("R", "PHF") + over("H", "F"),
        KNOWLEDGE,
    ),
    Direction(
        "monthly-knowledge",
        "data_change_frequency",
        "rarely",
        "monthly",
        over("R", "PHF"),
        KNOWLEDGE,
    ),
    Direction(
        "fresh-behaviour",
        "data_change_frequency",
        "rarely",
        "daily",
        over("RH", "PF"),
        BEHAVIOUR,
    ),
    Direction(
        "monthly-behaviour",
        "data_change_frequency",
        "rarely",
        "monthly",
        over("R", "PF") + over("H", "F"),
        BEHAVIOUR,
    ),
    Direction(
        "quarterly", "data_change_frequency", "weekly", "quarterly", over("F", "PR"), KNOWLEDGE
    ),
    Direction("rarely", "data_change_frequency", "weekly", "rarely", over("F", "PR"), KNOWLEDGE),
    # Sources, access, sensitive data and the cost of errors (Lee, Studio, Decide).
    Direction("citations", "needs_citations", False, True, over("RH", "PF")),
    Direction("permissions", "per_user_permissions", False, True, over("R", "PF") + over("H", "F")),
    Direction(
        "permissions-once-known",
        "per_user_permissions",
        DROP,
        True,
        over("R", "PF") + over("H", "F"),
    ),
    Direction("sensitive", "sensitive_data", False, True, over("R", "PF") + over("H", "F")),
    Direction("costly-errors", "error_cost", "medium", "high", over("RH", "PF")),
    Direction("cheap-errors", "error_cost", "medium", "low", over("P", "RHF")),
    # The corpus.
    Direction("no-documents", "corpus_documents", 1_000, 0, over("P", "RHF")),
    Direction("large-corpus", "corpus_documents", 1_000, 200_000, over("RH", "PF")),
    Direction(
        "structured-data",
        "corpus_structure",
        "unstructured",
        "structured",
        over("R", "PHF"),
        KNOWLEDGE,
    ),
    # Labeled data (Lee: no clean examples, no fine-tuning; Cung: 10K+).
    Direction("no-examples", "labeled_examples", 600, 0, over("RP", "FH"), CLEAN_600),
    Direction("few-examples", "labeled_examples", 600, 100, over("RP", "FH"), CLEAN_600),
    Direction("enough-examples", "labeled_examples", 100, 600, over("FH", "RP"), CLEAN_600),
    Direction("comfortable-examples", "labeled_examples", 600, 20_000, over("FH", "RP"), CLEAN_600),
    Direction("unreviewed-examples", "label_quality", "clean", "none", over("RP", "FH"), CLEAN_600),
    Direction("noisy-examples", "label_quality", "clean", "noisy", over("RP", "FH"), CLEAN_600),
    Direction("bad-retrieval", "retrieval_issues", False, True, over("FH", "RP")),
    # Budget, time, team, stage and use (Cung, Decide, Sparkable, Studio).
    Direction("small-budget", "upfront_budget_usd", 1_000_000, 3_000, over("PR", "FH")),
    Direction("this-week", "time_to_ship", "no_deadline", "this_week", over("PR", "FH")),
    Direction("this-month", "time_to_ship", "no_deadline", "this_month", over("PR", "FH")),
    Direction("no-ml-team", "ml_expertise", "some", "none", over("PR", "FH")),
    Direction("ml-team", "ml_expertise", "some", "dedicated", over("FH", "PR")),
    Direction("idea-stage", "stage", "prototype", "idea", over("PR", "FH")),
    Direction("in-production", "stage", "prototype", "production", over("H", "PRF")),
    Direction("docs-qa", "use_case", "other", "qa_over_docs", over("R", "PHF")),
    Direction("search", "use_case", "other", "search_copilot", over("R", "PHF")),
    Direction("support", "use_case", "other", "support_assistant", over("R", "PHF")),
    Direction("classification", "use_case", "other", "classification_extraction", over("F", "PRH")),
]

# Rules read through the cost model's figures; test_break_even covers them with figures that
# put the volume or the budget on a chosen side.
COST_READ = {"break_even_band", "build_band"}


def _with(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    for key, value in changes.items():
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _pair(doc: dict[str, Any], d: Direction):
    base = _with(doc, d.setting)
    first = validate_answers(_with(base, {d.question: d.before}))
    then = validate_answers(_with(base, {d.question: d.after}))
    figures = option_figures(first)
    return decide(first, figures), decide(then, figures)


def _gap(decision, winner: str, loser: str) -> float:
    return decision.scores[winner] - decision.scores[loser]


@pytest.mark.parametrize("d", DIRECTIONS, ids=[d.name for d in DIRECTIONS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=answers())
def test_each_rule_moves_the_scores_and_the_advice_the_way_the_guidance_says(d, doc):
    before, after = _pair(doc, d)
    for winner, loser in d.gains:
        assert _gap(after, winner, loser) > _gap(before, winner, loser), (winner, loser)
    if before.approach in d.winners and before.approach not in after.ruled_out:
        assert after.approach in d.winners, (before.approach, after.approach)
    if after.approach != before.approach:
        assert (
            after.approach in d.winners
            or before.approach in d.losers
            or (before.approach in after.ruled_out)
        ), (before.approach, after.approach)


MINIMAL = {
    "problem_type": "both",
    "prompting_result": "mostly_works",
    "data_change_frequency": "monthly",
    "needs_citations": False,
    "labeled_examples": 600,
    "label_quality": "clean",
    "monthly_queries": 20_000,
}


def test_every_rule_has_a_direction_test():
    covered = set()
    for d in DIRECTIONS:
        before, after = _pair(MINIMAL, d)
        covered |= set(after.rules) - set(before.rules)
    missing = [
        (r.question, r.values) for r in RULES if r not in covered and r.reads not in COST_READ
    ]
    assert not missing
