"""Watchlists: saved deal queries with a name. Running one lists the deals reported since its
last run; its feed lists the newest matching deals; an optional webhook is told of each matching
deal an ingest stores (``biodeals.service.alerts``).

A watchlist keeps its filters as the ``DealQuery`` values given, validated again whenever it is
read, so it means what the same filters mean everywhere else.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, delete, func, insert, select, update

from biodeals.errors import ConfigError, NotFound
from biodeals.service.deals import DealFilter, list_deals
from biodeals.service.facets import count_deals
from biodeals.service.filters import deal_query
from biodeals.service.public import web_url
from biodeals.store import schema as t
from biodeals.store.db import write_transaction

# a name is a path segment of its feed's URL (/api/watchlists/NAME.atom): letters, digits, - and _
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
NAME_HELP = "1-64 letters, digits, '-' or '_', starting with a letter or digit"
FEED_SIZE = 50


def now() -> datetime:
    """The store's clock: naive UTC, as ``documents.ingested_at``."""
    return datetime.now(UTC).replace(tzinfo=None)


def _checked_name(name: str) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ConfigError(f"watchlist name {name!r}: expected {NAME_HELP}")
    return name


def add_watchlist(engine: Engine, name: str, filters: dict[str, Any], webhook: str | None = None) -> dict[str, Any]:
    """Save the deal filters ``filters`` (as typed: "2020", "50M") as watchlist ``name``; ConfigError
    for a taken or bad name, a bad filter or a webhook that is not an http(s) URL."""
    _checked_name(name)
    query = deal_query({k: v for k, v in filters.items() if k not in ("sort", "order", "limit", "offset")})
    if webhook is not None and web_url(webhook) is None:
        raise ConfigError(f"webhook {webhook!r}: expected an http:// or https:// URL")
    saved = query.model_dump(mode="json", exclude_defaults=True)
    with write_transaction(engine) as conn:
        if conn.scalar(select(t.watchlists.c.id).where(t.watchlists.c.name == name)) is not None:
            raise ConfigError(f"watchlist {name}: the name is taken (remove it first)")
        conn.execute(
            insert(t.watchlists).values(name=name, filters=json.dumps(saved), webhook=webhook, created_at=now())
        )
    return get_watchlist(engine, name)


def remove_watchlist(engine: Engine, name: str) -> dict[str, Any]:
    """Forget watchlist ``name`` and its delivery log; NotFound when there is none."""
    watchlist = get_watchlist(engine, name)
    with write_transaction(engine) as conn:
        conn.execute(delete(t.watch_deliveries).where(t.watch_deliveries.c.watchlist_id == watchlist["id"]))
        conn.execute(delete(t.watchlists).where(t.watchlists.c.id == watchlist["id"]))
    return watchlist


def _row(conn: Any, name: str) -> Any:
    row = conn.execute(select(t.watchlists).where(t.watchlists.c.name == name)).first()
    if row is None:
        known = list(conn.scalars(select(t.watchlists.c.name).order_by(t.watchlists.c.name)))
        hint = f"; watchlists: {', '.join(known)}" if known else "; there is none yet (biodeals watch add)"
        raise NotFound(f"watchlist {name}: no such watchlist{hint}")
    return row


def deal_filter(watchlist: dict[str, Any]) -> DealFilter:
    """The DealFilter of a watchlist's saved filters, every deal (no paging), newest id first;
    ConfigError naming the watchlist when they no longer validate."""
    try:
        query = deal_query(watchlist["filters"])
    except ConfigError as error:
        raise ConfigError(f"watchlist {watchlist['name']}: its filters no longer hold ({error})") from None
    return replace(query.to_filter(paged=False), sort="id", descending=True)


def _watchlist(conn: Any, row: Any) -> dict[str, Any]:
    d = t.watch_deliveries.c
    states = dict(conn.execute(select(d.status, func.count()).where(d.watchlist_id == row.id).group_by(d.status)).all())
    return {
        "id": row.id,
        "name": row.name,
        "filters": json.loads(row.filters),
        "webhook": row.webhook,
        "created_at": row.created_at.isoformat(),
        "last_run_at": row.last_run_at.isoformat() if row.last_run_at else None,
        "deliveries": {status: states.get(status, 0) for status in t.DELIVERY_STATES},
    }


