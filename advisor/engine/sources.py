"""The approaches the advisor compares and the published guidance its rules rest on."""

# Ordered from simplest to most involved; ties in the decision break toward the earlier one.
APPROACHES: tuple[str, ...] = ("prompt_engineering", "rag", "hybrid", "fine_tuning")

APPROACH_LABELS: dict[str, str] = {
    "prompt_engineering": "Better prompting",
    "rag": "Retrieval (RAG)",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid: retrieval plus a fine-tuned model",
}

# The published guidance the rules rest on, cited by title as published. Author is the person or
# publisher named on the page, or "" when the page names none. Every entry is of kind "guidance";
# price sources come from the cost model.
SOURCES: dict[str, dict[str, str]] = {
    "lee": {
        "title": "RAG vs Fine-Tuning: Which Is Right for Your Product?",
        "author": "Seunghun Lee",
        "kind": "guidance",
    },
    "sparkable": {
        "title": "RAG vs Fine-Tuning: Which Does Your Product Need?",
        "author": "Sparkable",
        "kind": "guidance",
    },
    "studio": {
        "title": "RAG vs fine-tuning: which one does your product need?",
        "author": "",
        "kind": "guidance",
    },
    "decide": {
        "title": "RAG vs Fine-Tuning - How to Actually Decide",
        "author": "",
        "kind": "guidance",
    },
    "cung": {
        "title": (
            "RAG vs Fine-Tuning — I've Used Both in Production, Here's What Actually Matters"
        ),
        "author": "Tyson Cung",
        "kind": "guidance",
    },
}
