from pathlib import Path

import pytest

from advisor.engine import QUESTIONS, STEPS, Choice, Question, known_models
from advisor.engine.questions import MISSING

from .conftest import SCHEMAS, load_schema

SCHEMA = load_schema("answers.schema.json")
SHARED_SPEC = Path("/work/shared/spec")


def test_every_schema_property_is_one_question_in_order_of_the_steps():
    assert set(QUESTIONS) == set(SCHEMA["properties"])
    asked = [qid for step in STEPS for qid in step.question_ids]
    assert asked == list(QUESTIONS)


def test_the_steps_come_in_the_wizard_order():
    assert [step.slug for step in STEPS] == ["product", "behaviour", "data", "constraints", "costs"]
    for step in STEPS:
        assert step.title and step.intro
        assert all(QUESTIONS[qid].step == step.slug for qid in step.question_ids)


@pytest.mark.parametrize("qid", list(SCHEMA["properties"]))
def test_each_question_agrees_with_the_schema(qid):
    spec, q = SCHEMA["properties"][qid], QUESTIONS[qid]
    assert q.id == qid
    assert q.required == (qid in SCHEMA["required"])
    assert q.default == spec.get("default", MISSING)
    assert q.minimum == spec.get("minimum")
    assert q.maximum == spec.get("maximum")
    assert q.max_length == spec.get("maxLength")
    if "enum" in spec:
        assert q.kind == "choice"
        assert [c.value for c in q.choices] == spec["enum"]
    else:
        expected = {"integer": "integer", "number": "number", "boolean": "boolean"}
        expected["object"] = "group"
        assert q.kind == expected.get(spec["type"], "text")
    assert q.optional == (not q.required and "default" not in spec)


def test_the_failure_review_is_a_group_of_two_whole_numbers_asked_only_when_unsure():
    q = QUESTIONS["failure_review"]
    parts = SCHEMA["properties"]["failure_review"]["properties"]
    assert q.kind == "group" and q.optional and q.unknown_ok
    assert [p.id for p in q.parts] == list(parts)
    for part in q.parts:
        assert part.kind == "integer"
        assert (part.minimum, part.maximum) == (0, 1_000)
        assert part.label and not part.required
    assert q.applies_to({"problem_type": "unsure"})
    assert not q.applies_to({"problem_type": "knowledge"})
    assert q.step == "product"
    assert STEPS[0].question_ids.index("failure_review") == (
        STEPS[0].question_ids.index("problem_type") + 1
    )
    assert q.display({"missing_or_wrong_facts": 4, "wrong_format_or_tone": 1}) == (
        "4 missing or wrong facts, 1 wrong format or tone"
    )


def test_the_hourly_price_is_asked_only_for_hourly_serving():
    q = QUESTIONS["hosting_usd_per_hour"]
    assert q.applies_to({"serving": "dedicated_hourly"})
    assert q.applies_to({"serving": "self_hosted_gpu"})
    assert not q.applies_to({"serving": "serverless"})


def test_an_answer_not_known_yet_is_shown_as_such():
    assert QUESTIONS["per_user_permissions"].display(None) == "Not known yet"


@pytest.mark.parametrize("qid", list(SCHEMA["properties"]))
def test_labels_are_written_for_founders_not_copied_from_the_schema(qid):
    q = QUESTIONS[qid]
    assert q.label.strip()
    description = SCHEMA["properties"][qid].get("description")
    assert description not in (q.label, q.help)
    assert all(isinstance(c, Choice) and c.label for c in q.choices)


def test_required_questions_cannot_be_answered_with_i_dont_know():
    for q in QUESTIONS.values():
        if q.required:
            assert not q.unknown_ok and not q.has_default


def test_label_quality_is_only_asked_once_there_are_examples():
    q = QUESTIONS["label_quality"]
    assert not q.applies_to({"labeled_examples": 0})
    assert q.applies_to({"labeled_examples": 12})
    conditional = {"label_quality", "failure_review", "hosting_usd_per_hour"}
    answers = {"labeled_examples": 0, "problem_type": "unsure", "serving": "dedicated_hourly"}
    assert all(
        other.applies_to(answers) for other in QUESTIONS.values() if other.id not in conditional
    )
    assert all(QUESTIONS[qid].applies is not None for qid in conditional)


@pytest.mark.parametrize(
    ("qid", "value", "shown"),
    [
        ("corpus_documents", 12_000, "12,000"),
        ("upfront_budget_usd", 10_000, "$10,000"),
        ("needs_citations", True, "Yes"),
        ("per_user_permissions", False, "No"),
        ("latency_budget_ms", 3_000, "3,000 ms"),
        ("problem_type", "knowledge", "It doesn't know our facts"),
        ("project_name", "", "(blank)"),
        ("model", "gpt-4o", "gpt-4o"),
    ],
)
def test_display_gives_the_answer_as_a_founder_would_say_it(qid, value, shown):
    assert QUESTIONS[qid].display(value) == shown


def test_questions_are_frozen():
    with pytest.raises(AttributeError):
        QUESTIONS["stage"].label = "changed"  # type: ignore[misc]
    assert isinstance(QUESTIONS["stage"], Question)


def test_the_default_model_is_one_the_cost_model_can_price():
    models = known_models()
    assert QUESTIONS["model"].default in models
    assert {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5"} <= set(models)
    assert models == sorted(models, key=lambda name: (name.lower(), name))
    assert not any(name.startswith("ft:") for name in models)


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="the shared spec folder is not mounted")
@pytest.mark.parametrize("name", ["answers.schema.json", "result.schema.json"])
def test_the_packaged_schemas_match_the_shared_spec(name):
    assert (SCHEMAS / name).read_bytes() == (SHARED_SPEC / name).read_bytes()


def test_label_quality_does_not_apply_while_the_count_is_not_a_number_yet():
    assert not QUESTIONS["label_quality"].applies_to({"labeled_examples": "12"})
    assert not QUESTIONS["label_quality"].applies_to({"labeled_examples": True})
