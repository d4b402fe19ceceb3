"""What the framework cannot infer about the operations (their bodies are read by hand) and the
components: the JSON Schema contracts and the API's own pydantic documents."""

from typing import Any

from pydantic.json_schema import models_json_schema

from advisor.api.contracts import COMPONENTS, contract_components, ref
from advisor.api.models import MODELS
from advisor.api.problems import PROBLEM_JSON

DESCRIPTION = (
    "Answers in (the answers-v2 document the wizard stores), recommendation out (result-v2). "
    "Assessments are opened with their tokens in the Authorization header: the edit token "
    "reads and updates, the share token only reads. Updates need If-Match with the ETag of the "
    "revision last read; a stale one gets 412 and changes nothing. Errors are RFC 9457 problem "
    "details naming every bad field."
)

BEARER = [{"capabilityToken": []}]

_PROBLEMS = {
    400: "The body is not a JSON document the advisor can read.",
    401: "No token in the Authorization header.",
    403: "A share token cannot update.",
    404: "No assessment for this token (unknown, mistyped or revoked).",
    412: "If-Match names an older revision: nothing was changed.",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "The answers have problems; `errors` names every one.",
    428: "If-Match is missing.",
    429: "Too many requests; Retry-After says how many seconds to wait.",
}

_ETAG = {"ETag": {"description": "The revision, quoted.", "schema": {"type": "string"}}}
_RETRY = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}


def _problems(*statuses: int) -> dict[str, Any]:
    out = {}
    for status in statuses:
        response: dict[str, Any] = {
            "description": _PROBLEMS[status],
            "content": {PROBLEM_JSON: {"schema": ref("Problem")}},
        }
        if status == 429:
            response["headers"] = _RETRY
        if status in (412, 428):
            response["headers"] = _ETAG
        out[str(status)] = response
    return out


def _json(component: str, description: str, headers: dict | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ref(component)}},
    }
    if headers:
        response["headers"] = headers
    return response


_ANSWERS_BODY = {
    "required": True,
    "description": "An answers-v2 document. Missing optional answers take their defaults.",
    "content": {"application/json": {"schema": ref("AnswersV2")}},
}

_BODY_PROBLEMS = (400, 413, 415, 422)

OPERATIONS: dict[str, dict[str, Any]] = {
    "advise": {
        "summary": "Recommend an approach for these answers; nothing is stored",
        "requestBody": _ANSWERS_BODY,
        "responses": {
            "200": _json("ResultV2", "The recommendation (result-v2)."),
            **_problems(*_BODY_PROBLEMS),
        },
    },
    "create_assessment": {
        "summary": "Store an assessment of these answers; returns its tokens, links and result",
        "requestBody": _ANSWERS_BODY,
        "responses": {
            "201": _json(
                "Assessment",
                "Created. The edit token is in the body only this once.",
                {
                    **_ETAG,
                    "Location": {"description": "Where to read it.", "schema": {"type": "string"}},
                },
            ),
            **_problems(*_BODY_PROBLEMS, 429),
        },
    },
    "read_assessment": {
        "summary": "The assessment the token opens (edit token: owner; share token: read-only)",
        "security": BEARER,
        "responses": {
            "200": _json("Assessment", "The stored answers and result.", _ETAG),
            **_problems(401, 404, 429),
        },
    },
    "update_assessment": {
        "summary": "Replace the answers and re-assess; needs the edit token and If-Match",
        "security": BEARER,
        "parameters": [
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": "The ETag of the revision the change is based on.",
                "schema": {"type": "string"},
            }
        ],
        "requestBody": _ANSWERS_BODY,
        "responses": {
            "200": _json("Assessment", "Saved as a new revision.", _ETAG),
            **_problems(*_BODY_PROBLEMS, 401, 403, 404, 412, 428, 429),
        },
    },
    "prices": {
        "summary": "The price catalog: every unit price, its source and when it was checked",
        "responses": {"200": _json("PriceCatalog", "The catalog.")},
    },
}


def operation(name: str) -> dict[str, Any]:
    return OPERATIONS[name]


def _model_components() -> dict[str, Any]:
    _, top = models_json_schema(
        [(model, "serialization") for model in MODELS], ref_template=COMPONENTS + "{model}"
    )
    return top.get("$defs", {})


_FRAMEWORK_DEFAULT = {"description": "OK"}


def _tidy_responses(schema: dict[str, Any]) -> None:
    """The framework adds a bare 200 to every operation under an int key; the operations' own
    responses (string keys) replace it, and an operation that answers 201 has no 200."""
    for path in schema.get("paths", {}).values():
        for op in path.values():
            responses: dict[str, Any] = {}
            for status, response in op.get("responses", {}).items():
                if response == _FRAMEWORK_DEFAULT and str(status) in responses:
                    continue
                responses[str(status)] = response
            if "201" in responses and responses.get("200") == _FRAMEWORK_DEFAULT:
                del responses["200"]
            op["responses"] = dict(sorted(responses.items()))


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    _tidy_responses(schema)
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update({**contract_components(), **_model_components()})
    components["securitySchemes"] = {
        "capabilityToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "The assessment's edit token (read and update) or share token (read).",
        }
    }
    schema["servers"] = [{"url": "/"}]
    return schema
