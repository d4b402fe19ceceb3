"""The comparison table: retrieval, fine-tuning and hybrid side by side, with your figures."""

from collections.abc import Mapping
from typing import Any

from . import rules
from .decision import Decision
from .questions import QUESTIONS
from .text import money, whole

R, H, F = "rag", "hybrid", "fine_tuning"


def _row(
    dimension: str, rag: str, fine_tuning: str, hybrid: str, matters: bool, why: str
) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "rag": rag,
        "fine_tuning": fine_tuning,
        "hybrid": hybrid,
        "matters_to_you": bool(matters),
        "why": why,
    }


def _permissions_why(permissions: bool | None) -> str:
    if permissions is None:
        return "Not known yet whether different users see different data."
    if permissions:
        return "Different users see different data."
    return "Every user may see the same data."


def _said(a: Mapping[str, Any], qid: str) -> str:
    return QUESTIONS[qid].display(a[qid])


def tradeoffs(a: Mapping[str, Any], d: Decision, costs: Mapping[str, Any]) -> list[dict[str, Any]]:
    options = costs["options"]
    volume = whole(a["monthly_queries"])
    retrains = a["retrains_per_year"]
    budget = a["upfront_budget_usd"]
    latency = whole(a["latency_budget_ms"])
    rag_fixed = d.figures[R].fixed_monthly
    ft_fixed = d.figures[F].fixed_monthly
    at = costs["break_even_monthly_queries"]
    band = d.facts["label_band"]

    def upfront(name: str) -> str:
        return f"{money(options[name]['upfront_usd'])} to build, from your cost model"

    def per_call(name: str) -> str:
        o = options[name]
        return (
            f"{money(o['per_query_usd'])} a call; {money(o['monthly_usd'])} a month at "
            f"{volume} calls"
        )

    if at is None:
        volume_why = "With your figures a fine-tuned call never costs less than a retrieval call."
    else:
        volume_why = (
            f"Fine-tuning's total drops below retrieval's above {whole(at)} calls a month; "
            f"you expect {volume}."
        )

    return [
        _row(
            "What it changes",
            "What the model knows: your facts, fetched for each question",
            "How the model behaves: format, tone, vocabulary",
            "Both: a fine-tuned model answering from retrieved facts",
            True,
            f"You said: {_said(a, 'problem_type')}.",
        ),
        _row(
            "Data freshness",
            "Current as soon as a changed document is re-indexed",
            f"Frozen at the last training run; you plan {whole(retrains)} retrains a year",
            "Facts stay current through retrieval; behaviour is retrained on its own schedule",
            a["data_change_frequency"] in (*rules.FRESH, "monthly"),
            f"Your information changes {_said(a, 'data_change_frequency').lower()}.",
        ),
        _row(
            "Citations and auditability",
            "Can show the passage behind each answer",
            "Cannot: trained-in knowledge has no source to point at",
            "Can, through its retrieval layer",
            bool(a["needs_citations"]),
            "You need to show sources."
            if a["needs_citations"]
            else "You don't need to show sources.",
        ),
        _row(
            "Output format control",
            "Weak: retrieval doesn't shape the answer",
            "Strong: the format and voice are trained in",
            "Strong, from its fine-tuned model",
            a["output_format"] != "free_text" or a["style_consistency"] == "high",
            f"Format: {_said(a, 'output_format')}; house voice matters: "
            f"{_said(a, 'style_consistency').lower()}.",
        ),
        _row(
            "Latency",
            f"Adds 10-500 ms per answer against your {latency} ms budget",
            "No retrieval step: as fast as the base model",
            f"Adds the same 10-500 ms retrieval step against your {latency} ms budget",
            d.facts["latency_band"] != "relaxed",
            f"Your p95 budget is {latency} ms.",
        ),
        _row(
            "Upfront cost",
            upfront(R),
            upfront(F),
            upfront(H),
            budget < options[H]["upfront_usd"] or d.facts["budget_band"] == "small",
            f"Your build budget is {money(budget)}.",
        ),
        _row(
            "Per-query cost",
            per_call(R),
            per_call(F),
            per_call(H),
            d.facts["volume_band"] == "high" or d.facts["break_even_band"] == "above",
            volume_why,
        ),
        _row(
            "Maintenance",
            f"Index upkeep and evaluation: about {money(rag_fixed)} a month",
            f"{whole(retrains)} retrains a year: about {money(ft_fixed)} a month spread out",
            f"Both: about {money(d.figures[H].fixed_monthly)} a month",
            a["ml_expertise"] == "none",
            f"Who can train and evaluate models: {_said(a, 'ml_expertise').lower()}.",
        ),
        _row(
            "Time to first value",
            "Days",
            "Weeks: data preparation comes first",
            "Days for retrieval, then weeks more for the fine-tuned layer",
            a["time_to_ship"] in ("this_week", "this_month"),
            f"You need it: {_said(a, 'time_to_ship').lower()}.",
        ),
        _row(
            "Hallucination control",
            "Strong on facts: one benchmark cut hallucinations from 50% to 13.9%, yet "
            "production legal tools still erred on 17-33% of queries",
            "Weak on facts, reliable on format",
            "Strongest: one benchmark scored 86% against 81% fine-tuned and 75% base",
            a["error_cost"] == "high",
            f"A confidently wrong answer: {_said(a, 'error_cost').lower()}.",
        ),
        _row(
            "Data needed",
            f"Your documents ({whole(a['corpus_documents'])}); no labels",
            f"{whole(rules.LABEL_FLOOR)}+ clean labeled pairs ({whole(rules.LABEL_COMFORTABLE)}+ "
            "comfortable)",
            "Your documents and the same clean labeled pairs",
            band not in ("enough", "comfortable"),
            f"You have {whole(a['labeled_examples'])} labeled examples"
            + (f" ({_said(a, 'label_quality').lower()})." if a["labeled_examples"] else "."),
        ),
        _row(
            "Permission-aware access",
            "Filters by each user's access on every query",
            "Not possible: whatever is trained in is visible to every user",
            "Through its retrieval layer, if permissioned data stays out of training",
            a["per_user_permissions"] is not False or a["sensitive_data"] is not False,
            _permissions_why(a["per_user_permissions"]),
        ),
    ]
