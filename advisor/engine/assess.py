"""Assembling one assessment: the decision, its reasons, the plan, the what-ifs and the costs."""

import math
from collections.abc import Mapping
from typing import Any

from . import rules
from .costs import cost_report, cost_sources, estimated_inputs
from .decision import CONFIDENCE_CAP, FULL_LEAD, Decision, confidence, decide
from .questions import QUESTIONS
from .roadmap import roadmap
from .sources import APPROACH_LABELS, APPROACHES, SOURCES
from .text import join_words, money, whole
from .tradeoffs import tradeoffs
from .validation import omitted_fields, validate_answers
from .whatif import what_would_change

ENGINE_VERSION = "2026.12.1"

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"
_ORDER = {name: i for i, name in enumerate(APPROACHES)}

_FIRST_STEP = {
    "prompt_engineering": "Start with better prompting",
    "rag": "Start with retrieval (RAG)",
    "hybrid": "Build retrieval now and add a fine-tuned model on top once it is live",
    "fine_tuning": "Fine-tune a model",
}

_IN_A_SENTENCE = {
    "prompt_engineering": "better prompting",
    "rag": "retrieval",
    "hybrid": "the hybrid",
    "fine_tuning": "fine-tuning",
}

# Answers with no default whose absence leaves a risk the result names: a model cannot forget
# what it was trained on.
SAFETY_QUESTIONS = ("per_user_permissions", "sensitive_data")


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
            value = money(figures[F].upfront)
        elif key == "hybrid_upfront":
            value = money(figures[H].upfront)
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


def favors(effects: Mapping[str, float]) -> list[str]:
    """Every approach tied for the largest positive effect, simplest first."""
    top = max(effects.values())
    return sorted((name for name, weight in effects.items() if weight == top), key=_ORDER.get)


def _review_words(a: Mapping[str, Any], derived: str) -> str:
    review = a["failure_review"]
    return (
        f"Your failure review ({QUESTIONS['failure_review'].display(review)}) settles the "
        f"problem type as {QUESTIONS['problem_type'].choice_label(derived).lower()}. "
    )


def reasons(
    a: Mapping[str, Any], decision: Decision, context: Mapping[str, str]
) -> list[dict[str, Any]]:
    """One reason per question that moved the scores: those backing the recommendation first,
    each group weightiest first, table order breaking ties."""
    derived = derived_problem_type(a, decision)
    out = []
    for position, r in enumerate(decision.rules):
        effects = dict(r.effects)
        chosen = favors(effects)
        explanation = _fill(r.explanation, r.question, context)
        if r.question == "problem_type" and derived:
            explanation = _review_words(a, derived["problem_type"]) + explanation
        out.append(
            {
                "question": r.question,
                "favors": chosen,
                "weight": effects[chosen[0]],
                "effects": effects,
                "explanation": explanation,
                "source": r.source,
                "quote": r.quote,
                "_key": (decision.approach not in chosen, -effects[chosen[0]], position),
            }
        )
    out.sort(key=lambda item: item["_key"])
    for item in out:
        del item["_key"]
    return out


