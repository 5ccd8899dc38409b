"""Corrections of raw mentions before the overlap rule: pattern companies cut to the known
company they swallowed, diseases that are part of a person's job title and drugs that are half
of a modifier ("lysine-specific") dropped."""

from __future__ import annotations

import bisect
import re

from biodeals import fastre
from biodeals.nlp.gazetteer import longest_first
from biodeals.nlp.patterns import DESIGNATORS, EXCHANGES, PERSON_TITLES
from biodeals.nlp.resolve import normalise_name
from biodeals.nlp.spans import Mention

_AND_ANOTHER = fastre.compile(r",?\s+(?:and|&)\s+([A-Z].+)")


def trim_to_known(candidates: list[Mention], known: list[Mention]) -> list[Mention]:
    """Cut pattern companies that swallowed words before a known company
    ("Jennifer Brennan Daiichi Sankyo, Inc." -> "Daiichi Sankyo, Inc.")."""
    out = []
    # known companies by start, each with its place in ``known`` (ties go to longest_first in that order)
    companies = sorted(((k.start, i, k) for i, k in enumerate(known) if k.label == "company"), key=lambda x: x[:2])
    starts = [start for start, _, _ in companies]
    for c in candidates:
        within = companies[bisect.bisect_left(starts, c.start) : bisect.bisect_left(starts, c.end)]
        inner = longest_first(k for _, _, k in sorted(within, key=lambda x: x[1]) if k.end <= c.end)
        if len(inner) > 1:
            continue  # "Merck KGaA and Merck & Co., Inc." names two known companies
        if inner:
            k = inner[0]
            rest = _AND_ANOTHER.match(c.text, k.end - c.start)
            if rest:  # "Eli Lilly and Company and Biolojic Design Ltd." names two companies
                start = c.start + rest.start(1)
                out.append(Mention(c.label, start, c.end, rest.group(1), f"p:{rest.group(1).lower()}", c.source))
                continue
            text = c.text[k.start - c.start :]
            # "Merck Sharp & Dohme LLC" is the known company plus a legal suffix: keep its identity
            key = k.key if normalise_name(text) == normalise_name(k.text) else c.key
            c = Mention(c.label, k.start, c.end, text, key, c.source)
        out.append(c)
    return out


def split_joined_names(candidates: list[Mention]) -> list[Mention]:
    """"the Prometheus and Imago BioSciences, Inc. acquisitions": a pattern company whose one word
    before "and" begins another company name the text gives is two companies; the second keeps the
    form (the first is named as that other company is)."""
    firsts = {m.text.split(" ", 1)[0] for m in candidates if m.label == "company" and " and " not in m.text}
    out = []
    for c in candidates:
        head, joined, rest = c.text.partition(" and ")
        if joined and " " not in head and head in firsts and " " in rest:
            start = c.start + len(head) + len(joined)
            c = Mention(c.label, start, c.end, rest, f"p:{rest.lower()}", c.source)
        out.append(c)
    return out


# "Vice President, Medicine Team Group Lead for Breast Cancer, Colorectal Cancer and Melanoma"
_JOB_TITLE_BEFORE = fastre.compile(
    r"\b(?:President|Head|Lead|Director|Officer|Chief|Chair|Manager|VP|Franchise|Unit)\b[^.;:()]{0,80}$"
)


# "Dean Li, president, Merck Research Laboratories", "Chief Scientific Officer of Lilly Research
# Laboratories": a unit a person works for, right after the title
_AFFILIATION_BEFORE = fastre.compile(
    r"\b(?:[Pp]resident|[Hh]ead|[Dd]irector|[Oo]fficer|[Cc]hair(?:man|woman)?|[Mm]anager|VP|[Dd]ean|[Ll]ead)"
    r",?\s+(?:of\s+)?(?:the\s+)?$"
)


def in_job_title(text: str, mention: Mention) -> bool:
    """A capitalised disease in a person's job title names a business area, not an indication;
    a company right after a person's title ("president, Merck Research Laboratories") is the unit
    the person works for, no party: its short form would otherwise name the parent's deals."""
    if mention.label == "company":
        return bool(_AFFILIATION_BEFORE.search(text, max(0, mention.start - 40), mention.start))
    return (
        mention.label == "disease"
        and mention.text[:1].isupper()
        and bool(_JOB_TITLE_BEFORE.search(text, max(0, mention.start - 90), mention.start))
    )


# "lysine-specific demethylase 1", "insulin-resistant", "platinum-refractory", "metformin-naive":
# a drug's name joined to one of these words describes something else (a target, patients)
_AS_MODIFIER = fastre.compile(
    r"-(?:specific|resistant|dependent|induced|refractory|naive|naïve|intolerant|experienced|exposed|sensitive"
    r"|like|derived|free)\b",
    re.I,
)


def as_modifier(text: str, mention: Mention) -> bool:
    """Whether a drug's name is only the first half of a hyphenated modifier: no drug is meant."""
    return mention.label == "drug" and bool(_AS_MODIFIER.match(text, mention.end))


# "Pfizer (NYSE:[PFE](https://seekingalpha.com/symbol/PFE ...))": a ticker names no disease, drug
# or target ("PFE" is also a rare disease's acronym), nor does "Drs." before names; a web address
# names no disease (its drugs still tell whose results a linked sentence reports)
_TICKER_BEFORE = fastre.compile(rf"\b(?:{'|'.join(re.escape(e) for e in EXCHANGES)})\s*:\s*\[?$")
_TITLE = fastre.compile(rf"(?:{PERSON_TITLES}|Drs)\.?")
_LINK_START = ("http://", "https://", "www.")
# "Pfizer ([PFE](https://seekingalpha.com/symbol/PFE ...))": a ticker written as a link to its quote
_QUOTE_LINK_AFTER = fastre.compile(r"\]\(https?://[^\s)]*/(?:symbol|quote|quotes|stocks?|ticker)/")


_NAME_GOES_ON = fastre.compile(rf"\s+(?:{DESIGNATORS})\b")
_CITY_GOES_ON = fastre.compile(r"\s+[A-Z]{3,}(?:\s+[A-Z]{3,})*,")
_PRACTICE_AFTER = fastre.compile(r"[\s-]+(?:manufacturing|grade|facilit(?:y|ies)|production|compliant|certified|standards?)\b", re.I)


def names_no_gene(text: str, mention: Mention) -> bool:
    """Whether a target's short capitalised symbol is the first word of a company ("EVA Pharma"),
    of a dateline's city ("TEL AVIV, March 8") or good manufacturing practice ("GMP manufacturing")."""
    if mention.label != "target" or not mention.text.isupper() or len(mention.text) > 4:
        return False
    return any(p.match(text, mention.end) for p in (_NAME_GOES_ON, _PRACTICE_AFTER, _CITY_GOES_ON))


def in_ticker_or_link(text: str, mention: Mention) -> bool:
    """Whether a vocabulary mention of a drug, target or disease is a ticker or a person's title,
    or one of a disease is part of a web address."""
    if mention.label == "company":
        return False
    if _TICKER_BEFORE.search(text, max(0, mention.start - 12), mention.start) or _TITLE.fullmatch(mention.text):
        return True
    if _QUOTE_LINK_AFTER.match(text, mention.end):
        return True
    if mention.label != "disease":
        return False
    token_start = max(text.rfind(c, 0, mention.start) for c in " \n\t(<\"") + 1
    return text.startswith(_LINK_START, token_start) or "://" in text[token_start : mention.start]

