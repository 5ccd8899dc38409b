"""A selection's counts (total, left out, facets) on SQLite and PostgreSQL: equal to the plain
queries they replace, for every kind of filter; never served stale after an ingest, a review, an
edit, a split, a merge or an undo, in this process or another; the cache bounded, and one
computation for concurrent requests of one view."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, insert, select, update

from biodeals.cli.commands import sample_paths
from biodeals.service import curation, facets
from biodeals.service.deals import DealFilter, deal_conditions, list_deals, trusted_deals
from biodeals.service.facets import Counts, CountsCache, cache_of, count_deals, deal_facets, left_out, selection_counts
from biodeals.service.ingest import ingest
from biodeals.store import connect
from biodeals.store import schema as t
from biodeals.store.generation import generation


def _sample(prefix: str) -> str:
    return next(path for path in sample_paths() if Path(path).name.startswith(prefix))


# -- the plain queries the counts replace (what the deals page ran before they were cached) -----


def plain_count(engine: Engine, f: DealFilter) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t.deals).where(*deal_conditions(engine, f)))


def plain_left_out(engine: Engine, f: DealFilter) -> dict[str, int]:
    if not f.trusted:
        return {"rejected": 0, "low_confidence": 0}
    d = t.deals.c
    everything = deal_conditions(engine, replace(f, trusted=False))
    with engine.connect() as conn:
        query = select(d.review, func.count()).where(*everything, ~trusted_deals()).group_by(d.review)
        counts = dict(conn.execute(query).all())
    return {"rejected": counts.pop("rejected", 0), "low_confidence": sum(counts.values())}


def plain_facets(engine: Engine, f: DealFilter, top: int = 12) -> dict[str, list[dict]]:
    selected = select(t.deals.c.id).where(*deal_conditions(engine, f))
    count = func.count(func.distinct(t.deals.c.id)).label("deals")

    def counted(key, *joins, limit=None):
        query = select(key.label("value"), count).select_from(t.deals)
        for table, on in joins:
            query = query.join(table, on)
        query = query.where(t.deals.c.id.in_(selected), key.is_not(None)).group_by(key)
        return [
            {"value": r.value, "deals": r.deals} for r in conn.execute(query.order_by(count.desc(), key).limit(limit))
        ]

    d, p = t.deals.c, t.deal_parties.c
    with engine.connect() as conn:
        found = {
            "type": counted(t.deal_types.c.type, (t.deal_types, t.deal_types.c.deal_id == d.id)),
            "status": counted(d.status),
            "stage": counted(d.stage),
            "modality": counted(t.deal_modalities.c.modality, (t.deal_modalities, t.deal_modalities.c.deal_id == d.id)),
            "year": counted(d.year),
            "company": counted(
                t.entities.c.name,
                (t.deal_parties, p.deal_id == d.id),
                (t.entities, t.entities.c.id == p.entity_id),
                limit=top,
            ),
        }
    found["year"].sort(key=lambda item: -item["value"])
    return found


def plain(engine: Engine, f: DealFilter) -> Counts:
    return Counts(plain_count(engine, f), plain_left_out(engine, f), plain_facets(engine, f))


def counted(engine: Engine, f: DealFilter) -> Counts:
    """The counts as the API reads them (through the cache)."""
    found = deal_facets(engine, f)
    return Counts(count_deals(engine, f), left_out(engine, f), found)


# -- a knowledge base with every case the counts must get right ---------------------------------


@pytest.fixture
def kb(engine: Engine) -> Engine:
    """The samples, plus deals stored directly: rejected, low-confidence, unscored, confirmed and
    edited ones, deals with no status, stage or year, and two companies of one name that are both
    party to one deal (counted once for the name)."""
    summary = ingest([_sample(n) for n in ("01", "02", "04", "05", "06", "07", "08", "09")], engine)
    assert summary.failed == 0
    with engine.begin() as conn:
        first = conn.scalar(select(func.max(t.entities.c.id))) + 1
        twins = [
            {"id": first + i, "kind": "company", "name": name}
            for i, name in enumerate(("Twin Bio", "Twin Bio", "Solo Co"))
        ]
        conn.execute(insert(t.entities), twins)
        rows = [
            ("rejected", 0.9, "announced", "phase 2", 2021),
            ("unreviewed", 0.2, "announced", None, 2021),
            ("unreviewed", None, None, "phase 1", None),
            ("confirmed", 0.1, "completed", "phase 2", 2019),
            ("edited", 0.3, "terminated", None, 2019),
            ("unreviewed", 0.8, "announced", "phase 2", 2021),
        ]
        ids = []
        for review, confidence, status, stage, year in rows:
            values = {"review": review, "confidence": confidence, "status": status, "stage": stage, "year": year}
            ids.append(
                conn.execute(
                    insert(t.deals).values(**values, upfront_amount=5e7, upfront_currency="USD")
                ).inserted_primary_key[0]
            )
        conn.execute(
            insert(t.deal_types),
            [{"deal_id": i, "type": kind} for i in ids for kind in ("license", "option")[: 1 + i % 2]],
        )
        conn.execute(insert(t.deal_modalities), [{"deal_id": i, "modality": "antibody"} for i in ids[::2]])
        parties = [(ids[0], first), (ids[0], first + 1), (ids[1], first), (ids[3], first + 1), (ids[3], first + 2)]
        parties += [(i, first + 2) for i in ids[4:]]
        conn.execute(insert(t.deal_parties), [{"deal_id": d, "entity_id": e, "role": "partner"} for d, e in parties])
    return engine


FILTERS = [
    DealFilter(),
    DealFilter(trusted=False),
    DealFilter(type="license"),
    DealFilter(type="acquisition", trusted=False),
    DealFilter(company="Twin Bio"),
    DealFilter(company="Corvexa", role="acquirer"),
    DealFilter(role="partner"),
    DealFilter(status="announced"),
    DealFilter(stage="phase 2"),
    DealFilter(modality="antibody"),
    DealFilter(year=2021),
    DealFilter(since=date(2022, 1, 1), until=date(2025, 12, 31)),
    DealFilter(min_upfront=1e7, min_total=1.0),
    DealFilter(text="Orinda"),
    DealFilter(text="±"),
    DealFilter(review="rejected"),
    DealFilter(min_confidence=0.5),
    DealFilter(target="TROP2"),
    DealFilter(reported_since=datetime(2000, 1, 1)),
]


def _label(f: DealFilter) -> str:
    default = DealFilter()
    return (
        ",".join(f"{name}={getattr(f, name)}" for name in f.__slots__ if getattr(f, name) != getattr(default, name))
        or "none"
    )


@pytest.mark.parametrize("f", FILTERS, ids=_label)
def test_the_counts_equal_the_plain_queries(kb, f):
    expected = plain(kb, f)
    assert counted(kb, f) == expected
    assert selection_counts(kb, f) == expected  # the three at once, as the deals page reads them
    assert counted(kb, f) == expected  # from the cache now


def test_every_filter_selects_deals(kb):
    """(So that the counts equal the plain queries' is no coincidence of empty selections.)"""
    found = {f: plain_count(kb, f) for f in FILTERS}
    assert found[DealFilter()] > 0 and found[DealFilter(trusted=False)] > found[DealFilter()]
    assert found[DealFilter(text="±")] == 0 and all(found[f] for f in FILTERS if f.text != "±")


def test_two_companies_of_one_name_count_each_deal_once(kb):
    [twin] = [c for c in deal_facets(kb, DealFilter(trusted=False), top=50)["company"] if c["value"] == "Twin Bio"]
    assert twin["deals"] == 3  # deals 0, 1 and 3: deal 0 has both Twin Bios as parties
    [twin] = [c for c in deal_facets(kb, DealFilter(), top=50)["company"] if c["value"] == "Twin Bio"]
    assert twin["deals"] == 1  # deal 0 is rejected, deal 1 of too low a confidence: deal 3 (confirmed)


def test_a_review_state_outside_the_known_ones_is_still_counted_as_untrusted(kb):
    with kb.begin() as conn:  # no code writes one: the counts must not rely on it
        conn.execute(update(t.deals).where(t.deals.c.id == 1).values(review="odd"))
    assert counted(kb, DealFilter()) == plain(kb, DealFilter())
    assert left_out(kb, DealFilter())["low_confidence"] == plain_left_out(kb, DealFilter())["low_confidence"] > 1


def test_the_page_order_read_from_the_index_lists_the_same_deals(kb):
    """``selected`` large enough makes a list read deals in index order, checking each: the same
    deals in the same order as sorting the selection."""
    for f in FILTERS:
        for paged in (f, replace(f, limit=2, offset=1), replace(f, sort="id"), replace(f, sort="id", descending=False)):
            assert list_deals(kb, paged, selected=10**6) == list_deals(kb, paged), paged


# -- never stale ---------------------------------------------------------------------------------


def _orinda(engine: Engine) -> int:
    (deal,) = list_deals(engine, DealFilter(company="Orinda", trusted=False))
    return deal["id"]


def test_the_counts_follow_every_kind_of_change(engine):
    """Each change alters the counts of some view; each view is cached before it, and read after
    it equals the plain queries (a stale entry would not)."""
    ingest([_sample("01"), _sample("07")], engine)
    views = [DealFilter(), DealFilter(trusted=False), DealFilter(company="Corvexa"), DealFilter(type="license")]

    def change(action) -> None:
        before = {f: counted(engine, f) for f in views}  # cached now
        action()
        after = {f: counted(engine, f) for f in views}
        assert after == {f: plain(engine, f) for f in views}
        assert after != before, "the change should have changed some count"

    orinda = _orinda(engine)
    change(lambda: ingest([_sample("02"), _sample("04")], engine))
    change(lambda: curation.review(engine, "deal", orinda, "rejected", "ann"))
    change(lambda: curation.review(engine, "deal", orinda, "confirmed", "ann"))
    change(lambda: curation.edit_deal(engine, orinda, "types", "license", "ann"))
    change(lambda: curation.edit_deal(engine, orinda, "year", "2011", "ann"))
    change(lambda: curation.split_party(engine, orinda, "Corvexa", "ann"))
    others = [d["id"] for d in list_deals(engine, DealFilter(trusted=False)) if d["id"] != orinda]
    merge = {}
    change(lambda: merge.setdefault("edit", curation.merge_deals(engine, orinda, others[0], "ann")))
    change(lambda: curation.undo(engine, merge["edit"]["id"], "ann"))
    change(lambda: curation.merge_companies(engine, "Corvexa", "Halcyon", "ann"))
    change(lambda: ingest([_sample("10")], engine))  # Orinda's completion: a new report of a curated deal


def test_another_process_writing_is_seen(db_url):
    """Two engines are two processes: what one writes, the other's cached counts do not hide."""
    reader, writer = connect(db_url), connect(db_url)
    try:
        ingest([_sample("01")], writer)
        before = counted(reader, DealFilter())
        ingest([_sample("07")], writer)
        assert count_deals(reader, DealFilter()) == before.total + 1
        curation.review(writer, "deal", _orinda(writer), "rejected", "ann")
        assert counted(reader, DealFilter()) == plain(reader, DealFilter()) != before
        assert left_out(reader, DealFilter())["rejected"] == 1
    finally:
        reader.dispose()
        writer.dispose()


def test_the_generation_moves_with_every_write_and_only_then(engine):
    with engine.connect() as conn:
        empty = generation(conn)
    ingest([_sample("07")], engine)
    with engine.connect() as conn:
        ingested = generation(conn)
    counted(engine, DealFilter())
    list_deals(engine, DealFilter())
    with engine.connect() as conn:
        assert generation(conn) == ingested  # reading changes nothing
    edit = curation.review(engine, "deal", _orinda(engine), "confirmed", "ann")
    with engine.connect() as conn:
        reviewed = generation(conn)
    curation.undo(engine, edit["id"], "ann")
    with engine.connect() as conn:
        undone = generation(conn)
    assert empty < ingested < reviewed < undone


def test_no_code_deletes_what_the_generation_counts():
    """The generation is the newest id of documents and edits: sound only while no row of them
    is ever deleted (a deleted newest id would be given again on SQLite)."""
    source = Path(facets.__file__).resolve().parents[1]
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for table in ("documents", "edits"):
            assert f"delete(t.{table})" not in text and f"DELETE FROM {table}" not in text.replace("\n", " "), path


# -- the cache -------------------------------------------------------------------------------------


def test_repeated_requests_are_answered_from_the_cache_until_the_data_changes(kb, monkeypatch):
    computed = []
    original = facets.compute_counts

    def counting(*args, **kwargs):
        computed.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(facets, "compute_counts", counting)
    statements: list[str] = []
    event.listen(kb, "before_cursor_execute", lambda *args: statements.append(args[2]))
    selects = lambda: [s for s in statements if s.lstrip().upper().startswith("SELECT")]  # noqa: E731
    for _ in range(3):
        counted(kb, DealFilter(type="license"))
        counted(kb, DealFilter(type="license", sort="upfront", limit=5, offset=5))  # paging is not part of the key
    assert computed == [DealFilter(type="license")]  # with the facets; the total is kept with them
    statements.clear()
    counted(kb, DealFilter(type="license"))
    assert len(selects()) == 3 and all("max(" in s for s in selects())  # the generation, read per call
    curation.review(kb, "deal", 1, "rejected", "ann")
    statements.clear()
    assert count_deals(kb, DealFilter(type="license")) == plain_count(kb, DealFilter(type="license"))
    assert not [s for s in selects() if "deal_parties" in s or "deal_modalities" in s]  # a total alone: no facets
    counted(kb, DealFilter(type="license"))
    assert len(computed) == 3


def test_the_cache_is_bounded_and_drops_the_least_recently_used(kb):
    cache = cache_of(kb)
    cache.size = 3
    years = [2019, 2020, 2021, 2022, 2023]
    for year in years[:3]:
        count_deals(kb, DealFilter(year=year))
    count_deals(kb, DealFilter(year=2019))  # used again: 2020 is now the least recently used
    for year in years[3:]:
        count_deals(kb, DealFilter(year=year))
    assert len(cache) == 3
    assert {view.year for _, (_, view) in cache._entries} == {2019, 2022, 2023}
    for year in years:
        deal_facets(kb, DealFilter(year=year))  # two entries each: with the facets and without
    assert len(cache) == 3


def test_the_cache_alone_is_bounded():
    cache = CountsCache(size=2)
    value = Counts(0, {}, {})
    for n in range(10):
        assert cache.get((1, 0), n, lambda: ((1, 0), value)) is value
    assert len(cache) == 2


def test_concurrent_requests_for_one_view_compute_it_once(kb, monkeypatch):
    started, release = threading.Event(), threading.Event()
    computed = []
    original = facets.compute_counts

    def slow(*args, **kwargs):
        computed.append(1)
        started.set()
        assert release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(facets, "compute_counts", slow)
    results: list[Counts] = []
    threads = [threading.Thread(target=lambda: results.append(selection_counts(kb, DealFilter()))) for _ in range(6)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(computed) == 1 and len(results) == 6
    assert all(r == plain(kb, DealFilter()) for r in results)


def test_a_failed_computation_fails_its_waiters_and_is_not_cached():
    cache = CountsCache()
    calls = []

    def failing():
        calls.append(1)
        raise RuntimeError("database gone")

    for _ in range(2):
        with pytest.raises(RuntimeError, match="database gone"):
            cache.get((1, 1), "key", failing)
    assert len(calls) == 2 and len(cache) == 0


def test_callers_get_their_own_copy(kb):
    mine = selection_counts(kb, DealFilter())
    mine.facets["type"].clear()
    mine.left_out["rejected"] = -1
    assert selection_counts(kb, DealFilter()) == plain(kb, DealFilter())


def test_an_entry_is_kept_under_the_generation_it_was_computed_at():
    """A computation that starts after a write it did not see in the generation it was asked for
    is kept under the newer generation: never under an older one than its data."""
    cache = CountsCache()
    newer = Counts(1, {}, {})
    assert cache.get((5, 5), "view", lambda: ((6, 5), newer)) is newer
    assert [key for key in cache._entries] == [((6, 5), "view")]
    assert cache.get((6, 5), "view", lambda: pytest.fail("computed again")) is newer
