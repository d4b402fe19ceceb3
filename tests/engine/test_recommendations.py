import json

import pytest

from advisor.engine import APPROACH_LABELS, SOURCES, assess

from .cases import CASES
from .conftest import EXAMPLES
from .invariants import check_v2_invariants

ALL = EXAMPLES + CASES


@pytest.mark.parametrize("example", ALL, ids=[c["id"] for c in ALL])
def test_each_case_gets_an_accepted_approach_and_none_it_must_not(example):
    result = assess(example["answers"])
    assert result["approach"] in example["accept"], example["why"]
    assert result["approach"] not in example["must_not"], example["why"]


def test_there_are_at_least_fifteen_cases_of_our_own():
    assert len(CASES) >= 15
    assert len({c["id"] for c in ALL}) == len(ALL)


@pytest.mark.parametrize("example", ALL, ids=[c["id"] for c in ALL])
def test_each_result_validates_against_the_result_schema(example, result_validator):
    result = assess(example["answers"])
    result_validator.validate(result)
    assert json.loads(json.dumps(result)) == result


@pytest.mark.parametrize("example", ALL, ids=[c["id"] for c in ALL])
def test_what_would_change_entries_really_flip_the_recommendation(example):
    result = assess(example["answers"])
    assert len(result["what_would_change"]) <= 8
    for change in result["what_would_change"]:
        assert change["question"] != "project_name"
        assert change["changes"][change["question"]] == change["to"]
        rerun = assess({**example["answers"], **change["changes"]})
        assert rerun["approach"] == change["approach"] != result["approach"]
        assert change["label"] == APPROACH_LABELS[change["approach"]]
        assert change["explanation"]


def test_the_invoice_case_says_prompting_good_enough_among_what_would_change():
    invoice = next(e for e in EXAMPLES if e["id"] == "p02-invoice-extraction")
    told = {**invoice["answers"], "per_user_permissions": False, "sensitive_data": False}
    changes = assess(told)["what_would_change"]
    assert ("prompting_result", "good_enough", "prompt_engineering") in [
        (c["question"], c["to"], c["approach"]) for c in changes
    ]


def test_collecting_clean_examples_is_offered_as_the_way_to_fine_tuning():
    answers = {
        "problem_type": "behavior",
        "prompting_result": "mostly_works",
        "output_format": "strict_schema",
        "data_change_frequency": "rarely",
        "needs_citations": False,
        "labeled_examples": 0,
        "monthly_queries": 50_000,
    }
    result = assess(answers)
    assert result["approach"] == "prompt_engineering"
    collect = next(c for c in result["what_would_change"] if c["question"] == "labeled_examples")
    assert collect["changes"] == {"labeled_examples": 500, "label_quality": "clean"}
    assert collect["approach"] == "fine_tuning"


@pytest.mark.parametrize("example", ALL, ids=[c["id"] for c in ALL])
def test_each_result_holds_the_v2_invariants(example):
    check_v2_invariants(example["answers"], assess(example["answers"]))


@pytest.mark.parametrize("example", ALL, ids=[c["id"] for c in ALL])
def test_reasons_backing_the_recommendation_come_first_weightiest_first(example):
    result = assess(example["answers"])
    backing = [result["approach"] in r["favors"] for r in result["reasons"]]
    assert backing == sorted(backing, reverse=True)
    for group in (True, False):
        weights = [
            r["weight"] for r, b in zip(result["reasons"], backing, strict=True) if b is group
        ]
        assert weights == sorted(weights, reverse=True)
    for reason in result["reasons"] + result["ruled_out"]:
        assert reason["source"] in SOURCES


@pytest.mark.parametrize("example", ALL, ids=[c["id"] for c in ALL])
def test_the_same_answers_always_give_the_same_result(example):
    first = json.dumps(assess(example["answers"]), sort_keys=True)
    assert json.dumps(assess(json.loads(json.dumps(example["answers"]))), sort_keys=True) == first


def test_confidence_spreads_with_the_lead():
    values = [assess(c["answers"])["confidence"] for c in ALL]
    assert all(0.5 <= v <= 0.95 for v in values)
    assert max(values) - min(values) >= 0.2


def test_confidence_basis_says_what_the_figure_means_and_what_would_settle_it():
    answers = next(e for e in EXAMPLES if e["id"] == "p02-invoice-extraction")["answers"]
    result = assess(answers)
    basis = result["confidence_basis"]
    gap = result["runner_up"]["score_gap"]
    assert basis.startswith(f"{round(result['confidence'] * 100)}% measures how clearly")
    assert f"leads by {gap:g} points" in basis
    assert "a tie would be 50%" in basis
    assert "What would settle it: your answer to “May different users see different data?”" in basis


def test_ruling_out_an_approach_says_why():
    p01 = next(e for e in EXAMPLES if e["id"] == "p01-docs-chatbot")
    result = assess(p01["answers"])
    out = [(r["approach"], r["question"]) for r in result["ruled_out"]]
    # Hard rules in the guidance's order: prompting first, labels, then freshness and citations.
    assert out == [
        ("fine_tuning", "prompting_result"),
        ("hybrid", "prompting_result"),
        ("fine_tuning", "labeled_examples"),
        ("hybrid", "labeled_examples"),
        ("fine_tuning", "data_change_frequency"),
        ("fine_tuning", "needs_citations"),
    ]
    assert "fine_tuning" not in result["ranking"]


def test_the_summary_states_the_recommendation_and_its_main_reason():
    p03 = next(e for e in EXAMPLES if e["id"] == "p03-sales-assistant")
    summary = assess(p03["answers"])["summary"]
    assert summary.startswith("Build retrieval now and add a fine-tuned model")
    assert "knowledge gap and a behaviour gap" in summary
    assert summary.count(". ") <= 1


def test_ties_go_to_the_simpler_approach():
    from advisor.engine.decision import Decision

    decision = Decision("rag", dict.fromkeys(APPROACH_LABELS, 1.0), frozenset(), {}, {}, (), ())
    assert decision.ranking() == ["prompt_engineering", "rag", "hybrid", "fine_tuning"]


def test_every_question_but_the_project_name_is_tried_as_a_what_if():
    from advisor.engine import QUESTIONS
    from advisor.engine.whatif import PLAUSIBILITY

    assert sorted(PLAUSIBILITY) == sorted(set(QUESTIONS) - {"project_name"})
