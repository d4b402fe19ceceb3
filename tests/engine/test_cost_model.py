import math

import pytest

from advisor.engine import assess, validate_answers
from advisor.engine.catalog_data import PRICES_AS_OF
from advisor.engine.costs import (
    FIGURE_INPUTS,
    OptionFigures,
    break_even,
    cost_report,
    data_prep_hours,
    option_figures,
    volume_points,
)
from advisor.engine.prices import base_price, fine_tune_terms

GPT4O = {
    "problem_type": "both",
    "data_change_frequency": "monthly",
    "needs_citations": False,
    "labeled_examples": 2_000,
    "label_quality": "clean",
    "monthly_queries": 1_000_000,
    "model": "gpt-4o",
    "avg_input_tokens": 500,
    "avg_output_tokens": 300,
    "retrieved_context_tokens": 2_000,
    "corpus_documents": 1_000,
    "tokens_per_example": 800,
    "training_epochs": 3,
    "retrains_per_year": 4,
    "engineer_hourly_usd": 100,
    "horizon_months": 12,
}


def costs_for(**changes) -> dict:
    return cost_report(validate_answers({**GPT4O, **changes}))


def item(option: dict, label_start: str) -> dict:
    return next(i for i in option["breakdown"] if i["label"].startswith(label_start))


def test_per_token_prices_come_from_genai_prices():
    assert (base_price("gpt-4o").input_per_mtok, base_price("gpt-4o").output_per_mtok) == (2.5, 10)
    tuned = fine_tune_terms("gpt-4o").inference
    assert (tuned.input_per_mtok, tuned.output_per_mtok) == (3.75, 15)
    mini = fine_tune_terms("gpt-4o-mini").inference
    assert (mini.input_per_mtok, mini.output_per_mtok) == (0.30, 1.20)
    assert "genai-prices" in tuned.source


def test_price_lookups_are_cached_per_model():
    base_price("gpt-4o")
    hits = base_price.cache_info().hits
    base_price("gpt-4o")
    assert base_price.cache_info().hits == hits + 1


def test_a_million_base_gpt4o_calls_cost_4250_a_month():
    # 1,000,000 x (500 x $2.50 + 300 x $10) / 1M = $1,250 + $3,000
    prompting = costs_for()["options"]["prompt_engineering"]
    assert item(prompting, "Model calls")["amount_usd"] == 4_250.00
    assert prompting["per_query_usd"] == pytest.approx(0.00425)


def test_a_million_fine_tuned_gpt4o_calls_cost_6375_a_month():
    # 1,000,000 x (500 x $3.75 + 300 x $15) / 1M = $1,875 + $4,500
    tuned = costs_for()["options"]["fine_tuning"]
    assert item(tuned, "Model calls")["amount_usd"] == 6_375.00
    assert tuned["per_query_usd"] == pytest.approx(0.006375)


def test_a_training_run_costs_examples_times_tokens_times_epochs_at_25_per_million():
    run = item(costs_for()["options"]["fine_tuning"], "First training run")
    assert run["amount_usd"] == 2_000 * 800 * 3 * 25 / 1e6 == 120.0
    assert "$25.00/1M" in run["basis"]


def test_gpt4o_mini_trains_at_3_per_million():
    run = item(costs_for(model="gpt-4o-mini")["options"]["fine_tuning"], "First training run")
    assert run["amount_usd"] == pytest.approx(2_000 * 800 * 3 * 3 / 1e6)


def test_retrieval_sends_the_retrieved_context_and_embeds_each_query():
    rag = costs_for()["options"]["rag"]
    # (500 + 2,000) x $2.50 + 300 x $10, plus 500 query tokens at $0.02 per 1M
    assert rag["per_query_usd"] == pytest.approx((2_500 * 2.5 + 300 * 10 + 500 * 0.02) / 1e6)


def test_the_hybrid_pays_fine_tuned_rates_on_the_retrieved_context():
    hybrid = costs_for()["options"]["hybrid"]
    assert hybrid["per_query_usd"] == pytest.approx((2_500 * 3.75 + 300 * 15 + 500 * 0.02) / 1e6)


def test_the_break_even_matches_the_formula_worked_by_hand():
    rag_per_query = (2_500 * 2.5 + 300 * 10 + 500 * 0.02) / 1e6  # 0.00926
    ft_per_query = (500 * 3.75 + 300 * 15) / 1e6  # 0.006375
    rag_upfront = 20 * 100 + 1_000 * 1_000 * 0.02 / 1e6  # build hours + embedding the corpus
    ft_upfront = 40 * 100 + 16 * 100 + 120  # reviewed data prep + setup + first run
    rag_fixed = 4 * 100 + 1_000 * 1_000 * 0.02 / 1e6  # upkeep + monthly re-embedding
    ft_fixed = 4 * (120 + 8 * 100) / 12  # retrains spread monthly
    by_hand = ((ft_upfront - rag_upfront) + (ft_fixed - rag_fixed) * 12) / (
        (rag_per_query - ft_per_query) * 12
    )
    assert by_hand == pytest.approx(2_599.74 / 0.03462, rel=1e-6)  # about 75,094
    assert costs_for()["break_even_monthly_queries"] == math.ceil(by_hand)


