"""Curation: people confirming, rejecting and correcting what extraction stored. Each call checks
what was typed (a field's value, a quote, a company's name), takes the knowledge base's write lock
and records the decision with its user, time and note (``biodeals.store.curation``), so a later
ingest cannot undo it and ``undo`` can.

Field values are typed as people write them: ``upfront 50M``, ``status completed``,
``stage phase 2``, ``types license; collaboration``, ``parties Eli Lilly=licensee; ProQR=licensor``,
``targets KRAS; PD-1``, and ``none`` for no value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, select

from biodeals.errors import ConfigError
from biodeals.model import DEAL_STATUSES, DEAL_TYPES, MONEY_KINDS, ROLES
from biodeals.service.edits import get_edit
from biodeals.service.entities import company_by_name
from biodeals.service.merge import POLICY
from biodeals.service.valuation import parse_stage
from biodeals.store import curation as store
from biodeals.store import schema as t
from biodeals.store.db import write_transaction
from biodeals.store.entities import EntityCache, Resolver
from biodeals.values import parse_amount

REVIEW_STATES = t.REVIEW_STATES
DEAL_FIELDS = store.DEAL_FIELDS
_NONE = ("", "none", "-", "null")
_YES = {"yes": True, "true": True, "y": True, "1": True, "no": False, "false": False, "n": False, "0": False}


def _items(text: str) -> list[str]:
    """A typed list: items separated by ';' (or ',' when no ';' is used)."""
    separator = ";" if ";" in text else ","
    return [item.strip() for item in text.split(separator) if item.strip()]


def _choice(kind: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"{kind} {value!r}: expected one of {', '.join(allowed)}")
    return value


def parse_field(conn: Connection, field: str, text: str) -> Any:
    """The value an edit of ``field`` stores for what a person typed (see the module docstring);
    names of companies and entities are resolved, new ones created."""
    if field not in DEAL_FIELDS:
        raise ConfigError(f"field {field!r}: expected one of {', '.join(DEAL_FIELDS)}")
    text = str(text).strip()
    if text.lower() in _NONE:
        return [] if field in store.LIST_FIELDS else None
    if field == "status":
        return _choice("status", text.lower(), DEAL_STATUSES)
    if field == "stage":
        return parse_stage(text)
    if field == "year":
        if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2100:
            raise ConfigError(f"year {text!r}: expected a year such as 2024")
        return int(text)
    if field == "announced":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ConfigError(f"announced {text!r}: expected a date such as 2024-06-30") from None
    if field == "royalties":
        if text.lower() not in _YES:
            raise ConfigError(f"royalties {text!r}: expected yes or no")
        return _YES[text.lower()]
    if field in MONEY_KINDS:
        try:
            amount, currency = parse_amount(text)
        except ValueError as error:
            raise ConfigError(f"{field} {error}") from None
        return {"amount": amount, "currency": currency}
    if field == "types":
        return sorted({_choice("type", item.lower(), DEAL_TYPES) for item in _items(text)})
    if field == "modalities":
        return sorted({item.lower() for item in _items(text)})
    resolve = Resolver(conn, EntityCache()).resolve
    if field == "parties":
        parties = []
        for item in _items(text) if ";" in text else [text]:
            name, _, role = item.rpartition("=")
            if not name.strip():
                raise ConfigError(f"parties {item!r}: expected Name=role (role one of {', '.join(ROLES)})")
            entity_id = resolve("company", name.strip())
            parties.append({"id": entity_id, "name": name.strip(), "role": _choice("role", role.strip().lower(), ROLES)})
        return parties
    kind = store.ENTITY_FIELDS[field]
    return [{"id": resolve(kind, name), "name": name} for name in dict.fromkeys(_items(text))]


def _quote_evidence(conn: Connection, deal_id: int, field: str, quote: str | None) -> dict[str, Any] | None:
    """Where in the deal's sources ``quote`` stands: the first source holding it (exactly, else
    ignoring case)."""
    if not quote or not quote.strip():
        return None
    quote = quote.strip()
    rows = conn.execute(
        select(t.documents.c.id, t.documents.c.text)
        .join(t.deal_sources, t.deal_sources.c.document_id == t.documents.c.id)
        .where(t.deal_sources.c.deal_id == deal_id)
        .order_by(t.documents.c.id)
    ).all()
    for fold in (False, True):
        for document_id, text in rows:
            start = (text.lower().find(quote.lower()) if fold else text.find(quote))
            if start >= 0:
                end = start + len(quote)
                return {"document_id": document_id, "field": field, "start": start, "end": end, "text": text[start:end]}
    raise ConfigError(f"quote {quote[:60]!r}: not found in the sources of deal {deal_id}")


def review(
    engine: Engine, subject: str, subject_id: int, state: str, user: str, note: str | None = None
) -> dict[str, Any]:
    """Confirm, reject (or reset to unreviewed) a deal or a readout."""
    _choice("review state", state, REVIEW_STATES)
    with write_transaction(engine) as conn:
        before = store.set_review(conn, subject, subject_id, state)
        edit_id = store.record(conn, subject, subject_id, "review", user, value=state, previous=before, note=note)
    return get_edit(engine, edit_id)


def edit_deal(
    engine: Engine, deal_id: int, field: str, text: str, user: str, note: str | None = None, quote: str | None = None
) -> dict[str, Any]:
    """Set one field of a deal to what a person typed, with the quote of its sources they point to
    (or none); the deal's review state becomes ``edited``."""
    with write_transaction(engine) as conn:
        before = store.deal_field(conn, deal_id, field)  # no such deal or field: refused before names resolve
        value = parse_field(conn, field, text)
        evidence = _quote_evidence(conn, deal_id, field, quote)
        previous = {"value": before, "review": store.set_review(conn, "deal", deal_id, "edited")}
        store.set_deal_field(conn, deal_id, field, value)
        edit_id = store.record(
            conn, "deal", deal_id, "edit", user, field=field, value=value, previous=previous, evidence=evidence, note=note
        )
    return get_edit(engine, edit_id)


