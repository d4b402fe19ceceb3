"""Per-token prices from the genai-prices snapshot, looked up once per model and cached.

The snapshot is imported on first use (it is large); after that every lookup is a dict hit.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from .catalog_data import FINE_TUNING, GENAI_PRICES, NEAREST_FINE_TUNABLE, PRICES_AS_OF

_AS_OF = datetime.fromisoformat(PRICES_AS_OF).replace(tzinfo=UTC)
_SAMPLE_TOKENS = 1_000  # priced per thousand and scaled, so long-context tiers never apply


@dataclass(frozen=True)
class TokenPrice:
    model: str
    input_per_mtok: float
    output_per_mtok: float
    source: str

    def per_call(self, input_tokens: float, output_tokens: float) -> float:
        return (input_tokens * self.input_per_mtok + output_tokens * self.output_per_mtok) / 1e6


@dataclass(frozen=True)
class FineTuneTerms:
    """What fine-tuning costs when the product runs on `base_model`."""

    base_model: str
    tuned_model: str  # the base model the catalog actually prices tuning on
    training_usd_per_mtok: float
    inference: TokenPrice
    training_source: str
    substituted: bool


def _is_tuned_variant(model_id: str) -> bool:
    return model_id.startswith("ft:") or ".ft-" in model_id or model_id.endswith("-")


def _has_text_prices(model_info: Any) -> bool:
    prices = model_info.get_prices(_AS_OF)
    return (
        getattr(prices, "input_mtok", None) is not None
        and getattr(prices, "output_mtok", None) is not None
    )


@cache
def _snapshot() -> Any:
    from genai_prices import data_snapshot

    return data_snapshot.get_snapshot()


@cache
def _priceable() -> dict[str, tuple[Any, Any]]:
    """Model name -> (provider, model) for every text model with input and output prices."""
    found: dict[str, tuple[Any, Any]] = {}
    for provider in _snapshot().providers:
        for model_info in provider.models:
            if model_info.id in found or _is_tuned_variant(model_info.id):
                continue
            if _has_text_prices(model_info):
                found[model_info.id] = (provider, model_info)
    return found


@cache
def _known() -> tuple[str, ...]:
    return tuple(sorted(_priceable(), key=lambda name: (name.lower(), name)))


def known_models() -> list[str]:
    """Names of the models the cost model can price, sorted for a pick list."""
    return list(_known())


def knows_model(name: str) -> bool:
    return name in _priceable()


def _price_of(provider: Any, model_info: Any, name: str) -> TokenPrice:
    from genai_prices import Usage

    usage = Usage(input_tokens=_SAMPLE_TOKENS, output_tokens=_SAMPLE_TOKENS)
    calc = model_info.calc_price(usage, provider, genai_request_timestamp=_AS_OF)
    scale = 1_000_000 // _SAMPLE_TOKENS
    return TokenPrice(
        model=name,
        input_per_mtok=float(calc.input_price * scale),
        output_per_mtok=float(calc.output_price * scale),
        source=f"{GENAI_PRICES} ({provider.id}: {model_info.id}), as of {PRICES_AS_OF}",
    )


@cache
def base_price(model: str) -> TokenPrice:
    """Price of calling `model` as it comes, preferring the provider genai-prices would pick."""
    snapshot = _snapshot()
    try:
        provider, model_info = snapshot.find_provider_model(model, None, None, None)
        if not _has_text_prices(model_info):
            raise LookupError(model)
    except LookupError:
        provider, model_info = _priceable()[model]
    return _price_of(provider, model_info, model)


@cache
def fine_tune_terms(model: str) -> FineTuneTerms:
    """Training and inference prices for a fine-tuned `model`, or for the nearest model the
    catalog can fine-tune when this one cannot be."""
    tuned = model
    if model not in FINE_TUNING:
        own = math.log(max(base_price(model).input_per_mtok, 1e-6))
        tuned = min(
            NEAREST_FINE_TUNABLE,
            key=lambda name: abs(math.log(base_price(name).input_per_mtok) - own),
        )
    offer = FINE_TUNING[tuned]
    provider, model_info = _snapshot().find_provider_model(
        offer.inference_ref, None, "openai", None
    )
    inference = _price_of(provider, model_info, offer.inference_ref)
    return FineTuneTerms(
        base_model=model,
        tuned_model=tuned,
        training_usd_per_mtok=offer.training_usd_per_mtok,
        inference=inference,
        training_source=offer.source,
        substituted=tuned != model,
    )


# Providers whose own model names founders type; the full list (resellers and routers included)
# is still accepted by validation.
_FIRST_PARTY = ("openai", "anthropic", "google", "mistral", "meta", "deepseek", "x-ai", "cohere")


@cache
def suggested_models() -> tuple[str, ...]:
    """A short pick list for the wizard: models priced by the providers that make them."""
    return tuple(name for name in _known() if _priceable()[name][0].id in _FIRST_PARTY)
