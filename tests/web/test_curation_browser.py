"""Curation in a real browser (Debian's Chromium, headless, Playwright) against `biodeals serve`
with a token file: rejecting a deal takes it out of the dashboard's totals, an edit shows its new
value and its history, two companies merged are one company page with both names.

Each test gets its own knowledge base of the bundled samples (written for the project), so one
test's decisions never reach another's."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from biodeals.cli.commands import sample_paths
from biodeals.service.ingest import ingest
from biodeals.store import connect
from tests.web.serving import running
from tests.web.test_browser import ARTIFACTS, _until, browser, pytestmark  # noqa: F401  (shared fixture, skip mark)

TOKEN = "ann-curation-token"


@pytest.fixture
def server(tmp_path) -> Iterator[str]:
    db = tmp_path / "kb.db"
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(f"# user token\nann {TOKEN}\n", encoding="utf-8")
    engine = connect(db)
    ingest(sample_paths(), engine)
    engine.dispose()
    with running("serve", "--db", str(db), "--tokens", str(tokens)) as base:
        yield base


@pytest.fixture
def page(browser, request):  # noqa: F811  (the browser fixture imported above)
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not page.csp_violations, page.csp_violations


def _enter_token(page) -> None:
    page.locator("input.write-token").first.fill(TOKEN)
    page.locator("input.write-token").first.dispatch_event("change")


def _largest_deal(server: str) -> dict:
    return httpx.get(f"{server}/api/stats").json()["largest"][0]


def test_a_rejected_deal_leaves_the_dashboards_totals(page, server):
    deal = _largest_deal(server)
    page.goto(f"{server}/dashboard")
    total = int(page.locator("ul.totals li", has_text="deals").first.locator("strong").inner_text())
    page.goto(f"{server}/deals/{deal['id']}")
    _enter_token(page)
    page.locator("form.curate", has=page.locator("button.reject")).locator("input[name=note]").fill("a rumour")
    with page.expect_navigation():
        page.locator("button.reject").click()
    _until(page, "document.querySelector('#review-state').textContent === 'rejected'")
    assert "a rumour" in page.locator("table.edits").inner_text()
    page.goto(f"{server}/dashboard")
    assert int(page.locator("ul.totals li", has_text="deals").first.locator("strong").inner_text()) == total - 1
    assert "1 rejected" in page.locator("#trust-switch").inner_text()
    assert str(deal["id"]) not in [a.inner_text() for a in page.locator("#largest a").all()]
    page.locator("#trust-switch a").click()
    page.wait_for_url("**/dashboard?all=1")
    assert int(page.locator("ul.totals li", has_text="deals").first.locator("strong").inner_text()) == total


def test_an_edited_field_shows_its_new_value_and_history(page, server):
    deal = _largest_deal(server)
    page.goto(f"{server}/deals/{deal['id']}")
    _enter_token(page)
    form = page.locator("form.edit-field")
    form.locator("select[name=field]").select_option("upfront")
    form.locator("input[name=value]").fill("$123.5M")
    form.locator("input[name=note]").fill("from the 8-K")
    with page.expect_navigation():
        form.locator("button").click()
    _until(page, "document.querySelector('#review-state').textContent === 'edited'")
    assert "$123.5M" in page.locator("table.fields tr", has_text="Upfront").inner_text()
    history = page.locator("table.edits").inner_text()
    assert "upfront set to $123.5M" in history and "ann" in history and "from the 8-K" in history
    # a value that cannot be stored is explained in place, nothing saved
    form = page.locator("form.edit-field")
    form.locator("select[name=field]").select_option("upfront")
    form.locator("input[name=value]").fill("lots")
    form.locator("button").click()
    _until(page, "document.querySelector('form.edit-field output').textContent.includes('expected an amount')")
    # undo puts back what the sources say
    with page.expect_navigation():
        page.locator("form.curate button.undo").first.click()
    _until(page, "document.querySelector('#review-state').textContent === 'unreviewed'")
    assert httpx.get(f"{server}/api/deals/{deal['id']}").json()["upfront"] == deal["upfront"]


def test_two_merged_companies_are_one_page_with_both_names(page, server):
    corvexa = httpx.get(f"{server}/api/companies/Corvexa").json()
    other = next(p for p in corvexa["partners"])
    page.goto(f"{server}/companies/{corvexa['id']}")
    _enter_token(page)
    page.locator("section.curation input[name=absorb]").fill(other["name"])
    with page.expect_navigation():
        page.locator("section.curation button").click()
    _until(page, "document.querySelector('table.edits') !== null")
    assert other["name"] in page.locator("#aliases").inner_text()
    assert "merged into this company" in page.locator("table.edits").inner_text()
    assert httpx.get(f"{server}/api/companies/{other['id']}").status_code == 404
    merged = httpx.get(f"{server}/api/companies/{corvexa['id']}").json()
    assert {d["id"] for d in corvexa["deals"]} <= {d["id"] for d in merged["deals"]}


def test_a_read_only_server_shows_no_curation_forms(page, tmp_path):
    db = tmp_path / "kb.db"
    engine = connect(db)
    ingest(sample_paths()[:2], engine)
    engine.dispose()
    with running("serve", "--db", str(db), env={"BIODEALS_API_TOKEN": "", "BIODEALS_TOKEN_FILE": ""}) as base:
        deal = httpx.get(f"{base}/api/deals").json()["items"][0]
        page.goto(f"{base}/deals/{deal['id']}")
        assert page.locator("section.curation").count() == 0
        assert page.locator("table.fields").is_visible()


def test_a_readout_is_confirmed_from_its_page_found_from_the_paged_list(page, server):
    page.goto(f"{server}/readouts?limit=1")
    total = httpx.get(f"{server}/api/readouts").json()["total"]
    assert page.locator("#readout-total").inner_text() == str(total) and page.locator("table.readouts tbody tr").count() == 1
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/readouts?limit=1&offset=1")
    second = httpx.get(f"{server}/api/readouts", params={"limit": 1, "offset": 1}).json()["items"][0]
    assert page.locator("a.readout-link").inner_text() == str(second["id"])
    assert second["sponsor"]["name"] in page.locator("table.readouts").inner_text()
    page.locator("a.readout-link").click()
    page.wait_for_url(f"**/readouts/{second['id']}")
    assert page.locator("#review-state").inner_text() == "unreviewed" and page.locator(".doc-text .sentence").count() >= 1
    _enter_token(page)
    with page.expect_navigation():
        page.locator("button.confirm").click()
    _until(page, "document.querySelector('#review-state').textContent === 'confirmed'")
    assert "ann" in page.locator("table.edits").inner_text()
    assert httpx.get(f"{server}/api/readouts/{second['id']}").json()["review"] == "confirmed"


def test_a_watchlist_made_from_a_filter_shows_a_matching_deal_ingested_later(page, server):
    import feedparser

    from tests.api.test_api import LICENSE_TEXT

    page.goto(f"{server}/?type=license")
    page.locator("#watch-filters").click()
    page.wait_for_url("**/watchlists?type=license")
    assert "type = license" in page.locator("#new-watchlist").inner_text()
    _enter_token(page)
    page.locator("#new-watchlist input[name=name]").fill("licences")
    with page.expect_navigation():
        page.locator("#new-watchlist button[type=submit]").click()
    row = page.locator('#watchlists tr[data-name="licences"]')
    row.wait_for()
    before = int(row.locator("td.num").inner_text())

    posted = httpx.post(
        f"{server}/api/documents", json={"text": LICENSE_TEXT, "name": "aldane"},
        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60,
    )  # fmt: skip
    assert posted.status_code == 201, posted.text
    [deal_id] = posted.json()["documents"][0]["deals"]
    headline = httpx.get(f"{server}/api/deals/{deal_id}").json()["headline"]
    feed = feedparser.parse(httpx.get(f"{server}/api/watchlists/licences.atom").content)
    assert not feed.bozo and feed.entries[0].title == headline and feed.entries[0].link.endswith(f"/deals/{deal_id}")
    page.reload()
    assert int(row.locator("td.num").inner_text()) == before + 1
    assert row.locator("ul.newest li").first.inner_text() == headline
    row.locator("a.feed").wait_for()
    with page.expect_navigation():
        row.locator("button", has_text="Remove").click()
    assert page.locator('#watchlists tr[data-name="licences"]').count() == 0
