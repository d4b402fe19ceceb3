"""The report: one context, built once, that the result page, the PDF and the JSON export share.

Everything a template shows is worked out and formatted here, from the answers and the STORED
result snapshot: nothing is re-assessed when a report is shown. Templates only lay it out.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from advisor.assessments.steps import AnswerRow, answer_row
from advisor.engine import APPROACH_LABELS, QUESTIONS, SOURCES, STEPS
from advisor.engine.text import money
from advisor.reports import charts

# The order approaches appear in tables and legends: simplest first.
APPROACH_ORDER: tuple[str, ...] = ("prompt_engineering", "rag", "hybrid", "fine_tuning")
TRADEOFF_COLUMNS: tuple[str, ...] = ("rag", "fine_tuning", "hybrid")
UNTITLED = "Untitled assessment"
SITE_NAME = "Model customisation advisor"
# Approaches as they read inside a sentence.
IN_A_SENTENCE = {
    "prompt_engineering": "better prompting",
    "rag": "retrieval",
    "hybrid": "the hybrid",
    "fine_tuning": "fine-tuning",
}
KIND_WORDS = {"upfront": "One-off", "monthly": "Monthly", "per_query": "Per call"}
FILENAME_STEM_LIMIT = 60


@dataclass(frozen=True)
class Reason:
    question: str
    label: str  # the question as the founder was asked it
    answer: str  # what they answered, as they would say it
    favours: str
    favours_label: str
    strength: str  # "Strong", "Moderate" or "Slight"
    level: int  # 1..5
    meter: SafeString  # the level drawn as five blocks
    explanation: str
    source: str  # title of the published guidance
    quote: str = ""  # the passage of it the rule rests on, word for word
    effects: str = ""  # everything the reason moves: "Fine-tuning +3, Hybrid +3"


@dataclass(frozen=True)
class RuledOut:
    approaches: str  # "Fine-tuning and Hybrid"
    explanation: str
    source: str


@dataclass(frozen=True)
class RoadmapStep:
    number: int
    action: str
    when: str
    measure: str


@dataclass(frozen=True)
class Change:
    question: str
    label: str
    current: str
    to: str
    approach: str
    approach_label: str
    explanation: str


@dataclass(frozen=True)
class LineItem:
    label: str
    amount: str
    kind: str
    basis: str  # the arithmetic, e.g. "40 hours x $100 an hour = $4,000"
    source: str  # title of the price list or guidance it rests on
    note: str = ""


@dataclass(frozen=True)
class CostOption:
    approach: str
    label: str
    recommended: bool
    upfront: str
    monthly: str
    per_query: str
    total: str
    total_usd: float
    lines: tuple[LineItem, ...]
    low: str = ""
    high: str = ""

    @property
    def range(self) -> str:
        return f"between {self.low} and {self.high}" if self.low and self.high else ""

    @property
    def range_short(self) -> str:
        return f"{self.low}\u2013{self.high}" if self.low and self.high else ""


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    caption: str
    svg: SafeString


@dataclass(frozen=True)
class TradeoffRow:
    dimension: str
    cells: tuple[tuple[str, str, str], ...]  # (approach, label, text) in TRADEOFF_COLUMNS order
    matters_to_you: bool
    why: str


@dataclass(frozen=True)
class Assumption:
    question: str
    label: str
    display: str
    risk: str = ""


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class Source:
    title: str
    author: str
    url: str = ""
    checked_on: str = ""
    kind: str = ""


@dataclass(frozen=True)
class PriceRow:
    item: str
    price: str  # "$0.15 per 1M tokens"
    source: str
    checked_on: str


@dataclass(frozen=True)
class Report:
    title: str
    date: dt.date
    approach: str
    approach_label: str
    confidence: int  # percent
    confidence_words: str
    confidence_bar: SafeString
    confidence_basis: str  # what the percentage means, in one sentence
    staged: str  # "prompt now, fine-tune if prompting falls short", when the answer is staged
    guidance_choices: tuple[str, ...]  # where the articles disagree, which one is followed
    summary: str
    reasons: tuple[Reason, ...]
    ruled_out: tuple[RuledOut, ...]
    roadmap: tuple[RoadmapStep, ...]
    changes: tuple[Change, ...]
    costs: tuple[CostOption, ...]
    horizon_months: int
    monthly_queries: str
    break_even: str
    charts: tuple[Chart, ...]
    tradeoff_columns: tuple[tuple[str, str], ...]  # (approach, label)
    tradeoffs: tuple[TradeoffRow, ...]
    assumptions: tuple[Assumption, ...]
    prices_as_of: str
    prices_stale: bool
    prices: tuple[PriceRow, ...]
    cost_notes: tuple[str, ...]  # budget, not launched yet, long-context alternative
    engine_version: str
    answers: tuple[AnswerGroup, ...]
    sources: tuple[Source, ...]
    answers_doc: Mapping[str, Any]
    result: Mapping[str, Any]

    @classmethod
    def from_assessment(cls, assessment: Any, *, today: dt.date) -> "Report":
        """The report of an assessment's stored result snapshot.

        When the owner has edited answers since (the result is outdated), the report still shows
        the answers that result was computed from, so page, PDF and export agree with each other.
        """
        result = assessment.result
        outdated = getattr(assessment, "result_is_outdated", False)
        doc = assessed_doc(result) if outdated else assessment.answers
        completed = assessment.completed_at
        return cls.from_answers(
            doc,
            result,
            title=str(doc.get("project_name") or ""),
            today=timezone.localdate(completed) if completed else today,
            unknown=tuple(assessment.unknown or ()),
        )

    @classmethod
    def from_answers(
        cls,
        answers: Mapping[str, Any],
        result: Mapping[str, Any],
        *,
        title: str,
        today: dt.date,
        unknown: tuple[str, ...] = (),
    ) -> "Report":
        """The report of an answers document and the result assess() gave for it."""
        costs = result.get("costs") or {}
        approach = result["approach"]
        confidence = round(float(result.get("confidence", 0)) * 100)
        # The complete answers the engine judged (defaults filled in), when the result has them.
        assessed = {**_defaults(), **(result.get("answers") or answers)}
        return cls(
            title=(title or "").strip() or UNTITLED,
            date=today,
            approach=approach,
            approach_label=approach_label(approach),
            confidence=confidence,
            confidence_words=_confidence_words(confidence),
            confidence_bar=_safe_svg(charts.bar(confidence)),
            confidence_basis=str(result.get("confidence_basis") or ""),
            staged=_staged(result.get("staged")),
            guidance_choices=tuple(
                f"{c.get('topic', '')}: {c.get('choice', '')} {c.get('why', '')}".strip()
                for c in result.get("guidance_choices") or ()
                if isinstance(c, Mapping)
            ),
            summary=str(result.get("summary", "")),
            reasons=_reasons(result.get("reasons", ()), assessed),
            ruled_out=_ruled_out(result.get("ruled_out", ())),
            roadmap=_roadmap(result.get("roadmap", ())),
            changes=_changes(result.get("what_would_change", ()), assessed),
            costs=_costs(costs.get("options", {}), approach, _source_titles(result)),
            horizon_months=int(costs.get("horizon_months") or 0),
            monthly_queries=_count(assessed.get("monthly_queries", 0)),
            break_even=_break_even(costs, assessed),
            charts=_charts(costs, approach),
            tradeoff_columns=tuple((a, approach_label(a)) for a in TRADEOFF_COLUMNS),
            tradeoffs=_tradeoffs(result.get("tradeoffs", ())),
            assumptions=_assumptions(result.get("assumptions"), answers, assessed),
            prices_as_of=str(result.get("prices_as_of") or costs.get("prices_as_of") or ""),
            prices_stale=bool(costs.get("stale")),
            prices=_prices(costs.get("prices", ()), _source_titles(result)),
            cost_notes=_cost_notes(costs, approach),
            engine_version=str(result.get("engine_version", "")),
            answers=_answer_groups(answers, assessed, unknown),
            sources=_sources(result.get("sources")),
            answers_doc=answers,
            result=result,
        )

    @property
    def long_title(self) -> bool:
        """Set smaller when it would otherwise fill the first screen."""
        return len(self.title) > 48

    @property
    def date_display(self) -> str:
        return f"{self.date.day} {self.date:%B %Y}"

    @property
    def description(self) -> str:
        """One line for link previews and the page's meta description."""
        return (
            f"Recommendation: {self.approach_label} ({self.confidence}% confidence). {self.summary}"
        )

    @property
    def top_reasons(self) -> tuple[Reason, ...]:
        return self.reasons[:3]

    @property
    def recommended_cost(self) -> CostOption | None:
        return next((option for option in self.costs if option.recommended), None)

    def filename(self, extension: str) -> str:
        """ASCII-only download name: docs-assistant-2026-11-21.pdf."""
        stem = slugify(self.title)[:FILENAME_STEM_LIMIT].strip("-") or "assessment"
        return f"{stem}-{self.date.isoformat()}.{extension}"

    def export(self) -> dict[str, Any]:
        """The JSON download: the answers document and the stored result, exactly as kept."""
        return {"answers": dict(self.answers_doc), "result": dict(self.result)}


