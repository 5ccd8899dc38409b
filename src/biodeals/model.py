"""The domain model every layer shares: deal types, roles and statuses, and the typed deal and
readout records the extractor produces, the store keeps and the surfaces show.

The SCHEMA.md record (``../shared/eval/SCHEMA.md``) is built here and only here:
``Deal.to_record`` / ``Readout.to_record`` write it and ``from_record`` reads it back, so the nlp
layer, the writer and the service agree on one shape. Offsets are half-open ``[start, end)``
character ranges; which text they index is said where a span is made (cleaned text inside the nlp
layer, the original text once a record leaves it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DealType(StrEnum):
    """What kind of agreement a deal is (SCHEMA.md ``types``), in the order a deal's main type
    is chosen: the first of its types in this order says what the deal mainly is."""

    ACQUISITION = "acquisition"
    ASSET_PURCHASE = "asset_purchase"
    LICENSE = "license"
    OPTION = "option"
    EQUITY = "equity"
    MANUFACTURING = "manufacturing"
    SUPPLY = "supply"
    COLLABORATION = "collaboration"

    @property
    def rank(self) -> int:
        """Place in the priority order (0 first)."""
        return _DEAL_TYPE_ORDER.index(self)


_DEAL_TYPE_ORDER = tuple(DealType)
DEAL_TYPES: tuple[str, ...] = tuple(t.value for t in DealType)


class Side(StrEnum):
    """The side of a deal a party is on; the scorer and the merge compare roles by side."""

    BUYER = "buyer"  # pays: acquirer, licensee, investor, client
    SELLER = "seller"  # is paid: target, licensor, investee, provider
    NEUTRAL = "neutral"  # a partner of a collaboration


class Role(StrEnum):
    """A party's role in a deal (SCHEMA.md ``parties[].role``)."""

    LICENSEE = "licensee"
    LICENSOR = "licensor"
    ACQUIRER = "acquirer"
    TARGET = "target"
    INVESTOR = "investor"
    INVESTEE = "investee"
    CLIENT = "client"
    PROVIDER = "provider"
    PARTNER = "partner"

    @property
    def side(self) -> Side:
        return _ROLE_SIDES[self]


_ROLE_SIDES = {
    **dict.fromkeys((Role.LICENSEE, Role.ACQUIRER, Role.INVESTOR, Role.CLIENT), Side.BUYER),
    **dict.fromkeys((Role.LICENSOR, Role.TARGET, Role.INVESTEE, Role.PROVIDER), Side.SELLER),
    Role.PARTNER: Side.NEUTRAL,
}
ROLES: tuple[str, ...] = tuple(r.value for r in Role)

BUYER_ROLE: dict[DealType, Role] = {
    DealType.ACQUISITION: Role.ACQUIRER,
    DealType.ASSET_PURCHASE: Role.ACQUIRER,
    DealType.LICENSE: Role.LICENSEE,
    DealType.OPTION: Role.LICENSEE,
    DealType.EQUITY: Role.INVESTOR,
    DealType.MANUFACTURING: Role.CLIENT,
    DealType.SUPPLY: Role.CLIENT,
    DealType.COLLABORATION: Role.PARTNER,
}
"""The role of the paying side of a deal of each type."""
SELLER_ROLE: dict[DealType, Role] = {
    DealType.ACQUISITION: Role.TARGET,
    DealType.ASSET_PURCHASE: Role.TARGET,
    DealType.LICENSE: Role.LICENSOR,
    DealType.OPTION: Role.LICENSOR,
    DealType.EQUITY: Role.INVESTEE,
    DealType.MANUFACTURING: Role.PROVIDER,
    DealType.SUPPLY: Role.PROVIDER,
    DealType.COLLABORATION: Role.PARTNER,
}
"""The role of the paid side of a deal of each type."""


MILESTONE_SPLIT: dict[str, str] = {"development": "dev_milestones", "sales": "sales_milestones"}
"""The kinds a deal's milestones split into where its text splits them (development and
regulatory events, sales), each with the money-term kind a source's figure is stored under."""


DEAL_STAGES: tuple[str, ...] = (
    "discovery",
    "preclinical",
    "phase 1",
    "phase 1/2",
    "phase 2",
    "phase 2/3",
    "phase 3",
    "filed",
    "approved",
)
"""How far a deal's programme had come when the deal was made, earliest first."""


