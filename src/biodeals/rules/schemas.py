"""What each rule file holds: its columns, what a row means, and the checks across rows and files.

A check returns the problems of one row as sentences naming the bad value, so that
``biodeals rules --check`` can say "unit 'mg' does not exist" rather than a KeyError at
extraction time.
"""

from __future__ import annotations

import re

from biodeals.model import DEAL_STAGES, DEAL_TYPES
from biodeals.rules import Lookup, Row, Schema

# The modalities SCHEMA.md allows (../shared/eval/SCHEMA.md, "modalities").
MODALITIES = frozenset(
    {
        *("small molecule", "antibody", "bispecific antibody", "antibody-drug conjugate", "cell therapy"),
        *("cell engager", "gene therapy", "gene editing", "rna", "vaccine", "protein", "peptide"),
        *("radiopharmaceutical", "platform", "device", "other"),
    }
)
# The kinds of boilerplate section ``ingest.document.SectionKind`` names.
SECTION_KINDS = frozenset({"about", "forward_looking", "contact", "navigation"})


def _phrase_in(row: Row, text: str) -> bool:
    """The row's id occurs in ``text`` as whole words ("Inc." in "Acme, Inc. said")."""
    return re.search(rf"(?<!\w){re.escape(row.id)}(?!\w)", text) is not None


def _last_word(text: str) -> str:
    return text.lower().rsplit(maxsplit=1)[-1] if text.strip() else ""


def _ends_in_stem(row: Row, text: str) -> bool:
    """The last word of a drug name ends in the stem, as the modality lookup reads it."""
    return _last_word(text).endswith(row.id)


def _needs_example(row: Row, lookup: Lookup) -> list[str]:
    return ["a row with a pattern needs at least one example"] if row.pattern is not None and not row.examples else []


def _modality_exists(row: Row, lookup: Lookup) -> list[str]:
    modality = row.get("modality")
    if modality is None:
        return [] if row.get("why") else ["a stem without modality needs a 'why'"]
    return [] if modality in MODALITIES else [f"modality {modality!r} is not one of SCHEMA.md's modalities"]


def _not_recognised_says_why(row: Row, lookup: Lookup) -> list[str]:
    return [] if row["recognise"] or row.get("why") else ["a stem with recognise = false needs a 'why'"]


def _suffix_agrees(row: Row, lookup: Lookup) -> list[str]:
    """A word ending in this stem also ends in every shorter stem it ends with; the modality
    lookup takes the first that fits, so the two must agree or the order of rows would decide."""
    problems = []
    for other in lookup.rows:
        shorter = other.id != row.id and row.id.endswith(other.id)
        if shorter and other.get("modality") is not None and row.get("modality") != other["modality"]:
            problems.append(
                f"stem {row.id!r} ends in stem {other.id!r}, whose modality {other['modality']!r}"
                f" differs from {row.get('modality')!r}"
            )
    return problems


def _stem_exists(row: Row, lookup: Lookup) -> list[str]:
    stem = row["stem"]
    if stem not in lookup.ids("inn_stems"):
        return [f"stem {stem!r} does not exist in inn_stems.toml"]
    return [] if row.id.endswith(stem) else [f"word {row.id!r} does not end in its stem {stem!r}"]


def _context_side(row: Row, lookup: Lookup) -> list[str]:
    side = row["side"]
    return [] if side in ("after", "before") else [f"side {side!r} is neither 'after' nor 'before' the cue"]


def _unit_exists(row: Row, lookup: Lookup) -> list[str]:
    unit = row["unit"]
    return [] if unit in lookup.ids("units") else [f"unit {unit!r} does not exist in units.toml"]


def _has_value_group(row: Row, lookup: Lookup) -> list[str]:
    if row.pattern is None or "value" not in row.pattern.groupindex:
        return ["a unit's pattern needs a group (?P<value>...) holding the number"]
    problems = []
    for example in row.examples:
        match = row.pattern.search(example)
        try:
            float(match.group("value")) if match else None
        except (TypeError, ValueError):
            problems.append(f"example {example!r}: value {match.group('value')!r} is not a number")
    return problems


def _case_insensitive(row: Row, lookup: Lookup) -> list[str]:
    return [] if row.get("flags") == "i" else ["code-name prefixes are matched case-insensitively: set flags = 'i'"]


def _section_kind(row: Row, lookup: Lookup) -> list[str]:
    kind = row["kind"]
    if kind not in SECTION_KINDS:
        return [f"kind {kind!r} is not a section kind ({', '.join(sorted(SECTION_KINDS))})"]
    problems = []
    anchors = row.get("anchors")
    if anchors is not None and row.pattern is not None:
        for example in row.examples:
            match = row.pattern.search(example)
            if match and not any(example.startswith(a, match.start()) for a in anchors):
                problems.append(f"example {example!r} starts with none of its anchors")
    return problems


def _deal_type_exists(row: Row, lookup: Lookup) -> list[str]:
    kind = row["type"]
    return [] if kind in DEAL_TYPES else [f"type {kind!r} is not a deal type ({', '.join(DEAL_TYPES)})"]


