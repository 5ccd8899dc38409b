"""Therapeutic areas from MONDO's hierarchy (the artifact scripts/build_areas.py builds): known
diseases land in their area, a cancer of an organ is oncology first, and a deal's areas come from
its indications and choose the success rates its valuation uses."""

from __future__ import annotations

import pytest

from biodeals.service.areas import area_of, deal_areas


@pytest.mark.parametrize(
    "mondo, area",
    [
        ("MONDO:0004992", "oncology"),  # cancer
        ("MONDO:0008903", "oncology"),  # lung cancer: oncology before respiratory
        ("MONDO:0004975", "neurology"),  # Alzheimer disease
        ("MONDO:0005015", "metabolic and endocrine"),  # diabetes mellitus
        ("MONDO:0005550", "infectious disease"),
        ("MONDO:0005083", "immunology and inflammation"),  # psoriasis: immune before skin, as I&I
    ],
)
def test_diseases_land_in_their_area(mondo, area):
    assert area_of(mondo) == area


def test_unknown_ids_and_other_vocabularies_have_no_area():
    assert area_of("MONDO:9999999") is None and area_of("MESH:D000001") is None and area_of(None) is None
    assert deal_areas([{"standard_id": "MONDO:0004992"}, {"standard_id": None}]) == ["oncology"]


def test_an_oncology_deal_is_valued_with_oncology_rates(engine):
    from biodeals.cli.commands import sample_paths
    from biodeals.service.ingest import ingest
    from biodeals.service.queries import DealFilter, list_deals
    from biodeals.service.valuation import value_deal

    ingest(sample_paths(), engine)
    licence = next(d for d in list_deals(engine, DealFilter(limit=None)) if "oncology" in d["therapeutic_areas"] and d["upfront"])
    valued = value_deal(engine, licence["id"], stage="phase 2")
    assert valued["assumptions"]["therapeutic_area"] == "oncology"
    assert value_deal(engine, licence["id"], stage="phase 2", area="all")["assumptions"]["therapeutic_area"] == "all"


@pytest.mark.parametrize(
    "text, area",
    [
        ("a licence for non-small cell lung cancer", "oncology"),
        ("a partnership in type 2 diabetes", "metabolic and endocrine"),
        ("a collaboration in ulcerative colitis", "immunology and inflammation"),
    ],
)
def test_the_commonest_indications_of_deals_have_an_area(text, area):
    """The words of deal news (our curated disease terms, "non-small cell lung cancer") carry the
    MONDO id of the disease they name, so the indications a deal is most often about have an area."""
    from biodeals.nlp import extract_record
    from tests.conftest import doc

    (indication,) = [e for e in extract_record(doc(f"Acme announced {text}."))["entities"]["indications"] if e["id"]]
    assert area_of(indication["id"]) == area
