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
    if spec.get("type") == "object":
        part = st.sampled_from(["missing_or_wrong_facts", "wrong_format_or_tone", "other"])
        return st.one_of(anything, st.dictionaries(part, st.one_of(anything, st.just(-1))))
    if "minimum" not in spec:
        return anything
    lo, hi = spec["minimum"], spec["maximum"]
    near_misses = st.sampled_from([lo - 1, hi + 1, lo - 0.5, lo + 0.5, float(hi) + 1])
    return st.one_of(anything, near_misses)


def _right_values(qid: str, spec: dict | None = None) -> st.SearchStrategy:
    spec = SCHEMA["properties"][qid] if spec is None else spec
    if spec.get("type") == "object":
        parts = spec["properties"]
        return st.fixed_dictionaries(
            {}, optional={name: _right_values(name, parts[name]) for name in parts}
        )
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    kind = spec["type"]
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if qid in ("model", "fine_tune_model"):
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
    """The validator is stricter than the schema in two documented ways: the models must be
    ones the price catalog knows, and text may not carry control characters or broken Unicode."""
    return all(
        (
            e.field in ("model", "fine_tune_model")
            and e.message.startswith("is not a model the price catalog knows")
        )
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


# Fixed boundaries for every numeric answer, typed out from answers-v2 rather than read from
# the catalog, so a wrong limit in the catalog fails here.
WHOLE = [
    ("corpus_documents", 0, 1_000_000_000),
    ("labeled_examples", 0, 100_000_000),
    ("latency_budget_ms", 50, 600_000),
    ("monthly_queries", 0, 100_000_000_000),
    ("avg_input_tokens", 1, 2_000_000),
    ("prompt_instruction_tokens", 0, 2_000_000),
    ("avg_output_tokens", 1, 200_000),
    ("retrieved_context_tokens", 0, 2_000_000),
    ("tokens_per_example", 1, 200_000),
    ("training_epochs", 1, 50),
    ("retrains_per_year", 0, 365),
    ("horizon_months", 1, 60),
]
DECIMAL = [
    ("upfront_budget_usd", 0, 1_000_000_000),
    ("hosting_usd_per_hour", 0, 10_000),
    ("engineer_hourly_usd", 0, 10_000),
]
REVIEW_PARTS = [("missing_or_wrong_facts", 0, 1_000), ("wrong_format_or_tone", 0, 1_000)]


def test_the_boundary_tables_cover_every_numeric_answer():
    numeric = {qid for qid, spec in SCHEMA["properties"].items() if "minimum" in spec}
    assert numeric == {qid for qid, _, _ in WHOLE + DECIMAL}
    parts = SCHEMA["properties"]["failure_review"]["properties"]
    assert set(parts) == {name for name, _, _ in REVIEW_PARTS}


def _accepted(qid: str, value) -> object:
    return validate_answers({**MINIMAL, qid: value})[qid]


@pytest.mark.parametrize(("qid", "lo", "hi"), WHOLE, ids=[w[0] for w in WHOLE])
def test_whole_number_answers_hold_their_limits(qid, lo, hi):
    rule = f"must be a whole number between {lo:,} and {hi:,}"
    assert _accepted(qid, lo) == lo
    assert _accepted(qid, hi) == hi
    assert _accepted(qid, float(hi)) == hi
    for bad in (lo - 1, hi + 1, -0.5, lo + 0.5, math.nan, math.inf, -math.inf):
        assert errors_for({**MINIMAL, qid: bad}) == {qid: rule}, bad


@pytest.mark.parametrize(("qid", "lo", "hi"), DECIMAL, ids=[d[0] for d in DECIMAL])
def test_decimal_answers_hold_their_limits(qid, lo, hi):
    rule = f"must be a number between {lo:,} and {hi:,}"
    for good in (lo, lo + 0.5, hi - 0.5, hi, float(hi)):
        assert _accepted(qid, good) == good
    for bad in (lo - 1, lo - 0.01, -0.5, hi + 0.01, hi + 1, math.nan, math.inf, -math.inf):
        assert errors_for({**MINIMAL, qid: bad}) == {qid: rule}, bad


@pytest.mark.parametrize(("part", "lo", "hi"), REVIEW_PARTS, ids=[p[0] for p in REVIEW_PARTS])
def test_failure_review_counts_hold_their_limits(part, lo, hi):
    assert _accepted("failure_review", {part: lo}) == {part: lo}
    assert _accepted("failure_review", {part: hi}) == {part: hi}
    for bad in (lo - 1, hi + 1, -0.5, 2.5, math.nan, math.inf, True):
        message = errors_for({**MINIMAL, "failure_review": {part: bad}})["failure_review"]
        assert message == f"{part} must be a whole number between {lo:,} and {hi:,}", bad


def test_a_failure_review_is_an_object_of_its_two_counts_only():
    errors = errors_for({**MINIMAL, "failure_review": {"missing_or_wrong_facts": 2, "tone": 1}})
    assert errors == {
        "failure_review": "tone is not part of it (it takes missing_or_wrong_facts and "
        "wrong_format_or_tone)"
    }
    assert errors_for({**MINIMAL, "failure_review": [3, 2]}) == {
        "failure_review": "must be an object with missing_or_wrong_facts and wrong_format_or_tone"
    }
    assert _accepted("failure_review", {}) == {}


OPTIONAL_WITHOUT_DEFAULT = {
    "per_user_permissions",
    "sensitive_data",
    "failure_review",
    "fine_tune_model",
    "hosting_usd_per_hour",
    "prompt_instruction_tokens",
}


def test_answers_with_no_default_are_none_until_given():
    answers = validate_answers(MINIMAL)
    assert {qid for qid, value in answers.items() if value is None} == OPTIONAL_WITHOUT_DEFAULT
    given = validate_answers({**MINIMAL, "per_user_permissions": False, "sensitive_data": True})
    assert given["per_user_permissions"] is False
    assert given["sensitive_data"] is True


@pytest.mark.parametrize("qid", ["per_user_permissions", "sensitive_data"])
def test_null_is_not_an_answer_to_a_yes_no_question(qid):
    assert errors_for({**MINIMAL, qid: None}) == {qid: "must be true or false"}


def test_the_model_to_fine_tune_is_checked_like_the_model():
    assert _accepted("fine_tune_model", "gpt-4o-mini") == "gpt-4o-mini"
    message = errors_for({**MINIMAL, "fine_tune_model": "gpt-4o-mimi"})["fine_tune_model"]
    assert message.startswith("is not a model the price catalog knows; did you mean ")


def test_serving_takes_one_of_three_ways():
    assert validate_answers(MINIMAL)["serving"] == "serverless"
    assert errors_for({**MINIMAL, "serving": "lambda"}) == {
        "serving": "must be one of serverless, dedicated_hourly or self_hosted_gpu"
    }


def test_every_version_1_document_stays_valid():
    """A document with every v1 answer (and no v2 one) validates as it did."""
    from .conftest import EXAMPLES

    v1 = {
        **MINIMAL,
        "project_name": "Docs",
        "use_case": "qa_over_docs",
        "stage": "prototype",
        "prompting_result": "mostly_works",
        "output_format": "light_structure",
        "style_consistency": "medium",
        "domain_language": "general",
        "task_shape": "open_ended",
        "corpus_documents": 500,
        "corpus_structure": "mixed",
        "per_user_permissions": False,
        "sensitive_data": False,
        "label_quality": "clean",
        "retrieval_issues": False,
        "latency_budget_ms": 800,
        "upfront_budget_usd": 12_000.5,
        "time_to_ship": "this_quarter",
        "error_cost": "high",
        "ml_expertise": "none",
        "model": "gpt-4o",
        "avg_input_tokens": 400,
        "avg_output_tokens": 200,
        "retrieved_context_tokens": 1_500,
        "tokens_per_example": 600,
        "training_epochs": 2,
        "retrains_per_year": 6,
        "engineer_hourly_usd": 90,
        "horizon_months": 24,
    }
    answers = validate_answers(v1)
    assert {k: answers[k] for k in v1} == v1
    for example in EXAMPLES:
        validate_answers(example["answers"])
