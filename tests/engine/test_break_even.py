"""Both sides of the break-even, and the budget against the build cost: the band, the reason's
wording and the recommendation must agree."""

import pytest

from advisor.engine import assess, validate_answers
from advisor.engine.decision import decide

# A mixed problem where the hybrid and fine-tuning alone are close: retrieval for facts and a
# trained behaviour both count, and only the cost of each call separates them.
CLOSE = {
    "problem_type": "both",
    "prompting_result": "mostly_works",
    "data_change_frequency": "rarely",
    "needs_citations": False,
    "labeled_examples": 3_000,
    "label_quality": "clean",
    "task_shape": "narrow_repetitive",
    "monthly_queries": 1_000,
    "model": "gpt-4o",
    "per_user_permissions": False,
    "sensitive_data": False,
}


def break_even_of(answers: dict) -> float:
    at = decide(validate_answers(answers)).facts["break_even"]
    # With a 2,000-token retrieved context, retrieval's calls cost more than fine-tuned ones.
    assert at is not None and at > 0
    return at


def volume_reason(result: dict) -> dict:
    return next(r for r in result["reasons"] if r["question"] == "monthly_queries")


@pytest.fixture(scope="module")
def sides() -> tuple[dict, dict, dict]:
    at = break_even_of(CLOSE)
    low = assess({**CLOSE, "monthly_queries": round(at / 10)})
    high = assess({**CLOSE, "monthly_queries": round(at * 10)})
    return low, high, decide(validate_answers({**CLOSE, "monthly_queries": round(at * 10)})).facts


def test_at_a_tenth_of_the_break_even_retrieval_is_the_cheaper_and_says_so(sides):
    low, _, _ = sides
    reason = volume_reason(low)
    assert "you are below the break-even" in reason["explanation"]
    assert "above" not in reason["explanation"]
    assert reason["favors"] == ["prompt_engineering", "rag"]
    assert low["approach"] != "fine_tuning"
    assert low["approach"] == "hybrid"


def test_at_ten_times_the_break_even_fine_tuning_is_the_cheaper_and_says_so(sides):
    _, high, facts = sides
    reason = volume_reason(high)
    assert facts["break_even_band"] == "above"
    assert "you are above the break-even" in reason["explanation"]
    assert reason["favors"] == ["fine_tuning"]
    assert high["approach"] == "fine_tuning"


def test_crossing_the_break_even_moves_fine_tuning_ahead_of_retrieval_and_the_hybrid(sides):
    low, high, _ = sides
    for other in ("rag", "hybrid"):
        assert (high["scores"]["fine_tuning"] - high["scores"][other]) > (
            low["scores"]["fine_tuning"] - low["scores"][other]
        )


def test_where_fine_tuned_calls_never_cost_less_retrieval_gets_the_reason():
    answers = {**CLOSE, "retrieved_context_tokens": 0, "monthly_queries": 5_000_000}
    facts = decide(validate_answers(answers)).facts
    assert facts["break_even"] is None and facts["break_even_band"] == "never"
    reason = volume_reason(assess(answers))
    assert reason["favors"] == ["prompt_engineering", "rag"]
    assert "never becomes the cheaper option" in reason["explanation"]


def _upfront(answers: dict) -> dict[str, float]:
    figures = decide(validate_answers(answers)).figures
    return {name: option.upfront for name, option in figures.items()}


def test_a_budget_below_the_fine_tuning_build_cost_counts_against_training():
    upfront = _upfront(CLOSE)
    budget = max(5_000, upfront["fine_tuning"] - 500)
    assert budget < upfront["fine_tuning"]
    short = assess({**CLOSE, "upfront_budget_usd": budget})
    covered = assess({**CLOSE, "upfront_budget_usd": 1_000_000})
    reason = next(r for r in short["reasons"] if r["question"] == "upfront_budget_usd")
    assert "doesn't cover" in reason["explanation"]
    assert set(reason["favors"]) == {"prompt_engineering", "rag"}
    assert "upfront_budget_usd" not in {r["question"] for r in covered["reasons"]}
    for trained in ("fine_tuning", "hybrid"):
        assert (short["scores"]["rag"] - short["scores"][trained]) > (
            covered["scores"]["rag"] - covered["scores"][trained]
        )


def test_a_budget_between_the_two_build_costs_counts_against_the_hybrid_only():
    upfront = _upfront(CLOSE)
    assert upfront["fine_tuning"] < upfront["hybrid"]
    budget = (upfront["fine_tuning"] + upfront["hybrid"]) / 2
    result = assess({**CLOSE, "upfront_budget_usd": budget})
    reason = next(r for r in result["reasons"] if r["question"] == "upfront_budget_usd")
    assert "covers fine-tuning" in reason["explanation"]
    assert "fine_tuning" in reason["favors"] and "hybrid" not in reason["effects"]
    covered = assess({**CLOSE, "upfront_budget_usd": 1_000_000})
    assert (result["scores"]["fine_tuning"] - result["scores"]["hybrid"]) > (
        covered["scores"]["fine_tuning"] - covered["scores"]["hybrid"]
    )
