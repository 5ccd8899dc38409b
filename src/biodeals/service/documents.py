"""Document queries: full-text search with snippets, one stored document with what was
extracted from it, and document texts and ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from biodeals.errors import NotFound
from biodeals.service.deals import deal_summaries, evidence_with_sentences
from biodeals.service.lookup import SEARCH_WORD, full_text_documents
from biodeals.service.readouts import list_readouts
from biodeals.store import schema as t


def search_documents(engine: Engine, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Documents matching ``query``, newest first, each with a snippet around the first hit."""
    ids = full_text_documents(engine, query)
    words = [w.lower() for w in SEARCH_WORD.findall(query)]
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                t.documents.c.id,
                t.documents.c.name,
                t.documents.c.title,
                t.documents.c.published,
                t.documents.c.source,
                t.documents.c.text,
            )
            .where(t.documents.c.id.in_(ids))
            .order_by(t.documents.c.published.desc().nulls_last(), t.documents.c.id.desc())
            .limit(limit)
        ).all()
        deal_counts = _deal_counts(conn, [r.id for r in rows])
    return [
        {
            "id": r.id,
            "name": r.name,
            "title": r.title,
            "published": r.published.isoformat() if r.published else None,
            "source": r.source,
            "snippet": _snippet(r.text, words),
            "deals": deal_counts.get(r.id, 0),
        }
        for r in rows
    ]


def _deal_counts(conn: Any, document_ids: list[int]) -> dict[int, int]:
    return dict(
        conn.execute(
            select(t.deal_sources.c.document_id, func.count())
            .where(t.deal_sources.c.document_id.in_(document_ids))
            .group_by(t.deal_sources.c.document_id)
        ).all()
    )


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    lowered = body.lower()
    hits = [i for i in (lowered.find(w) for w in words) if i >= 0]
    at = min(hits) if hits else 0
    start = max(0, at - width // 2)
    piece = " ".join(body[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def get_document(engine: Engine, document_id: int) -> dict[str, Any]:
    """One stored document with its text, the deals it is a source of, its readouts and the
    evidence spans (into ``text``) of both."""
    with engine.connect() as conn:
        row = conn.execute(select(t.documents).where(t.documents.c.id == document_id)).first()
        if row is None:
            raise NotFound(f"document {document_id}: no such document")
        deal_ids = list(
            conn.scalars(
                select(t.deal_sources.c.deal_id)
                .where(t.deal_sources.c.document_id == document_id)
                .order_by(t.deal_sources.c.deal_id)
            )
        )
        deals = deal_summaries(conn, conn.execute(select(t.deals).where(t.deals.c.id.in_(deal_ids))).all())
        evidence = evidence_with_sentences(conn, t.evidence.c.document_id == document_id)
    return {
        **_document_fields(row),
        "content_hash": row.content_hash,
        "language": row.language,
        "error": row.error,
        "deals": deals,
        "readouts": list_readouts(engine, document_id=document_id, limit=None),
        "evidence": evidence,
    }


def document_texts(engine: Engine, document_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored text and labels of each of ``document_ids`` (missing ids are left out)."""
    d = t.documents.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.id, d.name, d.title, d.url, d.source, d.published, d.text).where(d.id.in_(document_ids))
        ).all()
    return {r.id: _document_fields(r) for r in rows}


def _document_fields(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "title": row.title,
        "url": row.url,
        "source": row.source,
        "published": row.published.isoformat() if row.published else None,
        "text": row.text,
    }


def document_id_by_hash(engine: Engine, content_hash: str) -> int | None:
    """The id of the stored document with ``content_hash``, or None."""
    with engine.connect() as conn:
        return conn.scalar(select(t.documents.c.id).where(t.documents.c.content_hash == content_hash))
