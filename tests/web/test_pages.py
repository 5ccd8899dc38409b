"""Web pages as HTML (no browser): every page renders over the samples on SQLite and PostgreSQL,
filters arrive from forms, document text is escaped, and the evidence highlighter is exact."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biodeals.service.display import format_money
from biodeals.service.ingest import ingest, ingest_documents
from biodeals.web.highlight import highlight
from tests.api.test_api import AUTH, LICENSE_TEXT, build_client

INJECTED = (
    "Ulmo Bio and Vesta Pharma sign a license agreement. <script>alert('x')</script> <img src=x onerror=alert(1)>"
)


@pytest.fixture
def client(db_url):
    with build_client(db_url, api_token=AUTH["Authorization"].split()[1]) as client:
        yield client


def test_every_page_renders(client):
    deal_id = client.get("/api/deals").json()["items"][0]["id"]
    company_id = client.get("/api/companies").json()[0]["id"]
    for path in (
        "/",
        "/companies",
        f"/companies/{company_id}",
        f"/deals/{deal_id}",
        "/readouts",
        "/dashboard",
        "/search?q=license",
        "/documents/1",
        "/static/app.js",
        "/static/vendor/htmx.min.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get("/").text
    assert "/static/vendor/htmx.min.js" in page and "https://" not in page


def test_filters_from_the_form(client):
    page = client.get("/", params={"type": "acquisition", "company": "", "min_total": "", "sort": "total_value"}).text
    total = client.get("/api/deals", params={"type": "acquisition"}).json()["total"]
    assert f'<strong id="deal-total">{total}</strong>' in page
    assert 'class="chosen"' in page and "/api/deals.csv?type=acquisition&amp;sort=total_value" in page


def test_bad_filters_are_explained_not_crashed(client):
    response = client.get("/", params={"year": "soon", "min_upfront": "lots"})
    assert response.status_code == 200
    problems = re.findall(r'<p class="problem" role="alert">(.*?)</p>', response.text)
    assert any("year" in p for p in problems) and any("min_upfront" in p for p in problems)
    assert client.get("/", params={"q": "?!"}).text.count('class="problem"') == 1


def test_unknown_pages_are_404(client):
    for path in ("/deals/99999", "/companies/99999", "/documents/99999", "/no-such-page", "/deals/1/more", "/static/none.js"):
        response = client.get(path)
        assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_document_text_is_escaped(client):
    posted = client.post("/api/documents", json={"text": INJECTED, "title": "<i>title</i>"}, headers=AUTH)
    document_id = posted.json()["documents"][0]["id"]
    page = client.get(f"/documents/{document_id}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<i>title</i>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page and "&lt;i&gt;title&lt;/i&gt;" in page


def _visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 20), st.sampled_from(["deal", "upfront", "parties", "readout"])),
    max_size=8,
)


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=60), raw=spans)
def test_highlight_keeps_the_text_and_anchors_every_span(text, raw):
    evidence = [
        {"id": i, "field": field, "start": start, "end": start + length} for i, (start, length, field) in enumerate(raw)
    ]
    markup = str(highlight(text, evidence))
    assert _visible_text(markup) == text
    for item in evidence:
        inside = 0 <= item["start"] < item["end"] <= len(text)
        assert (f'id="ev-{item["id"]}"' in markup) == inside


def test_highlight_marks_values_inside_sentences():
    text = "Intro. Acme pays $5 million upfront. <b>Outro</b>"
    evidence = [
        {"id": 1, "field": "deal", "start": 7, "end": 36},
        {"id": 2, "field": "upfront", "start": 17, "end": 27},
    ]
    markup = str(highlight(text, evidence))
    assert (
        '<mark class="value sentence" data-ev="1 2" data-fields="upfront" title="upfront">$5 million</mark>' in markup
    )
    assert '<span class="sentence" data-ev="1">Acme pays </span>' in markup
    assert markup.endswith("&lt;b&gt;Outro&lt;/b&gt;")


XSS_URL = "javascript:alert(document.domain)"
XSS_TEXT = LICENSE_TEXT  # a licence with a deal: its deal page shows the source link too


def _hostile_inputs(folder: Path) -> list[str]:
    """The same press release as JSON Lines, CSV and an RSS feed, each with a javascript: URL."""
    jsonl = folder / "hostile.jsonl"
    jsonl.write_text(json.dumps({"text": XSS_TEXT, "url": XSS_URL, "title": "Pellan JSONL"}) + "\n", encoding="utf-8")
    table = folder / "hostile.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["title", "url", "text"], ["Pellan CSV", " JavaScript:alert(1)", XSS_TEXT + " (CSV)"]])
    feed = folder / "hostile.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Pellan RSS</title>'
        f"<link>{XSS_URL}</link><description>{html.escape(XSS_TEXT + ' (RSS)')}</description></item></channel></rss>",
        encoding="utf-8",
    )
    return [str(jsonl), str(table), str(feed)]


def test_stored_urls_link_only_when_http(client, tmp_path):
    ingest(_hostile_inputs(tmp_path), client.app.state.engine)
    hits = client.get("/api/search", params={"q": "Aldane Quorra"}).json()
    assert len(hits) >= 2
    stored = [client.get(f"/api/documents/{hit['id']}").json() for hit in hits]
    assert XSS_URL in {d["url"] for d in stored}  # the hostile value really is stored
    deal_ids = {deal["id"] for d in stored for deal in d["deals"]}
    assert deal_ids
    pages = [client.get(f"/documents/{d['id']}").text for d in stored]
    pages += [client.get(f"/deals/{deal_id}").text for deal_id in deal_ids]
    for page in pages:
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs), hrefs
        assert "javascript:" not in " ".join(hrefs).lower()
    assert any('<span class="original-text"' in page and "javascript:alert(document.domain)" in page for page in pages)
    assert str(tmp_path) not in "".join(pages) and "hostile.jsonl:1" in "".join(pages)


def test_http_urls_still_link(client, tmp_path):
    record = tmp_path / "fine.jsonl"
    record.write_text(json.dumps({"text": XSS_TEXT, "url": "https://example.com/pellan"}) + "\n", encoding="utf-8")
    ingest([str(record)], client.app.state.engine)
    [hit] = client.get("/api/search", params={"q": "Aldane"}).json()
    assert '<a class="original" href="https://example.com/pellan"' in client.get(f"/documents/{hit['id']}").text


def test_pages_have_no_inline_script_or_style(client):
    deal_id = client.get("/api/deals").json()["items"][0]["id"]
    company_id = client.get("/api/companies").json()[0]["id"]
    for path in ("/", f"/deals/{deal_id}", f"/companies/{company_id}", "/dashboard", "/readouts", "/search?q=license",
                 "/documents/1", "/docs", "/deals/99999"):
        response = client.get(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
        for attributes, body in scripts:
            assert 'src="/static/' in attributes or 'type="application/json"' in attributes, (path, attributes)
            assert 'type="application/json"' in attributes or not body.strip(), path
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", response.text), path


def test_page_numbers_and_text_beyond_the_store_are_explained(client):
    for path in ("/deals/99999999999999999999", "/documents/9223372036854775808", "/companies/2147483648", "/deals/-1"):
        response = client.get(path)
        assert response.status_code == 404 and "text/html" in response.headers["content-type"], path
    for path, params in (("/readouts", {"asset": "a\x00"}), ("/companies", {"name": "\x00"}), ("/search", {"q": "x\x00"})):
        response = client.get(path, params=params)
        assert response.status_code == 200 and "NUL character" in response.text, path
    response = client.get("/", params={"until": "0"})
    assert response.status_code == 200 and "until: '0': expected a date written YYYY-MM-DD" in html.unescape(response.text)
    assert client.get("/deals/abc").status_code == 422 and "text/html" in client.get("/deals/abc").headers["content-type"]


def _page_paths(client) -> list[str]:
    """Every page of the web router, its path parameters filled with a stored item's id."""
    from fastapi.routing import APIRoute

    from biodeals.web.pages import router

    ids = {
        "deal_id": client.get("/api/deals").json()["items"][0]["id"],
        "company_id": client.get("/api/companies").json()[0]["id"],
        "document_id": 1,
        "readout_id": client.get("/api/readouts").json()["items"][0]["id"],
    }
    paths = [re.sub(r"\{(\w+)\}", lambda m: str(ids[m[1]]), r.path) for r in router.routes if isinstance(r, APIRoute)]
    paths.remove("/search")  # the empty search form: nothing to answer as JSON, so no twin
    return [*paths, "/docs", "/?type=license&since=2020", "/search?q=license", "/readouts?asset=velarutide"]


