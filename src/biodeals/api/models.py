"""Request bodies of the HTTP interface, validated by pydantic so bad input is a clear 422.

The query filters of the deal lists are ``biodeals.service.filters.DealQuery``, shared with the
pages and the command line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from biodeals.service.curation import DEAL_FIELDS
from biodeals.service.filters import MAX_ID, RealDate, Text


class NewDocument(BaseModel):
    """A document to ingest: its ``text``, or a ``url`` to fetch (a page, feed or JSON)."""

    model_config = ConfigDict(extra="forbid")

    text: Text | None = Field(None, min_length=1)
    url: HttpUrl | None = None
    title: Text | None = Field(None, max_length=1000)
    published: RealDate | None = None
    name: Text | None = Field(None, max_length=200, description="A label for the document; default: its hash")
    source: Text = Field("api", max_length=200)

    @model_validator(mode="after")
    def _text_or_url(self) -> NewDocument:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of text and url")
        return self


class FieldProblem(BaseModel):
    """One invalid input: where it is (``query.since``, ``body.text``) and what is wrong."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """The one error envelope of every 4xx answer: a ``detail`` line; 422s also list ``problems``."""

    detail: str = Field(description="What went wrong, in one line")
    problems: list[FieldProblem] | None = Field(None, description="Each invalid input (422 only)")


Note = Annotated[Text | None, Field(None, max_length=2000, description="Why (kept in the history)")]


class ReviewBody(BaseModel):
    """A review of a deal or readout."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["unreviewed", "confirmed", "rejected"]
    note: Note = None


class EditBody(BaseModel):
    """A new value for one field of a deal, as a person types it ('50M', 'completed',
    'license; collaboration', 'Eli Lilly=licensee; ProQR=licensor', 'none')."""

    model_config = ConfigDict(extra="forbid")

    field: Literal[DEAL_FIELDS]  # type: ignore[valid-type]
    value: Text = Field(max_length=2000)
    quote: Text | None = Field(None, max_length=2000, description="Words of a source that state it (evidence)")
    note: Note = None


class SplitBody(BaseModel):
    """A company to take off a deal."""

    model_config = ConfigDict(extra="forbid")

    company: Text = Field(min_length=1, max_length=200, description="Name, alias or id")
    note: Note = None


class MergeDealsBody(BaseModel):
    """The deal that is the same as the deal of the path and becomes part of it."""

    model_config = ConfigDict(extra="forbid")

    absorb: int = Field(ge=1, le=MAX_ID)
    note: Note = None


class MergeCompaniesBody(BaseModel):
    """The company (name, alias or id) that is the same as the one of the path."""

    model_config = ConfigDict(extra="forbid")

    absorb: Text = Field(min_length=1, max_length=200)
    note: Note = None


class UndoBody(BaseModel):
    """Why a decision is reverted."""

    model_config = ConfigDict(extra="forbid")

    note: Note = None


class WatchlistBody(BaseModel):
    """A watchlist to save: a name, the deal filters (as for ``GET /api/deals``) and an
    optional webhook told of each matching deal an ingest stores."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=64, description="Letters, digits, '-' and '_'")
    filters: dict[str, str | float | bool] = Field(default_factory=dict, description="Deal filters, e.g. {\"type\": \"license\", \"min_upfront\": \"50M\"}")
    webhook: HttpUrl | None = Field(None, description="http(s) URL told (JSON POST) of each new matching deal")