def _examples_hold_an_anchor(row: Row, lookup: Lookup) -> list[str]:
    """Each example's match contains one of the row's anchors: the sentence pre-filter looks
    only for anchors, so a cue word without one would never be tried."""
    anchors = [a.lower() for a in row["anchors"]]
    problems = []
    for example in row.examples:
        match = row.pattern.search(example) if row.pattern else None
        if match and not any(a in match.group().lower() for a in anchors):
            problems.append(f"example {example!r} matches {match.group()!r}, which holds none of its anchors")
    return problems


def _stage_exists(row: Row, lookup: Lookup) -> list[str]:
    """A row names a stage, or reads a numbered phase from its groups ``a`` (and ``b``)."""
    stage = row["stage"]
    if stage == "numbered":
        has_group = row.pattern is not None and "a" in row.pattern.groupindex
        return [] if has_group else ["a 'numbered' stage needs a group (?P<a>...) holding the phase"]
    return [] if stage in DEAL_STAGES else [f"stage {stage!r} is not a stage ({', '.join(DEAL_STAGES)}) nor 'numbered'"]


_PHRASES = {"means": str}
SCHEMAS: dict[str, Schema] = {
    "designators": Schema(
        "designator",
        "words that end a company name ('Versanis Bio', 'Innate Pharma')",
        _PHRASES,
        frozenset({"means"}),
        match=_phrase_in,
    ),
    "legal_forms": Schema(
        "legal_form",
        "legal forms that end a company name ('Acme, Inc.'), a longer form before its prefix",
        _PHRASES,
        frozenset({"means"}),
        match=_phrase_in,
    ),
    "exchanges": Schema(
        "exchange",
        "stock exchanges of a ticker after a company name ('(NASDAQ: ABC)')",
        _PHRASES,
        frozenset({"means"}),
        match=_phrase_in,
    ),
    "stop_words": Schema(
        "word",
        "capitalised words that start no company name ('About', 'Acquires', 'Dr')",
        _PHRASES,
        frozenset({"means"}),
        match=_phrase_in,
    ),
    "inn_stems": Schema(
        "stem",
        "INN stems: lowercase words ending in one are drug names, and the stem states the modality",
        {"modality": str, "recognise": bool},
        defaults={"recognise": True},
        match=_ends_in_stem,
        checks=(_modality_exists, _not_recognised_says_why, _suffix_agrees),
    ),
    "inn_false_positives": Schema(
        "word",
        "English words that end in an INN stem and name no drug ('excel', 'peptide')",
        {"stem": str},
        frozenset({"stem"}),
        checks=(_stem_exists,),
    ),
    "code_exclusions": Schema(
        "prefix",
        "starts of code-shaped words that are no drug code ('NCT0123', 'FY2023', 'Q3')",
        {"means": str},
        frozenset({"pattern", "means"}),
        checks=(_needs_example, _case_insensitive),
    ),
    "endpoints": Schema(
        "endpoint",
        "clinical endpoints a readout reports, with the unit of their values",
        {"name": str, "unit": str},
        frozenset({"pattern", "name", "unit"}),
        checks=(_needs_example, _unit_exists),
    ),
    "units": Schema(
        "unit",
        "how a value of each endpoint unit is written ('45%', '13.8 months', 'HR 0.62')",
        {"means": str},
        frozenset({"pattern", "means"}),
        checks=(_needs_example, _has_value_group),
    ),
    "deal_cues": Schema(
        "cue",
        "words by which a sentence states a deal of a type; rows of one type are tried as one alternation",
        {"type": str, "means": str, "anchors": list},
        frozenset({"pattern", "type", "means", "anchors"}),
        checks=(_needs_example, _deal_type_exists, _examples_hold_an_anchor),
    ),
    "deal_words": Schema(
        "words",
        "lexicons the deal steps read by id: news or background, status, royalties, money terms",
        {"means": str},
        frozenset({"pattern", "means"}),
        checks=(_needs_example,),
    ),
    "stages": Schema(
        "stage",
        "words that say how far a deal's programme has come ('a Phase 2 asset', 'IND-enabling', 'FDA-approved')",
        {"stage": str, "means": str},
        frozenset({"pattern", "stage", "means"}),
        checks=(_needs_example, _stage_exists),
    ),
    "sections": Schema(
        "section",
        "headings that open a boilerplate section (About, forward-looking statements, contacts)",
        {"kind": str, "means": str, "anchors": list},
        frozenset({"pattern", "kind", "means"}),
        checks=(_needs_example, _section_kind),
    ),
    "company_contexts": Schema(
        "context",
        "words around a name that make it a party to a deal ('agreed to buy Corvexa', 'Trellis shares soared')",
        {"means": str, "side": str, "then": str, "common_words": bool, "anchors": list},
        frozenset({"pattern", "means", "side", "anchors"}),
        defaults={"common_words": False},
        checks=(_needs_example, _context_side, _examples_hold_an_anchor),
    ),
    "descriptors": Schema(
        "descriptor",
        "words that describe a company right before its name ('drugmaker Pfizer', 'its partner X')",
        _PHRASES,
        frozenset({"means"}),
        match=_phrase_in,
    ),
}
