"""Checking an answers document against the catalog, reporting every problem at once.

The checks mirror answers.schema.json (Draft 2020-12) exactly, apart from two extra rules: the
models (`model`, `fine_tune_model`) must be ones the price catalog knows, and text may not carry
control characters or broken Unicode. A property test holds the two together.

Validated answers hold every question: the answer given, else its default, else None for an
optional answer with no default ("not known yet"), which the engine reports as an assumption.
"""

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .prices import known_models, knows_model
from .questions import QUESTIONS, Question
from .safe_text import refuse_misleading_text
from .text import join_words, whole


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class AnswersInvalid(ValueError):
    """The answers document has problems; `errors` lists all of them."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


_NOT_GIVEN = object()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer_checker(q: Question) -> Callable[[Any], Any]:
    lo, hi = q.minimum, q.maximum
    rule = f"must be a whole number between {whole(lo)} and {whole(hi)}"

    def check(value: Any) -> Any:
        # JSON Schema counts 1000.0 as an integer; so do we, and hand back 1000.
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if type(value) is not int or not lo <= value <= hi:
            raise ValueError(rule)
        return value

    return check


def _number_checker(q: Question) -> Callable[[Any], Any]:
    lo, hi = q.minimum, q.maximum
    rule = f"must be a number between {whole(lo)} and {whole(hi)}"

    def check(value: Any) -> Any:
        if not _is_number(value) or not math.isfinite(value) or not lo <= value <= hi:
            raise ValueError(rule)
        return value

    return check


def _boolean_checker(q: Question) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value

    return check


def _choice_checker(q: Question) -> Callable[[Any], Any]:
    allowed = {c.value for c in q.choices}
    rule = f"must be one of {join_words([c.value for c in q.choices])}"

    def check(value: Any) -> Any:
        if not isinstance(value, str) or value not in allowed:
            raise ValueError(rule)
        return value

    return check


def _text_checker(q: Question) -> Callable[[Any], Any]:
    limit = q.max_length
    rule = f"must be text of at most {whole(limit)} characters"

    def check(value: Any) -> Any:
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(rule)
        if _UNPRINTABLE.search(value):
            # NUL cannot be stored by PostgreSQL and lone surrogates cannot be encoded as UTF-8.
            raise ValueError("must not contain control characters or broken Unicode")
        refuse_misleading_text(value)
        return value

    return check


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def _model_checker(q: Question) -> Callable[[Any], Any]:
    as_text = _text_checker(q)

    def check(value: Any) -> Any:
        as_text(value)
        if not knows_model(value):
            close = difflib.get_close_matches(value, known_models(), n=5, cutoff=0.6)
            hint = f"; did you mean {join_words(close)}?" if close else "; pick one from the list"
            raise ValueError(f"is not a model the price catalog knows{hint}")
        return value

    return check


def _group_checker(q: Question) -> Callable[[Any], Any]:
    parts = {part.id: _BUILDERS[part.kind](part) for part in q.parts}
    names = join_words(list(parts), last="and")

    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"must be an object with {names}")
        problems = []
        checked = {}
        for name, part_value in value.items():
            if name not in parts:
                problems.append(f"{name} is not part of it (it takes {names})")
                continue
            try:
                checked[name] = parts[name](part_value)
            except ValueError as rule:
                problems.append(f"{name} {rule}")
        if problems:
            raise ValueError("; ".join(problems))
        return checked

    return check


_BUILDERS: dict[str, Callable[[Question], Callable[[Any], Any]]] = {
    "integer": _integer_checker,
    "number": _number_checker,
    "boolean": _boolean_checker,
    "choice": _choice_checker,
    "text": _text_checker,
    "group": _group_checker,
}

# Answers naming a model the cost model must price.
MODEL_QUESTIONS = ("model", "fine_tune_model")

_CHECKS: dict[str, Callable[[Any], Any]] = {
    qid: (_model_checker(q) if qid in MODEL_QUESTIONS else _BUILDERS[q.kind](q))
    for qid, q in QUESTIONS.items()
}


def _required_message(q: Question) -> str:
    try:
        _CHECKS[q.id](_NOT_GIVEN)
    except ValueError as rule:
        return f"is required; it {rule}"
    raise AssertionError("unreachable")  # pragma: no cover


def _unknown_field_message(name: str) -> str:
    close = difflib.get_close_matches(name, list(QUESTIONS), n=1, cutoff=0.7)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"is not a question the advisor asks{hint}"


def validate_answers(doc: Any) -> dict[str, Any]:
    """Return a new, complete answers dict (defaults filled in) or raise AnswersInvalid."""
    if not isinstance(doc, dict):
        raise AnswersInvalid([FieldError("(document)", "must be a JSON object of answers")])
    errors: list[FieldError] = []
    answers: dict[str, Any] = {}
    for qid, q in QUESTIONS.items():
        value = doc.get(qid, _NOT_GIVEN)
        if value is _NOT_GIVEN:
            if q.has_default:
                answers[qid] = q.default
            elif q.optional:
                answers[qid] = None
            else:
                errors.append(FieldError(qid, _required_message(q)))
            continue
        try:
            answers[qid] = _CHECKS[qid](value)
        except ValueError as problem:
            errors.append(FieldError(qid, str(problem)))
    for name in sorted((k for k in doc if k not in QUESTIONS), key=str):
        errors.append(FieldError(str(name), _unknown_field_message(str(name))))
    if errors:
        raise AnswersInvalid(errors)
    return answers


def omitted_fields(doc: dict[str, Any]) -> list[str]:
    """Questions the document left out, in catalog order: those filled with their default and
    the optional ones left as None (not known yet)."""
    return [qid for qid, q in QUESTIONS.items() if qid not in doc and (q.has_default or q.optional)]
