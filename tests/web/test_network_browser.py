"""The partnership network of a company with many partners, in a real browser (Chromium): its
top partners by deals together, a control for all of them, and no two labels drawn over each
other. The knowledge base is of releases written here for the test: one company licensing from
fourteen others."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from biodeals.ingest import make_document
from biodeals.service.ingest import ingest_documents
from biodeals.store import connect
from biodeals.web.pages import TOP_PARTNERS
from tests.web.serving import running
from tests.web.test_browser import browser, pytestmark  # noqa: F401  (shared fixture, skip mark)

PARTNERS = ["Aldane", "Brevia", "Corvana", "Delmora", "Estrel", "Farrow", "Galen", "Hestia", "Ivora",
            "Jarrow", "Kelso", "Lumen", "Mirova", "Nerita"]  # fmt: skip
RELEASE = """Hubble Pharma and {name} Therapeutics Sign License Agreement for HX-{code}

BOSTON, March {day}, 2026 -- Hubble Pharma, Inc. and {name} Therapeutics, Inc. today announced an
exclusive license agreement under which Hubble Pharma will develop HX-{code}, {name}'s antibody,
for psoriasis. {name} Therapeutics will receive an upfront payment of ${upfront} million.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("network") / "kb.db"
    engine = connect(db)
    releases = [
        make_document(RELEASE.format(name=n, code=100 + i, day=i + 1, upfront=10 + i), name=f"hub-{i}", source="<test>")
        for i, n in enumerate(PARTNERS)
    ]
    ingest_documents(releases, engine)
    engine.dispose()
    with running("serve", "--db", str(db)) as base:
        yield base


@pytest.fixture
def page(browser):  # noqa: F811  (the browser fixture imported above)
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _overlapping_labels(page) -> list[list[str]]:
    return page.evaluate(
        """(() => {
          const boxes = window.biodealsGraph.nodes().map(n =>
            [n.data('label'), n.boundingBox({includeNodes: false, includeLabels: true, includeEdges: false})]);
          const meet = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
          const pairs = [];
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++)
              if (meet(boxes[i][1], boxes[j][1])) pairs.push([boxes[i][0], boxes[j][0]]);
          return pairs;
        })()"""
    )


def test_a_busy_company_shows_its_top_partners_then_all_without_overlapping_labels(page, server):
    hub = httpx.get(f"{server}/api/companies/Hubble").json()
    assert len(hub["partners"]) == len(PARTNERS) > TOP_PARTNERS
    page.goto(f"{server}/companies/{hub['id']}")
    graph = page.locator("#graph[data-nodes]")
    graph.wait_for()
    assert int(graph.get_attribute("data-nodes")) == TOP_PARTNERS + 1
    assert f"show all {len(PARTNERS)}" in page.locator("#more-partners").inner_text()
    assert _overlapping_labels(page) == []
    page.locator("#more-partners a").click()
    page.wait_for_url("**partners=all")
    page.locator("#graph[data-nodes]").wait_for()
    assert int(page.locator("#graph").get_attribute("data-nodes")) == len(PARTNERS) + 1
    assert _overlapping_labels(page) == []
