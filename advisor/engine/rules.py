"""The decision rules, as data: hard rules first, weights to rank what they leave.

The published guidance is ordered, not additive: know whether the problem is one of knowledge or
of behaviour; try careful prompting first; no clean examples, no fine-tuning; fresh data,
citations or per-user permissions mean retrieval. Those are the GATES, listed in that order of
precedence: each rules approaches out whatever the scores say. The RULES then weigh every answer
to rank the approaches the gates leave.

Each question gives at most one reason: a question's rules are tried in table order and the
first whose conditions hold fires. Every rule and gate carries the article it rests on and the
passage of it (`quote`, verbatim) that says so.

Where the articles disagree the rules pick a figure and say so in the explanation:
- clean labeled pairs: "hundreds to low thousands" (Lee) against "10K+" (Cung). Fine-tuning needs
  at least LABEL_FLOOR clean pairs, following Lee, whose floor is about quality rather than
  volume; LABEL_COMFORTABLE or more, Cung's mark, earns extra weight.
- latency: retrieval adds 10-500 ms (Sparkable); under TIGHT_LATENCY_MS (Cung's 200 ms) the
  extra step weighs heavily, under RELAXED_LATENCY_MS a little.
- budget and time: under SMALL_BUDGET_USD (Cung's $5K), or needed this week, start with
  retrieval or prompting; Cung lists both under "Start with RAG if".

Explanations are templates filled from the answers: {value} is the cited answer as a founder
would say it, {value_lower} the same in lower case, any question id gives that answer's
display, and {floor}, {comfortable}, {break_even}, {ft_upfront}, {hybrid_upfront} give figures.
Weights are multiples of 0.5, so every sum of them is exact.
"""

from dataclasses import dataclass
from typing import Any

LABEL_FLOOR = 500
LABEL_COMFORTABLE = 10_000
TIGHT_LATENCY_MS = 200
RELAXED_LATENCY_MS = 1_000
SMALL_BUDGET_USD = 5_000
LARGE_CORPUS = 100_000
HIGH_VOLUME = 1_000_000
# A failure review settles the problem type once one kind makes up this share of the failures;
# anything more even than that is both kinds.
REVIEW_MAJORITY = 0.75

FRESH = ("realtime", "daily", "weekly")
NEEDS_KNOWLEDGE = ("knowledge", "both", "unsure")
NEEDS_BEHAVIOUR = ("behavior", "both")
TRIED_AND_SHORT = ("mostly_works", "fails")

P, R, H, F = "prompt_engineering", "rag", "hybrid", "fine_tuning"

Conditions = tuple[tuple[str, tuple[Any, ...]], ...]


@dataclass(frozen=True)
class Rule:
    question: str
    values: tuple[Any, ...]
    effects: tuple[tuple[str, float], ...]
    explanation: str
    source: str
    quote: str
    reads: str
    when: Conditions = ()


@dataclass(frozen=True)
class Gate:
    question: str
    values: tuple[Any, ...]
    rules_out: tuple[str, ...]
    explanation: str
    source: str
    quote: str
    reads: str
    when: Conditions = ()


def _when(conditions: dict[str, tuple[Any, ...]] | None) -> Conditions:
    return tuple(sorted((conditions or {}).items()))


def rule(
    question: str,
    values: tuple[Any, ...],
    effects: dict[str, float],
    explanation: str,
    source: str,
    quote: str,
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
        quote,
        reads or question,
        _when(when),
    )


def gate(
    question: str,
    values: tuple[Any, ...],
    rules_out: tuple[str, ...],
    explanation: str,
    source: str,
    quote: str,
    *,
    reads: str = "",
    when: dict[str, tuple[Any, ...]] | None = None,
) -> Gate:
    return Gate(
        question, values, rules_out, explanation, source, quote, reads or question, _when(when)
    )


