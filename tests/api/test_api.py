"""The JSON API over a knowledge base of the bundled samples (written for the project), on SQLite
and PostgreSQL: every endpoint, its filters, and its answers to bad input."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from biodeals.app import create_app
from biodeals.cli.commands import sample_paths
from biodeals.service.ingest import ingest
from biodeals.store import connect

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_BODY = 64_000

LICENSE_TEXT = """Aldane Bio and Quorra Pharma Sign License Agreement for AB-77

BOSTON, May 5, 2026 -- Quorra Pharma, Inc. and Aldane Bio, Inc. today announced an exclusive license
agreement under which Quorra will develop AB-77, Aldane's small molecule inhibitor of JAK1, for
atopic dermatitis. Aldane will receive an upfront payment of $45 million and is eligible for up to
$600 million in milestones.
"""


def build_client(db_url: str, **settings) -> TestClient:
    engine = connect(db_url)
    summary = ingest(sample_paths(), engine)
    assert summary.failed == 0
    engine.dispose()
    return TestClient(create_app(db_url, max_body_bytes=MAX_BODY, **settings))


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with build_client(db_url, api_token=TOKEN) as client:
        yield client


def deal_ids(client: TestClient, **params) -> list[int]:
    response = client.get("/api/deals", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [deal["id"] for deal in response.json()["items"]]


def test_deals_list_filters_sorts_and_pages(client):
    page = client.get("/api/deals").json()
    assert page["total"] == len(page["items"]) >= 8 and (page["limit"], page["offset"]) == (50, 0)
    every = set(deal_ids(client))

    acquisitions = client.get("/api/deals", params={"type": "acquisition"}).json()["items"]
    assert acquisitions and all("acquisition" in d["types"] for d in acquisitions)
    assert {p["name"] for d in acquisitions for p in d["parties"] if p["role"] == "acquirer"} == {
        "Corvexa Biosciences, Inc."
    }
    corvexa = client.get("/api/deals", params={"company": "Corvexa", "role": "investor"}).json()["items"]
    assert [d["types"] for d in corvexa] == [["collaboration", "equity"]]
    assert set(deal_ids(client, status="terminated")) < every
    assert set(deal_ids(client, year=2026)) == {
        d["id"] for d in client.get("/api/deals", params={"limit": 500}).json()["items"] if d["year"] == 2026
    }
    assert set(deal_ids(client, target="KRAS")) == set(deal_ids(client, q="KRAS")) & set(deal_ids(client, target="KRAS"))
    big = client.get("/api/deals", params={"min_total": 1e9}).json()["items"]
    assert big and all(d["total_value"]["amount"] >= 1e9 for d in big)
    assert deal_ids(client, since="2026-01-01", until="2026-12-31") == deal_ids(client, year=2026)

    by_total = client.get("/api/deals", params={"sort": "total_value", "order": "desc"}).json()["items"]
    amounts = [d["total_value"]["amount"] for d in by_total if d["total_value"]]
    assert amounts == sorted(amounts, reverse=True) and by_total[0]["total_value"] is not None
    ascending = deal_ids(client, sort="id", order="asc")
    assert ascending == sorted(every)
    pages = [deal_ids(client, sort="id", order="asc", limit=3, offset=offset) for offset in range(0, len(every), 3)]
    assert [i for page in pages for i in page] == ascending


def test_facets_count_the_selected_deals(client):
    facets = client.get("/api/deals/facets").json()
    assert set(facets) == {"type", "status", "stage", "modality", "year", "company"}
    for item in facets["type"]:
        assert item["deals"] == len(deal_ids(client, type=item["value"]))
    narrowed = client.get("/api/deals/facets", params={"company": "Norvale"}).json()
    assert {i["value"] for i in narrowed["company"]} >= {"Norvale Pharma, Inc.", "Halcyon Therapeutics"}
    assert sum(i["deals"] for i in narrowed["status"]) <= len(deal_ids(client, company="Norvale"))


def test_one_deal_with_history_and_evidence_that_indexes_the_text(client):
    [orinda] = client.get("/api/deals", params={"company": "Orinda"}).json()["items"]
    deal = client.get(f"/api/deals/{orinda['id']}").json()
    assert deal["status"] == "completed" and deal["sources"] == 2
    assert [h["status"] for h in deal["history"]] == ["announced", "completed"]
    assert deal["total_value"] == {"amount": 1.1e9, "currency": "USD"}
    fields = {e["field"] for e in deal["evidence"]}
    assert {"deal", "parties", "types", "total_value", "assets"} <= fields
    for item in deal["evidence"]:
        text = client.get(f"/api/documents/{item['document_id']}").json()["text"]
        assert text[item["start"] : item["end"]] == item["text"]


def test_companies_assets_readouts_search_stats_documents(client):
    companies = client.get("/api/companies").json()
    assert companies[0]["deals"] >= companies[-1]["deals"]
    assert client.get("/api/companies", params={"name": "Keystone"}).json()[0]["name"] == "Keystone Biologics AG"
    norvale = client.get("/api/companies/Norvale").json()
    assert norvale["name"] == "Norvale Pharma, Inc."
    assert {"Halcyon Therapeutics", "Brightwater Bio, Inc.", "Tessaly Medicines plc"} <= {p["name"] for p in norvale["partners"]}
    assert client.get(f"/api/companies/{norvale['id']}").json()["name"] == norvale["name"]
    assert "HT-2041" in {a["name"] for a in client.get("/api/assets").json()}
    page = client.get("/api/readouts", params={"asset": "BW-118"}).json()
    readouts = page["items"]
    assert page["total"] == len(readouts) >= 1 and (page["limit"], page["offset"]) == (50, 0)
    assert {"name": "ORR", "value": 31.0, "unit": "%"} in [e for r in readouts for e in r["endpoints"]]
    assert readouts[0]["sponsor"]["name"] == "Brightwater Bio, Inc."
    sponsored = client.get("/api/readouts", params={"sponsor": "Brightwater"}).json()["items"]
    assert [r["id"] for r in sponsored] == [r["id"] for r in readouts]
    every = client.get("/api/readouts").json()
    assert every["total"] >= 3
    second = client.get("/api/readouts", params={"limit": 1, "offset": 1}).json()["items"]
    assert [r["id"] for r in second] == [every["items"][1]["id"]]
    one = client.get(f"/api/readouts/{readouts[0]['id']}").json()
    assert one["trial"] == readouts[0]["trial"] and one["evidence"] and one["review"] == "unreviewed"
    assert client.get("/api/readouts/999999").status_code == 404
    hits = client.get("/api/search", params={"q": "cholangiocarcinoma"}).json()
    assert len(hits) == 2 and all("cholangiocarcinoma" in h["snippet"].lower() for h in hits)
    figures = client.get("/api/stats").json()
    assert figures["totals"]["documents"] == len(sample_paths())
    assert figures["totals"]["deals"] == client.get("/api/deals").json()["total"]
    document = client.get(f"/api/documents/{hits[0]['id']}").json()
    assert document["deals"] and "cholangiocarcinoma" in document["text"]


def test_downloads_hold_the_filtered_view(client):
    expected = deal_ids(client, type="license")
    response = client.get("/api/deals.csv", params={"type": "license", "limit": 1})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(int(r["id"]) for r in rows) == sorted(expected)  # every page, not only the first
    workbook = load_workbook(io.BytesIO(client.get("/api/deals.xlsx", params={"type": "license"}).content))
    assert workbook["deals"].max_row == len(expected) + 1


def test_openapi_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/deals", "/api/deals/{deal_id}", "/api/documents", "/api/search", "/api/stats"} <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/deals", {"type": "merger"}),
        ("/api/deals", {"status": "rumoured"}),
        ("/api/deals", {"sort": "name"}),
        ("/api/deals", {"limit": 0}),
        ("/api/deals", {"limit": 100_000}),
        ("/api/deals", {"offset": -1}),
        ("/api/deals", {"since": "last year"}),
        ("/api/deals", {"since": "2026-01-01", "until": "2025-01-01"}),
        ("/api/deals", {"min_upfront": "-5"}),
        ("/api/deals", {"year": "twenty"}),
        ("/api/deals", {"q": "?!"}),
        ("/api/deals", {"colour": "red"}),
        ("/api/deals/facets", {"role": "boss"}),
        ("/api/deals/not-a-number", {}),
        ("/api/search", {}),
        ("/api/readouts", {"limit": -1}),
    ],
)
def test_bad_input_is_a_422_with_a_reason(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]  # the one envelope, not FastAPI's list
    assert set(body) <= {"detail", "problems"}
    assert all(set(p) == {"field", "message"} for p in body.get("problems") or [])


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/deals/99999999999999999999", {}, 422, "path.deal_id"),
        ("/api/deals/2147483648", {}, 422, "path.deal_id"),
        ("/api/deals/0", {}, 422, "path.deal_id"),
        ("/api/documents/9223372036854775808", {}, 422, "path.document_id"),
        ("/api/deals", {"offset": 2**64}, 422, "query.offset"),
        ("/api/deals.csv", {"offset": 2**64}, 422, "query.offset"),
        ("/api/deals", {"limit": 2**70}, 422, "query.limit"),
        ("/api/readouts", {"limit": 2**63}, 422, "query.limit"),
        ("/api/companies/99999999999999999999", {}, 404, None),
        ("/api/companies/2147483648", {}, 404, None),
        ("/api/companies/²", {}, 404, None),
    ],
)
def test_numbers_beyond_the_store_are_refused_not_overflowed(client, path, params, status, field):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str)
    if field:
        assert [p["field"] for p in body["problems"]] == [field] and body["detail"].startswith(field)


@pytest.mark.parametrize(
    "params",
    [
        {"until": "0"},
        {"since": "1"},
        {"since": "20260101"},
        {"until": "2026-02-30"},
        {"since": "2026-01-01T00:00:00"},
        {"until": "1767225600"},
    ],
)
def test_dates_must_be_real_dates(client, params):
    response = client.get("/api/deals", params=params)
    assert response.status_code == 422, response.text
    assert next(iter(params)) in response.json()["detail"]


def test_text_filters_refuse_nul_and_wordless_search_selects_nothing(client):
    for path, params in (
        ("/api/deals", {"company": "Nor\x00vale"}),
        ("/api/companies", {"name": "a\x00"}),
        ("/api/readouts", {"phase": "\x00"}),
        ("/api/search", {"q": "cancer\x00"}),
        ("/api/companies/Nor%00vale", {}),
    ):
        response = client.get(path, params=params)
        assert response.status_code == 422 and "NUL" in response.json()["detail"], (path, response.text)
    assert client.get("/api/search", params={"q": "±"}).json() == []  # valid text, no word in it
    assert client.get("/api/deals", params={"q": "±"}).json()["total"] == 0
    assert all(not v for v in client.get("/api/deals/facets", params={"q": "±"}).json().values())
    assert list(csv.DictReader(io.StringIO(client.get("/api/deals.csv", params={"q": "±"}).text))) == []


def test_errors_are_documented_in_the_one_envelope(client):
    schema = client.get("/openapi.json").json()
    envelope = schema["components"]["schemas"]["ErrorBody"]
    assert envelope["required"] == ["detail"] and "HTTPValidationError" not in schema["components"]["schemas"]
    api = {path: item for path, item in schema["paths"].items() if path.startswith("/api/")}
    for path, item in api.items():
        for method, operation in item.items():
            answers = operation["responses"]
            assert answers["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
            if "{" in path and not path.startswith(("/api/deals.", "/api/trends/")):  # choices, not ids
                assert "404" in answers, (method, path)
    download = api["/api/deals.{extension}"]["get"]["responses"]["200"]["content"]
    assert set(download) == {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert {"400", "401", "403", "413", "422"} <= set(api["/api/documents"]["post"]["responses"])
    # and a real 422 matches it
    body = client.get("/api/deals", params={"year": "soon"}).json()
    assert body == {"detail": "query.year: Input should be a valid integer, unable to parse string as an integer",
                    "problems": [{"field": "query.year",
                                  "message": "Input should be a valid integer, unable to parse string as an integer"}]}


SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def test_every_answer_carries_the_security_headers(client):
    answers = [
        client.get("/api/stats"),
        client.get("/api/deals/99999"),  # 404
        client.get("/api/deals", params={"limit": 0}),  # 422
        client.get("/api/nowhere"),
        client.get("/openapi.json"),
        client.get("/docs"),
        client.get("/"),
        client.get("/deals/99999"),
        client.get("/static/app.js"),
        client.post("/api/documents", json={"text": LICENSE_TEXT}),  # 401, from the token check
        client.post("/api/documents", content=b"x" * (MAX_BODY + 1), headers=AUTH),  # 413
    ]
    for response in answers:
        for name, value in SECURITY.items():
            assert response.headers.get(name) == value, (response.request.url, name)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_sources_name_no_server_path(client, tmp_path):
    records = tmp_path / "secret-folder" / "feed.jsonl"
    records.parent.mkdir()
    records.write_text(json.dumps({"text": LICENSE_TEXT, "url": "https://example.com/aldane"}) + "\n", encoding="utf-8")
    ingest([str(records)], client.app.state.engine)
    [hit] = client.get("/api/search", params={"q": "Aldane Quorra"}).json()
    document = client.get(f"/api/documents/{hit['id']}").json()
    assert hit["source"] == document["source"] == "feed.jsonl:1"
    [deal] = document["deals"]
    assert {h["document"]["source"] for h in client.get(f"/api/deals/{deal['id']}").json()["history"]} == {"feed.jsonl:1"}
    sample = client.get("/api/documents/1").json()
    assert sample["source"] == f"{sample['name']}.txt"
    for path in ("/api/search?q=license", f"/api/documents/{hit['id']}", f"/api/deals/{deal['id']}", "/api/documents/1"):
        text = client.get(path).text
        assert str(tmp_path) not in text and str(Path(sample_paths()[0]).parent) not in text, path


def _post_without_reading(app, headers: list[tuple[bytes, bytes]]) -> tuple[list[dict], list[str]]:
    """POST /api/documents straight to the ASGI app: the answer's messages, and whether the app
    asked for the body."""
    asked: list[str] = []
    sent: list[dict] = []

    async def receive() -> dict:
        asked.append("body")
        return {"type": "http.request", "body": b'{"text": "x"}', "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/documents", "raw_path": b"/api/documents", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), (b"content-length", b"13"),
                    *headers],
        "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    return sent, asked


def test_the_token_is_checked_before_the_body_is_read(client):
    """An unauthenticated write is refused from its headers: the app never asks for its body."""
    for headers in ([], [(b"authorization", b"Bearer nope")], [(b"authorization", b"Basic " + TOKEN.encode())]):
        sent, asked = _post_without_reading(client.app, headers)
        assert sent[0]["status"] == 401 and not asked
        assert (b"www-authenticate", b"Bearer") in sent[0]["headers"]
        assert json.loads(sent[1]["body"])["detail"].startswith("writes need")
    sent, asked = _post_without_reading(client.app, [(b"authorization", f"Bearer {TOKEN}".encode())])
    assert asked and sent[0]["status"] == 201  # with the token the body is read and stored
    # token first: an unauthenticated body over the limit is a 401, not a 413
    big = client.post("/api/documents", content=b"x" * (MAX_BODY + 1), headers={"content-type": "application/json"})
    assert big.status_code == 401
    # reads and other methods are untouched: a DELETE is still a 405 with its Allow header
    assert client.delete("/api/documents").status_code == 405


@pytest.mark.parametrize("path", ["/api/deals/99999", "/api/companies/No%20Such%20Company", "/api/documents/99999"])
def test_unknown_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "no such" in response.json()["detail"]


def test_writes_need_the_token(client):
    body = {"text": LICENSE_TEXT}
    assert client.post("/api/documents", json=body).status_code == 401
    wrong = client.post("/api/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/deals", params={"company": "Aldane"}).json()["total"] == 0  # nothing was stored


def test_a_server_without_token_is_read_only(db_url, monkeypatch):
    monkeypatch.setenv("BIODEALS_API_TOKEN", "")
    with build_client(db_url) as client:
        for headers in (AUTH, {"Authorization": "Bearer "}):
            response = client.post("/api/documents", json={"text": LICENSE_TEXT}, headers=headers)
            assert response.status_code == 403 and "BIODEALS_API_TOKEN" in response.json()["detail"]


def test_posting_text_ingests_it_once(client):
    created = client.post("/api/documents", json={"text": LICENSE_TEXT, "published": "2026-05-05"}, headers=AUTH)
    assert created.status_code == 201, created.text
    result = created.json()
    assert (result["new"], result["deals_added"], result["failed"]) == (1, 1, 0)
    [stored] = result["documents"]
    [deal_id] = stored["deals"]
    deal = client.get(f"/api/deals/{deal_id}").json()
    assert {(p["name"], p["role"]) for p in deal["parties"]} == {
        ("Quorra Pharma, Inc.", "licensee"),
        ("Aldane Bio, Inc.", "licensor"),
    }
    assert deal["upfront"] == {"amount": 45e6, "currency": "USD"}

    again = client.post("/api/documents", json={"text": LICENSE_TEXT}, headers=AUTH)
    assert again.status_code == 200 and (again.json()["new"], again.json()["skipped"]) == (0, 1)
    assert again.json()["documents"][0]["id"] == stored["id"]
    assert client.get("/api/stats").json()["totals"]["documents"] == len(sample_paths()) + 1


@pytest.mark.parametrize(
    "body",
    [{}, {"text": ""}, {"text": "   \n "}, {"text": "x", "url": "https://example.com/a"}, {"url": "not a url"}, {"text": 5}],
)
def test_bad_documents_are_422(client, body):
    response = client.post("/api/documents", json=body, headers=AUTH)
    assert response.status_code == 422, response.text


def test_malformed_json_is_422(client):
    response = client.post("/api/documents", content=b"{not json", headers={**AUTH, "content-type": "application/json"})
    assert response.status_code == 422


def test_oversize_bodies_are_413(client):
    big = {"text": "word " * MAX_BODY}
    assert client.post("/api/documents", json=big, headers=AUTH).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b'{"text": "'
        for _ in range(MAX_BODY // 1000 + 1):
            yield b"a" * 1000
        yield b'"}'

    streamed = client.post("/api/documents", content=chunks(), headers={**AUTH, "content-type": "application/json"})
    assert streamed.status_code == 413 and "larger than" in streamed.json()["detail"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def article_server(tmp_path: Path) -> Iterator[str]:
    """A local web server with one press-release page."""
    (tmp_path / "release.html").write_text(
        "<html><head><title>Aldane and Quorra sign licence</title></head><body><nav>Home | News</nav>"
        f"<article>{''.join(f'<p>{line}</p>' for line in LICENSE_TEXT.splitlines() if line)}</article></body></html>",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_posting_a_url_of_a_private_address_is_refused(client, article_server):
    """The server's own loopback (its own port included) is no place a posted URL may reach."""
    before = client.get("/api/stats").json()["totals"]["documents"]
    response = client.post("/api/documents", json={"url": f"{article_server}/release.html"}, headers=AUTH)
    assert response.status_code == 422 and "loopback address 127.0.0.1" in response.json()["detail"]
    own = client.post("/api/documents", json={"url": "http://localhost:8000/api/stats"}, headers=AUTH)
    assert own.status_code == 422 and "refused" in own.json()["detail"]
    assert client.get("/api/stats").json()["totals"]["documents"] == before


