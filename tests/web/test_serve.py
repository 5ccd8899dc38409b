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


def test_serve_on_a_busy_port_says_which_before_it_claims_to_serve(tmp_path):
    import socket
    import subprocess
    import sys

    with running("demo", "--serve", "--db", str(tmp_path / "demo.db")) as base:
        port = base.rsplit(":", 1)[1]
        for command in (["serve"], ["demo", "--serve"]):
            result = subprocess.run(
                [sys.executable, "-m", "biodeals.cli", *command, "--db", str(tmp_path / "demo.db"), "--port", port],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert result.returncode == 1, result.stderr
            assert f"--port {port}: 127.0.0.1:{port} is in use" in result.stderr
            assert "biodeals on http" not in result.stderr and "Traceback" not in result.stderr
    with socket.socket() as probe:  # free again: the check does not hold the port
        probe.bind(("127.0.0.1", int(port)))
