"""Without PostgreSQL, the tests that need it are skipped with one summary line, not one per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_postgresql_skips_fold_into_one_summary_line():
    env = {k: v for k, v in os.environ.items() if k != "BIODEALS_REQUIRE_POSTGRES"}
    env["BIODEALS_TEST_POSTGRES"] = "postgresql://nobody:nothing@127.0.0.1:1/none"  # nothing listens on port 1
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/store/test_store.py", "-k", "twice or keys"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:]
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1 and "no PostgreSQL server reachable" in skipped[0], result.stdout[-2000:]
    assert int(skipped[0].split("[")[1].split("]")[0]) >= 2  # several tests, one line
