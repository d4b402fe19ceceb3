"""Scoring the approaches against the rule table.

`facts` turns answers into the values the rules read (answers plus bands such as the latency
band and where the volume sits against the break-even). `decide` is the lean path: scores,
eligibility and the winner, cheap enough to re-run for every what-if. `explain` adds the
reasons and gates for the report.
"""

import hashlib
import math
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

# Rules and gates indexed by the (fact, value) that fires them, keeping table order.
_RULE_INDEX: dict[tuple[str, Any], list[Rule]] = {}
for _rule in RULES:
    for _value in _rule.values:
        _RULE_INDEX.setdefault((_rule.reads, _value), []).append(_rule)
_GATE_INDEX: dict[tuple[str, Any], list[Gate]] = {}
for _gate in GATES:
    for _value in _gate.values:
        _GATE_INDEX.setdefault((_gate.reads, _value), []).append(_gate)
_READS: tuple[str, ...] = tuple(dict.fromkeys(r.reads for r in RULES))
_GATE_READS: tuple[str, ...] = tuple(dict.fromkeys(g.reads for g in GATES))

# For re-running a decision with one answer changed: which rules each fact can switch on or off.
_POSITION: dict[int, int] = {id(r): i for i, r in enumerate(RULES)}
_TOUCHING: dict[str, tuple[int, ...]] = {}
for _i, _rule in enumerate(RULES):
    for _key in {_rule.reads, *(key for key, _ in _rule.when)}:
        _TOUCHING[_key] = (*_TOUCHING.get(_key, ()), _i)
_FACT_KEYS: tuple[str, ...] = tuple(_TOUCHING)


def _largest_swing(keys: tuple[str, ...]) -> float:
    """The most that changing the given facts can move one approach's score against another's:
    for each fact, the largest gap between the effects of any two of its values (a value no rule
    names has no effect), added up over the facts."""
    total = 0.0
    for key in keys:
        vectors = [dict.fromkeys(APPROACHES, 0.0)]
        for values in {r.values for r in RULES if r.reads == key}:
            vector = dict.fromkeys(APPROACHES, 0.0)
            for r in RULES:
                if r.reads == key and r.values == values:
                    for name, weight in r.effects:
                        vector[name] += weight
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


def _holds(when: tuple[tuple[str, tuple[Any, ...]], ...], facts: Mapping[str, Any]) -> bool:
    return all(facts[key] in values for key, values in when)


def base_facts(a: Mapping[str, Any]) -> dict[str, Any]:
    """Answers plus the bands the rules read; no cost figures yet."""
    facts = dict(a)
    facts["label_band"] = rules.label_band(a["labeled_examples"], a["label_quality"])
    facts["latency_band"] = rules.latency_band(a["latency_budget_ms"])
    facts["volume_band"] = rules.volume_band(a["monthly_queries"])
    facts["corpus_band"] = rules.corpus_band(a["corpus_documents"])
    facts["budget_band"] = rules.budget_band(a["upfront_budget_usd"])
    return facts


def fired_gates(facts: Mapping[str, Any]) -> list[Gate]:
    fired = []
    for key in _GATE_READS:
        for g in _GATE_INDEX.get((key, facts[key]), ()):
            if not g.when or _holds(g.when, facts):
                fired.append(g)
    return fired


def add_cost_facts(
    facts: dict[str, Any], ruled_out: set[str], figures: Mapping[str, OptionFigures]
) -> None:
    """Where the volume sits against the break-even, and whether the budget covers training.
    Both only matter while the approaches they compare are still in the running."""
    months = facts["horizon_months"]
    at = break_even(figures, months)
    facts["break_even"] = at
    if F in ruled_out or R in ruled_out:
        facts["break_even_band"] = "n/a"
    elif at is None:
        facts["break_even_band"] = "never"
    else:
        facts["break_even_band"] = "above" if facts["monthly_queries"] > at else "below"
    budget = facts["upfront_budget_usd"]
    if F in ruled_out and H in ruled_out:
        facts["build_band"] = "n/a"
    elif budget < figures[F].upfront:
        facts["build_band"] = "short"
    elif budget < figures[H].upfront and H not in ruled_out:
        facts["build_band"] = "short_hybrid"
    else:
        facts["build_band"] = "covered"


def fired_rules(facts: Mapping[str, Any]) -> list[Rule]:
    fired = []
    for key in _READS:
        for r in _RULE_INDEX.get((key, facts[key]), ()):
            if not r.when or _holds(r.when, facts):
                fired.append(r)
    return fired


