"""Text clean-up that keeps an offset map: entity unescaping, glued-word repair, boilerplate.

Scraped press releases arrive with HTML entities (``&quot;``), words glued together where markup
was stripped ("payment of$20 millionand", "INDIANAPOLISandTOKYO", "saidRuth") and long "About
<Company>" / forward-looking-statement tails. Clean-up repairs only what is safe to repair, as a
list of edits, so every cleaned offset can be mapped back to the original text.
"""

from __future__ import annotations

import html
import re

from biodeals.ingest.document import Edit, OffsetMap, Section

# Each alternative is one kind of repair; a zero-width match inserts a space.
_REPAIRS = re.compile(
    "|".join(
        [
            r"(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
            r"(?P<space>[\u00a0\u2007\u2009\u202f])",
            r"(?P<invisible>[\u200b\u200c\u200d\u2060\ufeff\u00ad])",
            # "of$20", "to$1.9"
            r"(?<=[a-z])(?=(?:US|C|A|AU)?\$[0-9])",
            # "millionand", "billionin"
            r"(?<=illion)(?=(?:and|in|of|to|for|upon|with|the|plus|as|from|at|or|is|was"
            r"|which|that|per|upfront|each|over|under|payable)\b)",
            # "INDIANAPOLISandTOKYO"
            r"(?<=[A-Z]{2})(?=and[A-Z]{2})",
            r"(?<=[A-Z]{2}and)(?=[A-Z]{2})",
            # "saidRuth", "ofAmerica" (a function word glued to a capitalised word)
            r"(?:(?<=\bsaid)|(?<=\bsays)|(?<=\bwith)|(?<=\bfrom))(?=[A-Z][a-z])",
            r"(?:(?<=\band)|(?<=\bthe)|(?<=\bfor))(?=[A-Z][a-z])",
            r"(?:(?<=\bof)|(?<=\bto)|(?<=\bby)|(?<=\bat)|(?<=\bon))(?=[A-Z][a-z])",
            # "Phase2bstudy" -> "Phase 2b study"
            r"(?<=Phase)(?=[0-9])",
            r"(?<=[0-9])(?=(?:study|trial|studies|trials)\b)",
            r"(?<=[0-9][ab])(?=(?:study|trial|studies|trials)\b)",
            # "INDIANAPOLIS,July 14" and "rates.The"
            r"(?<=[A-Z]{2},)(?=[A-Z][a-z])",
            r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2})",
        ]
    )
)


def clean_text(original: str) -> tuple[str, OffsetMap]:
    """Return the cleaned text and the map from its offsets back to ``original``."""
    edits: list[Edit] = []
    for match in _REPAIRS.finditer(original):
        kind = match.lastgroup
        if kind == "entity":
            replacement = html.unescape(match.group()).replace("\u00a0", " ")
            if replacement == match.group():
                continue
        elif kind == "space":
            replacement = " "
        elif kind == "invisible":
            replacement = ""
        else:
            replacement = " "
        edits.append(Edit(match.start(), match.end(), replacement))
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


_NAME_WORD = r"[A-Z][\w&.'’()-]*"
_CONNECTOR = r"(?:and|of|de|&|for)"
_ORG = rf"{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD}){{0,5}}"

_SECTION_MARKERS = re.compile(
    rf"""
    (?P<about>(?:^|(?<=[\n*#>])|(?<=\s))About\s+(?P<title>(?:the\s+)?{_ORG})
        (?=\s*(?:\*\*|\n|:)|\s+(?P=title)\b))
    |(?P<forward_looking>
        (?i:forward[-\s]looking\s+statements?|cautionary\s+(?:note|statement)s?
           |safe\s+harbou?r\s+statement|this\s+press\s+release\s+contains\s+forward))
    |(?P<contact>(?:Media|Investor|Press)\s+(?:Contacts?|Relations|Inquiries)\b
        |\bContacts?\s*:|\bSOURCE\s+{_ORG}\s*$)
    """,
    re.VERBOSE | re.MULTILINE,
)


def find_sections(text: str) -> list[Section]:
    """Boilerplate sections of cleaned ``text``: each runs from its heading to the next one."""
    markers: list[tuple[int, str, str]] = []
    for match in _SECTION_MARKERS.finditer(text):
        kind = "about" if match.group("about") else match.lastgroup or "contact"
        if markers and markers[-1][1] == kind == "forward_looking":
            continue  # the phrase recurs within its own section
        markers.append((match.start(), kind, (match.group("title") or "").strip()))
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
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str, sample: int = 4000) -> str:
    """ISO 639-1 code of the most likely language among a few, by stop-word counts; "und" if
    the text has too few words or none of them is a stop word of a known language."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if len(words) < 5:
        return "und"
    counts = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    best = max(counts, key=counts.__getitem__)
    if counts[best] == 0:
        return "und"
    return best
