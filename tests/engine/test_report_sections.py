import re

import pytest

from advisor.engine import APPROACH_LABELS, ENGINE_VERSION, QUESTIONS, SOURCES, assess
from advisor.engine.decision import rules_fingerprint

from .conftest import EXAMPLES

# Each engine version pins the fingerprint of the rules, weights and formulas it shipped with.
# The behavioural tests (test_rule_directions, test_break_even, test_engine_properties and the
# scenario tests) say whether a change is right; this pin only says that a stored assessment
# judged by the old engine must show a new version.
FINGERPRINTS = {"2026.11.1": "92b038ca5fe97059", "2026.12.1": "94bfef9421dae5fc"}

BASE = {
    "problem_type": "knowledge",
    "data_change_frequency": "weekly",
    "needs_citations": False,
    "labeled_examples": 0,
    "monthly_queries": 20_000,
}
DIMENSIONS = [
    "What it changes",
    "Data freshness",
    "Citations and auditability",
    "Output format control",
    "Latency",
    "Upfront cost",
    "Per-query cost",
    "Maintenance",
    "Time to first value",
    "Hallucination control",
    "Data needed",
    "Permission-aware access",
]


def example(example_id: str) -> dict:
    return next(e["answers"] for e in EXAMPLES if e["id"] == example_id)


def test_changing_rules_weights_or_formulas_requires_a_new_engine_version():
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", ENGINE_VERSION)
    assert rules_fingerprint() == FINGERPRINTS.get(ENGINE_VERSION), (
        "The rules, weights or cost formulas changed. First check the behavioural tests "
        "(rule directions, break-even, properties, scenarios, score sheet): they say whether "
        "the advice still follows the guidance, and one of them must cover the change; a "
        "changed weight that no behavioural test notices is an untested change. Only then "
        "bump ENGINE_VERSION and pin "
        f"{rules_fingerprint()} for it in FINGERPRINTS."
    )


def test_the_result_names_its_engine_version_and_approach_in_words():
    result = assess(BASE)
    assert result["engine_version"] == ENGINE_VERSION
    assert result["approach_label"] == APPROACH_LABELS[result["approach"]]
    assert set(result["scores"]) == set(APPROACH_LABELS)


def test_sources_are_cited_by_their_published_titles_and_authors():
    titles = {s["title"] for s in SOURCES.values()}
    assert "RAG vs Fine-Tuning: Which Is Right for Your Product?" in titles
    assert "RAG vs Fine-Tuning - How to Actually Decide" in titles
    assert SOURCES["lee"]["author"] == "Seunghun Lee"
    assert SOURCES["cung"]["author"] == "Tyson Cung"
    result = assess(example("p05-hr-policies"))
    guidance = [s for s in result["sources"] if s["kind"] == "guidance"]
    assert guidance
    for source in guidance:
        assert source["title"] == SOURCES[source["key"]]["title"]
        assert source.get("author", "") == SOURCES[source["key"]]["author"]
    # Price lists are cited with where to check them and when they were checked.
    for source in result["sources"]:
        if source["kind"] == "pricing":
            assert source["url"].startswith("https://") and source["checked_on"]
    assert any(s.get("author") == "Seunghun Lee" for s in result["sources"])


def test_assumptions_list_every_answer_left_out_that_applies():
    result = assess(BASE)
    listed = {a["question"]: a for a in result["assumptions"]}
    left_out = {qid for qid, q in QUESTIONS.items() if not q.required and qid not in BASE}
    assert set(listed) == left_out - {"label_quality", "failure_review", "hosting_usd_per_hour"}
    assert listed["latency_budget_ms"] == {
        "question": "latency_budget_ms",
        "label": QUESTIONS["latency_budget_ms"].label,
        "assumed": 3_000,
        "display": "3,000 ms",
    }
    # The cost model's estimate is what is assumed, and it says so.
    estimate = listed["prompt_instruction_tokens"]
    assert estimate["assumed"] == BASE.get("avg_input_tokens", 500) // 2
    assert estimate["display"].endswith("(estimated by the cost model)")


@pytest.mark.parametrize("qid", ["per_user_permissions", "sensitive_data"])
def test_an_unknown_safety_answer_is_a_named_risk_never_a_no(qid):
    invoice = example("p02-invoice-extraction")
    result = assess(invoice)
    item = next(a for a in result["assumptions"] if a["question"] == qid)
    assert item["assumed"] is None and item["display"] == "Not known yet"
    assert "trained" in item["risk"]
    # What a Yes would change is worked out by re-running, and said plainly.
    yes = assess({**invoice, qid: True})["approach"]
    assert item["if_yes"] == yes
    no = assess({**invoice, qid: False})
    assert qid not in {a["question"] for a in no["assumptions"]}


def test_an_unknown_permissions_answer_that_would_flip_fine_tuning_says_so_first():
    result = assess(example("p02-invoice-extraction"))
    assert result["approach"] == "fine_tuning"
    item = next(a for a in result["assumptions"] if a["question"] == "per_user_permissions")
    assert item["if_yes"] == "hybrid"
    assert "A Yes would change the recommendation to the hybrid" in item["risk"]
    first = result["what_would_change"][0]
    assert (first["question"], first["to"], first["approach"]) == (
        "per_user_permissions",
        True,
        "hybrid",
    )
    assert QUESTIONS["per_user_permissions"].label in result["confidence_basis"]
    # A plan that trains a model settles the unknown safety answers before any training run.
    assert result["roadmap"][0]["action"].startswith(
        "Before any training run, confirm that every user may see everything in the training "
        "examples and that the examples hold no personal"
    )


def test_label_quality_is_an_assumption_only_once_there_are_examples():
    listed = {a["question"] for a in assess({**BASE, "labeled_examples": 40})["assumptions"]}
    assert "label_quality" in listed


