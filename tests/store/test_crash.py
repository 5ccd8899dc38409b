"""A kill -9 in the middle of an ingest loses nothing committed, and the re-run stores every
document exactly once: the end state equals that of one uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from biodeals.cli.commands import sample_paths
from biodeals.service.ingest import ingest
from biodeals.store import connect
from biodeals.store import schema as t

DOCUMENTS = 300


def _articles(folder: Path) -> Path:
    """DOCUMENTS distinct articles: the samples, each numbered."""
    folder.mkdir()
    samples = [Path(p).read_text(encoding="utf-8") for p in sample_paths()]
    for i in range(DOCUMENTS):
        text = samples[i % len(samples)] + f"\n\nRelease number {i}.\n"
        (folder / f"article-{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def _counts(url: str) -> dict[str, int]:
    engine = connect(url)
    with engine.connect() as conn:
        counts = {
            table.name: conn.scalar(select(func.count()).select_from(table))
            for table in (t.documents, t.deal_sources, t.money_terms, t.readouts, t.endpoints, t.evidence)
        }
        counts["distinct_hashes"] = conn.scalar(select(func.count(func.distinct(t.documents.c.content_hash))))
    engine.dispose()
    return counts


def _ingest_command(folder: Path, url: str) -> list[str]:
    code = "from biodeals.cli import main; main()"
    return [sys.executable, "-c", code, "ingest", str(folder), "--db", url, "--batch-size", "5", "--quiet"]


def test_kill_9_mid_ingest_then_rerun_stores_every_document_once(db_url, tmp_path):
    folder = _articles(tmp_path / "articles")
    connect(db_url).dispose()  # schema in place before the child starts
    child = subprocess.Popen(_ingest_command(folder, db_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while stored < 20 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
        stored = _counts(db_url)["documents"]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    at_kill = _counts(db_url)["documents"]
    assert 0 < at_kill < DOCUMENTS, f"the ingest was not interrupted mid-run ({at_kill} stored)"
    assert at_kill % 5 == 0  # whole batches only: a document is stored with all its facts or not at all

    rerun = subprocess.run(_ingest_command(folder, db_url), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{DOCUMENTS - at_kill} new, {at_kill} skipped" in " ".join(rerun.stderr.split())

    reference = str(tmp_path / "reference.db")
    ingest([str(folder)], connect(reference))
    final = _counts(db_url)
    assert final["documents"] == final["distinct_hashes"] == DOCUMENTS
    assert final == _counts(reference)
