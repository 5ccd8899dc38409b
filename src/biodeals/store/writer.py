"""Writing extraction records into the knowledge base: entities resolved across documents, deals
merged with the deals other documents already reported, every value stored with its evidence.
Which reports are one deal, and what a deal's current values are, the writer asks the
``MergePolicy`` it is given (``biodeals.store.merging``); it only loads and persists.

One ``write_batch`` call is one transaction, holding the knowledge base's write lock (so
concurrent writers take turns), and each document in it is a savepoint: a document is stored
together with everything extracted from it or not at all, so a crash loses nothing already
committed and a re-run (which skips stored content hashes) resumes without duplicates. A
document that cannot be written (a value the database refuses, a bug of ours) is rolled back
alone and kept as a document row stating why; the batch goes on. Documents another writer
stored meanwhile are counted as skipped.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError

from biodeals.ingest import OffsetMap, decode_entities
from biodeals.model import DEAL_STAGES, MILESTONE_SPLIT, MONEY_KINDS, Amount, Role, record_spans
from biodeals.store import schema as t
from biodeals.store.curation import curated_deals, reapply_edits
from biodeals.store.db import write_transaction
from biodeals.store.deal_rows import refresh_deal
from biodeals.store.entities import EntityCache, Resolver
from biodeals.store.merging import DealReport, KnownDeal, MergePolicy

if TYPE_CHECKING:
    from biodeals.ingest.document import Document

_HASH_LOOKUP_CHUNK = 500  # content hashes looked up per query
_KNOWN_DEALS_CHUNK = 100  # stored deals loaded per query when looking for the one a report describes
_COUNT_CAP = 1_000  # deals per company counted when choosing which parties drive the candidate query
_COUNTS_KEPT = 50_000  # companies whose deal counts a writer remembers
_DEAL_ENTITY_GROUPS = {"assets": "asset", "targets": "target", "indications": "indication"}
_RECORD_ENTITY_GROUPS = {
    "companies": "company",
    "assets": "asset",
    "targets": "target",
    "indications": "indication",
    "trials": "trial",
}


@dataclass(slots=True)
class Extracted:
    """A document and what extraction made of it: its record, or the error that stopped it."""

    document: Document
    record: dict[str, Any] | None
    error: str | None = None


@dataclass(slots=True)
class WriteCounts:
    """What a batch (or a whole ingest) added to the knowledge base."""

    documents: int = 0
    skipped: int = 0  # already stored (by another writer since the ingest started)
    failed: int = 0
    deals_added: int = 0
    deals_merged: int = 0
    readouts_added: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: WriteCounts) -> None:
        self.documents += other.documents
        self.skipped += other.skipped
        self.failed += other.failed
        self.deals_added += other.deals_added
        self.deals_merged += other.deals_merged
        self.readouts_added += other.readouts_added
        self.failures.extend(other.failures)


@dataclass(frozen=True, slots=True)
class FinishedPartition:
    """An input partition whose documents a batch completes (see ``Writer.write_batch``)."""

    key: str
    label: str
    documents: int


def _record_partition(conn: Connection, partition: FinishedPartition) -> None:
    p = t.partitions.c
    if conn.scalar(select(p.key).where(p.key == partition.key)) is None:  # the write lock is held
        conn.execute(
            insert(t.partitions).values(
                key=partition.key,
                label=_storable(partition.label),
                documents=partition.documents,
                finished_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )


class Writer:
    """Stores ``Extracted`` documents in batches; see the module docstring."""

    def __init__(self, engine: Engine, policy: MergePolicy) -> None:
        """``policy`` decides which reports are one deal (``biodeals.service.merge.POLICY``; the
        store knows no policy of its own, so every writer is given one)."""
        self.engine = engine
        self.policy = policy
        self._entities = EntityCache()
        # companies' deal counts, to choose the parties that drive the candidate query: they only
        # steer its cost (any choice finds the same deals), so counts a little stale will do
        self._deal_counts: dict[int, int] = {}
        with engine.connect() as conn:
            self._entities.load(conn)

    def stored_among(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are stored (the ingest skips those documents): one
        indexed lookup per chunk, so memory is the chunk's, not the knowledge base's."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for at in range(0, len(wanted), _HASH_LOOKUP_CHUNK):
                chunk = wanted[at : at + _HASH_LOOKUP_CHUNK]
                found.update(
                    conn.scalars(select(t.documents.c.content_hash).where(t.documents.c.content_hash.in_(chunk)))
                )
        return found

    def finished_partitions(self, keys: Iterable[str]) -> dict[str, int]:
        """Which of these input partitions an ingest finished: key -> documents read from it."""
        wanted = list(dict.fromkeys(keys))
        p = t.partitions.c
        with self.engine.connect() as conn:
            return dict(conn.execute(select(p.key, p.documents).where(p.key.in_(wanted))).all()) if wanted else {}

    def write_batch(self, batch: Sequence[Extracted], *, partition: FinishedPartition | None = None) -> WriteCounts:
        """Store ``batch`` in one transaction. Documents whose hash is already stored are left
        alone (and counted as skipped), so writing the same batch twice changes nothing. The
        ``partition`` the batch completes is recorded in the same transaction (once: a
        partition another ingest finished meanwhile is not recorded again)."""
        counts = WriteCounts()
        try:
            with write_transaction(self.engine) as conn:
                if partition is not None:
                    _record_partition(conn, partition)
                hashes = [item.document.id for item in batch]
                stored = set(
                    conn.scalars(select(t.documents.c.content_hash).where(t.documents.c.content_hash.in_(hashes)))
                )
                if len(self._deal_counts) > _COUNTS_KEPT:
                    self._deal_counts.clear()
                session = _BatchSession(conn, self._entities, self.policy, self._deal_counts)
                for item in batch:
                    if item.document.id in stored:
                        counts.skipped += 1
                        continue
                    stored.add(item.document.id)
                    self._store_alone(session, item, counts)
        except BaseException:
            self._entities.undo(0)  # the transaction rolled back
            raise
        self._entities.keep()
        return counts

    def _store_alone(self, session: _BatchSession, item: Extracted, counts: WriteCounts) -> None:
        """Store one document in its own savepoint; if that fails, keep the document row with
        the reason, and if even that fails, count it as failed. Only a lost connection stops the batch."""
        mark = self._entities.mark()
        own = WriteCounts()
        try:
            with session.conn.begin_nested():
                session.store(item, own)
        except Exception as error:
            self._entities.undo(mark)
            _reraise_if_connection_lost(error)
            reason = f"not stored: {_describe(error)}"
            if item.error:
                reason = f"{item.error}; {reason}"
            doc = item.document
            try:
                with session.conn.begin_nested():
                    session.insert_document(doc, doc.published, reason, storable=True)
            except Exception as again:
                _reraise_if_connection_lost(again)
                counts.failed += 1
                counts.failures.append(f"{doc.source}: {reason}; not recorded either ({_describe(again)})")
                return
            counts.documents += 1
            counts.failed += 1
            counts.failures.append(f"{doc.source}: {reason}")
            return
        counts.add(own)


def _describe(error: BaseException) -> str:
    """One line naming the error: the driver's own message, not SQLAlchemy's statement dump."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    lines = str(cause).strip().splitlines()
    return _storable(f"{type(cause).__name__}: {lines[0] if lines else ''}")[:300]


