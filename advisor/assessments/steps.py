"""The interview's bookkeeping, free of requests and templates: which steps are done, which
questions apply, and how one step's answers merge into the stored document."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.engine import QUESTIONS, STEPS, Question, Step

UNKNOWN = object()  # the founder chose "I don't know"
BLANK = object()  # the founder left an optional question empty

STEP_SLUGS = tuple(step.slug for step in STEPS)
_STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_for(slug: str) -> Step | None:
    return _STEPS_BY_SLUG.get(slug)


def questions_of(step: Step) -> list[Question]:
    return [QUESTIONS[qid] for qid in step.question_ids]


def unknown_allowed(question: Question) -> bool:
    """ "I don't know" where the engine has a default to fall back on, or where it treats an
    answer left out as not known yet (and says what that leaves open)."""
    return question.unknown_ok and (question.has_default or question.optional)


def step_after(step: Step) -> Step | None:
    index = STEP_SLUGS.index(step.slug)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def step_before(step: Step) -> Step | None:
    index = STEP_SLUGS.index(step.slug)
    return STEPS[index - 1] if index > 0 else None


def prune(answers: Mapping[str, Any], unknown: Iterable[str]) -> tuple[dict, list[str]]:
    """Drop answers to questions that no longer apply, and keep both in catalog order."""
    kept = {
        qid: answers[qid]
        for qid, q in QUESTIONS.items()
        if qid in answers and q.applies_to(answers)
    }
    unknown = set(unknown)
    kept_unknown = [
        qid
        for qid, q in QUESTIONS.items()
        if qid in unknown and qid not in kept and q.applies_to(kept)
    ]
    return kept, kept_unknown


def merge_step(
    answers: Mapping[str, Any], unknown: Iterable[str], settled: Mapping[str, Any]
) -> tuple[dict, list[str]]:
    """Replace the settled questions' answers: a value, UNKNOWN or BLANK (forget the answer).
    Questions not in `settled` keep what was stored."""
    merged = {qid: value for qid, value in answers.items() if qid not in settled}
    merged_unknown = {qid for qid in unknown if qid not in settled}
    for qid, value in settled.items():
        if value is UNKNOWN:
            merged_unknown.add(qid)
        elif value is not BLANK:
            merged[qid] = value
    return prune(merged, merged_unknown)


def step_is_complete(step: Step, answers: Mapping[str, Any], saved_steps: Iterable[str]) -> bool:
    if step.slug not in saved_steps:
        return False
    return all(q.id in answers for q in questions_of(step) if q.required and q.applies_to(answers))


def first_incomplete_step(answers: Mapping[str, Any], saved_steps: Iterable[str]) -> Step | None:
    saved_steps = set(saved_steps)
    for step in STEPS:
        if not step_is_complete(step, answers, saved_steps):
            return step
    return None


def visited_slugs(saved_steps: Iterable[str], current: str | None = None) -> set[str]:
    """Steps the progress bar may link to: every saved step, the current one and the first
    one still to do."""
    visited = set(saved_steps)
    if current:
        visited.add(current)
    for slug in STEP_SLUGS:
        visited.add(slug)
        if slug not in saved_steps:
            break
    return visited


@dataclass(frozen=True)
class AnswerRow:
    """One answer as the founder reads it, on the check page and in every report."""

    question: Question
    text: str
    # "answered", "unknown" ("I don't know": a default applies), "default" (not answered, a
    # default applies), "blank" (optional text left empty), "not_asked" or "missing".
    state: str

    @property
    def assumed(self) -> bool:
        return self.state in ("unknown", "default")


@dataclass(frozen=True)
class StepSummary:
    step: Step
    rows: list[AnswerRow]
    complete: bool

    @property
    def missing(self) -> list[AnswerRow]:
        return [row for row in self.rows if row.state == "missing"]


def answer_row(
    question: Question,
    answers: Mapping[str, Any],
    unknown: Iterable[str],
    assessed: Mapping[str, Any] | None = None,
) -> AnswerRow:
    """`assessed` is the complete document a result was computed from, when there is one: what
    it holds for an unanswered question is what was assumed."""
    if question.id in answers:
        return AnswerRow(question, question.display(answers[question.id]), "answered")
    if question.kind == "text" and question.default == "":
        return AnswerRow(question, "Not given", "blank")
    if question.optional:
        # No default: the engine treats it as not known yet and says what that leaves open.
        if question.id in unknown:
            return AnswerRow(question, "I don't know yet", "unknown")
        return AnswerRow(question, "Not answered", "blank")
    if assessed is not None and question.id in assessed:
        assumed_value, has_assumption = assessed[question.id], True
    else:
        assumed_value, has_assumption = question.default, question.has_default
    if has_assumption:
        assumed = question.display(assumed_value)
        if question.id in unknown:
            return AnswerRow(question, f"I don't know (we assume “{assumed}”)", "unknown")
        return AnswerRow(question, f"Not answered (we assume “{assumed}”)", "default")
    return AnswerRow(question, "Not answered yet", "missing")


def summaries(
    answers: Mapping[str, Any], unknown: Iterable[str], saved_steps: Iterable[str]
) -> list[StepSummary]:
    """Every applicable question with the answer as the founder would read it, step by step."""
    unknown = set(unknown)
    saved_steps = set(saved_steps)
    return [
        StepSummary(
            step=step,
            rows=[
                answer_row(q, answers, unknown) for q in questions_of(step) if q.applies_to(answers)
            ],
            complete=step_is_complete(step, answers, saved_steps),
        )
        for step in STEPS
    ]
