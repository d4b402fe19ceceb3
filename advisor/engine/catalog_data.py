"""Dated figures the cost model needs that the genai-prices snapshot does not carry.

Every figure says where it comes from. "Advisor estimate" marks the few the published material
does not give; they are kept small and visible in each cost line so a reader can disagree.
"""

from dataclasses import dataclass

# genai-prices 0.2.3 records no snapshot date (its DataSnapshot.timestamp is the moment the data
# was loaded), so the report's price date is this catalog's: the latest date its notes say the
# OpenAI rates were verified. Per-token prices are also looked up as of this date, which keeps
# the engine off the clock and keeps price changes the snapshot schedules for later dates out.
PRICES_AS_OF = "2026-10-14"

GENAI_PRICES = "genai-prices 0.2.3 snapshot"


@dataclass(frozen=True)
class Figure:
    value: float
    source: str


@dataclass(frozen=True)
class FineTuneOffer:
    """How a provider sells fine-tuning of one base model."""

    training_usd_per_mtok: float
    inference_ref: str  # the name genai-prices prices the fine-tuned model under
    source: str


_OPENAI_FT = "OpenAI API pricing, fine-tuning table"

FINE_TUNING: dict[str, FineTuneOffer] = {
    "gpt-4o": FineTuneOffer(
        25.0, "ft:gpt-4o-2024-08-06", f"{_OPENAI_FT}: gpt-4o training $25 per 1M tokens"
    ),
    "gpt-4o-mini": FineTuneOffer(
        3.0, "ft:gpt-4o-mini-2024-07-18", f"{_OPENAI_FT}: gpt-4o-mini training $3 per 1M tokens"
    ),
    "gpt-3.5-turbo": FineTuneOffer(
        8.0, "ft:gpt-3.5-turbo-0125", f"{_OPENAI_FT}: gpt-3.5-turbo training $8 per 1M tokens"
    ),
}

# Models the catalog cannot fine-tune are priced on whichever of these has the closest base
# input price, and the cost line says so.
NEAREST_FINE_TUNABLE: tuple[str, ...] = ("gpt-4o-mini", "gpt-4o")

EMBEDDING_MODEL = "text-embedding-3-small"
EMBEDDING_USD_PER_MTOK = Figure(0.02, "OpenAI API pricing: text-embedding-3-small $0.02 per 1M")

TOKENS_PER_DOCUMENT = Figure(
    1_000, "Advisor estimate: an average document or record of about 750 words"
)

# Retrieval storage: a vector column in the database the product already runs costs nothing
# extra for small corpora; past that, a managed vector store.
SELF_HOSTED_VECTOR_LIMIT = Figure(
    100_000,
    "Sparkable: vector hosting costs $0 to a few hundred dollars a month depending on index "
    "size; advisor estimate that an existing Postgres with pgvector holds 100,000 documents",
)
MANAGED_VECTOR_MINIMUM_USD = Figure(50, "Pinecone Standard plan: $50 monthly minimum")
MANAGED_VECTOR_USD_PER_GB_MONTH = Figure(0.33, "Pinecone Standard plan: storage $0.33 per GB-month")
VECTOR_BYTES_PER_DOCUMENT = Figure(
    16_000, "Advisor estimate: two 1,536-dimension vectors (6 KB each) plus metadata per document"
)

# How many times a month the corpus is re-embedded for each answer to data_change_frequency.
# Re-embedding the whole corpus each time is an upper bound; incremental indexing costs less.
REINDEX_PER_MONTH: dict[str, float] = {
    "realtime": 30.0,
    "daily": 30.0,
    "weekly": 52 / 12,
    "monthly": 1.0,
    "quarterly": 1 / 3,
    "rarely": 1 / 12,
}

PROMPT_BUILD_HOURS = Figure(
    16, "Advisor estimate: two days to collect failing examples and iterate on the prompt"
)
RAG_BUILD_HOURS = Figure(
    20, "Tyson Cung: RAG setup costs $500-2,000; the top of that range is 20 hours at $100/hour"
)
RAG_UPKEEP_HOURS_PER_MONTH = Figure(
    4,
    "Advisor estimate for the upkeep Seunghun Lee lists for RAG: index hygiene, chunking, "
    "evaluation",
)
FT_DATA_PREP_HOURS_MIN = Figure(40, "Tyson Cung: data preparation takes 40-100 hours")
FT_DATA_PREP_HOURS_MAX = Figure(100, "Tyson Cung: data preparation takes 40-100 hours")
FT_DATA_PREP_FULL_AT = Figure(
    10_000, "Advisor estimate: preparation reaches the top of the range at 10,000 examples"
)
FT_SETUP_HOURS = Figure(
    16, "Advisor estimate: two days to set up training runs and an evaluation harness"
)
FT_RETRAIN_HOURS = Figure(
    8, "Advisor estimate: a day per retrain to refresh examples, train and re-evaluate"
)
