"""Forms built from the engine's question catalog: one form class per step of the interview.

Each question becomes one field. Choices and yes/no questions are radio buttons (a select when
the list is long); numbers are number inputs with the catalog's limits; text keeps its maximum
length. Where the catalog allows "I don't know" (and has a default to fall back on), radio lists
get that option and number or text boxes may be left blank. Every message speaks plainly and
names what to do.
"""

import math
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from advisor.assessments.models_list import near_matches
from advisor.assessments.steps import BLANK, UNKNOWN, merge_step, questions_of, unknown_allowed
from advisor.engine import AnswersInvalid, Question, Step, validate_answers
from advisor.engine.prices import knows_model
from advisor.engine.text import whole

DONT_KNOW = "dont_know"
# Steps whose every question may be skipped: an unanswered one takes the stated assumption, as
# the step's introduction says (the cost details, which most founders leave as they are).
BLANK_MEANS_ASSUMED = frozenset({"costs"})
YES, NO = "yes", "no"
RADIO_LIMIT = 8  # longer lists become a select
UNIT_WORDS = {"USD": "US dollars", "ms": "milliseconds"}
_NUMBER_NOISE = re.compile(r"[\s,_$]")


class WholeNumberField(forms.IntegerField):
    """Accepts "12,000" and "1 200"; anything else that is not a whole number is an error."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = _NUMBER_NOISE.sub("", str(value))
        if not re.fullmatch(r"-?\d+(\.0*)?", text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        digits = text.split(".")[0]
        if len(digits.lstrip("-")) > 18:
            code = "min_value" if digits.startswith("-") else "max_value"
            raise ValidationError(self.error_messages[code], code=code)
        return int(digits)


class AmountField(forms.FloatField):
    """A finite number; "$10,000" is read as 10000, and whole amounts are kept as integers."""

    def to_python(self, value: Any) -> float | int | None:
        if value in self.empty_values:
            return None
        text = _NUMBER_NOISE.sub("", str(value))
        if len(text) > 40:
            raise ValidationError(self.error_messages["max_value"], code="max_value")
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not math.isfinite(number):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number) if number.is_integer() else number


class ModelNameField(forms.CharField):
    """A model the price catalog knows; a mistyped name gets the nearest names it does know."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values or knows_model(value):
            return
        close = near_matches(value)
        hint = f" Did you mean {' or '.join(f'“{name}”' for name in close)}?" if close else ""
        raise ValidationError(
            f"“{value}” is not a model we have prices for. Pick one from the list, or leave it "
            f"blank to use the default.{hint}",
            code="unknown_model",
        )


def _help_text(q: Question) -> str:
    parts = [q.help] if q.help else []
    unit = UNIT_WORDS.get(q.unit, q.unit)
    if unit and q.kind in ("integer", "number") and unit.lower() not in q.help.lower():
        parts.append(f"Answer in {unit}.")
    if unknown_allowed(q) and q.kind in ("integer", "number", "text"):
        if q.has_default:
            parts.append(
                f"Leave it blank if you don't know: we will assume {q.display(q.default)}."
            )
        else:
            parts.append("Leave it blank if you don't know: the cost model will estimate it.")
    return escape(" ".join(parts))


def _choice_label(label: str, help: str) -> str:
    if not help:
        return label
    return format_html('{}<span class="choice-help">{}</span>', label, help)


def _dont_know_label(q: Question) -> str:
    if not q.has_default:
        return mark_safe(
            'I don\'t know yet<span class="choice-help">The result keeps to the safe side and '
            "shows what a Yes would change.</span>"
        )
    return format_html(
        'I don\'t know<span class="choice-help">We will assume “{}”.</span>', q.display(q.default)
    )


