"""What people decide about the knowledge base, stored as its own records (``edits``) and applied
to the extracted rows: reviews, field edits, a party split off a deal, two deals or two companies
merged, and the undo of any of these.

Extraction never writes ``edits``, and the writer calls ``reapply_edits`` after every new report
of a deal, so a person's decision outlasts every later ingest. Each record keeps what it replaced
(``previous``), or for a merge a snapshot of the rows it moved, which is what an undo restores.
The service layer (``biodeals.service.curation``) validates what people type; this module takes
plain values and a connection inside the caller's write transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.sql import ColumnElement

from biodeals.errors import ConfigError, NotFound
from biodeals.model import MONEY_KINDS
from biodeals.store import schema as t
from biodeals.store.deal_rows import refresh_deal
from biodeals.store.merging import MergePolicy

ACTIONS = ("review", "edit", "split_party", "merge_deals", "merge_companies", "undo")
SCALAR_FIELDS = ("status", "stage", "year", "announced", "royalties")
LIST_FIELDS = ("types", "modalities", "parties", "assets", "targets", "indications")
DEAL_FIELDS = (*SCALAR_FIELDS, *MONEY_KINDS, *LIST_FIELDS)
ENTITY_FIELDS = {"assets": "asset", "targets": "target", "indications": "indication"}
_REAPPLIED = ("edit", "split_party")
# a deal's child tables a merge moves, with the columns that key a row within one deal
_DEAL_CHILDREN = {
    "deal_sources": ("document_id",),
    "deal_parties": ("entity_id",),
    "deal_types": ("type",),
    "deal_entities": ("entity_id",),
    "deal_modalities": ("modality",),
}


def record(
    conn: Connection,
    subject: str,
    subject_id: int,
    action: str,
    user: str,
    *,
    field: str | None = None,
    value: Any = None,
    previous: Any = None,
    evidence: dict[str, Any] | None = None,
    note: str | None = None,
) -> int:
    """Store one decision; its id."""
    return conn.execute(
        insert(t.edits).values(
            subject=subject,
            subject_id=subject_id,
            action=action,
            field=field,
            value=json.dumps(value),
            previous=json.dumps(previous),
            evidence=json.dumps(evidence) if evidence else None,
            note=note,
            user=user,
            at=datetime.now(UTC).replace(tzinfo=None),
        )
    ).inserted_primary_key[0]


def _row(conn: Connection, table: t.Table, row_id: int, kind: str) -> Any:
    row = conn.execute(select(table).where(table.c.id == row_id)).first()
    if row is None:
        raise NotFound(f"{kind} {row_id}: no such {kind}")
    return row


# -- reviews -----------------------------------------------------------------------------------


def set_review(conn: Connection, subject: str, subject_id: int, state: str) -> str:
    """Set a deal's or readout's review state; the state it had."""
    table = {"deal": t.deals, "readout": t.readouts}[subject]
    before = _row(conn, table, subject_id, subject).review
    conn.execute(update(table).where(table.c.id == subject_id).values(review=state))
    return before


# -- deal fields -------------------------------------------------------------------------------


def deal_field(conn: Connection, deal_id: int, field: str) -> Any:
    """A deal field's current value as an edit stores it (JSON-ready)."""
    row = _row(conn, t.deals, deal_id, "deal")
    if field in MONEY_KINDS:
        amount = row._mapping[f"{field}_amount"]
        return {"amount": amount, "currency": row._mapping[f"{field}_currency"]} if amount is not None else None
    if field == "announced":
        return row.announced.isoformat() if row.announced else None
    if field in SCALAR_FIELDS:
        return row._mapping[field]
    if field == "types":
        return sorted(conn.scalars(select(t.deal_types.c.type).where(t.deal_types.c.deal_id == deal_id)))
    if field == "modalities":
        c = t.deal_modalities.c
        return sorted(conn.scalars(select(c.modality).where(c.deal_id == deal_id)))
    if field == "parties":
        c = t.deal_parties.c
        rows = conn.execute(
            select(c.entity_id, t.entities.c.name, c.role)
            .join(t.entities, t.entities.c.id == c.entity_id)
            .where(c.deal_id == deal_id)
            .order_by(c.entity_id)
        )
        return [{"id": entity_id, "name": name, "role": role} for entity_id, name, role in rows]
    if field in ENTITY_FIELDS:
        rows = conn.execute(
            select(t.entities.c.id, t.entities.c.name)
            .join(t.deal_entities, t.deal_entities.c.entity_id == t.entities.c.id)
            .where(t.deal_entities.c.deal_id == deal_id, t.entities.c.kind == ENTITY_FIELDS[field])
            .order_by(t.entities.c.id)
        )
        return [{"id": entity_id, "name": name} for entity_id, name in rows]
    raise ConfigError(f"field {field!r}: expected one of {', '.join(DEAL_FIELDS)}")


