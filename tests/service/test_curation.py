"""Curation on a real knowledge base (SQLite and PostgreSQL): reviews, field edits, a party split
off, merges of deals and of companies, undo, and that no later ingest undoes what a person decided.

The documents are the bundled samples (written for the project): 07 announces Corvexa's purchase
of Orinda, 10 reports it completed, so ingesting 10 after curating the deal of 07 is a new report
of a curated deal."""

from __future__ import annotations

from pathlib import Path

import pytest

from biodeals.cli.commands import sample_paths
from biodeals.errors import ConfigError, NotFound
from biodeals.service import curation, queries
from biodeals.service.edits import list_edits
from biodeals.service.ingest import ingest
from biodeals.store import connect


def _sample(prefix: str) -> str:
    return next(path for path in sample_paths() if Path(path).name.startswith(prefix))


def _orinda(engine) -> dict:
    (deal,) = queries.list_deals(engine, queries.DealFilter(company="Orinda", trusted=False))
    return deal


@pytest.fixture
def engine(db_url):
    engine = connect(db_url)
    ingest([_sample("07"), _sample("01")], engine)
    yield engine
    engine.dispose()


def test_a_rejected_deal_leaves_trusted_lists_and_totals_and_they_say_so(engine):
    deal = _orinda(engine)
    before = queries.stats(engine)
    curation.review(engine, "deal", deal["id"], "rejected", "ann", "a rumour")
    assert deal["id"] not in {d["id"] for d in queries.list_deals(engine)}
    assert deal["id"] in {d["id"] for d in queries.list_deals(engine, queries.DealFilter(review="rejected"))}
    after = queries.stats(engine)
    assert after["totals"]["deals"] == before["totals"]["deals"] - 1
    assert after["left_out"] == {"rejected": 1, "low_confidence": 0}
    assert queries.stats(engine, trusted=False)["totals"]["deals"] == before["totals"]["deals"]
    assert deal["id"] not in {d["id"] for d in after["largest"]}


def test_edits_outlast_a_new_report_of_the_deal(engine):
    deal = _orinda(engine)
    assert deal["confidence"] is not None and 0 < deal["confidence"] <= 1
    upfront = curation.edit_deal(engine, deal["id"], "upfront", "$333M", "ann", "per the 10-K", quote="Orinda")
    assert upfront["evidence"]["text"] == "Orinda"
    curation.edit_deal(engine, deal["id"], "types", "acquisition; license", "bob")
    curation.edit_deal(engine, deal["id"], "stage", "Phase IIb", "bob")
    ingest([_sample("10")], engine)  # Orinda's completion: merges into the curated deal
    again = queries.get_deal(engine, deal["id"])
    assert again["stage"] == "phase 2"
    assert again["sources"] == 2 and again["status"] == "completed"  # what no one edited follows the sources
    assert again["upfront"] == {"amount": 333e6, "currency": "USD"}
    assert again["types"] == ["acquisition", "license"]
    assert again["review"] == "edited"
    assert [(e["action"], e["user"]) for e in again["edits"]] == [("edit", "bob"), ("edit", "bob"), ("edit", "ann")]


def test_a_party_split_off_is_not_put_back_by_a_new_report(engine):
    deal = _orinda(engine)
    target = next(p for p in deal["parties"] if p["role"] == "target")
    curation.split_party(engine, deal["id"], target["name"], "bob", "wrong company")
    ingest([_sample("10")], engine)  # names the split-off company again
    again = queries.get_deal(engine, deal["id"])
    assert target["id"] not in {p["id"] for p in again["parties"]}
    assert again["edits"][0]["action"] == "split_party" and again["review"] == "edited"


def test_undo_restores_what_the_sources_say_and_the_review_state(engine):
    deal = _orinda(engine)
    edit = curation.edit_deal(engine, deal["id"], "total_value", "5B", "ann")
    assert queries.get_deal(engine, deal["id"])["total_value"]["amount"] == 5e9
    undo = curation.undo(engine, edit["id"], "ann")
    restored = queries.get_deal(engine, deal["id"])
    assert restored["total_value"] == deal["total_value"] and restored["review"] == "unreviewed"
    assert curation.get_edit(engine, edit["id"])["undone_by"] == undo["id"]
    with pytest.raises(ConfigError, match="already undone"):
        curation.undo(engine, edit["id"], "ann")
    ingest([_sample("10")], engine)
    assert queries.get_deal(engine, deal["id"])["total_value"] == _orinda(engine)["total_value"]


