"""Reading the record of what people decided (``edits``): one decision, or the history of a deal,
readout or company, newest first. The snapshots an undo needs are not shown."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from biodeals.errors import NotFound
from biodeals.store import schema as t


def _edit_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "subject": row.subject,
        "subject_id": row.subject_id,
        "action": row.action,
        "field": row.field,
        "value": json.loads(row.value) if row.value else None,
        "evidence": json.loads(row.evidence) if row.evidence else None,
        "note": row.note,
        "user": row.user,
        "at": row.at.isoformat(timespec="seconds"),
        "undone_by": row.undone_by,
    }


_SHOWN = [c for c in t.edits.c if c.name != "previous"]  # snapshots are for undo, not for display


def get_edit(engine: Engine, edit_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(*_SHOWN).where(t.edits.c.id == edit_id)).first()
    if row is None:
        raise NotFound(f"edit {edit_id}: no such edit")
    return _edit_dict(row)


def list_edits(
    engine: Engine, subject: str | None = None, subject_id: int | None = None, limit: int | None = 100
) -> list[dict[str, Any]]:
    """Decisions, newest first: all of them, or those about one deal, readout or company."""
    query = select(*_SHOWN).order_by(t.edits.c.id.desc()).limit(limit)
    if subject:
        query = query.where(t.edits.c.subject == subject)
    if subject_id is not None:
        query = query.where(t.edits.c.subject_id == subject_id)
    with engine.connect() as conn:
        return [_edit_dict(row) for row in conn.execute(query)]
