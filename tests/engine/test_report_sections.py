import re

import pytest

from advisor.engine import APPROACH_LABELS, ENGINE_VERSION, QUESTIONS, SOURCES, assess
from advisor.engine.decision import rules_fingerprint

from .conftest import EXAMPLES

# Each engine version pins the fingerprint of the rules, weights and formulas it shipped with.
# Changing any of them means a new ENGINE_VERSION and a new line here.
FINGERPRINTS = {"2026.11.1": "92b038ca5fe97059"}

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
        "The rules, weights or cost formulas changed: bump ENGINE_VERSION and pin "
        f"{rules_fingerprint()} for it in FINGERPRINTS."
    )


def test_the_result_names_its_engine_version_and_approach_in_words():
    result = assess(BASE)
    assert result["engine_version"] == ENGINE_VERSION
    assert result["approach_label"] == APPROACH_LABELS[result["approach"]]
    assert set(result["scores"]) == set(APPROACH_LABELS)


def test_sources_are_cited_by_their_published_titles():
    titles = {s["title"] for s in SOURCES.values()}
    assert "RAG vs Fine-Tuning: Which Is Right for Your Product?" in titles
    assert "RAG vs Fine-Tuning - How to Actually Decide" in titles
    assert SOURCES["lee"]["author"] == "Seunghun Lee"
    assert SOURCES["cung"]["author"] == "Tyson Cung"
    result = assess(example("p05-hr-policies"))
    assert all(set(s) == {"key", "title", "author"} for s in result["sources"])


def test_assumptions_list_every_answer_left_to_its_default():
    result = assess(BASE)
    listed = {a["question"]: a for a in result["assumptions"]}
    omitted = {qid for qid, q in QUESTIONS.items() if q.has_default and qid not in BASE}
    assert set(listed) == omitted - {"label_quality"}
    assert listed["latency_budget_ms"] == {
        "question": "latency_budget_ms",
        "label": QUESTIONS["latency_budget_ms"].label,
        "value": 3_000,
        "display": "3,000 ms",
    }


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


def test_permissions_matter_only_to_those_who_have_them():
    def matters(answers: dict) -> bool:
        rows = {r["dimension"]: r for r in assess(answers)["tradeoffs"]}
        return rows["Permission-aware access"]["matters_to_you"]

    assert matters({**BASE, "per_user_permissions": True})
    assert not matters(BASE)


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
