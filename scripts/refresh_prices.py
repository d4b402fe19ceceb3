"""Regenerate the per-token price snapshot the cost model reads.

The engine never imports genai-prices: loading that package and walking its ~2,400 models costs
a process about 0.3 s. This script does that walk once and writes what the engine needs to
advisor/engine/price_data/genai_prices.json, a compact file loaded on first use:

    {"package": "genai-prices 0.2.3", "as_of": "2026-10-14",
     "models": {"gpt-4o-mini": ["openai", 0.15, 0.6, 0.075], ...},
     "fine_tuned": {"ft:gpt-4o-mini-2024-07-18": ["openai", 0.3, 1.2, null], ...}}

Each entry is [provider id, input, output, cached input or null], in USD per 1M tokens. `models`
holds every text model with input and output prices, priced at the provider genai-prices picks
for that name (falling back to the first provider that lists it); fine-tuned variants are left
out of `models` and the ones the catalog names are kept under `fine_tuned`. Prices are looked up
as of `--as-of` (default: today), which is also the snapshot date the reports show.

Usage (from the repository root, with the project's virtualenv):

    .venv/bin/python scripts/refresh_prices.py              # prices as of today
    .venv/bin/python scripts/refresh_prices.py --as-of 2026-10-14
    .venv/bin/python scripts/refresh_prices.py --check      # exit 1 if the file would change

Upgrade genai-prices first (`uv lock --upgrade-package genai-prices`) to pick up new prices,
then review the diff: the reviewed table in advisor/engine/catalog_data.py (training, hosting,
embeddings, vector stores, GPU hours) is not touched and needs its own check.
"""

import argparse
import importlib.metadata
import importlib.util
import json
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "advisor" / "engine"


def _catalog() -> Any:
    """The reviewed table, loaded on its own (importing the engine package would load the
    snapshot this script is about to rewrite)."""
    spec = importlib.util.spec_from_file_location("catalog_data", ENGINE / "catalog_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


OUTPUT = ENGINE / "price_data" / "genai_prices.json"
_SAMPLE = 1_000  # priced per thousand tokens and scaled, so long-context tiers never apply


def _is_tuned_variant(model_id: str) -> bool:
    return model_id.startswith("ft:") or ".ft-" in model_id or model_id.endswith("-")


def _number(value: Decimal) -> float:
    return float(round(value * (1_000_000 // _SAMPLE), 6))


def _entry(provider: Any, model_info: Any, when: datetime) -> list[Any] | None:
    from genai_prices import Usage

    prices = model_info.get_prices(when)
    if getattr(prices, "input_mtok", None) is None or getattr(prices, "output_mtok", None) is None:
        return None
    plain = model_info.calc_price(
        Usage(input_tokens=_SAMPLE, output_tokens=_SAMPLE), provider, genai_request_timestamp=when
    )
    cached = None
    if getattr(prices, "cache_read_mtok", None) is not None:
        calc = model_info.calc_price(
            Usage(input_tokens=_SAMPLE, cache_read_tokens=_SAMPLE),
            provider,
            genai_request_timestamp=when,
        )
        cached = _number(calc.input_price)
    return [provider.id, _number(plain.input_price), _number(plain.output_price), cached]


def build(as_of: date) -> dict[str, Any]:
    from genai_prices import data_snapshot

    when = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    snapshot = data_snapshot.get_snapshot()
    first: dict[str, tuple[Any, Any]] = {}
    for provider in snapshot.providers:
        for model_info in provider.models:
            if model_info.id in first or _is_tuned_variant(model_info.id):
                continue
            if _entry(provider, model_info, when) is not None:
                first[model_info.id] = (provider, model_info)
    models: dict[str, list[Any]] = {}
    for name in sorted(first, key=lambda n: (n.lower(), n)):
        entry = None
        try:
            provider, model_info = snapshot.find_provider_model(name, None, None, None)
            entry = _entry(provider, model_info, when)
        except LookupError:
            pass
        models[name] = entry or _entry(*first[name], when)
    fine_tuned = {}
    for ref in sorted(_catalog().FINE_TUNED_INFERENCE_REFS):
        provider, model_info = snapshot.find_provider_model(ref, None, "openai", None)
        fine_tuned[ref] = _entry(provider, model_info, when)
    return {
        "package": f"genai-prices {importlib.metadata.version('genai-prices')}",
        "as_of": as_of.isoformat(),
        "models": models,
        "fine_tuned": fine_tuned,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    parser.add_argument("--check", action="store_true", help="only report whether it changed")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render(build(args.as_of))
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if args.check:
        print("up to date" if text == current else f"{args.output} would change")
        return 0 if text == current else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
