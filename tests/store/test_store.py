"""The store: migrations, name keys, entity resolution and deal merging across documents.

Records are written by hand here (the nlp layer has its own tests), so each test states exactly
what two articles reported and checks what the knowledge base makes of it. Every test runs on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from biodeals.ingest import make_document
from biodeals.service.deals import DealFilter
from biodeals.service.merge import POLICY
from biodeals.service.queries import get_deal, list_companies, list_deals
from biodeals.store import Extracted, Writer, company_key, company_marker, connect, plain_key
from biodeals.store import schema as t
from biodeals.store.db import SCHEMA_REVISION


def report(
    name: str, published: str, deals: list[dict[str, Any]], readouts: list[dict[str, Any]] | None = None
) -> Extracted:
    text = f"{name}: a report published {published} about " + "; ".join(
        " and ".join(p["name"] for p in d["parties"]) for d in deals
    )
    document = make_document(text, name=name, source=f"<{name}>", published=published)
    record = {"published": published, "deals": deals, "readouts": readouts or [], "entities": {}}
    return Extracted(document, record)


def deal(
    *parties: tuple[str, str] | tuple[str, str, list[str]],
    types=("acquisition",),
    status="announced",
    year=None,
    **money: float,
) -> dict[str, Any]:
    return {
        "types": list(types),
        "status": status,
        "year": year,
        "parties": [{"name": p[0], "role": p[1], "aliases": p[2] if len(p) > 2 else []} for p in parties],
        **{kind: ({"amount": amount, "currency": "USD"}) for kind, amount in money.items()},
        "evidence": [{"field": "deal", "start": 0, "end": 10, "text": "0123456789"}],
    }


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_migrations_build_exactly_the_schema_module(engine):
    with engine.connect() as conn:
        # full-text search objects are created by the migration alone (dialect-specific SQL)
        context = MigrationContext.configure(
            conn, opts={"include_name": lambda name, *_: not (name or "").startswith(("documents_fts", "ix_documents_fulltext"))}
        )
        diffs = compare_metadata(context, t.metadata)
    assert diffs == []


def test_the_known_schema_revision_is_alembics_head():
    from alembic.script import ScriptDirectory

    from biodeals.store.db import SCHEMA_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_REVISION


def test_connect_twice_is_a_no_op(db_url):
    connect(db_url).dispose()
    engine = connect(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_REVISION
    engine.dispose()


def test_company_keys_ignore_case_punctuation_and_legal_forms():
    assert (
        company_key("Eli Lilly and Company")
        == company_key("ELI LILLY & CO.")
        == company_key("Eli Lilly")
        == "eli lilly"
    )
    assert company_key("Sanofi S.A.") == company_key("Sanofi") == "sanofi"
    assert company_key("Novo Nordisk A/S") == "novo nordisk"
    assert company_key("Merck KGaA") != company_key("Merck & Co., Inc.")
    assert company_marker("Merck & Co., Inc.") == "co" and company_marker("Merck KGaA") == "kgaa"
    assert company_marker("Lilly") is None
    assert plain_key("IMP-321") == plain_key("IMP321") == "imp321"


_name_words = st.lists(
    st.sampled_from(["Alpha", "Bio", "Gene", "x", "Nova", "Therapeutics", "Pharma", "Q"]), min_size=1, max_size=4
)


@given(
    _name_words, st.sampled_from([", Inc.", " Ltd", " plc", " AG", " GmbH", " LLC", " N.V.", ", Inc", " Corporation"])
)
def test_company_key_property_legal_suffix_case_and_spacing_do_not_matter(words, suffix):
    name = " ".join(words)
    assert company_key(name + suffix) == company_key(name)
    assert company_key(name.upper()) == company_key(name)
    assert company_key("  " + name.replace(" ", "   ") + " ") == company_key(name)


def test_acquisition_announced_then_completed_is_one_deal_with_a_status_history(engine):
    writer = Writer(engine, policy=POLICY)
    agreed = report(
        "agree",
        "2020-01-10",
        [
            deal(
                ("Eli Lilly and Company", "acquirer", ["Lilly"]),
                ("Dermira, Inc.", "target", ["Dermira"]),
                total_value=1.1e9,
            )
        ],
    )
    closed = report(
        "close",
        "2020-02-21",
        [deal(("Lilly", "acquirer"), ("Dermira", "target"), status="completed", total_value=1.1e9)],
    )
    first = writer.write_batch([agreed])
    second = writer.write_batch([closed])
    assert (first.deals_added, second.deals_merged, second.deals_added) == (1, 1, 0)
    [only] = list_deals(engine)
    shown = get_deal(engine, only["id"])
    assert shown["status"] == "completed" and shown["announced"] == "2020-01-10"
    assert [(h["status"], h["document"]["name"]) for h in shown["history"]] == [
        ("announced", "agree"),
        ("completed", "close"),
    ]
    assert {p["name"] for p in shown["parties"]} == {"Eli Lilly and Company", "Dermira, Inc."}
    assert shown["conflicts"] == []
    # a late article recalling the announcement does not undo the closing
    writer.write_batch(
        [report("recap", "2020-06-01", [deal(("Eli Lilly", "acquirer"), ("Dermira", "target"), total_value=1.1e9)])]
    )
    assert get_deal(engine, only["id"])["status"] == "completed"


def test_a_deals_stage_at_signing_is_the_one_its_earliest_report_states(engine):
    """A later article tells where the programme has since got to; the first report stating a
    stage is the nearest to the signing, whatever order the articles are ingested in."""
    writer = Writer(engine, policy=POLICY)
    parties = (("Tessaly Pharma", "licensee"), ("Corvexa Bio", "licensor"))
    later = report("later", "2026-05-01", [{**deal(*parties, types=("license",)), "stage_at_signing": "phase 3"}])
    silent = report("silent", "2025-12-01", [deal(*parties, types=("license",))])
    first = report("first", "2026-01-10", [{**deal(*parties, types=("license",)), "stage_at_signing": "phase 2"}])
    writer.write_batch([later])
    [only] = list_deals(engine)
    assert only["stage"] == "phase 3"
    writer.write_batch([silent, first])
    shown = get_deal(engine, only["id"])
    assert shown["stage"] == "phase 2"
    assert [(h["document"]["name"], h["stage"]) for h in shown["history"]] == [
        ("silent", None),
        ("first", "phase 2"),
        ("later", "phase 3"),
    ]
    assert [d["id"] for d in list_deals(engine, DealFilter(stage="phase 2"))] == [only["id"]]
    assert list_deals(engine, DealFilter(stage="phase 3")) == []


def test_milestones_split_by_kind_are_kept_with_the_source_stating_the_current_figure(engine):
    writer = Writer(engine, policy=POLICY)
    parties = (("Tessaly Pharma", "licensee"), ("Corvexa Bio", "licensor"))
    split = {"development": {"amount": 210e6, "currency": "USD"}, "sales": {"amount": 180e6, "currency": "USD"}}
    first = {**deal(*parties, types=("license",), milestones=390e6), "milestone_split": split}
    writer.write_batch([report("first", "2026-01-10", [first])])
    [only] = list_deals(engine)
    assert get_deal(engine, only["id"])["milestone_split"] == split
    # a later source restating another total without its parts: the split no longer describes it
    writer.write_batch([report("later", "2026-03-01", [deal(*parties, types=("license",), milestones=400e6)])])
    shown = get_deal(engine, only["id"])
    assert shown["milestones"]["amount"] == 400e6 and shown["milestone_split"] is None


def test_conflicting_figures_are_kept_with_their_sources(engine):
    writer = Writer(engine, policy=POLICY)
    writer.write_batch(
        [
            report(
                "a", "2021-03-01", [deal(("Acme Bio", "acquirer"), ("Zeta Therapeutics", "target"), total_value=1.0e9)]
            )
        ]
    )
    writer.write_batch(
        [
            report(
                "b", "2021-03-02", [deal(("Acme Bio", "acquirer"), ("Zeta Therapeutics", "target"), total_value=1.2e9)]
            )
        ]
    )
    [only] = list_deals(engine)
    shown = get_deal(engine, only["id"])
    assert shown["conflicts"] == ["total_value"]
    assert sorted(m["amount"] for m in shown["terms"]) == [1.0e9, 1.2e9]
    assert shown["total_value"]["amount"] == 1.2e9  # the latest source's figure is the current one


def test_reports_that_disagree_on_type_year_or_size_stay_separate_deals(engine):
    writer = Writer(engine, policy=POLICY)
    parties = (("Acme Bio", "licensee"), ("Zeta Therapeutics", "licensor"))
    writer.write_batch([report("a", "2019-05-01", [deal(*parties, types=("license",), upfront=50e6)])])
    writer.write_batch([report("b", "2023-05-01", [deal(*parties, types=("license",), upfront=50e6)])])  # years apart
    writer.write_batch([report("c", "2019-06-01", [deal(*parties, types=("acquisition",))])])  # another kind of deal
    writer.write_batch(
        [report("d", "2019-07-01", [deal(*parties, types=("license",), upfront=900e6)])]
    )  # 18x the upfront
    writer.write_batch(
        [report("e", "2019-08-01", [deal(*parties, types=("license",), upfront=55e6)])]
    )  # the first one again
    assert len(list_deals(engine)) == 4
    assert sorted(d["sources"] for d in list_deals(engine)) == [1, 1, 1, 2]


def test_company_spellings_resolve_to_one_company_and_merck_kgaa_stays_apart(engine):
    writer = Writer(engine, policy=POLICY)
    writer.write_batch(
        [
            report(
                "a",
                "2020-01-01",
                [deal(("Eli Lilly and Company", "licensee", ["Lilly"]), ("Zeta", "licensor"), types=("license",))],
            ),
            report("b", "2021-01-01", [deal(("Lilly", "licensee"), ("Acme", "licensor"), types=("license",))]),
            report("c", "2022-01-01", [deal(("Eli Lilly", "licensee"), ("Omega", "licensor"), types=("license",))]),
            report(
                "d",
                "2020-01-01",
                [deal(("Merck & Co., Inc.", "licensee", ["Merck"]), ("Zeta", "licensor"), types=("license",))],
            ),
            report(
                "e",
                "2021-01-01",
                [deal(("Merck KGaA", "licensee", ["Merck"]), ("Acme", "licensor"), types=("license",))],
            ),
        ]
    )
    names = {c["name"]: c["deals"] for c in list_companies(engine)}
    assert names["Eli Lilly and Company"] == 3
    assert names["Merck & Co., Inc."] == 1 and names["Merck KGaA"] == 1
    assert "Lilly" not in names and "Eli Lilly" not in names


def test_assets_resolve_by_any_shared_name_or_standard_id(engine):
    writer = Writer(engine, policy=POLICY)
    readout = {
        "trial": {"name": "TACTI-002", "aliases": []},
        "phase": "2",
        "assets": [{"name": "eftilagimod alpha", "aliases": ["IMP321"]}],
        "indications": [],
        "endpoints": [{"name": "ORR", "value": 47.0, "unit": "%"}],
        "evidence": [],
    }
    later = {**readout, "trial": {"name": "TACTI 002", "aliases": []}, "assets": [{"name": "IMP-321", "aliases": []}]}
    writer.write_batch([report("a", "2022-01-01", [], [readout]), report("b", "2023-01-01", [], [later])])
    with engine.connect() as conn:
        kinds = dict(conn.execute(select(t.entities.c.kind, func.count()).group_by(t.entities.c.kind)).all())
    assert kinds == {"asset": 1, "trial": 1}


def test_writing_the_same_batch_twice_changes_nothing(engine):
    batch = [report("a", "2020-01-01", [deal(("Acme", "acquirer"), ("Zeta", "target"), total_value=3e8)])]
    Writer(engine, policy=POLICY).write_batch(batch)
    before = {table.name: count(engine, table) for table in t.metadata.sorted_tables}
    again = Writer(engine, policy=POLICY).write_batch(batch)
    assert again.documents == 0
    assert {table.name: count(engine, table) for table in t.metadata.sorted_tables} == before


def test_a_failed_extraction_keeps_the_document(engine):
    document = make_document("Some text that broke the extractor.", name="broken", source="<broken>")
    counts = Writer(engine, policy=POLICY).write_batch([Extracted(document, None, "extraction failed (ValueError: boom)")])
    assert counts.failed == 1 and "boom" in counts.failures[0]
    with engine.connect() as conn:
        assert conn.execute(select(t.documents.c.name, t.documents.c.error)).one() == (
            "broken",
            "extraction failed (ValueError: boom)",
        )


ENTITY_RELEASE = """Aldane Bio &amp; Quorra Pharma Sign License Agreement for AB-77

