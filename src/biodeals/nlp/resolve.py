"""Within-document resolution: group mentions that name the same thing into one ``Entity``.

Links come from the vocabulary (same concept id: "Keytruda" = "pembrolizumab" = "MK-3475"),
from parentheses ("eftilagimod alpha (“efti” or “IMP321”)", "Eli Lilly and Company (“Lilly”)"),
from "About <Company>" headings, and from short forms of company names found in the same text
("Innate" for "Innate Pharma").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from biodeals import fastre
from biodeals.ingest.document import Section
from biodeals.names import company_key
from biodeals.nlp.patterns import EXCHANGES, joins_word, squash
from biodeals.nlp.spans import Entity, Label, Mention
from biodeals.nlp.vocab import VocabEntry, Vocabulary

GENERIC_FIRST_WORDS = {
    "united",
    "general",
    "national",
    "international",
    "american",
    "global",
    "first",
    "new",
    "royal",
    "world",
    "european",
    "china",
    "japan",
    "north",
    "south",
    "east",
    "west",
    "bio",
    "pharma",
    "medical",
    "health",
    "life",
    "royalty",
    "the",
    "partners",
    "capital",
}


def normalise_name(name: str) -> str:
    """The shared company key as within-document linking compares it (``company_key`` with
    ``in_document``): "Merck & Co., Inc." -> "merck"."""
    return company_key(name, in_document=True)


class _Groups:
    """Union-find over mention keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


_PAREN_ALIAS = fastre.compile(r"\s*\(\s*(?:the\s+)?[\"“'‘]?(?P<inner>[^()]{1,80}?)[\"”'’]?\s*\)")
# a ticker ("(NASDAQ: ABC)"), a number, a share or an amount is no other name of the thing before it
_NOT_ALIAS = fastre.compile(
    rf"^(?:{'|'.join(map(re.escape, EXCHANGES))})\b|^\d|%|\$|\bthe\b"
    # an aside, not a name: "HIV (especially within certain populations)", "(including children)"
    r"|^(?i:especially|particularly|including|excluding|e\.g\.|i\.e\.|such as|see|in|with|within|among|which|who"
    r"|as|at|by|from|on|of|to|for|not|mainly|mostly|primarily|notably|both|each|all|any|either|if|when|where)(?!\w)"
)


# a company's defined term in a release: 'Norvale Bio, Inc. ("Norvale" or the "Company")'
_DEFINED_COMPANY = fastre.compile(r"\s*,?\s*(?:or\s+)?the\s+[\"“'‘]?Company[\"”'’]?\s*$")
_THE_COMPANY = fastre.compile(r"\bthe Company\b")


def defines_the_company(text: str, mention: Mention) -> bool:
    """Whether a parenthesis after a company's name (after its ticker's, if any) makes it "the
    Company" of the text."""
    if mention.label != "company":
        return False
    position = mention.end
    for _ in range(2):  # 'Norvale Bio, Inc. (OTCQB: NRVB) ("Norvale" or the "Company")'
        match = _PAREN_ALIAS.match(text, position)
        if match is None:
            return False
        if _DEFINED_COMPANY.search(match.group("inner") + "”"):
            return True
        position = match.end()
    return False


# "About the Tender Offer", "About the Transaction": a heading that names a deal, not a company
_DEAL_TITLE = fastre.compile(
    r"\b(?:Offer|Transaction|Merger|Acquisition|Agreement|Offering|Collaboration|Partnership|Financing)\b"
)


# where a company is, not another name of it: "ProBioGen AG (Berlin, Germany)", "(San Diego, CA)"
_PLACE = fastre.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*, (?:[A-Z][a-z]+(?: [A-Z][a-z]+)*|[A-Z]{2}|[A-Z]\.[A-Z]\.)")


