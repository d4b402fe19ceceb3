import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import QUESTIONS, AnswersInvalid, FieldError, validate_answers

from .conftest import load_schema

SCHEMA = load_schema("answers.schema.json")
MINIMAL = {
    "problem_type": "knowledge",
    "data_change_frequency": "weekly",
    "needs_citations": True,
    "labeled_examples": 0,
    "monthly_queries": 15_000,
}


def errors_for(doc) -> dict[str, str]:
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(doc)
    return {error.field: error.message for error in caught.value.errors}


def test_it_fills_every_default_into_a_new_dict():
    doc = dict(MINIMAL)
    answers = validate_answers(doc)
    assert answers is not doc and doc == MINIMAL
    assert set(answers) == set(QUESTIONS)
    assert answers["model"] == "gpt-4o-mini"
    assert answers["latency_budget_ms"] == 3_000
    assert answers["label_quality"] == "none"


def test_it_reports_every_problem_at_once():
    doc = {"problem_type": "vibes", "labeled_examples": -1, "monthly_queries": "lots"}
    errors = errors_for(doc)
    assert set(errors) == {
        "problem_type",
        "labeled_examples",
        "monthly_queries",
        "data_change_frequency",
        "needs_citations",
    }


def test_messages_say_what_is_allowed_in_plain_words():
    errors = errors_for({**MINIMAL, "monthly_queries": -5, "stage": "beta", "needs_citations": 1})
    assert errors["monthly_queries"] == "must be a whole number between 0 and 100,000,000,000"
    assert errors["stage"] == "must be one of idea, prototype or production"
    assert errors["needs_citations"] == "must be true or false"


def test_a_missing_required_answer_says_it_is_required_and_what_it_takes():
    errors = errors_for({k: v for k, v in MINIMAL.items() if k != "labeled_examples"})
    assert errors == {
        "labeled_examples": "is required; it must be a whole number between 0 and 100,000,000"
    }


def test_it_rejects_unknown_fields_and_suggests_the_likely_one():
    errors = errors_for({**MINIMAL, "monthly_query": 5, "colour": "blue"})
    assert errors["monthly_query"] == (
        "is not a question the advisor asks; did you mean monthly_queries?"
    )
    assert errors["colour"] == "is not a question the advisor asks"


@pytest.mark.parametrize("doc", [[], "answers", None, 3])
def test_it_rejects_a_document_that_is_not_an_object(doc):
    assert errors_for(doc) == {"(document)": "must be a JSON object of answers"}


def test_booleans_are_not_whole_numbers():
    assert "labeled_examples" in errors_for({**MINIMAL, "labeled_examples": True})


def test_whole_numbers_written_as_floats_are_accepted_as_integers():
    answers = validate_answers({**MINIMAL, "monthly_queries": 1000.0})
    assert answers["monthly_queries"] == 1000
    assert type(answers["monthly_queries"]) is int
    assert "monthly_queries" in errors_for({**MINIMAL, "monthly_queries": 1000.5})


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_never_numbers(bad):
    errors = errors_for({**MINIMAL, "monthly_queries": bad, "upfront_budget_usd": bad})
    assert set(errors) == {"monthly_queries", "upfront_budget_usd"}


def test_money_may_have_cents():
    assert (
        validate_answers({**MINIMAL, "upfront_budget_usd": 2500.5})["upfront_budget_usd"] == 2500.5
    )


def test_an_unknown_model_lists_close_matches():
    message = errors_for({**MINIMAL, "model": "gpt-4o-mimi"})["model"]
    assert message.startswith("is not a model the price catalog knows; did you mean ")
    assert "gpt-4o-mini" in message


def test_a_model_with_no_close_match_points_to_the_list():
    message = errors_for({**MINIMAL, "model": "zzzzqqqq"})["model"]
    assert message == "is not a model the price catalog knows; pick one from the list"


