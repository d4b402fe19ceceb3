"""A stored result beside a fresh one: what a re-run with today's engine and prices changes."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.engine import APPROACH_LABELS
from advisor.engine.text import money


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _approach(result: Mapping[str, Any]) -> str:
    approach = result.get("approach", "")
    return result.get("approach_label") or APPROACH_LABELS.get(approach, approach or "(none)")


def _confidence(result: Mapping[str, Any]) -> str:
    value = result.get("confidence")
    return f"{round(value * 100)}%" if isinstance(value, (int, float)) else "(not recorded)"


def _total(result: Mapping[str, Any], approach: str) -> str:
    option = result.get("costs", {}).get("options", {}).get(approach)
    if not option or "total_usd" not in option:
        return "(not priced)"
    months = result.get("costs", {}).get("horizon_months")
    over = f" over {months} months" if months else ""
    return f"{money(option['total_usd'])}{over} ({money(option.get('monthly_usd', 0))}/month)"


def compare_results(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[ComparisonRow]:
    """What a re-run changes: the recommendation, its confidence, the cost of each approach,
    and which engine and price list produced each."""
    rows = [
        ComparisonRow("Recommendation", _approach(before), _approach(after)),
        ComparisonRow("Confidence", _confidence(before), _confidence(after)),
    ]
    for approach, label in APPROACH_LABELS.items():
        rows.append(
            ComparisonRow(f"Cost: {label}", _total(before, approach), _total(after, approach))
        )
    rows.append(
        ComparisonRow(
            "Engine version",
            str(before.get("engine_version", "(unknown)")),
            str(after.get("engine_version", "(unknown)")),
        )
    )
    rows.append(
        ComparisonRow(
            "Prices as of",
            str(before.get("prices_as_of", "(unknown)")),
            str(after.get("prices_as_of", "(unknown)")),
        )
    )
    return rows
