"""Plain-text and Markdown renderings of a result, for the command line."""

import json
import re
from collections.abc import Callable
from typing import Any

from .questions import QUESTIONS
from .sources import APPROACH_LABELS, APPROACHES, SOURCES
from .text import money, whole


def as_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _cited(key: str) -> str:
    source = SOURCES[key]
    return (
        f"{source['author']}, \u201c{source['title']}\u201d"
        if source["author"]
        else (f"\u201c{source['title']}\u201d")
    )


def _effect(weight: float) -> str:
    return f"{weight:+g}"


def _cost_rows(result: dict[str, Any]) -> list[list[str]]:
    options = result["costs"]["options"]
    return [
        [
            APPROACH_LABELS[name],
            money(options[name]["upfront_usd"]),
            money(options[name]["monthly_usd"]),
            money(options[name]["per_query_usd"]),
            money(options[name]["total_usd"]),
        ]
        for name in APPROACHES
    ]


def _break_even(result: dict[str, Any]) -> str:
    at = result["costs"]["break_even_monthly_queries"]
    months = result["costs"]["horizon_months"]
    if at is None:
        return "Fine-tuning never becomes cheaper than retrieval with these figures."
    return (
        f"Fine-tuning's {months}-month total drops below retrieval's above {whole(at)} calls a "
        "month."
    )


def _headline(result: dict[str, Any]) -> tuple[str, str]:
    name = result["answers"].get("project_name") or "Your assessment"
    verdict = f"{result['approach_label']} (confidence {round(result['confidence'] * 100)}%)"
    return name, verdict


def as_text(result: dict[str, Any]) -> str:
    name, verdict = _headline(result)
    lines = [name, "=" * len(name), f"Recommendation: {verdict}", result["summary"], ""]
    lines += ["Why", "---"]
    for r in result["reasons"]:
        lines.append(
            f"- [{_effect(r['weight'])} {APPROACH_LABELS[r['favors']]}] {r['explanation']}"
        )
    if result["ruled_out"]:
        lines += ["", "Ruled out", "---------"]
        lines += [
            f"- {APPROACH_LABELS[r['approach']]}: {r['explanation']}" for r in result["ruled_out"]
        ]
    lines += ["", "Plan", "----"]
    for i, step in enumerate(result["roadmap"], 1):
        lines.append(f"{i}. {step['when']}: {step['action']} Measure: {step['measure']}")
    if result["what_would_change"]:
        lines += [
            "",
            "What would change the recommendation",
            "------------------------------------",
        ]
        for c in result["what_would_change"]:
            lines.append(
                f"- {c['question_label']} {c['display']} -> {c['label']}. {c['explanation']}"
            )
    costs = result["costs"]
    lines += [
        "",
        f"Costs over {costs['horizon_months']} months (prices as of {costs['prices_as_of']})",
    ]
    header = ["Approach", "Upfront", "Monthly", "Per call", "Total"]
    table = [header, *_cost_rows(result)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    lines.append(_break_even(result))
    if result["assumptions"]:
        lines += ["", "Assumed (you answered \u201cI don't know\u201d or left it out)"]
        lines += [f"- {a['label']} {a['display']}" for a in result["assumptions"]]
    lines += ["", "Sources"]
    lines += [f"- {_cited(s['key'])}" for s in result["sources"]]
    lines.append(f"\nEngine {result['engine_version']}")
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def _md(text: str) -> str:
    """Escape text so Markdown shows it literally (answers are untrusted)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def as_markdown(result: dict[str, Any]) -> str:
    name, verdict = _headline(result)
    lines = [f"# {_md(name)}", "", f"**Recommendation: {verdict}**", "", result["summary"], ""]
    lines += ["## Why", ""]
    for r in result["reasons"]:
        label = QUESTIONS[r["question"]].label
        lines.append(
            f"- **{_effect(r['weight'])} {APPROACH_LABELS[r['favors']]}** ({label}) "
            f"{r['explanation']} _({_cited(r['source'])})_"
        )
    if result["ruled_out"]:
        lines += ["", "## Ruled out", ""]
        lines += [
            f"- **{APPROACH_LABELS[r['approach']]}**: {r['explanation']}"
            for r in result["ruled_out"]
        ]
    lines += ["", "## Plan", ""]
    lines += _md_table(
        ["When", "Do", "Measure"],
        [[s["when"], s["action"], s["measure"]] for s in result["roadmap"]],
    )
    if result["what_would_change"]:
        lines += ["", "## What would change the recommendation", ""]
        for c in result["what_would_change"]:
            lines.append(
                f"- {c['question_label']} **{_md(c['display'])}** \u2192 "
                f"{c['label']}: {c['explanation']}"
            )
    costs = result["costs"]
    lines += ["", f"## Costs over {costs['horizon_months']} months", ""]
    lines += _md_table(["Approach", "Upfront", "Monthly", "Per call", "Total"], _cost_rows(result))
    lines += ["", _break_even(result), f"Prices as of {costs['prices_as_of']}."]
    lines += ["", "## Trade-offs", ""]
    lines += _md_table(
        ["", "Retrieval (RAG)", "Fine-tuning", "Hybrid", "Matters to you"],
        [
            [
                t["dimension"],
                t["rag"],
                t["fine_tuning"],
                t["hybrid"],
                "Yes" if t["matters_to_you"] else "",
            ]
            for t in result["tradeoffs"]
        ],
    )
    if result["assumptions"]:
        lines += ["", "## Assumptions", ""]
        lines += [f"- {a['label']} {_md(a['display'])}" for a in result["assumptions"]]
    lines += ["", "## Sources", ""]
    lines += [f"- {_cited(s['key'])}" for s in result["sources"]]
    lines += ["", f"_Engine {result['engine_version']}_"]
    return "\n".join(lines) + "\n"


# Renderers by --format name. Each takes a result and returns the text to print; a renderer for a
# binary format can return bytes, which the command writes to the file given with --output.
RENDERERS: dict[str, Callable[[dict[str, Any]], str | bytes]] = {
    "json": as_json,
    "text": as_text,
    "markdown": as_markdown,
}