_Q_KNOWLEDGE = (
    "If your problem is \u201cthe model doesn't have my facts,\u201d that's a knowledge problem, "
    "and RAG is almost always the right first move."
)
_Q_BEHAVIOUR = (
    "If your problem is \u201cthe model has the facts but answers in the wrong format, tone, or "
    "structure,\u201d that's a behavior problem, and fine-tuning earns its keep."
)
_Q_BETTER_PROMPT = (
    "In my experience, most teams that think they need fine-tuning actually need a better "
    "prompt and a cleaner retrieval layer first."
)
_Q_SIMPLEST = "pick the simplest approach that hits the bar"
_Q_NINETY = (
    "You need a consistent output format \u2014 strict JSON, a house style, a domain-specific "
    "schema \u2014 and prompting gets you to 90% but not 99%."
)
_Q_FULL_STOP = "Daily or weekly \u2192 RAG, full stop."
_Q_VIABLE = "Monthly or never \u2192 fine-tuning becomes viable."
_Q_FLOOR = (
    "typically hundreds to low thousands of high-quality pairs. Quality beats quantity every "
    "time; a few hundred excellent examples beat ten thousand noisy ones."
)
_Q_NOISE = (
    "Fine-tuning without high-quality labeled data doesn't improve your model; it bakes your "
    "noise into the weights."
)
_Q_NO_LABELS = "If no, you can't fine-tune well today, and RAG is your only fast path regardless."
_Q_RESOURCES = (
    "You have high-quality labeled training data and the resources to run the training "
    "pipeline properly"
)
_Q_VOLUME = "Cheaper to start almost always means RAG; cheaper at scale depends on your volume."
_Q_PREP = (
    "But the real cost is data preparation \u2014 cleaning, labeling, and validating your "
    "training set easily takes 40-100 hours of human work."
)
_Q_PERMISSIONS = (
    "It supports permission-aware access, so the feature only uses data a given user is "
    "allowed to see. That is hard to do safely with fine-tuning."
)