def parenthetical_aliases(text: str, mention: Mention) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of alternative names given in parentheses right after
    ``mention``: "bimagrumab (BYM338)", "Innate Pharma (“Innate”)", "efti (IMP321 or IMP-321)"
    ('"Norvale" or the "Company"' gives "Norvale": the defined term is ``defines_the_company``'s)."""
    match = _PAREN_ALIAS.match(text, mention.end)
    if not match:
        return []
    inner = match.group("inner")
    defined = _DEFINED_COMPANY.search(inner + "”")
    if defined and mention.label == "company":
        inner = inner[: defined.start()]
    if _NOT_ALIAS.search(inner) or (mention.label == "company" and _PLACE.fullmatch(inner.strip())):
        return []
    ranges = []
    inner_start = match.start("inner")
    for part in re.finditer(r"[^,;/]+", inner):
        for piece in re.split(r"\s+or\s+|\s+also known as\s+|\s+formerly\s+", part.group()):
            stripped = piece.strip(" \"“”'‘’")
            if not stripped or len(stripped) < 2 or len(stripped.split()) > 5:
                continue
            offset = text.find(stripped, inner_start + part.start())
            if offset >= 0:
                ranges.append((offset, offset + len(stripped)))
    return ranges


def _whole_word_occurrences(text: str, needle: str) -> Iterable[tuple[int, int]]:
    """Occurrences of ``needle`` not preceded or followed by a letter, digit, _ or hyphen."""
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or not joins_word(text[start - 1])) and (end == len(text) or not joins_word(text[end])):
            yield start, end
        start = text.find(needle, start + 1)


def _opening_company(text: str, start: int, title: str, mentions: list[Mention]) -> Mention | None:
    """The company an "About" section's body opens with, when the heading names it by a short
    form with the same first letter ("About IABL" over "International Agencies Ltd."; not "About
    Welldoc" over the "Lilly Cautionary Statement" heading that follows an empty section)."""
    heading = text.find(title, start, start + 200)
    if heading < 0:
        return None
    body = heading + len(title)
    while body < len(text) and not text[body].isalnum():
        body += 1
    return next(
        (
            m
            for m in mentions
            if m.label == "company"
            and m.start == body
            and m.text[:1].lower() == title[:1].lower()
            and normalise_name(m.text) != normalise_name(title)
        ),
        None,
    )


