"""Watchlists over the API: saved with a token, listed, read with their newest deals and alert
log, followed as an Atom feed that feedparser reads without complaint, and removed."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.api.test_api import AUTH, LICENSE_TEXT, TOKEN, build_client


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with build_client(db_url, api_token=TOKEN) as client:
        yield client


def test_a_watchlist_is_saved_read_followed_as_a_feed_and_removed(client):
    made = client.post("/api/watchlists", json={"name": "licences", "filters": {"type": "license", "since": "2020"}}, headers=AUTH)
    assert made.status_code == 201 and made.json()["filters"] == {"type": "license", "since": "2020-01-01"}
    expected = client.get("/api/deals", params={"type": "license", "since": "2020", "limit": 500}).json()
    [listed] = client.get("/api/watchlists").json()
    assert listed["name"] == "licences" and listed["deals"] == expected["total"] >= 2
    one = client.get("/api/watchlists/licences").json()
    assert {d["id"] for d in one["deals"]} == {d["id"] for d in expected["items"]} and one["log"] == []

    [posted] = client.post("/api/documents", json={"text": LICENSE_TEXT, "name": "aldane"}, headers=AUTH).json()["documents"]
    response = client.get("/api/watchlists/licences.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title == "biodeals watchlist: licences"
    assert len(feed.entries) == expected["total"] + len(posted["deals"])
    newest = feed.entries[0]  # the deal just posted: newest report first
    assert newest.link.endswith(f"/deals/{posted['deals'][0]}") and "Aldane" in newest.title
    assert all(entry.id and entry.updated and entry.title for entry in feed.entries)

    assert client.delete("/api/watchlists/licences").status_code == 401
    assert client.delete("/api/watchlists/licences", headers=AUTH).json()["name"] == "licences"
    assert client.get("/api/watchlists/licences.atom").status_code == 404


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"name": "has space"}, "expected 1-64 letters"),
        ({"name": "x", "filters": {"min_upfront": "lots"}}, "min_upfront: 'lots'"),
        ({"name": "x", "filters": {"colour": "red"}}, "colour"),
        ({"name": "x", "webhook": "ftp://example.com/"}, "body.webhook"),
    ],
)
def test_bad_watchlists_are_a_422_with_the_reason(client, body, problem):
    response = client.post("/api/watchlists", json=body, headers=AUTH)
    assert response.status_code == 422 and problem in response.json()["detail"]


def test_a_webhook_is_shown_by_its_host_only(client):
    body = {"name": "hooked", "filters": {}, "webhook": "https://hooks.example/T0/secret-token"}
    assert client.post("/api/watchlists", json=body, headers=AUTH).json()["webhook"] == "https://hooks.example/…"
    assert client.get("/api/watchlists/hooked").json()["webhook"] == "https://hooks.example/…"
    assert "secret-token" not in client.get("/api/watchlists").text and "secret-token" not in client.get("/watchlists").text
