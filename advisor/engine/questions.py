"""The question catalog: every answer the advisor reads, in the order the wizard asks them.

Types, defaults, limits and choices come from the answers schema shipped in this package, so the
catalog cannot drift from the contract; the words a founder reads are written here.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import money, whole

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
ANSWERS_SCHEMA: dict[str, Any] = json.loads(
    (SCHEMA_DIR / "answers.schema.json").read_text(encoding="utf-8")
)


class _Missing:
    """Marks a question with no default: the founder must answer it."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    help: str
    kind: str  # "choice", "integer", "number", "boolean", "text" or "group"
    step: str
    choices: tuple[Choice, ...] = ()
    default: Any = MISSING
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    unknown_ok: bool = False
    unit: str = ""
    applies: Callable[[Mapping[str, Any]], bool] | None = field(default=None, compare=False)
    # For kind "group": the answers asked together under this question, each a Question of its
    # own (their ids are the keys of the group's object).
    parts: tuple["Question", ...] = ()

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING

    @property
    def optional(self) -> bool:
        """May be left out with no default: the validated answers then hold None ("not known
        yet") and the result lists what that leaves open."""
        return not self.required and not self.has_default

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)

    def applies_to(self, answers: Mapping[str, Any]) -> bool:
        return self.applies is None or self.applies(answers)

    def display(self, value: Any) -> str:
        """The answer as a founder would say it: "12,000", "$10,000", "3,000 ms", "Yes"."""
        if value is None:
            return "Not known yet"
        if self.kind == "group":
            return ", ".join(part.display(value.get(part.id, 0)) for part in self.parts)
        if self.kind == "choice":
            return self.choice_label(value)
        if self.kind == "boolean":
            return "Yes" if value else "No"
        if self.kind in ("integer", "number"):
            if self.unit == "USD":
                return money(value)
            return f"{whole(value)} {self.unit}".rstrip()
        return str(value) if value != "" else "(blank)"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    question_ids: tuple[str, ...]


def _c(value: str, label: str, help: str = "") -> Choice:
    return Choice(value, label, help)


