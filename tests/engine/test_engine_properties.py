"""Properties that hold over the whole space of valid answers."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import AnswersInvalid, assess, validate_answers
from advisor.engine.costs import option_figures
from advisor.engine.decision import COST_INPUTS, COST_SWING, decide, reconsider

from .conftest import load_schema

SCHEMA = load_schema("answers.schema.json")
MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo", "claude-sonnet-4-5", "gpt-5-nano"]
FRESHEST_LAST = ["rarely", "quarterly", "monthly", "weekly", "daily", "realtime"]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(qid: str) -> st.SearchStrategy:
    spec = SCHEMA["properties"][qid]
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    if spec["type"] == "boolean":
        return st.booleans()
    if spec["type"] == "string":
        if qid == "model":
            return st.sampled_from(MODELS)
        return st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=40)
    lo, hi = spec["minimum"], spec["maximum"]
    # Mix small, realistic values with the whole range so thresholds get crossed often.
    realistic = st.integers(min_value=lo, max_value=min(hi, max(lo, 20_000)))
    anywhere = st.integers(min_value=lo, max_value=hi)
    if spec["type"] == "number":
        return st.one_of(realistic, anywhere, st.floats(min_value=lo, max_value=hi))
    return st.one_of(realistic, anywhere, st.sampled_from([lo, hi]))


def approach_for(doc: dict) -> str:
    """The recommendation alone, without assembling the whole report."""
    return decide(validate_answers(doc)).approach


@st.composite
def answers(draw) -> dict:
    doc = {}
    for qid in SCHEMA["properties"]:
        if qid in SCHEMA["required"] or draw(st.booleans()):
            doc[qid] = draw(_value(qid))
    return doc


@SETTINGS
@given(doc=answers())
def test_any_valid_answers_give_a_result_that_matches_the_schema(doc, result_validator):
    result = assess(doc)
    result_validator.validate(result)
    json.dumps(result, allow_nan=False)
    assert result["approach"] == approach_for(doc)
    assert result["approach"] not in {r["approach"] for r in result["ruled_out"]}
    assert len(result["tradeoffs"]) >= 12
    assert 3 <= len(result["roadmap"]) <= 5


@SETTINGS
@given(doc=answers())
def test_the_same_answers_always_give_the_same_result(doc):
    assert json.dumps(assess(doc), sort_keys=True) == json.dumps(assess(dict(doc)), sort_keys=True)


@SETTINGS
@given(doc=answers())
def test_data_changing_more_often_never_moves_retrieval_to_fine_tuning(doc):
    outcomes = [approach_for({**doc, "data_change_frequency": f}) for f in FRESHEST_LAST]
    for i, outcome in enumerate(outcomes):
        if outcome == "rag":
            assert "fine_tuning" not in outcomes[i + 1 :], outcomes


@SETTINGS
@given(doc=answers())
def test_without_labeled_examples_there_is_never_fine_tuning_or_a_hybrid(doc):
    assert approach_for({**doc, "labeled_examples": 0}) in {"prompt_engineering", "rag"}


@SETTINGS
@given(doc=answers(), need=st.sampled_from(["needs_citations", "per_user_permissions"]))
def test_citations_or_per_user_permissions_never_yield_fine_tuning(doc, need):
    assert approach_for({**doc, need: True}) != "fine_tuning"


@SETTINGS
@given(doc=answers())
def test_noisy_labels_never_yield_fine_tuning_or_a_hybrid(doc):
    assert approach_for({**doc, "label_quality": "noisy"}) in {"prompt_engineering", "rag"}


@SETTINGS
@given(doc=answers())
def test_every_what_would_change_entry_really_flips_the_recommendation(doc):
    result = assess(doc)
    for change in result["what_would_change"]:
        assert approach_for({**doc, **change["changes"]}) == change["approach"]
        assert change["approach"] != result["approach"]


@SETTINGS
@given(doc=answers(), other=answers())
def test_the_quick_what_if_path_agrees_with_a_full_decision(doc, other):
    a = validate_answers(doc)
    before = decide(a)
    for qid in other:
        changed = {**a, qid: validate_answers({**doc, qid: other[qid]})[qid]}
        figures = option_figures(changed)
        assert (
            reconsider(before, before.fired, changed, figures) == decide(changed, figures).approach
        )


@SETTINGS
@given(doc=answers())
def test_invalid_answers_raise_rather_than_guess(doc):
    try:
        validate_answers({**doc, "monthly_queries": -1})
    except AnswersInvalid as invalid:
        assert [e.field for e in invalid.errors] == ["monthly_queries"]
    else:
        raise AssertionError("a negative volume was accepted")


COST_ANSWERS = list(COST_INPUTS)


@SETTINGS
@given(doc=answers(), other=answers())
def test_cost_answers_cannot_flip_a_lead_wider_than_the_cost_rules_can_swing(doc, other):
    before = decide(validate_answers(doc))
    ranking = before.ranking()
    if before.scores[ranking[0]] - before.scores[ranking[1]] <= COST_SWING:
        return
    for qid in COST_ANSWERS:
        if qid in other:
            assert approach_for({**doc, qid: other[qid]}) == before.approach
