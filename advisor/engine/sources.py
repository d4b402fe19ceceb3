"""The approaches the advisor compares and the published guidance its rules rest on."""

# Ordered from simplest to most involved; ties in the decision break toward the earlier one.
APPROACHES: tuple[str, ...] = ("prompt_engineering", "rag", "hybrid", "fine_tuning")

APPROACH_LABELS: dict[str, str] = {
    "prompt_engineering": "Better prompting",
    "rag": "Retrieval (RAG)",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid: retrieval plus a fine-tuned model",
}

# Cited by title, as published. Author is the person or publisher named on the page, or "" when
# the page names none.
SOURCES: dict[str, dict[str, str]] = {
    "lee": {
        "title": "RAG vs Fine-Tuning: Which Is Right for Your Product?",
        "author": "Seunghun Lee",
    },
    "sparkable": {
        "title": "RAG vs Fine-Tuning: Which Does Your Product Need?",
        "author": "Sparkable",
    },
    "studio": {
        "title": "RAG vs fine-tuning: which one does your product need?",
        "author": "",
    },
    "decide": {
        "title": "RAG vs Fine-Tuning - How to Actually Decide",
        "author": "",
    },
    "cung": {
        "title": (
            "RAG vs Fine-Tuning — I've Used Both in Production, Here's What Actually Matters"
        ),
        "author": "Tyson Cung",
    },
}