def split_party(engine: Engine, deal_id: int, company: str, user: str, note: str | None = None) -> dict[str, Any]:
    """Take a company (name, alias or id) off a deal it was wrongly made party to."""
    with write_transaction(engine) as conn:
        entity = company_by_name(conn, company)
        role = store.remove_party(conn, deal_id, entity["id"])
        previous = {"role": role, "review": store.set_review(conn, "deal", deal_id, "edited")}
        value = {"id": entity["id"], "name": entity["name"]}
        edit_id = store.record(conn, "deal", deal_id, "split_party", user, value=value, previous=previous, note=note)
    return get_edit(engine, edit_id)


def merge_deals(engine: Engine, keep: int, absorb: int, user: str, note: str | None = None) -> dict[str, Any]:
    """Deal ``absorb`` is deal ``keep`` reported again: one deal with the sources of both."""
    with write_transaction(engine) as conn:
        snapshot = store.merge_deals(conn, POLICY, keep, absorb)
        edit_id = store.record(
            conn, "deal", keep, "merge_deals", user, value={"absorbed": absorb}, previous=snapshot, note=note
        )
    return get_edit(engine, edit_id)


def merge_companies(engine: Engine, keep: str, absorb: str, user: str, note: str | None = None) -> dict[str, Any]:
    """Company ``absorb`` (a name, alias or id) is company ``keep``: one company, both names."""
    with write_transaction(engine) as conn:
        kept, gone = company_by_name(conn, keep), company_by_name(conn, absorb)
        snapshot = store.merge_companies(conn, kept["id"], gone["id"])
        value = {"absorbed": gone["id"], "name": gone["name"]}
        edit_id = store.record(conn, "company", kept["id"], "merge_companies", user, value=value, previous=snapshot, note=note)
    return get_edit(engine, edit_id)


def undo(engine: Engine, edit_id: int, user: str, note: str | None = None) -> dict[str, Any]:
    """Revert one decision (recorded as an undo of its own)."""
    with write_transaction(engine) as conn:
        undo_id = store.undo(conn, POLICY, edit_id, user, note)
    return get_edit(engine, undo_id)

