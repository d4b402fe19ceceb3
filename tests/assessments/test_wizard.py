import html
import re

import pytest
from django.urls import reverse

from advisor.assessments import steps as wizard
from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.engine import QUESTIONS, STEPS
from tests.wizard_steps import STEP_DATA, fill_every_step, post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment() -> Assessment:
    return create_assessment()


def is_checked(body: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{value}"[^>]*\bchecked', body) is not None


def check_url(assessment: Assessment) -> str:
    return reverse("assessment-check", args=[assessment.edit_token])


def test_starting_creates_an_assessment_and_opens_the_first_step(client):
    response = client.post(reverse("assessment-start"))

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith("/step/product/")
    assert assessment.status == "draft"
    assert client.get(response.url).status_code == 200


def test_the_start_page_only_explains_and_creates_nothing(client):
    response = client.get(reverse("assessment-start"))

    assert response.status_code == 200
    assert b"Start the interview" in response.content
    assert not Assessment.objects.exists()


def test_every_step_shows_each_question_with_its_help_and_a_label(client, assessment):
    for step in STEPS:
        body = client.get(step_url(assessment.edit_token, step.slug)).content.decode()

        assert "<h1" in body and step.title in body
        for qid in step.question_ids:
            if QUESTIONS[qid].applies is not None:
                continue  # conditional: shown once an earlier answer makes it relevant
            assert f'id="q-{qid}"' in body
            assert f'for="id_{qid}' in body or f'id="id_{qid}_0"' in body


def test_a_saved_step_moves_on_to_the_next_one(client, assessment):
    response = post_step(client, assessment, "product")

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert response.url == step_url(assessment.edit_token, "behaviour")
    assert assessment.answers["problem_type"] == "knowledge"
    assert assessment.answers["project_name"] == "Docs assistant"
    assert assessment.saved_steps == ["product"]
    assert assessment.revision == 2


def test_the_last_step_leads_to_the_check_page(client, assessment):
    fill_every_step(client, assessment)

    assert post_step(client, assessment, "costs").url == check_url(assessment)


def test_going_back_keeps_what_was_entered_on_both_steps(client, assessment):
    post_step(client, assessment, "product")
    response = post_step(client, assessment, "behaviour", go="back", output_format="strict_schema")

    assert response.url == step_url(assessment.edit_token, "product")
    product = client.get(response.url).content.decode()
    assert 'value="Docs assistant"' in product
    assert is_checked(product, "problem_type", "knowledge")
    behaviour = client.get(step_url(assessment.edit_token, "behaviour")).content.decode()
    assert is_checked(behaviour, "output_format", "strict_schema")
    assessment.refresh_from_db()
    assert assessment.answers["output_format"] == "strict_schema"


def test_going_back_from_a_half_filled_step_keeps_the_valid_answers_only(client, assessment):
    post_step(client, assessment, "product")
    response = post_step(
        client,
        assessment,
        "behaviour",
        go="back",
        output_format="light_structure",
        style_consistency="",
        latency_budget_ms="abc",
    )

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert assessment.answers["output_format"] == "light_structure"
    assert "latency_budget_ms" not in assessment.answers
    assert "behaviour" not in assessment.saved_steps  # not finished yet


def test_the_progress_bar_marks_the_current_step_and_links_visited_ones(client, assessment):
    post_step(client, assessment, "product")
    post_step(client, assessment, "behaviour")

    body = client.get(step_url(assessment.edit_token, "behaviour")).content.decode()

    assert body.count('aria-current="step"') == 1
    assert f'href="{step_url(assessment.edit_token, "product")}"' in body
    assert f'href="{step_url(assessment.edit_token, "data")}"' in body  # next one to do
    assert f'href="{step_url(assessment.edit_token, "costs")}"' not in body


def test_the_edit_link_resumes_at_the_first_unfinished_step(client, assessment):
    post_step(client, assessment, "product")
    post_step(client, assessment, "behaviour")

    response = client.get(reverse("assessment-resume", args=[assessment.edit_token]))

    assert response.status_code == 302
    assert response.url == step_url(assessment.edit_token, "data")


def test_the_edit_link_of_a_fresh_assessment_opens_the_first_step(client, assessment):
    response = client.get(reverse("assessment-resume", args=[assessment.edit_token]))

    assert response.url == step_url(assessment.edit_token, "product")


def test_the_edit_link_goes_to_the_check_page_when_every_step_is_done(client, assessment):
    fill_every_step(client, assessment)

    response = client.get(reverse("assessment-resume", args=[assessment.edit_token]))

    assert response.url == check_url(assessment)


def test_the_edit_link_of_a_finished_assessment_opens_its_result(client, assessment):
    fill_every_step(client, assessment)
    client.post(check_url(assessment), {"revision": assessment.revision})

    response = client.get(reverse("assessment-resume", args=[assessment.edit_token]))

    assert response.url == reverse("assessment-result", args=[assessment.edit_token])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("monthly_queries", "-5"),
        ("monthly_queries", "abc"),
        ("monthly_queries", "9" * 5000),
        ("monthly_queries", "1e999"),
        ("monthly_queries", ""),
        ("upfront_budget_usd", "NaN"),
        ("upfront_budget_usd", "inf"),
        ("upfront_budget_usd", "1" * 400),
        ("upfront_budget_usd", "-1"),
        ("time_to_ship", "yesterday"),
        ("time_to_ship", "x" * 10000),
        ("error_cost", ""),
    ],
)
def test_bad_input_is_a_plain_error_next_to_the_field_never_a_crash(
    client, assessment, field, value
):
    response = post_step(client, assessment, "constraints", **{field: value})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Some answers need another look" in body
    assert f'href="#q-{field}"' in body  # the summary names the question
    assert 'class="invalid-feedback"' in body
    assessment.refresh_from_db()
    assert assessment.revision == 1 and assessment.answers == {}


