from django import forms

from advisor.assessments.forms import DONT_KNOW, field_for, step_form_class
from advisor.assessments.steps import BLANK, UNKNOWN
from advisor.engine import QUESTIONS, STEPS, Choice, Question


def form_for(slug: str, data=None, stored=None, unknown=None):
    step = next(step for step in STEPS if step.slug == slug)
    return step_form_class(step)(data, stored=stored or {}, unknown=unknown or [])


def test_each_step_form_asks_exactly_that_steps_questions_in_the_founders_words():
    for step in STEPS:
        form = form_for(step.slug)

        assert list(form.fields) == list(step.question_ids)
        for qid, field in form.fields.items():
            assert field.label == QUESTIONS[qid].label


def test_choices_are_radios_with_i_dont_know_only_where_the_catalog_allows_it():
    fields = form_for("product").fields

    assert isinstance(fields["stage"].widget, forms.RadioSelect)
    assert DONT_KNOW in dict(fields["stage"].choices)
    assert DONT_KNOW not in dict(fields["problem_type"].choices)  # required, no default


def test_a_long_list_of_choices_becomes_a_select():
    question = Question(
        id="colour",
        label="Which colour?",
        help="",
        kind="choice",
        step="product",
        choices=tuple(Choice(f"c{n}", f"Colour {n}") for n in range(12)),
    )

    field = field_for(question)

    assert isinstance(field.widget, forms.Select)
    assert field.choices[0] == ("", "Choose an answer")


def test_help_text_from_the_catalog_is_escaped():
    question = Question(id="note", label="Note", help="<b>bold</b> & more", kind="text", step="x")

    assert field_for(question).help_text == "&lt;b&gt;bold&lt;/b&gt; &amp; more"


def test_yes_no_questions_store_true_and_false():
    data = {
        "data_change_frequency": "weekly",
        "needs_citations": "no",
        "per_user_permissions": "yes",
        "sensitive_data": DONT_KNOW,
        "labeled_examples": "0",
        "retrieval_issues": "no",
        "corpus_structure": "mixed",
    }
    form = form_for("data", data)

    assert form.is_valid(), form.errors
    settled = form.settled()
    assert settled["needs_citations"] is False
    assert settled["per_user_permissions"] is True
    assert settled["sensitive_data"] is UNKNOWN
    assert settled["corpus_documents"] is UNKNOWN  # left blank: "I don't know"


def test_an_optional_text_left_blank_is_simply_not_answered():
    data = {"problem_type": "both", "use_case": "other", "stage": "idea"}
    form = form_for("product", {**data, "prompting_result": "fails", "project_name": "  "})

    assert form.is_valid(), form.errors
    assert form.settled()["project_name"] is BLANK


def test_numbers_outside_the_catalog_limits_name_the_limit():
    form = form_for("costs", {"horizon_months": "61", "training_epochs": "0"})

    assert not form.is_valid()
    assert form.errors["horizon_months"] == ["Enter a number no larger than 60 months."]
    assert form.errors["training_epochs"] == ["Enter a number of at least 1."]


def test_the_form_shows_what_was_stored_including_i_dont_know():
    form = form_for(
        "data",
        stored={"needs_citations": True, "labeled_examples": 40, "label_quality": "noisy"},
        unknown=["sensitive_data"],
    )

    assert form.initial["needs_citations"] == "yes"
    assert form.initial["labeled_examples"] == 40
    assert form.initial["label_quality"] == "noisy"
    assert form.initial["sensitive_data"] == DONT_KNOW
