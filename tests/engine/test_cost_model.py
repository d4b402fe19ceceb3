"""The cost model pinned to worked examples computed by hand (prices per 1M tokens)."""

import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from advisor.engine import validate_answers
from advisor.engine.costs import (
    FIGURE_INPUTS,
    OptionFigures,
    break_even,
    cost_report,
    cost_sources,
    crossover,
    data_prep_hours,
    estimated_inputs,
    option_figures,
    volume_points,
)
from advisor.engine.prices import base_price, can_fine_tune, fine_tune_terms, is_stale

from .conftest import load_schema

ROOT = Path(__file__).resolve().parents[2]

BASE = {
    "problem_type": "behavior",
    "data_change_frequency": "monthly",
    "needs_citations": False,
    "per_user_permissions": False,
    "sensitive_data": False,
    "labeled_examples": 5_000,
    "label_quality": "clean",
    "monthly_queries": 2_000_000,
    "model": "gpt-4o-mini",
    "avg_input_tokens": 2_500,
    "avg_output_tokens": 300,
    "retrieved_context_tokens": 2_000,
    "corpus_documents": 1_000,
    "tokens_per_example": 800,
    "training_epochs": 3,
    "retrains_per_year": 4,
    "engineer_hourly_usd": 100,
    "horizon_months": 12,
}
V2_KEYS = {
    "fine_tune_model",
    "serving",
    "hosting_usd_per_hour",
    "prompt_instruction_tokens",
}


def answers(**changes) -> dict:
    """Validated answers; the v2 cost inputs ride along as the engine will pass them."""
    doc = {**BASE, **changes}
    extra = {k: doc.pop(k) for k in list(doc) if k in V2_KEYS}
    return {**validate_answers(doc), **extra}


def costs_for(approach="fine_tuning", recommend=None, **changes) -> dict:
    return cost_report(answers(**changes), approach, recommend)


def item(option: dict, label_start: str) -> dict:
    return next(i for i in option["breakdown"] if i["label"].startswith(label_start))


@pytest.fixture(scope="module")
def costs_validator() -> Draft202012Validator:
    schema = load_schema("result.schema.json")
    return Draft202012Validator({"$defs": schema["$defs"], **schema["properties"]["costs"]})


# Unit prices


def test_per_token_prices_come_from_the_snapshot_with_cached_rates():
    mini = base_price("gpt-4o-mini")
    assert (mini.input_per_mtok, mini.output_per_mtok, mini.cached_input_per_mtok) == (
        0.15,
        0.6,
        0.075,
    )
    assert mini.source == "genai-prices"
    tuned = fine_tune_terms("gpt-4o").inference
    assert (tuned.input_per_mtok, tuned.output_per_mtok, tuned.cached_input_per_mtok) == (
        3.75,
        15,
        None,
    )


def test_the_reviewed_table_prices_the_gpt41_family_and_rft():
    t = fine_tune_terms("gpt-4.1-mini")
    assert t.offer.training_usd_per_mtok == 5
    assert (t.inference.input_per_mtok, t.inference.cached_input_per_mtok) == (0.80, 0.20)
    assert t.inference.source == "openai-pricing"
    assert fine_tune_terms("o4-mini").offer.training_usd_per_hour == 100
    assert can_fine_tune("gpt-4.1-nano") and can_fine_tune("llama-v3p1-8b-instruct")
    assert not can_fine_tune("claude-sonnet-4-5")


def test_a_model_that_cannot_be_tuned_is_priced_on_the_nearest_and_says_so():
    costs = costs_for(model="claude-sonnet-4-5")
    assert costs["fine_tune_model"] == "gpt-4o"  # $3 input: gpt-4o's $2.50 is closest
    assert costs["fine_tune_model_chosen"] == "nearest"
    run = item(costs["options"]["fine_tuning"], "First training run")
    assert "claude-sonnet-4-5 cannot be fine-tuned" in run["note"]
    assert costs_for(model="gpt-5-nano")["fine_tune_model"] == "gpt-4.1-nano"