def test_an_invalid_step_keeps_everything_else_that_was_typed(client, assessment):
    response = post_step(client, assessment, "constraints", monthly_queries="-5")

    body = response.content.decode()
    assert 'value="-5"' in body
    assert 'value="5000"' in body
    assert is_checked(body, "time_to_ship", "this_month")
    assert "Enter a number of at least 0." in body


def test_an_invalid_step_leaves_other_steps_saved(client, assessment):
    post_step(client, assessment, "product")
    post_step(client, assessment, "constraints", monthly_queries="lots")

    assessment.refresh_from_db()
    assert assessment.answers["problem_type"] == "knowledge"
    assert "monthly_queries" not in assessment.answers


def test_missing_fields_are_named(client, assessment):
    response = client.post(step_url(assessment.edit_token, "data"), {"revision": "1", "go": "next"})

    body = response.content.decode()
    assert response.status_code == 200
    for field in ("data_change_frequency", "needs_citations", "labeled_examples"):
        assert f'href="#q-{field}"' in body


def test_numbers_with_thousands_separators_are_understood(client, assessment):
    post_step(
        client,
        assessment,
        "constraints",
        monthly_queries="1,500,000",
        upfront_budget_usd="$2,500.50",
    )

    assessment.refresh_from_db()
    assert assessment.answers["monthly_queries"] == 1_500_000
    assert assessment.answers["upfront_budget_usd"] == 2500.5


def test_a_model_the_price_list_does_not_know_is_an_error_on_that_field(client, assessment):
    response = post_step(client, assessment, "costs", model="gpt-4o-minii")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#q-model"' in body
    assert "is not a model we have prices for" in body


def test_the_model_field_offers_the_models_the_price_list_knows(client, assessment):
    body = client.get(step_url(assessment.edit_token, "costs")).content.decode()

    assert 'list="model-options"' in body
    assert '<option value="gpt-4o-mini" label="OpenAI">' in body
    assert body.count("<option ") < 400  # a pick list, not the whole price catalog


def test_a_priced_model_missing_from_the_pick_list_is_still_accepted(client, assessment):
    for slug in ("product", "behaviour", "data", "constraints"):
        post_step(client, assessment, slug)

    response = post_step(client, assessment, "costs", model="01-ai/yi-large")

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["model"] == "01-ai/yi-large"


def test_a_follow_up_question_is_not_stored_when_it_does_not_apply(client, assessment):
    post_step(
        client,
        assessment,
        "data",
        labeled_examples="0",
        label_quality="clean",
        shown="label_quality",
    )

    assessment.refresh_from_db()
    assert assessment.answers["labeled_examples"] == 0
    assert "label_quality" not in assessment.answers
    assert "label_quality" not in assessment.unknown


