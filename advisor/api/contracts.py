"""The OpenAPI components, built from the packaged JSON Schemas (advisor/engine/schemas/).

answers-v2 and result-v2 become the components AnswersV2 and ResultV2. Their `$defs` are lifted
into components of their own (ResultV2_approach, ...) and every `$ref` is rewritten to point
there, because inside an OpenAPI document `#` is the document's root, not the schema's. Nothing
is copied by hand: a change to a schema file changes the API's schema on the next start.
"""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "engine" / "schemas"
COMPONENTS = "#/components/schemas/"
CONTRACTS = {"AnswersV2": "answers.schema.json", "ResultV2": "result.schema.json"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": COMPONENTS + name}


def _rewrite_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith("#/$defs/"):
                    value = f"{COMPONENTS}{prefix}_{value.removeprefix('#/$defs/')}"
                elif value == "#":
                    value = COMPONENTS + prefix
                else:
                    raise ValueError(f"{prefix}: cannot place the reference {value!r}")
            out[key] = _rewrite_refs(value, prefix)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


def _components_of(name: str, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    schema = copy.deepcopy(schema)
    # $id would move the base URI of every reference inside; $schema is the document's dialect
    # (OpenAPI 3.1's default dialect is Draft 2020-12, the one these files use).
    contract_id = schema.pop("$id", None)
    schema.pop("$schema", None)
    defs = schema.pop("$defs", {})
    if contract_id:
        schema["x-contract"] = contract_id
    found = {name: _rewrite_refs(schema, name)}
    for def_name, definition in defs.items():
        found[f"{name}_{def_name}"] = _rewrite_refs(definition, name)
    return found


@cache
def contract_components() -> dict[str, dict[str, Any]]:
    components: dict[str, dict[str, Any]] = {}
    for name, filename in CONTRACTS.items():
        schema = json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))
        components.update(_components_of(name, schema))
    # The price catalog's entries have the shape of a result's price list entries.
    prices = components["ResultV2"]["properties"]["costs"]["properties"]["prices"]
    components["ResultV2_price"] = prices["items"]
    return components


def contract_id(name: str) -> str:
    return contract_components()[name].get("x-contract", name)