def test_every_page_links_its_json_twin(client):
    for path in _page_paths(client):
        page = client.get(path)
        assert page.status_code == 200, path
        twins = re.findall(r'<link rel="alternate" type="application/json" href="([^"]+)">', page.text)
        assert len(twins) == 1, path
        twin = client.get(html.unescape(twins[0]))
        assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json"), (path, twins)
    listed = client.get("/?type=license").text
    [twin] = re.findall(r'rel="alternate" type="application/json" href="([^"]+)"', listed)
    page_total = int(re.search(r'<strong id="deal-total">(\d+)</strong>', listed)[1])
    assert client.get(html.unescape(twin)).json()["total"] == page_total


def test_the_dashboard_separates_thousands_and_counts_undated_deals(tmp_path):
    from biodeals.ingest import make_document
    from biodeals.service.merge import POLICY
    from biodeals.store import Extracted, Writer, connect

    engine = connect(tmp_path / "kb.db")
    documents = [make_document(f"Note {i} on nothing in particular.", name=f"n{i}", source="<notes>") for i in range(1200)]
    Writer(engine, policy=POLICY).write_batch([Extracted(d, {"deals": [], "readouts": []}) for d in documents])
    undated = make_document(LICENSE_TEXT.replace("May 5, 2026", "today"), name="undated", source="<undated>")
    ingest_documents([undated], engine)
    engine.dispose()
    with build_client(str(tmp_path / "kb.db")) as client:
        stats = client.get("/api/stats").json()
        page = client.get("/dashboard").text
    assert f"<strong>{stats['totals']['documents']:,}</strong> documents" in page and "," in f"{stats['totals']['documents']:,}"
    undated_deals = sum(row["deals"] for row in stats["by_year"] if row["key"] is None)
    assert undated_deals >= 1
    assert re.search(rf'id="undated">{undated_deals} deals? without a known year', page)