_ROMAN_PHASES = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def numbered_stage(first: str, second: str | None) -> str:
    """The stage of "Phase {first}[/{second}]" (numbers without their a/b part): "1", "2" -> phase
    1/2; "IV" -> approved."""
    numbers = [_ROMAN_PHASES.get(part.lower(), part) for part in (first, second) if part]
    if numbers[0] == "4":
        return "approved"  # a phase 4 study follows approval
    if len(numbers) == 2 and numbers[1] != numbers[0]:
        low, high = sorted(numbers)
        combined = f"phase {low}/{high}"
        if combined in DEAL_STAGES:
            return combined
        return f"phase {low}" if high == "4" else f"phase {high}"
    return f"phase {numbers[0]}"


class Status(StrEnum):
    """Where a deal stands in a document (SCHEMA.md ``status``)."""

    ANNOUNCED = "announced"
    AMENDED = "amended"
    COMPLETED = "completed"
    TERMINATED = "terminated"

    @property
    def rank(self) -> int:
        """How far along a deal is: a later source's lower rank never undoes a higher one."""
        return _STATUS_ORDER.index(self)


_STATUS_ORDER = tuple(Status)
DEAL_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


def status_rank(status: str | None) -> int:
    """``Status(status).rank``; 0 for None or an unknown status."""
    try:
        return Status(status).rank if status else 0
    except ValueError:
        return 0


class MoneyKind(StrEnum):
    """The money terms a deal states (SCHEMA.md ``upfront``, ``equity``, ``milestones``, ``total_value``)."""

    UPFRONT = "upfront"
    EQUITY = "equity"
    MILESTONES = "milestones"
    TOTAL_VALUE = "total_value"


MONEY_KINDS: tuple[str, ...] = tuple(k.value for k in MoneyKind)


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    """Where a record's value is stated: ``field`` (a record field name, or "deal" / "readout"
    for the sentences of the whole fact) and a half-open ``[start, end)`` character range; ``text``
    is the stretch itself once the span is mapped to the original text (``None`` before)."""

    field: str
    start: int
    end: int
    text: str | None = None

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"field": self.field, "start": self.start, "end": self.end}
        if self.text is not None:
            record["text"] = self.text
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> EvidenceSpan:
        return cls(record["field"], record["start"], record["end"], record.get("text"))


