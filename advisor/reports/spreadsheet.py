"""The cost line items as a CSV that opens cleanly in common spreadsheets.

One row per line item of every option: approach, label, kind, amount, basis, unit price, source
and the date the source was checked, read from the STORED result. UTF-8 with a byte-order mark
(so Excel reads the encoding), CRLF line ends, and any text cell a spreadsheet would run as a
formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from advisor.engine import APPROACH_LABELS
from advisor.reports.context import APPROACH_ORDER

BOM = "\ufeff"
HEADER = (
    "Approach",
    "Line item",
    "Kind",
    "Amount (USD)",
    "Basis",
    "Unit price (USD)",
    "Source",
    "Checked on",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that cannot run as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _unit_price(item: Mapping[str, Any]) -> Any:
    for key in ("unit_price_usd", "unit_price"):
        if item.get(key) is not None:
            return item[key]
    return ""


def line_item_rows(result: Mapping[str, Any]) -> Iterable[tuple[Any, ...]]:
    costs = result.get("costs") or {}
    options = costs.get("options") or {}
    sources = {s.get("key"): s for s in result.get("sources") or [] if isinstance(s, Mapping)}
    as_of = costs.get("prices_as_of") or result.get("prices_as_of") or ""
    order = [a for a in APPROACH_ORDER if a in options] + [
        a for a in options if a not in APPROACH_ORDER
    ]
    for approach in order:
        for item in options[approach].get("breakdown") or []:
            source = sources.get(item.get("source"), {})
            yield (
                APPROACH_LABELS.get(approach, approach),
                item.get("label", ""),
                item.get("kind", ""),
                item.get("amount_usd", ""),
                item.get("basis", ""),
                _unit_price(item),
                source.get("title") or item.get("source", ""),
                source.get("checked_on") or as_of,
            )


def write_rows(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV document: BOM, CRLF line ends, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + out.getvalue()


def as_csv(result: Mapping[str, Any]) -> str:
    return write_rows(HEADER, line_item_rows(result))