def test_posting_a_url_fetches_and_ingests_the_page(client, article_server, monkeypatch):
    monkeypatch.setenv("BIODEALS_ALLOW_HOSTS", "127.0.0.1")  # the operator allows the local test server
    response = client.post("/api/documents", json={"url": f"{article_server}/release.html"}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["deals_added"] == 1
    missing = client.post("/api/documents", json={"url": f"{article_server}/missing.html"}, headers=AUTH)
    assert missing.status_code == 422 and "404" in missing.json()["detail"]


def test_posting_text_with_a_lone_surrogate_stores_it_and_nul_is_a_clear_422(client):
    """JSON may escape a lone surrogate ("\\ud800"): the document is stored with it replaced by
    U+FFFD (no encoder takes a surrogate), not a 500. NUL is refused with the reason."""

    def post(name: str) -> object:
        text = LICENSE_TEXT.replace("\n", "\\n").replace("Aldane Bio, Inc.", name)
        body = ('{"text": "' + text + '"}').encode()
        return client.post("/api/documents", content=body, headers={**AUTH, "content-type": "application/json"})

    response = post("Aldane\\ud800 Bio, Inc.")
    assert response.status_code == 201, response.text
    (stored,) = response.json()["documents"]
    assert "Aldane\ufffd Bio, Inc." in client.get(f"/api/documents/{stored['id']}").json()["text"]
    refused = post("Aldane\\u0000 Bio, Inc.")
    assert refused.status_code == 422 and "NUL" in refused.json()["detail"]
