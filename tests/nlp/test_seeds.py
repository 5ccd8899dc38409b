"""The three founding articles define the product: their deals and readouts must come out right
(issue 3), on the fields their gold records hold."""

import pytest

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import extract_record

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def seeds(dev_corpus):
    return {
        name: extract_record(next(read_path(dev_corpus / f"{name}.txt", ReadOptions())))
        for name in ("seed-000", "seed-001", "seed-002")
    }


def _deal(record, *names):
    for deal in record["deals"]:
        if {p["name"] for p in deal["parties"]} >= set(names):
            return deal
    raise AssertionError(f"no deal between {names}: {[[p['name'] for p in d['parties']] for d in record['deals']]}")


def test_seed_000_sanofi_innate_license(seeds):
    deal = next(d for d in seeds["seed-000"]["deals"] if "license" in d["types"])
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Sanofi", "licensee"), ("Innate Pharma", "licensor")]
    assert deal["upfront"] == {"amount": 26_600_000, "currency": "USD"}
    assert deal["milestones"] == {"amount": 1_440_000_000, "currency": "USD"}
    assert deal["status"] == "announced"
    for evidence in deal["evidence"]:
        assert evidence["text"]


def test_seed_000_past_collaboration(seeds):
    deal = next(d for d in seeds["seed-000"]["deals"] if d["year"] == 2016)
    assert deal["types"] == ["collaboration"]
    assert deal["total_value"] == {"amount": 425_000_000, "currency": "USD"}
    assert {p["name"] for p in deal["parties"]} == {"Sanofi", "Innate Pharma"}


def test_seed_000_license_option_target_indication(seeds):
    deal = next(d for d in seeds["seed-000"]["deals"] if "license" in d["types"])
    assert "option" in deal["types"]
    assert "B7H3" in [t["name"] for t in deal["targets"]]
    assert "solid tumors" in [i["name"] for i in deal["indications"]]


def test_seed_001_astrazeneca_cellectis(seeds):
    deal = _deal(seeds["seed-001"], "AstraZeneca", "Cellectis")
    assert {"equity", "collaboration", "option"} <= set(deal["types"])
    assert deal["upfront"] is None and deal["milestones"] is None


def test_seed_002_wuxi_immutep_partnership_and_tacti_002(seeds):
    deal = _deal(seeds["seed-002"], "WuXi Biologics", "Immutep")
    assert "collaboration" in deal["types"]
    (readout,) = [r for r in seeds["seed-002"]["readouts"] if r["trial"] and r["trial"]["name"] == "TACTI-002"]
    assert readout["phase"] == "2"
    assert {"name": "ORR", "value": 47.0, "unit": "%"} in readout["endpoints"]
    assert "eftilagimod alpha" in [a["name"] for a in readout["assets"]]


def test_seed_002_manufacturing_roles(seeds):
    deal = _deal(seeds["seed-002"], "WuXi Biologics", "Immutep")
    assert "manufacturing" in deal["types"]
    assert {(p["name"], p["role"]) for p in deal["parties"]} == {("WuXi Biologics", "provider"), ("Immutep", "client")}