# Bumped whenever the Report's shape or wording changes, so kept renders are not reused.
LAYOUT_VERSION = "4"


def render_key(assessment: Any, today: dt.date) -> str:
    """What a report (and every render of it) depends on: the assessment's revision, the engine
    and price data that judged it, the report layout and, for a result stored without a
    completion time, the date it shows."""
    result = assessment.result or {}
    dated = "" if assessment.completed_at else today.isoformat()
    return ":".join(
        [
            "report",
            str(assessment.public_id),
            str(assessment.revision),
            str(result.get("engine_version", "")),
            str(result.get("prices_as_of", "")),
            LAYOUT_VERSION,
            dated,
        ]
    )


def report_for(assessment: Any, *, today: dt.date) -> Report:
    """The report of an assessment's stored result, built once per revision in each process."""
    return caches["renders"].get_or_set(
        render_key(assessment, today), lambda: Report.from_assessment(assessment, today=today)
    )


# ---------------------------------------------------------------------------------------------
# Builders: each turns one part of the stored result into display-ready rows.


def approach_label(approach: str) -> str:
    return APPROACH_LABELS.get(approach, approach.replace("_", " ").capitalize())


def short_label(approach: str) -> str:
    """The label without its explanation: "Hybrid: retrieval plus ..." -> "Hybrid"."""
    return approach_label(approach).split(":")[0]


