"""The cost model: what each approach costs to build and to run, and where it breaks even.

All figures are plain arithmetic on the answers, per-token prices from genai-prices and the
dated catalog in catalog_data. `option_figures` gives the numbers alone (the decision reads it
many times); `cost_report` adds the line items, break-even and chart series for the report.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import catalog_data as cat
from .prices import FineTuneTerms, TokenPrice, base_price, fine_tune_terms
from .rules import LABEL_FLOOR
from .sources import APPROACHES
from .text import money, whole

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"


@dataclass(frozen=True)
class OptionFigures:
    upfront: float
    fixed_monthly: float  # everything monthly except per-call inference
    per_query: float

    def monthly(self, monthly_queries: float) -> float:
        return self.fixed_monthly + monthly_queries * self.per_query

    def total(self, monthly_queries: float, months: int) -> float:
        return self.upfront + months * self.monthly(monthly_queries)


@dataclass(frozen=True)
class _Quantities:
    """Every intermediate quantity, computed once and shared by the numbers and the text."""

    base: TokenPrice
    tuned: FineTuneTerms
    rate: float
    call_base: float
    call_rag: float
    call_tuned: float
    call_hybrid: float
    query_embedding: float
    corpus_tokens: float
    corpus_embedding: float
    reindex_per_month: float
    reindex_monthly: float
    vector_monthly: float
    rag_build: float
    rag_upkeep: float
    prompt_build: float
    train_examples: int
    prep_hours: float
    ft_prep: float
    ft_setup: float
    training_run: float
    retrain_monthly: float


def _embedding(tokens: float) -> float:
    return tokens * cat.EMBEDDING_USD_PER_MTOK.value / 1e6


def _vector_monthly(documents: int) -> float:
    if documents <= cat.SELF_HOSTED_VECTOR_LIMIT.value:
        return 0.0
    gigabytes = documents * cat.VECTOR_BYTES_PER_DOCUMENT.value / 1e9
    return max(
        cat.MANAGED_VECTOR_MINIMUM_USD.value,
        gigabytes * cat.MANAGED_VECTOR_USD_PER_GB_MONTH.value,
    )


def data_prep_hours(labeled_examples: int, label_quality: str) -> float:
    """Hours to get a training set ready, within the published 40-100 hour range.

    Reviewed examples need only formatting, splitting and spot checks: the low end. Unreviewed
    or noisy ones need cleaning that grows with their number, reaching the top of the range at
    FT_DATA_PREP_FULL_AT examples. Fewer than the minimum means writing examples from scratch:
    the top of the range.
    """
    low, high = cat.FT_DATA_PREP_HOURS_MIN.value, cat.FT_DATA_PREP_HOURS_MAX.value
    if labeled_examples < LABEL_FLOOR:
        return high
    if label_quality == "clean":
        return low
    return low + (high - low) * min(1.0, labeled_examples / cat.FT_DATA_PREP_FULL_AT.value)


def _prep_basis(a: Mapping[str, Any]) -> str:
    if a["labeled_examples"] < LABEL_FLOOR:
        return f"collect and label {whole(LABEL_FLOOR)} examples from scratch: the top of the range"
    if a["label_quality"] == "clean":
        return "reviewed examples need formatting, splitting and spot checks: the low end"
    return f"clean and validate {whole(a['labeled_examples'])} unreviewed or noisy examples"


# The answers the figures below are computed from; a what-if that changes none of them reuses
# the figures it already has.
FIGURE_INPUTS = frozenset(
    {
        "model",
        "engineer_hourly_usd",
        "avg_input_tokens",
        "avg_output_tokens",
        "retrieved_context_tokens",
        "corpus_documents",
        "data_change_frequency",
        "labeled_examples",
        "label_quality",
        "tokens_per_example",
        "training_epochs",
        "retrains_per_year",
    }
)


def _quantities(a: Mapping[str, Any]) -> _Quantities:
    base = base_price(a["model"])
    tuned = fine_tune_terms(a["model"])
    rate = float(a["engineer_hourly_usd"])
    prompt_in, out, context = (
        a["avg_input_tokens"],
        a["avg_output_tokens"],
        a["retrieved_context_tokens"],
    )
    query_embedding = _embedding(prompt_in)
    corpus_tokens = a["corpus_documents"] * cat.TOKENS_PER_DOCUMENT.value
    reindex_per_month = cat.REINDEX_PER_MONTH[a["data_change_frequency"]]
    train_examples = max(a["labeled_examples"], LABEL_FLOOR)
    prep_hours = data_prep_hours(a["labeled_examples"], a["label_quality"])
    training_tokens = train_examples * a["tokens_per_example"] * a["training_epochs"]
    training_run = training_tokens * tuned.training_usd_per_mtok / 1e6
    retrain_each = training_run + cat.FT_RETRAIN_HOURS.value * rate
    return _Quantities(
        base=base,
        tuned=tuned,
        rate=rate,
        call_base=base.per_call(prompt_in, out),
        call_rag=base.per_call(prompt_in + context, out) + query_embedding,
        call_tuned=tuned.inference.per_call(prompt_in, out),
        call_hybrid=tuned.inference.per_call(prompt_in + context, out) + query_embedding,
        query_embedding=query_embedding,
        corpus_tokens=corpus_tokens,
        corpus_embedding=_embedding(corpus_tokens),
        reindex_per_month=reindex_per_month,
        reindex_monthly=_embedding(corpus_tokens) * reindex_per_month,
        vector_monthly=_vector_monthly(a["corpus_documents"]),
        rag_build=cat.RAG_BUILD_HOURS.value * rate,
        rag_upkeep=cat.RAG_UPKEEP_HOURS_PER_MONTH.value * rate,
        prompt_build=cat.PROMPT_BUILD_HOURS.value * rate,
        train_examples=train_examples,
        prep_hours=prep_hours,
        ft_prep=prep_hours * rate,
        ft_setup=cat.FT_SETUP_HOURS.value * rate,
        training_run=training_run,
        retrain_monthly=a["retrains_per_year"] * retrain_each / 12,
    )


def _figures(q: _Quantities) -> dict[str, OptionFigures]:
    rag_fixed = q.vector_monthly + q.reindex_monthly + q.rag_upkeep
    rag_upfront = q.rag_build + q.corpus_embedding
    ft_upfront = q.ft_prep + q.ft_setup + q.training_run
    return {
        P: OptionFigures(q.prompt_build, 0.0, q.call_base),
        R: OptionFigures(rag_upfront, rag_fixed, q.call_rag),
        H: OptionFigures(rag_upfront + ft_upfront, rag_fixed + q.retrain_monthly, q.call_hybrid),
        F: OptionFigures(ft_upfront, q.retrain_monthly, q.call_tuned),
    }


def option_figures(answers: Mapping[str, Any]) -> dict[str, OptionFigures]:
    """Upfront, fixed monthly and per-call cost of each approach."""
    return _figures(_quantities(answers))


def break_even(figures: Mapping[str, OptionFigures], months: int) -> float | None:
    """Monthly calls above which fine-tuning's total over `months` drops below retrieval's.

    q* = ((upfront_ft - upfront_rag) + (fixed_ft - fixed_rag) x months)
         / ((per_query_rag - per_query_ft) x months)

    None when a fine-tuned call costs no less than a retrieval call (the gap never closes);
    0 when fine-tuning is cheaper at every volume.
    """
    ft, rag = figures[F], figures[R]
    saving_per_query = (rag.per_query - ft.per_query) * months
    if saving_per_query <= 0:
        return None
    extra = (ft.upfront - rag.upfront) + (ft.fixed_monthly - rag.fixed_monthly) * months
    return max(0.0, extra / saving_per_query)


# The report


def _per_million(price: float) -> str:
    return f"${price:,.2f}/1M" if price >= 0.01 else f"${price:g}/1M"


def _call_basis(price: TokenPrice, prompt: str, output: int) -> str:
    return (
        f"{prompt} tokens in at {_per_million(price.input_per_mtok)} + {whole(output)} out at "
        f"{_per_million(price.output_per_mtok)}"
    )


def _item(label: str, amount: float, kind: str, basis: str, source: str) -> dict[str, Any]:
    return {
        "label": label,
        "amount_usd": round(amount, 2),
        "kind": kind,
        "basis": basis,
        "source": source,
    }


def _hours_item(label: str, hours: float, rate: float, kind: str, source: str) -> dict[str, Any]:
    return _item(label, hours * rate, kind, f"{whole(hours)} hours x {money(rate)}/hour", source)


def _inference_item(
    a: Mapping[str, Any], per_call: float, price: TokenPrice, with_context: bool, embed: float
) -> dict[str, Any]:
    prompt = whole(a["avg_input_tokens"])
    if with_context:
        prompt = f"({prompt} + {whole(a['retrieved_context_tokens'])} retrieved)"
    basis = _call_basis(price, prompt, a["avg_output_tokens"])
    if embed:
        basis += f" + query embedding {money(embed)}"
    basis = f"{whole(a['monthly_queries'])} calls x {money(per_call)} per call ({basis})"
    return _item(
        f"Model calls on {price.model}",
        a["monthly_queries"] * per_call,
        "monthly",
        basis,
        price.source,
    )


def _retrieval_items(a: Mapping[str, Any], q: _Quantities) -> list[dict[str, Any]]:
    docs = a["corpus_documents"]
    tokens = f"{whole(docs)} documents x {whole(cat.TOKENS_PER_DOCUMENT.value)} tokens"
    if q.vector_monthly:
        store_basis = (
            f"{whole(docs)} documents x {whole(cat.VECTOR_BYTES_PER_DOCUMENT.value)} bytes at "
            f"{money(cat.MANAGED_VECTOR_USD_PER_GB_MONTH.value)}/GB-month, at least "
            f"{money(cat.MANAGED_VECTOR_MINIMUM_USD.value)} (read and write units not included)"
        )
        store_source = (
            f"{cat.MANAGED_VECTOR_MINIMUM_USD.source}; {cat.MANAGED_VECTOR_USD_PER_GB_MONTH.source}"
        )
    else:
        store_basis = (
            f"{whole(docs)} documents fit in a vector column of the database you already run "
            f"(up to {whole(cat.SELF_HOSTED_VECTOR_LIMIT.value)})"
        )
        store_source = cat.SELF_HOSTED_VECTOR_LIMIT.source
    embed_rate = f"{_per_million(cat.EMBEDDING_USD_PER_MTOK.value)} ({cat.EMBEDDING_MODEL})"
    return [
        _hours_item(
            "Build the retrieval pipeline",
            cat.RAG_BUILD_HOURS.value,
            q.rate,
            "upfront",
            cat.RAG_BUILD_HOURS.source,
        ),
        _item(
            "Embed the corpus once",
            q.corpus_embedding,
            "upfront",
            f"{tokens} at {embed_rate}",
            f"{cat.EMBEDDING_USD_PER_MTOK.source}; {cat.TOKENS_PER_DOCUMENT.source}",
        ),
        _item("Vector store hosting", q.vector_monthly, "monthly", store_basis, store_source),
        _item(
            "Re-embed changed documents",
            q.reindex_monthly,
            "monthly",
            f"{tokens} x {q.reindex_per_month:.2f} refreshes a month at {embed_rate} "
            "(whole corpus each time: an upper bound)",
            cat.EMBEDDING_USD_PER_MTOK.source,
        ),
        _hours_item(
            "Index upkeep and evaluation",
            cat.RAG_UPKEEP_HOURS_PER_MONTH.value,
            q.rate,
            "monthly",
            cat.RAG_UPKEEP_HOURS_PER_MONTH.source,
        ),
    ]


def _training_items(a: Mapping[str, Any], q: _Quantities) -> list[dict[str, Any]]:
    t = q.tuned
    examples = whole(q.train_examples)
    have = a["labeled_examples"]
    shortfall = ""
    if have < LABEL_FLOOR:
        shortfall = f"; priced at the {whole(LABEL_FLOOR)}-example minimum, you have {whole(have)}"
    trained_on = t.tuned_model
    if t.substituted:
        trained_on += (
            f" ({a['model']} has no fine-tuning price in the catalog; priced on {t.tuned_model}, "
            "the fine-tunable model closest in price)"
        )
    run_basis = (
        f"{examples} examples x {whole(a['tokens_per_example'])} tokens x "
        f"{whole(a['training_epochs'])} epochs at {_per_million(t.training_usd_per_mtok)} "
        f"on {trained_on}{shortfall}"
    )
    retrains = a["retrains_per_year"]
    retrain_basis = (
        f"{whole(retrains)} retrains a year x ({money(q.training_run)} training + "
        f"{whole(cat.FT_RETRAIN_HOURS.value)} hours x {money(q.rate)}) / 12"
    )
    return [
        _item(
            "Prepare and review training data",
            q.ft_prep,
            "upfront",
            f"{whole(round(q.prep_hours, 1))} hours x {money(q.rate)}/hour to "
            f"{_prep_basis(a)} (teams often underestimate this 5-10x)",
            cat.FT_DATA_PREP_HOURS_MIN.source + "; " + cat.FT_DATA_PREP_FULL_AT.source,
        ),
        _hours_item(
            "Set up training and evaluation",
            cat.FT_SETUP_HOURS.value,
            q.rate,
            "upfront",
            cat.FT_SETUP_HOURS.source,
        ),
        _item("First training run", q.training_run, "upfront", run_basis, t.training_source),
        _item(
            "Retraining, spread monthly",
            q.retrain_monthly,
            "monthly",
            retrain_basis,
            f"{t.training_source}; {cat.FT_RETRAIN_HOURS.source}",
        ),
    ]


def _breakdowns(a: Mapping[str, Any], q: _Quantities) -> dict[str, list[dict[str, Any]]]:
    retrieval = _retrieval_items(a, q)
    training = _training_items(a, q)
    tuned_price = q.tuned.inference
    return {
        P: [
            _hours_item(
                "Prompt and evaluation set",
                cat.PROMPT_BUILD_HOURS.value,
                q.rate,
                "upfront",
                cat.PROMPT_BUILD_HOURS.source,
            ),
            _inference_item(a, q.call_base, q.base, False, 0.0),
        ],
        R: [*retrieval, _inference_item(a, q.call_rag, q.base, True, q.query_embedding)],
        H: [
            *retrieval,
            *training,
            _inference_item(a, q.call_hybrid, tuned_price, True, q.query_embedding),
        ],
        F: [*training, _inference_item(a, q.call_tuned, tuned_price, False, 0.0)],
    }


def _nice(value: float) -> int:
    """Round to two significant figures, at least 1."""
    if value < 1:
        return 1
    scale = 10 ** max(0, math.floor(math.log10(value)) - 1)
    return int(round(value / scale) * scale)


def volume_points(your_volume: int, break_even_at: float | None, count: int = 25) -> list[int]:
    """Log-spaced monthly volumes from well below to well above both anchors."""
    anchors = [v for v in (your_volume, break_even_at) if v]
    low = max(1.0, min(anchors, default=1_000) / 100)
    high = max(max(anchors, default=1_000) * 100, low * 100)
    step = (high / low) ** (1 / (count - 1))
    return sorted({_nice(low * step**i) for i in range(count)})


def _curves(
    a: Mapping[str, Any], figures: Mapping[str, OptionFigures], break_even_at: float | None
) -> dict[str, Any]:
    months = a["horizon_months"]
    volume = a["monthly_queries"]
    volumes = volume_points(volume, break_even_at)
    return {
        "cumulative": {
            "months": list(range(months + 1)),
            "series": {
                name: [round(f.upfront + m * f.monthly(volume), 2) for m in range(months + 1)]
                for name, f in figures.items()
            },
        },
        "volume": {
            "monthly_queries": volumes,
            "series": {
                name: [round(f.total(v, months), 2) for v in volumes] for name, f in figures.items()
            },
            "break_even": _rounded_break_even(break_even_at),
            "your_volume": volume,
        },
    }


def _rounded_break_even(value: float | None) -> int | None:
    return None if value is None else math.ceil(value)


def cost_report(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The costs section of a result: options with line items, break-even and chart series."""
    q = _quantities(answers)
    figures = _figures(q)
    months = answers["horizon_months"]
    volume = answers["monthly_queries"]
    at = break_even(figures, months)
    breakdowns = _breakdowns(answers, q)
    options = {}
    for name in APPROACHES:
        f = figures[name]
        upfront, monthly = round(f.upfront, 2), round(f.monthly(volume), 2)
        options[name] = {
            "upfront_usd": upfront,
            "monthly_usd": monthly,
            "per_query_usd": round(f.per_query, 8),
            # From the rounded parts, so the published identity holds to the cent.
            "total_usd": round(upfront + months * monthly, 2),
            "breakdown": breakdowns[name],
        }
    return {
        "currency": "USD",
        "horizon_months": months,
        "monthly_queries": volume,
        "model": answers["model"],
        "fine_tuning_model": q.tuned.tuned_model,
        "options": options,
        "break_even_monthly_queries": _rounded_break_even(at),
        "prices_as_of": cat.PRICES_AS_OF,
        "curves": _curves(answers, figures, at),
    }
