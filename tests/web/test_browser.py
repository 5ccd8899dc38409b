"""The web app in a real browser: Debian's Chromium, headless, driven by Playwright, against
`biodeals serve` started on a free localhost port over the bundled samples (written for the
project). Screenshots go to test-artifacts/screenshots/.

Skipped when /usr/bin/chromium is absent, unless BIODEALS_REQUIRE_BROWSER is set (as in CI).
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from biodeals.cli.commands import sample_paths
from biodeals.service.ingest import ingest
from biodeals.store import connect
from tests.api.test_api import LICENSE_TEXT
from tests.web.serving import running


def _until(page, expression: str, seconds: float = 10.0) -> None:
    """Wait until ``expression`` holds in the page. Playwright's ``wait_for_function`` polls by
    evaluating its string inside the page, which the app's Content-Security-Policy (no
    'unsafe-eval') refuses whenever the first check fails; ``page.evaluate`` is not so bound."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(50)

CHROMIUM = os.environ.get("BIODEALS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TOKEN = "browser-test-token"
INJECTION = """<script>window.__pwned = 1; alert('pwned')</script> Zentra Bio and Opaline Pharma Sign License

BOSTON, May 5, 2026 -- Opaline Pharma, Inc. and Zentra Bio, Inc. today announced an exclusive license
agreement for ZB-9 <img src=x onerror="window.__pwned = 1">, a small molecule inhibitor of JAK1 for
atopic dermatitis. Zentra will receive an upfront payment of $20 million.
"""

SCRIPT_URL = "javascript:window.__pwned = 1; alert(document.domain)"
SCRIPT_LINK_TEXT = LICENSE_TEXT  # a licence with a deal: its deal page shows the source link too

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("BIODEALS_REQUIRE_BROWSER"),
    reason=f"no Chromium at {CHROMIUM} (Debian package chromium; .ci/run installs it)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`biodeals serve` on a knowledge base of the samples, one JSON Lines record whose url is
    ``javascript:``, and one document posted through the API that carries HTML to inject."""
    folder = tmp_path_factory.mktemp("web")
    db = folder / "kb.db"
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"text": SCRIPT_LINK_TEXT, "url": SCRIPT_URL, "title": "Aldane"}) + "\n", encoding="utf-8")
    engine = connect(db)
    ingest([*sample_paths(), str(hostile)], engine)
    engine.dispose()
    with running("serve", "--db", str(db), env={"BIODEALS_API_TOKEN": TOKEN}) as base:
        posted = httpx.post(
            f"{base}/api/documents",
            json={"text": INJECTION, "title": "<b onmouseover=alert(1)>Zentra</b>"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,  # the server's first extraction loads its models
        )
        assert posted.status_code == 201, posted.text
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"BIODEALS_REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh page that records every host it contacts, every dialog it opens and every
    Content-Security-Policy violation the browser reports (none is allowed)."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.hosts = set()
    page.dialogs = []
    page.on("request", lambda r: page.hosts.add(urlparse(r.url).hostname))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert page.hosts <= {"127.0.0.1"}, f"the page loaded from elsewhere: {page.hosts}"
    assert not page.dialogs
    assert not page.csp_violations, page.csp_violations


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_deals_table_facet_deal_evidence_company_graph(page, server):
    api = httpx.get(f"{server}/api/deals", params={"limit": 500}).json()
    page.goto(server)
    rows = page.locator("table.deals tbody tr")
    assert rows.count() == api["total"] and page.locator("#deal-total").inner_text() == str(api["total"])
    shot(page, "01-deals")

    # a facet narrows the table in place (htmx) and the URL follows
    acquisitions = [d for d in api["items"] if "acquisition" in d["types"]]
    page.locator('.facet[data-facet="type"] a', has_text="acquisition").click()
    page.wait_for_url("**type=acquisition**")
    _until(page, f"document.querySelector('#deal-total').textContent === '{len(acquisitions)}'")
    assert rows.count() == len(acquisitions)
    assert page.locator('.facet[data-facet="type"] .chosen').inner_text().endswith("acquisition")
    shot(page, "02-facet-acquisition")

    # the deal page shows its fields and highlights the sentences and values they came from
    orinda = next(d for d in acquisitions if any(p["name"].startswith("Orinda") for p in d["parties"]))
    page.locator(f'a.deal-link:text-is("{orinda["id"]}")').click()
    page.wait_for_url(f"**/deals/{orinda['id']}")
    sentence = page.locator("details[open] .doc-text .sentence").first
    assert sentence.is_visible() and sentence.inner_text().strip()
    value = page.locator("table.fields tr", has_text="Total value").locator("a.ev-link").first
    quoted = value.inner_text().strip("“”")
    value.click()
    active = page.locator(".doc-text .active-evidence").first
    active.wait_for()
    assert quoted in active.inner_text() or active.inner_text() in quoted
    _until(
        page,
        "(() => { const r = document.querySelector('.doc-text .active-evidence').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()",
    )
    shot(page, "03-deal-evidence")

    # the company page draws the partnership network
    page.locator("table.fields a", has_text="Corvexa").first.click()
    page.wait_for_url("**/companies/*")
    graph = page.locator("#graph[data-nodes]")
    graph.wait_for()
    corvexa = httpx.get(f"{server}/api/companies/Corvexa").json()
    assert int(graph.get_attribute("data-nodes")) == len(corvexa["partners"]) + 1
    assert page.locator("#graph canvas").count() >= 1
    assert page.evaluate("window.biodealsGraph.nodes().length") == len(corvexa["partners"]) + 1
    shot(page, "04-company-graph")


def test_the_deal_page_draws_its_valuation_as_a_waterfall_at_the_stage_its_source_states(page, server):
    [licence] = httpx.get(f"{server}/api/deals", params={"type": "license", "company": "Halcyon"}).json()["items"]
    valued = httpx.get(f"{server}/api/deals/{licence['id']}/value").json()
    assert valued["stage_source"] == "stated" and len(valued["cash_flows"]) >= 3
    page.goto(f"{server}/deals/{licence['id']}")
    assert page.locator("#stage").inner_text() == licence["stage"]
    quoted = page.locator("table.fields tr", has_text="Stage at signing").locator("a.ev-link").first.inner_text()
    assert quoted.strip("“”") == "Phase 1/2"
    page.locator("#chart-valuation[data-bars]").wait_for(state="attached")
    bars = page.evaluate("Chart.getChart(document.getElementById('chart-valuation')).data.datasets[0].data")
    assert len(bars) == len(valued["cash_flows"]) + 1
    assert all(before[1] == pytest.approx(after[0]) for before, after in pairwise(bars[:-1]))  # each floats on the last
    assert bars[-1] == pytest.approx([0, valued["rnpv"]["amount"] / 1e6])  # the last bar is the rNPV
    shot(page, "03b-deal-valuation")


def test_download_csv_of_the_filtered_view(page, server, tmp_path):
    expected = httpx.get(f"{server}/api/deals", params={"type": "license", "limit": 500}).json()["total"]
    page.goto(f"{server}/?type=license&limit=1")
    with page.expect_download() as download:
        page.locator("a.download", has_text="CSV").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == expected > 1 and all("license" in row["types"] for row in rows)


def test_dashboard_charts_and_search(page, server):
    page.goto(f"{server}/dashboard")
    _until(page, "document.body.dataset.charts !== undefined")
    drawn = page.evaluate("[...document.querySelectorAll('.charts canvas')].filter(c => Chart.getChart(c)).length")
    assert drawn == 9  # four of the whole knowledge base, five of the trends of the selected deals
    quarters = page.evaluate("Chart.getChart(document.getElementById('chart-quarter-modality')).data.labels")
    trends = httpx.get(f"{server}/api/trends").json()
    assert quarters == trends["quarters"] and len(set(q[:4] for q in quarters)) >= 2
    stacked = page.evaluate(
        "Chart.getChart(document.getElementById('chart-quarter-modality')).data.datasets"
        ".reduce((sum, d) => sum + d.data.reduce((a, b) => a + b, 0), 0)"
    )
    assert stacked == sum(cell["deals"] for cell in trends["by_quarter"])
    by_area = page.evaluate(
        "Chart.getChart(document.getElementById('chart-quarter-area')).data.datasets"
        ".map(d => [d.label, d.data.reduce((a, b) => a + b, 0)])"
    )
    assert dict(by_area) == {
        area: sum(c["deals"] for c in trends["by_area"] if c["area"] == area) for area in {c["area"] for c in trends["by_area"]}
    }
    medians = page.evaluate(
        "Chart.getChart(document.getElementById('chart-stage-upfront')).data.datasets"
        ".map(d => [d.label, d.data.filter(v => v !== null)])"
    )
    usd = {}
    for cell in sorted(trends["by_stage"], key=lambda c: c["year"]):
        if "USD" in cell["median_upfront"]:
            usd.setdefault(cell["stage"], []).append(cell["median_upfront"]["USD"] / 1e6)
    assert dict(medians) == usd and "phase 1/2" in usd  # the samples state stages
    page.locator("#trends form.filters select[name=review]").select_option("unreviewed")
    page.locator("#trends form.filters input[name=since]").fill("2026")
    with page.expect_navigation():
        page.locator("#trends form.filters button[type=submit]").click()
    _until(page, "document.body.dataset.charts !== undefined")
    since_2026 = httpx.get(f"{server}/api/trends", params={"since": "2026", "review": "unreviewed"}).json()
    labels = page.evaluate("Chart.getChart(document.getElementById('chart-quarter-modality')).data.labels")
    assert labels == since_2026["quarters"] and all(q.startswith("2026") for q in labels)
    years = page.evaluate("Chart.getChart(document.getElementById('chart-year-count')).data.labels.map(Number)")
    assert years == list(range(years[0], years[-1] + 1))  # a time line: no year left out between two
    gap = page.evaluate("everyYear([{key: 1991, deals: 1}, {key: null, deals: 4}, {key: 2003, deals: 2}])")
    assert [row["key"] for row in gap] == list(range(1991, 2004)) and [row["deals"] for row in gap][1] == 0
    shown = page.evaluate(
        "[...document.querySelectorAll('.charts canvas')].map(c => Chart.getChart(c))"
        ".map(chart => Object.values(chart.scales).filter(s => s.type === 'category')"
        ".every(s => s.ticks.length === chart.data.labels.length))"
    )
    assert shown == [True] * 9  # every bar labelled
    shot(page, "05-dashboard")

    page.fill("header input[name=q]", "cholangiocarcinoma")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=cholangiocarcinoma")
    assert page.locator(".search-results li").count() == 2
    shot(page, "06-search")


def test_injected_html_stays_inert(page, server):
    [hit] = httpx.get(f"{server}/api/search", params={"q": "Zentra Opaline"}).json()
    page.goto(f"{server}/documents/{hit['id']}")
    text = page.locator(".doc-text").inner_text()
    assert "<script>window.__pwned = 1; alert('pwned')</script>" in text and "<img src=x" in text
    assert page.locator("h1").inner_text() == "<b onmouseover=alert(1)>Zentra</b>"
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".doc-text script, .doc-text img, h1 b").count() == 0
    [deal] = httpx.get(f"{server}/api/deals", params={"company": "Zentra"}).json()["items"]
    page.goto(f"{server}/deals/{deal['id']}")
    assert "<img src=x" in page.locator(".doc-text").first.inner_text()
    assert page.evaluate("window.__pwned") is None
    shot(page, "07-injection-inert")


def test_unknown_deal_is_a_404_page(page, server):
    response = page.goto(f"{server}/deals/99999")
    assert response.status == 404 and "no such deal" in page.locator(".problem").inner_text()



def test_api_docs_run_under_the_content_security_policy(page, server):
    response = page.goto(f"{server}/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/deals/{deal_id}").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 10
    shot(page, "08-api-docs")


def test_a_javascript_url_is_shown_not_linked(page, server):
    [hit] = httpx.get(f"{server}/api/search", params={"q": "Aldane Quorra"}).json()
    deals = httpx.get(f"{server}/api/documents/{hit['id']}").json()["deals"]
    assert deals
    for path in [f"/documents/{hit['id']}"] + [f"/deals/{deal['id']}" for deal in deals]:
        page.goto(f"{server}{path}")
        assert page.locator('a[href^="javascript:" i]').count() == 0
        shown = page.locator(".original-text").first
        assert shown.inner_text() == SCRIPT_URL
        shown.click()
        assert page.evaluate("window.__pwned") is None
        visible = page.locator("main").inner_text()
        assert "hostile.jsonl:1" in visible and "/tmp" not in visible  # the source, not the server's path
    shot(page, "09-javascript-url-as-text")


def test_the_policy_stops_an_inline_script(page, server):
    """The CSP is enforced and its violations are seen: a script element written into the page
    does not run, and the browser reports it (so the check of every other test can fail)."""
    page.goto(server)
    page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'), {textContent: 'window.__inline = 1'}))"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__inline") is None
    assert any("script-src" in message for message in page.csp_violations)
    page.csp_violations.clear()
