"""The decision rules, as data.

Each Rule looks at one fact (an answer, or a band derived from an answer such as the latency
band) and, when the fact has one of its values, adds weights to the approaches. Each Gate rules
an approach out. Both carry the question a founder would change, an explanation in plain words
and the article the rule rests on.

Where the articles disagree the rules pick a figure and say so in the explanation:
- clean labeled pairs: "hundreds to low thousands" (Lee) against "10K+" (Cung). Fine-tuning needs
  at least LABEL_FLOOR clean pairs; LABEL_COMFORTABLE or more earns extra weight.
- latency: retrieval adds 10-500 ms (Sparkable); under TIGHT_LATENCY_MS (Cung's 200 ms) retrieval
  is penalised hard, under RELAXED_LATENCY_MS a little.
- budget: under SMALL_BUDGET_USD (Cung's $5K) start with retrieval or prompting.

Explanations are templates filled from the answers: {value} is the cited answer as a founder
would say it, {value_lower} the same in lower case, any question id gives that answer's
display, and {floor}, {comfortable}, {break_even}, {ft_upfront}, {hybrid_upfront} give figures.
"""

from dataclasses import dataclass
from typing import Any

LABEL_FLOOR = 500
LABEL_COMFORTABLE = 10_000
TIGHT_LATENCY_MS = 200
RELAXED_LATENCY_MS = 1_000
SMALL_BUDGET_USD = 5_000
TINY_VOLUME = 1_000
HIGH_VOLUME = 1_000_000
TINY_CORPUS = 50
LARGE_CORPUS = 100_000

FRESH = ("realtime", "daily", "weekly")
NEEDS_KNOWLEDGE = ("knowledge", "both", "unsure")
NEEDS_BEHAVIOUR = ("behavior", "both")


@dataclass(frozen=True)
class Rule:
    question: str
    values: tuple[Any, ...]
    effects: tuple[tuple[str, float], ...]
    explanation: str
    source: str
    reads: str
    when: tuple[tuple[str, tuple[Any, ...]], ...] = ()


@dataclass(frozen=True)
class Gate:
    question: str
    values: tuple[Any, ...]
    rules_out: tuple[str, ...]
    explanation: str
    source: str
    reads: str
    when: tuple[tuple[str, tuple[Any, ...]], ...] = ()


def _when(conditions: dict[str, tuple[Any, ...]] | None) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    return tuple(sorted((conditions or {}).items()))


def rule(
    question: str,
    values: tuple[Any, ...],
    effects: dict[str, float],
    explanation: str,
    source: str,
    *,
    reads: str = "",
    when: dict[str, tuple[Any, ...]] | None = None,
) -> Rule:
    return Rule(
        question,
        values,
        tuple(effects.items()),
        explanation,
        source,
        reads or question,
        _when(when),
    )


def gate(
    question: str,
    values: tuple[Any, ...],
    rules_out: tuple[str, ...],
    explanation: str,
    source: str,
    *,
    reads: str = "",
    when: dict[str, tuple[Any, ...]] | None = None,
) -> Gate:
    return Gate(question, values, rules_out, explanation, source, reads or question, _when(when))


P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"

