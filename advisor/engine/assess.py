"""Assembling one assessment: the decision, its reasons, the plan, the what-ifs and the costs."""

import math
from collections.abc import Mapping
from typing import Any

from . import rules
from .costs import cost_report
from .decision import Decision, confidence, decide
from .questions import QUESTIONS
from .roadmap import roadmap
from .sources import APPROACH_LABELS, APPROACHES, SOURCES
from .text import money, whole
from .tradeoffs import tradeoffs
from .validation import omitted_fields, validate_answers
from .whatif import what_would_change

ENGINE_VERSION = "2026.11.1"

_ORDER = {name: i for i, name in enumerate(APPROACHES)}

_FIRST_STEP = {
    "prompt_engineering": "Start with better prompting",
    "rag": "Start with retrieval (RAG)",
    "hybrid": "Build retrieval now and add a fine-tuned model on top once it is live",
    "fine_tuning": "Fine-tune a model",
}


class _Context(dict[str, str]):
    """Words for explanation templates, each worked out the first time a template asks."""

    def __init__(self, a: Mapping[str, Any], decision: Decision) -> None:
        super().__init__()
        self.answers = a
        self.decision = decision

    def __missing__(self, key: str) -> str:
        a, figures = self.answers, self.decision.figures
        if key in QUESTIONS:
            value = QUESTIONS[key].display(a[key])
        elif key == "floor":
            value = whole(rules.LABEL_FLOOR)
        elif key == "comfortable":
            value = whole(rules.LABEL_COMFORTABLE)
        elif key == "break_even":
            at = self.decision.facts.get("break_even")
            value = "none" if at is None else f"{whole(math.ceil(at))} calls a month"
        elif key == "ft_upfront":
            value = money(figures["fine_tuning"].upfront)
        elif key == "hybrid_upfront":
            value = money(figures["hybrid"].upfront)
        else:
            raise KeyError(key)
        self[key] = value
        return value


def template_context(a: Mapping[str, Any], decision: Decision) -> Mapping[str, str]:
    """What rule explanations can mention: every answer as displayed, plus a few figures."""
    return _Context(a, decision)


def _fill(template: str, question: str, context: Mapping[str, str]) -> str:
    return template.format_map(_Filled(context, context[question]))


class _Filled(dict[str, str]):
    """A context with {value} and {value_lower} bound to the cited answer."""

    def __init__(self, context: Mapping[str, str], value: str) -> None:
        super().__init__(value=value, value_lower=value.lower())
        self.context = context

    def __missing__(self, key: str) -> str:
        return self.context[key]


def _favors(effects: tuple[tuple[str, float], ...]) -> tuple[str, float]:
    return min(effects, key=lambda e: (-e[1], _ORDER[e[0]]))


