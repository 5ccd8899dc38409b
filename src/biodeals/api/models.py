"""Request shapes of the HTTP interface, validated by pydantic so bad input is a clear 422.

``DealQuery`` is shared by the JSON API (as query parameters) and the web pages (from their
filter forms), so both accept exactly the filters of ``biodeals deals``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from biodeals.service.queries import DEAL_STATUSES, DEAL_TYPES, ROLES, DealFilter, DealSort

# the service's vocabularies as validated choices (listed in the OpenAPI schema)
DealType = Literal[DEAL_TYPES]  # type: ignore[valid-type]
DealStatus = Literal[DEAL_STATUSES]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]

MAX_PAGE = 500


class DealQuery(BaseModel):
    """Filters, sorting and paging of a deals list."""

    model_config = ConfigDict(extra="forbid")

    company: str | None = Field(None, max_length=200, description="Party name, alias or part of a name")
    role: Role | None = Field(None, description="Role of `company` (or of any party when no company is given)")
    type: DealType | None = None
    status: DealStatus | None = None
    modality: str | None = Field(None, max_length=100)
    target: str | None = Field(None, max_length=200)
    indication: str | None = Field(None, max_length=200)
    asset: str | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=1900, le=2100)
    since: date | None = None
    until: date | None = None
    min_upfront: float | None = Field(None, ge=0)
    min_total: float | None = Field(None, ge=0)
    q: str | None = Field(None, max_length=500, description="Full text over the deals' source documents")
    sort: DealSort = "announced"
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)

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
            sort=self.sort,
            descending=self.order == "desc",
            limit=self.limit if paged else None,
            offset=self.offset if paged else 0,
        )


class NewDocument(BaseModel):
    """A document to ingest: its ``text``, or a ``url`` to fetch (a page, feed or JSON)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, min_length=1)
    url: HttpUrl | None = None
    title: str | None = Field(None, max_length=1000)
    published: date | None = None
    name: str | None = Field(None, max_length=200, description="A label for the document; default: its hash")
    source: str = Field("api", max_length=200)

    @model_validator(mode="after")
    def _text_or_url(self) -> NewDocument:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of text and url")
        return self
