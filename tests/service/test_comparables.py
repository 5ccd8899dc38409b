"""Comparable deals over the bundled samples: deals of the same kind first, each with the traits
it shares, scores as the documented weights add up, and the spread of the terms among them."""

from __future__ import annotations

import pytest

from biodeals.cli.commands import sample_paths
from biodeals.errors import ConfigError, NotFound
from biodeals.service.comparables import NEAR_STAGE, WEIGHTS, YEAR_DECAY, comparables
from biodeals.service.ingest import ingest
from biodeals.service.queries import DealFilter, list_deals


@pytest.fixture
def kb(engine):
    ingest(sample_paths(), engine)
    return engine


def _deal(kb, **criteria):
    return list_deals(kb, DealFilter(limit=None, **criteria))[0]


def test_an_acquisition_is_compared_with_acquisitions_first_and_says_why(kb):
    lumiera = _deal(kb, type="acquisition", company="Lumiera")
    found = comparables(kb, lumiera["id"], k=3)
    first = found["comparables"][0]
    assert first["same_type"] and "acquisition" in first["types"] and first["why"][0] == "type: acquisition"
    assert all(c["id"] != lumiera["id"] for c in found["comparables"])
    assert [c["same_type"] for c in found["comparables"]] == sorted((c["same_type"] for c in found["comparables"]), reverse=True)
    option = next(c for c in found["comparables"] if "option" in c["types"])
    assert "target: KRAS" in option["why"]  # the option deal shares the KRAS target


def test_scores_add_up_the_documented_weights(kb):
    licence = _deal(kb, type="license", company="Halcyon")
    for c in comparables(kb, licence["id"], k=10)["comparables"]:
        expected = 0.0
        for reason in c["why"]:
            trait = reason.split(":")[0]
            if trait in WEIGHTS:
                expected += WEIGHTS[trait]
            elif trait == "also":
                expected += WEIGHTS["type"] / 3
            elif trait == "near stage":
                expected += WEIGHTS["stage"] * NEAR_STAGE
            elif "apart" in reason or reason == "same year":
                apart = 0 if reason == "same year" else int(reason.split()[0])
                expected += WEIGHTS["year"] * (1 - YEAR_DECAY * apart)
        assert c["score"] == pytest.approx(expected, abs=1e-3), c["why"]


def test_the_spread_of_terms_is_the_median_and_quartiles_per_currency(kb):
    lumiera = _deal(kb, type="acquisition", company="Lumiera")
    found = comparables(kb, lumiera["id"], k=10)
    totals = sorted(c["total_value"]["amount"] for c in found["comparables"] if c["total_value"] and c["total_value"]["currency"] == "USD")
    spread = found["terms"]["USD"]["total_value"]
    assert spread["n"] == len(totals) and spread["q1"] <= spread["median"] <= spread["q3"]
    assert min(totals) <= spread["median"] <= max(totals)


def test_every_sample_deal_has_an_answer_and_bad_requests_are_clear(kb):
    for deal in list_deals(kb, DealFilter(limit=None, trusted=False)):
        found = comparables(kb, deal["id"], k=5)
        assert len(found["comparables"]) <= 5 and found["considered"] >= len(found["comparables"])
    with pytest.raises(NotFound):
        comparables(kb, 99999)
    with pytest.raises(ConfigError, match="k 0"):
        comparables(kb, 1, k=0)
