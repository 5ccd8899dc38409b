"""Companies named by their part in a deal: trade press names a biotech without a legal form or
designator ("Novartis agreed to buy Corvexa", "Gilead is paying Trellis $300 million", "Halcyon
shares soared"), so the words around a capitalised name (``rules/company_contexts.toml``) say it
is a company; a name so found is a company wherever the text names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

import pycountry

from biodeals import fastre, rules
from biodeals.nlp.patterns import LEADING_STOP, NOT_A_NAME, WEEKDAY_OR_MONTH, trim_leading
from biodeals.nlp.sentences import headline_shaped
from biodeals.nlp.spans import Mention

_ROWS = rules.load("company_contexts")
_THEN = {row.id: fastre.compile(row["then"]) for row in _ROWS if row.get("then")}
# one to three capitalised words
_WORD = r"[A-Z][A-Za-z0-9&.-]*[A-Za-z0-9]|[A-Z]"
# "City of Hope"; a possessive name is the owner ("rights to Halcyon's drug"), and a company too
_NAME_AFTER = fastre.compile(rf"(?P<name>(?:{_WORD})(?:[ \t](?:of[ \t])?(?:{_WORD})){{0,2}})(?![\w-])(?![’'](?!s?\s))")
_NAME_BEFORE = fastre.compile(rf"(?<![\w’'.-])(?P<name>(?:{_WORD})(?:[ \t](?:{_WORD})){{0,2}})$")
_LOOK_BACK = 60
_WINDOW = 160  # characters either side of a row's anchor in which it looks for its cue
# a dateline's city in capitals right after a name written in mixed case, which it is no part of
_DATELINE_AFTER = fastre.compile(r"(?<=[a-z])(?:\s+[A-Z]{4,}\b)+$")
_MODIFIER = fastre.compile(r"-[a-z]+\b")  # "U.S.-owned", "Boston-based": what a name is, not a name


def _in_headline(text: str, start: int, end: int) -> bool:
    """Whether the words around ``text[start:end]`` (not its own) are mostly capitalised, as in
    a headline ("Option to Acquire Firm Pincell", "Acquires Patented Lycopenoid Platform"), where
    any capitalised run after a cue looks like a name."""
    return headline_shaped(text[max(0, start - 60) : start] + " " + text[end : end + 40], share=0.6)


_CONTINENTS = {"Africa", "Asia", "Europe", "Oceania", "Antarctica", "North America", "South America", "Latin America"}


@cache
def _places() -> frozenset[str]:
    """Continent, country and region names (ISO 3166 by pycountry): "a licensing contract with Indonesia",
    "licenses from Australia" name a place, not a company."""
    names = {s.name for s in pycountry.subdivisions} | _CONTINENTS
    for country in pycountry.countries:
        names.update(getattr(country, k) for k in ("name", "common_name", "official_name") if hasattr(country, k))
    return frozenset(names)


_THEN_PLACE = fastre.compile(r",\s+(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")


def _before_a_place(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is followed by a country or region: "in Alzey, Germany"
    and "Concord, North Carolina" name towns."""
    match = _THEN_PLACE.match(text, end)
    return bool(match) and match.group("place") in _places()


# "a new manufacturing site in Alzey", "The site in Alzey will employ": where a facility stands
_FACILITY_IN = fastre.compile(
    r"\b(?:sites?|facilit(?:y|ies)|plants?|campus(?:es)?|factor(?:y|ies)|headquarters|located|headquartered) (?:in|near) $",
    re.I,
)


def _placed(name: str, text: str) -> bool:
    """Whether the text places a facility in ``name`` anywhere ("a manufacturing site in Alzey"):
    a town, though "Lilly's investment in Alzey" reads like a stake in a company."""
    at = text.find(name)
    while at != -1:
        after = text[at + len(name) : at + len(name) + 1]
        if not (after.isalnum() or after in ("_", "-")) and _FACILITY_IN.search(text, max(0, at - 30), at):
            return True
        at = text.find(name, at + 1)
    return False


def _once(check: Callable[[str, str], bool], name: str, text: str, seen: dict[tuple[str, str], bool]) -> bool:
    """``check(name, text)``, read once per name of a text (a name is met once per cue naming it)."""
    key = (check.__name__, name)
    if key not in seen:
        seen[key] = check(name, text)
    return seen[key]


def _glued_to_place(name: str) -> bool:
    """Whether one word is a place glued to the word after it where markup was stripped
    ("investments in Europewill", "investment in Indianasolidifies")."""
    if " " in name:
        return False
    return any(name[:cut] in _places() and name[cut:].islower() for cut in range(4, len(name) - 1))


def _marked(name: str, text: str) -> bool:
    """Whether the text marks ``name`` as a brand ("acquired LUCEMYRA" of "LUCEMYRA®"): a product."""
    return re.search(rf"(?<![\w-]){re.escape(name)}\s?(?:®|™|\(R\))", text) is not None