# Founder-facing words for each question, in the order asked. Keys must match the schema's
# properties exactly; a test holds them together.
_WORDS: dict[str, dict[str, Any]] = {
    # product
    "project_name": {
        "label": "What is the project called?",
        "help": "Used as the title of your report. You can leave it blank.",
    },
    "use_case": {
        "label": "What are you building?",
        "unknown_ok": True,
        "choices": (
            _c("qa_over_docs", "Answers to questions from our documents"),
            _c("support_assistant", "A support or sales assistant"),
            _c("search_copilot", "Search, or a copilot inside our product"),
            _c("classification_extraction", "Sorting, tagging or pulling fields out of text"),
            _c("content_generation", "Drafts, summaries or other writing"),
            _c("agent_workflow", "An agent that takes steps or calls tools"),
            _c("other", "Something else"),
        ),
    },
    "stage": {
        "label": "How far along is it?",
        "unknown_ok": True,
        "choices": (
            _c("idea", "An idea, nothing built yet"),
            _c("prototype", "A prototype people have tried"),
            _c("production", "Live with real users", "We have already seen it get things wrong."),
        ),
    },
    "problem_type": {
        "label": "When the model gets it wrong, what goes wrong?",
        "help": (
            'Look at a few bad answers. "It didn\'t know X" is missing knowledge; '
            '"it knew X but said it wrong" is behaviour.'
        ),
        "choices": (
            _c("knowledge", "It doesn't know our facts"),
            _c("behavior", "It knows the facts but gets the format, tone or structure wrong"),
            _c("both", "Both of those"),
            _c("unsure", "We can't tell yet"),
        ),
    },
    "failure_review": {
        "label": "Sort five or more recent failing answers: how many were of each kind?",
        "help": (
            'Write down recent bad answers and look at why each failed. "It didn\'t know X" is '
            'a missing fact; "it knew X but said it wrong" is format or tone.'
        ),
        "unknown_ok": True,
        "parts": {
            "missing_or_wrong_facts": {
                "label": "It didn't know, or got wrong, a fact from our data",
                "unit": "missing or wrong facts",
            },
            "wrong_format_or_tone": {
                "label": "The facts were right but the format, tone or reasoning was wrong",
                "unit": "wrong format or tone",
            },
        },
    },
    "prompting_result": {
        "label": "How far has careful prompting got you?",
        "help": "Clear instructions, a few worked examples, a stated output format.",
        "unknown_ok": True,
        "choices": (
            _c("not_tried", "We haven't really tried yet"),
            _c("good_enough", "It's good enough"),
            _c("mostly_works", "It mostly works", "About 9 answers in 10 are right; we need 99."),
            _c("fails", "It fails too often to ship"),
        ),
    },
    # behaviour
    "output_format": {
        "label": "What shape must the answers take?",
        "unknown_ok": True,
        "choices": (
            _c("free_text", "Free text"),
            _c("light_structure", "Some structure", "Headings, bullet points, a few named fields."),
            _c("strict_schema", "An exact format every time", "For example JSON a program reads."),
        ),
    },
    "style_consistency": {
        "label": "How much does a consistent house voice matter?",
        "unknown_ok": True,
        "choices": (
            _c("low", "Not much"),
            _c("medium", "Somewhat"),
            _c("high", "A lot: every answer must sound like us"),
        ),
    },
    "domain_language": {
        "label": "Does your field use language a general model struggles with?",
        "unknown_ok": True,
        "choices": (
            _c("general", "No, everyday or common business language"),
            _c("specialized", "Yes, specialist vocabulary or reasoning", "Medical, legal, jargon."),
        ),
    },
    "task_shape": {
        "label": "Is it one narrow task repeated many times?",
        "unknown_ok": True,
        "choices": (
            _c("open_ended", "No, people ask all sorts of things"),
            _c("narrow_repetitive", "Yes, the same well-defined task over and over"),
        ),
    },
    "latency_budget_ms": {
        "label": "How long can users wait for an answer?",
        "help": (
            "The slowest answers (1 in 20) should arrive within this many milliseconds. "
            "A retrieval step adds roughly 10 to 500 ms."
        ),
        "unknown_ok": True,
        "unit": "ms",
    },
    # data
    "data_change_frequency": {
        "label": "How often does the information it relies on change?",
        "choices": (
            _c("realtime", "All the time (live data)"),
            _c("daily", "Every day"),
            _c("weekly", "Every week"),
            _c("monthly", "Every month"),
            _c("quarterly", "Every few months"),
            _c("rarely", "Rarely or never"),
        ),
    },
    "corpus_documents": {
        "label": "Roughly how many documents or records would answers draw on?",
        "help": "Pages, articles, tickets, rows: whatever a good answer would be looked up in.",
        "unknown_ok": True,
    },
    "corpus_structure": {
        "label": "What do those documents look like?",
        "unknown_ok": True,
        "choices": (
            _c("structured", "Mostly tables or records", "A database, spreadsheets, a catalog."),
            _c("mixed", "A mix of both"),
            _c("unstructured", "Mostly free text", "Documents, tickets, web pages, transcripts."),
        ),
    },
    "needs_citations": {
        "label": "Must people see where each answer came from?",
        "help": "Users, auditors or regulators need to check the source of an answer.",
    },
    "per_user_permissions": {
        "label": "May different users see different data?",
        "help": "For example, staff see only their own region's documents.",
        "unknown_ok": True,
    },
    "sensitive_data": {
        "label": "Is any of the data personal, confidential or regulated?",
        "unknown_ok": True,
    },
    "labeled_examples": {
        "label": "How many examples of good answers do you have today?",
        "help": "Pairs of a real input and the answer you would want, ready now. Zero is fine.",
    },
    "label_quality": {
        "label": "How trustworthy are those examples?",
        "unknown_ok": True,
        "choices": (
            _c("none", "Nobody has checked them"),
            _c("noisy", "Mixed: some are wrong or inconsistent"),
            _c("clean", "Reviewed by people who know what good looks like"),
        ),
    },
    "retrieval_issues": {
        "label": "Do you already have a search step that keeps finding the wrong passages?",
        "unknown_ok": True,
    },
    # constraints
    "monthly_queries": {
        "label": "How many AI calls a month do you expect?",
        "help": "At the end of the period you are planning for. A guess to the nearest power of "
        "ten is fine.",
    },
    "upfront_budget_usd": {
        "label": "How much can you spend to build it?",
        "help": "Engineering time, data preparation and any training runs, in US dollars.",
        "unknown_ok": True,
        "unit": "USD",
    },
    "time_to_ship": {
        "label": "When does it need to work?",
        "unknown_ok": True,
        "choices": (
            _c("this_week", "This week"),
            _c("this_month", "This month"),
            _c("this_quarter", "This quarter"),
            _c("no_deadline", "No fixed deadline"),
        ),
    },
    "error_cost": {
        "label": "How bad is a confidently wrong answer?",
        "unknown_ok": True,
        "choices": (
            _c("low", "Minor: people shrug it off"),
            _c("medium", "Annoying: it costs us some trust"),
            _c("high", "Serious: money, safety, legal trouble or lost customers"),
        ),
    },
    "ml_expertise": {
        "label": "Who could prepare data, train and evaluate a model?",
        "unknown_ok": True,
        "choices": (
            _c("none", "Nobody on the team"),
            _c("some", "Someone who could learn it"),
            _c("dedicated", "A dedicated ML engineer or team"),
        ),
    },
    # costs
    "model": {
        "label": "Which model do you use, or plan to?",
        "help": "Every option is priced with this model. Start typing to pick from the list.",
        "unknown_ok": True,
    },
    "fine_tune_model": {
        "label": "Which model would you fine-tune, if it differs from the one above?",
        "help": (
            "Teams often fine-tune a smaller, cheaper model to replace a prompted larger one. "
            "Leave it blank and the closest model that can be fine-tuned is used."
        ),
        "unknown_ok": True,
    },
    "serving": {
        "label": "How would a fine-tuned model be served?",
        "unknown_ok": True,
        "choices": (
            _c("serverless", "Billed per token by the provider", "No hourly fee."),
            _c(
                "dedicated_hourly",
                "A provider deployment billed by the hour",
                "Paid whether or not it gets traffic.",
            ),
            _c("self_hosted_gpu", "Our own or rented GPUs", "An open-weight model, e.g. LoRA."),
        ),
    },
    "hosting_usd_per_hour": {
        "label": "What does an hour of that deployment or GPU cost?",
        "help": "Leave it blank to use the catalog's figure for that provider or GPU.",
        "unknown_ok": True,
        "unit": "USD",
    },
    "avg_input_tokens": {
        "label": "How long is a typical prompt?",
        "help": "Instructions plus the user's message, before anything retrieval adds. "
        "A token is about three quarters of a word.",
        "unknown_ok": True,
        "unit": "tokens",
    },
    "prompt_instruction_tokens": {
        "label": "Of that prompt, how much is fixed instructions and worked examples?",
        "help": (
            "The part a fine-tuned model would no longer need in every call; the rest is the "
            "user's own input. Leave it blank for an estimate."
        ),
        "unknown_ok": True,
        "unit": "tokens",
    },
    "avg_output_tokens": {
        "label": "How long is a typical answer?",
        "unknown_ok": True,
        "unit": "tokens",
    },
    "retrieved_context_tokens": {
        "label": "How much retrieved text would each call carry?",
        "help": "The passages retrieval would add to every prompt.",
        "unknown_ok": True,
        "unit": "tokens",
    },
    "tokens_per_example": {
        "label": "How long is one training example?",
        "help": "Input and ideal answer together.",
        "unknown_ok": True,
        "unit": "tokens",
    },
    "training_epochs": {
        "label": "How many passes would training make over the examples?",
        "help": "Each pass is billed; three is a common starting point.",
        "unknown_ok": True,
    },
    "retrains_per_year": {
        "label": "How often would you retrain a fine-tuned model each year?",
        "help": "Each retrain refreshes the examples and runs training and evaluation again.",
        "unknown_ok": True,
    },
    "engineer_hourly_usd": {
        "label": "What does an hour of engineering cost you?",
        "help": "Used to price build and upkeep time.",
        "unknown_ok": True,
        "unit": "USD",
    },
    "horizon_months": {
        "label": "Over how many months should costs be compared?",
        "unknown_ok": True,
        "unit": "months",
    },
}


