"""Normalised name keys, shared by the nlp layer (linking spellings within a document) and the
store (resolving entities across documents), so both call the same spellings one company.

Companies: case, accents, punctuation, dots ("S.A." = "SA", "Receptor.AI" = "ReceptorAI"),
slashes between single letters ("A/S" = "AS"), a leading "the" and trailing legal forms are
ignored, so "Eli Lilly and Company", "Eli Lilly & Co." and "ELI LILLY" share a key. "KGaA" is
kept, and a name's *marker* ("co" for "& Co."/"and Company", "kgaa") lets "Merck & Co., Inc." and
"Merck KGaA" refuse to merge even through a shared short alias ("Merck"). Other kinds: case and
every non-alphanumeric character are ignored ("IMP-321" = "IMP321").
"""

from __future__ import annotations

import re
import unicodedata

COMMON_LEGAL_FORMS = frozenset(
    {"inc", "incorporated", "ltd", "limited", "plc", "ag", "sa", "se", "nv", "bv", "corp", "corporation", "co",
     "company", "llc", "lp", "gmbh", "kk", "spa", "ab", "asa", "as", "oyj"}
)  # fmt: skip
"""Legal forms that every key drops."""
LEGAL_FORMS = COMMON_LEGAL_FORMS | {"llp", "srl", "sas", "pty", "pte", "bhd"}
"""Words that say what legal form a company has, not which company it is: the store's keys drop them all."""
_WORD = re.compile(r"[0-9a-z]+")
_SLASHED_LETTERS = re.compile(r"\b([a-z])/(?=[a-z]\b)")
MAX_KEY = 255
"""The store's keys are cut to this many characters (its key column)."""


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _company_words(name: str, join_slashed: bool = True) -> list[str]:
    """Lowercase words: "&" read as "and", dots dropped, slashed letters joined ("A/S" -> "as")."""
    text = _ascii_lower(name).replace(".", "").replace("&", " and ")
    return _WORD.findall(_SLASHED_LETTERS.sub(r"\1", text) if join_slashed else text)


def company_key(name: str, *, in_document: bool = False) -> str:
    """The key of a company name ("Eli Lilly and Company" -> "eli lilly").

    ``in_document`` gives the key within-document linking compares spellings under: a leading
    "the" is kept, slashed letters stay apart and only ``COMMON_LEGAL_FORMS`` are dropped
    ("The Medicines Company" -> "the medicines", "Pincell S.r.l." -> "pincell srl"). Linking
    reads the first word of a key of two or more words as the first word of the name as written
    and looks for it as the name's short form, so "Pincell" and "Genmab" are found as short
    forms of "Pincell S.r.l." and "Genmab A/S" only while their keys keep two words.
    """
    words = _company_words(name, join_slashed=not in_document)
    if not in_document and words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    legal_forms = COMMON_LEGAL_FORMS if in_document else LEGAL_FORMS
    kept = list(words)
    while kept and (kept[-1] in legal_forms or kept[-1] == "and") and len(kept) > 1:
        kept.pop()
    key = " ".join(kept or words)
    return key if in_document else key[:MAX_KEY]


def company_marker(name: str) -> str | None:
    """The legal-form word that tells same-named companies apart: "kgaa", "co" or None."""
    words = _company_words(name)
    if "kgaa" in words:
        return "kgaa"
    for word in reversed(words[1:]):
        if word in ("co", "company"):
            return "co"
        if word not in LEGAL_FORMS and word != "and":
            break
    return None


def plain_key(name: str) -> str:
    """The key of an asset, target, indication or trial name ("IMP-321" -> "imp321")."""
    return "".join(_WORD.findall(_ascii_lower(name)))[:MAX_KEY]


def entity_key(kind: str, name: str) -> str:
    """The resolution key of a name of an entity of ``kind`` ("company", "asset", ...)."""
    return company_key(name) if kind == "company" else plain_key(name)
