"""Queries and exports over a knowledge base built from the bundled sample articles (written for
the project), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from biodeals.errors import ConfigError, NotFound
from biodeals.service.export import export_deals
from biodeals.service.ingest import ingest
from biodeals.service.queries import (
    DealFilter,
    count_deals,
    get_company,
    get_deal,
    list_assets,
    list_companies,
    list_deals,
    list_readouts,
    search_documents,
    stats,
)
from tests.conftest import core_samples


@pytest.fixture
def kb(engine):
    summary = ingest(core_samples(), engine)
    assert summary.failed == 0 and summary.new == len(core_samples())
    return engine


def parties(deal) -> set[str]:
    return {p["name"] for p in deal["parties"]}


def test_ingesting_twice_adds_nothing(kb):
    before = stats(kb)["totals"]
    again = ingest(core_samples(), kb)
    assert (again.new, again.skipped) == (0, len(core_samples()))
    assert stats(kb)["totals"] == before


def test_deal_filters(kb):
    def ids(**criteria) -> set[int]:
        return {d["id"] for d in list_deals(kb, DealFilter(**criteria))}

    everything = ids()
    license_deal = ids(type="license")
    assert len(license_deal) == 1 and license_deal < everything
    assert ids(company="Halcyon") == license_deal == ids(company="halcyon therapeutics")
    assert ids(company="Halcyon", role="licensor") == license_deal
    assert ids(company="Halcyon", role="licensee") == set()
    assert ids(target="TROP2") == license_deal
    assert ids(modality="antibody-drug conjugate") == license_deal
    acquisition = ids(type="acquisition")
    assert ids(min_upfront=70e6) == license_deal | acquisition and ids(min_upfront=80e6) == acquisition
    assert ids(status="completed") == acquisition
    assert ids(indication="colorectal cancer") == acquisition
    assert ids(min_total=600e6) == acquisition
    # the 2022 supply deal, recalled in a 2025 article, is dated by its year, not by that article
    assert ids(since=date(2025, 1, 1)) == license_deal
    assert ids(until=date(2022, 12, 31)) == everything - license_deal - acquisition
    assert ids(until=date(2024, 12, 31)) == everything - license_deal
    assert ids(text="Lumiera shareholders") == acquisition
    assert count_deals(kb, DealFilter(type="acquisition")) == 1


def test_deal_sorting_and_paging(kb):
    def when(deal) -> tuple[int, str]:  # by year, then by date within the year (undated last)
        return deal["year"], deal["announced"] or ""

    by_date = [when(d) for d in list_deals(kb, DealFilter(sort="announced"))]
    assert by_date == sorted(by_date, reverse=True)
    ascending = list_deals(kb, DealFilter(sort="announced", descending=False))
    assert [when(d) for d in ascending] == sorted(by_date)
    assert list_deals(kb, DealFilter(limit=1, offset=1))[0]["id"] == list_deals(kb)[1]["id"]


@pytest.mark.parametrize(
    "bad", [{"type": "merger"}, {"status": "done"}, {"sort": "price"}, {"role": "buyer"}, {"limit": -1}]
)
def test_bad_filters_are_clear_errors(bad):
    with pytest.raises(ConfigError, match=next(iter(bad))):
        DealFilter(**bad)


def test_the_acquisition_merges_its_two_releases(kb):
    [acquisition] = list_deals(kb, DealFilter(type="acquisition"))
    shown = get_deal(kb, acquisition["id"])
    assert [h["status"] for h in shown["history"]] == ["announced", "completed"]
    assert shown["status"] == "completed" and acquisition["sources"] == 2
    assert parties(shown) == {"Corvexa Biosciences, Inc.", "Lumiera Bio"}
    assert shown["milestones"] == {"amount": 210e6, "currency": "EUR"}
    stated = [ev for ev in shown["evidence"] if ev["field"] == "milestones"]
    assert stated and all("210 million" in ev["text"] and ev["text"] in ev["sentence"] for ev in stated)


def test_evidence_points_into_the_stored_text(kb):
    from sqlalchemy import select

    from biodeals.store import schema as t

    deal = get_deal(kb, list_deals(kb, DealFilter(type="license"))[0]["id"])
    with kb.connect() as conn:
        texts = dict(conn.execute(select(t.documents.c.id, t.documents.c.text)).all())
    assert deal["evidence"]
    for ev in deal["evidence"]:
        assert texts[ev["document_id"]][ev["start"] : ev["end"]] == ev["text"]


def test_unknown_ids_and_names_are_not_found(kb):
    with pytest.raises(NotFound, match="deal 9999"):
        get_deal(kb, 9999)
    with pytest.raises(NotFound, match="Nonexistent"):
        get_company(kb, "Nonexistent Corp")


def test_companies_company_assets_readouts_search_stats(kb):
    names = {c["name"] for c in list_companies(kb)}
    assert {"Halcyon Therapeutics", "Norvale Pharma, Inc.", "Lumiera Bio"} <= names
    halcyon = get_company(kb, "Halcyon")
    assert [p["name"] for p in halcyon["partners"]] == ["Norvale Pharma, Inc."]
    assert "HT-2041" in {a["name"] for a in halcyon["assets"]}
    assert {"HT-2041", "LB-118"} <= {a["name"] for a in list_assets(kb)}
    readouts = list_readouts(kb, asset="velarutide")
    assert readouts and all("velarutide" in r["assets"] for r in readouts)
    values = {(e["name"], e["value"]) for r in readouts for e in r["endpoints"]}
    assert ("weight reduction", 18.4) in values
    assert list_readouts(kb, phase="1") == []
    hits = search_documents(kb, "KRAS inhibitor")
    assert {h["name"] for h in hits} == {"02-corvexa-acquisition", "04-corvexa-agreement"}
    assert all("KRAS" in h["snippet"] for h in hits)
    with pytest.raises(ConfigError, match="no words"):
        search_documents(kb, "?!")
    figures = stats(kb)
    assert figures["totals"]["documents"] == len(core_samples())
    assert figures["totals"]["deals"] == len(list_deals(kb))
    by_type = {e["key"]: e for e in figures["by_type"]}
    assert by_type["acquisition"]["deals"] == 1 and by_type["acquisition"]["total_value"] == {"EUR": 640e6}


def test_exports_in_every_format(kb, tmp_path):
    deals = list_deals(kb, DealFilter(limit=None))
    for suffix in (".csv", ".json", ".jsonl", ".parquet", ".xlsx"):
        assert export_deals(kb, tmp_path / f"deals{suffix}") == len(deals)
    with (tmp_path / "deals.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"] for r in rows} == {str(d["id"]) for d in deals}
    assert json.loads((tmp_path / "deals.json").read_text()) == deals
    assert [json.loads(line) for line in (tmp_path / "deals.jsonl").read_text().splitlines()] == deals
    table = pq.read_table(tmp_path / "deals.parquet").to_pylist()
    license_row = next(r for r in table if "license" in r["types"])
    assert license_row["upfront_amount"] == 75e6 and license_row["upfront_currency"] == "USD"
    book = load_workbook(tmp_path / "deals.xlsx")
    assert book.sheetnames == ["deals", "parties", "terms", "sources"]
    header = [c.value for c in book["deals"][1]]
    upfronts = [row[header.index("upfront_amount")] for row in book["deals"].iter_rows(min_row=2, values_only=True)]
    assert 75e6 in upfronts and all(v is None or isinstance(v, int | float) for v in upfronts)
    sheet = book["deals"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(deals) + 1}"
    first = dict(zip(header, next(sheet.iter_rows(min_row=2)), strict=True))
    assert isinstance(first["announced"].value, date | datetime) and first["announced"].number_format == "yyyy-mm-dd"
    assert first["upfront_amount"].number_format == "#,##0" and isinstance(first["id"].value, int)
    assert sheet.column_dimensions[first["headline"].column_letter].width > sheet.column_dimensions["A"].width
    for row in [rows[0], dict(zip(header, [c.value for c in sheet[2]], strict=True)), table[0]]:
        deal = next(d for d in deals if str(d["id"]) == str(row["id"]))
        assert row["headline"] == deal["headline"] and row["source_titles"]
    acquisition = next(r for r in rows if "acquisition" in r["types"])
    assert acquisition["headline"].startswith("Corvexa Biosciences, Inc. acquires Lumiera Bio")
    assert "Corvexa Biosciences Completes Acquisition of Lumiera Bio" in acquisition["source_titles"]
    assert book["sources"].freeze_panes == "A2" and book["sources"].auto_filter.ref
    filtered = export_deals(kb, tmp_path / "acq.csv", DealFilter(type="acquisition", limit=None))
    assert filtered == 1
    with pytest.raises(ConfigError, match="unknown export format"):
        export_deals(kb, tmp_path / "deals.docx")


def test_text_that_a_spreadsheet_would_run_as_a_formula_stays_text(engine, tmp_path):
    from biodeals.ingest import make_document
    from biodeals.service.ingest import ingest_documents
    from tests.api.test_api import LICENSE_TEXT

    title = '=HYPERLINK("http://evil.example","click")'
    ingest_documents([make_document(LICENSE_TEXT, name="formula", source="<test>", title=title)], engine)
    export_deals(engine, tmp_path / "deals.xlsx", DealFilter(limit=None, trusted=False))
    book = load_workbook(tmp_path / "deals.xlsx")
    [source] = list(book["sources"].iter_rows(min_row=2, values_only=True))
    assert source[2] == "'" + title  # a text cell, not a formula
    assert all(cell.data_type != "f" for row in book["deals"].iter_rows() for cell in row)
