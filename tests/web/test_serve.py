"""`biodeals demo --serve`: a newcomer's one command builds the sample knowledge base and serves it."""

from __future__ import annotations

import httpx

from biodeals.cli.commands import sample_paths
from tests.web.serving import running


def test_demo_serves_the_populated_app(tmp_path):
    with running("demo", "--serve", "--db", str(tmp_path / "demo.db")) as base:
        totals = httpx.get(f"{base}/api/stats").json()["totals"]
        assert totals["documents"] == len(sample_paths()) and totals["deals"] >= 8 and totals["readouts"] >= 2
        page = httpx.get(base).text
        assert f'<strong id="deal-total">{totals["deals"]}</strong>' in page
        assert httpx.get(f"{base}/dashboard").status_code == 200
