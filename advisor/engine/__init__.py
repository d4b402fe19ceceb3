"""The advisor's decision engine and cost model: answers in, a recommendation out.

Plain Python with no Django and no clock: the same answers always give the same result.
"""

from .assess import ENGINE_VERSION, assess
from .prices import known_models, suggested_models
from .questions import QUESTIONS, STEPS, Choice, Question, Step
from .sources import APPROACH_LABELS, SOURCES
from .validation import AnswersInvalid, FieldError, validate_answers

__all__ = [
    "APPROACH_LABELS",
    "ENGINE_VERSION",
    "QUESTIONS",
    "SOURCES",
    "STEPS",
    "AnswersInvalid",
    "Choice",
    "FieldError",
    "Question",
    "Step",
    "assess",
    "known_models",
    "suggested_models",
    "validate_answers",
]
