"""Vocabulary matching: every whole-word occurrence of a vocabulary term in the text.

Finding candidates (``match_gazetteer``) is kept apart from choosing between overlapping ones
(``longest_first``), so the overlap rule can be swapped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from biodeals.nlp.spans import Mention
from biodeals.nlp.vocab import Vocabulary, latinise, match_key

LABEL_PRIORITY = {"company": 0, "drug": 1, "target": 2, "disease": 3, "trial": 4, "modality": 5}

OverlapRule = Callable[[Iterable[Mention]], list[Mention]]


def match_gazetteer(text: str, vocab: Vocabulary) -> list[Mention]:
    """All whole-word vocabulary matches in ``text``, overlapping ones included.

    Terms and text are compared in ``match_key`` form, so punctuation inside a name matches any
    punctuation or space ("non-small cell" = "non-small-cell"); terms start at a word start by
    construction and must end at a word end. A company spelt with a capital is not found in
    lowercase words.
    """
    found: list[Mention] = []
    exact = " " + match_key(latinise(text)) + " "
    # the key holds only ASCII letters, digits and spaces, so lowercasing it is folding the text
    for keyed, terms in ((exact, vocab.exact), (exact.lower(), vocab.folded)):
        if not len(terms):
            continue
        for pattern, key_start, key_end in terms.matches(keyed):
            # keyed[i] is text[i - 1], and the key's leading space stands for the word boundary
            start, end = key_start, key_end - 1
            if end > len(text):
                # a term ending in punctuation ("Eli Lilly and Co.") ends in a space in key form,
                # which can match the closing sentinel: the text lacks the term's last character
                continue
            if keyed[key_end] != " ":
                continue  # the term ends inside a word
            entry_index = terms.entries[pattern]
            entry = vocab.entries[entry_index]
            if entry.label == "company" and text[start].islower() and entry.name[:1].isupper():
                continue  # "de novo" does not name Novo Nordisk; "bluebird bio" is spelt lowercase
            found.append(Mention(entry.label, start, end, text[start:end], f"v:{entry_index}", "gazetteer"))
    return found


def longest_first(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions, preferring longer ones, then by label priority, then
    earlier ones; returned in text order."""
    ranked = sorted(mentions, key=lambda m: (-m.length, LABEL_PRIORITY[m.label], m.start))
    taken: list[Mention] = []
    # only the stretch the mentions cover: a few mentions deep in a long text need a few bytes
    low = min((m.start for m in ranked), default=0)
    occupied = bytearray(max((m.end for m in ranked), default=low) - low)
    for mention in ranked:
        start, end = mention.start - low, mention.end - low
        if occupied.find(1, start, end) >= 0:
            continue
        taken.append(mention)
        occupied[start:end] = b"\x01" * mention.length
    return sorted(taken, key=lambda m: m.start)