def test_the_project_name_has_a_length_limit():
    assert validate_answers({**MINIMAL, "project_name": "x" * 120})["project_name"] == "x" * 120
    assert errors_for({**MINIMAL, "project_name": "x" * 121}) == {
        "project_name": "must be text of at most 120 characters"
    }


def test_errors_print_as_field_colon_message():
    error = FieldError("monthly_queries", "must be a whole number")
    assert str(error) == "monthly_queries: must be a whole number"
    with pytest.raises(AttributeError):
        error.field = "other"  # type: ignore[misc]


# Property: the validator agrees with JSON Schema (Draft 2020-12) on any document, apart from
# the extra check that the model is one the price catalog knows.


def _wrong_values(qid: str) -> st.SearchStrategy:
    spec = SCHEMA["properties"][qid]
    anything = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=False),
        st.text(max_size=130),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
    )
    if "minimum" not in spec:
        return anything
    lo, hi = spec["minimum"], spec["maximum"]
    near_misses = st.sampled_from([lo - 1, hi + 1, lo - 0.5, lo + 0.5, float(hi) + 1])
    return st.one_of(anything, near_misses)


def _right_values(qid: str) -> st.SearchStrategy:
    spec = SCHEMA["properties"][qid]
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    kind = spec["type"]
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if qid == "model":
            return st.sampled_from(["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "gpt-4o-mimi"])
        return st.text(max_size=spec["maxLength"])
    lo, hi = spec["minimum"], spec["maximum"]
    if kind == "integer":
        whole = st.integers(min_value=lo, max_value=hi)
        return st.one_of(whole, st.sampled_from([lo, hi]), whole.map(float))
    return st.one_of(st.floats(min_value=lo, max_value=hi), st.integers(lo, hi))


@st.composite
def documents(draw) -> dict:
    """Mostly well-formed documents, with an occasional wrong, missing or unknown field."""
    doc = {}
    for qid in SCHEMA["properties"]:
        roll = draw(st.integers(0, 59))
        if roll == 0:
            doc[qid] = draw(_wrong_values(qid))
        elif roll <= 45 or (qid in SCHEMA["required"] and roll <= 58):
            doc[qid] = draw(_right_values(qid))
    if draw(st.integers(0, 19)) == 0:
        doc[draw(st.text(min_size=1, max_size=8))] = 1
    return doc


def _only_rules_beyond_the_schema(errors: list[FieldError]) -> bool:
    """The validator is stricter than the schema in two documented ways: the model must be one
    the price catalog knows, and text may not carry control characters or broken Unicode."""
    return all(
        (e.field == "model" and e.message.startswith("is not a model the price catalog knows"))
        or "control characters" in e.message
        for e in errors
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents())
def test_it_accepts_exactly_what_the_json_schema_accepts(doc, answers_validator):
    schema_ok = answers_validator.is_valid(doc)
    try:
        validate_answers(doc)
        ours_ok = True
    except AnswersInvalid as invalid:
        ours_ok = _only_rules_beyond_the_schema(invalid.errors)
        listed = {e.field for e in invalid.errors}
        if not schema_ok:
            schema_fields = {
                (list(e.path) or [None])[0] for e in answers_validator.iter_errors(doc)
            }
            assert {f for f in schema_fields if f is not None} <= listed
    assert ours_ok == schema_ok


def test_the_wizard_pick_list_is_short_and_every_model_on_it_validates():
    from advisor.engine import suggested_models

    models = suggested_models()

    assert 20 < len(models) < 400
    assert {"gpt-4o", "gpt-4o-mini"} <= set(models)
    for model in models:
        validate_answers({**MINIMAL, "model": model})


@pytest.mark.parametrize("name", ["Acme\x00", "line\nbreak", "half \ud800 a pair", "bell\x07"])
def test_it_refuses_control_characters_and_broken_unicode_in_text(name):
    with pytest.raises(AnswersInvalid) as raised:
        validate_answers({**MINIMAL, "project_name": name})

    assert raised.value.errors[0].field == "project_name"
    assert "control characters" in raised.value.errors[0].message