RULES: tuple[Rule, ...] = (
    # 1. Knowledge or behaviour: the first question every article asks. Reads the problem type
    # as answered, or as the failure review settles it for a team that was unsure.
    rule(
        "problem_type",
        ("knowledge",),
        {R: 4, H: 1},
        "The model is missing your facts. Retrieval changes what a model knows; fine-tuning "
        "changes how it behaves, so a knowledge gap points to retrieval.",
        "lee",
        _Q_KNOWLEDGE,
        reads="problem",
    ),
    rule(
        "problem_type",
        ("behavior",),
        {F: 3, P: 2},
        "The model has the facts but answers in the wrong shape or tone. That is what "
        "fine-tuning changes, once careful prompting has shown it can't hold the behaviour.",
        "lee",
        _Q_BEHAVIOUR,
        reads="problem",
    ),
    rule(
        "problem_type",
        ("both",),
        {H: 4, R: 2, F: 1},
        "You have a knowledge gap and a behaviour gap. The usual answer is retrieval for the facts "
        "plus a fine-tuned model for the behaviour, built in that order.",
        "lee",
        "The mature answer, more often than people admit, is both \u2014 and they don't compete, "
        "they stack.",
        reads="problem",
    ),
    rule(
        "problem_type",
        ("unsure",),
        {P: 2, R: 2},
        "You can't yet tell why answers fail, so nothing points to training yet. Write down five "
        'failing answers and sort them into "didn\'t know" and "said it wrong".',
        "lee",
        "If you can't tell, write down five failing examples and look at why they fail.",
        reads="problem",
    ),
    # 2. Prompting first.
    rule(
        "prompting_result",
        ("good_enough",),
        {P: 4},
        "Careful prompting already meets your bar, and the simplest approach that does is the "
        "one to keep.",
        "studio",
        _Q_SIMPLEST,
    ),
    rule(
        "prompting_result",
        ("not_tried",),
        {P: 3},
        "Careful prompting hasn't been tried yet. It is the cheapest fix for how a model answers, "
        "and many teams that think they need fine-tuning need a better prompt first.",
        "decide",
        _Q_BETTER_PROMPT,
        when={"problem": ("behavior", "unsure")},
    ),
    rule(
        "prompting_result",
        ("not_tried",),
        {P: 1},
        "Prompting hasn't been tried yet. It can't add facts the model lacks, but a better prompt "
        "sets the baseline that retrieval or training has to beat.",
        "decide",
        _Q_BETTER_PROMPT,
    ),
    rule(
        "prompting_result",
        ("mostly_works",),
        {F: 2, H: 2},
        "Prompting gets most answers right but not enough of them: the gap between 9 in 10 and "
        "99 in 100 is what fine-tuning closes.",
        "lee",
        _Q_NINETY,
        when={"problem": NEEDS_BEHAVIOUR},
    ),
    rule(
        "prompting_result",
        ("fails",),
        {F: 2.5, H: 2.5},
        "Careful prompting fails too often to ship, so the behaviour has to be trained in.",
        "cung",
        "You need consistent style/format that prompt engineering can't nail",
        when={"problem": NEEDS_BEHAVIOUR},
    ),
    rule(
        "prompting_result",
        TRIED_AND_SHORT,
        {F: 2, H: 2},
        "The facts are missing, but prompting also falls short on the exact format every answer "
        "must take: that part is behaviour, and closing it is what fine-tuning does.",
        "lee",
        _Q_NINETY,
        when={"output_format": ("strict_schema",)},
    ),
    rule(
        "prompting_result",
        TRIED_AND_SHORT,
        {R: 1.5, H: 0.5},
        "Prompting alone falls short, and the failures are missing facts: a prompt can't supply "
        "facts the model never saw, retrieval can.",
        "lee",
        _Q_KNOWLEDGE,
    ),
    # 3. The shape, voice and speed of the answers.
    rule(
        "output_format",
        ("strict_schema",),
        {F: 2, H: 2},
        "Answers must follow an exact format and prompting doesn't hold it every time; few-shot "
        "prompting gets fragile here and retrieval doesn't help at all.",
        "sparkable",
        "few-shot prompting gets fragile fast and RAG does not help at all",
        when={"prompting_result": TRIED_AND_SHORT},
    ),
    rule(
        "output_format",
        ("strict_schema",),
        {P: 1},
        "An exact format is needed: ask for it in the prompt, with an example and a check on "
        "every reply, before training a model to hold it.",
        "decide",
        _Q_BETTER_PROMPT,
    ),
    rule(
        "style_consistency",
        ("high",),
        {F: 2, H: 2},
        "Every answer must sound like you. A house voice that can't be written into a short "
        "prompt is what fine-tuning trains in.",
        "lee",
        "Tone and voice matter and you can't express them in a prompt without it ballooning to "
        "2,000 tokens of instructions on every call.",
    ),
    rule(
        "style_consistency",
        ("medium",),
        {F: 0.5, H: 0.5},
        "A consistent voice matters somewhat; a style guide in the prompt may be enough, and "
        "fine-tuning can hold it more reliably.",
        "lee",
        "Tone and voice matter and you can't express them in a prompt without it ballooning to "
        "2,000 tokens of instructions on every call.",
    ),
    rule(
        "domain_language",
        ("specialized",),
        {F: 1.5, H: 1.5},
        "Your field uses vocabulary and reasoning a general model handles poorly; a fine-tuned "
        "model learns to use them, retrieval only hands it documents.",
        "decide",
        "Your task is highly specialized with domain-specific vocabulary where base models "
        "consistently underperform",
    ),
    rule(
        "task_shape",
        ("narrow_repetitive",),
        {F: 3, H: 1},
        "One narrow task at {monthly_queries} calls a month is where a smaller fine-tuned model "
        "is cheaper per call than a large general one.",
        "studio",
        "You have a narrow, high-volume classification task where a smaller fine-tuned model is "
        "cheaper per call than a large general one.",
        when={"volume_band": ("high",)},
    ),
    rule(
        "task_shape",
        ("narrow_repetitive",),
        {F: 1.5, H: 0.5},
        "One narrow task repeated many times is where a smaller fine-tuned model can match a "
        "large general one.",
        "lee",
        "You have a narrow, repeated task where a smaller fine-tuned model can match a large "
        "general one at a fraction of the cost and latency.",
    ),
    rule(
        "latency_budget_ms",
        ("tight",),
        {F: 3, P: 1.5},
        "Your {latency_budget_ms} budget is tight: a retrieval step adds 10-500 ms to each "
        "answer, a fine-tuned model adds nothing.",
        "cung",
        "Latency requirements are tight (<200ms)",
        reads="latency_band",
    ),
    rule(
        "latency_budget_ms",
        ("snug",),
        {F: 1, P: 1},
        "A retrieval step adds 10-500 ms to each answer; within {latency_budget_ms} that needs a "
        "fast retrieval path.",
        "sparkable",
        "RAG adds 10 to 500 ms of latency per query, even with an optimized pipeline.",
        reads="latency_band",
    ),
    # 4. Freshness. Fresher data never counts less for retrieval.
    rule(
        "data_change_frequency",
        FRESH,
        {R: 4, H: 2},
        "Your information changes {value_lower}. Re-indexing a document is cheap; retraining a "
        "model to keep up is a treadmill you won't win.",
        "lee",
        _Q_FULL_STOP,
        when={"problem": NEEDS_KNOWLEDGE},
    ),
    rule(
        "data_change_frequency",
        ("monthly",),
        {R: 1, H: 0.5},
        "Monthly changes leave fine-tuning workable, but each change means another training run, "
        "while retrieval just re-indexes the changed documents.",
        "cung",
        "Your data updates more than monthly",
        when={"problem": NEEDS_KNOWLEDGE},
    ),
    rule(
        "data_change_frequency",
        FRESH,
        {R: 1, H: 1},
        "Your information changes {value_lower}. The failures are about behaviour, but any facts "
        "the answers need must come from outside the weights; keep training to format and tone.",
        "lee",
        "Re-training to absorb yesterday's tickets is a treadmill you will not win.",
    ),
    rule(
        "data_change_frequency",
        ("monthly",),
        {R: 0.5, H: 0.5},
        "Your information changes monthly; facts in a fine-tuned model would need a retrain each "
        "time, so keep them out of training.",
        "lee",
        "Re-training to absorb yesterday's tickets is a treadmill you will not win.",
    ),
    rule(
        "data_change_frequency",
        ("quarterly",),
        {F: 1, H: 0.5},
        "Your information changes every few months, so a fine-tuned model would need only an "
        "occasional retrain.",
        "lee",
        _Q_VIABLE,
    ),
    rule(
        "data_change_frequency",
        ("rarely",),
        {F: 1.5, H: 0.5},
        "Your information rarely changes, so a fine-tuned model won't go stale.",
        "lee",
        _Q_VIABLE,
    ),
    # 5. Sources, access and the cost of errors.
    rule(
        "needs_citations",
        (True,),
        {R: 3, H: 2},
        "People must see where answers come from. Retrieval can point at the passage it used; "
        "knowledge trained into a model's weights can't be traced to a source.",
        "lee",
        "You need citations. RAG can point at the source chunk it used.",
    ),
    rule(
        "per_user_permissions",
        (True,),
        {R: 3, H: 1},
        "Users may only see their own slice of the data. Retrieval can filter by permission on "
        "every query; anything trained into a model is available to every user.",
        "studio",
        _Q_PERMISSIONS,
    ),
    rule(
        "sensitive_data",
        (True,),
        {R: 1.5, H: 0.5},
        "The data is sensitive. Keeping it in a retrieval layer with access controls is easier to "
        "secure than baking it into model weights.",
        "decide",
        "Your knowledge is sensitive - keeping data in a retrieval layer with access controls is "
        "easier to secure than baking it into model weights",
    ),
    rule(
        "error_cost",
        ("high",),
        {R: 1.5, H: 1},
        "A confidently wrong answer is costly. High-stakes answers need retrieval's traceability: "
        "grounded, checkable sources are the strongest single guard, though not a complete one.",
        "decide",
        "What is the cost of a wrong answer? High-stakes outputs with citation requirements need "
        "RAG's traceability.",
    ),
    rule(
        "error_cost",
        ("low",),
        {P: 0.5},
        "Occasional mistakes are tolerable, so the simplest approach that mostly works is enough.",
        "studio",
        _Q_SIMPLEST,
    ),
    # 6. The corpus.
    rule(
        "corpus_documents",
        ("empty",),
        {P: 2},
        "There are no documents to retrieve from yet, so a retrieval layer would have nothing to "
        "fetch.",
        "studio",
        "Retrieval, usually called RAG, fetches the relevant pieces of your data at the moment "
        "of the question and gives them to the model as context.",
        reads="corpus_band",
    ),
    rule(
        "corpus_documents",
        ("large",),
        {R: 1, H: 0.5},
        "A corpus of {corpus_documents} documents is too large and varied to train into a model; "
        "retrieval fetches the few passages each answer needs.",
        "decide",
        "You have a large, heterogeneous corpus - internal documentation, support tickets, "
        "research papers that a model can't be trained on efficiently",
        reads="corpus_band",
    ),
    rule(
        "corpus_structure",
        ("structured",),
        {R: 0.5},
        "Your data is structured, so retrieval can be a plain SQL or keyword lookup, simpler to "
        "run than a vector store.",
        "lee",
        "For small or well-structured corpora, keyword search, BM25, or even a SQL filter can "
        "outperform vectors and is far simpler to operate.",
        when={"problem": NEEDS_KNOWLEDGE},
    ),
    # 7. Labeled data. More clean examples never count less for fine-tuning.
    rule(
        "labeled_examples",
        ("zero",),
        {R: 1, P: 1},
        "You have no labeled examples, so there is nothing to train on yet. Ship without "
        "training and collect examples from real use.",
        "lee",
        _Q_NO_LABELS,
        reads="label_band",
    ),
    rule(
        "labeled_examples",
        ("below_floor",),
        {R: 1, P: 1},
        "{labeled_examples} clean examples is below the {floor}-pair minimum used here. The "
        'guidance ranges from "hundreds to low thousands" (Lee) to "10K+" (Cung); this advisor '
        "follows Lee for the minimum, because the floor is about quality, not volume.",
        "lee",
        _Q_FLOOR,
        reads="label_band",
    ),
    rule(
        "labeled_examples",
        ("enough",),
        {F: 2, H: 2},
        "{labeled_examples} clean examples clear the {floor}-pair minimum. The guidance ranges "
        'from "hundreds to low thousands" (Lee) to "10K+" (Cung); this advisor follows Lee for '
        "the minimum, because a few hundred excellent examples beat ten thousand noisy ones, and "
        "counts {comfortable} or more as comfortable.",
        "lee",
        _Q_FLOOR,
        reads="label_band",
    ),
    rule(
        "labeled_examples",
        ("comfortable",),
        {F: 3, H: 3},
        "{labeled_examples} clean examples is past the {comfortable} mark where training data "
        "stops being the worry.",
        "cung",
        "You have 10K+ high-quality labeled examples",
        reads="label_band",
    ),
    rule(
        "label_quality",
        ("unreviewed",),
        {R: 1, P: 1},
        "Nobody has checked your {labeled_examples} examples; training on them would bake their "
        "mistakes into the model.",
        "lee",
        _Q_NOISE,
        reads="label_band",
    ),
    rule(
        "label_quality",
        ("noisy",),
        {R: 1, P: 1},
        "Your examples are noisy. Fine-tuning on noisy labels trains the noise in; a few hundred "
        "clean pairs beat ten thousand noisy ones.",
        "lee",
        _Q_NOISE,
        reads="label_band",
    ),
    rule(
        "retrieval_issues",
        (True,),
        {F: 1, H: 1},
        "Your retrieval keeps pulling irrelevant passages. That can justify fine-tuning, but "
        "often a cleaner retrieval layer is what's missing, so fix that first.",
        "cung",
        "RAG retrieval keeps pulling irrelevant chunks",
    ),
    # 8. Volume and the break-even between fine-tuning alone and retrieval.
    rule(
        "monthly_queries",
        ("above",),
        {F: 1.5},
        "At {monthly_queries} calls a month you are above the break-even of {break_even}: "
        "fine-tuning's cheaper calls repay its build cost within {horizon_months}.",
        "lee",
        _Q_VOLUME,
        reads="break_even_band",
    ),
    rule(
        "monthly_queries",
        ("below",),
        {P: 1, R: 1},
        "At {monthly_queries} calls a month you are below the break-even of {break_even}, so "
        "fine-tuning would not repay its build cost within {horizon_months}: retrieval or a "
        "prompt stays cheaper.",
        "lee",
        _Q_VOLUME,
        reads="break_even_band",
    ),
    rule(
        "monthly_queries",
        ("never",),
        {P: 1, R: 1},
        "With your figures a fine-tuned model's calls cost more than retrieval's, so fine-tuning "
        "never becomes the cheaper option.",
        "lee",
        _Q_VOLUME,
        reads="break_even_band",
    ),
    # 9. Budget, time and team.
    rule(
        "upfront_budget_usd",
        ("small",),
        {P: 1.5, R: 1.5},
        "A build budget under $5,000 points to starting with retrieval or prompting; preparing "
        "training data alone usually costs more.",
        "cung",
        "Your budget is under $5K",
        reads="budget_band",
    ),
    rule(
        "upfront_budget_usd",
        ("short",),
        {P: 1, R: 1},
        "Your {upfront_budget_usd} budget doesn't cover the {ft_upfront} the cost model puts on "
        "building the fine-tuned option.",
        "cung",
        _Q_PREP,
        reads="build_band",
    ),
    rule(
        "upfront_budget_usd",
        ("short_hybrid",),
        {F: 0.5, R: 0.5},
        "Your {upfront_budget_usd} budget covers fine-tuning ({ft_upfront}) but not the "
        "{hybrid_upfront} a hybrid would take to build.",
        "cung",
        _Q_PREP,
        reads="build_band",
    ),
    rule(
        "time_to_ship",
        ("this_week",),
        {P: 3, R: 2},
        "It has to work this week. Prompting or retrieval can ship in days; fine-tuning takes "
        "weeks.",
        "cung",
        "You need it working this week",
    ),
    rule(
        "time_to_ship",
        ("this_month",),
        {P: 0.5, R: 0.5},
        "A month is enough to ship prompting or retrieval; fine-tuning fits in it only if the "
        "training data is already clean.",
        "decide",
        "You need to ship fast - a working RAG system can be built in days; fine-tuning a custom "
        "model takes weeks",
    ),
    rule(
        "ml_expertise",
        ("none",),
        {P: 1, R: 1},
        "Nobody on the team can prepare data, train and evaluate models, so fine-tuning would "
        "depend on skills you would have to hire or buy.",
        "decide",
        _Q_RESOURCES,
    ),
    rule(
        "ml_expertise",
        ("dedicated",),
        {F: 1, H: 1},
        "A dedicated ML team can prepare data, train, evaluate and retrain a model.",
        "decide",
        _Q_RESOURCES,
    ),
    rule(
        "stage",
        ("idea",),
        {P: 1, R: 1},
        "At the idea stage, the simplest build that shows you what users actually ask is the "
        "right one; you can't know which behaviours to train yet.",
        "sparkable",
        "Before you know what your users actually ask and which failure modes matter most, RAG "
        "lets you learn cheaply.",
    ),
    rule(
        "stage",
        ("production",),
        {H: 1.5},
        "You are live with real users. Past the prototype stage, retrieval for the facts plus a "
        "fine-tuned model for the behaviour is the common production shape.",
        "sparkable",
        "I've started defaulting to recommending a hybrid for any product past early prototype "
        "stage",
    ),
    rule(
        "use_case",
        ("qa_over_docs", "search_copilot"),
        {R: 1.5},
        "Question answering over documents, search and copilots are what retrieval handles well "
        "for most products.",
        "studio",
        "It is good enough for the large majority of use cases: search, copilots, question "
        "answering over documents.",
    ),
    rule(
        "use_case",
        ("support_assistant",),
        {R: 1},
        "Support assistants answer from knowledge bases that keep changing; retrieval keeps them "
        "current.",
        "cung",
        "Customer support knowledge bases, product catalogs, internal wikis \u2014 anything where "
        "yesterday's answer might be wrong today.",
    ),
    rule(
        "use_case",
        ("classification_extraction",),
        {F: 1.5},
        "Classifying text and extracting fields are tasks where fine-tuned models outperform "
        "retrieval.",
        "decide",
        "You're classifying or extracting structured information from text - fine-tuned models "
        "outperform RAG on these tasks",
    ),
)