def question_label(qid: str) -> str:
    question = QUESTIONS.get(qid)
    return question.label if question else qid.replace("_", " ").capitalize()


def display(qid: str, value: Any) -> str:
    question = QUESTIONS.get(qid)
    if question is None:
        return str(value)
    try:
        return question.display(value)
    except (TypeError, ValueError):
        return str(value)


def _defaults() -> dict[str, Any]:
    return {qid: q.default for qid, q in QUESTIONS.items() if q.has_default}


def assessed_doc(result: Mapping[str, Any]) -> dict[str, Any]:
    """The answers document a result was computed from, rebuilt from its snapshot: every answer
    it holds except those that took a default (and questions that did not apply)."""
    complete = result.get("answers") or {}
    assumed = {row["question"] for row in result.get("assumptions") or ()}
    return {
        qid: value
        for qid, value in complete.items()
        if qid in QUESTIONS and qid not in assumed and QUESTIONS[qid].applies_to(complete)
    }


def _is_blank_text(qid: str) -> bool:
    question = QUESTIONS.get(qid)
    return question is not None and question.kind == "text" and question.default == ""


def _count(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def _confidence_words(percent: int) -> str:
    if percent >= 75:
        return "High confidence"
    if percent >= 50:
        return "Moderate confidence"
    return "Low confidence"


def _strength(weight: float, strongest: float) -> tuple[str, int]:
    size = abs(weight)
    level = max(1, min(5, round(5 * size / strongest))) if strongest else 1
    if size >= 3:
        return "Strong", level
    if size >= 1.5:
        return "Moderate", level
    return "Slight", level


def _source_title(key: str | None) -> str:
    if not key:
        return ""
    source = SOURCES.get(key)
    return source["title"] if source else str(key)


def _reasons(rows: Any, answers: Mapping[str, Any]) -> tuple[Reason, ...]:
    rows = list(rows or ())
    strongest = max((abs(float(r.get("weight") or 0)) for r in rows), default=0)
    reasons = []
    for row in rows:
        qid = row["question"]
        strength, level = _strength(float(row.get("weight") or 0), strongest)
        reasons.append(
            Reason(
                question=qid,
                label=question_label(qid),
                answer=display(qid, answers.get(qid)),
                favours=" ".join(_listed(row["favors"])),
                favours_label=" and ".join(approach_label(a) for a in _listed(row["favors"])),
                strength=strength,
                level=level,
                meter=_safe_svg(charts.meter(level)),
                explanation=str(row.get("explanation", "")),
                source=_source_title(row.get("source")),
                quote=str(row.get("quote") or ""),
                effects=_effects_text(row.get("effects")),
            )
        )
    return tuple(reasons)


def _staged(plan: Any) -> str:
    if not isinstance(plan, Mapping):
        return ""
    return str(plan.get("explanation") or "")


def _effects_text(effects: Any) -> str:
    if not isinstance(effects, Mapping):
        return ""
    ordered = [a for a in APPROACH_ORDER if a in effects]
    return ", ".join(f"{short_label(a)} {float(effects[a]):+g}" for a in ordered)


def _listed(favors: Any) -> list[str]:
    # Engine v2 lists every approach tied for a reason's largest effect; v1 gave one name.
    return [favors] if isinstance(favors, str) else list(favors)


def _ruled_out(rows: Any) -> tuple[RuledOut, ...]:
    """One entry per distinct explanation: a rule that rules out two approaches says so once."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows or ():
        entry = grouped.setdefault(
            str(row.get("explanation", "")), {"approaches": [], "source": row.get("source")}
        )
        entry["approaches"].append(short_label(row["approach"]))
    return tuple(
        RuledOut(
            approaches=" and ".join(entry["approaches"]),
            explanation=explanation,
            source=_source_title(entry["source"]),
        )
        for explanation, entry in grouped.items()
    )


def _roadmap(rows: Any) -> tuple[RoadmapStep, ...]:
    return tuple(
        RoadmapStep(
            number=index,
            action=str(row.get("action", "")),
            when=str(row.get("when", "")),
            measure=str(row.get("measure", "")),
        )
        for index, row in enumerate(rows or (), start=1)
    )


def _changes(rows: Any, answers: Mapping[str, Any]) -> tuple[Change, ...]:
    return tuple(
        Change(
            question=row["question"],
            label=str(row.get("question_label") or question_label(row["question"])),
            current=display(row["question"], answers.get(row["question"])),
            to=str(row.get("display") or display(row["question"], row["to"])),
            approach=row["approach"],
            approach_label=approach_label(row["approach"]),
            explanation=str(row.get("explanation", "")),
        )
        for row in rows or ()
    )


def _source_titles(result: Mapping[str, Any]) -> dict[str, str]:
    """Source key -> the title a reader can find in the Sources list."""
    titles = {key: str(value.get("title", key)) for key, value in SOURCES.items()}
    for row in result.get("sources") or ():
        if isinstance(row, Mapping) and row.get("key"):
            titles[str(row["key"])] = str(row.get("title") or row["key"])
    return titles


def _costs(
    options: Mapping[str, Any], recommended: str, titles: Mapping[str, str]
) -> tuple[CostOption, ...]:
    ordered = [a for a in APPROACH_ORDER if a in options] + [
        a for a in options if a not in APPROACH_ORDER
    ]
    return tuple(
        CostOption(
            approach=approach,
            label=approach_label(approach),
            recommended=approach == recommended,
            upfront=money(options[approach].get("upfront_usd", 0)),
            monthly=money(options[approach].get("monthly_usd", 0)),
            per_query=money(options[approach].get("per_query_usd", 0)),
            total=money(options[approach].get("total_usd", 0)),
            total_usd=float(options[approach].get("total_usd", 0)),
            low=money(options[approach]["total_low_usd"])
            if "total_low_usd" in options[approach]
            else "",
            high=money(options[approach]["total_high_usd"])
            if "total_high_usd" in options[approach]
            else "",
            lines=tuple(
                LineItem(
                    label=str(item.get("label", "")),
                    amount=money(item.get("amount_usd", 0)),
                    kind=_kind(item.get("kind", "")),
                    basis=str(item.get("basis", "")),
                    source=titles.get(str(item.get("source", "")), str(item.get("source", ""))),
                    note=str(item.get("note") or ""),
                )
                for item in options[approach].get("breakdown", ())
            ),
        )
        for approach in ordered
    )


def _kind(kind: Any) -> str:
    return KIND_WORDS.get(kind, str(kind).replace("_", " ").capitalize())


def _about(count: float) -> str:
    """A large count as a person would say it: 12,146,879 -> "12.1 million"."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if count >= size:
            return f"{count / size:.1f}".removesuffix(".0") + f" {word}"
    digits = max(0, len(str(int(count))) - 2)
    return f"{round(count, -digits):,.0f}"


def _break_even(costs: Mapping[str, Any], answers: Mapping[str, Any]) -> str:
    """Where the recommended option and the cheapest other one cross over, in one sentence."""
    horizon = costs.get("horizon_months") or 0
    volume = answers.get("monthly_queries") or 0
    be = costs.get("break_even")
    if not isinstance(be, Mapping) or not be.get("approach"):
        return ""
    mine, other = IN_A_SENTENCE[be["approach"]], IN_A_SENTENCE[be["against"]]
    if be["approach"] == be["against"]:
        return f"{mine[0].upper()}{mine[1:]} is also the cheapest option over {horizon} months."
    point = be.get("monthly_queries")
    if point is None:
        return (
            f"Over {horizon} months {mine} costs more than {other}, the cheapest option, at "
            "every volume the comparison covers: the case for it is in the reasons above, "
            "not in the cost."
        )
    above = be.get("cheaper_above")
    side = "above" if above else "below"
    cheaper_now = (volume >= point) if above else (volume <= point)
    return (
        f"Over {horizon} months {mine} costs less than {other} {side} about {_about(point)} "
        f"calls a month. You expect {_count(volume)}, so at your volume it is "
        + ("the cheaper of the two." if cheaper_now else "the dearer of the two.")
    )


def _cost_notes(costs: Mapping[str, Any], recommended: str) -> tuple[str, ...]:
    notes = []
    if costs.get("not_launched"):
        notes.append(
            "Not launched yet: these totals are the build cost. Running costs start with the "
            "first users; the line items show what each month will cost at your token counts."
        )
    budget = costs.get("budget")
    if isinstance(budget, Mapping) and budget.get("upfront_budget_usd") is not None:
        build, limit = money(budget.get("upfront_usd", 0)), money(budget["upfront_budget_usd"])
        if budget.get("fits"):
            notes.append(f"The build cost of {build} fits your upfront budget of {limit}.")
        else:
            fit = [approach_label(a) for a in budget.get("options_that_fit") or ()]
            notes.append(
                f"The build cost of {build} is over your upfront budget of {limit} by "
                f"{money(budget.get('shortfall_usd', 0))}. "
                + (
                    f"Within budget: {', '.join(fit)}."
                    if fit
                    else "No option's build cost fits that budget."
                )
            )
    lc = costs.get("long_context")
    if isinstance(lc, Mapping) and lc.get("fits"):
        notes.append(
            f"Your whole corpus (about {_about(lc.get('corpus_tokens', 0))} tokens) would fit in "
            f"one prompt: with prompt caching that costs {money(lc.get('per_query_usd', 0))} a "
            f"call and {money(lc.get('total_usd', 0))} over {costs.get('horizon_months')} "
            "months, an alternative to building retrieval."
        )
    return tuple(notes)


def _price_text(usd: Any, unit: str) -> str:
    value = float(usd or 0)
    amount = f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:.4g}"
    return f"{amount} {unit}".strip()