def get_watchlist(engine: Engine, name: str) -> dict[str, Any]:
    """A watchlist: its filters, webhook, times, counts of its alerts by state."""
    with engine.connect() as conn:
        return _watchlist(conn, _row(conn, name))


def list_watchlists(engine: Engine, limit: int | None = None) -> list[dict[str, Any]]:
    """The watchlists (the first ``limit`` by name), each with the number of deals it selects now."""
    with engine.connect() as conn:
        rows = conn.execute(select(t.watchlists).order_by(t.watchlists.c.name).limit(limit)).all()
        found = [_watchlist(conn, row) for row in rows]
    for watchlist in found:
        watchlist["deals"] = count_deals(engine, deal_filter(watchlist))
    return found


def run_watchlist(engine: Engine, name: str, since: datetime | None = None) -> dict[str, Any]:
    """The deals watchlist ``name`` selects that a document stored since its last run reports
    (``since``: from then instead; the first run lists all), newest first; the run is recorded."""
    watchlist = get_watchlist(engine, name)
    if since is None and watchlist["last_run_at"]:
        since = datetime.fromisoformat(watchlist["last_run_at"])
    # under the write lock no batch is half written: every document stored before ``started``
    # is committed, so the next run, from ``started``, misses none
    with write_transaction(engine) as conn:
        started = now()
        deals = list_deals(engine, replace(deal_filter(watchlist), reported_since=since))
        conn.execute(update(t.watchlists).where(t.watchlists.c.id == watchlist["id"]).values(last_run_at=started))
    return {"watchlist": watchlist, "since": since.isoformat() if since else None, "deals": deals}


def feed_deals(engine: Engine, name: str, limit: int = FEED_SIZE) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The watchlist and its ``limit`` newest deals, each with ``reported_at``: when a document
    reporting it was last stored."""
    watchlist = get_watchlist(engine, name)
    deals = list_deals(engine, replace(deal_filter(watchlist), limit=limit))
    ids = [deal["id"] for deal in deals]
    with engine.connect() as conn:
        reported = dict(
            conn.execute(
                select(t.deal_sources.c.deal_id, func.max(t.documents.c.ingested_at))
                .join(t.documents, t.documents.c.id == t.deal_sources.c.document_id)
                .where(t.deal_sources.c.deal_id.in_(ids))
                .group_by(t.deal_sources.c.deal_id)
            ).all()
        )
    for deal in deals:
        deal["reported_at"] = reported.get(deal["id"])
    deals.sort(key=lambda deal: (deal["reported_at"] or datetime.min, deal["id"]), reverse=True)
    return watchlist, deals


def delivery_log(engine: Engine, name: str, limit: int = 100) -> list[dict[str, Any]]:
    """The alerts of watchlist ``name``, newest first: deal, state, attempts, last error, times."""
    watchlist = get_watchlist(engine, name)
    d = t.watch_deliveries.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.deal_id, d.status, d.attempts, d.last_error, d.queued_at, d.sent_at)
            .where(d.watchlist_id == watchlist["id"])
            .order_by(d.id.desc())
            .limit(limit)
        ).all()
    return [
        {
            "deal_id": r.deal_id,
            "status": r.status,
            "attempts": r.attempts,
            "last_error": r.last_error,
            "queued_at": r.queued_at.isoformat(timespec="seconds"),
            "sent_at": r.sent_at.isoformat(timespec="seconds") if r.sent_at else None,
        }
        for r in rows
    ]


def public_watchlist(watchlist: dict[str, Any]) -> dict[str, Any]:
    """A watchlist as anyone may see it: its webhook shown by scheme and host only (its path
    and query may hold a secret)."""
    hook = watchlist.get("webhook")
    if not hook:
        return watchlist
    parts = urlsplit(hook)
    return {**watchlist, "webhook": f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/…"}


def public_log(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An alert log as anyone may see it: states and times, not the errors (which tell about
    the network the webhook is on)."""
    return [{key: value for key, value in entry.items() if key != "last_error"} for entry in log]
