"""Acceptance on real articles (../shared/corpus; skipped when absent): ingesting the dev set
twice changes nothing, every deal of it is valued (or answered) and has comparables, and the "to acquire" and "completes acquisition" releases of the same
deal become one deal with both sources in its status history."""

from __future__ import annotations

import gzip
import json

import pytest

from biodeals.service.ingest import ingest
from biodeals.service.queries import DealFilter, get_deal, list_deals, stats

pytestmark = pytest.mark.corpus

# (company, target, announcement, completion): read from the dev set when there, else from the pharma bulk file
ACQUISITIONS = [
    ("Lilly", "Dermira", "lilly-0546", "lilly-0529"),
    ("Lilly", "Versanis", "lilly-0121", "lilly-0112"),
    ("Merck", "ArQule", "merck-0543", "merck-0527"),
]


def test_ingesting_the_dev_set_twice_yields_identical_counts(engine, dev_corpus):
    texts = [str(p) for p in sorted(dev_corpus.glob("*.txt"))]
    first = ingest(texts, engine)
    assert first.failed == 0 and first.new == len(texts)
    counts = stats(engine)
    second = ingest(texts, engine)
    assert (second.new, second.skipped) == (0, len(texts))
    assert stats(engine) == counts
    # every deal of real articles is valued (or answered "not enough terms") and has comparables
    from biodeals.service.comparables import comparables
    from biodeals.service.valuation import value_deal

    for deal in list_deals(engine, DealFilter(limit=None, trusted=False)):
        for stage in (None, "phase 2"):
            valued = value_deal(engine, deal["id"], stage=stage)
            assert (valued["rnpv"] is None) == valued.get("reason", "").startswith("not enough terms"), deal["id"]
        found = comparables(engine, deal["id"], k=10)
        assert all(c["id"] != deal["id"] and c["why"] for c in found["comparables"])


def test_announcement_and_completion_merge_into_one_deal(engine, dev_corpus, tmp_path):
    bulk = dev_corpus.parent / "bulk" / "pharma-press-releases.jsonl.gz"
    if not bulk.is_file():
        pytest.skip(f"{bulk} not found")
    names = [name for *_, announcement, completion in ACQUISITIONS for name in (announcement, completion)]
    in_dev = [str(dev_corpus / f"{name}.txt") for name in names if (dev_corpus / f"{name}.txt").is_file()]
    wanted = {name for name in names if not (dev_corpus / f"{name}.txt").is_file()}
    from_bulk = tmp_path / "from-bulk.jsonl"
    with gzip.open(bulk, "rt", encoding="utf-8") as lines:
        from_bulk.write_text("".join(line for line in lines if json.loads(line)["id"] in wanted), encoding="utf-8")
    summary = ingest([*in_dev, str(from_bulk)], engine)
    assert summary.new == len(names) and summary.failed == 0
    for company, target, announcement, completion in ACQUISITIONS:
        [deal] = list_deals(engine, DealFilter(company=target, type="acquisition"))
        assert company.lower() in " ".join(p["name"].lower() for p in deal["parties"])
        history = [(h["document"]["name"], h["status"]) for h in get_deal(engine, deal["id"])["history"]]
        assert history == [(announcement, "announced"), (completion, "completed")], history
        assert deal["status"] == "completed" and deal["sources"] == 2