def _prices(rows: Any, titles: Mapping[str, str]) -> tuple[PriceRow, ...]:
    return tuple(
        PriceRow(
            item=str(row.get("item", "")),
            price=_price_text(row.get("usd"), str(row.get("unit", ""))),
            source=titles.get(str(row.get("source", "")), str(row.get("source", ""))),
            checked_on=str(row.get("checked_on", "")),
        )
        for row in rows or ()
    )


def _charts(costs: Mapping[str, Any], recommended: str) -> tuple[Chart, ...]:
    curves = costs.get("curves") or {}
    labels = {a: short_label(a) for a in APPROACH_ORDER}
    horizon = int(costs.get("horizon_months") or 0)
    built = []
    cumulative = curves.get("cumulative")
    if cumulative and cumulative.get("months"):
        built.append(
            Chart(
                slug="cumulative",
                title=f"Spending over {horizon} months",
                caption="What each approach has cost from the start to each month: the build "
                "cost up front, then the monthly running cost at your volume. The shaded band "
                "is the plausible range of the recommended approach.",
                svg=_safe_svg(
                    charts.cumulative_cost_chart(
                        cumulative["months"],
                        cumulative["series"],
                        labels=labels,
                        highlight=recommended,
                        id_prefix="chart-cumulative",
                        band=_band(cumulative, recommended),
                    )
                ),
            )
        )
    volume = curves.get("volume")
    if volume and volume.get("monthly_queries"):
        built.append(
            Chart(
                slug="volume",
                title=f"Total after {horizon} months at other volumes",
                caption="How the total changes if you get more or fewer calls than you expect. "
                "Where the fine-tuning line crosses below retrieval is the break-even volume.",
                svg=_safe_svg(
                    charts.volume_cost_chart(
                        volume["monthly_queries"],
                        volume["series"],
                        horizon_months=horizon,
                        break_even=_number(
                            volume.get("break_even", costs.get("break_even_monthly_queries"))
                        ),
                        your_volume=_number(volume.get("your_volume")),
                        labels=labels,
                        highlight=recommended,
                        id_prefix="chart-volume",
                    )
                ),
            )
        )
    tornado = _tornado(costs, recommended)
    if tornado is not None:
        built.append(tornado)
    return tuple(built)