def test_answers_given_are_not_assumptions():
    answers = example("p02-invoice-extraction")
    listed = {a["question"] for a in assess(answers)["assumptions"]}
    assert not listed & set(answers)


@pytest.mark.parametrize("e", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_the_roadmap_has_three_to_five_staged_steps(e):
    steps = assess(e["answers"])["roadmap"]
    assert 3 <= len(steps) <= 5
    for step in steps:
        assert step["action"] and step["when"] and step["measure"]


def test_a_retrieval_roadmap_for_structured_data_starts_with_sql_or_keywords():
    steps = assess({**BASE, "corpus_structure": "structured"})["roadmap"]
    assert "SQL or keyword filter" in steps[1]["action"]


def test_a_retrieval_roadmap_filters_by_permission_and_shows_sources():
    action = assess({**BASE, "per_user_permissions": True, "needs_citations": True})["roadmap"][1]
    assert "each user's access" in action["action"]
    assert "source passage" in action["action"]


def test_a_retrieval_roadmap_fixes_existing_retrieval_first():
    action = assess({**BASE, "retrieval_issues": True})["roadmap"][1]["action"]
    assert action.startswith("Fix the retrieval you have")


def test_a_tiny_corpus_is_suggested_for_the_prompt_when_prompting_wins():
    answers = {**BASE, "data_change_frequency": "rarely", "corpus_documents": 8}
    result = assess({**answers, "prompting_result": "good_enough"})
    assert result["approach"] == "prompt_engineering"
    assert "paste your 8 documents into the prompt" in result["roadmap"][1]["action"]


def test_an_unsure_team_is_told_to_sort_failures_into_knowledge_or_behaviour():
    first = assess({**BASE, "problem_type": "unsure"})["roadmap"][0]
    assert "didn't know something" in first["action"]


def test_a_hybrid_roadmap_ships_retrieval_first():
    steps = assess(example("p03-sales-assistant"))["roadmap"]
    assert steps[1]["action"].startswith("Ship retrieval first.")
    assert any("Fine-tune" in s["action"] for s in steps[2:])


def test_the_tradeoff_table_has_the_twelve_dimensions():
    rows = assess(BASE)["tradeoffs"]
    assert [r["dimension"] for r in rows] == DIMENSIONS
    for row in rows:
        assert row["rag"] and row["fine_tuning"] and row["hybrid"] and row["why"]
        assert isinstance(row["matters_to_you"], bool)


def test_tradeoff_cells_carry_your_own_figures():
    result = assess({**BASE, "latency_budget_ms": 450})
    rows = {r["dimension"]: r for r in result["tradeoffs"]}
    assert rows["Latency"]["rag"] == "Adds 10-500 ms per answer against your 450 ms budget"
    assert rows["Latency"]["matters_to_you"] is True
    rag_upfront = result["costs"]["options"]["rag"]["upfront_usd"]
    assert rows["Upfront cost"]["rag"].startswith(f"${rag_upfront:,.0f} to build")
    assert "20,000 calls" in rows["Per-query cost"]["rag"]


def test_permissions_matter_unless_every_user_may_see_the_same_data():
    def row(answers: dict) -> dict:
        rows = {r["dimension"]: r for r in assess(answers)["tradeoffs"]}
        return rows["Permission-aware access"]

    assert row({**BASE, "per_user_permissions": True})["matters_to_you"]
    assert row(BASE)["matters_to_you"]
    assert row(BASE)["why"] == "Not known yet whether different users see different data."
    told = row({**BASE, "per_user_permissions": False, "sensitive_data": False})
    assert not told["matters_to_you"]


def test_every_rule_and_gate_explanation_fills_in_without_gaps():
    from advisor.engine import validate_answers
    from advisor.engine.assess import _fill, template_context
    from advisor.engine.decision import decide
    from advisor.engine.rules import GATES, RULES

    answers = validate_answers({**BASE, "labeled_examples": 700, "label_quality": "clean"})
    context = template_context(answers, decide(answers))
    for item in (*RULES, *GATES):
        text = _fill(item.explanation, item.question, context)
        assert "{" not in text and "}" not in text
        assert text.endswith((".", "?"))


def test_a_fine_tuning_plan_retrains_the_model_the_founder_would_fine_tune():
    invoice = example("p02-invoice-extraction")
    steps = assess({**invoice, "fine_tune_model": "gpt-4.1-mini"})["roadmap"]
    assert "the gpt-4.1-mini-based model" in steps[-1]["action"]
    assert "the gpt-4o-mini-based model" in assess(invoice)["roadmap"][-1]["action"]


def test_the_tradeoff_table_marks_only_rows_the_answers_bear_on():
    def marked(answers: dict) -> set[str]:
        return {r["dimension"] for r in assess(answers)["tradeoffs"] if r["matters_to_you"]}

    calm = {
        **BASE,
        "needs_citations": False,
        "per_user_permissions": False,
        "sensitive_data": False,
        "error_cost": "medium",
        "ml_expertise": "some",
        "latency_budget_ms": 10_000,
    }
    rows = marked(calm)
    assert not {"Citations and auditability", "Hallucination control", "Maintenance"} & rows
    assert not {"Latency", "Permission-aware access"} & rows
    # Each answer that bears on a row marks it, and says why in its own words.
    assert "Citations and auditability" in marked({**calm, "needs_citations": True})
    assert "Hallucination control" in marked({**calm, "error_cost": "high"})
    assert "Maintenance" in marked({**calm, "ml_expertise": "none"})
    for row in assess({**calm, "needs_citations": True})["tradeoffs"]:
        if row["dimension"] == "Citations and auditability":
            assert row["why"] == "You need to show sources."
