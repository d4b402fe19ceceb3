import datetime as dt

import pytest

from advisor.engine import QUESTIONS, STEPS, assess
from advisor.reports.context import Report, assessed_doc
from tests.report_helpers import DOCS, EXAMPLES, longest_answers

TODAY = dt.date(2026, 11, 21)


def report_for(answers, **kwargs) -> Report:
    kwargs.setdefault("title", answers.get("project_name", ""))
    return Report.from_answers(answers, assess(answers), today=TODAY, **kwargs)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_builds_a_complete_report(example):
    report = report_for(example["answers"])
    assert report.approach in example["accept"]
    assert report.title == example["answers"]["project_name"]
    assert 0 < report.confidence <= 100
    assert report.reasons and report.roadmap and report.costs and report.tradeoffs
    assert [c.slug for c in report.charts] == ["cumulative", "volume", "sensitivity"]
    assert all(chart.svg.startswith("<svg") for chart in report.charts)
    assert report.prices_as_of and report.engine_version


def test_reasons_name_the_question_the_answer_and_the_approach_they_favour():
    reason = report_for(DOCS).reasons[0]
    assert reason.label == QUESTIONS["problem_type"].label
    assert reason.answer == "It doesn't know our facts"
    assert reason.favours_label == "Retrieval (RAG)"
    assert reason.strength == "Strong" and reason.level == 5
    assert reason.source == "RAG vs Fine-Tuning: Which Is Right for Your Product?"


def test_reasons_are_ranked_strongest_first():
    levels = [reason.level for reason in report_for(DOCS).reasons]
    assert levels == sorted(levels, reverse=True)


def test_costs_come_in_a_fixed_order_with_the_recommendation_marked():
    report = report_for(DOCS)
    assert [o.approach for o in report.costs] == [
        "prompt_engineering",
        "rag",
        "hybrid",
        "fine_tuning",
    ]
    assert [o.approach for o in report.costs if o.recommended] == ["rag"]
    rag = report.recommended_cost
    assert rag.total.startswith("$") and rag.lines
    assert {line.kind for line in rag.lines} <= {"One-off", "Monthly"}


def test_the_break_even_is_said_in_words():
    report = report_for(DOCS)
    # Retrieval never undercuts a prompt at any volume: the sentence says the case is not cost.
    assert report.result["costs"]["break_even"]["monthly_queries"] is None
    assert report.break_even.startswith(
        "Over 12 months retrieval costs more than better prompting, the cheapest option"
    )
    assert report.break_even.endswith("not in the cost.")


def test_a_range_budget_and_dated_prices_are_said_in_words():
    report = report_for(DOCS)
    option = report.recommended_cost
    costs = report.result["costs"]["options"]["rag"]
    assert option.range == (
        f"between ${costs['total_low_usd']:,.0f} and ${costs['total_high_usd']:,.0f}"
    )
    assert any(note.startswith("The build cost of") for note in report.cost_notes)
    assert report.prices and all(p.checked_on for p in report.prices)
    assert report.prices_as_of == report.result["costs"]["prices_as_of"]


def test_what_would_change_shows_the_current_and_the_new_answer():
    answers = {**DOCS, "data_change_frequency": "rarely", "needs_citations": False}
    report = report_for(answers)
    assert report.changes
    for change in report.changes:
        assert change.label == QUESTIONS[change.question].label
        assert change.current == QUESTIONS[change.question].display(answers.get(change.question))
        assert change.approach != report.approach


def test_the_answers_appendix_lists_every_question_in_the_order_asked():
    report = report_for(DOCS)
    assert [g.title for g in report.answers] == [s.title for s in STEPS]
    asked = [row.question.id for group in report.answers for row in group.rows]
    assert asked == list(QUESTIONS)


def test_unanswered_questions_show_what_was_assumed():
    answers = {k: v for k, v in DOCS.items() if k != "stage"}
    report = report_for(answers, unknown=("stage",))
    rows = {row.question.id: row for group in report.answers for row in group.rows}
    assert rows["stage"].text == "I don't know (we assume “An idea, nothing built yet”)"
    assert rows["stage"].assumed
    assert rows["model"].text == "Not answered (we assume “gpt-4o-mini”)"
    assert rows["label_quality"].text == "Not asked"
    assert rows["monthly_queries"].text == "15,000"
    assumed = {a.question: a.display for a in report.assumptions}
    assert assumed["stage"] == "An idea, nothing built yet"
    assert "project_name" not in assumed


def test_an_untitled_assessment_gets_a_title_and_a_safe_filename():
    report = report_for({k: v for k, v in DOCS.items() if k != "project_name"})
    assert report.title == "Untitled assessment"
    assert report.filename("pdf") == "untitled-assessment-2026-11-21.pdf"


def test_filenames_are_ascii_and_bounded():
    report = report_for(longest_answers())
    name = report.filename("pdf")
    assert name.isascii() and len(name) <= 60 + len("-2026-11-21.pdf")
    assert all(c.isalnum() or c in "-." for c in name)


def test_the_export_is_the_answers_and_the_stored_result():
    result = assess(DOCS)
    report = Report.from_answers(DOCS, result, title="x", today=TODAY)
    assert report.export() == {"answers": DOCS, "result": result}


def test_the_assessed_answers_can_be_rebuilt_from_a_result_snapshot():
    answers = {k: v for k, v in DOCS.items() if k != "stage"}
    assert assessed_doc(assess(answers)) == answers


def test_the_description_for_link_previews_states_the_recommendation():
    report = report_for(DOCS)
    assert report.description.startswith(
        f"Recommendation: Retrieval (RAG) ({report.confidence}% confidence). Start with retrieval"
    )


def test_the_date_reads_like_a_report_date():
    assert report_for(DOCS).date_display == "21 November 2026"
