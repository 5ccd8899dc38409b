"""Trends of the selected deals over the API: quarters without gaps, deals per quarter and
modality adding up to the selected deals, top targets, the deal filters applied, and CSVs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.test_api import build_client


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with build_client(db_url) as client:
        yield client


def test_trends_count_the_selected_deals_by_quarter_modality_and_target(client):
    every = client.get("/api/deals", params={"limit": 500}).json()["items"]
    found = client.get("/api/trends").json()
    quarters = found["quarters"]
    years = sorted({int(q[:4]) for q in quarters})
    assert quarters == [f"{y}-Q{n}" for y in range(years[0], years[-1] + 1) for n in range(1, 5)][
        int(quarters[0][-1]) - 1 : len(quarters) + int(quarters[0][-1]) - 1
    ]  # every quarter from the first to the last
    dated = [d for d in every if d["announced"]]
    per_deal = {d["id"]: max(1, len(d["modalities"])) for d in dated}
    assert sum(cell["deals"] for cell in found["by_quarter"]) == sum(per_deal.values())
    assert found["year_only"] == len(every) - len(dated)
    kras = next(t for t in found["top_targets"] if t["name"] == "KRAS")
    assert kras["deals"] == client.get("/api/deals", params={"target": "KRAS"}).json()["total"]
    licences = client.get("/api/trends", params={"type": "license"}).json()
    assert sum(c["deals"] for c in licences["by_quarter"]) < sum(c["deals"] for c in found["by_quarter"])
    per_area = {d["id"]: max(1, len(d["therapeutic_areas"])) for d in dated}
    assert sum(cell["deals"] for cell in found["by_area"]) == sum(per_area.values())
    assert {cell["quarter"] for cell in found["by_area"]} <= set(quarters)
    oncology = sum(c["deals"] for c in found["by_area"] if c["area"] == "oncology")
    assert oncology == sum("oncology" in d["therapeutic_areas"] for d in dated) > 0
    assert client.get("/api/trends", params={"q": "±"}).json()["by_quarter"] == []  # no word: nothing selected


def test_medians_by_stage_at_signing_follow_the_deals_that_state_each_figure(client):
    every = client.get("/api/deals", params={"limit": 500}).json()["items"]
    by_stage = client.get("/api/trends").json()["by_stage"]
    assert sum(cell["deals"] for cell in by_stage) == sum(1 for d in every if d["year"])
    for cell in by_stage:
        chosen = [d for d in every if d["year"] == cell["year"] and (d["stage"] or "(not stated)") == cell["stage"]]
        assert cell["deals"] == len(chosen)
        for currency, median in cell["median_upfront"].items():
            amounts = sorted(d["upfront"]["amount"] for d in chosen if d["upfront"] and d["upfront"]["currency"] == currency)
            assert cell["upfront_stated"][currency] == len(amounts)
            middle = len(amounts) // 2
            assert median == (amounts[middle] if len(amounts) % 2 else (amounts[middle - 1] + amounts[middle]) / 2)
    assert any(cell["stage"] != "(not stated)" for cell in by_stage)


def test_trends_download_as_csv(client):
    response = client.get("/api/trends/by_quarter.csv", params={"type": "license"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and set(rows[0]) == {"quarter", "modality", "deals", "currency", "upfront", "total_value"}
    areas = list(csv.DictReader(io.StringIO(client.get("/api/trends/by_area.csv").text)))
    assert areas and set(areas[0]) == {"quarter", "area", "deals", "currency", "upfront", "total_value"}
    stages = list(csv.DictReader(io.StringIO(client.get("/api/trends/by_stage.csv").text)))
    assert stages and {"year", "stage", "median_upfront", "total_value_stated"} <= set(stages[0])
    targets = list(csv.DictReader(io.StringIO(client.get("/api/trends/top_targets.csv").text)))
    assert targets[0]["name"] and int(targets[0]["deals"]) >= 1
    assert client.get("/api/trends/nothing.csv").status_code == 422
    assert client.get("/api/trends", params={"since": "soon"}).status_code == 422