def _band(cumulative: Mapping[str, Any], approach: str) -> tuple[list[float], list[float]] | None:
    low, high = cumulative.get("low") or {}, cumulative.get("high") or {}
    if approach in low and approach in high:
        return list(low[approach]), list(high[approach])
    return None


# Cost inputs named briefly enough to sit beside a bar.
_SENSITIVITY_LABELS = {
    "data_preparation_hours": "Data preparation hours",
    "monthly_queries": "Calls a month",
    "avg_input_tokens": "Prompt tokens",
    "prompt_instruction_tokens": "Instruction tokens",
    "avg_output_tokens": "Answer tokens",
    "retrieved_context_tokens": "Retrieved tokens",
    "tokens_per_example": "Tokens per example",
    "training_epochs": "Training passes",
    "retrains_per_year": "Retrains a year",
    "engineer_hourly_usd": "Engineering $ an hour",
    "hosting_usd_per_hour": "Hosting $ an hour",
    "labeled_examples": "Training examples",
    "corpus_documents": "Documents",
    "horizon_months": "Months compared",
}


def _input_label(key: str) -> str:
    return _SENSITIVITY_LABELS.get(key) or key.replace("_", " ").capitalize()[:28]


def _input_value(key: str, value: Any) -> str:
    if key == "data_preparation_hours":
        return f"{float(value):,.0f} h"
    if key in QUESTIONS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return charts.compact_count(value) if value >= 1000 else f"{value:,.4g}"
    return str(value)