def resolve_entities(
    text: str,
    mentions: list[Mention],
    vocab: Vocabulary,
    sections: Iterable[Section] = (),
) -> list[Entity]:
    """Group ``mentions`` (non-overlapping, in text order) into entities, adding mentions of
    aliases and short names found in the same text. Returns entities in order of first mention."""
    groups = _Groups()
    occupied = bytearray(len(text) + 1)  # 1 where a mention already covers the character
    for m in mentions:
        occupied[m.start : m.end] = b"\x01" * m.length
    mentions = list(mentions)

    def free(start: int, end: int) -> bool:
        return occupied.find(1, start, end) < 0

    def add(label: Label, start: int, end: int, key: str, source: str) -> None:
        mentions.append(Mention(label, start, end, text[start:end], key, source))
        occupied[start:end] = b"\x01" * (end - start)

    for m in mentions:
        groups.find(m.key)
    # Once every occurrence of a name has been looked at, each is covered by a mention (marking
    # only adds): looking again finds nothing free, so each name is looked for once.
    looked_for: set[str] = set()

    # "About <Company>" headings name companies
    not_companies = {m.text for m in mentions if m.label != "company"}  # this loop adds companies only
    for section in sections:
        title = section.title.removeprefix("the ").strip()
        if section.kind != "about" or not title:
            continue
        if title in not_companies or title in looked_for or _DEAL_TITLE.search(title):
            continue
        # "**About IABL** International Agencies Ltd. group is ...": the body opens with the full
        # name, and the heading's name is its short form
        named_first = _opening_company(text, section.start, title, mentions)
        body = text[section.start : section.start + 400].lower()
        if named_first is None and not re.search(
            r"\b(?:company|corporation|biotech|firm|leader|organization|inc\b|founded)", body
        ):
            continue
        key = named_first.key if named_first is not None else f"p:{normalise_name(title)}"
        looked_for.add(title)
        for start, end in _whole_word_occurrences(text, title):
            if free(start, end):
                add("company", start, end, key, "about")

    # parenthetical aliases
    for m in list(mentions):
        for start, end in parenthetical_aliases(text, m):
            alias = text[start:end]
            if alias[0].islower() and m.label == "company":
                continue
            alias_key = f"a:{m.key}:{alias}"
            groups.union(m.key, alias_key)
            if alias in looked_for:
                continue
            looked_for.add(alias)
            for s, e in _whole_word_occurrences(text, alias):
                if free(s, e):
                    add(m.label, s, e, alias_key, "alias")

    # "the Company" a release defines as its own name
    definer = next((m for m in mentions if defines_the_company(text, m)), None)
    if definer is not None:
        for match in _THE_COMPANY.finditer(text):
            start, end = match.start() + len("the "), match.end()
            if free(start, end):
                add("company", start, end, definer.key, "alias")

    # a company named once by its shape or context ("Fiji Islands company Makans") is the same
    # company wherever the text writes the name again ("under which Makans will ...")
    for m in list(mentions):
        if m.label != "company" or m.source == "gazetteer" or m.text in looked_for or m.text.lower() in vocab.common_words:
            continue
        looked_for.add(m.text)
        for start, end in _whole_word_occurrences(text, m.text):
            if free(start, end):
                add("company", start, end, m.key, "repeat")

    # drugs and trials: the same code however it is hyphenated ("IMP321" = "IMP-321")
    by_squash: dict[tuple[str, str], str] = {}
    for m in mentions:
        if m.label in ("drug", "trial"):
            squashed = squash(m.text)
            groups.union(by_squash.setdefault((m.label, squashed), m.key), m.key)

    # companies: same normalised name, or a short form (first word) of a longer name
    by_norm: dict[str, str] = {}
    company_surfaces: dict[str, dict[str, None]] = defaultdict(dict)  # insertion-ordered: same result every run
    for m in mentions:
        if m.label == "company":
            norm = normalise_name(m.text)
            if norm in by_norm:
                groups.union(by_norm[norm], m.key)
            else:
                by_norm[norm] = m.key
            company_surfaces[groups.find(m.key)][m.text] = None
    for norm, key in list(by_norm.items()):
        surface = next((s for s in company_surfaces[groups.find(key)] if normalise_name(s) == norm), "")
        if len(surface.split()) < 2:  # "Orrin SA" has a short form ("Orrin"), "Orrin" none
            continue
        first = norm.split()[0]
        # a common word is a short form only written in capitals before what the company is, as
        # a brand is ("POINT Biopharma"), not "CORE Kidney Foundation"
        words = norm.split()
        branded = surface.split()[0].isupper() and len(words) > 1 and words[1] in _CORPORATE_WORDS
        common = first in vocab.common_words and not branded
        if first in GENERIC_FIRST_WORDS or common or len(first) < 3:
            continue
        if first in by_norm and by_norm[first] != key:
            if by_norm[first].startswith("v:"):
                # two distinct known companies ("Merck" and "Merck KGaA"), or a known company and a
                # unit named after it ("Merck Research Laboratories", "Merck Foundation"): "Merck"
                # stays the known company, the unit keeps its own name; but where the text names
                # only the other known one in full, "Merck" is that one ("Merck KGaA ... Merck said")
                known_name = normalise_name(vocab.entries[int(by_norm[first][2:])].name)
                if known_name == norm or (
                    key.startswith("v:") and not _named_in_full(by_norm[first], first, company_surfaces, groups)
                ):
                    # "Teva Pharmaceutical Industries Limited" is the known "Teva Pharmaceutical Industries Ltd."
                    groups.union(key, by_norm[first])
                continue
            groups.union(key, by_norm[first])
            continue
        short = surface.split()[0]
        if short and short[0].isupper() and short not in looked_for:
            looked_for.add(short)
            for s, e in _whole_word_occurrences(text, short):
                if free(s, e):
                    add("company", s, e, key, "short-name")
    _link_inner_words(by_norm, groups, vocab)
    _link_corporate_variants(by_norm, groups)
    _link_initials(company_surfaces, groups)

    return _build_entities(mentions, groups, vocab)


def _named_in_full(key: str, short: str, surfaces: dict[str, dict[str, None]], groups: _Groups) -> bool:
    """Whether the text names the company of ``key`` otherwise than by ``short`` ("Merck & Co.", "MSD")."""
    return any(s.lower().strip(" .,") != short for s in surfaces[groups.find(key)])


# words that say what kind of company a name is, not which one: "Teva Pharmaceuticals" and "Teva
# Pharmaceutical Industries Limited" are one company; a fund ("Roche Ventures"), a holding
# ("Novo Holdings" beside "Novo Nordisk") or a unit ("Merck Animal Health") is another
_CORPORATE_WORDS = frozenset(
    {"pharma", "pharmaceutical", "pharmaceuticals", "therapeutics", "biosciences", "bioscience", "biotech"}
    | {"biotechnology", "biopharma", "biopharmaceuticals", "biopharmaceutical", "industries", "international"}
    | {"corporation", "company", "co", "bio", "sciences", "inc", "ltd", "plc", "global"}
)


