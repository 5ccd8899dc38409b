"""Risk-adjusted net present value (rNPV) of a deal's stated terms, from the licensor's side.

Every cash flow is an amount times the probability of reaching the event that pays it, times a
discount factor for when it falls due. The upfront is paid at signing. Milestones are paid on
entering each later clinical stage, on approval and as sales milestones some years after it, in
the shares the assumptions file gives (``data/valuation.toml``, replaceable); where the text
splits them into development (and regulatory) and sales milestones, each part is spread over its
own events.
Probabilities are the phase-transition success rates of that file (BIO / Informa / QLS 2011-2020
by default), durations and the discount rate its documented defaults. Royalties and an equity
premium are not valued: there is no sales forecast, and the premium over the market price is not
stated. Every assumption and every cash flow is in the answer.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from biodeals.errors import ConfigError
from biodeals.model import DEAL_STAGES, numbered_stage
from biodeals.service.deals import get_deal

STAGES = DEAL_STAGES
# a combined phase reads out the later phase's data: its next step is the one after that phase
_SAME_AS = {"phase 1/2": "phase 2", "phase 2/3": "phase 3"}
_ORDER = ("discovery", "preclinical", "phase 1", "phase 2", "phase 3", "filed")  # each reaches the next


# the deals whose terms buy a programme: what milestones and the success rates value
VALUED_TYPES = {"license", "option", "collaboration", "acquisition", "asset_purchase"}
# "Phase IIb", "phase 1b/2", "P3", "2/3": a phase by number, its a/b part dropped
_PHASE_TYPED = re.compile(r"(?:phase|ph|p)?\s*(?P<a>[1-4]|iv|i{1,3})[ab]?(?:\s*/\s*(?P<b>[1-4]|iv|i{1,3})[ab]?)?")


def parse_stage(text: str) -> str:
    """A stage as people write it ('Phase III', 'phase3', 'Phase 2b', 'P2', '1b/2', 'Filed') as
    one of ``STAGES``; ConfigError for anything else."""
    typed = " ".join(text.strip().lower().split())
    if typed in STAGES:
        return typed
    match = _PHASE_TYPED.fullmatch(typed)
    if match:
        stage = numbered_stage(match.group("a"), match.group("b"))
        if stage != "approved":  # "phase 4" is no stage at signing one would type
            return stage
    raise ConfigError(f"stage {text!r}: expected one of {', '.join(STAGES)}")


@dataclass(frozen=True, slots=True)
class Assumptions:
    """What a valuation assumes (``data/valuation.toml``, or the file given instead)."""

    source: str
    transitions: dict[str, dict[str, float]]  # area -> stage -> probability of reaching the next
    years: dict[str, float]  # stage -> years before the next
    development: float
    approval: float
    commercial: float
    commercial_years: tuple[float, ...]
    discount_rate: float

    def as_dict(self, area: str) -> dict[str, Any]:
        return {
            "source": self.source,
            "therapeutic_area": area,
            "transitions": self.transitions[area],
            "years": self.years,
            "milestone_split": {"development": self.development, "approval": self.approval, "commercial": self.commercial},
            "commercial_years_after_approval": list(self.commercial_years),
            "discount_rate": self.discount_rate,
        }


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    """The shipped assumptions, read once (a page values a deal on every view)."""
    return tomllib.loads((resources.files("biodeals.data") / "valuation.toml").read_text(encoding="utf-8"))


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """The assumptions of ``path`` over the shipped defaults (a key it leaves out keeps its
    default); ConfigError naming the file and the problem."""
    shipped = _shipped()
    given: dict[str, Any] = {}
    if path is not None:
        try:
            given = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"--table {path}: not a readable TOML file ({error})") from None
    merged = {**shipped, **given}
    for table in ("years", "milestones"):
        merged[table] = {**shipped[table], **given.get(table, {})}
    areas = {**shipped["transitions"], **given.get("transitions", {})}
    merged["transitions"] = {area: {**shipped["transitions"].get(area, {}), **rows} for area, rows in areas.items()}
    try:
        milestones = merged["milestones"]
        assumptions = Assumptions(
            source=str(merged.get("source", path or "")),
            transitions={area: {k: float(v) for k, v in rows.items()} for area, rows in merged["transitions"].items()},
            years={k: float(v) for k, v in merged["years"].items()},
            development=float(milestones["development"]),
            approval=float(milestones["approval"]),
            commercial=float(milestones["commercial"]),
            commercial_years=tuple(float(y) for y in milestones["commercial_years"]),
            discount_rate=float(merged["discount_rate"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"--table {path or 'valuation.toml'}: {type(error).__name__}: {error}") from None
    problems = [
        f"{area} {stage} probability {p} is not between 0 and 1"
        for area, rows in assumptions.transitions.items()
        for stage, p in rows.items()
        if not 0 <= p <= 1
    ]
    if abs(assumptions.development + assumptions.approval + assumptions.commercial - 1) > 1e-9:
        problems.append("the milestone shares do not add up to 1")
    if not assumptions.commercial_years or any(y < 0 for y in assumptions.commercial_years):
        problems.append("commercial_years must list one or more years, none negative")
    problems += [f"years of {stage} must not be negative" for stage, y in assumptions.years.items() if y < 0]
    if not 0 <= assumptions.discount_rate < 1:
        problems.append(f"discount_rate {assumptions.discount_rate} must be at least 0 and below 1")
    if problems:
        raise ConfigError(f"--table {path or 'valuation.toml'}: " + "; ".join(problems))
    return assumptions


def _events(stage: str, table: dict[str, float], a: Assumptions) -> list[tuple[str, float, float, float]] | str:
    """(event, years from signing, probability, share of the milestones) of each milestone
    event ahead of ``stage``, or why they cannot be given."""
    now = _SAME_AS.get(stage, stage)
    if now == "approved":
        return [(f"sales milestone {i + 1}", y, 1.0, 1 / len(a.commercial_years)) for i, y in enumerate(a.commercial_years)]
    ahead = list(_ORDER[_ORDER.index(now) :])
    missing = [s for s in ahead if s not in table or s not in a.years]
    if missing:
        return f"the table gives no probability or duration for {', '.join(missing)}"
    development = [s for s in ahead[1:] if s in ("phase 1", "phase 2", "phase 3", "filed")]
    dev_share = a.development if development else 0.0
    approval_share = a.approval + (a.development - dev_share)
    events: list[tuple[str, float, float, float]] = []
    years, probability = 0.0, 1.0
    for current in ahead:
        years += a.years[current]
        probability *= table[current]
        following = _ORDER[_ORDER.index(current) + 1] if current != "filed" else "approved"
        if following == "approved":
            events.append(("approval", years, probability, approval_share))
        elif following in development:
            name = "filing" if following == "filed" else f"start of {following}"
            events.append((name, years, probability, dev_share / len(development)))
    events += [(f"sales milestone {i + 1}", years + y, probability, a.commercial / len(a.commercial_years)) for i, y in enumerate(a.commercial_years)]
    return events


def value_terms(
    terms: dict[str, Any], stage: str | None, assumptions: Assumptions, area: str = "all"
) -> dict[str, Any]:
    """The rNPV of ``terms`` (``upfront``, ``milestones``, ``total_value``, ``equity``,
    ``royalties`` as a deal summary holds them) for a programme at ``stage`` in ``area``: every
    cash flow, the assumptions, what is not valued; ``rnpv`` None with ``reason`` when the terms
    or the stage do not allow it."""
    notes: list[str] = []
    stage = parse_stage(stage) if stage is not None else None
    answer: dict[str, Any] = {"stage": stage, "assumptions": None, "cash_flows": [], "rnpv": None, "not_valued": notes}
    types = set(terms.get("types") or ())
    if types and not types & VALUED_TYPES:
        kinds = " and ".join(sorted(types))
        return {**answer, "reason": f"not enough terms: a {kinds} deal pays for goods or shares, not for a programme's milestones"}
    if terms.get("royalties"):
        notes.append("royalties: not valued without a sales forecast")
    if terms.get("equity"):
        notes.append("equity: not valued (the premium over the market price is not stated)")
    upfront, milestones = terms.get("upfront"), terms.get("milestones")
    total = terms.get("total_value")
    if milestones is None and total and (upfront is None or upfront["currency"] == total["currency"]):
        rest = total["amount"] - (upfront["amount"] if upfront else 0.0)
        if rest > 0 and upfront:
            milestones = {"amount": rest, "currency": total["currency"]}
            notes.append("milestones: taken as the total value less the upfront")
        elif upfront is None:
            upfront = total
            notes.append("no upfront stated: the total value is taken as paid at signing")
    if upfront is None and milestones is None:
        return {**answer, "reason": "not enough terms: the deal states no upfront, milestones or total value"}
    currencies = {m["currency"] for m in (upfront, milestones) if m}
    if len(currencies) > 1:
        return {**answer, "reason": f"not enough terms: the terms are in several currencies ({', '.join(sorted(currencies))})"}
    [currency] = currencies
    if area not in assumptions.transitions:
        raise ConfigError(f"therapeutic area {area!r}: the table has {', '.join(assumptions.transitions)}")
    answer["assumptions"] = assumptions.as_dict(area)
    flows: list[dict[str, Any]] = []
    if upfront:
        flows.append(_flow("upfront", 0.0, upfront["amount"], 1.0, assumptions.discount_rate))
    if milestones:
        if stage is None:
            return {**answer, "reason": "not enough terms: the deal's stage at signing is not known (give a stage)"}
        events = _events(stage, assumptions.transitions[area], assumptions)
        if isinstance(events, str):
            return {**answer, "reason": f"not enough terms: {events}"}
        amounts = _milestone_amounts(events, milestones, terms.get("milestone_split"), notes)
        for (event, years, probability, _), amount in zip(events, amounts, strict=True):
            if amount:
                flows.append(_flow(event, years, amount, probability, assumptions.discount_rate))
    answer["cash_flows"] = [{**f, "currency": currency} for f in flows]
    answer["rnpv"] = {"amount": sum(f["risk_adjusted_value"] for f in flows), "currency": currency}
    answer["stated"] = {"amount": sum(f["amount"] for f in flows), "currency": currency}
    return answer


def _milestone_amounts(
    events: list[tuple[str, float, float, float]],
    milestones: dict[str, Any],
    split: dict[str, dict[str, Any]] | None,
    notes: list[str],
) -> list[float]:
    """What each milestone event pays: the default shares of the stated milestones, or where the
    text splits them into development (and regulatory) and sales milestones, each part spread
    over its own events in the default shares' proportions."""
    if not split or any(part["currency"] != milestones["currency"] for part in split.values()):
        return [milestones["amount"] * share for *_, share in events]
    if abs(sum(part["amount"] for part in split.values()) - milestones["amount"]) > 0.5:
        return [milestones["amount"] * share for *_, share in events]  # the parts are not the whole
    kind = ["sales" if event.startswith("sales milestone") else "development" for event, *_ in events]
    weight = {k: sum(share for (*_, share), of in zip(events, kind, strict=True) if of == k) for k in ("development", "sales")}
    parts = {k: split.get(k, {"amount": 0.0})["amount"] for k in weight}
    for k, amount in parts.items():
        if amount and not weight[k]:
            notes.append(f"{k} milestones: not valued, no {k} event is ahead of the stage")
    notes.append(
        "milestones: split as the text states them: "
        + ", ".join(f"{k} {amount:,.0f} {milestones['currency']}" for k, amount in parts.items() if amount)
    )
    return [parts[of] * share / weight[of] if weight[of] else 0.0 for (*_, share), of in zip(events, kind, strict=True)]