RULES: tuple[Rule, ...] = (
    # 1. Knowledge or behaviour: the first question every article asks.
    rule(
        "problem_type",
        ("knowledge",),
        {R: 4, H: 1, F: -2, P: -1},
        "The model is missing your facts. Retrieval changes what a model knows; fine-tuning "
        "changes how it behaves, so a knowledge gap points to retrieval.",
        "lee",
    ),
    rule(
        "problem_type",
        ("behavior",),
        {F: 3, P: 2, R: -2},
        "The model has the facts but answers in the wrong shape or tone. Retrieval doesn't "
        "change behaviour: better prompting comes first, fine-tuning if prompting can't hold it.",
        "lee",
    ),
    rule(
        "problem_type",
        ("both",),
        {H: 4, R: 2, F: 1, P: -1},
        "You have a knowledge gap and a behaviour gap. The usual answer is retrieval for the facts "
        "plus a fine-tuned model for the behaviour, built in that order.",
        "sparkable",
    ),
    rule(
        "problem_type",
        ("unsure",),
        {P: 2, R: 2, F: -1, H: -1},
        "You can't yet tell why answers fail. Write down five failing examples and sort them into "
        '"didn\'t know" and "said it wrong" before paying for training.',
        "lee",
    ),
    # 6. Prompting first.
    rule(
        "prompting_result",
        ("not_tried",),
        {P: 4, F: -1, H: -1},
        "Careful prompting hasn't been tried yet. It is the cheapest fix for how a model answers, "
        "and many teams that think they need fine-tuning need a better prompt first.",
        "decide",
        when={"problem_type": ("behavior", "unsure")},
    ),
    rule(
        "prompting_result",
        ("not_tried",),
        {P: 1, F: -1, H: -1},
        "Prompting hasn't been tried yet. It can't add facts the model lacks, but a better prompt "
        "sets the baseline that retrieval or training has to beat.",
        "decide",
        when={"problem_type": ("knowledge", "both")},
    ),
    rule(
        "prompting_result",
        ("good_enough",),
        {P: 8, F: -5, H: -5},
        "Prompting already clears your bar. Pick the simplest approach that hits it; training a "
        "model to fix what already works adds cost and upkeep.",
        "studio",
        when={"problem_type": ("behavior", "unsure")},
    ),
    rule(
        "prompting_result",
        ("good_enough",),
        {P: 5, F: -5, H: -5, R: -0.5},
        "Prompting already clears your bar. Unless the facts change too fast for a prompt or "
        "must be cited, the simplest approach that works is the one to keep.",
        "studio",
        when={"problem_type": ("knowledge", "both")},
    ),
    rule(
        "prompting_result",
        ("mostly_works",),
        {F: 2, H: 2, P: -1},
        "Prompting gets most answers right but not enough of them. That last stretch, about 90% "
        "when you need 99%, is where fine-tuning earns its keep, provided you have the examples.",
        "lee",
        when={"problem_type": NEEDS_BEHAVIOUR},
    ),
    rule(
        "prompting_result",
        ("mostly_works",),
        {R: 1.5, H: 1, P: -1},
        "Prompting mostly works, so the failures left are likely facts the model doesn't have; "
        "grounding answers in retrieved sources is the next step.",
        "lee",
        when={"problem_type": ("knowledge", "unsure")},
    ),
    rule(
        "prompting_result",
        ("fails",),
        {F: 2, H: 1, P: -3},
        "Prompting fails too often. Instructions alone won't hold this behaviour; training it "
        "into the model is the stronger lever.",
        "sparkable",
        when={"problem_type": NEEDS_BEHAVIOUR},
    ),
    rule(
        "prompting_result",
        ("fails",),
        {R: 2, H: 0.5, P: -3},
        "Prompting fails too often: without your facts in front of it the model keeps guessing.",
        "lee",
        when={"problem_type": ("knowledge", "unsure")},
    ),
    # 5. Behaviour signals.
    rule(
        "output_format",
        ("strict_schema",),
        {F: 2, H: 2, R: -1},
        "Answers must follow an exact format every time. Retrieval does nothing for that; "
        "fine-tuning trains the format into the model.",
        "sparkable",
    ),
    rule(
        "output_format",
        ("strict_schema",),
        {F: 1.5, H: 1.5},
        "Prompting gets roughly 9 in 10 outputs into your format; closing the gap to 99% is the "
        "textbook case for fine-tuning.",
        "lee",
        when={"prompting_result": ("mostly_works",)},
    ),
    rule(
        "output_format",
        ("light_structure",),
        {P: 0.5},
        "Light structure is usually reachable with clear instructions and an example in the "
        "prompt.",
        "studio",
    ),
    rule(
        "style_consistency",
        ("high",),
        {F: 2, H: 1.5, R: -0.5},
        "A consistent house voice matters a lot. Retrieval can't change how the model writes; "
        "fine-tuning trains the voice in instead of repeating a long style prompt on every call.",
        "lee",
    ),
    rule(
        "style_consistency",
        ("medium",),
        {F: 0.5, H: 0.5, P: 0.5},
        "Some consistency of voice matters; a short style guide in the prompt often covers it.",
        "studio",
    ),
    rule(
        "domain_language",
        ("specialized",),
        {F: 2, H: 1.5},
        "Your field uses language a general model handles poorly. Fine-tuning shapes how the "
        "model uses that vocabulary and reasons with it; retrieval only hands it documents.",
        "cung",
    ),
    rule(
        "task_shape",
        ("narrow_repetitive",),
        {F: 1.5, R: -1},
        "One narrow task repeated many times is where a smaller fine-tuned model can match a "
        "large general one.",
        "studio",
    ),
    rule(
        "task_shape",
        ("narrow_repetitive",),
        {F: 1.5},
        "At {monthly_queries} calls a month, a narrow task repeats often enough that a cheaper, "
        "faster fine-tuned model pays off on every call.",
        "studio",
        when={"volume_band": ("high",)},
    ),
    rule(
        "latency_budget_ms",
        ("tight",),
        {F: 2, P: 1, R: -3, H: -3},
        "Your {latency_budget_ms} budget is tight: a retrieval step adds 10-500 ms to each "
        "answer, a fine-tuned model adds nothing.",
        "sparkable",
        reads="latency_band",
    ),
    rule(
        "latency_budget_ms",
        ("snug",),
        {F: 0.5, P: 0.5, R: -1, H: -1},
        "A retrieval step adds 10-500 ms to each answer; within {latency_budget_ms} that needs a "
        "fast retrieval path.",
        "sparkable",
        reads="latency_band",
    ),
    # 2. Freshness.
    rule(
        "data_change_frequency",
        FRESH,
        {R: 3.5, H: 2.5, F: -3},
        "Your information changes {value_lower}. Re-indexing a document is cheap; retraining a "
        "model to keep up is a treadmill you won't win.",
        "lee",
        when={"problem_type": NEEDS_KNOWLEDGE},
    ),
    rule(
        "data_change_frequency",
        FRESH,
        {R: 1, H: 1, F: -2},
        "Your information changes {value_lower}. The failures are about behaviour, but any facts "
        "the answers need must come from outside the weights; keep training to format and tone.",
        "lee",
        when={"problem_type": ("behavior",)},
    ),
    rule(
        "data_change_frequency",
        FRESH,
        {P: -2},
        "A prompt can't keep up with facts that change {value_lower} either, unless every call "
        "fetches them, and that is retrieval.",
        "lee",
        when={"problem_type": ("knowledge", "both")},
    ),
    rule(
        "data_change_frequency",
        ("monthly",),
        {R: 1, F: -0.5},
        "Monthly changes leave fine-tuning workable, but each change means another training run, "
        "while retrieval just re-indexes the changed documents.",
        "sparkable",
    ),
    rule(
        "data_change_frequency",
        ("quarterly",),
        {F: 1, H: 0.5, R: 1},
        "Your information changes every few months: a fine-tuned model would need a retrain "
        "each time, which is workable, while retrieval just re-indexes.",
        "lee",
    ),
    rule(
        "data_change_frequency",
        ("rarely",),
        {F: 1.5, H: 0.5},
        "Your information rarely changes, so a fine-tuned model won't go stale.",
        "lee",
    ),
    # 4. Citations, permissions, sensitive data, cost of errors.
    rule(
        "needs_citations",
        (True,),
        {R: 3, H: 1.5, F: -2},
        "People must see where answers come from. Retrieval can point at the passage it used; "
        "knowledge trained into a model's weights can't be traced to a source.",
        "lee",
    ),
    rule(
        "per_user_permissions",
        (True,),
        {R: 3, H: 1, F: -2},
        "Users may only see their own slice of the data. Retrieval can filter by permission on "
        "every query; anything trained into a model is available to every user.",
        "studio",
    ),
    rule(
        "sensitive_data",
        (True,),
        {R: 1.5, F: -1},
        "The data is sensitive. Keeping it in a retrieval layer with access controls is easier to "
        "secure than baking it into model weights.",
        "decide",
    ),
    rule(
        "error_cost",
        ("high",),
        {R: 1.5, H: 1},
        "A confidently wrong answer is costly. Grounding answers in retrieved, citable sources "
        "is the strongest single guard against made-up facts, though not a complete one.",
        "decide",
    ),
    rule(
        "error_cost",
        ("low",),
        {P: 0.5},
        "Occasional mistakes are tolerable, so the simplest approach that mostly works is enough.",
        "studio",
    ),
    # 8. The corpus.
    rule(
        "corpus_documents",
        ("empty",),
        {P: 1, R: -2, H: -2},
        "There are no documents to retrieve from yet, so a retrieval layer would have nothing to "
        "fetch.",
        "lee",
        reads="corpus_band",
    ),
    rule(
        "corpus_documents",
        ("tiny",),
        {P: 1},
        "With only {corpus_documents} documents, they may fit in the prompt itself; try that "
        "before building a retrieval pipeline.",
        "lee",
        reads="corpus_band",
        when={"problem_type": NEEDS_KNOWLEDGE},
    ),
    rule(
        "corpus_documents",
        ("large",),
        {R: 1, H: 0.5},
        "A corpus of {corpus_documents} documents is too large and varied to train into a model; "
        "retrieval fetches the few passages each answer needs.",
        "decide",
        reads="corpus_band",
    ),
    rule(
        "corpus_structure",
        ("structured",),
        {R: 0.5},
        "Your data is structured, so retrieval can be a plain SQL or keyword lookup, simpler to "
        "run than a vector store.",
        "lee",
        when={"problem_type": NEEDS_KNOWLEDGE},
    ),
    # 3. Labeled data.
    rule(
        "labeled_examples",
        ("zero",),
        {R: 1, P: 1},
        "You have no labeled examples, so there is nothing to train on yet. Ship without "
        "training and collect examples from real use.",
        "lee",
        reads="label_band",
    ),
    rule(
        "label_quality",
        ("unreviewed",),
        {R: 1, P: 0.5},
        "Nobody has checked your {labeled_examples} examples; training on them would bake their "
        "mistakes into the model.",
        "lee",
        reads="label_band",
    ),
    rule(
        "label_quality",
        ("noisy",),
        {R: 1, P: 0.5},
        "Your examples are noisy. Fine-tuning on noisy labels trains the noise in; a few hundred "
        "clean pairs beat ten thousand noisy ones.",
        "lee",
        reads="label_band",
    ),
    rule(
        "labeled_examples",
        ("below_floor",),
        {R: 1, P: 0.5},
        "{labeled_examples} clean examples is below the {floor}-pair minimum used here "
        "(the guidance ranges from a few hundred to 10,000+).",
        "lee",
        reads="label_band",
    ),
    rule(
        "labeled_examples",
        ("enough",),
        {F: 2, H: 2},
        "{labeled_examples} clean examples clear the {floor}-pair minimum (the guidance says "
        "hundreds to low thousands); {comfortable} or more would be comfortable.",
        "lee",
        reads="label_band",
    ),
    rule(
        "labeled_examples",
        ("comfortable",),
        {F: 3, H: 3},
        "{labeled_examples} clean examples is past the {comfortable} mark where training data "
        "stops being the worry.",
        "cung",
        reads="label_band",
    ),
    rule(
        "retrieval_issues",
        (True,),
        {H: 1.5, F: 1, R: -0.5},
        "Your retrieval keeps pulling irrelevant passages. That can justify fine-tuning, but "
        "often a cleaner retrieval layer is what's missing, so fix that first.",
        "cung",
    ),
    # 9. Volume and the break-even.
    rule(
        "monthly_queries",
        ("tiny",),
        {P: 1},
        "At {monthly_queries} calls a month, running costs barely matter; keep the build small.",
        "studio",
        reads="volume_band",
    ),
    rule(
        "monthly_queries",
        ("above",),
        {F: 1},
        "At {monthly_queries} calls a month you are above the break-even of {break_even}: "
        "fine-tuning's cheaper calls repay its build cost within {horizon_months}.",
        "lee",
        reads="break_even_band",
    ),
    rule(
        "monthly_queries",
        ("below",),
        {R: 0.5},
        "At {monthly_queries} calls a month you are below the break-even of {break_even}, so "
        "retrieval stays cheaper over {horizon_months}.",
        "lee",
        reads="break_even_band",
    ),
    rule(
        "monthly_queries",
        ("never",),
        {R: 0.5},
        "With your figures a fine-tuned model's calls cost more than retrieval's, so fine-tuning "
        "never becomes the cheaper option.",
        "sparkable",
        reads="break_even_band",
    ),
    # 7. Constraints.
    rule(
        "upfront_budget_usd",
        ("small",),
        {P: 1.5, R: 1, F: -2.5, H: -3},
        "A build budget under $5,000 points to starting with retrieval or prompting; preparing "
        "training data alone usually costs more.",
        "cung",
        reads="budget_band",
    ),
    rule(
        "upfront_budget_usd",
        ("short",),
        {R: 0.5, F: -2, H: -2},
        "Your {upfront_budget_usd} budget doesn't cover the {ft_upfront} the cost model puts on "
        "building the fine-tuned option.",
        "cung",
        reads="build_band",
    ),
    rule(
        "upfront_budget_usd",
        ("short_hybrid",),
        {F: 0.5, H: -1},
        "Your {upfront_budget_usd} budget covers fine-tuning ({ft_upfront}) but not the "
        "{hybrid_upfront} a hybrid would take to build.",
        "cung",
        reads="build_band",
    ),
    rule(
        "time_to_ship",
        ("this_week",),
        {P: 2, R: 1.5, F: -5, H: -5},
        "It has to work this week. Prompting or retrieval can ship in days; fine-tuning takes "
        "weeks.",
        "cung",
    ),
    rule(
        "time_to_ship",
        ("this_month",),
        {R: 0.5, F: -0.5, H: -0.5},
        "A month is enough to ship retrieval; fine-tuning fits in it only if the training data "
        "is already clean.",
        "sparkable",
    ),
    rule(
        "ml_expertise",
        ("none",),
        {R: 0.5, P: 0.5, F: -2, H: -2},
        "Nobody on the team can prepare data, train and evaluate models, so fine-tuning would "
        "depend on skills you would have to hire or buy.",
        "decide",
    ),
    rule(
        "ml_expertise",
        ("dedicated",),
        {F: 1, H: 1},
        "A dedicated ML team can prepare data, train, evaluate and retrain a model.",
        "decide",
    ),
    rule(
        "stage",
        ("idea",),
        {P: 1.5, R: 0.5, F: -1, H: -1.5},
        "At the idea stage, the simplest build that shows you what users actually ask is the "
        "right one; you can't know which behaviours to train yet.",
        "sparkable",
    ),
    rule(
        "stage",
        ("production",),
        {H: 2, F: 0.5},
        "You are live with real users. Past the prototype stage, retrieval for the facts plus a "
        "fine-tuned model for the behaviour is the common production shape.",
        "sparkable",
    ),
    rule(
        "use_case",
        ("qa_over_docs", "search_copilot"),
        {R: 1.5},
        "Question answering over documents, search and copilots are what retrieval handles well "
        "for most products.",
        "studio",
    ),
    rule(
        "use_case",
        ("support_assistant",),
        {R: 1},
        "Support assistants answer from knowledge bases that keep changing; retrieval keeps them "
        "current.",
        "cung",
    ),
    rule(
        "use_case",
        ("classification_extraction",),
        {F: 1.5, R: -1},
        "Classifying text and extracting fields are tasks where fine-tuned models outperform "
        "retrieval.",
        "decide",
    ),
    rule(
        "use_case",
        ("content_generation",),
        {P: 0.5, F: 0.5},
        "Writing tasks turn mostly on voice and format rather than on facts.",
        "sparkable",
    ),
)