def _tornado(costs: Mapping[str, Any], recommended: str) -> Chart | None:
    rows = costs.get("sensitivity") or ()
    option = (costs.get("options") or {}).get(recommended)
    if not rows or not option:
        return None

    def flips(row: Mapping[str, Any], end: str) -> str | None:
        other = row.get(f"approach_at_{end}")
        return short_label(other) if other and other != recommended else None

    drawn = [
        charts.TornadoRow(
            label=_input_label(str(row["question"])),
            low_text=_input_value(str(row["question"]), row.get("low")),
            high_text=_input_value(str(row["question"]), row.get("high")),
            total_low=float(row["total_low_usd"]),
            total_high=float(row["total_high_usd"]),
            flips_at_low=flips(row, "low"),
            flips_at_high=flips(row, "high"),
        )
        for row in rows
    ]
    changing = [r.label for r in drawn if r.flips_at_low or r.flips_at_high]
    caption = (
        "Each bar is the recommended option's total with one input at the low and at the high "
        "end of its plausible range, the others as you answered; the largest swing is on top."
    )
    if changing:
        caption += " A circled end is where the recommendation itself would change."
    return Chart(
        slug="sensitivity",
        title="What moves the cost most",
        caption=caption,
        svg=_safe_svg(
            charts.tornado_chart(
                drawn,
                base_total=float(option.get("total_usd", 0)),
                approach_label=short_label(recommended),
                id_prefix="chart-sensitivity",
            )
        ),
    )


