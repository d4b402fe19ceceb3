"""The API's own documents (the envelopes around answers-v2 and result-v2), as pydantic models.

The OpenAPI components of these models come from pydantic; their answers and result fields point
at the components built from the JSON Schema contracts (advisor.api.contracts)."""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from advisor.api.contracts import ref

# Wrapped in allOf: pydantic resolves a bare $ref that has siblings (a field's description)
# against its own definitions, which do not hold the contracts.
Answers = Annotated[dict[str, Any], WithJsonSchema({"allOf": [ref("AnswersV2")]})]
Result = Annotated[dict[str, Any], WithJsonSchema({"allOf": [ref("ResultV2")]})]
PriceItem = Annotated[dict[str, Any], WithJsonSchema({"allOf": [ref("ResultV2_price")]})]


class FieldProblem(BaseModel):
    field: str = Field(description="The answer at fault: a property of answers-v2, or (document).")
    pointer: str = Field(description="JSON Pointer to it in the request body.")
    message: str = Field(description="What is wrong, as the check-answers page says it.")
    detail: str = Field(description="The whole sentence: the question's label and the message.")


class Problem(BaseModel):
    """RFC 9457 problem details, served as application/problem+json."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = Field(
        default=None, description="Every bad field, when the answers are at fault."
    )


class Assessment(BaseModel):
    """A stored assessment as its token holder may see it."""

    model_config = ConfigDict(title="Assessment")

    access: Literal["owner", "share"] = Field(
        description="owner: opened with the edit token; share: read-only through the share token."
    )
    revision: int = Field(description="Bumped by every save; the ETag header carries it.")
    status: Literal["draft", "complete"]
    project_name: str
    answers: Answers
    result: Result | None = Field(description="Null until the answers have been assessed.")
    edit_token: str | None = Field(
        default=None,
        description="Only in the answer to the request that created the assessment: keep it, it "
        "is never shown again. Send it as 'Authorization: Bearer <token>' to update.",
    )
    edit_url: str | None = Field(default=None, description="The owner's web link (owner only).")
    share_token: str | None = Field(
        default=None, description="The read-only token (owner only; null once revoked)."
    )
    share_url: str | None = Field(default=None, description="The read-only web link.")
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None


class PriceSource(BaseModel):
    key: str = Field(description="What `source` in a price item refers to.")
    title: str
    kind: str
    url: str | None = None
    author: str | None = None
    checked_on: str | None = None


class PriceCatalog(BaseModel):
    prices_as_of: str = Field(description="Date of the oldest price data the cost model uses.")
    prices: list[PriceItem] = Field(
        description="Every unit price the cost model can charge (per-token prices of the "
        "models in the wizard's pick list, training, tuned calls, embeddings, vector storage, "
        "hourly serving), in the result-v2 price item shape."
    )
    sources: list[PriceSource] = Field(description="Where each price comes from.")


MODELS = (FieldProblem, Problem, Assessment, PriceSource, PriceCatalog)
