"""How many deals a filter selects, how many it leaves out as untrusted, and its facets (the
counts beside the deals table's filters): computed together in a few grouped queries, and
cached per knowledge-base generation.

Why together: the deal-level counts (total, left out, status, stage, year) come from one scan
grouped by those columns, and the per-type, per-modality and per-company counts group the join
tables once each; the selection is built once (a company's name is looked up once).

Why cached: at 300,000 deals a selection's counts cost hundreds of milliseconds, and every view of
the deals page and every API call asks for the same few again. An entry is keyed by the
knowledge base's generation (``biodeals.store.generation``), read in one small query per request:
any write that could change a count changes the generation, in every process reading the
database, so an entry is never served once its data changed. Entries live in a bounded LRU per
engine, and concurrent requests for the same entry wait for one computation.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Engine, Select, case, func, select
from sqlalchemy.sql import ColumnElement

from biodeals.service.deals import DealFilter, deal_conditions, leaves_out_untrusted, trusted_deals, untrusted_deals
from biodeals.store import schema as t
from biodeals.store.generation import Generation, generation

CACHE_SIZE = 256
"""Entries kept per knowledge base (a few kilobytes each): the views people page through."""
TOP_COMPANIES = 12


@dataclass(frozen=True, slots=True)
class Counts:
    """A selection's counts: ``total`` deals, ``left_out`` untrusted ones, and the facets."""

    total: int
    left_out: dict[str, int]
    facets: dict[str, list[dict[str, Any]]]


def count_deals(engine: Engine, f: DealFilter) -> int:
    """How many deals ``f`` selects, ignoring its limit and offset."""
    return selection_counts(engine, f, facets=False).total


def left_out(engine: Engine, f: DealFilter) -> dict[str, int]:
    """How many deals ``f`` leaves out for being untrusted: rejected, and unreviewed with a low
    confidence (0 each when ``f`` is not trusted)."""
    return selection_counts(engine, f, facets=False).left_out


def deal_facets(engine: Engine, f: DealFilter, top: int = TOP_COMPANIES) -> dict[str, list[dict[str, Any]]]:
    """For the deals ``f`` selects: how many have each type, status, stage, modality, year and (the
    ``top`` most frequent) company — the counts beside a deals table's filters."""
    return selection_counts(engine, f, top).facets


def selection_counts(engine: Engine, f: DealFilter, top: int | None = TOP_COMPANIES, *, facets: bool = True) -> Counts:
    """``f``'s counts (a copy of their cache entry when computed at this generation: see the
    module docstring), with the ``top`` companies (None: all); ``facets=False`` leaves out those
    counted from the join tables (type, modality, company), the costly ones."""
    with engine.connect() as conn:  # given back before waiting for another request's computation
        now = generation(conn)
    cache = cache_of(engine)
    if facets:
        found = cache.get(now, ("facets", _view(f), top), lambda: _computed(engine, f, top, cache))
    else:
        found = cache.get(now, ("counts", _view(f)), lambda: _computed(engine, f, None, None))
    copied = {name: [dict(item) for item in items] for name, items in found.facets.items()}
    return Counts(found.total, dict(found.left_out), copied)  # the caller's to change


def _view(f: DealFilter) -> DealFilter:
    """What of ``f`` its counts depend on: not its order or page."""
    return replace(f, sort="announced", descending=True, limit=None, offset=0)


_DEAL_LEVEL = ("status", "stage", "year")  # the facets counted with the total, from the deals alone


def _computed(engine: Engine, f: DealFilter, top: int | None, cache: CountsCache | None) -> tuple[Generation, Counts]:
    """Computed counts; with a ``cache``, the join-table facets too, and the cache also gets the
    counts without them (so the deals list shown after the page finds its total)."""
    with engine.connect() as conn:
        seen, counts = compute_counts(conn, engine, f, top, facets=cache is not None)
    if cache is not None:
        alone = Counts(counts.total, counts.left_out, {name: counts.facets[name] for name in _DEAL_LEVEL})
        cache.put(seen, ("counts", _view(f)), alone)
    return seen, counts


