"""The model pick list of the costs step: current models first, grouped by the provider that
makes them; older and specialised ones after; retired ones left out (they are still accepted
when typed, since the price catalog can price them). Also near matches for a mistyped name.

Only names come from the price catalog (advisor.engine.prices); which provider makes a model
and which models are current is read from the name, here, for the form.
"""

import difflib
import re
from dataclasses import dataclass
from functools import cache

from advisor.engine.prices import known_models, suggested_models

# Provider, and the name prefixes of the models it makes, in the order the list shows them.
PROVIDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("OpenAI", ("gpt-", "o1", "o3", "o4", "chatgpt-", "codex-")),
    ("Anthropic", ("claude",)),
    ("Google", ("gemini", "gemma")),
    ("Mistral", ("mistral", "mixtral", "codestral", "devstral", "magistral", "ministral")),
    ("Meta", ("llama",)),
    ("DeepSeek", ("deepseek",)),
    ("xAI", ("grok",)),
    ("Cohere", ("command", "c4ai", "aya")),
)
OTHER = "Other providers"

# Withdrawn by their makers: not offered, though still priced if someone types one.
RETIRED = re.compile(r"^(ada|babbage|curie|davinci|text-|claude-(v1|2|instant))")
# Superseded generations, offered after the current ones.
OLDER = re.compile(
    r"^(gpt-3\.5|gpt-4(-32k|-turbo|-vision-preview|-\d{4})?$|gpt-4o-2024|gpt-4\.5|claude-3-"
    r"|gemini-(1\.|pro|flash-1|2\.0)|gemma-2|command(-light|-r|-r-plus)?$"
    r"|mistral-(tiny|7b|medium-2312)|mixtral|claude-(3|4)-(opus|sonnet))"
)
# Models for images, speech, search or other special jobs rather than a product's text calls.
SPECIALISED = re.compile(
    r"(image|tts|transcribe|audio|realtime|embed|robotics|search|research|live|vision"
    r"|computer-use|safeguard|cyber|rosalind|nano-banana|pixtral|voxtral|saba)"
)


@dataclass(frozen=True)
class ModelChoice:
    name: str
    provider: str
    current: bool

    @property
    def label(self) -> str:
        return self.provider if self.current else f"{self.provider}, older or specialised"


def _family(name: str) -> tuple[str, int]:
    """The provider, and which of its name families (gpt- before o-series) a model is in."""
    lowered = name.lower()
    for provider, prefixes in PROVIDERS:
        for rank, prefix in enumerate(prefixes):
            if lowered.startswith(prefix):
                return provider, rank
    return OTHER, 0


def provider_of(name: str) -> str:
    return _family(name)[0]


def _version_key(name: str) -> tuple:
    """Newer first within a provider: compare the numbers in a name as numbers."""
    parts = re.split(r"(\d+)", name.lower())
    return tuple((1, int(p)) if p.isdigit() else (0, p) for p in parts)


@cache
def pick_list() -> tuple[ModelChoice, ...]:
    order = {provider: i for i, (provider, _) in enumerate(PROVIDERS)}
    choices = [
        ModelChoice(name, provider_of(name), not (OLDER.search(name) or SPECIALISED.search(name)))
        for name in suggested_models()
        if not RETIRED.search(name)
    ]

    def place(choice: ModelChoice) -> tuple[int, int]:
        return order.get(choice.provider, len(order)), _family(choice.name)[1]

    # Python's sort is stable: newest first, then grouped by provider and name family.
    current = sorted((c for c in choices if c.current), key=lambda c: _version_key(c.name))
    current.reverse()
    current.sort(key=place)
    rest = sorted((c for c in choices if not c.current), key=lambda c: _version_key(c.name))
    rest.reverse()
    rest.sort(key=place)
    return (*current, *rest)


def near_matches(typed: str, limit: int = 3) -> list[str]:
    """Names close to one the catalog does not know: current models first, then any priced
    model, so "gpt-4o-mnii" suggests "gpt-4o-mini" rather than a reseller's alias."""
    text = typed.strip().lower()
    current = [c.name for c in pick_list() if c.current]
    found = difflib.get_close_matches(text, current, n=limit, cutoff=0.6)
    if len(found) < limit:
        others = [m for m in known_models() if m not in found]
        found += difflib.get_close_matches(text, others, n=limit - len(found), cutoff=0.7)
    return found