def reasons(decision: Decision, context: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every rule that fired, the weightiest first."""
    out = []
    for position, r in enumerate(decision.rules):
        favors, weight = _favors(r.effects)
        out.append(
            {
                "question": r.question,
                "favors": favors,
                "weight": weight,
                "effects": dict(r.effects),
                "explanation": _fill(r.explanation, r.question, context),
                "source": r.source,
                "_position": position,
            }
        )
    out.sort(key=lambda item: (-abs(item["weight"]), item["_position"]))
    for item in out:
        del item["_position"]
    return out


def ruled_out(decision: Decision, context: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "approach": name,
            "question": g.question,
            "explanation": _fill(g.explanation, g.question, context),
            "source": g.source,
        }
        for g in decision.gates
        for name in g.rules_out
    ]


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _lead(effects: Mapping[str, float], chosen: str, others: list[str]) -> float:
    """How far a rule pushes the chosen approach past the other contenders, added up."""
    return sum(effects.get(chosen, 0) - effects.get(o, 0) for o in others)


def summary(decision: Decision, why: list[dict[str, Any]], out: list[dict[str, Any]]) -> str:
    """One or two sentences: the recommendation, the reason that most sets it apart from the
    other eligible approaches, and the gate that removed a strong contender, if one did."""
    chosen = decision.approach
    ranking = decision.ranking()
    top = max(why, key=lambda r: _lead(r["effects"], chosen, ranking[1:]))
    reason = _first_sentence(top["explanation"])
    text = f"{_FIRST_STEP[chosen]}: {reason[0].lower()}{reason[1:]}"
    runner_up = decision.scores[ranking[1]] if len(ranking) > 1 else float("-inf")
    contenders = sorted(
        (
            item
            for item in out
            if decision.scores[item["approach"]] >= runner_up or item["approach"] == top["favors"]
        ),
        key=lambda item: -decision.scores[item["approach"]],
    )
    if contenders:
        text += " " + _first_sentence(contenders[0]["explanation"])
    return text


_IN_A_SENTENCE = {
    "prompt_engineering": "better prompting",
    "rag": "retrieval",
    "hybrid": "the hybrid",
    "fine_tuning": "fine-tuning",
}


def _change_explanation(
    qid: str,
    before: Decision,
    after: Decision,
    context_before: Mapping[str, str],
    context_after: Mapping[str, str],
) -> str:
    """Why the changed answer flips the outcome, in one or two sentences."""
    new, old = after.approach, before.approach
    if new in before.ruled_out and new not in after.ruled_out:
        return f"{APPROACH_LABELS[new]} would no longer be ruled out, and it would come out on top."
    if old in after.ruled_out and old not in before.ruled_out:
        gate = next(g for g in after.gates if old in g.rules_out)
        return _first_sentence(_fill(gate.explanation, gate.question, context_after))

    def swing(r: Any) -> float:
        effects = dict(r.effects)
        return effects.get(new, 0) - effects.get(old, 0)

    added = [r for r in after.rules if r.question == qid and r not in before.rules]
    if added:
        r = max(added, key=swing)
        return _fill(r.explanation, r.question, context_after)
    removed = [r for r in before.rules if r.question == qid and r not in after.rules]
    if removed:
        r = min(removed, key=swing)
        sentence = _first_sentence(_fill(r.explanation, r.question, context_before))
        return (
            f"That takes away a reason for {_IN_A_SENTENCE[old]}: "
            f"{sentence[0].lower()}{sentence[1:]}"
        )
    return f"The balance would tip toward {_IN_A_SENTENCE[new]}."  # pragma: no cover


def changes(a: Mapping[str, Any], decision: Decision) -> list[dict[str, Any]]:
    out = []
    context_before = template_context(a, decision)
    for qid, value, changed, outcome in what_would_change(a, decision):
        q = QUESTIONS[qid]
        context = template_context({**a, **changed}, outcome)
        out.append(
            {
                "question": qid,
                "question_label": q.label,
                "to": value,
                "display": q.display(value),
                "changes": changed,
                "approach": outcome.approach,
                "label": APPROACH_LABELS[outcome.approach],
                "explanation": _change_explanation(qid, decision, outcome, context_before, context),
            }
        )
    return out


def assumptions(doc: Mapping[str, Any], a: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Answers left out ("I don't know") that took their default, for questions that apply."""
    out = []
    for qid in omitted_fields(dict(doc)):
        q = QUESTIONS[qid]
        if not q.applies_to(a):
            continue
        out.append(
            {"question": qid, "label": q.label, "value": a[qid], "display": q.display(a[qid])}
        )
    return out


def _cited(why: list[dict[str, Any]], out: list[dict[str, Any]]) -> list[dict[str, str]]:
    keys = {item["source"] for item in why} | {item["source"] for item in out}
    return [{"key": key, **SOURCES[key]} for key in SOURCES if key in keys]


def assess(doc: Any) -> dict[str, Any]:
    """Validate the answers and return the full, JSON-ready recommendation."""
    a = validate_answers(doc)
    decision = decide(a)
    context = template_context(a, decision)
    why = reasons(decision, context)
    out = ruled_out(decision, context)
    guessed = assumptions(doc, a)
    costs = cost_report(a)
    return {
        "engine_version": ENGINE_VERSION,
        "approach": decision.approach,
        "approach_label": APPROACH_LABELS[decision.approach],
        "summary": summary(decision, why, out),
        "confidence": confidence(decision, [item["question"] for item in guessed]),
        "scores": {name: round(decision.scores[name], 2) for name in APPROACHES},
        "ranking": decision.ranking(),
        "ruled_out": out,
        "reasons": why,
        "roadmap": roadmap(a, decision),
        "what_would_change": changes(a, decision),
        "costs": costs,
        "tradeoffs": tradeoffs(a, decision, costs),
        "assumptions": guessed,
        "prices_as_of": costs["prices_as_of"],
        "sources": _cited(why, out),
        "answers": a,
    }