def compute_counts(
    conn: Connection, engine: Engine, f: DealFilter, top: int | None = TOP_COMPANIES, *, facets: bool = True
) -> tuple[Generation, Counts]:
    """``f``'s counts, uncached, and the generation they are of: computed in one read transaction
    (REPEATABLE READ on PostgreSQL), so every count and the generation are of one snapshot.
    ``facets=False`` leaves out the type, modality and company facets."""
    if conn.dialect.name == "postgresql":  # reverted when the connection goes back to the pool
        conn.execution_options(isolation_level="REPEATABLE READ")
    with conn.begin():
        return generation(conn), _compute(conn, engine, f, top, facets)


@dataclass(frozen=True, slots=True)
class _Selection:
    """The deals the join-table counts count: ``ids`` selects them (None: every deal). When they
    are every deal but the few ``all_but`` matches, the counts are the join table's own (read from
    its index on the counted column) less those of these few."""

    ids: Select[Any] | None
    all_but: ColumnElement[bool] | None = None


def _compute(conn: Connection, engine: Engine, f: DealFilter, top: int | None, joined: bool) -> Counts:
    d = t.deals.c
    conditions = deal_conditions(engine, replace(f, trusted=False, limit=None, offset=0))
    trusted = case((trusted_deals(as_filter=False), 1), else_=0)
    rows = conn.execute(
        select(d.review, d.status, d.stage, d.year, func.count().label("n"), func.sum(trusted).label("trusted"))
        .where(*conditions)
        .group_by(d.review, d.status, d.stage, d.year)  # the order of ix_deals_facets: no sort
    ).all()
    # what the total and the facets count: the trusted deals when ``f`` leaves the others out
    only_trusted = leaves_out_untrusted(f)
    selected = [(row, row.trusted if only_trusted else row.n) for row in rows]
    untrusted = {"rejected": 0, "low_confidence": 0}
    for row in rows:
        untrusted["rejected" if row.review == "rejected" else "low_confidence"] += row.n - row.trusted
    facets = {
        "status": _tally((row.status, n) for row, n in selected),
        "stage": _tally((row.stage, n) for row, n in selected),
        "year": sorted(_tally((row.year, n) for row, n in selected), key=lambda item: -item["value"]),
    }
    if joined:
        counted = [*conditions, trusted_deals()] if only_trusted else conditions
        selection = _Selection(select(d.id).where(*counted) if counted else None)
        if not conditions and only_trusted:  # the few untrusted deals from the index, when it finds them all
            found = conn.scalar(select(func.count()).where(untrusted_deals()))
            every_untrusted = untrusted_deals() if found == sum(untrusted.values()) else ~trusted_deals()
            selection = replace(selection, all_but=every_untrusted)
        facets = {
            "type": _joined(conn, t.deal_types, t.deal_types.c.type, selection),
            **{name: facets[name] for name in ("status", "stage")},
            "modality": _joined(conn, t.deal_modalities, t.deal_modalities.c.modality, selection),
            "year": facets["year"],
            "company": _companies(conn, selection, top),
        }
    left_out = untrusted if f.trusted else {"rejected": 0, "low_confidence": 0}
    return Counts(sum(n for _, n in selected), left_out, facets)