def _reraise_if_connection_lost(error: Exception) -> None:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        raise error


def _into_stored_text(record: dict[str, Any], text: str, offsets: OffsetMap) -> dict[str, Any]:
    """A copy of ``record`` with every span moved from the original text into ``text``, the
    stored text (the original with its HTML entities decoded, ``offsets`` mapping back): '&amp;'
    is stored, quoted and highlighted as '&'."""
    moved = copy.deepcopy(record)
    for span in record_spans(moved):
        span["start"], span["end"] = offsets.from_original(span["start"], span["end"])
        span["text"] = text[span["start"] : span["end"]]
    return moved


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(text: str) -> str:
    """``text`` with what no database takes (NUL, lone surrogates) replaced by U+FFFD, one
    character for one, so offsets into it still hold."""
    return _UNSTORABLE.sub("\ufffd", text)


class _BatchSession:
    """The work of one transaction; entities are resolved through the writer's cache."""

    def __init__(
        self, conn: Connection, entities: EntityCache, policy: MergePolicy, deal_counts: dict[int, int]
    ) -> None:
        self.conn = conn
        self.policy = policy
        self.deal_counts = deal_counts  # entity id -> deals (_COUNT_CAP: at least that many)
        self.resolve = Resolver(conn, entities).resolve
        # no one curates while this batch holds the write lock: which deals have edits is fixed
        self.curated = curated_deals(conn)

    def insert_document(
        self, doc: Document, published: date | None, error: str | None, storable: bool = False, text: str | None = None
    ) -> int:
        """The document's row, with ``text`` (default: the original with its HTML entities
        decoded) as its text; ``storable`` replaces characters the database may refuse."""
        clean = _storable if storable else (lambda value: value)
        return self.conn.execute(
            insert(t.documents).values(
                content_hash=doc.id,
                name=clean(doc.name),
                source=clean(doc.source),
                url=doc.url and clean(doc.url),
                title=doc.title and clean(decode_entities(doc.title)[0]),
                published=published,
                language=doc.language,
                text=clean(decode_entities(doc.original)[0] if text is None else text),
                error=error,
                ingested_at=datetime.now(UTC).replace(tzinfo=None),
            )
        ).inserted_primary_key[0]

    def store(self, item: Extracted, counts: WriteCounts) -> None:
        doc, record = item.document, item.record
        text, offsets = decode_entities(doc.original)
        if record is not None and text != doc.original:
            record = _into_stored_text(record, text, offsets)
        published = doc.published
        if record and record.get("published"):
            published = date.fromisoformat(record["published"])
        document_id = self.insert_document(doc, published, item.error, text=text)
        counts.documents += 1
        if record is None:
            counts.failed += 1
            counts.failures.append(f"{doc.source}: {item.error}")
            return
        ids = _standard_ids(record)
        for deal in record.get("deals", []):
            if self._store_deal(deal, document_id, published, ids):
                counts.deals_merged += 1
            else:
                counts.deals_added += 1
        for readout in record.get("readouts", []):
            self._store_readout(readout, document_id, ids)
            counts.readouts_added += 1

    # -- entities ---------------------------------------------------------------------------

    def _resolve_all(self, kind: str, items: Iterable[dict[str, Any]], ids: dict[tuple[str, str], str]) -> list[int]:
        resolved = []
        for item in items:
            name = item.get("name")
            if name:
                standard_id = ids.get((kind, name))
                resolved.append(self.resolve(kind, name, item.get("aliases", []), standard_id))
        return list(dict.fromkeys(resolved))

    # -- deals ------------------------------------------------------------------------------

    def _store_deal(
        self, deal: dict[str, Any], document_id: int, published: date | None, ids: dict[tuple[str, str], str]
    ) -> bool:
        """Store one deal of a document; True when the policy merged it into a deal already known."""
        parties: dict[int, str] = {}
        for party in deal.get("parties", []):
            if not party.get("name"):
                continue
            entity_id = self.resolve("company", party["name"], party.get("aliases", []))
            parties.setdefault(entity_id, party.get("role") or Role.PARTNER.value)
        status = deal.get("status")
        terms = {kind: deal[kind] for kind in MONEY_KINDS if deal.get(kind)}
        report = DealReport(
            document_id=document_id,
            parties=parties,
            types=frozenset(deal.get("types") or ()),
            status=status,
            year=self.policy.report_year(deal.get("year"), status, published),
            terms={kind: Amount(term["amount"], term["currency"]) for kind, term in terms.items()},
        )
        deal_id = self._matching_deal(report)
        merged = deal_id is not None
        if deal_id is None:
            deal_id = self.conn.execute(insert(t.deals).values(year=report.year)).inserted_primary_key[0]
        self._add_links(deal_id, deal, parties, self.policy.types_to_add(report, merged), ids)
        self.conn.execute(
            insert(t.deal_sources).values(
                deal_id=deal_id,
                document_id=document_id,
                status=status,
                year=report.year,
                published=published,
                stage=deal.get("stage_at_signing") if deal.get("stage_at_signing") in DEAL_STAGES else None,
                confidence=deal.get("confidence"),
            )
        )
        # the parts of its milestones the text states apart are terms of this source too
        split = {
            MILESTONE_SPLIT[k]: term for k, term in (deal.get("milestone_split") or {}).items() if k in MILESTONE_SPLIT
        }
        if terms or split:
            self.conn.execute(
                insert(t.money_terms),
                [
                    {
                        "deal_id": deal_id,
                        "document_id": document_id,
                        "kind": kind,
                        "amount": float(term["amount"]),
                        "currency": term["currency"],
                    }
                    for kind, term in {**terms, **split}.items()
                ],
            )
        self._store_evidence(deal, document_id, deal_id=deal_id)
        refresh_deal(self.conn, self.policy, deal_id, deal.get("royalties"))
        if deal_id in self.curated:
            reapply_edits(self.conn, deal_id)  # what people decided of the deal outlasts every report
        return merged

    def _matching_deal(self, report: DealReport) -> int | None:
        """The first stored deal the policy takes ``report`` to describe too, among the deals
        sharing its parties, in the policy's order."""
        if not report.parties:
            return None
        bounds = self.policy.candidate_bounds(report)
        if bounds is None:
            return None
        # counted and bounded in the database, and driven by the parties with the fewest deals: a
        # deal sharing two of the report's parties has one besides the one with the most deals,
        # so a company with 100,000 deals is never read whole for a report naming its partner
        p, d = t.deal_parties.c, t.deals.c
        parties = list(report.parties)
        sizes = {entity_id: self._deal_count(entity_id, exact=False) for entity_id in parties}
        if sum(size >= _COUNT_CAP for size in sizes.values()) > 1:  # which of two large ones is larger
            sizes |= {e: self._deal_count(e, exact=True) for e, size in sizes.items() if size >= _COUNT_CAP}
        drivers = sorted(parties, key=lambda e: sizes[e])[: len(parties) - bounds.min_shared + 1]
        if len(drivers) == 1 and bounds.min_shared > 1:  # every candidate has the driver: join its deals to the others
            driver = t.deal_parties.alias("driver")
            others = [e for e in parties if e != drivers[0]]
            candidate = driver.c.deal_id
            query = (
                select(candidate, (1 + func.count()).label("shared"))
                .join(t.deal_parties, (p.deal_id == candidate) & p.entity_id.in_(others))
                .where(driver.c.entity_id == drivers[0])
                .group_by(candidate)
                .having(1 + func.count() >= bounds.min_shared)
            )
        else:
            driven = select(p.deal_id).where(p.entity_id.in_(drivers)).distinct().subquery()
            candidate = p.deal_id
            query = (
                select(candidate, func.count().label("shared"))
                .select_from(driven)
                .join(t.deal_parties, candidate == driven.c.deal_id)
                .where(p.entity_id.in_(parties))
                .group_by(candidate)
                .having(func.count() >= bounds.min_shared)
            )
        if bounds.years is not None:
            in_years = d.year.between(*bounds.years)
            query = query.join(t.deals, d.id == candidate).where(
                or_(in_years, d.year.is_(None)) if bounds.undated else in_years
            )
        shared = dict(self.conn.execute(query).all())
        for known in self._known_deals(self.policy.candidate_deals(shared, len(report.parties))):
            if self.policy.same_deal(report, known):
                return known.id
        return None

    def _deal_count(self, entity_id: int, *, exact: bool) -> int:
        """How many deals the company is party to: exactly, or counted up to ``_COUNT_CAP``
        (enough to tell a company with few deals from one with many, at the cost of a short index
        read); remembered, so a company with 100,000 deals is counted once per writer."""
        known = self.deal_counts.get(entity_id)
        if known is not None and (not exact or known != _COUNT_CAP):  # _COUNT_CAP: counted up to it
            return known
        rows = select(t.deal_parties.c.deal_id).where(t.deal_parties.c.entity_id == entity_id)
        count = (
            self.conn.scalar(select(func.count()).select_from(rows.limit(None if exact else _COUNT_CAP).subquery()))
            or 0
        )
        self.deal_counts[entity_id] = count
        return count

    def _known_deals(self, deal_ids: list[int]) -> Iterator[KnownDeal]:
        """The stored deals ``deal_ids``, in that order, loaded a chunk at a time (a match is
        usually among the first)."""
        for at in range(0, len(deal_ids), _KNOWN_DEALS_CHUNK):
            chunk = deal_ids[at : at + _KNOWN_DEALS_CHUNK]
            rows = {r.id: r._mapping for r in self.conn.execute(select(t.deals).where(t.deals.c.id.in_(chunk)))}
            types: dict[int, set[str]] = defaultdict(set)
            for deal_id, kind in self.conn.execute(
                select(t.deal_types.c.deal_id, t.deal_types.c.type).where(t.deal_types.c.deal_id.in_(chunk))
            ):
                types[deal_id].add(kind)
            documents: dict[int, set[int]] = defaultdict(set)
            for deal_id, document_id in self.conn.execute(
                select(t.deal_sources.c.deal_id, t.deal_sources.c.document_id).where(
                    t.deal_sources.c.deal_id.in_(chunk)
                )
            ):
                documents[deal_id].add(document_id)
            for deal_id in chunk:
                row = rows[deal_id]
                yield KnownDeal(
                    id=deal_id,
                    year=row["year"],
                    types=frozenset(types[deal_id]),
                    documents=frozenset(documents[deal_id]),
                    terms={
                        kind: Amount(row[f"{kind}_amount"], row[f"{kind}_currency"])
                        for kind in MONEY_KINDS
                        if row[f"{kind}_amount"] is not None
                    },
                )

    def _add_links(
        self,
        deal_id: int,
        deal: dict[str, Any],
        parties: dict[int, str],
        types: frozenset[str],
        ids: dict[tuple[str, str], str],
    ) -> None:
        c = t.deal_parties.c
        known_roles = dict(self.conn.execute(select(c.entity_id, c.role).where(c.deal_id == deal_id)).all())
        news = bool(deal.get("status"))  # a report of the deal as news states its roles best
        for entity_id, role in parties.items():
            if entity_id not in known_roles:
                self.conn.execute(insert(t.deal_parties).values(deal_id=deal_id, entity_id=entity_id, role=role))
            elif (kept := self.policy.role_to_store(known_roles[entity_id], role, news)) != known_roles[entity_id]:
                self.conn.execute(
                    update(t.deal_parties).where(c.deal_id == deal_id, c.entity_id == entity_id).values(role=kept)
                )
        known_types = set(self.conn.scalars(select(t.deal_types.c.type).where(t.deal_types.c.deal_id == deal_id)))
        self._insert_new(t.deal_types, "deal_id", deal_id, "type", set(types) - known_types)
        linked: list[int] = []
        for group, kind in _DEAL_ENTITY_GROUPS.items():
            linked += self._resolve_all(kind, deal.get(group) or [], ids)
        known = set(self.conn.scalars(select(t.deal_entities.c.entity_id).where(t.deal_entities.c.deal_id == deal_id)))
        self._insert_new(t.deal_entities, "deal_id", deal_id, "entity_id", set(linked) - known)
        modalities = set(deal.get("modalities") or [])
        known_modalities = set(
            self.conn.scalars(select(t.deal_modalities.c.modality).where(t.deal_modalities.c.deal_id == deal_id))
        )
        self._insert_new(t.deal_modalities, "deal_id", deal_id, "modality", modalities - known_modalities)

    def _insert_new(self, table: t.Table, owner: str, owner_id: int, column: str, values: set[Any]) -> None:
        if values:
            self.conn.execute(insert(table), [{owner: owner_id, column: value} for value in sorted(values)])

    # -- readouts ---------------------------------------------------------------------------

    def _store_readout(self, readout: dict[str, Any], document_id: int, ids: dict[tuple[str, str], str]) -> None:
        trial = readout.get("trial") or {}
        trial_id = self.resolve("trial", trial["name"], trial.get("aliases", [])) if trial.get("name") else None
        sponsor = readout.get("sponsor") or {}
        sponsor_id = (
            self.resolve("company", sponsor["name"], sponsor.get("aliases", [])) if sponsor.get("name") else None
        )
        readout_id = self.conn.execute(
            insert(t.readouts).values(
                document_id=document_id,
                trial_id=trial_id,
                sponsor_id=sponsor_id,
                phase=readout.get("phase"),
                confidence=readout.get("confidence"),
            )
        ).inserted_primary_key[0]
        linked = self._resolve_all("asset", readout.get("assets") or [], ids)
        linked += self._resolve_all("indication", readout.get("indications") or [], ids)
        self._insert_new(t.readout_entities, "readout_id", readout_id, "entity_id", set(linked))
        rows = [
            {"readout_id": readout_id, "name": e["name"], "value": float(e["value"]), "unit": e.get("unit")}
            for e in readout.get("endpoints", [])
            if e.get("name") and e.get("value") is not None
        ]
        if rows:
            self.conn.execute(insert(t.endpoints), rows)
        self._store_evidence(readout, document_id, readout_id=readout_id)

    def _store_evidence(self, item: dict[str, Any], document_id: int, **owner: int) -> None:
        rows = [
            {
                "document_id": document_id,
                **owner,
                "field": ev["field"],
                "start": ev["start"],
                "end": ev["end"],
                "text": ev["text"],
            }
            for ev in item.get("evidence", [])
        ]
        if rows:
            self.conn.execute(insert(t.evidence), rows)


def _standard_ids(record: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(kind, name or alias) -> standard id, from the record's entities section."""
    ids: dict[tuple[str, str], str] = {}
    for group, kind in _RECORD_ENTITY_GROUPS.items():
        for entity in record.get("entities", {}).get(group, []):
            if entity.get("id"):
                for name in [entity["name"], *entity.get("aliases", [])]:
                    ids.setdefault((kind, name), entity["id"])
    return ids
