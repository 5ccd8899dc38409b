"""Web pages as HTML (no browser): every page renders over the samples on SQLite and PostgreSQL,
filters arrive from forms, document text is escaped, and the evidence highlighter is exact."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biodeals.web.highlight import highlight
from tests.api.test_api import AUTH, build_client

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
    for path in ("/deals/99999", "/companies/99999", "/documents/99999"):
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
