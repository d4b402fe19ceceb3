"""The price catalog the API publishes: what the cost model charges, where each price comes from
and when it was checked."""

from functools import cache
from typing import Any

from advisor.engine import catalog_data
from advisor.engine.prices import base_price, suggested_models

PER_MTOK = "per 1M tokens"


def _item(item: str, usd: float, unit: str, source: str) -> dict[str, Any]:
    return {
        "item": item,
        "usd": usd,
        "unit": unit,
        "source": source,
        "checked_on": catalog_data.PRICES_AS_OF,
    }


def _unit_prices() -> list[dict[str, Any]]:
    items = [
        _item(f"{model} training tokens", offer.training_usd_per_mtok, PER_MTOK, offer.source)
        for model, offer in catalog_data.FINE_TUNING.items()
    ]
    embedding = catalog_data.EMBEDDING_USD_PER_MTOK
    items.append(
        _item(
            f"{catalog_data.EMBEDDING_MODEL} embedding tokens",
            embedding.value,
            PER_MTOK,
            embedding.source,
        )
    )
    minimum = catalog_data.MANAGED_VECTOR_MINIMUM_USD
    items.append(_item("managed vector store minimum", minimum.value, "per month", minimum.source))
    storage = catalog_data.MANAGED_VECTOR_USD_PER_GB_MONTH
    items.append(_item("managed vector storage", storage.value, "per GB-month", storage.source))
    return items


@cache
def price_catalog() -> dict[str, Any]:
    """The same for every request until the process restarts (prices ship with the code)."""
    models = []
    for name in suggested_models():
        price = base_price(name)
        models.append(
            {
                "model": name,
                "input_usd_per_mtok": price.input_per_mtok,
                "output_usd_per_mtok": price.output_per_mtok,
                "source": price.source,
                "checked_on": catalog_data.PRICES_AS_OF,
            }
        )
    return {
        "prices_as_of": catalog_data.PRICES_AS_OF,
        "models": models,
        "prices": _unit_prices(),
    }
