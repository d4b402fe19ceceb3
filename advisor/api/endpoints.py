"""/api/v1/: advise without storing, create, read and update assessments, and the price catalog.

Request bodies are read here rather than by the framework, so every problem with them (not JSON,
too deep, broken Unicode, wrong answers) comes back as problem details naming the field, in the
words the wizard uses. Tokens travel only in the Authorization header; the same lookups, rate
limits and 404s as the web's capability links apply.
"""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Swagger

from advisor.api import catalog, openapi
from advisor.api.models import Assessment as AssessmentDoc
from advisor.api.problems import DOCUMENT, invalid_answers, problem
from advisor.assessments import links
from advisor.assessments.models import Assessment
from advisor.assessments.steps import STEP_SLUGS, prune
from advisor.engine import AnswersInvalid, FieldError, assess, validate_answers
from advisor.web import ratelimit

JSON = "application/json"


class AdvisorAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):  # type: ignore[override]
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi.complete(schema)


api = AdvisorAPI(
    title="Model customisation advisor API",
    version="1",
    description=openapi.DESCRIPTION,
    urls_namespace="api-v1",
    # Served from this site's static files (no CDN), which the site's CSP allows.
    docs=Swagger(settings={"validatorUrl": None, "deepLinking": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, allow_nan=False), status=status, content_type=JSON
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class BadRequest(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _document_problem(status: int, message: str) -> BadRequest:
    return BadRequest(invalid_answers([FieldError(DOCUMENT, message)], status=status))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_answers(request: HttpRequest) -> Any:
    """The request body as a JSON value, or BadRequest with a problem response."""
    content_type = request.content_type or ""
    if content_type != JSON and not content_type.endswith("+json"):
        raise BadRequest(problem(415, "Send the answers as JSON (Content-Type: application/json)."))
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadRequest(problem(413, "The request body is too large.")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem_:
        raise _document_problem(400, f"cannot be read: {problem_}") from None
    try:
        doc = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise _document_problem(400, "is nested too deeply") from None
    except ValueError as problem_:  # bad JSON, or a number too long to convert
        raise _document_problem(400, f"is not valid JSON: {problem_}") from None
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _document_problem(400, "contains text that is not valid Unicode") from None
    return doc


def _assessed(doc: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers as the wizard would store them, and the engine's result for them."""
    validate_answers(doc)  # every problem at once, unknown fields included
    answers, _ = prune(doc, [])
    return answers, assess(dict(answers))


def _limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    refused = ratelimit.check(request, scope)
    if refused is None:
        return None
    return problem(
        429,
        "Too many requests. Please wait a moment and try again.",
        headers={"Retry-After": refused["Retry-After"]},
    )


def etag(assessment: Assessment) -> str:
    return f'"{assessment.revision}"'


def _matches(header: str, current: str) -> bool:
    """If-Match with strong comparison (RFC 9110 13.1.1): weak tags never match."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or current in tags


def _document(assessment: Assessment, access: str, *, with_edit_token: bool = False) -> dict:
    owner = access == "owner"
    doc = AssessmentDoc(
        access=access,
        revision=assessment.revision,
        status=assessment.status,
        project_name=assessment.project_name,
        answers=assessment.answers,
        result=assessment.result,
        edit_token=assessment.edit_token if with_edit_token else None,
        edit_url=assessment.edit_url if owner else None,
        share_token=assessment.share_token if owner else None,
        share_url=assessment.share_url,
        created_at=assessment.created_at,
        updated_at=assessment.updated_at,
        completed_at=assessment.completed_at,
    )
    return doc.model_dump(mode="json")


def _private(response: HttpResponse, assessment: Assessment) -> HttpResponse:
    """Headers for answers that carry a capability: out of caches, search engines, referrers."""
    response["ETag"] = etag(assessment)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Vary"] = "Authorization"
    return response


UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="advisor"'}


def _bearer(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _not_found() -> HttpResponse:
    # The web's words for every unknown, malformed or revoked token.
    return problem(404, "No assessment at this address.")


def _missing_token() -> HttpResponse:
    return problem(
        401,
        "Send the assessment's token as 'Authorization: Bearer <token>'.",
        headers=UNAUTHORIZED_HEADERS,
    )


@api.post("/advise", operation_id="advise", openapi_extra=openapi.operation("advise"))
def advise(request: HttpRequest) -> HttpResponse:
    try:
        doc = read_answers(request)
        _, result = _assessed(doc)
    except BadRequest as bad:
        return bad.response
    except AnswersInvalid as invalid:
        return invalid_answers(invalid.errors)
    return _json(result, headers={"Cache-Control": "no-store"})


@api.post(
    "/assessments",
    operation_id="create_assessment",
    openapi_extra=openapi.operation("create_assessment"),
)
def create_assessment(request: HttpRequest) -> HttpResponse:
    refused = _limited(request, "create-assessment")
    if refused:
        return refused
    try:
        answers, result = _assessed(read_answers(request))
    except BadRequest as bad:
        return bad.response
    except AnswersInvalid as invalid:
        return invalid_answers(invalid.errors)
    assessment = links.create_assessment(
        answers=answers,
        saved_steps=list(STEP_SLUGS),
        result=result,
        status=Assessment.Status.COMPLETE,
        completed_at=timezone.now(),
    )
    body = _document(assessment, "owner", with_edit_token=True)
    response = _json(body, status=201, headers={"Location": "/api/v1/assessment"})
    return _private(response, assessment)


def _open(token: str) -> tuple[Assessment, str]:
    """The assessment a token opens and the access it gives; Http404 like the web's links."""
    try:
        return links.assessment_for_owner(token), "owner"
    except Http404:
        return links.assessment_for_share(token), "share"


@api.get(
    "/assessment",
    operation_id="read_assessment",
    openapi_extra=openapi.operation("read_assessment"),
)
def read_assessment(request: HttpRequest) -> HttpResponse:
    refused = _limited(request, "token-lookup")
    if refused:
        return refused
    token = _bearer(request)
    if token is None:
        return _missing_token()
    try:
        assessment, access = _open(token)
    except Http404:
        return _not_found()
    return _private(_json(_document(assessment, access)), assessment)


@api.put(
    "/assessment",
    operation_id="update_assessment",
    openapi_extra=openapi.operation("update_assessment"),
)
def update_assessment(request: HttpRequest) -> HttpResponse:
    refused = _limited(request, "token-lookup")
    if refused:
        return refused
    token = _bearer(request)
    if token is None:
        return _missing_token()
    try:
        assessment, access = _open(token)
    except Http404:
        return _not_found()
    if access != "owner":
        return problem(403, "A share token gives read-only access; updates need the edit token.")
    current = etag(assessment)
    condition = request.headers.get("If-Match")
    if condition is None:
        return problem(
            428,
            f"Send If-Match with the ETag of the revision you last read (now {current}).",
            headers={"ETag": current},
        )
    if not _matches(condition, current):
        return _stale(current)
    try:
        answers, result = _assessed(read_answers(request))
    except BadRequest as bad:
        return bad.response
    except AnswersInvalid as invalid:
        return invalid_answers(invalid.errors)
    saved = assessment.save_result(
        assessment.revision,
        result,
        answers=answers,
        unknown=[],
        saved_steps=list(STEP_SLUGS),
    )
    if not saved:
        assessment.refresh_from_db(fields=["revision"])
        return _stale(etag(assessment))
    return _private(_json(_document(assessment, "owner")), assessment)


def _stale(current: str) -> HttpResponse:
    return problem(
        412,
        f"The assessment was saved since that revision (it is now {current}); "
        "read it again and re-apply your change. Nothing was changed.",
        headers={"ETag": current},
    )


@api.get("/prices", operation_id="prices", openapi_extra=openapi.operation("prices"))
def prices(request: HttpRequest) -> HttpResponse:
    return _json(catalog.price_catalog(), headers={"Cache-Control": "public, max-age=3600"})