_TOO_FEW_LABELS = "Fine-tuning and the hybrid are ruled out for now: "

GATES: tuple[Gate, ...] = (
    gate(
        "data_change_frequency",
        FRESH,
        (F,),
        "Fine-tuning alone is ruled out: the knowledge your product depends on changes "
        "{value_lower}, and a fine-tuned model is frozen at its last training run. A hybrid keeps "
        "retrieval for the facts.",
        "lee",
        when={"problem_type": NEEDS_KNOWLEDGE},
    ),
    gate(
        "needs_citations",
        (True,),
        (F,),
        "Fine-tuning alone is ruled out: it can't show where an answer came from. A hybrid can, "
        "through its retrieval layer.",
        "sparkable",
    ),
    gate(
        "per_user_permissions",
        (True,),
        (F,),
        "Fine-tuning alone is ruled out: a model can't keep what it was trained on from users "
        "who mustn't see it. Retrieval can filter by permission on every query.",
        "studio",
    ),
    gate(
        "labeled_examples",
        ("zero",),
        (F, H),
        _TOO_FEW_LABELS + "there are no labeled examples to train on.",
        "lee",
        reads="label_band",
    ),
    gate(
        "labeled_examples",
        ("below_floor",),
        (F, H),
        _TOO_FEW_LABELS + "{labeled_examples} clean examples is under the {floor} this advisor "
        "asks for before training.",
        "lee",
        reads="label_band",
    ),
    gate(
        "label_quality",
        ("unreviewed",),
        (F, H),
        _TOO_FEW_LABELS + "nobody has reviewed the examples, and training bakes their mistakes "
        "into the model.",
        "lee",
        reads="label_band",
    ),
    gate(
        "label_quality",
        ("noisy",),
        (F, H),
        _TOO_FEW_LABELS + "noisy labels get baked into the weights. Clean them first.",
        "lee",
        reads="label_band",
    ),
)


def label_band(labeled_examples: int, label_quality: str) -> str:
    if labeled_examples == 0:
        return "zero"
    if label_quality == "none":
        return "unreviewed"
    if label_quality == "noisy":
        return "noisy"
    if labeled_examples < LABEL_FLOOR:
        return "below_floor"
    return "enough" if labeled_examples < LABEL_COMFORTABLE else "comfortable"


def latency_band(latency_budget_ms: int) -> str:
    if latency_budget_ms < TIGHT_LATENCY_MS:
        return "tight"
    return "snug" if latency_budget_ms < RELAXED_LATENCY_MS else "relaxed"


def volume_band(monthly_queries: int) -> str:
    if monthly_queries < TINY_VOLUME:
        return "tiny"
    return "high" if monthly_queries >= HIGH_VOLUME else "normal"


def corpus_band(corpus_documents: int) -> str:
    if corpus_documents == 0:
        return "empty"
    if corpus_documents <= TINY_CORPUS:
        return "tiny"
    return "large" if corpus_documents >= LARGE_CORPUS else "medium"


def budget_band(upfront_budget_usd: float) -> str:
    return "small" if upfront_budget_usd < SMALL_BUDGET_USD else "ok"
