"""A bounded run of benchmarks/fuzz.py: 2,000 mutated documents (the bundled samples, and the dev
documents when ../shared/corpus is present) through every reader, the extractor and a SQLite
store, with no crash, no span that misses its text and no document lost."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py"


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("biodeals_fuzz", FUZZ)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_two_thousand_mutated_inputs_crash_nothing():
    tally = _fuzz_module().run(2000, seed=7, store=True)
    assert tally.inputs == 2000 and tally.documents > 1000
    assert tally.problems == [], "\n".join(tally.problems[:5])
    assert tally.failures == 0