@dataclass(frozen=True, slots=True)
class Amount:
    """A money term: an amount in units (not millions) and its ISO 4217 currency."""

    amount: float
    currency: str

    def to_record(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> Amount | None:
        return None if record is None else cls(record["amount"], record["currency"])


@dataclass(frozen=True, slots=True)
class Named:
    """An asset, target, indication or trial: its most complete name and the other names used."""

    name: str
    aliases: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": list(self.aliases)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Named:
        return cls(record["name"], tuple(record.get("aliases") or ()))


@dataclass(frozen=True, slots=True)
class Party:
    """A company in a deal, with its role."""

    name: str
    role: Role
    aliases: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": list(self.aliases), "role": self.role.value}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Party:
        return cls(record["name"], Role(record["role"]), tuple(record.get("aliases") or ()))


def _named_list(records: list[dict[str, Any]] | None) -> tuple[Named, ...]:
    return tuple(Named.from_record(r) for r in records or ())


@dataclass(slots=True)
class Deal:
    """One deal as a document states it."""

    types: list[DealType]
    parties: list[Party]
    status: Status | None = None
    year: int | None = None
    money: dict[MoneyKind, Amount] = field(default_factory=dict)
    royalties: bool | None = None
    assets: tuple[Named, ...] = ()
    targets: tuple[Named, ...] = ()
    indications: tuple[Named, ...] = ()
    modalities: tuple[str, ...] = ()
    evidence: list[EvidenceSpan] = field(default_factory=list)
    confidence: float | None = None  # the extractor's probability that this is a deal (0-1)
    stage: str | None = None  # its programme's stage at signing, one of DEAL_STAGES
    milestone_split: dict[str, Amount] = field(default_factory=dict)  # "development" / "sales" -> amount

    def to_record(self) -> dict[str, Any]:
        """The SCHEMA.md deal object (plus its ``evidence`` and ``confidence``)."""
        money = {kind.value: (amount.to_record() if (amount := self.money.get(kind)) else None) for kind in MoneyKind}
        return {
            "types": [t.value for t in self.types],
            "status": self.status.value if self.status else None,
            "year": self.year,
            "parties": [p.to_record() for p in self.parties],
            **money,
            "royalties": self.royalties,
            "assets": [a.to_record() for a in self.assets],
            "targets": [t.to_record() for t in self.targets],
            "indications": [i.to_record() for i in self.indications],
            "modalities": list(self.modalities),
            "stage_at_signing": self.stage,
            "milestone_split": {kind: amount.to_record() for kind, amount in self.milestone_split.items()} or None,
            "evidence": [e.to_record() for e in self.evidence],
            "confidence": self.confidence,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Deal:
        """Read a SCHEMA.md deal object; raises ValueError naming a type, role or status that
        does not exist and KeyError for a missing required field."""
        money = {kind: amount for kind in MoneyKind if (amount := Amount.from_record(record.get(kind.value)))}
        return cls(
            types=[DealType(t) for t in record["types"]],
            parties=[Party.from_record(p) for p in record["parties"]],
            status=Status(record["status"]) if record.get("status") else None,
            year=record.get("year"),
            money=money,
            royalties=record.get("royalties"),
            assets=_named_list(record.get("assets")),
            targets=_named_list(record.get("targets")),
            indications=_named_list(record.get("indications")),
            modalities=tuple(record.get("modalities") or ()),
            evidence=[EvidenceSpan.from_record(e) for e in record.get("evidence") or ()],
            confidence=record.get("confidence"),
            stage=record.get("stage_at_signing"),
            milestone_split={
                kind: amount for kind, value in (record.get("milestone_split") or {}).items() if (amount := Amount.from_record(value))
            },
        )


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An endpoint value a readout states: "ORR" 47.0 "%"."""

    name: str
    value: float
    unit: str

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "unit": self.unit}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Endpoint:
        return cls(record["name"], record["value"], record["unit"])


@dataclass(slots=True)
class Readout:
    """One reported result of a clinical trial."""

    trial: Named | None = None
    phase: str | None = None
    assets: tuple[Named, ...] = ()
    indications: tuple[Named, ...] = ()
    endpoints: list[Endpoint] = field(default_factory=list)
    evidence: list[EvidenceSpan] = field(default_factory=list)
    confidence: float | None = None  # the extractor's probability that this is a readout (0-1)
    sponsor: Named | None = None  # the company whose trial it is

    def to_record(self) -> dict[str, Any]:
        """The SCHEMA.md readout object (plus its ``evidence``, ``confidence`` and ``sponsor``)."""
        return {
            "trial": self.trial.to_record() if self.trial else None,
            "sponsor": self.sponsor.to_record() if self.sponsor else None,
            "phase": self.phase,
            "assets": [a.to_record() for a in self.assets],
            "indications": [i.to_record() for i in self.indications],
            "endpoints": [e.to_record() for e in self.endpoints],
            "evidence": [e.to_record() for e in self.evidence],
            "confidence": self.confidence,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Readout:
        trial = record.get("trial")
        return cls(
            trial=Named.from_record(trial) if trial else None,
            phase=record.get("phase"),
            assets=_named_list(record.get("assets")),
            indications=_named_list(record.get("indications")),
            endpoints=[Endpoint.from_record(e) for e in record.get("endpoints") or ()],
            evidence=[EvidenceSpan.from_record(e) for e in record.get("evidence") or ()],
            confidence=record.get("confidence"),
            sponsor=Named.from_record(record["sponsor"]) if record.get("sponsor") else None,
        )


def record_spans(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every span a record points into its original text with: entity mentions, money mentions,
    and deal and readout evidence (each ``{"start", "end", "text", ...}``)."""
    for group in ("companies", "assets", "targets", "indications", "trials"):
        for entity in record.get("entities", {}).get(group, []):
            yield from entity.get("mentions", ())
    yield from record.get("entities", {}).get("money", [])
    for item in [*record.get("deals", []), *record.get("readouts", [])]:
        yield from item.get("evidence", [])
