#!/usr/bin/env python3
"""Extraction cost against document size: it must grow linearly.

Builds documents of 1, 2 and 4 MB by repeating realistic deal and readout text (the bundled
samples, or with ``--dev`` the dev documents of ../shared/corpus/dev concatenated), runs the full
``extract_record`` on each and prints seconds per size and the 4 MB / 1 MB ratio (linear cost
gives about 4; a 4 MB document must take under 4x the time of a 1 MB one).

usage: python benchmarks/scaling.py [--dev] [--sizes 1,2,4] [--repeat N] [--no-windows] [--profile]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from biodeals.ingest import make_document
from biodeals.nlp import extract_record, load_vocabulary, windows

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "biodeals" / "data" / "samples"
DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
MB = 1024 * 1024


def seed_text(dev: bool) -> str:
    """The text repeated to build large documents: one article after another."""
    folder = DEV if dev else SAMPLES
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        sys.exit(f"no texts in {folder}")
    return "\n\n".join(path.read_text(encoding="utf-8") for path in paths) + "\n\n"


def build(seed: str, size: int) -> str:
    """``seed`` repeated to ``size`` characters (cut at a paragraph break)."""
    text = seed * (size // len(seed) + 1)
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > 0 else size]


def _measure(document_text: str, name: str, profile: bool) -> tuple[float, float, dict]:
    """Wall and CPU seconds to read and extract one text, and its record."""
    wall, cpu = time.perf_counter(), time.process_time()
    document = make_document(document_text, name=name, source="<scaling>")
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        record = profiler.runcall(extract_record, document)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        record = extract_record(document)
    return time.perf_counter() - wall, time.process_time() - cpu, record


def main(argv: list[str]) -> None:
    dev = "--dev" in argv
    sizes = [1.0, 2.0, 4.0]
    if "--sizes" in argv:
        sizes = [float(s) for s in argv[argv.index("--sizes") + 1].split(",")]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    if "--no-windows" in argv:  # one pass over the whole text, to compare with nlp/windows.py
        windows.WINDOW_CHARS = 1 << 40
    load_vocabulary()
    seed = seed_text(dev)
    texts = {size: build(seed, int(size * MB)) for size in sizes}
    # rounds of every size in turn, so that a slow spell of a shared machine falls on all sizes
    runs: dict[float, list[tuple[float, float, dict]]] = {size: [] for size in sizes}
    for round_ in range(repeat):
        for size in sizes:
            runs[size].append(_measure(texts[size], f"scaling-{size:g}MB", "--profile" in argv))
            wall, cpu, record = runs[size][-1]
            print(
                f"round {round_ + 1}, {size:g} MB ({'dev' if dev else 'samples'}): {cpu:.2f} s CPU, {wall:.2f} s wall; "
                f"{len(record['deals'])} deals, {len(record['readouts'])} readouts",
                flush=True,
            )
    if 1 in runs and 4 in runs:
        best = min(cpu for _, cpu, _ in runs[4]) / min(cpu for _, cpu, _ in runs[1])
        per_round = sorted(large[1] / small[1] for small, large in zip(runs[1], runs[4], strict=True))
        print(
            f"4MB/1MB ratio (CPU time; linear cost gives 4): best-of-{repeat} {best:.2f}, "
            f"median of rounds {statistics.median(per_round):.2f} (rounds: {', '.join(f'{r:.2f}' for r in per_round)})"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
