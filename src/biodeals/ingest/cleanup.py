"""Text clean-up that keeps an offset map: entity unescaping, glued-word repair, boilerplate.

Scraped press releases arrive with HTML entities (``&quot;``), words glued together where markup
was stripped ("payment of$20 millionand", "INDIANAPOLISandTOKYO", "saidRuth") and long "About
<Company>" / forward-looking-statement tails. Clean-up repairs only what is safe to repair, as a
list of edits, so every cleaned offset can be mapped back to the original text.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from biodeals import fastre, rules
from biodeals.ingest.document import Edit, OffsetMap, Section

_ENTITY = fastre.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ODD_SPACE = fastre.compile("[\u00a0\u2007\u2009\u202f]")
_INVISIBLE = fastre.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A capital glued to a lowercase word ("saidRuth", "andPOINT"); ``_glued_to_word`` checks the word.
_GLUED_AFTER_WORD = fastre.compile(r"(?P<at>[A-Z])(?<=[a-z][A-Z])[A-Za-z]")
# Glue repairs: a space goes where the empty group ``at`` (and ``at2``) matched. Each pattern
# starts with its rarest character ("$", "and", ",", ".") and checks the letters before it in a
# look-behind, so the engine skips straight to candidates.
_GLUE = [
    fastre.Anchored(r"(?<=[a-z])(?P<at>)(?:US|C|A|AU)?\$[0-9]", anchors=("US$", "C$", "A$", "AU$", "$")),  # "of$20"
    fastre.compile(
        r"illion(?P<at>)(?:and|in|of|to|for|upon|with|the|plus|as|from|at|or|is|was|which|that|per|upfront"
        r"|each|over|under|payable|equity|cash|milestones?|acquisition|deal|transaction|agreement)\b"
    ),  # "millionand", "billionin", "millionequity" (not "billioninvestment": the spending words stay glued)
    fastre.compile(r"(?P<at>)and(?<=[A-Z]{2}and)(?P<at2>)[A-Z]{2}"),  # "INDIANAPOLISandTOKYO"
    _GLUED_AFTER_WORD,
    fastre.compile(r"Phase(?P<at>)[0-9]"),  # "Phase2b"
    fastre.compile(r"[0-9](?P<at>)per\s+(?:share|ADS)\b"),  # "$235.00per share"
    fastre.compile(r"[0-9][ab]?(?P<at>)(?:study|trial|studies|trials)\b"),  # "2bstudy"
    fastre.compile(r",(?<=[A-Z]{2},)(?P<at>)[A-Z][a-z]"),  # "INDIANAPOLIS,July"
    fastre.compile(r"[.!?](?<=[a-z]{2}.)(?P<at>)[A-Z][a-z]{2}"),  # "rates.The"
]
# the whole words a name is glued to ("saidRuth", "withAcme", "inChina"); "BioNTech" and "iPhone"
# stay as written, the rare brand led by one of these words ("inVentiv") does not
_GLUE_WORDS = {"said", "says", "with", "from", "and", "the", "for", "of", "to", "by", "at", "on", "in"}


# a name glued to the small word after it ("inChinaand", "Wisconsinto", "POINTfor"): split where
# the name stands alone elsewhere in the same text ("Toronto" stays: "Toron" never does)
_TRAILING_WORDS = ("and", "for", "to", "is", "in", "of", "the", "with", "was", "as", "on", "by", "from", "at", "that")
_TRAILING_BY_LAST = {last: tuple(w for w in _TRAILING_WORDS if w[-1] == last) for last in {w[-1] for w in _TRAILING_WORDS}}
_CAPITALISED = fastre.compile(r"(?<![A-Z-])[A-Z][A-Za-z]{4,}(?![\w-])")  # "inWisconsinto" too
_TOKEN = fastre.compile(r"(?<![\w-])[A-Z][A-Za-z]+(?![\w-])")
_SHORTEST_NAME = 3


def _trailing_glue(original: str) -> list[int]:
    """Where to put a space between a name and the small word glued after it."""
    glued = [
        (m.start(), token, word)
        for m in _CAPITALISED.finditer(original)
        for token in (m.group(),)
        for word in _TRAILING_BY_LAST.get(token[-1], ())
        if token.endswith(word) and len(token) - len(word) >= _SHORTEST_NAME
    ]
    if not glued:
        return []
    standalone = set(_TOKEN.findall(original))
    return sorted({start + len(token) - len(word) for start, token, word in glued if token[: -len(word)] in standalone})


def _glued_to_word(text: str, capital: int) -> bool:
    """Whether the letters right before ``capital`` are a whole word of ``_GLUE_WORDS``."""
    start = capital
    while start and capital - start <= 4 and text[start - 1].isalpha():
        start -= 1
    return text[start:capital] in _GLUE_WORDS and not (start and text[start - 1].isalpha())


def _entity_edits(original: str) -> list[Edit]:
    """Each HTML entity (``&amp;``, ``&#39;``, ``&nbsp;``) of ``original`` and the character it stands for."""
    edits = []
    for match in _ENTITY.finditer(original):
        replacement = html.unescape(match.group()).replace("\u00a0", " ")
        if replacement != match.group():
            edits.append(Edit(match.start(), match.end(), replacement))
    return edits


def decode_entities(original: str) -> tuple[str, OffsetMap]:
    """``original`` with its HTML entities decoded and nothing else changed — the text as a
    reader sees it, which the knowledge base keeps — and the map back to ``original``."""
    return _applied(original, _entity_edits(original))


def _repairs(original: str) -> list[Edit]:
    edits = _entity_edits(original)
    edits += [Edit(m.start(), m.end(), " ") for m in _ODD_SPACE.finditer(original)]
    edits += [Edit(m.start(), m.end(), "") for m in _INVISIBLE.finditer(original)]
    for pattern in _GLUE:
        for match in pattern.finditer(original):
            if pattern is _GLUED_AFTER_WORD and not _glued_to_word(original, match.start()):
                continue  # not "plaid" + "Ruth", nor "Bio" + "NTech"
            for group in ("at", "at2"):
                if group in match.re.groupindex:
                    edits.append(Edit(match.start(group), match.start(group), " "))
    edits += [Edit(place, place, " ") for place in _trailing_glue(original)]
    edits.sort(key=lambda e: (e.start, e.end))
    kept: list[Edit] = []
    for edit in edits:  # one edit per place; never inside a replaced stretch
        if kept and (edit.start < kept[-1].end or (edit.start == kept[-1].start and edit.end == kept[-1].end)):
            continue
        kept.append(edit)
    return kept


def clean_text(original: str) -> tuple[str, OffsetMap]:
    """Return the cleaned text and the map from its offsets back to ``original``."""
    return _applied(original, _repairs(original))


def _applied(original: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """``original`` with the sorted, non-overlapping ``edits`` made, and the map back."""
    if not edits:
        return original, OffsetMap([])
    pieces: list[str] = []
    previous = 0
    for edit in edits:
        pieces.append(original[previous : edit.start])
        pieces.append(edit.replacement)
        previous = edit.end
    pieces.append(original[previous:])
    return "".join(pieces), OffsetMap(edits)


def _section_marker(row: rules.Row) -> re.Pattern[str] | fastre.Anchored:
    """A heading row's pattern, tried only where one of its anchors begins when it has anchors."""
    anchors = row.get("anchors")
    if not anchors:
        assert row.pattern is not None  # the sections schema requires a pattern
        return row.pattern
    return fastre.Anchored(row["pattern"], anchors=anchors, flags=rules.parse_flags(row.get("flags", "")))


# (kind, heading pattern) of every row of rules/sections.toml
_SECTION_MARKERS = [(row["kind"], _section_marker(row)) for row in rules.load("sections")]


def find_sections(text: str) -> list[Section]:
    """Boilerplate sections of cleaned ``text``: each runs from its heading to the next one."""
    found = sorted(
        (match.start(), kind, match.groupdict().get("title") or "")
        for kind, pattern in _SECTION_MARKERS
        for match in pattern.finditer(text)
        if not match.start() or not text[match.start() - 1].isalnum()
    )
    markers: list[tuple[int, str, str]] = []
    for start, kind, title in found:
        if markers and markers[-1][1] == kind == "forward_looking":
            continue  # the phrase recurs within its own section
        markers.append((start, kind, title.strip()))
    if not markers:
        return []
    ends = [start for start, _, _ in markers[1:]] + [len(text)]
    return [
        Section(kind, start, end, title)  # type: ignore[arg-type]
        for (start, kind, title), end in zip(markers, ends, strict=True)
    ]


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "for", "with", "that", "on", "by", "as"},
    "de": {"der", "die", "und", "das", "ist", "mit", "von", "den", "für", "nicht", "ein", "eine"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "pour", "dans", "du", "sur", "avec"},
    "es": {"el", "la", "los", "las", "y", "que", "del", "para", "una", "con", "por", "es"},
    "it": {"il", "di", "che", "e", "della", "per", "una", "con", "sono", "del", "gli", "nel"},
    "pt": {"o", "os", "que", "não", "uma", "para", "com", "do", "da", "em", "dos", "das"},
    "nl": {"de", "het", "een", "van", "en", "dat", "voor", "met", "niet", "zijn", "op", "ook"},
}
_WORD = fastre.compile(r"[^\W\d_]+")


def guess_language(text: str, sample: int = 4000) -> str:
    """ISO 639-1 code of the most likely language among a few, by stop-word counts; "und" if
    the text has too few words or none of them is a stop word of a known language."""
    words = Counter(_WORD.findall(text[:sample].lower()))
    if words.total() < 5:
        return "und"
    counts = {lang: sum(words[w] for w in stops) for lang, stops in _STOPWORDS.items()}
    best = max(counts, key=counts.__getitem__)
    if counts[best] == 0:
        return "und"
    return best