def test_loading_prices_never_imports_genai_prices():
    code = (
        "import sys, time; t = time.perf_counter();"
        "from advisor.engine.prices import base_price, known_models;"
        "base_price('gpt-4o'); n = len(known_models());"
        "assert 'genai_prices' not in sys.modules, 'genai_prices imported';"
        "print(n, time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    count, seconds = out.stdout.split()
    assert int(count) > 1_000
    assert float(seconds) < 0.25


def test_the_committed_snapshot_matches_what_the_refresh_script_builds():
    out = subprocess.run(
        [sys.executable, "scripts/refresh_prices.py", "--as-of", "2026-10-14", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_prices_older_than_90_days_are_stale():
    from datetime import date

    assert not is_stale("2026-10-14", today=date(2027, 1, 12))  # 90 days
    assert is_stale("2026-10-14", today=date(2027, 1, 13))


# Worked examples


def test_prompted_calls_bill_the_instruction_prefix_at_the_cached_rate():
    # 300 x $0.15 + 2,200 cached x $0.075 + 300 out x $0.60 = $0.00039 a call
    costs = costs_for(prompt_instruction_tokens=2_200)
    prompting = costs["options"]["prompt_engineering"]
    assert prompting["per_query_usd"] == pytest.approx(0.00039)
    calls = item(prompting, "Model calls")
    assert calls["amount_usd"] == 780.0  # 2,000,000 x $0.00039
    assert "2,200 cached instruction tokens at $0.075 per 1M" in calls["basis"]


def test_fine_tuned_calls_drop_the_instruction_tokens():
    # The old model billed 2,500 tokens at $0.30: $0.00111 a call. Without the 2,200 instruction
    # tokens: 300 x $0.30 + 300 x $1.20 = $0.00045.
    tuned = costs_for(prompt_instruction_tokens=2_200)["options"]["fine_tuning"]
    assert tuned["per_query_usd"] == pytest.approx(0.00045)
    assert item(tuned, "Model calls")["amount_usd"] == 900.0


def test_removing_2200_instruction_tokens_makes_a_tuned_gpt4o_call_cheaper():
    # Prompted: 300 x $2.50 + 2,200 x $1.25 + 300 x $10 = $0.0065
    # Tuned:    300 x $3.75 + 300 x $15 = $0.005625
    options = costs_for(model="gpt-4o", prompt_instruction_tokens=2_200)["options"]
    assert options["prompt_engineering"]["per_query_usd"] == pytest.approx(0.0065)
    assert options["fine_tuning"]["per_query_usd"] == pytest.approx(0.005625)


def test_a_smaller_tuned_model_replaces_a_prompted_larger_one():
    costs = costs_for(
        model="gpt-4o", fine_tune_model="gpt-4.1-mini", prompt_instruction_tokens=2_200
    )
    tuned = costs["options"]["fine_tuning"]
    # 300 x $0.80 + 300 x $3.20 = $0.0012 a call
    assert tuned["per_query_usd"] == pytest.approx(0.0012)
    run = item(tuned, "First training run on gpt-4.1-mini")
    assert run["basis"] == "5,000 examples x 800 tokens x 3 epochs x $5.00 per 1M = $60"
    assert run["amount_usd"] == 60.0
    assert costs["fine_tune_model_chosen"] == "given"


def test_an_unknown_instruction_share_is_estimated_as_half_and_listed():
    a = answers()
    assert estimated_inputs(a) == {
        "prompt_instruction_tokens": 1_250,
        "fine_tune_model": "gpt-4o-mini",
    }
    assert "prompt_instruction_tokens" not in estimated_inputs(answers(prompt_instruction_tokens=0))


def test_a_170_an_hour_deployment_adds_1224_a_month():
    costs = costs_for(serving="dedicated_hourly", prompt_instruction_tokens=2_200)
    tuned = costs["options"]["fine_tuning"]
    hosting = item(tuned, "Hosting the fine-tuned deployment")
    assert hosting["amount_usd"] == 1_224.0  # 720 hours x $1.70
    assert hosting["basis"] == "720 hours x $1.70 an hour = $1,224"
    assert hosting["source"] == "azure-openai-pricing"
    serverless = costs_for(prompt_instruction_tokens=2_200)["options"]["fine_tuning"]
    assert tuned["monthly_usd"] == pytest.approx(serverless["monthly_usd"] + 1_224)
    assert estimated_inputs(answers(serving="dedicated_hourly"))["hosting_usd_per_hour"] == 1.70


def test_your_own_hourly_price_replaces_the_catalogs():
    tuned = costs_for(serving="dedicated_hourly", hosting_usd_per_hour=3)["options"]["fine_tuning"]
    assert item(tuned, "Hosting")["amount_usd"] == 2_160.0  # 720 x $3


def test_self_hosted_gpus_carry_no_token_charge_and_add_a_gpu_per_capacity():
    costs = costs_for(serving="self_hosted_gpu")
    assert costs["fine_tune_model"] == "llama-v3p1-8b-instruct"
    tuned = costs["options"]["fine_tuning"]
    assert tuned["per_query_usd"] == 0
    assert item(tuned, "GPU hours")["amount_usd"] == pytest.approx(720 * 2.41)
    # LoRA training: 5,000 x 800 x 3 x $0.50 per 1M = $6
    assert item(tuned, "First training run")["amount_usd"] == 6.0
    # One GPU: 1,000 tokens/s x 3,600 x 720 / 300 = 8,640,000 calls a month; 10M needs two.
    big = costs_for(serving="self_hosted_gpu", monthly_queries=10_000_000)
    gpus = item(big["options"]["fine_tuning"], "GPU hours")
    assert gpus["amount_usd"] == pytest.approx(2 * 720 * 2.41)
    assert gpus["basis"].startswith("2 GPUs x 720 hours")


def test_reinforcement_fine_tuning_is_billed_per_training_hour():
    run = item(costs_for(model="o4-mini", labeled_examples=500)["options"]["fine_tuning"], "First")
    # 500 examples x 3 epochs / 250 an hour = 6 hours x $100
    assert run["amount_usd"] == 600.0


def test_retrieval_pays_embeddings_store_and_retrieved_tokens():
    costs = costs_for(
        prompt_instruction_tokens=2_200, corpus_documents=200_000, data_change_frequency="weekly"
    )
    rag = costs["options"]["rag"]
    # (300 + 2,000) x $0.15 + 2,200 x $0.075 + 300 x $0.60 + 300 query tokens x $0.02
    assert rag["per_query_usd"] == pytest.approx((2_300 * 0.15 + 2_200 * 0.075 + 180 + 6) / 1e6)
    assert item(rag, "Embed the corpus")["amount_usd"] == 4.0  # 200M tokens x $0.02
    assert item(rag, "Re-embed")["amount_usd"] == pytest.approx(4 * 52 / 12, abs=0.01)
    assert item(rag, "Vector store")["amount_usd"] == 50  # 3.2 GB x $0.33 is under the minimum
    assert item(costs_for()["options"]["rag"], "Vector store")["amount_usd"] == 0  # pgvector


def test_a_corpus_that_fits_in_the_prompt_is_priced_as_cached_long_context():
    costs = costs_for(corpus_documents=100, prompt_instruction_tokens=2_200)
    long = costs["long_context"]
    assert long["fits"] and long["corpus_tokens"] == 100_000
    # 300 x $0.15 + (2,200 + 100,000) cached x $0.075 + 300 x $0.60
    assert long["per_query_usd"] == pytest.approx((45 + 102_200 * 0.075 + 180) / 1e6)
    assert not costs_for(corpus_documents=1_000)["long_context"]["fits"]


def test_data_preparation_stays_within_the_published_40_to_100_hours():
    assert data_prep_hours(0, "none") == 100
    assert data_prep_hours(5_000, "clean") == 40
    assert data_prep_hours(5_000, "noisy") == 70


# Sections of the costs object


def test_the_costs_section_matches_result_v2(costs_validator):
    for changes in (
        {},
        {"serving": "dedicated_hourly"},
        {"serving": "self_hosted_gpu", "monthly_queries": 0},
        {"model": "o4-mini", "corpus_documents": 500_000},
    ):
        costs = costs_for(recommend=lambda a: "rag", **changes)
        errors = sorted(costs_validator.iter_errors(costs), key=str)
        assert not errors, errors[0].message


@pytest.mark.parametrize("serving", ["serverless", "dedicated_hourly", "self_hosted_gpu"])
def test_line_items_add_up_and_show_their_arithmetic(serving):
    costs = costs_for(serving=serving, corpus_documents=500_000, horizon_months=18)
    keys = {s["key"] for s in cost_sources(costs)}
    for option in costs["options"].values():
        for kind, field in (("upfront", "upfront_usd"), ("monthly", "monthly_usd")):
            total = sum(i["amount_usd"] for i in option["breakdown"] if i["kind"] == kind)
            assert total == pytest.approx(option[field], abs=0.05)
        assert option["total_usd"] == pytest.approx(
            option["upfront_usd"] + 18 * option["monthly_usd"], abs=0.02
        )
        for line in option["breakdown"]:
            assert " x " in line["basis"] or "documents in pgvector" in line["basis"]
            assert "= $" in line["basis"]
            assert line["source"] in keys


def test_every_price_is_sourced_and_dated():
    costs = costs_for(serving="dedicated_hourly", corpus_documents=500_000)
    sources = {s["key"]: s for s in cost_sources(costs)}
    items = {p["item"] for p in costs["prices"]}
    assert {"fine-tuned gpt-4o-mini input tokens", "gpt-4o-mini training tokens"} <= items
    assert "Fine-tuned deployment hour" in items and "Managed vector store minimum" in items
    for price in costs["prices"]:
        source = sources[price["source"]]
        assert price["checked_on"]
        if source["kind"] == "pricing":
            assert source["url"].startswith("https://") and source["checked_on"]
    assert costs["prices_as_of"] == "2026-10-14" and costs["stale"] is False
    assert sources["cung"]["kind"] == "guidance"


def test_ranges_bracket_the_total_and_allow_for_underestimated_preparation():
    costs = costs_for()
    for option in costs["options"].values():
        assert option["total_low_usd"] <= option["total_usd"] <= option["total_high_usd"]
    tuned = costs["options"]["fine_tuning"]
    # The high end prepares data for 5 x 40 hours: at least $16,000 more than the total's $4,000.
    assert tuned["total_high_usd"] - tuned["total_usd"] >= 16_000
    band = costs["curves"]["cumulative"]
    assert band["low"]["rag"][-1] == pytest.approx(costs["options"]["rag"]["total_low_usd"], abs=1)
    assert band["high"]["rag"][-1] == pytest.approx(
        costs["options"]["rag"]["total_high_usd"], abs=1
    )


def test_sensitivity_lists_the_largest_swings_first_and_asks_the_engine_a_few_times():
    calls = []

    def recommend(changed):
        calls.append(changed)
        return "rag" if changed["monthly_queries"] > 3_000_000 else "fine_tuning"

    rows = costs_for(recommend=recommend)["sensitivity"]
    assert len(rows) >= 3 and len(calls) <= 8
    swings = [abs(r["total_high_usd"] - r["total_low_usd"]) for r in rows]
    assert swings == sorted(swings, reverse=True)
    volume = next(r for r in rows if r["question"] == "monthly_queries")
    assert (volume["low"], volume["high"]) == (1_000_000, 4_000_000)
    assert volume["approach_at_high"] == "rag" and volume["changes_recommendation"]
    assert rows[0]["total_high_usd"] > rows[0]["total_low_usd"]


def test_cheapest_break_even_and_budget():
    costs = costs_for(approach="fine_tuning", model="gpt-4o", prompt_instruction_tokens=2_200)
    options = costs["options"]
    assert costs["cheapest"] == min(options, key=lambda n: options[n]["total_usd"])
    be = costs["break_even"]
    assert be["approach"] == "fine_tuning" and be["against"] == "prompt_engineering"
    # Prompting: $1,600 upfront, $0.0065 a call; fine-tuning: $5,900 upfront, $366.67 a month
    # (4 x ($300 + $800) / 12), $0.005625 a call. Over 12 months they meet at
    # (4,300 + 4,400) / (12 x $0.000875) = 828,572 calls a month.
    assert be["monthly_queries"] == math.ceil((4_300 + 12 * 1_100 / 3) / (12 * 0.000875))
    assert be["cheaper_above"] is True
    tight = costs_for(upfront_budget_usd=3_000)["budget"]
    assert tight == {
        "upfront_budget_usd": 3_000,
        "upfront_usd": 5_636.0,
        "fits": False,
        "shortfall_usd": 2_636.0,
        "options_that_fit": ["prompt_engineering", "rag"],
    }


def test_not_launched_shows_the_build_cost_and_no_running_cost():
    costs = costs_for(monthly_queries=0, serving="dedicated_hourly")
    assert costs["not_launched"] is True
    for option in costs["options"].values():
        assert option["monthly_usd"] == 0 and option["total_usd"] == option["upfront_usd"]
    hosting = item(costs["options"]["fine_tuning"], "Hosting")
    assert hosting["amount_usd"] == 0 and hosting["basis"].startswith("not launched yet")
    assert "$1,224" in hosting["basis"]
    assert costs["options"]["fine_tuning"]["fixed_monthly_usd"] > 1_224


def test_the_break_even_formula_and_its_edges():
    figures = {
        "rag": OptionFigures(upfront=2_000, fixed_monthly=400, per_query=0.009),
        "fine_tuning": OptionFigures(upfront=5_700, fixed_monthly=300, per_query=0.006),
    }
    # ((5,700 - 2,000) + (300 - 400) x 12) / ((0.009 - 0.006) x 12) = 2,500 / 0.036
    assert break_even(figures, 12) == pytest.approx(2_500 / 0.036)
    assert crossover(figures["fine_tuning"], figures["rag"], 12) == pytest.approx(2_500 / 0.036)
    figures["fine_tuning"] = OptionFigures(upfront=1_000, fixed_monthly=100, per_query=0.001)
    assert break_even(figures, 12) == 0
    figures["fine_tuning"] = OptionFigures(upfront=1_000, fixed_monthly=100, per_query=0.01)
    assert break_even(figures, 12) is None


def test_volume_points_cope_with_zero_volume_and_no_break_even():
    points = volume_points(0, None)
    assert points[0] >= 1 and points == sorted(set(points))


class _Recorder(dict):
    """Answers that note which ones are read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


def test_the_cost_figures_read_only_the_answers_listed_as_their_inputs():
    for labeled in (0, 5_000):
        recorded = _Recorder(answers(labeled_examples=labeled, serving="dedicated_hourly"))
        option_figures(recorded)
        assert recorded.read == FIGURE_INPUTS


def test_a_cost_report_takes_about_a_millisecond():
    a = answers()
    cost_report(a, "fine_tuning", lambda changed: "fine_tuning")
    times = []
    for _ in range(50):
        start = time.perf_counter()
        cost_report(a, "fine_tuning", lambda changed: "fine_tuning")
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"cost_report median {median * 1e3:.2f} ms")
    assert median < 0.005
