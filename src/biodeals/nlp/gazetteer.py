"""Vocabulary matching: every whole-word occurrence of a vocabulary term in the text.

Finding candidates (``match_gazetteer``) is kept apart from choosing between overlapping ones
(``longest_first``), so the overlap rule can be swapped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from biodeals.nlp.spans import Mention
from biodeals.nlp.vocab import Vocabulary, fold, latinise

LABEL_PRIORITY = {"company": 0, "drug": 1, "target": 2, "disease": 3, "trial": 4, "modality": 5}

OverlapRule = Callable[[Iterable[Mention]], list[Mention]]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _bounded(text: str, start: int, end: int, symbol: bool) -> bool:
    """Whole-word match: no letter or digit right before or after. A hyphen may follow any
    term ("obesity-related") and precede a symbol ("anti-PD-1"), but not a word-like term."""
    if start > 0:
        before = text[start - 1]
        if _is_word_char(before) or (before == "-" and not symbol and _is_word_char(text[start])):
            return False
    return not (end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]))


def match_gazetteer(text: str, vocab: Vocabulary) -> list[Mention]:
    """All whole-word vocabulary matches in ``text``, overlapping ones included."""
    found: list[Mention] = []
    for haystack, automaton, symbol in ((latinise(text), vocab.exact, True), (fold(text), vocab.folded, False)):
        if not len(automaton):
            continue
        for end_index, (entry_index, length) in automaton.iter(haystack):
            end = end_index + 1
            start = end - length
            if _bounded(text, start, end, symbol):
                entry = vocab.entries[entry_index]
                found.append(Mention(entry.label, start, end, text[start:end], f"v:{entry_index}", "gazetteer"))
    return found


def longest_first(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions, preferring longer ones, then by label priority, then
    earlier ones; returned in text order."""
    ranked = sorted(mentions, key=lambda m: (-m.length, LABEL_PRIORITY[m.label], m.start))
    taken: list[Mention] = []
    occupied = bytearray(max((m.end for m in ranked), default=0))
    for mention in ranked:
        if any(occupied[mention.start : mention.end]):
            continue
        taken.append(mention)
        occupied[mention.start : mention.end] = b"\x01" * mention.length
    return sorted(taken, key=lambda m: m.start)