# "investment in Boone County": a place a company spends in, named by what kind of place it is
_PLACE_KIND = fastre.compile(r"\s(?:County|City|Province|State|District|Region|Township|Parish|Prefecture|Park)$")


def _is_name(name: str) -> bool:
    words = name.split()
    return (
        len(name) >= 3
        and name not in _places()
        and not _PLACE_KIND.search(name)
        and words[0] not in LEADING_STOP
        and not WEEKDAY_OR_MONTH.match(name)
        and not NOT_A_NAME.search(name)
        and not (name.isupper() and len(name) <= 3)  # "US", "FDA", "CEO"
        and "&D" not in name  # "acquired IPR&D", "paid R&D"
    )


# each row is tried only around its anchors (words its cue holds): one automaton pass per row
_ROW_ANCHORS = {row.id: fastre.Literals([a.lower() for a in row["anchors"]]) for row in _ROWS}


def _merged_windows(positions: list[int], size: int) -> list[tuple[int, int]]:
    """The stretches of a text of ``size`` characters within ``_WINDOW`` of sorted ``positions``, merged."""
    windows: list[tuple[int, int]] = []
    for position in positions:
        start, end = max(0, position - _WINDOW), min(size, position + _WINDOW)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _named_by(row: rules.Row, text: str, lowered: str) -> Iterator[tuple[int, int]]:
    """Where the row's cue names a company in ``text`` (cues looked for around the row's anchors;
    scanning the whole text with every row was most of the cost)."""
    for lo, hi in _merged_windows(_ROW_ANCHORS[row.id].starts(lowered), len(text)):
        yield from _named_in(row, text, lo, hi)


# "Bharat Serums and Vaccines (BSV)": an "and" inside a name whose initials follow it in brackets
_AND_INITIALS = fastre.compile(r"[ \t]+and[ \t]+(?P<rest>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)[ \t]*\((?P<initials>[A-Z]{3,6})\)")


def _with_initials(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` widened over "and <Words>" when the initials in brackets after them are the
    whole name's ("Bharat Serums and Vaccines (BSV)"); else ``span``."""
    joined = _AND_INITIALS.match(text, span[1])
    if joined is None:
        return span
    words = text[span[0] : span[1]].split() + joined.group("rest").split()
    if "".join(w[0] for w in words) != joined.group("initials"):
        return span
    return span[0], joined.end("rest")


def _named_in(row: rules.Row, text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    assert row.pattern is not None
    if row["side"] == "after":
        for cue in row.pattern.finditer(text, lo, hi):
            match = _NAME_AFTER.match(text, cue.end())
            if match is None:
                continue
            then, span = _THEN.get(row.id), _with_initials(text, match.span("name"))
            if span != match.span("name") or then is None or then.match(text, match.end()):
                yield span
        return
    for cue in row.pattern.finditer(text, lo, hi):  # "before": the cue starts right after the name
        match = _NAME_BEFORE.search(text, max(0, cue.start() - _LOOK_BACK), cue.start())
        if match is not None:
            yield match.span("name")


def common_phrase(name: str, common_words: frozenset[str], one_word_ok: bool) -> bool:
    """A run of common words ("Key Opinion Leaders", "Machine Learning") is a phrase, not a name
    ("City of Hope" is one); one common word is a name only where the row says its context is
    strong enough ("acquire Summit", not "an investment in Research")."""
    words = name.lower().split()
    if len(words) == 1:
        return not one_word_ok and words[0] in common_words
    return "of" not in words and all(w in common_words for w in words)


def find_companies_in_context(text: str, common_words: frozenset[str] = frozenset()) -> list[Mention]:
    """Companies the words around them name as a party to a deal, and every other whole-word
    mention of the same name in ``text``; ``common_words`` (lowercase) make no name together."""
    names: dict[str, None] = {}
    found: dict[tuple[int, int], Mention] = {}
    lowered = text.lower()
    seen: dict[tuple[str, str], bool] = {}  # what the whole-text checks said of each name
    for row in _ROWS:
        for start, end in _named_by(row, text, lowered):
            name, start = trim_leading(text[start:end], start)  # "The Corvexa-partnered drug"
            name = _DATELINE_AFTER.sub("", name)  # "Vancouver-based AbCellera INDIANAPOLIS,Nov. 20"
            if _MODIFIER.search(name):
                continue  # "an investment in U.S.-owned biotech infrastructure"
            if (
                _is_name(name)
                and not common_phrase(name, common_words, row["common_words"])
                and not _in_headline(text, start, end)
                and not _once(_marked, name, text, seen)
                and not _before_a_place(text, start + len(name))
                and not _glued_to_place(name)
                and not _once(_placed, name, text, seen)
            ):
                names[name] = None
                found.setdefault((start, start + len(name)), _mention(name, start))
    for name in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            found.setdefault(match.span(), _mention(name, match.start()))
    return sorted(found.values(), key=lambda m: m.start)


def _mention(name: str, start: int) -> Mention:
    return Mention("company", start, start + len(name), name, f"p:{name.lower()}", "context")