def _flow(event: str, years: float, amount: float, probability: float, rate: float) -> dict[str, Any]:
    discount = 1 / (1 + rate) ** years
    return {
        "event": event,
        "years": years,
        "amount": amount,
        "probability": probability,
        "discount_factor": discount,
        "risk_adjusted_value": amount * probability * discount,
    }


def value_deal(engine: Engine, deal_id: int, **options: Any) -> dict[str, Any]:
    """The rNPV of deal ``deal_id``'s terms: ``value_of`` the stored deal."""
    return value_of(get_deal(engine, deal_id), **options)


def value_of(
    deal: dict[str, Any],
    *,
    stage: str | None = None,
    area: str | None = None,
    discount_rate: float | None = None,
    table: str | Path | None = None,
) -> dict[str, Any]:
    """The rNPV of ``deal``'s terms (a deal as ``get_deal`` gives it; ``value_terms``): ``stage``
    is the programme's stage at signing (the deal's own when it states one; ``stage_source`` in
    the answer says which), ``area`` the success
    rates' therapeutic area (the deal's own when the table has it, else all indications),
    ``discount_rate`` overrides the table's."""
    assumptions = load_assumptions(table)
    if discount_rate is not None:
        if not 0 <= discount_rate < 1:
            raise ConfigError(f"discount rate {discount_rate}: expected a yearly rate between 0 and 1, e.g. 0.1")
        assumptions = replace(assumptions, discount_rate=discount_rate)
    stage_source = "given" if stage else "stated" if deal.get("stage") else None
    stage = stage or deal.get("stage")
    if area is None:  # the deal's own area when the table has rates for it
        area = next((a for a in deal["therapeutic_areas"] if a in assumptions.transitions), "all")
    valued = value_terms(deal, stage, assumptions, area)
    return {"deal_id": deal["id"], "headline": deal["headline"], "stage_source": stage_source, **valued}
