"""Curation through the JSON API: writes need a token, each token's user is who the history names,
bad input is the one error envelope, and trusted views leave rejected deals out and say so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.test_api import build_client

ANN, BOB = "ann-token-0001", "bob-token-0002"


@pytest.fixture
def client(db_url: str, tmp_path) -> Iterator[TestClient]:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"ann {ANN}\nbob {BOB}\n", encoding="utf-8")
    with build_client(db_url, api_token="", token_file=str(tokens)) as client:
        yield client


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_each_decision_is_recorded_with_the_user_of_its_token(client):
    deal = client.get("/api/deals").json()["items"][0]
    assert client.post(f"/api/deals/{deal['id']}/review", json={"state": "confirmed"}, headers=_as(ANN)).status_code == 201
    edit = client.post(f"/api/deals/{deal['id']}/edits", json={"field": "year", "value": "2019"}, headers=_as(BOB))
    assert edit.status_code == 201 and edit.json()["user"] == "bob"
    stored = client.get(f"/api/deals/{deal['id']}").json()
    assert stored["year"] == 2019 and stored["review"] == "edited"
    assert [(e["action"], e["user"]) for e in stored["edits"]] == [("edit", "bob"), ("review", "ann")]
    assert client.get("/api/edits", params={"deal": deal["id"]}).json()[0]["id"] == edit.json()["id"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-xyz"}])
def test_a_write_without_a_known_token_is_refused_before_anything_changes(client, headers):
    deal = client.get("/api/deals").json()["items"][0]
    answer = client.post(f"/api/deals/{deal['id']}/review", json={"state": "rejected"}, headers=headers)
    assert answer.status_code == 401 and "Authorization" in answer.json()["detail"]
    assert client.get(f"/api/deals/{deal['id']}").json()["review"] == "unreviewed"


@pytest.mark.parametrize(
    ("path", "body", "status", "detail"),
    [
        ("/api/deals/1/edits", {"field": "upfront", "value": "lots"}, 422, "expected an amount"),
        ("/api/deals/1/edits", {"field": "colour", "value": "red"}, 422, "body.field"),
        ("/api/deals/999999/review", {"state": "confirmed"}, 404, "no such deal"),
        ("/api/deals/1/merge", {"absorb": 1}, 422, "merged with itself"),
        ("/api/companies/Eli%20Lily/merge", {"absorb": "Corvexa"}, 404, "no such company"),
        ("/api/edits/999999/undo", {}, 404, "no such edit"),
    ],
)
def test_bad_curation_input_is_the_one_error_envelope(client, path, body, status, detail):
    answer = client.post(path, json=body, headers=_as(ANN))
    assert answer.status_code == status and detail in answer.json()["detail"]


def test_a_rejected_deal_leaves_trusted_lists_and_stats_which_count_it(client):
    before = client.get("/api/deals").json()["total"]
    deal = client.get("/api/deals").json()["items"][0]
    client.post(f"/api/deals/{deal['id']}/review", json={"state": "rejected"}, headers=_as(ANN))
    assert client.get("/api/deals").json()["total"] == before - 1
    assert client.get("/api/deals", params={"all": "true"}).json()["total"] == before
    assert [d["id"] for d in client.get("/api/deals", params={"review": "rejected"}).json()["items"]] == [deal["id"]]
    stats = client.get("/api/stats").json()
    assert stats["left_out"]["rejected"] == 1 and stats["totals"]["deals"] == before - 1


def test_filters_take_years_and_amounts_as_people_write_them(client):
    assert client.get("/api/deals", params={"since": "2025", "min_upfront": "50M"}).json()["total"] == len(
        [d for d in client.get("/api/deals", params={"limit": 500}).json()["items"]
         if (d["announced"] or "0") >= "2025" and d["upfront"] and d["upfront"]["amount"] >= 50e6]
    )  # fmt: skip
    assert client.get("/api/deals", params={"min_upfront": "lots"}).status_code == 422