_TRAINING_OUT = "Fine-tuning and the hybrid are ruled out for now: "

# In order of precedence: the guidance's own order of questions.
GATES: tuple[Gate, ...] = (
    gate(
        "prompting_result",
        ("good_enough",),
        (F, H),
        _TRAINING_OUT + "careful prompting already meets your bar, and training would only add "
        "cost and upkeep.",
        "studio",
        _Q_SIMPLEST,
    ),
    gate(
        "prompting_result",
        ("not_tried",),
        (F, H),
        _TRAINING_OUT + "try careful prompting first. Train only when a real behaviour gap "
        "survives it.",
        "decide",
        _Q_BETTER_PROMPT,
    ),
    gate(
        "labeled_examples",
        ("zero",),
        (F, H),
        _TRAINING_OUT + "there are no labeled examples to train on.",
        "lee",
        _Q_NO_LABELS,
        reads="label_band",
    ),
    gate(
        "labeled_examples",
        ("below_floor",),
        (F, H),
        _TRAINING_OUT + "{labeled_examples} clean examples is under the {floor} this advisor "
        "asks for before training.",
        "lee",
        _Q_FLOOR,
        reads="label_band",
    ),
    gate(
        "label_quality",
        ("unreviewed",),
        (F, H),
        _TRAINING_OUT + "nobody has reviewed the examples, and training bakes their mistakes "
        "into the model.",
        "lee",
        _Q_NOISE,
        reads="label_band",
    ),
    gate(
        "label_quality",
        ("noisy",),
        (F, H),
        _TRAINING_OUT + "noisy labels get baked into the weights. Clean them first.",
        "lee",
        _Q_NOISE,
        reads="label_band",
    ),
    gate(
        "data_change_frequency",
        FRESH,
        (F,),
        "Fine-tuning alone is ruled out: the knowledge your product depends on changes "
        "{value_lower}, and a fine-tuned model is frozen at its last training run. A hybrid keeps "
        "retrieval for the facts.",
        "lee",
        _Q_FULL_STOP,
        when={"problem": NEEDS_KNOWLEDGE},
    ),
    gate(
        "needs_citations",
        (True,),
        (F,),
        "Fine-tuning alone is ruled out: it can't show where an answer came from. A hybrid can, "
        "through its retrieval layer.",
        "sparkable",
        "With fine-tuning, the reasoning is opaque. You can not point to the training example "
        "that produced a given answer.",
    ),
    gate(
        "per_user_permissions",
        (True,),
        (F,),
        "Fine-tuning alone is ruled out: a model can't keep what it was trained on from users "
        "who mustn't see it. Retrieval can filter by permission on every query.",
        "studio",
        _Q_PERMISSIONS,
    ),
    gate(
        "time_to_ship",
        ("this_week",),
        (F, H),
        _TRAINING_OUT + "it has to work this week, and preparing data and training take weeks. "
        "Start with what ships in days and train later.",
        "cung",
        "You need it working this week",
    ),
    gate(
        "upfront_budget_usd",
        ("small",),
        (F, H),
        _TRAINING_OUT + "a build budget under $5,000 doesn't pay for preparing training data, "
        "which alone takes 40-100 hours of work.",
        "cung",
        "Your budget is under $5K",
        reads="budget_band",
    ),
)