@dataclass(frozen=True)
class Decision:
    approach: str
    scores: dict[str, float]
    ruled_out: frozenset[str]
    facts: dict[str, Any]
    figures: dict[str, OptionFigures]
    rules: tuple[Rule, ...]
    gates: tuple[Gate, ...]

    @property
    def fired(self) -> frozenset[int]:
        return frozenset(_POSITION[id(r)] for r in self.rules)

    def ranking(self) -> list[str]:
        """Eligible approaches, best first; ties go to the simpler approach."""
        eligible = [a for a in APPROACHES if a not in self.ruled_out]
        return sorted(eligible, key=lambda a: (-self.scores[a], _ORDER[a]))


def decide(answers: Mapping[str, Any], figures: dict[str, OptionFigures] | None = None) -> Decision:
    """Score every approach and pick the best eligible one."""
    facts = base_facts(answers)
    gates = fired_gates(facts)
    ruled_out = {name for g in gates for name in g.rules_out}
    if figures is None:
        figures = option_figures(answers)
    add_cost_facts(facts, ruled_out, figures)
    fired = fired_rules(facts)
    scores = dict.fromkeys(APPROACHES, 0.0)
    for r in fired:
        for name, weight in r.effects:
            scores[name] += weight
    return Decision(
        _best(scores, ruled_out),
        scores,
        frozenset(ruled_out),
        facts,
        figures,
        tuple(fired),
        tuple(gates),
    )


def _best(scores: Mapping[str, float], ruled_out: set[str]) -> str:
    eligible = [a for a in APPROACHES if a not in ruled_out]
    return min(eligible, key=lambda a: (-scores[a], _ORDER[a]))


def reconsider(
    before: Decision,
    fired_before: frozenset[int],
    answers: Mapping[str, Any],
    figures: dict[str, OptionFigures],
) -> str:
    """The approach `decide(answers, figures)` would pick, computed from an earlier decision by
    re-checking only the rules whose facts changed. Weights are multiples of 0.5, so adding and
    subtracting them is exact and this always agrees with a full run."""
    facts = base_facts(answers)
    ruled_out = {name for g in fired_gates(facts) for name in g.rules_out}
    add_cost_facts(facts, ruled_out, figures)
    old = before.facts
    affected: set[int] = set()
    for key in _FACT_KEYS:
        if facts[key] != old[key]:
            affected.update(_TOUCHING[key])
    scores = dict(before.scores)
    for i in affected:
        r = RULES[i]
        was = i in fired_before
        now = facts[r.reads] in r.values and (not r.when or _holds(r.when, facts))
        if was != now:
            sign = 1 if now else -1
            for name, weight in r.effects:
                scores[name] += sign * weight
    return _best(scores, ruled_out)


# Answers the rules read; guessing one of these makes the advice less certain.
JUDGED: frozenset[str] = frozenset(r.question for r in RULES) | {g.question for g in GATES}


def confidence(decision: Decision, assumed: list[str]) -> float:
    """How sure the advisor is: the lead over the runner-up, less for guesses.

    A lead of 4 points gives about 0.78 before adjustments. Each answer the rules read that was
    left to its default ("I don't know") costs 0.015, at most 0.18; not knowing the kind of
    problem costs 0.1.
    """
    ranking = decision.ranking()
    lead = decision.scores[ranking[0]] - decision.scores[ranking[1]] if len(ranking) > 1 else 8
    value = 0.5 + 0.45 * (1 - math.exp(-lead / 4))
    value -= min(0.18, 0.015 * sum(1 for qid in assumed if qid in JUDGED))
    if decision.facts["problem_type"] == "unsure":
        value -= 0.1
    return round(min(0.95, max(0.3, value)), 2)


def rules_fingerprint() -> str:
    """A hash of everything that decides the outcome: the rule and gate tables, thresholds,
    catalog figures, and the cost figures and decision for a fixed set of answers (which catches
    a changed formula). ENGINE_VERSION must change whenever this does."""
    from .questions import QUESTIONS

    thresholds = sorted((name, value) for name, value in vars(rules).items() if name.isupper())
    catalog = sorted(
        (name, repr(value)) for name, value in vars(catalog_data).items() if name.isupper()
    )
    reference = {qid: q.default for qid, q in QUESTIONS.items() if q.has_default}
    reference.update(
        problem_type="both",
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
            sorted(outcome.figures.items()),
            sorted(outcome.scores.items()),
            confidence(outcome, ["stage", "error_cost"]),
        )
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