def _tally(pairs: Iterable[tuple[Any, int]]) -> list[dict[str, Any]]:
    """Deals per value (values of no deal and None left out), most first, then by value (in code
    point order: SQLite's and PostgreSQL's C collation)."""
    counts: dict[Any, int] = {}
    for value, n in pairs:
        if value is not None and n:
            counts[value] = counts.get(value, 0) + n
    return [{"value": v, "deals": n} for v, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _per_value(table: Any, key: Any, selection: _Selection) -> Any:
    """A subquery of (value, deals): how many counted deals have each value of a join table's
    ``key`` (a deal has each value once: the table's key), values of none left out."""
    every = select(key.label("value"), func.count().label("deals")).group_by(key)
    if selection.all_but is None:
        ids = selection.ids
        return (every if ids is None else every.where(table.c.deal_id.in_(ids))).subquery()
    dropped = every.where(table.c.deal_id.in_(select(t.deals.c.id).where(selection.all_but))).subquery()
    every = every.subquery()
    n = every.c.deals - func.coalesce(dropped.c.deals, 0)
    return (
        select(every.c.value, n.label("deals"))
        .select_from(every.outerjoin(dropped, dropped.c.value == every.c.value))
        .where(n > 0)
        .subquery()
    )


def _joined(conn: Connection, table: Any, key: Any, selection: _Selection) -> list[dict[str, Any]]:
    """Deals per value of a join table's ``key``, most first."""
    counts = _per_value(table, key, selection)
    rows = conn.execute(select(counts.c.value, counts.c.deals).order_by(counts.c.deals.desc(), counts.c.value))
    return [{"value": r.value, "deals": r.deals} for r in rows]


def _companies(conn: Connection, selection: _Selection, top: int | None) -> list[dict[str, Any]]:
    """The ``top`` company names by deals: counted per party entity, then summed per name, which is
    exact unless two entities share a name (a deal may have both): then counted by name."""
    p, e = t.deal_parties.c, t.entities.c
    per_entity = _per_value(t.deal_parties, p.entity_id, selection)
    total = func.sum(per_entity.c.deals)
    rows = conn.execute(
        select(e.name.label("value"), total.label("deals"), func.count().label("entities"))
        .join(per_entity, per_entity.c.value == e.id)
        .group_by(e.name)
        .order_by(total.desc(), e.name)
        .limit(top)
    ).all()
    if any(r.entities > 1 for r in rows):  # rare: counted again, by name
        distinct = func.count(func.distinct(p.deal_id))
        parties = t.deal_parties.join(t.entities, e.id == p.entity_id)
        query = select(e.name.label("value"), distinct.label("deals")).select_from(parties)
        if selection.ids is not None:
            query = query.where(p.deal_id.in_(selection.ids))
        rows = conn.execute(query.group_by(e.name).order_by(distinct.desc(), e.name).limit(top)).all()
    return [{"value": r.value, "deals": r.deals} for r in rows]


@dataclass
class CountsCache:
    """A bounded LRU of computed counts; a key being computed is computed once, its other
    askers wait for that result (or its error)."""

    size: int = CACHE_SIZE
    _entries: OrderedDict[Hashable, Counts] = field(default_factory=OrderedDict)
    _running: dict[Hashable, Future[Counts]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, now: Generation, key: Hashable, compute: Callable[[], tuple[Generation, Counts]]) -> Counts:
        """``key``'s counts at generation ``now``; ``compute`` gives them with the generation it
        saw (``now`` or newer: they are kept under that one)."""
        with self._lock:
            if (now, key) in self._entries:
                self._entries.move_to_end((now, key))
                return self._entries[now, key]
            running = self._running.get((now, key))
            mine = running is None
            if running is None:
                running = self._running[now, key] = Future()
        if not mine:
            return running.result()
        try:
            seen, value = compute()
        except BaseException as error:
            with self._lock:
                del self._running[now, key]
            running.set_exception(error)
            raise
        with self._lock:
            del self._running[now, key]
            self._keep(seen, key, value)
        running.set_result(value)
        return value

    def put(self, now: Generation, key: Hashable, value: Counts) -> None:
        """Keep ``value`` as ``key``'s counts at generation ``now``."""
        with self._lock:
            self._keep(now, key, value)

    def _keep(self, now: Generation, key: Hashable, value: Counts) -> None:
        self._entries[now, key] = value
        self._entries.move_to_end((now, key))
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


_caches: weakref.WeakKeyDictionary[Engine, CountsCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_of(engine: Engine) -> CountsCache:
    """The counts cache of ``engine`` (one per engine: a disposed engine's goes with it)."""
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = CountsCache()
        return cache
