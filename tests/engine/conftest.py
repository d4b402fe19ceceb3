"""Fixtures for the engine tests, which need no Django: the project-wide autouse fixtures that
touch settings and the database are replaced here by ones that do nothing."""

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "advisor" / "engine" / "schemas"
EXAMPLES = json.loads((Path(__file__).parent / "examples.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _plain_static_storage() -> None:
    """Engine tests touch no static files."""


@pytest.fixture(autouse=True)
def _cache_table() -> None:
    """Engine tests touch no database."""


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def result_validator() -> Draft202012Validator:
    """The whole result-v2 contract, costs included."""
    return Draft202012Validator(load_schema("result.schema.json"))


@pytest.fixture(scope="session")
def full_result_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("result.schema.json"))


@pytest.fixture(scope="session")
def answers_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("answers.schema.json"))