def _link_corporate_variants(by_norm: dict[str, str], groups: _Groups) -> None:
    """Company names that share a first word and differ only in words of ``_CORPORATE_WORDS`` are
    one company, unless both are distinct known companies."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for norm in by_norm:
        words = norm.split()
        if len(words) > 1 and len(words[0]) >= 3 and all(w in _CORPORATE_WORDS for w in words[1:]):
            by_first[words[0]].append(norm)
    for norms in by_first.values():
        keys = [by_norm[n] for n in norms]
        for key in keys[1:]:
            if not (key.startswith("v:") and keys[0].startswith("v:")):
                groups.union(keys[0], key)


_MINOR_WORDS = frozenset({"of", "and", "the", "for", "&", "de", "du", "la"})


def _link_initials(surfaces: dict[str, dict[str, None]], groups: _Groups) -> None:
    """A name in capitals that spells the initials of one longer company name the text writes out
    ("MPP" and "Medicines Patent Pool", "IABL" not) is that company's short form."""
    initials: dict[str, list[str]] = defaultdict(list)
    for key, names in surfaces.items():
        for name in names:
            words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _MINOR_WORDS]
            if len(words) >= 2 and all(w[0].isupper() for w in words):
                initials["".join(w[0] for w in words)].append(key)
    for key, names in list(surfaces.items()):
        for name in names:
            owners = set(initials.get(name, ())) - {key} if 2 <= len(name) <= 6 and name.isupper() else set()
            if len(owners) == 1:
                groups.union(owners.pop(), key)


def _link_inner_words(by_norm: dict[str, str], groups: _Groups, vocab: Vocabulary) -> None:
    """A one-word company name found on its own that is an inner word of one longer company name
    of the text ("Zhifei", "Chongqing Zhifei Biological Products") is that company's short form;
    a word of two longer names is neither's."""
    owners: dict[str, set[str]] = defaultdict(set)
    for norm, key in by_norm.items():
        words = norm.split()
        for word in words if len(words) > 1 else ():  # a first word counts too: it may name another
            if word in by_norm and len(word) >= 4 and word not in vocab.common_words and word not in GENERIC_FIRST_WORDS:
                owners[word].add(groups.find(key))
    for word, keys in owners.items():
        single = by_norm[word]
        if len(keys) == 1 and not single.startswith("v:") and groups.find(single) not in keys:
            groups.union(next(iter(keys)), single)


def _build_entities(mentions: list[Mention], groups: _Groups, vocab: Vocabulary) -> list[Entity]:
    # vocabulary mentions of the same concept share its id
    by_concept: dict[str, str] = {}
    for key in dict.fromkeys(m.key for m in mentions if m.key.startswith("v:")):
        entry = vocab.entries[int(key[2:])]
        # one concept per id, and entries of different sources with the same preferred name
        # ("COVID-19" in MONDO, MeSH and the curated list) are one concept too
        for concept in (f"{entry.label}:{entry.id or entry.name}", f"{entry.label}={entry.name.lower()}"):
            groups.union(by_concept.setdefault(concept, key), key)
    clusters: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: m.start):
        clusters[groups.find(m.key)].append(m)
    entities = []
    for members in clusters.values():
        label = members[0].label
        vocab_entries = [vocab.entries[int(m.key[2:])] for m in members if m.key.startswith("v:")]
        standard_id = next(
            (e.id for e in vocab_entries if e.id and ":" in e.id and not e.id.startswith("biodeals")), None
        )
        surfaces: dict[str, str] = {}
        for m in members:
            if not (label == "company" and m.text == "Company"):  # a release's defined term is no name
                surfaces.setdefault(m.text.lower(), m.text)
        if not surfaces:
            continue
        if label == "modality" and vocab_entries:
            name = vocab_entries[0].name  # the SCHEMA.md modality value, not the surface form
        else:
            name = _preferred_name(label, list(surfaces.values()), vocab_entries)
        aliases = [s for s in surfaces.values() if s.lower() != name.lower()] if label != "modality" else []
        entities.append(Entity(label, name, aliases, standard_id, members))
    entities.sort(key=lambda e: e.first_offset)
    return entities


def _preferred_name(label: Label, surfaces: list[str], entries: list[VocabEntry]) -> str:
    """The most complete name: for drugs the INN when the text uses it; for a known company its
    vocabulary name when the text uses it ("Merck & Co., Inc.", not its subsidiary's legal name
    "Merck Sharp & Dohme Corp." from the boilerplate); else the longest form."""
    if label == "company":
        written = {s.lower(): s for s in surfaces}
        known = next((written[e.name.lower()] for e in entries if e.name.lower() in written), None)
        if known:
            return known
    if label == "drug":
        inns = {e.name for e in entries}
        used = [s for s in surfaces if s.lower() in inns and not s.isupper()]
        if used:
            return max(used, key=len)
    return max(surfaces, key=lambda s: (len(normalise_name(s).split()), len(s)))
