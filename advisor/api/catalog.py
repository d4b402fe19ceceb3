"""The price catalog the API publishes: every unit price the cost model can charge, where each
comes from and when it was checked. Built by the engine from the same data the costs use."""

from functools import cache
from typing import Any

from advisor.engine.costs import catalog_prices, price_source_entries
from advisor.engine.prices import snapshot_as_of


@cache
def price_catalog() -> dict[str, Any]:
    """The same for every request until the process restarts (prices ship with the code)."""
    prices = catalog_prices()
    return {
        "prices_as_of": min([snapshot_as_of(), *(p["checked_on"] for p in prices)]),
        "prices": prices,
        "sources": price_source_entries(),
    }
