"""The result-v2 invariants every assessment must hold, checked the same way everywhere."""

from typing import Any

from advisor.engine import QUESTIONS, SOURCES

APPROACHES = ("prompt_engineering", "rag", "hybrid", "fine_tuning")


def check_v2_invariants(doc: dict[str, Any], result: dict[str, Any]) -> None:
    reasons = result["reasons"]
    questions = [r["question"] for r in reasons]
    # At most one reason per question, each about a real question.
    assert len(questions) == len(set(questions)), questions
    assert set(questions) <= set(QUESTIONS)
    # Scores are exactly the sum of the effects shown.
    for name in APPROACHES:
        assert result["scores"][name] == sum(r["effects"].get(name, 0) for r in reasons), name
    for reason in reasons:
        effects = reason["effects"]
        top = max(effects.values())
        assert top > 0, reason
        # `favors` is every approach tied for the largest effect, never one picked.
        assert set(reason["favors"]) == {a for a, w in effects.items() if w == top}
        assert reason["weight"] == top
        assert reason["source"] in SOURCES and reason["quote"]
        assert reason["explanation"] and "{" not in reason["explanation"]
    # The recommendation is never excluded by a hard rule, and leads what the rules leave.
    out = {item["approach"] for item in result["ruled_out"]}
    approach = result["approach"]
    assert approach not in out
    eligible = [a for a in APPROACHES if a not in out]
    assert result["scores"][approach] == max(result["scores"][a] for a in eligible)
    for item in result["ruled_out"]:
        assert item["source"] in SOURCES and item["explanation"] and item["quote"]
    # The strongest reason shown never argues for something still in the running over it.
    if reasons and approach not in reasons[0]["favors"]:
        assert not any(approach in r["favors"] for r in reasons)
        assert set(reasons[0]["favors"]) <= out | {
            a for a in eligible if result["scores"][a] <= result["scores"][approach]
        }
    # Runner-up and confidence follow from the scores.
    runner = result["runner_up"]
    assert runner["approach"] != approach
    if len(eligible) > 1:
        assert runner["approach"] in eligible
        gap = result["scores"][approach] - result["scores"][runner["approach"]]
        assert runner["score_gap"] == gap >= 0
        expected = round(0.5 + 0.45 * min(gap, 10) / 10, 2)
        assert result["confidence"] == expected
    assert 0.5 <= result["confidence"] <= 0.95
    assert f"{round(result['confidence'] * 100)}%" in result["confidence_basis"]
    # What would change: re-run, different from today, never an answer already given.
    a = result["answers"]
    for change in result["what_would_change"]:
        assert change["approach"] != approach
        assert change["to"] != a[change["question"]]
        assert change["changes"][change["question"]] == change["to"]
    # Every answer not given that applies is an assumption; none that was given is.
    listed = {item["question"] for item in result["assumptions"]}
    assert not listed & set(doc)
    for qid, q in QUESTIONS.items():
        if qid not in doc and not q.required and q.applies_to(a):
            assert qid in listed, qid
    for item in result["assumptions"]:
        if item["question"] in ("per_user_permissions", "sensitive_data"):
            assert item["assumed"] is None and item["risk"]
    cited = {s["key"] for s in result["sources"]}
    costs = result["costs"]
    used = {r["source"] for r in reasons} | {r["source"] for r in result["ruled_out"]}
    used |= {line["source"] for o in costs["options"].values() for line in o["breakdown"]}
    used |= {p["source"] for p in costs["prices"]}
    if costs.get("long_context"):
        used.add(costs["long_context"]["source"])
    # Every source a reason, a line item or a price names is listed, and nothing else.
    assert cited == used