def _has_examples(answers: Mapping[str, Any]) -> bool:
    count = answers.get("labeled_examples")
    return isinstance(count, (int, float)) and not isinstance(count, bool) and count > 0


def _unsure_of_the_problem(answers: Mapping[str, Any]) -> bool:
    return answers.get("problem_type") == "unsure"


def _billed_by_the_hour(answers: Mapping[str, Any]) -> bool:
    return answers.get("serving") in ("dedicated_hourly", "self_hosted_gpu")


_APPLIES: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    # Asking how good the examples are only makes sense once there are some.
    "label_quality": _has_examples,
    # The failure review is the way forward for a team that cannot tell which problem it has.
    "failure_review": _unsure_of_the_problem,
    "hosting_usd_per_hour": _billed_by_the_hour,
}

_STEP_INFO: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "product",
        "Your product",
        "What you are building and what goes wrong today.",
        (
            "project_name",
            "use_case",
            "stage",
            "problem_type",
            "failure_review",
            "prompting_result",
        ),
    ),
    (
        "behaviour",
        "How it should answer",
        "The shape, voice and speed the answers need.",
        (
            "output_format",
            "style_consistency",
            "domain_language",
            "task_shape",
            "latency_budget_ms",
        ),
    ),
    (
        "data",
        "Your data",
        "What the answers draw on, who may see it, and the examples you already have.",
        (
            "data_change_frequency",
            "corpus_documents",
            "corpus_structure",
            "needs_citations",
            "per_user_permissions",
            "sensitive_data",
            "labeled_examples",
            "label_quality",
            "retrieval_issues",
        ),
    ),
    (
        "constraints",
        "Budget, time and team",
        "What you can spend, how soon it must work, and who can build it.",
        ("monthly_queries", "upfront_budget_usd", "time_to_ship", "error_cost", "ml_expertise"),
    ),
    (
        "costs",
        "Cost details",
        "Figures the cost comparison uses. The defaults are reasonable if you are not sure.",
        (
            "model",
            "fine_tune_model",
            "serving",
            "hosting_usd_per_hour",
            "avg_input_tokens",
            "prompt_instruction_tokens",
            "avg_output_tokens",
            "retrieved_context_tokens",
            "tokens_per_example",
            "training_epochs",
            "retrains_per_year",
            "engineer_hourly_usd",
            "horizon_months",
        ),
    ),
)