def test_at_the_break_even_both_totals_are_equal():
    at = costs_for()["break_even_monthly_queries"]
    below, above = costs_for(monthly_queries=at - 1_000), costs_for(monthly_queries=at + 1_000)
    assert below["options"]["rag"]["total_usd"] < below["options"]["fine_tuning"]["total_usd"]
    assert above["options"]["rag"]["total_usd"] > above["options"]["fine_tuning"]["total_usd"]


def test_there_is_no_break_even_when_a_fine_tuned_call_costs_more():
    assert costs_for(retrieved_context_tokens=0)["break_even_monthly_queries"] is None


def test_the_break_even_is_zero_when_fine_tuning_is_cheaper_at_every_volume():
    figures = {
        "rag": OptionFigures(upfront=5_000, fixed_monthly=500, per_query=0.01),
        "fine_tuning": OptionFigures(upfront=1_000, fixed_monthly=100, per_query=0.001),
    }
    assert break_even(figures, 12) == 0


@pytest.mark.parametrize("name", ["prompt_engineering", "rag", "fine_tuning", "hybrid"])
def test_total_is_upfront_plus_horizon_times_monthly(name):
    option = costs_for(horizon_months=18)["options"][name]
    assert option["total_usd"] == pytest.approx(
        option["upfront_usd"] + 18 * option["monthly_usd"], abs=0.02
    )


@pytest.mark.parametrize("name", ["prompt_engineering", "rag", "fine_tuning", "hybrid"])
def test_the_line_items_add_up_and_each_names_its_source(name):
    option = costs_for(corpus_documents=500_000)["options"][name]
    for kind, field in (("upfront", "upfront_usd"), ("monthly", "monthly_usd")):
        total = sum(i["amount_usd"] for i in option["breakdown"] if i["kind"] == kind)
        assert total == pytest.approx(option[field], abs=0.05)
    for line in option["breakdown"]:
        assert line["label"] and line["basis"] and line["source"]


def test_small_corpora_need_no_paid_vector_store():
    rag = costs_for(corpus_documents=100_000)["options"]["rag"]
    assert item(rag, "Vector store")["amount_usd"] == 0


def test_a_managed_vector_store_costs_at_least_50_a_month_and_grows_with_the_corpus():
    assert (
        item(costs_for(corpus_documents=100_001)["options"]["rag"], "Vector store")["amount_usd"]
        == 50
    )
    huge = item(costs_for(corpus_documents=1_000_000_000)["options"]["rag"], "Vector store")
    assert huge["amount_usd"] == pytest.approx(1e9 * 16_000 / 1e9 * 0.33)


def test_data_preparation_stays_within_the_published_40_to_100_hours():
    assert data_prep_hours(0, "none") == 100
    assert data_prep_hours(5_000, "clean") == 40
    assert data_prep_hours(5_000, "noisy") == 70
    assert data_prep_hours(50_000, "none") == 100


def test_too_few_examples_are_priced_at_the_minimum_and_say_so():
    run = item(costs_for(labeled_examples=0)["options"]["fine_tuning"], "First training run")
    assert run["amount_usd"] == pytest.approx(500 * 800 * 3 * 25 / 1e6)
    assert "500-example minimum, you have 0" in run["basis"]


def test_a_model_the_catalog_cannot_fine_tune_is_priced_on_the_nearest_and_says_so():
    costs = costs_for(model="claude-sonnet-4-5")
    assert costs["fine_tuning_model"] == "gpt-4o"
    run = item(costs["options"]["fine_tuning"], "First training run")
    assert "claude-sonnet-4-5 has no fine-tuning price in the catalog" in run["basis"]
    assert costs_for(model="gpt-5-nano")["fine_tuning_model"] == "gpt-4o-mini"


def test_prices_are_dated():
    result = assess({**GPT4O})
    assert result["prices_as_of"] == result["costs"]["prices_as_of"] == PRICES_AS_OF


def test_the_cumulative_curve_runs_from_upfront_to_total():
    costs = costs_for(horizon_months=6)
    curve = costs["curves"]["cumulative"]
    assert curve["months"] == [0, 1, 2, 3, 4, 5, 6]
    for name, series in curve["series"].items():
        assert series[0] == costs["options"][name]["upfront_usd"]
        assert series[-1] == pytest.approx(costs["options"][name]["total_usd"], abs=0.05)


def test_the_volume_curve_spans_well_below_and_above_your_volume_and_the_break_even():
    costs = costs_for(monthly_queries=20_000)
    curve = costs["curves"]["volume"]
    volumes = curve["monthly_queries"]
    at = costs["break_even_monthly_queries"]
    assert 20 <= len(volumes) <= 25 and volumes == sorted(set(volumes))
    assert volumes[0] <= 20_000 / 50 and volumes[-1] >= at * 50
    assert curve["break_even"] == at and curve["your_volume"] == 20_000
    assert all(len(s) == len(volumes) for s in curve["series"].values())


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
        answers = _Recorder(validate_answers({**GPT4O, "labeled_examples": labeled}))
        option_figures(answers)
        assert answers.read == FIGURE_INPUTS
