"""The reviewed price table: every unit price and estimate the cost model needs beyond the
per-token inference prices in price_data/genai_prices.json.

Each figure names the key of its source in PRICE_SOURCES (or of a guidance article in
sources.SOURCES) and, through it, the date it was checked. "Advisor estimate" marks the few
figures no published material gives; they stay visible in each cost line so a reader can
disagree with them.
"""

from dataclasses import dataclass

# The reviewed figures below were checked in November 2026 (the month is what the notes record;
# the first of the month stands for it). Per-token prices carry the snapshot's own date.
REVIEWED_ON = "2026-11-01"

# Pages and the PDF warn when the oldest price used is older than this.
STALE_AFTER_DAYS = 90


@dataclass(frozen=True)
class PriceSource:
    title: str
    url: str
    kind: str  # "pricing" or "estimate" (the result schema's source kinds)
    checked_on: str = REVIEWED_ON
    author: str = ""


GENAI_PRICES_KEY = "genai-prices"
ESTIMATE_KEY = "advisor-estimate"

PRICE_SOURCES: dict[str, PriceSource] = {
    # checked_on for this one is the snapshot date recorded in price_data/genai_prices.json.
    GENAI_PRICES_KEY: PriceSource(
        "genai-prices: LLM inference prices", "https://github.com/pydantic/genai-prices", "pricing"
    ),
    "openai-pricing": PriceSource(
        "OpenAI API pricing", "https://openai.com/api/pricing/", "pricing"
    ),
    "azure-openai-pricing": PriceSource(
        "Azure OpenAI Service pricing",
        "https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/",
        "pricing",
    ),
    "fireworks-pricing": PriceSource(
        "Fireworks AI pricing", "https://fireworks.ai/pricing", "pricing"
    ),
    "gpu-rental": PriceSource(
        "Together AI pricing: dedicated endpoints and GPU clusters",
        "https://www.together.ai/pricing",
        "pricing",
    ),
    "pinecone-pricing": PriceSource(
        "Pinecone pricing", "https://www.pinecone.io/pricing/", "pricing"
    ),
    "pgvector": PriceSource(
        "pgvector: open-source vector similarity search for Postgres",
        "https://github.com/pgvector/pgvector",
        "pricing",
    ),
    "contextual-retrieval": PriceSource(
        "Introducing Contextual Retrieval",
        "https://www.anthropic.com/news/contextual-retrieval",
        "study",
        author="Anthropic",
    ),
    ESTIMATE_KEY: PriceSource("Advisor estimate", "", "estimate"),
}

# Guidance articles (keys of sources.SOURCES) some figures rest on.
GUIDANCE_CUNG = "cung"
GUIDANCE_SPARKABLE = "sparkable"
GUIDANCE_LEE = "lee"


@dataclass(frozen=True)
class Figure:
    value: float
    source: str  # a key of PRICE_SOURCES or sources.SOURCES
    note: str


@dataclass(frozen=True)
class PerMillion:
    """Per-token prices in USD per 1M tokens, from the reviewed table."""

    input: float
    output: float
    cached_input: float | None


@dataclass(frozen=True)
class FineTuneOffer:
    """How one base model can be fine-tuned and what the tuned model costs to call."""

    model: str  # the base model's name in the price snapshot
    method: str  # "supervised", "reinforcement" or "lora"
    training_usd_per_mtok: float | None  # per 1M training tokens (examples x tokens x epochs)
    training_usd_per_hour: float | None  # per training hour (reinforcement fine-tuning)
    inference_ref: str | None  # the snapshot's name for the tuned model's per-token prices
    inference: PerMillion | None  # reviewed per-token prices when the snapshot has none
    source: str
    open_weight: bool = False

    @property
    def training_note(self) -> str:
        if self.training_usd_per_hour is not None:
            return (
                f"{self.model} reinforcement fine-tuning ${self.training_usd_per_hour:g} per hour"
            )
        return f"{self.model} training ${self.training_usd_per_mtok:g} per 1M tokens"


_OPENAI = "openai-pricing"

FINE_TUNING: dict[str, FineTuneOffer] = {
    offer.model: offer
    for offer in (
        FineTuneOffer(
            "gpt-4.1", "supervised", 25.0, None, None, PerMillion(3.00, 12.00, 0.75), _OPENAI
        ),
        FineTuneOffer(
            "gpt-4.1-mini", "supervised", 5.0, None, None, PerMillion(0.80, 3.20, 0.20), _OPENAI
        ),
        FineTuneOffer(
            "gpt-4.1-nano", "supervised", 1.50, None, None, PerMillion(0.20, 0.80, 0.05), _OPENAI
        ),
        FineTuneOffer("gpt-4o", "supervised", 25.0, None, "ft:gpt-4o-2024-08-06", None, _OPENAI),
        FineTuneOffer(
            "gpt-4o-mini", "supervised", 3.0, None, "ft:gpt-4o-mini-2024-07-18", None, _OPENAI
        ),
        FineTuneOffer(
            "gpt-3.5-turbo", "supervised", 8.0, None, "ft:gpt-3.5-turbo-0125", None, _OPENAI
        ),
        FineTuneOffer(
            "o4-mini", "reinforcement", None, 100.0, None, PerMillion(4.00, 16.00, 1.00), _OPENAI
        ),
        # LoRA adapters on open-weight models up to 16B parameters; served per token at the base
        # model's price, or on GPU hours.
        FineTuneOffer(
            "llama-v3p1-8b-instruct", "lora", 0.50, None, None, None, "fireworks-pricing", True
        ),
    )
}