def ruled_out(decision: Decision, context: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every approach a hard rule excludes, hard rules in order of precedence."""
    return [
        {
            "approach": name,
            "question": g.question,
            "explanation": _fill(g.explanation, g.question, context),
            "source": g.source,
            "quote": g.quote,
        }
        for g in decision.gates
        for name in g.rules_out
    ]


def derived_problem_type(a: Mapping[str, Any], decision: Decision) -> dict[str, Any] | None:
    """The problem type a failure review settled for a team that was unsure, or None."""
    problem = decision.facts["problem"]
    if a["problem_type"] != "unsure" or problem == "unsure":
        return None
    return {
        "question": "failure_review",
        "problem_type": problem,
        "label": QUESTIONS["problem_type"].choice_label(problem),
        "explanation": _review_words(a, problem).strip(),
    }


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def staged(a: Mapping[str, Any], decision: Decision) -> dict[str, Any] | None:
    """Prompt now, train if prompting falls short: where the prompting-first rule is all that
    keeps a trained approach out, the re-run with prompting falling short says what comes next."""
    if a["prompting_result"] != "not_tried":
        return None
    later = decide({**a, "prompting_result": "mostly_works"}, decision.figures)
    if later.approach == decision.approach:
        return None
    return {
        "now": decision.approach,
        "next": later.approach,
        "question": "prompting_result",
        "if": "mostly_works",
        "explanation": (
            f"{_FIRST_STEP[decision.approach]} now. If careful prompting falls short (about 9 "
            f"answers in 10 when you need 99), move to {_IN_A_SENTENCE[later.approach]}: "
            "that is what the same answers give once prompting has been tried."
        ),
    }


def summary(
    decision: Decision,
    why: list[dict[str, Any]],
    out: list[dict[str, Any]],
    stage_plan: dict[str, Any] | None,
) -> str:
    """The recommendation and the reason that most backs it; the staged next step, if any, or
    else the hard rule that removed the strongest contender."""
    chosen = decision.approach
    backing = [r for r in why if chosen in r["favors"]]
    text = _FIRST_STEP[chosen]
    if backing:
        text += ": " + _lower_first(_first_sentence(backing[0]["explanation"]))
    else:
        text += "."
    if stage_plan:
        return f"{text} If prompting falls short, move to {_IN_A_SENTENCE[stage_plan['next']]}."
    contenders = sorted(
        (item for item in out if decision.scores[item["approach"]] > decision.scores[chosen]),
        key=lambda item: -decision.scores[item["approach"]],
    )
    if contenders:
        text += " " + _first_sentence(contenders[0]["explanation"])
    return text


def confidence_basis(decision: Decision, settle: list[str]) -> str:
    """What the confidence figure means, how it follows from the scores, and what would settle
    it, in plain words."""
    chosen, other = decision.approach, decision.runner_up
    percent = round(confidence(decision) * 100)
    if len(decision.ranking()) == 1:
        text = (
            f"{percent}%: the hard rules leave {_IN_A_SENTENCE[chosen]} as the only approach, "
            "whatever the scores say."
        )
    else:
        lead = decision.lead
        text = (
            f"{percent}% measures how clearly the scores separate {_IN_A_SENTENCE[chosen]} from "
            f"the runner-up, {_IN_A_SENTENCE[other]}: it leads by {lead:g} points; a tie "
            f"would be 50% and a lead of {FULL_LEAD:g} points or more "
            f"{round(CONFIDENCE_CAP * 100)}%."
        )
    if settle:
        asked = [f"“{QUESTIONS[qid].label}”" for qid in settle]
        text += f" What would settle it: your answer to {join_words(asked, 'and')}."
    return text


def changes(a: Mapping[str, Any], decision: Decision) -> list[dict[str, Any]]:
    out = []
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
                "explanation": _change_explanation(qid, decision, outcome, context),
            }
        )
    return out


def _change_explanation(
    qid: str, before: Decision, after: Decision, context: Mapping[str, str]
) -> str:
    """Why the changed answer flips the outcome, from the re-run itself."""
    new, old = after.approach, before.approach
    if old in after.ruled_out and old not in before.ruled_out:
        g = next(g for g in after.gates if old in g.rules_out)
        return _first_sentence(_fill(g.explanation, g.question, context))
    if new in before.ruled_out and new not in after.ruled_out:
        return f"{APPROACH_LABELS[new]} would no longer be ruled out, and it would come out on top."
    added = next((r for r in after.rules if r.question == qid), None)
    if added is not None and added not in before.rules:
        return _fill(added.explanation, added.question, context)
    return (
        f"{APPROACH_LABELS[new]} would score {whole(after.scores[new])} against "
        f"{whole(after.scores[old])} for {_IN_A_SENTENCE[old]}."
    )


def _risk(
    qid: str, a: Mapping[str, Any], decision: Decision, flips: Mapping[str, list[dict[str, Any]]]
) -> tuple[str | None, str | None]:
    """What leaving this answer out risks, and for the safety questions what a Yes would give."""
    if qid in SAFETY_QUESTIONS:
        yes = decide({**a, qid: True}, decision.figures).approach
        if qid == "per_user_permissions":
            text = (
                "Not known whether different users may see different data. A model cannot "
                "forget what it was trained on, so nothing any user must not see goes into "
                "training until this is answered."
            )
        else:
            text = (
                "Not known whether the data is personal, confidential or regulated. Resolve that "
                "before anything is trained on it."
            )
        if yes == decision.approach:
            text += f" A Yes would keep the recommendation: {_IN_A_SENTENCE[yes]}."
        else:
            text += f" A Yes would change the recommendation to {_IN_A_SENTENCE[yes]}."
        return text, yes
    if qid == "failure_review":
        return (
            "The problem type stays unsure. Sort five failing answers into missing facts and "
            "wrong format or tone: the review settles which problem you have.",
            None,
        )
    if qid in flips:
        targets = join_words(sorted({_IN_A_SENTENCE[c["approach"]] for c in flips[qid]}))
        return f"Another answer here could change the recommendation to {targets}.", None
    return None, None


def assumptions(
    doc: Mapping[str, Any],
    a: Mapping[str, Any],
    decision: Decision,
    what_ifs: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every answer not given that applies: what was assumed instead, and the risk it leaves.
    Cost inputs with no default take the value the cost model estimated for them."""
    estimates = estimated_inputs(a)
    flips: dict[str, list[dict[str, Any]]] = {}
    for change in what_ifs:
        flips.setdefault(change["question"], []).append(change)
    out = []
    for qid in omitted_fields(dict(doc)):
        q = QUESTIONS[qid]
        if not q.applies_to(a):
            continue
        assumed = a[qid] if a[qid] is not None else estimates.get(qid)
        item: dict[str, Any] = {
            "question": qid,
            "label": q.label,
            "assumed": assumed,
            "display": _assumed_words(qid, q, a[qid], estimates),
        }
        risk, if_yes = _risk(qid, a, decision, flips)
        if risk:
            item["risk"] = risk
        if if_yes:
            item["if_yes"] = if_yes
        out.append(item)
    return out


def _assumed_words(qid: str, q: Any, value: Any, estimates: Mapping[str, Any]) -> str:
    if value is not None:
        return q.display(value)
    if qid in SAFETY_QUESTIONS or qid == "failure_review":
        return "Not known yet"
    if qid in estimates:
        return f"{q.display(estimates[qid])} (estimated by the cost model)"
    return "Not needed for these costs"


def _recommend(changed: Mapping[str, Any]) -> str:
    """The decision alone for changed answers: what the cost model's sensitivity rows ask."""
    return decide(changed).approach


def _cost_section(a: Mapping[str, Any], approach: str) -> dict[str, Any]:
    """The costs section for the recommended approach."""
    return cost_report(a, approach, _recommend)


def _cost_sources(costs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The price sources the costs section cites, as entries for `sources`."""
    return cost_sources(costs)


def _cited(
    why: list[dict[str, Any]], out: list[dict[str, Any]], costs: Mapping[str, Any]
) -> list[dict[str, Any]]:
    keys = {item["source"] for item in why} | {item["source"] for item in out}
    cited = []
    for key in SOURCES:
        if key in keys:
            entry = {"key": key, **SOURCES[key]}
            if not entry["author"]:
                del entry["author"]
            cited.append(entry)
    known = {entry["key"] for entry in cited}
    cited += [entry for entry in _cost_sources(costs) if entry["key"] not in known]
    return cited


def assess(doc: Any) -> dict[str, Any]:
    """Validate the answers and return the full, JSON-ready recommendation."""
    a = validate_answers(doc)
    decision = decide(a)
    context = template_context(a, decision)
    why = reasons(a, decision, context)
    out = ruled_out(decision, context)
    stage_plan = staged(a, decision)
    what_ifs = changes(a, decision)
    guessed = assumptions(doc, a, decision, what_ifs)
    unknown = [
        item["question"]
        for item in guessed
        if item.get("if_yes", decision.approach) != decision.approach
        or item["question"] == "failure_review"
    ]
    settle = list(dict.fromkeys([*unknown, *(c["question"] for c in what_ifs)]))[:3]
    costs = _cost_section(a, decision.approach)
    runner_up = decision.runner_up
    return {
        "engine_version": ENGINE_VERSION,
        "approach": decision.approach,
        "approach_label": APPROACH_LABELS[decision.approach],
        "summary": summary(decision, why, out, stage_plan),
        "confidence": confidence(decision),
        "confidence_basis": confidence_basis(decision, settle),
        "runner_up": {
            "approach": runner_up,
            "label": APPROACH_LABELS[runner_up],
            "score_gap": decision.lead,
            "ruled_out": runner_up in decision.ruled_out,
        },
        "scores": {name: decision.scores[name] for name in APPROACHES},
        "ranking": decision.ranking(),
        "ruled_out": out,
        "reasons": why,
        "staged": stage_plan,
        "derived_problem_type": derived_problem_type(a, decision),
        "guidance_choices": [dict(choice) for choice in rules.GUIDANCE_CHOICES],
        "roadmap": roadmap(a, decision, stage_plan),
        "what_would_change": what_ifs,
        "costs": costs,
        "tradeoffs": tradeoffs(a, decision, costs),
        "assumptions": guessed,
        "prices_as_of": costs["prices_as_of"],
        "sources": _cited(why, out, costs),
        "answers": a,
    }
