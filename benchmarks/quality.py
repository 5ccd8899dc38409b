#!/usr/bin/env python3
"""Extraction quality on ../shared/corpus/dev: runs `extract_record` over every text, scores the
records with ../shared/eval/score.py and prints its per-field table and deal / readout / overall F1.

usage: python benchmarks/quality.py [CORPUS_DIR] [--errors]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import extract_record

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main(argv: list[str]) -> None:
    corpus = Path(next((a for a in argv if not a.startswith("--")), SHARED / "corpus" / "dev"))
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for path in sorted(corpus.glob("*.txt")):
            for document in read_path(path, ReadOptions()):
                out.write(json.dumps(extract_record(document)) + "\n")
    command = [sys.executable, str(SHARED / "eval" / "score.py"), str(corpus), out.name]
    subprocess.run(command + (["--errors"] if "--errors" in argv else []), check=True)
    Path(out.name).unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