def _number(value: Any) -> float | None:
    """A plain number from a figure the result may give bare or as {"monthly_queries": n}."""
    if isinstance(value, Mapping):
        value = value.get("monthly_queries")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _safe_svg(svg: str) -> SafeString:
    # Built by advisor.reports.charts from numbers; every label in it went through html.escape.
    return mark_safe(svg)  # noqa: S308


def _tradeoffs(rows: Any) -> tuple[TradeoffRow, ...]:
    return tuple(
        TradeoffRow(
            dimension=str(row.get("dimension", "")),
            cells=tuple((a, approach_label(a), str(row.get(a, ""))) for a in TRADEOFF_COLUMNS),
            matters_to_you=bool(row.get("matters_to_you")),
            why=str(row.get("why") or ""),
        )
        for row in rows or ()
    )


def _assumptions(
    rows: Any, answers: Mapping[str, Any], assessed: Mapping[str, Any]
) -> tuple[Assumption, ...]:
    """Questions left unanswered whose default the engine used. A blank project name is not an
    assumption worth listing."""
    if rows is None:
        # Snapshots without the list: every applicable question left out took its default.
        rows = [
            {"question": qid, "value": q.default}
            for qid, q in QUESTIONS.items()
            if qid not in answers and q.has_default and q.applies_to(assessed)
        ]
    return tuple(
        Assumption(
            question=row["question"],
            label=str(row.get("label") or question_label(row["question"])),
            display=str(
                row.get("display") or display(row["question"], row.get("assumed", row.get("value")))
            ),
            risk=str(row.get("risk") or ""),
        )
        for row in rows
        if not _is_blank_text(row["question"])
    )


def _answer_groups(
    answers: Mapping[str, Any], assessed: Mapping[str, Any], unknown: tuple[str, ...]
) -> tuple[AnswerGroup, ...]:
    """Every question in the order asked, with the answer given or what was assumed."""
    groups = []
    for step in STEPS:
        rows = []
        for qid in step.question_ids:
            question = QUESTIONS[qid]
            if qid not in answers and not question.applies_to(assessed):
                rows.append(AnswerRow(question, "Not asked", "not_asked"))
            else:
                rows.append(answer_row(question, answers, unknown, assessed))
        groups.append(AnswerGroup(step.title, tuple(rows)))
    return tuple(groups)


def _sources(rows: Any) -> tuple[Source, ...]:
    if rows is None:
        rows = [{"key": key, **source} for key, source in SOURCES.items()]
    return tuple(
        Source(
            title=str(row.get("title", "")),
            author=str(row.get("author") or row.get("publisher") or ""),
            url=str(row.get("url") or ""),
            checked_on=str(row.get("checked_on") or ""),
            kind=str(row.get("kind") or ""),
        )
        for row in rows
    )
