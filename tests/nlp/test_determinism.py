"""The same text gives the same record in every process: nothing may hang on the order a set of
strings (hash seed) or of object ids (memory addresses) iterates in. Real releases from the shared
bulk file, each extracted in processes with different hash seeds."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import CORPUS

BULK = CORPUS / "bulk" / "newswire-2024-2026.jsonl.gz"
# a release naming a subsidiary beside its parent and the company they buy, whose group decides
# which deal a sentence joins (the case that once varied from run to run)
RELEASE = "newswire-ibn-2025-0605-nrx-pharmaceuticals"

_EXTRACT = """
import json, sys
from biodeals.ingest import make_document
from biodeals.nlp import extract_record
row = json.load(open(sys.argv[1]))
record = extract_record(make_document(row["text"], name=row["id"], source=row["id"], title=row.get("title")))
print(json.dumps(record["deals"], sort_keys=True))
"""


def test_a_release_gives_the_same_deals_under_every_hash_seed(tmp_path):
    if not BULK.is_file():
        pytest.skip(f"shared bulk file not found at {BULK}")
    with gzip.open(BULK, "rt") as rows:
        row = next((json.loads(line) for line in rows if json.loads(line)["id"].startswith(RELEASE)), None)
    if row is None:
        pytest.skip(f"{RELEASE} is not in {BULK}")
    release = tmp_path / "release.json"
    release.write_text(json.dumps(row))
    outputs = set()
    for seed in range(1, 7):
        environment = {**os.environ, "PYTHONHASHSEED": str(seed)}
        command = [sys.executable, "-c", _EXTRACT, str(release)]
        outputs.add(subprocess.run(command, capture_output=True, text=True, env=environment, check=True).stdout)
    assert len(outputs) == 1 and json.loads(outputs.pop())
