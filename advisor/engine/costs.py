"""The cost model: what each approach costs to build and to run, and where it breaks even.

All figures are plain arithmetic on the answers and the unit prices in prices / catalog_data.
`option_figures` gives the numbers alone (the decision reads it many times); `cost_report`
builds the whole `costs` section of a result: line items whose basis is the arithmetic, ranges,
sensitivity, the comparisons and every unit price with its source and date.

Pricing in brief:
- A prompted call carries the whole prompt; its fixed instructions and worked examples are a
  repeated prefix, billed at the cached-input rate where the provider discounts one.
- A fine-tuned call no longer carries those instructions (`prompt_instruction_tokens`, half of
  the prompt when not given) and is billed at the tuned model's rates.
- Retrieval adds the retrieved tokens to each call, embeds each query, embeds the corpus once
  and again as often as the data changes, and pays for a vector store.
- Hourly serving adds a deployment (or GPUs) billed every hour of the month whether or not it
  gets traffic; self-hosted GPUs carry no per-token charge but one GPU serves only so many calls.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import catalog_data as cat
from .prices import (
    FineTuneTerms,
    TokenPrice,
    base_price,
    fine_tune_terms,
    is_stale,
    snapshot_as_of,
    suggested_models,
)
from .rules import LABEL_FLOOR
from .sources import APPROACHES, SOURCES
from .text import money, whole

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"
PREP_HOURS_KEY = "data_preparation_hours"  # an override the sensitivity rows pass, not a question
DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class OptionFigures:
    """One approach's costs. `fixed_monthly` includes one always-on deployment unit where the
    approach has one; each further unit (a GPU past the first one's capacity) adds
    `unit_monthly`."""

    upfront: float
    fixed_monthly: float  # everything monthly except per-call inference and extra units
    per_query: float
    unit_monthly: float = 0.0
    unit_capacity: float = math.inf  # calls a month one unit serves

    def units(self, monthly_queries: float) -> int:
        if not self.unit_monthly:
            return 0
        if math.isinf(self.unit_capacity):
            return 1
        return max(1, math.ceil(monthly_queries / self.unit_capacity))

    def monthly(self, monthly_queries: float) -> float:
        extra = max(0, self.units(monthly_queries) - 1) * self.unit_monthly
        return self.fixed_monthly + monthly_queries * self.per_query + extra

    def total(self, monthly_queries: float, months: int) -> float:
        return self.upfront + months * self.monthly(monthly_queries)

    @property
    def marginal_per_query(self) -> float:
        """Per-call cost with extra units spread over the calls they serve."""
        if self.unit_monthly and not math.isinf(self.unit_capacity):
            return self.per_query + self.unit_monthly / self.unit_capacity
        return self.per_query


@dataclass(frozen=True)
class _Quantities:
    """Every intermediate quantity, computed once and shared by the numbers and the text."""

    base: TokenPrice
    tuned: FineTuneTerms
    serving: str
    hourly: float  # deployment or GPU hour; 0 when serverless
    hourly_given: bool
    units: int  # deployments or GPUs at the founder's volume
    unit_capacity: float
    rate: float
    prompt_in: int
    instructions: int
    instructions_given: bool
    user_in: int
    out: int
    context: int
    volume: int
    call_base: float
    call_rag: float
    call_tuned: float
    call_hybrid: float
    tuned_per_token: bool
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
    training_tokens: float
    training_hours: float
    training_run: float
    retrain_monthly: float
    hosting_unit: float  # one deployment or GPU for a month


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


def _prep_note(a: Mapping[str, Any]) -> str:
    if a["labeled_examples"] < LABEL_FLOOR:
        why = f"collecting and labelling {whole(LABEL_FLOOR)} examples from scratch"
    elif a["label_quality"] == "clean":
        why = "reviewed examples need formatting, splitting and spot checks"
    else:
        why = f"{whole(a['labeled_examples'])} unreviewed or noisy examples need cleaning"
    return (
        f"The published range is 40-100 hours; {why}. Most teams underestimate data preparation "
        "by 5-10x, so the high end of the range allows five times this."
    )


# The answers the figures below are computed from; a what-if that changes none of them reuses
# the figures it already has.
FIGURE_INPUTS = frozenset(
    {
        "model",
        "fine_tune_model",
        "serving",
        "hosting_usd_per_hour",
        "engineer_hourly_usd",
        "avg_input_tokens",
        "prompt_instruction_tokens",
        "avg_output_tokens",
        "retrieved_context_tokens",
        "corpus_documents",
        "data_change_frequency",
        "labeled_examples",
        "label_quality",
        "tokens_per_example",
        "training_epochs",
        "retrains_per_year",
        PREP_HOURS_KEY,
    }
)


def instruction_tokens(a: Mapping[str, Any]) -> tuple[int, bool]:
    """Of each prompt, the fixed instructions and examples a fine-tuned model would not need,
    and whether the founder gave the figure (else it is estimated)."""
    prompt = a["avg_input_tokens"]
    given = a.get("prompt_instruction_tokens")
    if given is not None:
        return min(int(given), prompt), True
    return round(prompt * cat.INSTRUCTION_SHARE.value), False


def _serving(a: Mapping[str, Any]) -> str:
    return a.get("serving") or "serverless"


def _terms(a: Mapping[str, Any]) -> FineTuneTerms:
    return fine_tune_terms(
        a.get("model") or DEFAULT_MODEL,
        a.get("fine_tune_model"),
        _serving(a) == "self_hosted_gpu",
    )


def default_hourly(serving: str, tuned: FineTuneTerms) -> cat.Figure | None:
    """The catalog's hourly price for this way of serving, None when serverless."""
    if serving == "serverless":
        return None
    if serving == "dedicated_hourly" and not tuned.offer.open_weight:
        return cat.AZURE_FT_HOSTING_USD_PER_HOUR
    return cat.GPU_USD_PER_HOUR


def _gpu_capacity(output_tokens: int) -> float:
    tokens_a_month = cat.GPU_OUTPUT_TOKENS_PER_SECOND.value * 3600 * cat.HOURS_PER_MONTH
    return tokens_a_month / max(1, output_tokens)


def _quantities(a: Mapping[str, Any], volume: int = 0) -> _Quantities:
    """The figures read only FIGURE_INPUTS; `volume` (monthly calls) sizes GPU counts and the
    line items' call counts for the report."""
    model = a.get("model") or DEFAULT_MODEL
    base = base_price(model)
    tuned = _terms(a)
    serving = _serving(a)
    rate = float(a["engineer_hourly_usd"])
    prompt_in, out, context = (
        a["avg_input_tokens"],
        a["avg_output_tokens"],
        a["retrieved_context_tokens"],
    )
    instructions, instructions_given = instruction_tokens(a)
    user_in = prompt_in - instructions

    # Serving the tuned model.
    given_hourly = a.get("hosting_usd_per_hour")
    catalog_hourly = default_hourly(serving, tuned)
    hourly = 0.0
    if catalog_hourly is not None:
        hourly = float(given_hourly) if given_hourly is not None else catalog_hourly.value
    on_gpus = serving == "self_hosted_gpu" or (
        serving == "dedicated_hourly" and tuned.offer.open_weight
    )
    capacity = _gpu_capacity(out) if on_gpus else math.inf
    hosting_unit = hourly * cat.HOURS_PER_MONTH
    units = 0
    if hourly:
        units = 1 if math.isinf(capacity) else max(1, math.ceil(volume / capacity))
    tuned_per_token = not on_gpus

    query_embedding = _embedding(user_in)
    corpus_tokens = a["corpus_documents"] * cat.TOKENS_PER_DOCUMENT.value
    reindex_per_month = cat.REINDEX_PER_MONTH[a["data_change_frequency"]]
    train_examples = max(a["labeled_examples"], LABEL_FLOOR)
    prep_hours = a.get(PREP_HOURS_KEY)
    if prep_hours is None:
        prep_hours = data_prep_hours(a["labeled_examples"], a["label_quality"])
    training_tokens = train_examples * a["tokens_per_example"] * a["training_epochs"]
    training_hours = 0.0
    if tuned.offer.training_usd_per_hour is not None:
        training_hours = math.ceil(
            train_examples * a["training_epochs"] / cat.RFT_EXAMPLE_EPOCHS_PER_HOUR.value
        )
        training_run = training_hours * tuned.offer.training_usd_per_hour
    else:
        training_run = training_tokens * (tuned.offer.training_usd_per_mtok or 0) / 1e6
    retrain_each = training_run + cat.FT_RETRAIN_HOURS.value * rate
    tuned_price = tuned.inference
    return _Quantities(
        base=base,
        tuned=tuned,
        serving=serving,
        hourly=hourly,
        hourly_given=given_hourly is not None and catalog_hourly is not None,
        units=units,
        unit_capacity=capacity,
        rate=rate,
        prompt_in=prompt_in,
        instructions=instructions,
        instructions_given=instructions_given,
        user_in=user_in,
        out=out,
        context=context,
        volume=volume,
        call_base=base.per_call(user_in, out, instructions),
        call_rag=base.per_call(user_in + context, out, instructions) + query_embedding,
        call_tuned=tuned_price.per_call(user_in, out) if tuned_per_token else 0.0,
        call_hybrid=(tuned_price.per_call(user_in + context, out) if tuned_per_token else 0.0)
        + query_embedding,
        tuned_per_token=tuned_per_token,
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
        prep_hours=float(prep_hours),
        ft_prep=float(prep_hours) * rate,
        ft_setup=cat.FT_SETUP_HOURS.value * rate,
        training_tokens=training_tokens,
        training_hours=training_hours,
        training_run=training_run,
        retrain_monthly=a["retrains_per_year"] * retrain_each / 12,
        hosting_unit=hosting_unit,
    )


def _figures(q: _Quantities) -> dict[str, OptionFigures]:
    rag_fixed = q.vector_monthly + q.reindex_monthly + q.rag_upkeep
    rag_upfront = q.rag_build + q.corpus_embedding
    ft_upfront = q.ft_prep + q.ft_setup + q.training_run
    ft_fixed = q.retrain_monthly + q.hosting_unit
    unit = {"unit_monthly": q.hosting_unit, "unit_capacity": q.unit_capacity}
    return {
        P: OptionFigures(q.prompt_build, 0.0, q.call_base),
        R: OptionFigures(rag_upfront, rag_fixed, q.call_rag),
        H: OptionFigures(rag_upfront + ft_upfront, rag_fixed + ft_fixed, q.call_hybrid, **unit),
        F: OptionFigures(ft_upfront, ft_fixed, q.call_tuned, **unit),
    }


def option_figures(answers: Mapping[str, Any]) -> dict[str, OptionFigures]:
    """Upfront, fixed monthly and per-call cost of each approach."""
    return _figures(_quantities(answers))


def crossover(a: OptionFigures, b: OptionFigures, months: int) -> float | None:
    """The monthly volume at which `a` and `b` cost the same over `months`, or None where their
    totals never meet at a positive volume. Extra deployment units count as a per-call cost."""
    slope = (a.marginal_per_query - b.marginal_per_query) * months
    gap = (a.upfront - b.upfront) + (a.fixed_monthly - b.fixed_monthly) * months
    if slope == 0:
        return None
    at = -gap / slope
    return at if at > 0 else None


def break_even(figures: Mapping[str, OptionFigures], months: int) -> float | None:
    """Monthly calls above which fine-tuning's total over `months` drops below retrieval's.

    q* = ((upfront_ft - upfront_rag) + (fixed_ft - fixed_rag) x months)
         / ((per_query_rag - per_query_ft) x months)

    None when a fine-tuned call costs no less than a retrieval call (the gap never closes);
    0 when fine-tuning is cheaper at every volume.
    """
    ft, rag = figures[F], figures[R]
    saving_per_query = (rag.per_query - ft.marginal_per_query) * months
    if saving_per_query <= 0:
        return None
    extra = (ft.upfront - rag.upfront) + (ft.fixed_monthly - rag.fixed_monthly) * months
    return max(0.0, extra / saving_per_query)


# Line items


def _per_million(price: float) -> str:
    if round(price, 2) == price:
        return f"${price:,.2f} per 1M"
    return f"${price:g} per 1M"


def _dollars(amount: float) -> str:
    """A line's result: to the cent below $10,000 so the arithmetic checks exactly."""
    if 0.01 <= amount < 10_000 and not float(amount).is_integer():
        return f"${amount:,.2f}"
    return money(amount)


def _tokens(count: float) -> str:
    if count >= 1e6:
        return f"{count / 1e6:,.2f}".rstrip("0").rstrip(".") + "M"
    return whole(count)


def _item(
    label: str, amount: float, kind: str, basis: str, source: str, note: str = ""
) -> dict[str, Any]:
    out = {
        "label": label,
        "amount_usd": round(amount, 2),
        "kind": kind,
        "basis": f"{basis} = {_dollars(amount)}",
        "source": source,
    }
    if note:
        out["note"] = note
    return out


def _hours_item(
    label: str, hours: float, rate: float, kind: str, fig: cat.Figure
) -> dict[str, Any]:
    return _item(
        label,
        hours * rate,
        kind,
        f"{whole(hours)} hours x {money(rate)} an hour",
        fig.source,
        fig.note,
    )


def _call_parts(price: TokenPrice, fresh: int, cached: int, out: int) -> str:
    parts = [f"{whole(fresh)} tokens in at {_per_million(price.input_per_mtok)}"]
    if cached:
        if price.caches:
            parts.append(
                f"{whole(cached)} cached instruction tokens at "
                f"{_per_million(price.cached_input_per_mtok or 0)}"
            )
        else:
            parts.append(
                f"{whole(cached)} instruction tokens at {_per_million(price.input_per_mtok)}"
            )
    parts.append(f"{whole(out)} out at {_per_million(price.output_per_mtok)}")
    return " + ".join(parts)


def _calls_item(
    q: _Quantities, label: str, per_call: float, parts: str, source: str, note: str = ""
) -> dict[str, Any]:
    basis = f"{whole(q.volume)} calls x {money(per_call)} a call ({parts})"
    return _item(label, q.volume * per_call, "monthly", basis, source, note)


def _retrieval_items(a: Mapping[str, Any], q: _Quantities) -> list[dict[str, Any]]:
    docs = a["corpus_documents"]
    tokens = (
        f"{whole(docs)} documents x {whole(cat.TOKENS_PER_DOCUMENT.value)} tokens "
        f"= {_tokens(q.corpus_tokens)} tokens"
    )
    embed_rate = _per_million(cat.EMBEDDING_USD_PER_MTOK.value)
    if q.vector_monthly:
        gigabytes = docs * cat.VECTOR_BYTES_PER_DOCUMENT.value / 1e9
        by_size = gigabytes * cat.MANAGED_VECTOR_USD_PER_GB_MONTH.value
        store = _item(
            "Vector store",
            q.vector_monthly,
            "monthly",
            f"the larger of the {money(cat.MANAGED_VECTOR_MINIMUM_USD.value)} monthly minimum and "
            f"{whole(round(gigabytes, 2))} GB x "
            f"{money(cat.MANAGED_VECTOR_USD_PER_GB_MONTH.value)} per GB-month ({money(by_size)})",
            cat.MANAGED_VECTOR_MINIMUM_USD.source,
            "Pinecone Standard; read and write units are not included.",
        )
    else:
        store = _item(
            "Vector store",
            0.0,
            "monthly",
            f"{whole(docs)} documents in pgvector on the PostgreSQL you already run, "
            f"up to {whole(cat.SELF_HOSTED_VECTOR_LIMIT.value)}",
            cat.SELF_HOSTED_VECTOR_LIMIT.source,
            "No licence cost; a managed store would cost at least "
            f"{money(cat.MANAGED_VECTOR_MINIMUM_USD.value)} a month.",
        )
    return [
        _hours_item(
            "Build the retrieval pipeline",
            cat.RAG_BUILD_HOURS.value,
            q.rate,
            "upfront",
            cat.RAG_BUILD_HOURS,
        ),
        _item(
            "Embed the corpus once",
            q.corpus_embedding,
            "upfront",
            f"{tokens} x {embed_rate}",
            cat.EMBEDDING_USD_PER_MTOK.source,
            f"{cat.EMBEDDING_MODEL}; {cat.TOKENS_PER_DOCUMENT.note} (advisor estimate).",
        ),
        store,
        _item(
            "Re-embed the corpus as it changes",
            q.reindex_monthly,
            "monthly",
            f"{_tokens(q.corpus_tokens)} tokens x {q.reindex_per_month:.2f} refreshes a month x "
            f"{embed_rate}",
            cat.EMBEDDING_USD_PER_MTOK.source,
            "The whole corpus each time the data changes: an upper bound.",
        ),
        _hours_item(
            "Index upkeep and evaluation",
            cat.RAG_UPKEEP_HOURS_PER_MONTH.value,
            q.rate,
            "monthly",
            cat.RAG_UPKEEP_HOURS_PER_MONTH,
        ),
    ]


def _choice_note(a: Mapping[str, Any], q: _Quantities) -> str:
    t = q.tuned
    model = a.get("model") or DEFAULT_MODEL
    if t.chosen == "nearest":
        return (
            f"{model} cannot be fine-tuned in the catalog; priced on {t.tuned_model}, the "
            "tunable model closest in price."
        )
    if t.chosen == "open_weight":
        return f"Self-hosting needs open weights: priced on {t.tuned_model} with a LoRA adapter."
    return ""


def _training_items(a: Mapping[str, Any], q: _Quantities) -> list[dict[str, Any]]:
    t = q.tuned
    examples = whole(q.train_examples)
    notes = [_choice_note(a, q)]
    if a["labeled_examples"] < LABEL_FLOOR:
        notes.append(
            f"Priced at the {whole(LABEL_FLOOR)}-example minimum; you have "
            f"{whole(a['labeled_examples'])}."
        )
    if t.offer.training_usd_per_hour is not None:
        run_basis = (
            f"{examples} examples x {whole(a['training_epochs'])} epochs / "
            f"{whole(cat.RFT_EXAMPLE_EPOCHS_PER_HOUR.value)} an hour = "
            f"{whole(q.training_hours)} hours x {money(t.offer.training_usd_per_hour)} an hour"
        )
        notes.append(f"{t.offer.training_note}; {cat.RFT_EXAMPLE_EPOCHS_PER_HOUR.note} (estimate).")
    else:
        run_basis = (
            f"{examples} examples x {whole(a['tokens_per_example'])} tokens x "
            f"{whole(a['training_epochs'])} epochs x "
            f"{_per_million(t.offer.training_usd_per_mtok or 0)}"
        )
        notes.append(f"{t.offer.training_note}.")
    retrains = a["retrains_per_year"]
    retrain_basis = (
        f"{whole(retrains)} retrains a year x ({money(q.training_run)} training + "
        f"{whole(cat.FT_RETRAIN_HOURS.value)} hours x {money(q.rate)}) / 12 months"
    )
    items = [
        _item(
            "Prepare and review training data",
            q.ft_prep,
            "upfront",
            f"{whole(round(q.prep_hours, 1))} hours x {money(q.rate)} an hour",
            cat.FT_DATA_PREP_HOURS_MIN.source,
            _prep_note(a),
        ),
        _hours_item(
            "Set up training and evaluation",
            cat.FT_SETUP_HOURS.value,
            q.rate,
            "upfront",
            cat.FT_SETUP_HOURS,
        ),
        _item(
            f"First training run on {t.tuned_model}",
            q.training_run,
            "upfront",
            run_basis,
            t.offer.source,
            " ".join(n for n in notes if n),
        ),
        _item(
            "Retraining, spread monthly",
            q.retrain_monthly,
            "monthly",
            retrain_basis,
            t.offer.source,
            cat.FT_RETRAIN_HOURS.note + " (advisor estimate).",
        ),
    ]
    if q.hourly:
        items.append(_hosting_item(q))
    return items


def _hosting_item(q: _Quantities) -> dict[str, Any]:
    fig = default_hourly(q.serving, q.tuned)
    assert fig is not None
    source = cat.ESTIMATE_KEY if q.hourly_given else fig.source
    what = "GPU" if not math.isinf(q.unit_capacity) else "deployment"
    count = f"{whole(q.units)} {what}{'s' if q.units != 1 else ''} x " if q.units != 1 else ""
    note = "Your hourly price." if q.hourly_given else fig.note[0].upper() + fig.note[1:] + "."
    if not math.isinf(q.unit_capacity):
        note += (
            f" One GPU serves about {whole(round(q.unit_capacity))} calls a month "
            f"({cat.GPU_OUTPUT_TOKENS_PER_SECOND.note}; advisor estimate)."
        )
        source = cat.ESTIMATE_KEY if q.hourly_given else fig.source
    label = "GPU hours" if what == "GPU" else "Hosting the fine-tuned deployment"
    return _item(
        label,
        q.units * q.hosting_unit,
        "monthly",
        f"{count}{whole(cat.HOURS_PER_MONTH)} hours x {money(q.hourly)} an hour",
        source,
        note,
    )


def _tuned_calls_item(q: _Quantities, with_context: bool) -> dict[str, Any]:
    price = q.tuned.inference
    fresh = q.user_in + (q.context if with_context else 0)
    label = f"Model calls on the fine-tuned {q.tuned.tuned_model}"
    dropped = (
        f"The tuned model no longer needs the {whole(q.instructions)} instruction tokens."
        if q.instructions
        else ""
    )
    if not q.tuned_per_token:
        embed = q.query_embedding if with_context else 0.0
        return _item(
            label,
            q.volume * embed,
            "monthly",
            f"{whole(q.volume)} calls x {money(embed)} query embedding",
            cat.EMBEDDING_USD_PER_MTOK.source,
            "Served on the GPU hours above: no per-token charge. " + dropped,
        )
    parts = _call_parts(price, fresh, 0, q.out)
    per_call = q.call_hybrid if with_context else q.call_tuned
    if with_context:
        parts += f" + query embedding {money(q.query_embedding)}"
    return _calls_item(q, label, per_call, parts, price.source, dropped)


def _breakdowns(a: Mapping[str, Any], q: _Quantities) -> dict[str, list[dict[str, Any]]]:
    retrieval = _retrieval_items(a, q)
    training = _training_items(a, q)
    base = q.base
    cache_note = (
        f"The {whole(q.instructions)} instruction tokens repeat in every call and are billed "
        "at the cached-input rate."
        if q.instructions and base.caches
        else ""
    )
    base_calls = _calls_item(
        q,
        f"Model calls on {base.model}",
        q.call_base,
        _call_parts(base, q.user_in, q.instructions, q.out),
        base.source,
        cache_note,
    )
    rag_calls = _calls_item(
        q,
        f"Model calls on {base.model} with retrieved context",
        q.call_rag,
        _call_parts(base, q.user_in + q.context, q.instructions, q.out)
        + f" + query embedding {money(q.query_embedding)}",
        base.source,
        cache_note,
    )
    return {
        P: [
            _hours_item(
                "Prompt and evaluation set",
                cat.PROMPT_BUILD_HOURS.value,
                q.rate,
                "upfront",
                cat.PROMPT_BUILD_HOURS,
            ),
            base_calls,
        ],
        R: [*retrieval, rag_calls],
        H: [*retrieval, *training, _tuned_calls_item(q, True)],
        F: [*training, _tuned_calls_item(q, False)],
    }


def _not_launched(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Monthly items at zero before launch, each saying what it will cost once live."""
    out = []
    for line in items:
        if line["kind"] == "monthly" and line["amount_usd"]:
            line = {
                **line,
                "amount_usd": 0.0,
                "basis": f"not launched yet: $0 until launch, then {line['basis']}",
            }
        out.append(line)
    return out


# Ranges and sensitivity


def _scaled(value: int, factor: float, floor: int = 0) -> int:
    return max(floor, round(value * factor))


def _range_answers(a: Mapping[str, Any], end: int, q: _Quantities) -> dict[str, Any]:
    """The answers with every uncertain input at the low (end=0) or high (end=1) end."""
    out = dict(a)
    for key, factors in cat.RANGE_FACTORS.items():
        floor = (
            0 if key in ("monthly_queries", "retrieved_context_tokens", "retrains_per_year") else 1
        )
        out[key] = _scaled(a[key], factors[end], floor)
    if end == 1 and a["retrains_per_year"] == 0:
        out["retrains_per_year"] = 0
    out[PREP_HOURS_KEY] = (
        cat.FT_DATA_PREP_HOURS_MIN.value
        if end == 0
        else q.prep_hours * cat.FT_DATA_PREP_UNDERESTIMATE.value
    )
    if q.hourly and not q.hourly_given:
        lo, hi = _hourly_range(q)
        out["hosting_usd_per_hour"] = (lo, hi)[end]
    return out


def _hourly_range(q: _Quantities) -> tuple[float, float]:
    if math.isinf(q.unit_capacity):
        return cat.AZURE_HOSTING_RANGE
    return cat.GPU_USD_PER_HOUR_RANGE


def _sensitivity_inputs(a: Mapping[str, Any], q: _Quantities) -> list[tuple[str, Any, Any]]:
    """(question, low, high) for each input whose plausible range the tornado shows."""
    rows: list[tuple[str, Any, Any]] = []
    for key, (lo, hi) in cat.RANGE_FACTORS.items():
        floor = (
            0 if key in ("monthly_queries", "retrieved_context_tokens", "retrains_per_year") else 1
        )
        low, high = _scaled(a[key], lo, floor), _scaled(a[key], hi, floor)
        if key == "retrains_per_year" and a[key] == 0:
            high = 2
        rows.append((key, low, high))
    rows.append(
        (
            PREP_HOURS_KEY,
            cat.FT_DATA_PREP_HOURS_MIN.value,
            q.prep_hours * cat.FT_DATA_PREP_UNDERESTIMATE.value,
        )
    )
    rate = a["engineer_hourly_usd"]
    rows.append(("engineer_hourly_usd", round(rate * 0.5, 2), round(rate * 1.5, 2)))
    if q.instructions:
        rows.append(
            (
                "prompt_instruction_tokens",
                _scaled(q.instructions, 0.5),
                min(q.prompt_in, _scaled(q.instructions, 1.5)),
            )
        )
    rows.append(
        (
            "corpus_documents",
            _scaled(a["corpus_documents"], 0.5),
            _scaled(a["corpus_documents"], 2.0),
        )
    )
    rows.append(
        (
            "tokens_per_example",
            _scaled(a["tokens_per_example"], 0.5, 1),
            _scaled(a["tokens_per_example"], 1.5, 1),
        )
    )
    if q.hourly:
        lo, hi = _hourly_range(q)
        if q.hourly_given:
            lo, hi = round(q.hourly * 0.5, 2), round(q.hourly * 1.5, 2)
        rows.append(("hosting_usd_per_hour", lo, hi))
    return rows


def _total(a: Mapping[str, Any], approach: str, not_launched: bool) -> float:
    f = option_figures(a)[approach]
    if not_launched:
        return f.upfront
    return f.total(a["monthly_queries"], a["horizon_months"])


_RECOMMEND_ROWS = 4  # rows whose ends are re-decided: two cheap engine runs each


def _sensitivity(
    a: Mapping[str, Any],
    q: _Quantities,
    approach: str,
    recommend: Callable[[Mapping[str, Any]], str] | None,
    not_launched: bool,
) -> list[dict[str, Any]]:
    rows = []
    for key, low, high in _sensitivity_inputs(a, q):
        at_low = {**a, key: low}
        at_high = {**a, key: high}
        total_low = _total(at_low, approach, not_launched)
        total_high = _total(at_high, approach, not_launched)
        rows.append(
            {
                "question": key,
                "low": low,
                "high": high,
                "total_low_usd": round(total_low, 2),
                "total_high_usd": round(total_high, 2),
                "swing_usd": round(abs(total_high - total_low), 2),
                "_answers": (at_low, at_high),
            }
        )
    rows.sort(key=lambda r: -r["swing_usd"])
    moving = [r for r in rows if r["swing_usd"] > 0]
    shown = moving[:6] if len(moving) >= 3 else rows[:3]
    for i, row in enumerate(shown):
        at_low, at_high = row.pop("_answers")
        if recommend is not None and i < _RECOMMEND_ROWS and row["swing_usd"] > 0:
            row["approach_at_low"] = recommend(at_low)
            row["approach_at_high"] = recommend(at_high)
            row["changes_recommendation"] = approach != row["approach_at_low"] or (
                approach != row["approach_at_high"]
            )
    return shown


# Prices and sources


def _price(item: str, usd: float, unit: str, source: str, checked_on: str) -> dict[str, Any]:
    return {"item": item, "usd": usd, "unit": unit, "source": source, "checked_on": checked_on}


def _reviewed(fig_source: str) -> str:
    src = cat.PRICE_SOURCES.get(fig_source)
    return src.checked_on if src else cat.REVIEWED_ON


def _token_prices(label: str, price: TokenPrice) -> list[dict[str, Any]]:
    out = [
        _price(
            f"{label} input tokens",
            price.input_per_mtok,
            "per 1M tokens",
            price.source,
            price.checked_on,
        ),
        _price(
            f"{label} output tokens",
            price.output_per_mtok,
            "per 1M tokens",
            price.source,
            price.checked_on,
        ),
    ]
    if price.cached_input_per_mtok is not None:
        out.append(
            _price(
                f"{label} cached input tokens",
                price.cached_input_per_mtok,
                "per 1M tokens",
                price.source,
                price.checked_on,
            )
        )
    return out


def _prices(q: _Quantities) -> list[dict[str, Any]]:
    t = q.tuned
    out = _token_prices(q.base.model, q.base)
    if q.tuned_per_token:
        out += _token_prices(t.inference.model, t.inference)
    if t.offer.training_usd_per_hour is not None:
        out.append(
            _price(
                f"{t.tuned_model} reinforcement fine-tuning",
                t.offer.training_usd_per_hour,
                "per training hour",
                t.offer.source,
                _reviewed(t.offer.source),
            )
        )
    else:
        out.append(
            _price(
                f"{t.tuned_model} training tokens",
                t.offer.training_usd_per_mtok or 0.0,
                "per 1M tokens",
                t.offer.source,
                _reviewed(t.offer.source),
            )
        )
    fig = cat.EMBEDDING_USD_PER_MTOK
    out.append(
        _price(
            f"{cat.EMBEDDING_MODEL} embedding tokens",
            fig.value,
            "per 1M tokens",
            fig.source,
            _reviewed(fig.source),
        )
    )
    if q.vector_monthly:
        for item, f, unit in (
            ("Managed vector store minimum", cat.MANAGED_VECTOR_MINIMUM_USD, "per month"),
            ("Managed vector store storage", cat.MANAGED_VECTOR_USD_PER_GB_MONTH, "per GB-month"),
        ):
            out.append(_price(item, f.value, unit, f.source, _reviewed(f.source)))
    else:
        f = cat.SELF_HOSTED_VECTOR_LIMIT
        out.append(
            _price(
                "pgvector on an existing PostgreSQL",
                0.0,
                "per month",
                f.source,
                _reviewed(f.source),
            )
        )
    if q.hourly:
        hourly = default_hourly(q.serving, t)
        assert hourly is not None
        item = "GPU hour" if not math.isinf(q.unit_capacity) else "Fine-tuned deployment hour"
        if q.hourly_given:
            out.append(_price(item, q.hourly, "per hour", cat.ESTIMATE_KEY, snapshot_as_of()))
        else:
            out.append(
                _price(item, hourly.value, "per hour", hourly.source, _reviewed(hourly.source))
            )
    return out


def catalog_prices() -> list[dict[str, Any]]:
    """Every unit price the cost model can charge, in the shape of `costs.prices`: per-token
    prices of the suggested models, each fine-tuning offer's training and tuned-call prices,
    embeddings, vector storage and hourly serving."""
    out: list[dict[str, Any]] = []
    for name in suggested_models():
        out += _token_prices(name, base_price(name))
    for offer in cat.FINE_TUNING.values():
        terms = fine_tune_terms(offer.model, offer.model)
        if offer.training_usd_per_hour is not None:
            out.append(
                _price(
                    f"{offer.model} reinforcement fine-tuning",
                    offer.training_usd_per_hour,
                    "per training hour",
                    offer.source,
                    _reviewed(offer.source),
                )
            )
        else:
            out.append(
                _price(
                    f"{offer.model} training tokens",
                    offer.training_usd_per_mtok or 0.0,
                    "per 1M tokens",
                    offer.source,
                    _reviewed(offer.source),
                )
            )
        out += _token_prices(terms.inference.model, terms.inference)
    for item, f, unit in (
        (f"{cat.EMBEDDING_MODEL} embedding tokens", cat.EMBEDDING_USD_PER_MTOK, "per 1M tokens"),
        ("Managed vector store minimum", cat.MANAGED_VECTOR_MINIMUM_USD, "per month"),
        ("Managed vector store storage", cat.MANAGED_VECTOR_USD_PER_GB_MONTH, "per GB-month"),
        ("Fine-tuned deployment hour", cat.AZURE_FT_HOSTING_USD_PER_HOUR, "per hour"),
        ("GPU hour", cat.GPU_USD_PER_HOUR, "per hour"),
    ):
        out.append(_price(item, f.value, unit, f.source, _reviewed(f.source)))
    return out


def price_source_entries() -> list[dict[str, Any]]:
    """Every price source in the catalog, as result `sources` entries."""
    return [e for key in cat.PRICE_SOURCES if (e := _source_entry(key)) is not None]


def _source_entry(key: str) -> dict[str, Any] | None:
    if key in cat.PRICE_SOURCES:
        s = cat.PRICE_SOURCES[key]
        entry: dict[str, Any] = {"key": key, "title": s.title, "kind": s.kind}
        if s.author:
            entry["author"] = s.author
        if s.url:
            entry["url"] = s.url
        checked = snapshot_as_of() if key == cat.GENAI_PRICES_KEY else s.checked_on
        if s.kind == "pricing" or key == cat.GENAI_PRICES_KEY:
            entry["checked_on"] = checked
        if key == cat.ESTIMATE_KEY:
            entry["title"] = "Advisor estimate (shown in each cost line so you can change it)"
        return entry
    if key in SOURCES:
        g = SOURCES[key]
        entry = {"key": key, "title": g["title"], "kind": "guidance"}
        if g.get("author"):
            entry["author"] = g["author"]
        return entry
    return None


def cost_sources(costs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Result `sources` entries for every source a cost line or unit price names."""
    keys: list[str] = []
    for option in costs["options"].values():
        keys.extend(line["source"] for line in option["breakdown"])
    keys.extend(p["source"] for p in costs["prices"])
    if costs.get("long_context"):
        keys.append(cat.LONG_CONTEXT_LIMIT_TOKENS.source)
    out = []
    for key in dict.fromkeys(keys):
        entry = _source_entry(key)
        if entry is not None:
            out.append(entry)
    return out


def estimated_inputs(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The value used for each cost input the founder left out that the cost model estimates."""
    out: dict[str, Any] = {}
    instructions, given = instruction_tokens(answers)
    if not given:
        out["prompt_instruction_tokens"] = instructions
    tuned = _terms(answers)
    if not answers.get("fine_tune_model") or tuned.chosen != "given":
        out["fine_tune_model"] = tuned.tuned_model
    serving = _serving(answers)
    if answers.get("hosting_usd_per_hour") is None:
        hourly = default_hourly(serving, tuned)
        if hourly is not None:
            out["hosting_usd_per_hour"] = hourly.value
    return out


# The report


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


def _series(f: OptionFigures, volume: int, months: int, not_launched: bool) -> list[float]:
    monthly = 0.0 if not_launched else f.monthly(volume)
    return [round(f.upfront + m * monthly, 2) for m in range(months + 1)]


def _curves(
    a: Mapping[str, Any],
    figures: Mapping[str, OptionFigures],
    ends: tuple[Mapping[str, OptionFigures], Mapping[str, OptionFigures]],
    ends_volume: tuple[int, int],
    break_even_at: float | None,
    not_launched: bool,
) -> dict[str, Any]:
    months = a["horizon_months"]
    volume = a["monthly_queries"]
    volumes = volume_points(volume, break_even_at)
    low, high = ends
    return {
        "cumulative": {
            "months": list(range(months + 1)),
            "series": {n: _series(f, volume, months, not_launched) for n, f in figures.items()},
            # The band: every uncertain input at its low or high end.
            "low": {n: _series(low[n], ends_volume[0], months, not_launched) for n in figures},
            "high": {n: _series(high[n], ends_volume[1], months, not_launched) for n in figures},
        },
        "volume": {
            "monthly_queries": volumes,
            "series": {
                name: [round(f.total(v, months), 2) for v in volumes] for name, f in figures.items()
            },
            "break_even": _rounded(break_even_at),
            "your_volume": volume,
        },
    }


def _rounded(value: float | None) -> int | None:
    return None if value is None else math.ceil(value)


def _long_context(
    a: Mapping[str, Any], q: _Quantities, months: int, not_launched: bool
) -> dict[str, Any]:
    """Whether the whole corpus fits in the prompt, and what prompting with it cached costs."""
    limit = cat.LONG_CONTEXT_LIMIT_TOKENS.value
    fits = q.corpus_tokens <= limit
    out: dict[str, Any] = {
        "fits": fits,
        "corpus_tokens": round(q.corpus_tokens),
        "limit_tokens": limit,
        "source": cat.LONG_CONTEXT_LIMIT_TOKENS.source,
    }
    if not fits:
        return out
    base = q.base
    cached = q.instructions + q.corpus_tokens
    prefix_rate = base.cached_input_per_mtok if base.caches else base.input_per_mtok
    per_call = base.per_call(q.user_in, q.out, cached)
    upfront = q.prompt_build
    monthly = 0.0 if not_launched else q.volume * per_call
    out.update(
        {
            "per_query_usd": round(per_call, 8),
            "upfront_usd": round(upfront, 2),
            "monthly_usd": round(monthly, 2),
            "total_usd": round(upfront + months * round(monthly, 2), 2),
            "cached": base.caches,
            "basis": (
                f"{whole(q.volume)} calls x {money(per_call)} a call ("
                + _call_parts(base, q.user_in, 0, q.out)
                + f" + {whole(round(cached))} {'cached ' if base.caches else ''}prompt tokens "
                f"(instructions and the whole corpus) at "
                f"{_per_million(prefix_rate or 0)})"
                f" = {money(q.volume * per_call)}"
            ),
            "note": (
                f"The corpus is about {whole(round(q.corpus_tokens))} tokens, under the "
                f"{whole(limit)} that fit in one prompt: it can go whole into a cached prompt "
                "instead of being retrieved."
            ),
        }
    )
    return out


def _cheapest(options: Mapping[str, Mapping[str, Any]]) -> str:
    return min(APPROACHES, key=lambda n: options[n]["total_usd"])  # ties go to the simpler


def cost_report(
    answers: Mapping[str, Any],
    approach: str = P,
    recommend: Callable[[Mapping[str, Any]], str] | None = None,
) -> dict[str, Any]:
    """The `costs` section of a result (result-v2), plus chart data for the page.

    `approach` is the recommended approach; `recommend(changed_answers)` returns the approach
    the engine would pick for changed answers and fills the sensitivity rows' approach_at_low
    and approach_at_high (called at most 2 x _RECOMMEND_ROWS times)."""
    months = answers["horizon_months"]
    volume = answers["monthly_queries"]
    q = _quantities(answers, volume)
    figures = _figures(q)
    not_launched = volume == 0
    low_a, high_a = _range_answers(answers, 0, q), _range_answers(answers, 1, q)
    ends = (option_figures(low_a), option_figures(high_a))
    ends_volume = (low_a["monthly_queries"], high_a["monthly_queries"])
    at = break_even(figures, months)
    breakdowns = _breakdowns(answers, q)
    options: dict[str, dict[str, Any]] = {}
    for name in APPROACHES:
        f = figures[name]
        upfront = round(f.upfront, 2)
        monthly = 0.0 if not_launched else round(f.monthly(volume), 2)
        total = round(upfront + months * monthly, 2)  # from the rounded parts, to the cent
        totals = [
            end[name].upfront + (0 if not_launched else months * end[name].monthly(v))
            for end, v in zip(ends, ends_volume, strict=True)
        ]
        items = breakdowns[name]
        options[name] = {
            "upfront_usd": upfront,
            "monthly_usd": monthly,
            "per_query_usd": round(f.per_query, 8),
            "total_usd": total,
            "total_low_usd": round(min(total, *totals), 2),
            "total_high_usd": round(max(total, *totals), 2),
            "fixed_monthly_usd": round(f.fixed_monthly, 2),
            "breakdown": _not_launched(items) if not_launched else items,
        }
    cheapest = _cheapest(options)
    others = [n for n in APPROACHES if n != approach]
    against = min(others, key=lambda n: (options[n]["total_usd"], APPROACHES.index(n)))
    crossing = None if not_launched else crossover(figures[approach], figures[against], months)
    rec = options[approach]
    budget_usd = float(answers["upfront_budget_usd"])
    prices = _prices(q)
    oldest = min(p["checked_on"] for p in prices)
    return {
        "currency": "USD",
        "horizon_months": months,
        "monthly_queries": volume,
        "not_launched": not_launched,
        "model": q.base.model,
        "fine_tune_model": q.tuned.tuned_model,
        "fine_tune_model_chosen": q.tuned.chosen,
        "serving": q.serving,
        "prompt_instruction_tokens": q.instructions,
        "options": options,
        "cheapest": cheapest,
        "break_even": {
            "approach": approach,
            "against": against,
            "monthly_queries": _rounded(crossing),
            # True: the recommended approach is the cheaper one above that volume.
            "cheaper_above": None
            if crossing is None
            else figures[approach].marginal_per_query < figures[against].marginal_per_query,
        },
        "break_even_monthly_queries": None if not_launched else _rounded(at),
        "sensitivity": _sensitivity(answers, q, approach, recommend, not_launched),
        "prices": prices,
        "budget": {
            "upfront_budget_usd": budget_usd,
            "upfront_usd": rec["upfront_usd"],
            "fits": rec["upfront_usd"] <= budget_usd,
            "shortfall_usd": round(max(0.0, rec["upfront_usd"] - budget_usd), 2),
            "options_that_fit": [n for n in APPROACHES if options[n]["upfront_usd"] <= budget_usd],
        },
        "prices_as_of": oldest,
        "stale": is_stale(oldest),
        "long_context": _long_context(answers, q, months, not_launched),
        "curves": _curves(answers, figures, ends, ends_volume, at, not_launched),
    }


__all__ = [
    "FIGURE_INPUTS",
    "OptionFigures",
    "break_even",
    "cost_report",
    "cost_sources",
    "crossover",
    "data_prep_hours",
    "estimated_inputs",
    "option_figures",
    "volume_points",
]
