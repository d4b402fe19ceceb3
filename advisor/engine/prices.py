"""Unit prices: per-token inference from the committed snapshot, fine-tuning from the reviewed
table in catalog_data.

The snapshot (price_data/genai_prices.json, rebuilt by scripts/refresh_prices.py) is read on
first use, in a few milliseconds; genai-prices itself is never imported here.
"""

import json
import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from .catalog_data import (
    DEFAULT_OPEN_WEIGHT,
    FINE_TUNING,
    GENAI_PRICES_KEY,
    NEAREST_FINE_TUNABLE,
    STALE_AFTER_DAYS,
    FineTuneOffer,
)

SNAPSHOT_PATH = Path(__file__).with_name("price_data") / "genai_prices.json"


@cache
def _snapshot() -> dict[str, Any]:
    return json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))


def snapshot_as_of() -> str:
    """The date the per-token prices were taken from genai-prices."""
    return str(_snapshot()["as_of"])


def snapshot_package() -> str:
    return str(_snapshot()["package"])


def is_stale(checked_on: str, today: date | None = None) -> bool:
    """Whether a price checked on this ISO date is past the catalog's freshness limit."""
    today = today or date.today()
    return (today - date.fromisoformat(checked_on)).days > STALE_AFTER_DAYS


@dataclass(frozen=True)
class TokenPrice:
    """USD per 1M tokens for calling one model; cached_input is None where the provider gives
    no discount for a repeated prompt prefix."""

    model: str
    provider: str
    input_per_mtok: float
    output_per_mtok: float
    cached_input_per_mtok: float | None
    source: str  # a key of catalog_data.PRICE_SOURCES
    checked_on: str

    def per_call(
        self, input_tokens: float, output_tokens: float, cached_tokens: float = 0
    ) -> float:
        """One call: `cached_tokens` of the input are a repeated prefix, billed at the cached
        rate where there is one."""
        cached_rate = self.input_per_mtok
        if self.cached_input_per_mtok is not None:
            cached_rate = self.cached_input_per_mtok
        return (
            input_tokens * self.input_per_mtok
            + cached_tokens * cached_rate
            + output_tokens * self.output_per_mtok
        ) / 1e6

    @property
    def caches(self) -> bool:
        return self.cached_input_per_mtok is not None


@cache
def _known() -> tuple[str, ...]:
    return tuple(_snapshot()["models"])  # the refresh script writes them sorted for a pick list


def known_models() -> list[str]:
    """Names of the models the cost model can price, sorted for a pick list."""
    return list(_known())


def knows_model(name: str) -> bool:
    return name in _snapshot()["models"]


def _from_entry(name: str, entry: list[Any]) -> TokenPrice:
    provider, inp, out, cached = entry
    return TokenPrice(name, provider, inp, out, cached, GENAI_PRICES_KEY, snapshot_as_of())


@cache
def base_price(model: str) -> TokenPrice:
    """Price of calling `model` as it comes; KeyError for a model the snapshot lacks."""
    return _from_entry(model, _snapshot()["models"][model])


# Providers whose own model names founders type; the full list (resellers and routers included)
# is still accepted by validation.
_FIRST_PARTY = ("openai", "anthropic", "google", "mistral", "meta", "deepseek", "x-ai", "cohere")


@cache
def suggested_models() -> tuple[str, ...]:
    """A short pick list for the wizard: models priced by the providers that make them."""
    models = _snapshot()["models"]
    return tuple(name for name in _known() if models[name][0] in _FIRST_PARTY)


def can_fine_tune(model: str) -> bool:
    """Whether the catalog knows how to fine-tune `model` and what that costs."""
    return model in FINE_TUNING


def fine_tunable_models() -> tuple[str, ...]:
    return tuple(FINE_TUNING)


@dataclass(frozen=True)
class FineTuneTerms:
    """What fine-tuning costs when the product runs on `base_model`."""

    base_model: str
    tuned_model: str  # the model that is fine-tuned
    offer: FineTuneOffer
    inference: TokenPrice  # calling the tuned model per token
    chosen: str  # "given", "same" (base model itself), "nearest" or "open_weight"

    @property
    def substituted(self) -> bool:
        return self.chosen in ("nearest", "open_weight")

    @property
    def training_usd_per_mtok(self) -> float | None:
        return self.offer.training_usd_per_mtok

    @property
    def training_source(self) -> str:
        return self.offer.source


def nearest_fine_tunable(model: str) -> str:
    """The tunable model whose base input price is closest to `model`'s (on a log scale)."""
    if can_fine_tune(model):
        return model
    own = math.log(max(base_price(model).input_per_mtok, 1e-6))
    return min(
        NEAREST_FINE_TUNABLE,
        key=lambda name: abs(math.log(base_price(name).input_per_mtok) - own),
    )


def _tuned_inference(offer: FineTuneOffer) -> TokenPrice:
    if offer.inference_ref is not None:
        return _from_entry(
            f"fine-tuned {offer.model}", _snapshot()["fine_tuned"][offer.inference_ref]
        )
    if offer.inference is not None:
        from .catalog_data import PRICE_SOURCES

        p = offer.inference
        return TokenPrice(
            f"fine-tuned {offer.model}",
            "openai",
            p.input,
            p.output,
            p.cached_input,
            offer.source,
            PRICE_SOURCES[offer.source].checked_on,
        )
    # Open-weight adapters are served at the base model's per-token price.
    base = base_price(offer.model)
    return TokenPrice(
        f"{offer.model} with a LoRA adapter",
        base.provider,
        base.input_per_mtok,
        base.output_per_mtok,
        base.cached_input_per_mtok,
        base.source,
        base.checked_on,
    )


@cache
def fine_tune_terms(
    model: str, fine_tune_model: str | None = None, open_weight: bool = False
) -> FineTuneTerms:
    """Training and inference prices for the model that would be tuned: `fine_tune_model` when
    given, else `model` when the catalog can tune it, else the nearest tunable model. With
    `open_weight` (self-hosting), a closed model is replaced by the default open-weight one."""
    if fine_tune_model and can_fine_tune(fine_tune_model):
        tuned, chosen = fine_tune_model, "given"
    elif can_fine_tune(model):
        tuned, chosen = model, "same"
    else:
        tuned, chosen = nearest_fine_tunable(model), "nearest"
    if open_weight and not FINE_TUNING[tuned].open_weight:
        tuned, chosen = DEFAULT_OPEN_WEIGHT, "open_weight"
    offer = FINE_TUNING[tuned]
    return FineTuneTerms(model, tuned, offer, _tuned_inference(offer), chosen)
