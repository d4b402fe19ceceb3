"""Applying the rule table: hard rules first, then the weights rank what they leave.

`facts` turns answers into the values the rules read: the answers, the problem type as the
failure review settles it, and bands such as the latency band and where the volume sits against
the break-even. `decide` returns the gates that fired, the one reason each question gives, the
scores (exactly the sum of those reasons' effects) and the best approach the gates leave.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import catalog_data, rules
from .costs import OptionFigures, break_even, option_figures
from .questions import STEPS
from .rules import GATES, RULES, Gate, Rule
from .sources import APPROACHES

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"
_ORDER = {name: i for i, name in enumerate(APPROACHES)}

# Rules indexed by the (fact, value) that fires them, with their place in the table: of a
# question's rules that hold, the first in the table is that question's one reason.
_RULE_INDEX: dict[tuple[str, Any], list[tuple[int, Rule]]] = {}
for _position, _rule in enumerate(RULES):
    for _value in _rule.values:
        _RULE_INDEX.setdefault((_rule.reads, _value), []).append((_position, _rule))
_READS: tuple[str, ...] = tuple(dict.fromkeys(r.reads for r in RULES))


def _largest_swing(keys: tuple[str, ...]) -> float:
    """The most that changing the given facts can move one approach's score against another's:
    for each fact, the largest gap between the effects of any two rules reading it (or none),
    added up over the facts."""
    total = 0.0
    for key in keys:
        vectors = [dict.fromkeys(APPROACHES, 0.0)]
        for r in RULES:
            if r.reads == key:
                vector = dict.fromkeys(APPROACHES, 0.0)
                vector.update(r.effects)
                vectors.append(vector)
        total += max(
            abs((v[x] - w[x]) - (v[y] - w[y]))
            for v in vectors
            for w in vectors
            for x in APPROACHES
            for y in APPROACHES
        )
    return total


# How far the cost figures alone can move the scores: they reach the rules only through these.
COST_FACTS: tuple[str, ...] = ("break_even_band", "build_band")
COST_SWING: float = _largest_swing(COST_FACTS)

# Answers that can change the outcome only through the cost model: the cost step's questions.
COST_INPUTS: tuple[str, ...] = next(s.question_ids for s in STEPS if s.slug == "costs")


def _holds(when: rules.Conditions, facts: Mapping[str, Any]) -> bool:
    return all(facts[key] in values for key, values in when)


def _applies(item: Rule | Gate, facts: Mapping[str, Any]) -> bool:
    return facts[item.reads] in item.values and _holds(item.when, facts)


def base_facts(a: Mapping[str, Any]) -> dict[str, Any]:
    """Answers plus what the rules read besides them; no cost figures yet."""
    facts = dict(a)
    derived = None
    if a["problem_type"] == "unsure":
        derived = rules.problem_from_review(a.get("failure_review"))
    facts["problem"] = derived or a["problem_type"]
    facts["label_band"] = rules.label_band(a["labeled_examples"], a["label_quality"])
    facts["latency_band"] = rules.latency_band(a["latency_budget_ms"])
    facts["volume_band"] = rules.volume_band(a["monthly_queries"])
    facts["corpus_band"] = rules.corpus_band(a["corpus_documents"])
    facts["budget_band"] = rules.budget_band(a["upfront_budget_usd"])
    return facts


def fired_gates(facts: Mapping[str, Any]) -> list[Gate]:
    return [g for g in GATES if _applies(g, facts)]


def add_cost_facts(facts: dict[str, Any], figures: Mapping[str, OptionFigures]) -> None:
    """Where the volume sits against the break-even, and whether the budget covers training.
    Scores never depend on what the hard rules exclude: those only decide what is eligible."""
    months = facts["horizon_months"]
    at = break_even(figures, months)
    facts["break_even"] = at
    if at is None:
        facts["break_even_band"] = "never"
    else:
        facts["break_even_band"] = "above" if facts["monthly_queries"] > at else "below"
    budget = facts["upfront_budget_usd"]
    if budget < figures[F].upfront:
        facts["build_band"] = "short"
    elif budget < figures[H].upfront:
        facts["build_band"] = "short_hybrid"
    else:
        facts["build_band"] = "covered"


def fired_rules(facts: Mapping[str, Any]) -> list[Rule]:
    """At most one rule per question: the first of its rules that holds, in table order."""
    first: dict[str, tuple[int, Rule]] = {}
    for key in _READS:
        for position, r in _RULE_INDEX.get((key, facts[key]), ()):
            held = first.get(r.question)
            if (held is None or position < held[0]) and _holds(r.when, facts):
                first[r.question] = (position, r)
    return [r for _, r in sorted(first.values(), key=lambda item: item[0])]


@dataclass(frozen=True)
class Decision:
    approach: str
    scores: dict[str, float]
    ruled_out: frozenset[str]
    facts: dict[str, Any]
    figures: dict[str, OptionFigures]
    rules: tuple[Rule, ...]
    gates: tuple[Gate, ...]

    def ranking(self) -> list[str]:
        """Approaches the hard rules leave, best first; ties go to the simpler approach."""
        eligible = [a for a in APPROACHES if a not in self.ruled_out]
        return sorted(eligible, key=lambda a: (-self.scores[a], _ORDER[a]))

    @property
    def runner_up(self) -> str:
        """The best of the rest: among what the hard rules leave, or, when they leave one
        approach only, among all the others."""
        ranking = self.ranking()
        if len(ranking) > 1:
            return ranking[1]
        others = [a for a in APPROACHES if a != self.approach]
        return min(others, key=lambda a: (-self.scores[a], _ORDER[a]))

    @property
    def lead(self) -> float:
        """How many points the recommendation leads the runner-up by (0 when the hard rules
        alone put the runner-up out)."""
        return max(0.0, self.scores[self.approach] - self.scores[self.runner_up])


def decide(answers: Mapping[str, Any], figures: dict[str, OptionFigures] | None = None) -> Decision:
    """Apply the hard rules, score every approach and pick the best one left."""
    facts = base_facts(answers)
    gates = fired_gates(facts)
    ruled_out = {name for g in gates for name in g.rules_out}
    if figures is None:
        figures = option_figures(answers)
    add_cost_facts(facts, figures)
    fired = fired_rules(facts)
    scores = dict.fromkeys(APPROACHES, 0.0)
    for r in fired:
        for name, weight in r.effects:
            scores[name] += weight
    eligible = [a for a in APPROACHES if a not in ruled_out]
    best = min(eligible, key=lambda a: (-scores[a], _ORDER[a]))
    return Decision(best, scores, frozenset(ruled_out), facts, figures, tuple(fired), tuple(gates))


# Confidence: 50% at a tie, rising linearly with the lead to CONFIDENCE_CAP at FULL_LEAD points.
CONFIDENCE_FLOOR = 0.5
CONFIDENCE_CAP = 0.95
FULL_LEAD = 10.0


def confidence(decision: Decision) -> float:
    """How clearly the scores separate the recommendation from the runner-up, from 0.5 (level)
    to 0.95 (a lead of FULL_LEAD points or more, or only one approach left by the hard rules)."""
    if len(decision.ranking()) == 1:
        return CONFIDENCE_CAP
    share = min(decision.lead, FULL_LEAD) / FULL_LEAD
    return round(CONFIDENCE_FLOOR + (CONFIDENCE_CAP - CONFIDENCE_FLOOR) * share, 2)


def rules_fingerprint() -> str:
    """A hash of everything that decides the outcome: the rule and gate tables, thresholds,
    catalog figures, and the cost figures and decision for a fixed set of answers (which catches
    a changed formula). ENGINE_VERSION must change whenever this does."""
    from .questions import QUESTIONS

    thresholds = sorted((name, value) for name, value in vars(rules).items() if name.isupper())
    catalog = sorted(
        (name, repr(value)) for name, value in vars(catalog_data).items() if name.isupper()
    )
    reference: dict[str, Any] = {
        qid: (q.default if q.has_default else None)
        for qid, q in QUESTIONS.items()
        if not q.required
    }
    reference.update(
        problem_type="both",
        prompting_result="mostly_works",
        data_change_frequency="monthly",
        needs_citations=False,
        labeled_examples=3_000,
        label_quality="clean",
        monthly_queries=250_000,
        model="gpt-4o",
    )
    outcome = decide(reference)
    blob = repr(
        (
            RULES,
            GATES,
            thresholds,
            catalog,
            COST_INPUTS,
            (CONFIDENCE_FLOOR, CONFIDENCE_CAP, FULL_LEAD),
            sorted(outcome.figures.items()),
            sorted(outcome.scores.items()),
            confidence(outcome),
        )
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