def test_a_follow_up_answer_is_dropped_when_its_trigger_changes(client, assessment):
    post_step(
        client,
        assessment,
        "data",
        labeled_examples="300",
        label_quality="clean",
        shown="label_quality",
    )
    assessment.refresh_from_db()
    assert assessment.answers["label_quality"] == "clean"

    post_step(
        client,
        assessment,
        "data",
        labeled_examples="0",
        label_quality="clean",
        shown="label_quality",
    )

    assessment.refresh_from_db()
    assert "label_quality" not in assessment.answers


def test_without_javascript_a_newly_relevant_question_appears_after_saving(client, assessment):
    response = post_step(client, assessment, "data", labeled_examples="300")

    assert response.url == step_url(assessment.edit_token, "data") + "?more=1#q-label_quality"
    body = client.get(response.url).content.decode()
    assert "one more question relevant" in body
    assert 'name="label_quality"' in body


def test_a_shown_follow_up_question_must_be_answered(client, assessment):
    post_step(client, assessment, "data", labeled_examples="300")

    response = post_step(client, assessment, "data", labeled_examples="300", shown="label_quality")

    assert response.status_code == 200
    assert 'href="#q-label_quality"' in response.content.decode()


def test_the_follow_up_question_fragment_follows_what_is_typed(client, assessment):
    url = step_url(assessment.edit_token, "data")
    headers = {"HX-Request": "true"}

    shown = client.get(
        url,
        {"fragment": "question", "question": "label_quality", "labeled_examples": "40"},
        headers=headers,
    )
    hidden = client.get(
        url,
        {"fragment": "question", "question": "label_quality", "labeled_examples": "0"},
        headers=headers,
    )

    assert 'name="label_quality"' in shown.content.decode()
    assert "label_quality" not in hidden.content.decode()
    unchanged = client.get(
        url,
        {
            "fragment": "question",
            "question": "label_quality",
            "labeled_examples": "50",
            "shown": "label_quality",
        },
        headers=headers,
    )
    assert unchanged.status_code == 204  # already on the page: the founder's choice is left alone
    assessment.refresh_from_db()
    assert assessment.revision == 1  # looking is not saving


def test_i_dont_know_is_stored_as_unknown_and_left_out_of_the_answers(client, assessment):
    post_step(client, assessment, "product")
    post_step(client, assessment, "behaviour")

    assessment.refresh_from_db()
    assert "prompting_result" in assessment.unknown
    assert "prompting_result" not in assessment.answers
    assert "latency_budget_ms" in assessment.unknown  # left blank
    assert "latency_budget_ms" not in assessment.answers


def test_i_dont_know_is_preselected_when_the_step_is_shown_again(client, assessment):
    post_step(client, assessment, "product")

    body = client.get(step_url(assessment.edit_token, "product")).content.decode()

    assert is_checked(body, "prompting_result", "dont_know")


def test_i_dont_know_answers_appear_as_assumptions_in_the_result(client, assessment):
    fill_every_step(client, assessment)
    client.post(check_url(assessment), {"revision": assessment.revision})

    assessment.refresh_from_db()
    assumed = {item["question"] for item in assessment.result["assumptions"]}
    assert {"prompting_result", "sensitive_data", "latency_budget_ms", "model"} <= assumed


def test_the_check_page_lists_every_answer_with_a_change_link(client, assessment):
    fill_every_step(client, assessment)

    body = html.unescape(client.get(check_url(assessment)).content.decode())

    assert "Docs assistant" in body
    assert "Answers to questions from our documents" in body
    assert "15,000" in body
    assert "I don't know (we assume “We haven't really tried yet”)" in body
    assert "I don't know (we assume “3,000 ms”)" in body
    change = step_url(assessment.edit_token, "constraints") + "?return=check#q-monthly_queries"
    assert f'href="{change}"' in body
    assert "Get my recommendation" in body


def test_the_check_page_of_an_unfinished_assessment_cannot_run_yet(client, assessment):
    post_step(client, assessment, "product")

    body = client.get(check_url(assessment)).content.decode()
    response = client.post(check_url(assessment), {"revision": 2})

    assert "Not finished" in body
    assert "Get my recommendation" not in body
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.result is None