def set_deal_field(conn: Connection, deal_id: int, field: str, value: Any) -> None:
    """Give a deal field ``value`` (in ``deal_field``'s shape; a list replaces the whole list)."""
    if field in MONEY_KINDS:
        amount, currency = (value["amount"], value["currency"]) if value else (None, None)
        values = {f"{field}_amount": amount, f"{field}_currency": currency}
    elif field == "announced":
        values = {"announced": date.fromisoformat(value) if value else None}
    elif field in SCALAR_FIELDS:
        values = {field: value}
    else:
        _set_list(conn, deal_id, field, value)
        return
    conn.execute(update(t.deals).where(t.deals.c.id == deal_id).values(**values))


def _set_list(conn: Connection, deal_id: int, field: str, value: list[Any]) -> None:
    if field == "types":
        table, rows = t.deal_types, [{"type": kind} for kind in value]
    elif field == "modalities":
        table, rows = t.deal_modalities, [{"modality": modality} for modality in value]
    elif field == "parties":
        table, rows = t.deal_parties, [{"entity_id": party["id"], "role": party["role"]} for party in value]
    else:
        kind = ENTITY_FIELDS[field]
        of_kind = select(t.entities.c.id).where(t.entities.c.kind == kind)
        c = t.deal_entities.c
        conn.execute(delete(t.deal_entities).where(c.deal_id == deal_id, c.entity_id.in_(of_kind)))
        rows = [{"entity_id": item["id"]} for item in value]
        if rows:
            conn.execute(insert(t.deal_entities), [{"deal_id": deal_id, **row} for row in rows])
        return
    conn.execute(delete(table).where(table.c.deal_id == deal_id))
    if rows:
        conn.execute(insert(table), [{"deal_id": deal_id, **row} for row in rows])


def remove_party(conn: Connection, deal_id: int, entity_id: int) -> str:
    """Take a company off a deal; the role it had."""
    c = t.deal_parties.c
    role = conn.scalar(select(c.role).where(c.deal_id == deal_id, c.entity_id == entity_id))
    if role is None:
        raise NotFound(f"deal {deal_id}: company {entity_id} is no party to it")
    conn.execute(delete(t.deal_parties).where(c.deal_id == deal_id, c.entity_id == entity_id))
    return role


def _in_force() -> ColumnElement[bool]:
    """Field edits and party splits of deals not undone: what ``reapply_edits`` applies."""
    e = t.edits.c
    return and_(e.subject == "deal", e.action.in_(_REAPPLIED), e.undone_by.is_(None))


def curated_deals(conn: Connection) -> set[int]:
    """The deals with edits in force (the writer re-applies edits to these only)."""
    return set(conn.scalars(select(t.edits.c.subject_id).where(_in_force()).distinct()))


def reapply_edits(conn: Connection, deal_id: int) -> None:
    """Apply again, in order, every field edit and party split of ``deal_id`` still in force:
    after a new report of the deal was stored, what people set stays set."""
    e = t.edits.c
    rows = conn.execute(select(e.action, e.field, e.value).where(_in_force(), e.subject_id == deal_id).order_by(e.id)).all()
    for action, field, value in rows:
        if action == "edit":
            set_deal_field(conn, deal_id, field, json.loads(value))
        else:
            c = t.deal_parties.c
            conn.execute(delete(t.deal_parties).where(c.deal_id == deal_id, c.entity_id == json.loads(value)["id"]))


# -- merges ------------------------------------------------------------------------------------


def _plain(row: Any) -> dict[str, Any]:
    return {key: (value.isoformat() if isinstance(value, date) else value) for key, value in row._mapping.items()}


