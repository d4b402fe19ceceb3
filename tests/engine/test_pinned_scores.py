"""The score sheet a founder reads for every scenario: each reason's effects, the scores they
add up to, the confidence and the recommendation.

The scenarios' accepted approaches check the direction; this sheet checks the size. A changed
weight shows up here as the scenario, the question and the effects that moved, so the change
can be read against the guidance before the sheet is regenerated (see `regenerate`). The sheet
also depends on the cost figures where the volume or the budget meets them: a new cost model
means reviewing and regenerating it.
"""

import json
from pathlib import Path

import pytest

from advisor.engine import assess

from .cases import CASES
from .conftest import EXAMPLES
from .test_break_even import CLOSE, _upfront, break_even_of
from .test_rule_directions import DIRECTIONS, MINIMAL, _with

SHEET = Path(__file__).with_name("pinned_scores.json")
PINNED = json.loads(SHEET.read_text(encoding="utf-8"))
# The scenarios, and for each rule's direction the answers it ends on: together they fire every
# rule, so every weight is on some sheet.
ALL = EXAMPLES + CASES
ALL += [
    {
        "id": f"direction-{d.name}",
        "answers": _with(_with(MINIMAL, d.setting), {d.question: d.after}),
    }
    for d in DIRECTIONS
]
# The rules read through the cost figures, each on the side of the figures that fires it.
_BUILD = _upfront(CLOSE)
ALL += [
    {
        "id": "above-break-even",
        "answers": {**CLOSE, "monthly_queries": round(10 * break_even_of(CLOSE))},
    },
    {
        "id": "budget-between-build-costs",
        "answers": {**CLOSE, "upfront_budget_usd": (_BUILD["fine_tuning"] + _BUILD["hybrid"]) / 2},
    },
]


def sheet(result: dict) -> dict:
    return {
        "approach": result["approach"],
        "confidence": result["confidence"],
        "scores": result["scores"],
        "effects": {r["question"]: r["effects"] for r in result["reasons"]},
    }


def regenerate() -> None:  # pragma: no cover - run by hand after reviewing a change
    SHEET.write_text(
        json.dumps({c["id"]: sheet(assess(c["answers"])) for c in ALL}, indent=1, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )


def test_every_scenario_has_a_pinned_sheet():
    assert set(PINNED) == {c["id"] for c in ALL}


@pytest.mark.parametrize("case", ALL, ids=[c["id"] for c in ALL])
def test_the_score_sheet_is_the_one_reviewed(case):
    now, pinned = sheet(assess(case["answers"])), PINNED[case["id"]]
    moved = {
        q: (pinned["effects"].get(q), now["effects"].get(q))
        for q in set(pinned["effects"]) | set(now["effects"])
        if pinned["effects"].get(q) != now["effects"].get(q)
    }
    assert not moved, f"{case['id']}: reasons whose effects changed (pinned, now): {moved}"
    assert now == pinned