def test_the_deal_page_values_the_terms_at_the_stage_chosen(client):
    licence = client.get("/api/deals", params={"type": "license", "company": "Halcyon"}).json()["items"][0]
    assert licence["stage"] == "phase 1/2"  # the sample says so: the deal page values it at that stage
    stated = client.get(f"/api/deals/{licence['id']}/value").json()
    assert stated["stage"] == "phase 1/2" and stated["stage_source"] == "stated"
    assert stated["assumptions"]["therapeutic_area"] == "oncology"  # its indication's area, as on the page
    page = client.get(f"/deals/{licence['id']}").text
    assert f'<strong id="rnpv">{format_money(stated["rnpv"])}</strong>' in page and "stated in the source" in page
    valued = client.get(f"/api/deals/{licence['id']}/value", params={"stage": "phase 3"}).json()
    assert valued["stage_source"] == "given" and valued["rnpv"]["amount"] > stated["rnpv"]["amount"]
    page = client.get(f"/deals/{licence['id']}", params={"stage": "phase 3"}).text
    assert f'<strong id="rnpv">{format_money(valued["rnpv"])}</strong>' in page
    assert page.count("<tr><td>") >= len(valued["cash_flows"]) and "BIO / Informa" in page
    assert "stage &#39;soon&#39;: expected one of" in client.get(f"/deals/{licence['id']}", params={"stage": "soon"}).text
    assert client.get(f"/api/deals/{licence['id']}/value", params={"stage": "soon"}).status_code == 422
    ended = client.get("/api/deals", params={"status": "terminated", "company": "Tessaly"}).json()["items"][0]
    unknown = client.get(f"/deals/{ended['id']}").text
    assert 'id="rnpv-reason">not enough terms: the deal states no upfront, milestones or total value' in unknown


def test_the_deal_page_lists_comparable_deals_as_the_api_does(client):
    acquisition = client.get("/api/deals", params={"type": "acquisition", "company": "Lumiera"}).json()["items"][0]
    found = client.get(f"/api/deals/{acquisition['id']}/comparables", params={"k": 5}).json()
    page = client.get(f"/deals/{acquisition['id']}").text
    section = page.split('id="comparables"')[1].split("</section>")[0]
    assert [int(i) for i in re.findall(r'<a href="/deals/(\d+)">', section)] == [c["id"] for c in found["comparables"]]
    assert html.escape("; ".join(found["comparables"][0]["why"])) in section
    assert client.get(f"/api/deals/{acquisition['id']}/comparables", params={"k": 0}).status_code == 422
