"""Errors as RFC 9457 problem details (application/problem+json)."""

import json
from http import HTTPStatus

from django.http import HttpResponse

from advisor.api.models import FieldProblem, Problem
from advisor.engine import QUESTIONS, FieldError

PROBLEM_JSON = "application/problem+json"
DOCUMENT = "(document)"


def field_problem(error: FieldError) -> FieldProblem:
    """One bad field with the words the check-answers page uses for it."""
    top = error.field.split(".", 1)[0]
    question = QUESTIONS.get(top)
    label = question.label if question else error.field
    pointer = "" if error.field == DOCUMENT else "/" + error.field.replace(".", "/")
    return FieldProblem(
        field=error.field, pointer=pointer, message=error.message, detail=f"{label} {error.message}"
    )


def problem(
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        errors=[field_problem(e) for e in errors] if errors is not None else None,
    )
    response = HttpResponse(
        json.dumps(body.model_dump(exclude_none=True), ensure_ascii=False),
        status=status,
        content_type=PROBLEM_JSON,
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def invalid_answers(errors: list[FieldError], status: int = 422) -> HttpResponse:
    count = len(errors)
    noun = "answer needs" if count == 1 else "answers need"
    return problem(status, f"{count} {noun} attention.", errors)
