"""Request shapes of the HTTP interface, validated by pydantic so bad input is a clear 422.

``DealQuery`` is shared by the JSON API (as query parameters) and the web pages (from their
filter forms), so both accept exactly the filters of ``biodeals deals``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, model_validator

from biodeals.model import DEAL_STATUSES, DEAL_TYPES, ROLES
from biodeals.service.curation import DEAL_FIELDS
from biodeals.service.queries import DealFilter, DealSort
from biodeals.values import parse_amount, parse_date_bound

# the domain model's vocabularies as validated choices (listed in the OpenAPI schema)
DealType = Literal[DEAL_TYPES]  # type: ignore[valid-type]
DealStatus = Literal[DEAL_STATUSES]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]

MAX_PAGE = 500
# ids are 32-bit integers on PostgreSQL (and 64-bit on SQLite): a larger one names nothing and
# must never reach the database, where it overflows; offsets share the bound
MAX_ID = 2**31 - 1
MAX_OFFSET = MAX_ID
# PostgreSQL text cannot hold NUL: a filter holding one is refused, not sent to the database
NO_NUL = r"^[^\x00]*$"
# full-text search needs something to search for: an ASCII letter or digit, or any non-ASCII
# character, and no NUL. Written so that JSON Schema (ECMA) and Python's re read it alike.
HAS_WORD = r"^[^\x00]*([0-9A-Za-z]|[^\x00-\x7f])[^\x00]*$"
_WORD = re.compile(r"\w")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _real_date(value: Any) -> Any:
    """Only a calendar date written YYYY-MM-DD (pydantic alone reads ``0`` as 1970-01-01)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date written YYYY-MM-DD, e.g. 2026-05-05")
    return date.fromisoformat(value)  # ValueError for a day that does not exist (2026-02-30)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


def _has_word(value: str) -> str:
    if not re.search(HAS_WORD, value):
        raise ValueError("the search text needs at least one letter or digit")
    return value


def has_words(text: str | None) -> bool:
    """Whether the full-text search finds a word to look for in ``text`` (it splits at ``\\W``);
    valid text without one (``±``) matches nothing."""
    return text is None or bool(_WORD.search(text))


def _date_bound(end: bool) -> Any:
    """A date, or a year or year-month meaning its first (``end``: last) day ('2020')."""

    def validate(value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{1,2})?", value.strip()):
            return parse_date_bound(value, end=end)
        return _real_date(value)

    return validate


def _amount_text(value: Any) -> Any:
    """'50M', '1.2B', '$300 million' as units; a number (or number text) as it is, for the
    field's own bounds to judge."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return parse_amount(value)[0]
    return value


RealDate = Annotated[date, BeforeValidator(_real_date)]
SinceDate = Annotated[date, BeforeValidator(_date_bound(end=False))]
UntilDate = Annotated[date, BeforeValidator(_date_bound(end=True))]
# the patterns document the rules (and guide schemathesis); the validators state them clearly
Text = Annotated[str, Field(json_schema_extra={"pattern": NO_NUL}), AfterValidator(_no_nul)]
SearchText = Annotated[
    str, Field(json_schema_extra={"pattern": HAS_WORD}), AfterValidator(_no_nul), AfterValidator(_has_word)
]  # NUL first: its message is the clearer one
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False), BeforeValidator(_amount_text)]


class DealQuery(BaseModel):
    """Filters, sorting and paging of a deals list."""

    model_config = ConfigDict(extra="forbid")

    company: Text | None = Field(None, max_length=200, description="Party name, alias or part of a name")
    role: Role | None = Field(None, description="Role of `company` (or of any party when no company is given)")
    type: DealType | None = None
    status: DealStatus | None = None
    modality: Text | None = Field(None, max_length=100)
    target: Text | None = Field(None, max_length=200)
    indication: Text | None = Field(None, max_length=200)
    asset: Text | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=1900, le=2100)
    since: SinceDate | None = Field(None, description="Announced on or after: YYYY, YYYY-MM or YYYY-MM-DD")
    until: UntilDate | None = Field(
        None, description="Announced on or before: YYYY, YYYY-MM or YYYY-MM-DD (its last day), not before `since`"
    )
    min_upfront: Amount | None = Field(None, description="Minimum upfront: units or 50M, 1.2B, $300 million")
    min_total: Amount | None = Field(None, description="Minimum total value, as `min_upfront`")
    q: SearchText | None = Field(None, max_length=500, description="Full text over the deals' source documents")
    review: Literal["unreviewed", "confirmed", "rejected", "edited"] | None = Field(None, description="Review state")
    min_confidence: float | None = Field(None, ge=0, le=1, description="The extractor's confidence, at least")
    all: bool = Field(False, description="Also rejected and low-confidence deals (left out unless asked for)")
    sort: DealSort = "announced"
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    @model_validator(mode="after")
    def _dates_in_order(self) -> DealQuery:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since must not be after until")
        return self

    def to_filter(self, *, paged: bool = True) -> DealFilter:
        """The service's filter; ``paged=False`` drops limit and offset (for downloads)."""
        return DealFilter(
            company=self.company,
            role=self.role,
            type=self.type,
            status=self.status,
            modality=self.modality,
            target=self.target,
            indication=self.indication,
            asset=self.asset,
            year=self.year,
            since=self.since,
            until=self.until,
            min_upfront=self.min_upfront,
            min_total=self.min_total,
            text=self.q,
            review=self.review,
            min_confidence=self.min_confidence,
            trusted=not self.all,
            sort=self.sort,
            descending=self.order == "desc",
            limit=self.limit if paged else None,
            offset=self.offset if paged else 0,
        )


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