def test_merging_two_deals_and_undoing_it(engine):
    orinda, halcyon = _orinda(engine), queries.list_deals(engine, queries.DealFilter(company="Halcyon"))[0]
    merge = curation.merge_deals(engine, orinda["id"], halcyon["id"], "ann")
    merged = queries.get_deal(engine, orinda["id"])
    assert merged["sources"] == 2
    assert {p["id"] for p in halcyon["parties"]} <= {p["id"] for p in merged["parties"]}
    with pytest.raises(NotFound):
        queries.get_deal(engine, halcyon["id"])
    curation.undo(engine, merge["id"], "ann")
    assert queries.get_deal(engine, halcyon["id"])["parties"] == halcyon["parties"]
    back = queries.get_deal(engine, orinda["id"])
    assert back["sources"] == 1 and back["parties"] == orinda["parties"] and back["upfront"] == orinda["upfront"]


def test_merged_companies_are_one_for_every_later_document(engine):
    orinda = next(p for p in _orinda(engine)["parties"] if p["role"] == "target")
    halcyon = next(p for p in queries.list_deals(engine, queries.DealFilter(company="Halcyon"))[0]["parties"] if "Halcyon" in p["name"])
    curation.merge_companies(engine, orinda["name"], "Halcyon", "ann", "same company")
    company = queries.get_company(engine, str(orinda["id"]))
    assert any("Halcyon" in alias for alias in company["aliases"]) and len(company["deals"]) == 2
    with pytest.raises(NotFound):
        queries.get_company(engine, str(halcyon["id"]))
    ingest([_sample("09")], engine)  # Halcyon's equity deal: its party resolves to the merged company
    assert len(queries.get_company(engine, str(orinda["id"]))["deals"]) == 3
    assert list_edits(engine, "company", orinda["id"])[0]["action"] == "merge_companies"


def test_undoing_a_company_merge_gives_each_its_names_and_deals_back(engine):
    orinda = next(p for p in _orinda(engine)["parties"] if p["role"] == "target")
    before = queries.get_company(engine, "Halcyon")
    merge = curation.merge_companies(engine, str(orinda["id"]), "Halcyon", "ann")
    curation.undo(engine, merge["id"], "ann")
    after = queries.get_company(engine, "Halcyon")
    assert (after["id"], after["aliases"], [d["id"] for d in after["deals"]]) == (
        before["id"],
        before["aliases"],
        [d["id"] for d in before["deals"]],
    )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("upfront", "lots", "expected an amount"),
        ("status", "signed", "expected one of"),
        ("types", "license; marriage", "type 'marriage'"),
        ("parties", "Orinda", "expected Name=role"),
        ("colour", "red", "field 'colour'"),
        ("year", "24", "expected a year"),
        ("stage", "phase 5", "expected one of discovery"),
    ],
)
def test_a_value_that_cannot_be_stored_is_refused_with_what_was_expected(engine, field, value, problem):
    deal = _orinda(engine)
    with pytest.raises(ConfigError, match=problem):
        curation.edit_deal(engine, deal["id"], field, value, "ann")
    assert queries.get_deal(engine, deal["id"])["edits"] == []


def test_a_quote_must_be_in_the_deals_sources(engine):
    with pytest.raises(ConfigError, match="not found in the sources"):
        curation.edit_deal(engine, _orinda(engine)["id"], "upfront", "1M", "ann", quote="words no source has")


def test_an_unknown_company_names_the_nearest(engine):
    with pytest.raises(NotFound, match="did you mean 'Halcyon"):
        curation.merge_companies(engine, "Halcyn Therapeutics", "Orinda", "ann")


def test_a_merged_company_takes_the_readouts_it_sponsors_and_gives_them_back_on_undo(engine):
    ingest([_sample("05"), _sample("11")], engine)  # Brightwater's option deal and its readouts
    readouts = queries.list_readouts(engine, sponsor="Brightwater")
    sponsor = readouts[0]["sponsor"]
    assert readouts and all(r["sponsor"] == sponsor for r in readouts)
    option = queries.list_deals(engine, queries.DealFilter(type="option"))[0]
    partner = next(p for p in option["parties"] if p["id"] != sponsor["id"])
    merge = curation.merge_companies(engine, str(partner["id"]), str(sponsor["id"]), "ann")
    assert {queries.get_readout(engine, r["id"])["sponsor"]["id"] for r in readouts} == {partner["id"]}
    curation.undo(engine, merge["id"], "ann")
    assert [queries.get_readout(engine, r["id"])["sponsor"] for r in readouts] == [sponsor] * len(readouts)