# Where the articles disagree, which one the rules follow and why; every result lists these.
GUIDANCE_CHOICES: tuple[dict[str, str], ...] = (
    {
        "topic": "How many clean examples fine-tuning needs",
        "sources": "lee, cung",
        "follows": "lee",
        "choice": (
            f"At least {LABEL_FLOOR:,} clean pairs, following Lee's \"hundreds to low "
            f'thousands"; {LABEL_COMFORTABLE:,} or more, Cung\'s "10K+", counts as comfortable.'
        ),
        "why": (
            "Both put quality first, and Lee's floor is about quality: a few hundred excellent "
            "examples beat ten thousand noisy ones. Cung's figure is one signal among several "
            "for considering fine-tuning, not a floor."
        ),
    },
    {
        "topic": "Whether a product past its prototype should default to a hybrid",
        "sources": "sparkable, lee",
        "follows": "lee",
        "choice": (
            "Being live counts a little for the hybrid, but the hybrid is built retrieval "
            "first, and fine-tuning is added only for a behaviour gap that survives."
        ),
        "why": (
            "Sparkable defaults to a hybrid past the prototype stage yet stages it the same "
            "way, starting with retrieval; Lee and Cung both say to let real failures show "
            "the behaviour gap before training."
        ),
    },
)


def problem_from_review(review: dict[str, int] | None) -> str | None:
    """The problem type a failure review settles, or None while it has no failures in it."""
    if not review:
        return None
    facts = review.get("missing_or_wrong_facts", 0)
    behaviour = review.get("wrong_format_or_tone", 0)
    total = facts + behaviour
    if total == 0:
        return None
    if facts >= REVIEW_MAJORITY * total:
        return "knowledge"
    if behaviour >= REVIEW_MAJORITY * total:
        return "behavior"
    return "both"


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
    return "high" if monthly_queries >= HIGH_VOLUME else "normal"


def corpus_band(corpus_documents: int) -> str:
    if corpus_documents == 0:
        return "empty"
    return "large" if corpus_documents >= LARGE_CORPUS else "medium"


def budget_band(upfront_budget_usd: float) -> str:
    return "small" if upfront_budget_usd < SMALL_BUDGET_USD else "ok"