def _revive(table: t.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A snapshot row (``_plain``) back in the column types of ``table``."""
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if isinstance(value, str) and column.type.python_type is date:
            out[column.name] = date.fromisoformat(value)
    return out


def merge_deals(conn: Connection, policy: MergePolicy, keep: int, absorb: int) -> dict[str, Any]:
    """Make deal ``absorb`` part of deal ``keep``: its sources, figures, evidence, parties, types,
    linked entities and modalities move over (what ``keep`` already has stays as it is) and
    ``absorb`` is deleted. Returns the snapshot its undo needs."""
    if keep == absorb:
        raise ConfigError(f"deal {keep}: a deal cannot be merged with itself")
    kept = _row(conn, t.deals, keep, "deal")
    gone = _row(conn, t.deals, absorb, "deal")
    snapshot: dict[str, Any] = {"deal": _plain(gone), "review": kept.review, "moved": {}, "children": {}}
    for name, keys in _DEAL_CHILDREN.items():
        table = t.metadata.tables[name]
        rows = [_plain(r) for r in conn.execute(select(table).where(table.c.deal_id == absorb))]
        present = {tuple(r[k] for k in keys) for r in map(_plain, conn.execute(select(table).where(table.c.deal_id == keep)))}
        snapshot["children"][name] = rows
        snapshot["moved"][name] = [[r[k] for k in keys] for r in rows if tuple(r[k] for k in keys) not in present]
    for table in (t.money_terms, t.evidence):
        rows = [_plain(r) for r in conn.execute(select(table).where(table.c.deal_id == absorb))]
        snapshot["children"][table.name] = rows
    # figures of a document reporting both deals stay those the kept deal has from it
    moved_documents = {key[0] for key in snapshot["moved"]["deal_sources"]}
    both = {r["document_id"] for r in snapshot["children"]["deal_sources"]} - moved_documents
    snapshot["moved"]["money_terms"] = [r["id"] for r in snapshot["children"]["money_terms"] if r["document_id"] not in both]
    for name, keys in _DEAL_CHILDREN.items():
        table = t.metadata.tables[name]
        for key in snapshot["moved"][name]:
            condition = [table.c.deal_id == absorb, *(table.c[k] == v for k, v in zip(keys, key, strict=True))]
            conn.execute(update(table).where(*condition).values(deal_id=keep))
    conn.execute(update(t.money_terms).where(t.money_terms.c.id.in_(snapshot["moved"]["money_terms"])).values(deal_id=keep))
    conn.execute(update(t.evidence).where(t.evidence.c.deal_id == absorb).values(deal_id=keep))
    conn.execute(delete(t.deals).where(t.deals.c.id == absorb))
    royalties = gone.royalties if kept.royalties is None else kept.royalties
    conn.execute(update(t.deals).where(t.deals.c.id == keep).values(royalties=royalties, review="edited"))
    refresh_deal(conn, policy, keep)
    reapply_edits(conn, keep)
    return snapshot


def unmerge_deals(conn: Connection, policy: MergePolicy, keep: int, snapshot: dict[str, Any]) -> None:
    """Undo ``merge_deals``: the absorbed deal back with its own id and rows."""
    absorb = snapshot["deal"]["id"]
    conn.execute(insert(t.deals).values(**_revive(t.deals, snapshot["deal"])))
    for name, keys in _DEAL_CHILDREN.items():
        table = t.metadata.tables[name]
        for key in snapshot["moved"][name]:
            condition = [table.c.deal_id == keep, *(table.c[k] == v for k, v in zip(keys, key, strict=True))]
            conn.execute(delete(table).where(*condition))
        rows = snapshot["children"][name]
        if rows:
            conn.execute(insert(table), [_revive(table, r) for r in rows])
    for table in (t.money_terms, t.evidence):
        ids = [r["id"] for r in snapshot["children"][table.name]]
        conn.execute(delete(table).where(table.c.id.in_(ids)))
        if ids:
            conn.execute(insert(table), [_revive(table, r) for r in snapshot["children"][table.name]])
    conn.execute(update(t.deals).where(t.deals.c.id == keep).values(review=snapshot["review"]))
    for deal_id in (keep, absorb):
        refresh_deal(conn, policy, deal_id)
        reapply_edits(conn, deal_id)


def merge_companies(conn: Connection, keep: int, absorb: int) -> dict[str, Any]:
    """Make company ``absorb`` one with company ``keep``: its names become ``keep``'s aliases
    (so later documents naming it resolve to ``keep``), its deals and sponsored readouts
    ``keep``'s (where both were parties, ``keep``'s role stays). Returns the snapshot its undo needs."""
    if keep == absorb:
        raise ConfigError(f"company {keep}: a company cannot be merged with itself")
    for entity_id in (keep, absorb):
        if _row(conn, t.entities, entity_id, "company").kind != "company":
            raise NotFound(f"company {entity_id}: no such company")
    a, p = t.entity_aliases.c, t.deal_parties.c
    snapshot = {
        "entity": _plain(_row(conn, t.entities, absorb, "company")),
        "aliases": [_plain(r) for r in conn.execute(select(t.entity_aliases).where(a.entity_id == absorb))],
        "parties": [_plain(r) for r in conn.execute(select(t.deal_parties).where(p.entity_id == absorb))],
        "sponsored": list(conn.scalars(select(t.readouts.c.id).where(t.readouts.c.sponsor_id == absorb))),
    }
    shared = set(conn.scalars(select(p.deal_id).where(p.entity_id == keep)))
    snapshot["dropped"] = [r["deal_id"] for r in snapshot["parties"] if r["deal_id"] in shared]
    conn.execute(delete(t.deal_parties).where(p.entity_id == absorb, p.deal_id.in_(snapshot["dropped"])))
    conn.execute(update(t.deal_parties).where(p.entity_id == absorb).values(entity_id=keep))
    conn.execute(update(t.entity_aliases).where(a.entity_id == absorb).values(entity_id=keep))
    conn.execute(update(t.readouts).where(t.readouts.c.sponsor_id == absorb).values(sponsor_id=keep))
    conn.execute(delete(t.entities).where(t.entities.c.id == absorb))
    return snapshot


def unmerge_companies(conn: Connection, keep: int, snapshot: dict[str, Any]) -> None:
    """Undo ``merge_companies``: the absorbed company back with its id, names and deals."""
    absorb = snapshot["entity"]["id"]
    a, p = t.entity_aliases.c, t.deal_parties.c
    conn.execute(insert(t.entities).values(**snapshot["entity"]))
    for alias in snapshot["aliases"]:
        conn.execute(
            update(t.entity_aliases).where(a.kind == alias["kind"], a.key == alias["key"]).values(entity_id=absorb)
        )
    moved = [r["deal_id"] for r in snapshot["parties"] if r["deal_id"] not in set(snapshot["dropped"])]
    conn.execute(update(t.deal_parties).where(p.entity_id == keep, p.deal_id.in_(moved)).values(entity_id=absorb))
    dropped = [r for r in snapshot["parties"] if r["deal_id"] in set(snapshot["dropped"])]
    if dropped:
        conn.execute(insert(t.deal_parties), dropped)
    sponsored = snapshot.get("sponsored", [])  # (a merge recorded before readouts had sponsors has none)
    conn.execute(update(t.readouts).where(t.readouts.c.id.in_(sponsored)).values(sponsor_id=absorb))


# -- undo --------------------------------------------------------------------------------------


def active_edits(conn: Connection, deal_id: int) -> int:
    """How many field edits and party splits of a deal are in force."""
    return len(conn.scalars(select(t.edits.c.id).where(_in_force(), t.edits.c.subject_id == deal_id)).all())


def undo(conn: Connection, policy: MergePolicy, edit_id: int, user: str, note: str | None = None) -> int:
    """Revert decision ``edit_id`` (recorded as an ``undo`` of its own, which is the id returned):
    a review's state, an edited field's value (figures and status recomputed from the sources, the
    edits still in force applied again), a split party, a merge of deals or of companies."""
    row = _row(conn, t.edits, edit_id, "edit")
    if row.action == "undo":
        raise ConfigError(f"edit {edit_id}: is itself an undo (undo edit {json.loads(row.value)['edit']} again instead)")
    if row.undone_by is not None:
        raise ConfigError(f"edit {edit_id}: already undone (by edit {row.undone_by})")
    if row.subject == "deal" and conn.scalar(select(t.deals.c.id).where(t.deals.c.id == row.subject_id)) is None:
        raise ConfigError(f"edit {edit_id}: deal {row.subject_id} is gone (merged into another); undo that merge first")
    previous = json.loads(row.previous)
    undo_id = record(conn, row.subject, row.subject_id, "undo", user, value={"edit": edit_id}, note=note)
    conn.execute(update(t.edits).where(t.edits.c.id == edit_id).values(undone_by=undo_id))
    deal_id = row.subject_id
    if row.action == "review":
        set_review(conn, row.subject, row.subject_id, previous)
    elif row.action in _REAPPLIED:
        if row.action == "edit":
            set_deal_field(conn, deal_id, row.field, previous["value"])
        else:
            entity_id = json.loads(row.value)["id"]
            c = t.deal_parties.c
            if conn.scalar(select(c.role).where(c.deal_id == deal_id, c.entity_id == entity_id)) is None:
                conn.execute(insert(t.deal_parties).values(deal_id=deal_id, entity_id=entity_id, role=previous["role"]))
        refresh_deal(conn, policy, deal_id)
        reapply_edits(conn, deal_id)
        if not active_edits(conn, deal_id):
            conn.execute(
                update(t.deals).where(t.deals.c.id == deal_id, t.deals.c.review == "edited").values(review=previous["review"])
            )
    elif row.action == "merge_deals":
        unmerge_deals(conn, policy, deal_id, previous)
    elif row.action == "merge_companies":
        unmerge_companies(conn, row.subject_id, previous)
    return undo_id
