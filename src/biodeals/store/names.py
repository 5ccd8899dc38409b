"""Normalised keys under which entities are resolved across documents.

Companies: case, accents, punctuation, a leading "the" and trailing legal forms are ignored, so
"Eli Lilly and Company", "Eli Lilly & Co." and "ELI LILLY" share a key. "KGaA" is kept, and a
name's *marker* ("co" for "& Co."/"and Company", "kgaa") lets "Merck & Co., Inc." and "Merck KGaA"
refuse to merge even through a shared short alias ("Merck"). Other kinds: case and every
non-alphanumeric character are ignored ("IMP-321" = "IMP321").
"""

from __future__ import annotations

import re
import unicodedata

_LEGAL_FORMS = frozenset(
    {"inc", "incorporated", "ltd", "limited", "plc", "ag", "sa", "se", "nv", "bv", "corp", "corporation", "co",
     "company", "llc", "lp", "llp", "gmbh", "kk", "spa", "srl", "sas", "ab", "asa", "as", "oyj", "pty", "pte", "bhd"}
)  # fmt: skip
_WORD = re.compile(r"[0-9a-z]+")
MAX_KEY = 255


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_ABBREVIATION = re.compile(r"\b([a-z])[./](?=[a-z]\b)")


def _company_words(name: str) -> list[str]:
    """Lowercase words, "&" read as "and", dotted or slashed letters joined ("S.A." -> "sa")."""
    return _WORD.findall(_ABBREVIATION.sub(r"\1", _ascii_lower(name.replace("&", " and "))))


def company_key(name: str) -> str:
    """The resolution key of a company name ("Eli Lilly and Company" -> "eli lilly")."""
    words = _company_words(name)
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    kept = list(words)
    while kept and (kept[-1] in _LEGAL_FORMS or kept[-1] == "and") and len(kept) > 1:
        kept.pop()
    return " ".join(kept or words)[:MAX_KEY]


def company_marker(name: str) -> str | None:
    """The legal-form word that tells same-named companies apart: "kgaa", "co" or None."""
    words = _company_words(name)
    if "kgaa" in words:
        return "kgaa"
    for word in reversed(words[1:]):
        if word in ("co", "company"):
            return "co"
        if word not in _LEGAL_FORMS and word != "and":
            break
    return None


def plain_key(name: str) -> str:
    """The resolution key of an asset, target, indication or trial name ("IMP-321" -> "imp321")."""
    return "".join(_WORD.findall(_ascii_lower(name)))[:MAX_KEY]


def entity_key(kind: str, name: str) -> str:
    return company_key(name) if kind == "company" else plain_key(name)