_KINDS = {
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "string": "text",
    "object": "group",
}


def _question(
    qid: str,
    step: str,
    spec: Mapping[str, Any] | None = None,
    words: Mapping[str, Any] | None = None,
    required_ids: tuple[str, ...] = tuple(ANSWERS_SCHEMA["required"]),
) -> Question:
    """One catalog entry; a group's parts are built the same way from the group's own schema."""
    spec = ANSWERS_SCHEMA["properties"][qid] if spec is None else spec
    words = _WORDS[qid] if words is None else words
    kind = "choice" if "enum" in spec else _KINDS[spec["type"]]
    parts: tuple[Question, ...] = ()
    if kind == "group":
        if set(words["parts"]) != set(spec["properties"]):
            raise ValueError(f"{qid}: parts do not match the schema's properties")
        parts = tuple(
            _question(pid, step, part_spec, words["parts"][pid], tuple(spec.get("required", ())))
            for pid, part_spec in spec["properties"].items()
        )
    choices: tuple[Choice, ...] = words.get("choices", ())
    if kind == "choice" and tuple(c.value for c in choices) != tuple(spec["enum"]):
        raise ValueError(f"{qid}: choices do not match the schema's enum")
    return Question(
        id=qid,
        label=words["label"],
        help=words.get("help", ""),
        kind=kind,
        step=step,
        choices=choices,
        default=spec.get("default", MISSING),
        required=qid in required_ids,
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        max_length=spec.get("maxLength"),
        unknown_ok=words.get("unknown_ok", False),
        unit=words.get("unit", ""),
        applies=_APPLIES.get(qid),
        parts=parts,
    )


STEPS: tuple[Step, ...] = tuple(Step(*info) for info in _STEP_INFO)
QUESTIONS: dict[str, Question] = {
    qid: _question(qid, step.slug) for step in STEPS for qid in step.question_ids
}
