"""The bundled vocabulary (built by ``scripts/build_vocab.py``) and its Aho-Corasick automata.

Symbol-like terms (``PD-1``, ``MK-3475``, ``NSCLC``) are matched case-sensitively against the
text; word-like terms (``non-small cell lung cancer``, ``pembrolizumab``) against its lowercase.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick_rs

from biodeals import fastre
from biodeals.errors import VocabularyError
from biodeals.nlp.spans import Label

ARTIFACT = "vocab.json.gz"
_LABELS = {"company", "drug", "target", "disease", "modality"}


@dataclass(frozen=True, slots=True)
class VocabEntry:
    """A vocabulary concept: its label, standard id (``HGNC:...``), preferred name and terms."""

    label: Label
    id: str
    name: str
    terms: tuple[str, ...]


def is_symbol_like(term: str) -> bool:
    """Terms matched case-sensitively: single tokens with a capital or digit after the first
    character (``HER2``, ``mAb``, ``MK-3475``) and all-uppercase abbreviations."""
    if " " in term:
        return term.upper() == term and any(c.isalpha() for c in term)
    return bool(re.search(r".[A-Z0-9]", term)) or (term.isupper() and len(term) <= 6)


class TermIndex:
    """An Aho-Corasick automaton over terms in ``match_key`` form, each anchored at a word start
    by a leading space; ``entries[i]`` is the vocabulary entry of the automaton's pattern ``i``."""

    def __init__(self, terms: dict[str, int]) -> None:
        self.entries = list(terms.values())
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(terms), implementation=ahocorasick_rs.Implementation.ContiguousNFA
        )

    def __len__(self) -> int:
        return len(self.entries)

    def matches(self, keyed: str) -> list[tuple[int, int, int]]:
        """``(pattern, start, end)`` of every term occurrence in ``keyed``, overlapping ones included."""
        return self._automaton.find_matches_as_indexes(keyed, overlapping=True)


class Vocabulary:
    """Entries plus two term indexes: symbol-like terms matched as written, the others folded."""

    def __init__(self, entries: list[VocabEntry], common_words: frozenset[str] = frozenset()) -> None:
        self.entries = entries
        self.common_words = common_words
        exact: dict[str, int] = {}
        folded: dict[str, int] = {}
        for index, entry in enumerate(entries):
            for term in entry.terms:
                if is_symbol_like(term):
                    # the first entry to claim a key keeps it: curated entries come first in the artifact
                    exact.setdefault(" " + match_key(latinise(term)), index)
                else:
                    folded.setdefault(" " + match_key(fold(term)), index)
        self.exact = TermIndex(exact)
        self.folded = TermIndex(folded)

    def __len__(self) -> int:
        return len(self.entries)


_ALNUM_BYTES = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


def match_key(text: str) -> str:
    """The form in which terms and texts are compared: every character that is not an ASCII
    letter or digit becomes a space, keeping the length ("PD-1" -> "PD 1")."""
    # each non-ASCII character encodes as one "?" byte, so offsets stay valid
    return text.encode("ascii", "replace").translate(_ALNUM_BYTES).decode("ascii")


_GREEK_UPPER = str.maketrans("αβγδκΑΒΓΔΚ", "ABGDKABGDK")
_GREEK = fastre.compile("[αβγδκΑΒΓΔΚ]")


def latinise(text: str) -> str:
    """Greek letters used in target names as Latin capitals ("TGFβ" -> "TGFB", "HIF-2α" ->
    "HIF-2A"), one character for one, so offsets stay valid."""
    return text.translate(_GREEK_UPPER) if _GREEK.search(text) else text


def fold(text: str) -> str:
    """Lowercase, Greek letters latinised, without changing the length (offsets stay valid)."""
    text = latinise(text)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def parse_entries(payload: dict) -> list[VocabEntry]:
    """Validate the artifact's entries, reporting every bad one in a single error."""
    problems, entries = [], []
    for i, raw in enumerate(payload.get("entries", [])):
        label, terms = raw.get("l"), raw.get("t")
        if label not in _LABELS or not isinstance(terms, list) or not terms:
            problems.append(f"entry {i}: label {label!r}, terms {terms!r}")
            continue
        entries.append(VocabEntry(label, raw.get("id") or "", raw.get("n") or terms[0], tuple(terms)))
    if problems:
        raise VocabularyError(f"{len(problems)} invalid vocabulary entries: " + "; ".join(problems[:10]))
    return entries


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The bundled vocabulary, loaded once per process. Raises VocabularyError if missing."""
    try:
        blob = resources.files("biodeals.data").joinpath(ARTIFACT).read_bytes()
        payload = json.loads(gzip.decompress(blob))
    except (FileNotFoundError, OSError, ValueError) as error:
        raise VocabularyError(f"cannot load the vocabulary artifact {ARTIFACT}: {error}") from error
    return Vocabulary(parse_entries(payload), frozenset(payload.get("common_words", ())))
