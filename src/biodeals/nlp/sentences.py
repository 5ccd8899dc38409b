"""Sentence boundaries for press-release text, which is often flattened onto one line."""

from __future__ import annotations

from biodeals import fastre

_ABBREVIATIONS = {
    "inc",
    "ltd",
    "co",
    "corp",
    "dr",
    "mr",
    "ms",
    "mrs",
    "prof",
    "st",
    "no",
    "vs",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "ph.d",
    "m.d",
    "s.a",
    "n.v",
    "b.v",
    "l.p",
    "fig",
    "ref",
    "est",
    "al",
    "jr",
    "sr",
    "dept",
}
# A boundary follows ".!?" or is whitespace before more whitespace, "*" or "#": the look-around in
# front says so, so the single spaces between words (most of a text) fail on it at once. A line
# that starts a list item ("\n* The deal was ...") starts a sentence, and so does an item of a list
# flattened onto one line ("700 new jobs; * The agreement to sell ...").
_BOUNDARY = fastre.compile(
    r"(?:(?<=[.!?])|(?=\s[\s*#•-]))(?:(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“'‘(\[]?[A-Z0-9])|\n\s*\n|\s\*\s\*\s|\s{3,}"
    r"|\s+(?=\*\*\s*[A-Z])|\s+(?=#{1,6}\s)|\s*\n(?=[*•-][ \t]+\S)|(?<=[;.!?])\s+(?=\*\s+[A-Z]))"
)


LEDE_SENTENCES = 3
"""The title and the first sentences: a story states its news there, in whatever tense, and
its headline-shaped lines are its own (later ones name other stories)."""


_LONG_WORD = fastre.compile(r"[A-Za-z][\w-]{3,}")


def headline_shaped(text: str, start: int = 0, end: int | None = None, share: float = 0.7) -> bool:
    """Whether at least ``share`` of the longer words (four or more letters, at least four of
    them) of ``text[start:end]`` are capitalised, as in a headline."""
    words = _LONG_WORD.findall(text, start, len(text) if end is None else end)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= share * len(words)


def _last_token(text: str, start: int, end: int) -> str:
    """The last whitespace-separated token of ``text[start:end]`` ("" if none), read backwards
    from ``end``: copying the whole stretch since the last boundary at every rejected boundary
    ("A. B. C. ...") made splitting quadratic."""
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    begin = stop
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:stop]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of the sentences of ``text`` (whitespace trimmed)."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        token = _last_token(text, start, match.start()).rstrip(".!?\"'”’)]").lower()
        list_item = "\n" in match.group() and text[match.end() : match.end() + 1] in ("*", "•", "-")
        if not list_item and (
            (match.group().strip() == "" and token in _ABBREVIATIONS) or (len(token) == 1 and "a" <= token <= "z")
        ):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