def test_running_the_check_stores_the_result_and_opens_it(client, assessment):
    fill_every_step(client, assessment)

    response = client.post(check_url(assessment), {"revision": assessment.revision})

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("assessment-result", args=[assessment.edit_token])
    assert assessment.status == "complete"
    assert assessment.completed_at is not None
    assert assessment.result["approach"] == "rag"
    assert assessment.result["engine_version"]
    assert assessment.result["prices_as_of"]


def test_answers_the_engine_rejects_are_shown_by_step_not_as_a_crash(client, assessment):
    fill_every_step(client, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(
        answers={**assessment.answers, "monthly_queries": -3}
    )

    response = client.post(check_url(assessment), {"revision": assessment.revision})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Some answers could not be used" in body
    assert "How many AI calls a month do you expect?" in body
    assert f'href="{step_url(assessment.edit_token, "constraints")}"' in body


def test_changing_an_answer_after_the_result_marks_it_outdated(client, assessment):
    fill_every_step(client, assessment)
    client.post(check_url(assessment), {"revision": assessment.revision})

    post_step(client, assessment, "constraints", monthly_queries="900000")

    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert assessment.result_is_outdated
    assert client.get(reverse("assessment-resume", args=[assessment.edit_token])).url == check_url(
        assessment
    )


def test_saving_a_step_unchanged_keeps_the_result_current(client, assessment):
    fill_every_step(client, assessment)
    client.post(check_url(assessment), {"revision": assessment.revision})

    post_step(client, assessment, "constraints")

    assessment.refresh_from_db()
    assert assessment.status == "complete"


def test_an_unknown_step_is_not_found(client, assessment):
    response = client.get(step_url(assessment.edit_token, "nonsense"))

    assert response.status_code == 404


def test_htmx_gets_just_the_wizard_and_the_next_step_after_saving(client, assessment):
    headers = {"HX-Request": "true", "HX-Target": "wizard"}
    data = {**STEP_DATA["product"], "revision": "1", "go": "next"}

    response = client.post(
        step_url(assessment.edit_token, "product"), data, headers=headers, follow=True
    )

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == step_url(assessment.edit_token, "behaviour")
    assert body.lstrip().startswith("<title>")
    assert 'id="wizard"' in body and "<html" not in body
    assert "How it should answer" in body
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_validation_errors_stay_on_the_same_address(client, assessment):
    headers = {"HX-Request": "true", "HX-Target": "wizard"}
    data = {**STEP_DATA["constraints"], "monthly_queries": "-1", "revision": "1"}

    response = client.post(step_url(assessment.edit_token, "constraints"), data, headers=headers)

    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == "false"
    assert "<html" not in response.content.decode()


def test_the_back_button_restoring_history_gets_the_whole_page(client, assessment):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true", "HX-Target": "wizard"}

    response = client.get(step_url(assessment.edit_token, "product"), headers=headers)

    assert "<html" in response.content.decode()


def test_every_step_page_shows_the_private_link_once_more(client, assessment, settings):
    settings.SITE_ORIGIN = "https://advisor.example.com"

    body = client.get(step_url(assessment.edit_token, "product")).content.decode()

    assert "Your private link" in body
    assert f'value="https://advisor.example.com/a/{assessment.edit_token}/"' in body
    assert "Keep it safe" in body


def test_step_forms_carry_the_revision_and_a_csrf_token(client, assessment):
    body = client.get(step_url(assessment.edit_token, "product")).content.decode()

    assert 'name="revision" value="1"' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_step_posts_without_a_csrf_token_are_refused(assessment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    data = {**STEP_DATA["product"], "revision": "1"}

    response = client.post(step_url(assessment.edit_token, "product"), data)

    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_merging_a_step_replaces_only_that_steps_settled_answers():
    answers, unknown = wizard.merge_step(
        {"problem_type": "behavior", "stage": "idea"},
        ["use_case"],
        {"stage": wizard.UNKNOWN, "use_case": "other", "project_name": wizard.BLANK},
    )

    assert answers == {"problem_type": "behavior", "use_case": "other"}
    assert unknown == ["stage"]
