"""The deal filters, declared once: ``DealQuery`` names each filter, its type, bounds, help and
example, and every surface reads it — the API as query parameters, the pages from their filter
form (``FORM_FIELDS``), the ``deals`` and ``export`` commands as options (``cli_flag``) — so all
accept the same values with the same messages.

The value types (``Text``, ``SearchText``, ``Amount``, dates) and bounds (``MAX_ID``) are those of
the store: text PostgreSQL can compare, ids that fit its integers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from biodeals.errors import ConfigError
from biodeals.model import DEAL_STAGES, DEAL_STATUSES, DEAL_TYPES, ROLES
from biodeals.service.deals import DealFilter, DealSort
from biodeals.store.schema import REVIEW_STATES
from biodeals.values import parse_amount, parse_date_bound

# the domain model's vocabularies as validated choices (listed in the OpenAPI schema)
DealType = Literal[DEAL_TYPES]  # type: ignore[valid-type]
DealStatus = Literal[DEAL_STATUSES]  # type: ignore[valid-type]
DealStage = Literal[DEAL_STAGES]  # type: ignore[valid-type]
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
    """Filters, sorting and paging of a deals list. A filter's ``title`` labels it on a form, its
    ``examples`` hint at what to type."""

    model_config = ConfigDict(extra="forbid")

    company: Text | None = Field(
        None, max_length=200, description="Party name, alias or part of a name", examples=["Lilly"]
    )
    role: Role | None = Field(None, description="Role of `company` (or of any party when no company is given)")
    type: DealType | None = Field(None, description="Deal type")
    status: DealStatus | None = Field(None, description="Deal status")
    stage: DealStage | None = Field(None, description="Stage of the deal's programme at signing")
    modality: Text | None = Field(None, max_length=100, description="antibody, cell therapy ...")
    target: Text | None = Field(None, max_length=200, description="Molecular target", examples=["PD-1"])
    indication: Text | None = Field(None, max_length=200, description="Disease or condition", examples=["obesity"])
    asset: Text | None = Field(None, max_length=200, description="Drug or programme name")
    year: int | None = Field(None, ge=1900, le=2100, description="Year announced")
    since: SinceDate | None = Field(
        None, description="Announced on or after: YYYY, YYYY-MM or YYYY-MM-DD", examples=["2020"]
    )
    until: UntilDate | None = Field(
        None,
        description="Announced on or before: YYYY, YYYY-MM or YYYY-MM-DD (its last day), not before `since`",
        examples=["2024-06"],
    )
    min_upfront: Amount | None = Field(
        None, description="Minimum upfront: units or 50M, 1.2B, $300 million", examples=["50M"]
    )
    min_total: Amount | None = Field(None, description="Minimum total value, as `min_upfront`", examples=["1B"])
    q: SearchText | None = Field(
        None,
        max_length=500,
        title="Text in sources",
        description="Full text over the deals' source documents",
        examples=["phase 3"],
    )
    review: Literal[REVIEW_STATES] | None = Field(None, description="Review state")  # type: ignore[valid-type]
    min_confidence: float | None = Field(
        None, ge=0, le=1, description="The extractor's confidence, at least (0-1)", examples=["0.8"]
    )
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
            stage=self.stage,
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


class ReadoutQuery(BaseModel):
    """Filters and paging of a readouts list."""

    model_config = ConfigDict(extra="forbid")

    sponsor: Text | None = Field(None, max_length=200, description="The company whose trial it is", examples=["Tessaly"])
    asset: Text | None = Field(None, max_length=200, description="Drug name", examples=["velarutide"])
    trial: Text | None = Field(None, max_length=200, description="Trial name or registry number")
    indication: Text | None = Field(None, max_length=200, description="Disease or condition")
    phase: Text | None = Field(None, max_length=20, description='"1", "1/2", "2", "2/3", "3" or "4"')
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def filters(self) -> dict[str, Any]:
        """The service's keyword filters (paging apart)."""
        return self.model_dump(exclude={"limit", "offset"})


class StatsQuery(BaseModel):
    """What the figures count: by default the trusted deals only, as the lists."""

    model_config = ConfigDict(extra="forbid")

    all: bool = Field(False, description="Also rejected and low-confidence deals (`left_out` counts them)")


# what selects deals, as against how the selection is sorted and paged
FILTERS: tuple[str, ...] = tuple(name for name in DealQuery.model_fields if name not in ("sort", "order", "limit", "offset"))
# the filters the deals page offers as facets (links with counts); its form has a field for the
# others and for a company's name, `all` is its "show them" link
FACETED = ("type", "status", "stage", "modality", "year", "company")
FORM_FIELDS: tuple[str, ...] = (
    "company",
    *(name for name in FILTERS if name not in FACETED and DealQuery.model_fields[name].annotation is not bool),
)
_CLI_FLAGS = {"q": "--text"}  # `--text` reads better on a command line than `--q`


def cli_flag(name: str) -> str:
    """The command-line option of the filter ``name`` ('min_upfront' -> '--min-upfront')."""
    return _CLI_FLAGS.get(name, "--" + name.replace("_", "-"))


def label(name: str) -> str:
    """The filter's form label: its title, else its name ('min_upfront' -> 'Min upfront')."""
    return DealQuery.model_fields[name].title or name.replace("_", " ").capitalize()


def choices(name: str) -> tuple[str, ...]:
    """The values the filter ``name`` may take (empty when it takes any text or number)."""
    annotation = DealQuery.model_fields[name].annotation
    literal = next((arg for arg in get_args(annotation) if get_origin(arg) is Literal), None)
    return get_args(literal) if literal is not None else ()


def example(name: str) -> str:
    """What to type in the filter's field ('' when it has no example)."""
    examples = DealQuery.model_fields[name].examples
    return f"e.g. {examples[0]}" if examples else ""


def deal_query(values: dict[str, Any], flag: Callable[[str], str] | None = None) -> DealQuery:
    """``values`` validated as a DealQuery, or ConfigError naming each bad one and what was given
    (through ``flag``, which spells a filter's name as the caller's user knows it)."""
    try:
        return DealQuery.model_validate(values)
    except ValidationError as error:
        raise ConfigError("; ".join(problems(error, flag))) from None


def problems(error: ValidationError, flag: Callable[[str], str] | None = None) -> list[str]:
    """Each of ``error``'s problems in a line, the filter named through ``flag``."""
    return [_problem(item, flag or str) for item in error.errors()]


def _problem(item: Any, flag: Callable[[str], str]) -> str:
    """'--type: 'merger': Input should be ...' (the value only when the message does not quote it)."""
    message = item["msg"].removeprefix("Value error, ")
    if not item["loc"]:  # the model's own rule, e.g. since after until
        return message
    given = item.get("input")
    quoted = f"{given!r}: " if isinstance(given, str) and repr(given) not in message else ""
    return f"{flag(str(item['loc'][0]))}: {quoted}{message}"