BOSTON, May 5, 2026 -- Quorra Pharma, Inc. and Aldane Bio, Inc. today announced an exclusive license
agreement under which Quorra will develop AB-77, Aldane&#39;s small molecule inhibitor of JAK1, for
atopic dermatitis &amp; psoriasis. Aldane will receive an upfront payment of $45 million and is
eligible for up to $600 million in milestones &gt; expected.
"""


def test_html_entities_are_stored_decoded_and_evidence_still_quotes_the_stored_text(engine):
    from biodeals.service.ingest import ingest_documents

    document = make_document(ENTITY_RELEASE, name="entities", source="<entities>", title="Aldane &amp; Quorra")
    assert ingest_documents([document], engine).stored.documents == 1
    with engine.connect() as conn:
        text, title = conn.execute(select(t.documents.c.text, t.documents.c.title)).one()
        spans = conn.execute(select(t.evidence.c.start, t.evidence.c.end, t.evidence.c.text)).all()
    assert "&amp;" not in text and "&#39;" not in text and "Aldane Bio & Quorra" in text and "Aldane's" in text
    assert title == "Aldane & Quorra"
    assert spans and all(text[start:end] == quoted for start, end, quoted in spans)
    assert any("& psoriasis" in quoted for _, _, quoted in spans)
    [listed] = list_deals(engine)
    assert listed["upfront"]["amount"] == 45e6
    before = {table.name: count(engine, table) for table in t.metadata.sorted_tables}
    assert ingest_documents([document], engine).stored.documents == 0
    assert {table.name: count(engine, table) for table in t.metadata.sorted_tables} == before


def test_upgrading_a_knowledge_base_keeps_every_row(db_url):
    """Each migration alters tables in place: none drops and refills a table, which on SQLite
    would cascade to the rows that refer to it (a readout's endpoints, entities, evidence)."""
    from alembic import command
    from sqlalchemy import insert

    from biodeals.store.db import alembic_config, upgrade

    engine = connect(db_url, migrate=False)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(insert(t.documents).values(
            id=1, content_hash="h", name="d", source="s", language="en", text="Text.", ingested_at=datetime(2026, 1, 1)
        ))
        conn.execute(insert(t.entities).values(id=1, kind="asset", name="AB-1"))
        conn.execute(insert(t.readouts).values(id=1, document_id=1, phase="2"))
        conn.execute(insert(t.readout_entities).values(readout_id=1, entity_id=1))
        conn.execute(insert(t.endpoints).values(readout_id=1, name="ORR", value=31.0, unit="%"))
        conn.execute(insert(t.evidence).values(document_id=1, readout_id=1, field="readout", start=0, end=5, text="Text."))
        conn.execute(insert(t.entities).values(id=2, kind="company", name="Acme"))
        conn.execute(insert(t.deals).values(id=1, status="announced", year=2025))
        conn.execute(insert(t.deal_sources).values(deal_id=1, document_id=1, status="announced", year=2025))
        conn.execute(insert(t.deal_parties).values(deal_id=1, entity_id=2, role="licensor"))
        conn.execute(insert(t.money_terms).values(deal_id=1, document_id=1, kind="upfront", amount=5e6, currency="USD"))
        conn.execute(insert(t.evidence).values(document_id=1, deal_id=1, field="deal", start=0, end=5, text="Text."))
    existing = set(inspect(engine).get_table_names())
    before = {table.name: count(engine, table) for table in t.metadata.sorted_tables if table.name in existing}
    upgrade(engine)
    assert {name: count(engine, t.metadata.tables[name]) for name in before} == before
    assert before["readout_entities"] == before["endpoints"] == before["deal_parties"] == before["money_terms"] == 1
    assert before["evidence"] == 2
    engine.dispose()