def _pick_field(q: Question, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    if unknown_allowed(q):
        choices = [*choices, (DONT_KNOW, _dont_know_label(q))]
        required_message = "Choose an answer, or “I don't know”."
    else:
        required_message = "Choose an answer."
    if len(choices) > RADIO_LIMIT:
        widget: forms.Widget = forms.Select()
        choices = [("", "Choose an answer"), *choices]
    else:
        widget = forms.RadioSelect()
    return forms.ChoiceField(
        choices=choices,
        widget=widget,
        required=q.required or (unknown_allowed(q) and q.step not in BLANK_MEANS_ASSUMED),
        error_messages={
            "required": required_message,
            "invalid_choice": "Choose one of the answers listed.",
        },
    )


def _limit_messages(q: Question, kind_words: str, example: str) -> dict[str, str]:
    lowest, highest = q.display(q.minimum), q.display(q.maximum)
    return {
        "required": f"Enter {kind_words}.",
        "invalid": f"Enter {kind_words} using digits only, like {example}.",
        "min_value": f"Enter a number of at least {lowest}.",
        "max_value": f"Enter a number no larger than {highest}.",
    }


def _number_input(mode: str) -> forms.TextInput:
    # A text box with a numeric keyboard rather than type="number", which drops what it cannot
    # parse without a word, changes on a scroll wheel and refuses "12,000".
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off", "spellcheck": "false"})


class GroupField(forms.MultiValueField):
    """Several whole numbers asked together (the failure review's counts), stored as one
    object keyed by part. All left blank means "not done yet"; a blank part is left out."""

    def __init__(self, q: Question) -> None:
        self.question = q
        fields = [
            WholeNumberField(
                min_value=part.minimum,
                max_value=part.maximum,
                required=False,
                error_messages=_limit_messages(part, "a whole number", "3"),
            )
            for part in q.parts
        ]
        widget = forms.MultiWidget([_number_input("numeric") for _ in q.parts])
        super().__init__(fields, require_all_fields=False, required=False, widget=widget)

    def compress(self, data_list: list[Any]) -> dict[str, int] | None:
        counts = {
            part.id: value
            for part, value in zip(self.question.parts, data_list or (), strict=False)
            if value is not None
        }
        return counts or None


def field_for(q: Question) -> forms.Field:
    if q.kind == "choice":
        field: forms.Field = _pick_field(
            q, [(c.value, _choice_label(c.label, c.help)) for c in q.choices]
        )
    elif q.kind == "boolean":
        field = _pick_field(q, [(YES, "Yes"), (NO, "No")])
    elif q.kind == "group":
        field = GroupField(q)
    elif q.kind == "integer":
        field = WholeNumberField(
            min_value=q.minimum,
            max_value=q.maximum,
            required=q.required,
            error_messages=_limit_messages(q, "a whole number", "1200"),
            widget=_number_input("numeric"),
        )
    elif q.kind == "number":
        field = AmountField(
            min_value=q.minimum,
            max_value=q.maximum,
            required=q.required,
            error_messages=_limit_messages(q, "a number", "2500 or 2500.50"),
            widget=_number_input("decimal"),
        )
    else:
        attrs = {"autocomplete": "off", "list": f"{q.id}-options", "spellcheck": "false"}
        field = (ModelNameField if q.id == "model" else forms.CharField)(
            max_length=q.max_length,
            required=q.required,
            widget=forms.TextInput(attrs=attrs if q.id == "model" else {}),
            error_messages={
                "required": "Enter an answer.",
                "max_length": f"Use at most {whole(q.max_length or 0)} characters; "
                "this has %(show_value)d.",
            },
        )
    field.label = q.label
    field.help_text = _help_text(q)
    return field


class StepForm(forms.Form):
    """One step of the interview. `stored` is what the assessment holds; `shown` names the
    conditional questions that were on the page the founder submitted."""

    step: Step
    questions: list[Question]

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        stored: Mapping[str, Any],
        unknown: list[str],
        **kwargs: Any,
    ) -> None:
        self.stored = stored
        self.stored_unknown = unknown
        kwargs.setdefault("initial", initial_values(self.questions, stored, unknown))
        super().__init__(data, **kwargs)
        self.shown = set(data.getlist("shown")) if hasattr(data, "getlist") else set()

    @property
    def conditional(self) -> list[Question]:
        return [q for q in self.questions if q.applies is not None]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        tentative, _ = merge_step(self.stored, self.stored_unknown, self._settled_so_far())
        for q in self.conditional:
            if not q.applies_to(tentative) or q.id not in self.shown:
                # Not on the page, or no longer relevant: neither an error nor an answer.
                self.errors.pop(q.id, None)
                cleaned.pop(q.id, None)
        self._check_with_engine()
        return cleaned

    def _settled_so_far(self) -> dict[str, Any]:
        settled = {}
        for q in self.questions:
            if q.id in self.cleaned_data:
                settled[q.id] = answer_value(q, self.cleaned_data[q.id])
        return settled

    def _check_with_engine(self) -> None:
        """The engine has rules a form field cannot know (the model must be one it can price)."""
        answers, _ = merge_step(self.stored, self.stored_unknown, self._settled_so_far())
        try:
            validate_answers(answers)
        except AnswersInvalid as invalid:
            for error in invalid.errors:
                if error.field in self.cleaned_data and error.field in answers:
                    message = f"“{answers[error.field]}” {error.message}"
                    self.add_error(error.field, message if message[-1] in ".?!" else f"{message}.")

    def settled(self) -> dict[str, Any]:
        """This step's answers that passed validation: a value, UNKNOWN or BLANK per question.
        Questions with errors are left out, so what was stored for them stays."""
        return self._settled_so_far()


def answer_value(q: Question, cleaned: Any) -> Any:
    if cleaned == DONT_KNOW:
        return UNKNOWN
    if cleaned in (None, ""):
        return UNKNOWN if unknown_allowed(q) else BLANK
    if q.kind == "boolean":
        return cleaned == YES
    return cleaned


def group_parts(field: Any) -> list[dict[str, Any]]:
    """A group question's inputs for its template: each part's label, name, id and value."""
    q = field.field.question
    value = field.value()
    if isinstance(value, Mapping):
        values = [value.get(part.id) for part in q.parts]
    else:
        values = list(value or ()) + [None] * len(q.parts)
    return [
        {
            "label": part.label,
            "name": f"{field.html_name}_{index}",
            "id": f"{field.auto_id}_{index}",
            "value": "" if values[index] is None else values[index],
        }
        for index, part in enumerate(q.parts)
    ]


def initial_values(
    questions: list[Question], stored: Mapping[str, Any], unknown: list[str]
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for q in questions:
        if q.id in stored:
            value = stored[q.id]
            initial[q.id] = (YES if value else NO) if q.kind == "boolean" else value
        elif q.id in unknown and q.kind in ("choice", "boolean"):
            initial[q.id] = DONT_KNOW
    return initial


@cache
def step_form_class(step: Step) -> type[StepForm]:
    questions = questions_of(step)
    fields = {q.id: field_for(q) for q in questions}
    return type(
        f"{step.slug.title()}StepForm",
        (StepForm,),
        {**fields, "step": step, "questions": questions},
    )