# The snapshot names the refresh script must keep fine-tuned prices for.
FINE_TUNED_INFERENCE_REFS: tuple[str, ...] = tuple(
    sorted(o.inference_ref for o in FINE_TUNING.values() if o.inference_ref)
)

# When the founder names no model to tune and theirs cannot be tuned, the cost model tunes the
# one of these whose base input price is closest to theirs, and says so.
NEAREST_FINE_TUNABLE: tuple[str, ...] = (
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
)
# Self-hosting needs open weights: this one is tuned when no open-weight model was named.
DEFAULT_OPEN_WEIGHT = "llama-v3p1-8b-instruct"

# Serving a tuned model on hourly-billed capacity. 720 hours is a 30-day month.
HOURS_PER_MONTH = 720
AZURE_FT_HOSTING_USD_PER_HOUR = Figure(
    1.70,
    "azure-openai-pricing",
    "a deployed fine-tuned model is billed about $1.70 an hour whether or not it gets traffic",
)
GPU_USD_PER_HOUR = Figure(
    2.41, "gpu-rental", "an A100 rents for about $1.39-3.43 an hour depending on the provider"
)
GPU_USD_PER_HOUR_RANGE = (1.39, 3.43)
AZURE_HOSTING_RANGE = (1.70, 1.70)
GPU_OUTPUT_TOKENS_PER_SECOND = Figure(
    1_000,
    ESTIMATE_KEY,
    "one GPU serving an 8B model with batching generates about 1,000 output tokens a second",
)

EMBEDDING_MODEL = "text-embedding-3-small"
EMBEDDING_USD_PER_MTOK = Figure(0.02, _OPENAI, "text-embedding-3-small $0.02 per 1M tokens")
TOKENS_PER_DOCUMENT = Figure(1_000, ESTIMATE_KEY, "an average document of about 750 words")

# Retrieval storage: pgvector in the PostgreSQL the product already runs for small corpora;
# past that, a managed vector store.
SELF_HOSTED_VECTOR_LIMIT = Figure(
    100_000,
    "pgvector",
    "an existing PostgreSQL with pgvector holds 100,000 documents at no extra cost",
)
MANAGED_VECTOR_MINIMUM_USD = Figure(
    50, "pinecone-pricing", "Pinecone Standard: $50 monthly minimum"
)
MANAGED_VECTOR_USD_PER_GB_MONTH = Figure(0.33, "pinecone-pricing", "storage $0.33 per GB-month")
VECTOR_BYTES_PER_DOCUMENT = Figure(
    16_000, ESTIMATE_KEY, "two 1,536-dimension vectors (6 KB each) plus metadata per document"
)

# A corpus this small can go whole into a cached prompt instead of being retrieved.
LONG_CONTEXT_LIMIT_TOKENS = Figure(
    200_000,
    "contextual-retrieval",
    "a knowledge base under about 200,000 tokens fits in the prompt",
)

# Times a month the corpus is re-embedded for each answer to data_change_frequency. Re-embedding
# the whole corpus each time is an upper bound; incremental indexing costs less.
REINDEX_PER_MONTH: dict[str, float] = {
    "realtime": 30.0,
    "daily": 30.0,
    "weekly": 52 / 12,
    "monthly": 1.0,
    "quarterly": 1 / 3,
    "rarely": 1 / 12,
}

# Prompt share: when the founder does not say how much of the prompt is fixed instructions and
# worked examples, half of it is taken to be.
INSTRUCTION_SHARE = Figure(
    0.5, ESTIMATE_KEY, "half of each prompt is fixed instructions and worked examples"
)

PROMPT_BUILD_HOURS = Figure(
    16, ESTIMATE_KEY, "two days to collect failing examples and iterate on the prompt"
)
RAG_BUILD_HOURS = Figure(
    20, GUIDANCE_CUNG, "RAG setup costs $500-2,000: the top of that range is 20 hours at $100"
)
RAG_UPKEEP_HOURS_PER_MONTH = Figure(
    4, ESTIMATE_KEY, "index hygiene, chunking fixes and evaluation each month"
)
FT_DATA_PREP_HOURS_MIN = Figure(40, GUIDANCE_CUNG, "data preparation takes 40-100 hours")
FT_DATA_PREP_HOURS_MAX = Figure(100, GUIDANCE_CUNG, "data preparation takes 40-100 hours")
FT_DATA_PREP_UNDERESTIMATE = Figure(
    5, GUIDANCE_CUNG, "most teams underestimate data preparation by 5-10x"
)
FT_DATA_PREP_FULL_AT = Figure(
    10_000, ESTIMATE_KEY, "preparation reaches the top of the range at 10,000 examples"
)
FT_SETUP_HOURS = Figure(16, ESTIMATE_KEY, "two days to set up training runs and an evaluation")
FT_RETRAIN_HOURS = Figure(8, ESTIMATE_KEY, "a day per retrain to refresh examples and re-evaluate")
RFT_EXAMPLE_EPOCHS_PER_HOUR = Figure(
    250, ESTIMATE_KEY, "reinforcement fine-tuning works through about 250 example-epochs an hour"
)

# The plausible range of each uncertain input, as multiples of the value used (the ranges and
# the sensitivity rows both read these).
RANGE_FACTORS: dict[str, tuple[float, float]] = {
    "monthly_queries": (0.5, 2.0),
    "avg_input_tokens": (0.75, 1.5),
    "avg_output_tokens": (0.75, 1.5),
    "retrieved_context_tokens": (0.5, 1.5),
    "retrains_per_year": (0.5, 2.0),
}
