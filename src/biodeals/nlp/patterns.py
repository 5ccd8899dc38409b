"""Pattern recognisers for names no vocabulary can list: new companies, code names, trials.

Each function takes the cleaned text and returns candidate mentions; overlap with vocabulary
matches is settled later by the overlap rule.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

import ahocorasick_rs

from biodeals import fastre, rules
from biodeals.nlp.spans import Mention

# The rule tables (designators, legal forms, exchanges, stop words, INN stems, ...) are rows of
# the files in ``biodeals/rules``; the names below are derived from them.
DESIGNATOR_WORDS = tuple(row.id for row in rules.load("designators"))  # "Versanis Bio", "Innate Pharma"
LEGAL_FORMS = tuple(row.id for row in rules.load("legal_forms"))  # "Acme, Inc.", the longer first
EXCHANGES = tuple(row.id for row in rules.load("exchanges"))  # "(NASDAQ: ABC)"


def _alternation(phrases: tuple[str, ...]) -> str:
    """The phrases as a regex alternation, in their order, any whitespace between words."""
    return "|".join(re.escape(phrase).replace("\\ ", r"\s+") for phrase in phrases)


DESIGNATORS = _alternation(DESIGNATOR_WORDS)
LEGAL = _alternation(LEGAL_FORMS)
_EXCHANGE = _alternation(EXCHANGES)
LEADING_STOP = frozenset(row.id for row in rules.load("stop_words"))
# a headline's verb or preposition inside a title-case run ends what came before it: "Merck Has
# Completed Manufacturing ...", "Lilly Acquires Verve Therapeutics" name no "Merck Has ..." company
_HEADLINE_CUTS = frozenset(
    row.id for row in rules.load("stop_words") if row["means"] == "a headline verb before a name"
) | {"With", "From", "For", "To", "By"}  # "Signs Deal With Kestrel Therapeutics"
_DESIGNATOR_ALONE = frozenset(DESIGNATOR_WORDS)
# "a collaboration with Dr. Robert O. Becker" names a person, not a partner company
PERSON_TITLES = r"Dr|Mr|Ms|Mrs|Prof|Professor|Sir"
_PERSON_TITLE = fastre.compile(rf"^(?:{PERSON_TITLES})\b")
# a sentence end inside a name: a lowercase-ending word, a full stop and a capitalised word
_SENTENCE_INSIDE = fastre.compile(r"^.*[a-z]{2}\. (?=[A-Z])")
_TITLE_BEFORE = fastre.compile(rf"\b(?:{PERSON_TITLES})\.?\s+$")  # "Dr. David Feifel, a leader in ..."
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|[a-z]+[A-Z][\w'’-]*|\d+[A-Za-z][\w-]*)"
_SP = r"[ \t]+"  # names never span lines
# "the University of South Florida Research Foundation, Inc.", "Bank of America": an institution's
# name joins its place with "of"
_INSTITUTION_OF = rf"(?:(?:University|Institute|College|School|Academy|Bank){_SP}of{_SP}(?:the{_SP})?)?"
# a family name's particle inside a name: "W.A. de Vigier Foundation", "Fondation Louis van Gogh"
_PARTICLE = r"(?:de|di|du|del|der|van|von|la)"
_COMPANY_BY_DESIGNATOR = fastre.compile(
    rf"\b(?P<name>{_INSTITUTION_OF}{_NAME_TOKEN}(?:{_SP}(?:(?:&|{_PARTICLE}){_SP})?{_NAME_TOKEN}){{0,4}}{_SP}(?:{DESIGNATORS})\b"
    rf"(?:,?\s+(?:{LEGAL})(?![\w]))?)(?!\s+[A-Z][a-z])"
)
_COMPANY_BY_LEGAL = fastre.compile(
    rf"\b(?P<name>{_INSTITUTION_OF}{_NAME_TOKEN}(?:{_SP}(?:(?:&|and){_SP})?{_NAME_TOKEN}){{0,4}},?{_SP}(?:{LEGAL}))(?![\w])"
)
_COMPANY_BY_TICKER = fastre.compile(
    rf"\b(?P<name>{_NAME_TOKEN}(?:{_SP}(?:&{_SP})?{_NAME_TOKEN}){{0,5}})[ \t]*,?[ \t]*\(\s*(?:{_EXCHANGE})\b"
)
# "the University of Oxford", "Medical College of Wisconsin", "San Raffaele Telethon Institute for
# Gene Therapy", "Stanford University": named by what it is, with no suffix
_OF_PLACE = (
    rf"{_SP}(?:of|for){_SP}(?:the{_SP})?{_NAME_TOKEN}(?:{_SP}{_NAME_TOKEN}){{0,3}}"
    # "National Institute of Allergy and Infectious Diseases (NIAID)": an "and" inside the name
    # when its acronym follows, else "the University of Oxford and AstraZeneca" would be one name
    rf"(?:{_SP}and{_SP}{_NAME_TOKEN}(?:{_SP}{_NAME_TOKEN}){{0,2}}(?=[ \t]+\([A-Z]{{2,}}\)))?"
)
_INSTITUTION = fastre.compile(
    rf"\b(?P<name>(?:{_NAME_TOKEN}{_SP}){{1,3}}(?:University|Institute|College)(?:{_OF_PLACE})?"
    rf"|(?:University|Institute|College){_OF_PLACE})(?![\w-])"
)
# "the Japanese government", "the U.S. Government", "the Government of Canada": a government buys
# doses and funds programs, a party to supply deals
_GOVERNMENT = fastre.compile(
    rf"\b(?P<name>Government{_SP}of{_SP}(?:the{_SP})?[A-Z][a-z]+(?:{_SP}[A-Z][a-z]+)?"
    r"|(?:U\.S\.|U\.K\.|US|UK|EU|United[ \t]+(?:States|Kingdom)|[A-Z][a-z]+)[ \t]+[Gg]overnment(?![ \t]+of[ \t]+[A-Z]))\b"
)
# "Medincell’s partner Teva": whose partner, licensee or subsidiary another company is, is a company
_RELATIONS = ("partner", "partners", "licensee", "licensor", "collaborator", "subsidiary", "parent company")
_COMPANY_BY_RELATION = fastre.compile(
    rf"\b(?P<name>{_NAME_TOKEN}(?:{_SP}{_NAME_TOKEN}){{0,2}})[’'](?:s)?[ \t]+(?:longtime |long-time |commercial |strategic )?"
    rf"(?:{'|'.join(_RELATIONS)})\b"
)
_COMPANY_BY_APPOSITION = fastre.compile(
    rf"\b(?P<name>{_NAME_TOKEN}(?:{_SP}{_NAME_TOKEN}){{0,3}}),\s+(?:a|an)\s+(?:[\w-]+,?\s+){{0,6}}?"
    r"(?:company|biotech|biotechnology\s+company|firm|developer|startup|start-up|manufacturer|CDMO|leader|organi[sz]ation)\b"
)


# "Texas-based Acme Inc.", "Long-term Lionheart Health": a hyphenated modifier, not a name word
_LEADING_MODIFIER = fastre.compile(r"^[A-Za-z]+-[a-z]+$|.*-based$")  # also "EBITDA-positive"


# "London’s LifeArc Ventures", "Italy's Coordination Group": a place's (or owner's) name before the name
_POSSESSIVE = fastre.compile(r"^[A-Z][\w.-]*[’']s$")


def trim_leading(text: str, start: int) -> tuple[str, int]:
    """A name found by shape without what may precede it: a headline's verb, a "-based" place,
    stop words, hyphenated modifiers and possessives ("London’s LifeArc Ventures")."""
    words = text.split(" ")
    cut = max((i for i, word in enumerate(words[:-1]) if word in _HEADLINE_CUTS), default=None)
    if cut is not None:
        start += sum(len(word) + 1 for word in words[: cut + 1])
        words = words[cut + 1 :]
    based = next((i for i, word in enumerate(words[:-1]) if word.endswith("-based")), None)
    if based is not None:  # "San Francisco-based 5AM Ventures"
        start += sum(len(word) + 1 for word in words[: based + 1])
        words = words[based + 1 :]
    while len(words) > 1 and (
        words[0].rstrip(".,") in LEADING_STOP or _LEADING_MODIFIER.match(words[0]) or _POSSESSIVE.match(words[0])
    ):
        start += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), start


DESCRIPTORS = tuple(row.id for row in rules.load("descriptors"))  # "drugmaker Pfizer"
WEEKDAY_OR_MONTH = fastre.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b"
)
_COMPANY_BY_DESCRIPTOR = fastre.compile(
    rf"\b(?:{_alternation(DESCRIPTORS)})[ \t]+(?P<name>{_NAME_TOKEN}(?:{_SP}(?:&{_SP})?{_NAME_TOKEN}){{0,3}})(?![\w-])"
)

# a descriptor and a name after what looked like a partner's name: that was where or what it is
_DESCRIBED_NEXT = fastre.compile(rf"[ \t]+(?:{_alternation(DESCRIPTORS)})[ \t]+[A-Z]")

_TRIGGERS = {
    # a name ending "Venture Fund" or "Animal Health" is found from its last word
    "designator": fastre.Literals(list(dict.fromkeys(d.split()[-1] for d in DESIGNATOR_WORDS)), whole_words=True),
    "legal": fastre.Literals(LEGAL_FORMS, whole_words=True),
    "ticker": fastre.compile(rf"\(\s*(?:{_EXCHANGE})\b"),
    "apposition": fastre.compile(r",\s+(?:a|an)\s"),
    "descriptor": fastre.Literals(DESCRIPTORS, whole_words=True),
    "institution": fastre.Literals(["University", "Institute", "College"], whole_words=True),
    "government": fastre.Literals(["government", "Government"], whole_words=True),
    "relation": fastre.Literals(list(_RELATIONS), whole_words=True),
}
_NAME_PATTERNS = {
    "designator": _COMPANY_BY_DESIGNATOR,
    "legal": _COMPANY_BY_LEGAL,
    "ticker": _COMPANY_BY_TICKER,
    "apposition": _COMPANY_BY_APPOSITION,
    "descriptor": _COMPANY_BY_DESCRIPTOR,
    "institution": _INSTITUTION,
    "government": _GOVERNMENT,
    "relation": _COMPANY_BY_RELATION,
}
# A partner named right after a deal phrase: "a collaboration with OpenAI", "partners with Acme".
_PARTNER_CUE = fastre.compile(
    r"\b(?:collaborat(?:es|ed|ing|ion)|partner(?:s|ed|ing|ship)?|agreements?|alliance|team(?:s|ed)? up"
    r"|co-invest(?:s|ed|ing)?|jointly \w+(?: and \w+)?) with (?:the )?"
)
_WITH = fastre.compile(" with ")
# "the University of Alberta", "the Comprehensive Center for Brain Health" are one name
_PARTNER_NAME = fastre.compile(
    rf"(?P<name>{_NAME_TOKEN}(?:{_SP}(?:(?:&|of|for|of the){_SP})?{_NAME_TOKEN}){{0,4}})(?![\w-])"
)
# "Phase 2", "FDA", "a CDMO Service Agreement with": a trial part, a regulator or a contract, no company
# a headline's words, never a name's ("Long Track Record of Making Its Medicines and Vaccines Accessible")
_PRONOUN_INSIDE = r"\b(?:Its|Their|Our|Your|His|Her)\b"
_HEADLINE_WORDS = fastre.compile(_PRONOUN_INSIDE)
NOT_A_NAME = fastre.compile(
    r"^(?:[A-Z]\w*\s)*(?:Phase|Part|Cohort|Section|Article|Regulation|FDA|U\.S\.|US|EU)\b|\d"
    rf"|\b(?:Agreements?|Contracts?|Transactions?|Deals?|Offerings?|Mergers?)$|{_PRONOUN_INSIDE}"
)


def find_partners(text: str) -> list[Mention]:
    """Names right after "collaboration with", "partners with", "agreement with": the other
    party of a deal is often a company the text gives no suffix ("a collaboration with OpenAI")."""
    found = []
    for cue in fastre.finditer_near(text, _WITH, _PARTNER_CUE, after=5, before=60):
        match = _PARTNER_NAME.match(text, cue.end())
        if match is None or _PERSON_TITLE.match(match.group("name")):
            continue
        name, start = trim_leading(match.group("name"), match.start("name"))
        name = name.split(". ", 1)[0].rstrip(".,")  # "the University of Alberta. The ..."
        if len(name) < 2 or name.split(" ")[0] in LEADING_STOP or NOT_A_NAME.search(name):
            continue
        if _DESCRIBED_NEXT.match(text, start + len(name)):  # "with Fiji Islands company Makans": a place
            continue
        found.append(Mention("company", start, start + len(name), name, f"p:{name.lower()}", "partner"))
    return found


# "Borealis Therapeutics and Kallen Pharma, Inc.", "AC Immune SA and ImmuNext, Inc.": a name complete
# at its designator or legal form, joined to the next by "and", is two companies, not one
# ("Procter and Gamble Co." is one)
_TWO_NAMES_JOINED = fastre.compile(rf"(?:\b(?:{DESIGNATORS})|(?:{LEGAL})(?![\w]))[ \t]+(?:and|&)[ \t]+[A-Z]")


def find_companies(text: str) -> list[Mention]:
    """Company names recognised by shape: "<Name> Therapeutics", "<Name>, Inc.",
    "<Name> (NASDAQ: ABC)", "<Name>, a clinical-stage biotech company", "a collaboration with <Name>"."""
    found: dict[tuple[int, int], Mention] = {(m.start, m.end): m for m in find_partners(text)}
    for source, pattern in _NAME_PATTERNS.items():
        after = {"apposition": 120, "institution": 60}.get(source, 40)
        for match in fastre.finditer_near(text, _TRIGGERS[source], pattern, after):
            name, start = trim_leading(match.group("name"), match.start("name"))
            name = name.rstrip(" ,")
            if source == "institution":  # "the University of Oxford. The trial ...": the name comes first
                name = name.split(". ", 1)[0].rstrip(".")
            sentence_end = _SENTENCE_INSIDE.search(name)
            if sentence_end:  # "... Longevity and Lionheart Health. Lionheart Health, Inc."
                start += sentence_end.end()
                name = name[sentence_end.end() :]
            joined = _TWO_NAMES_JOINED.search(name) if source == "legal" else None
            if joined:  # two names joined: the first ends at its own form, the second at this one
                first = name[: joined.start() + len(joined.group().split()[0])]
                if " " in first:
                    found.setdefault((start, start + len(first)), _company(first, start, source))
                start += joined.end() - 1
                name = name[joined.end() - 1 :]
            if (
                len(name) < 3
                or name in _DESIGNATOR_ALONE  # "Merck Has Completed Manufacturing": no name before it
                or name.split(" ")[0] in LEADING_STOP
                or _HEADLINE_WORDS.search(name)
                or (source == "apposition" and _TITLE_BEFORE.search(text, max(0, start - 6), start))
                or (source in ("institution", "government") and " " not in name)  # "The University said"
                or (source == "descriptor" and (WEEKDAY_OR_MONTH.match(name) or NOT_A_NAME.search(name)))
                or re.search(r"\b(?:Merger|Acquisition) Sub\b", name)
            ):
                continue
            found.setdefault((start, start + len(name)), _company(name, start, source))
    return list(found.values())


def _company(name: str, start: int, source: str) -> Mention:
    return Mention("company", start, start + len(name), name, f"p:{name.lower()}", source)


# "NCT01234567", "FY2023", "Q3-2024": code-shaped, but no drug code
_CODE_EXCLUDE = fastre.compile("^(?:" + "|".join(row.source for row in rules.load("code_exclusions")) + ")", re.I)
# The name patterns below start by consuming a capital and check the character before it after
# that ("[A-Z](?<![\w-].)" rather than "(?<![\w-])[A-Z]"): a pattern that starts with a character
# class lets the engine skip straight to the capitals.
_CODE_NAME = fastre.compile(
    r"(?P<code>[A-Z](?<![\w-].)(?:[A-Za-z]{0,3}-?\d{3,8}[A-Za-z]?\d?(?:-[A-Z0-9]{1,4})?"
    r"|[A-Z]{1,3}-[a-z]\d{1,3}|[A-Z]{1,3}-[A-Z]{3,6}\d?))(?![\w-])"
)


# "HX-7", "CVX-12": a short code is a drug only where the words around it say so ("its oral GLP-1
# agonist HX-7", "CVX-12, an oral small molecule"); alone it is as often a gene, a form or a model
_SHORT_CODE = fastre.compile(r"(?P<code>[A-Z](?<![\w-].)[A-Z]{1,4}-\d{1,2})(?![\w-])")
_DRUG_NOUN = r"(?:drug|asset|antibody|agonist|antagonist|inhibitor|degrader|molecule|candidate|therapy|vaccine|compound|program|programme|pill|conjugate)s?"
_DRUG_BEFORE = fastre.compile(rf"\b{_DRUG_NOUN},?\s+$", re.I)
# "CVX-12, an oral small molecule", "ORV-3, Orvane Bio's phase 2 kidney drug"
_DRUG_AFTER = fastre.compile(
    rf",\s+(?:an?|its|the|[A-Z][\w-]*(?:\s[A-Z][\w-]*){{0,2}}[’']s?)\s+(?:[\w’'-]+\s+){{0,4}}?{_DRUG_NOUN}\b", re.I
)


def find_code_names(text: str) -> list[Mention]:
    """Drug code names such as SAR443579, LY3437943, MK-0616, AK1780, IMP-321, PF-07220060, and
    short ones ("HX-7") the words around them call a drug."""
    found = []
    for match in _CODE_NAME.finditer(text):
        code = match.group("code")
        if _CODE_EXCLUDE.match(code) or re.fullmatch(r"[A-Z][a-z]+-?\d{4}", code):  # "June2023"
            continue
        if re.search(r"\d[A-Z]?-\d{3}$", code):  # a protocol number ("MK-8591A-051") names a trial
            continue
        found.append(Mention("drug", match.start(), match.end(), code, f"p:{squash(code)}", "code"))
    for match in _SHORT_CODE.finditer(text):
        code, start, end = match.group("code"), match.start(), match.end()
        if _CODE_EXCLUDE.match(code):
            continue
        if _DRUG_BEFORE.search(text, max(0, start - 30), start) or _DRUG_AFTER.match(text, end, end + 80):
            found.append(Mention("drug", start, end, code, f"p:{squash(code)}", "code"))
    return found


# International nonproprietary name stems (WHO): pembrolizumab, sotorasib, tirzepatide, ...
_STEM_ROWS = rules.load("inn_stems")
INN_STEMS = tuple(row.id for row in _STEM_ROWS if row["recognise"])
_INN_SECOND_WORDS = ("alfa", "alpha", "beta", "pegol", "vedotin", "deruxtecan", "govitecan")
# A marked name followed by what it is, when that is no medicine: "TearScan® IgE diagnostic tests",
# "the Venowave™ VW5 device", "PredictBBB.ai™ platform"
_NOT_A_MEDICINE_NEXT = fastre.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:diagnostic|test|tests|assay|kit|device|devices|system|platform|software|app|reader"
    r"|camera|scanner|monitor|sensor|robot|wearable|patch)\b"
)
# Marked names of meetings are no medicines: "The Liver Meeting®", "BIO International Convention®"
_EVENT_NAME = fastre.compile(r"\b(?:Meeting|Congress|Conference|Convention|Summit|Symposium|Forum|Expo)$")
# Brand names are marked: "Zepbound®", "KEYTRUDA®", "Mounjaro™"
_MARKED_BRAND = fastre.compile(r"(?<![\w-])(?P<name>[A-Z][A-Za-z0-9-]{2,}(?:[ ][A-Z][A-Za-z0-9-]+)?)[ ]?(?:®|™|\(R\))")
_INN_FALSE = frozenset(row.id for row in rules.load("inn_false_positives"))  # "excel", "peptide"


# "the ANKET platform", "B7H3 ANKET program", "oRNA technology", "GDF15 program"
_PROGRAM = fastre.compile(
    r"(?<![\w-])(?P<name>(?:(?=[\w-]*[A-Z0-9])(?![A-Z][a-z]+\b)[\w-]+[ ]){0,2}(?=[\w-]*[A-Z0-9])(?![A-Z][a-z]+\b)[\w-]*[A-Z][\w-]*"
    r"|(?:[A-Z][a-z]+[ ]){2,4}[A-Z][a-z]+)"  # or three to five capitalised words
    r",?[ ](?P<head>program|programme|platform|technology)\b"
)
_PROGRAM_STOP = {"The", "Our", "Its", "This", "That", "Their", "Company", "Phase", "New", "Global"}


_PROGRAM_HEAD = fastre.Literals(("program", "programme", "platform", "technology"), whole_words=True)


def find_programs(text: str) -> list[Mention]:
    """Named programs and platforms: a name with a capital or digit before "program",
    "platform" or "technology" ("B7H3 ANKET program", "MEPS platform", "oRNA technology")."""
    found = []
    for match in fastre.finditer_near(text, _PROGRAM_HEAD, _PROGRAM, after=12):
        name = match.group("name")
        if (name.isupper() and len(name) <= 3) or _CODE_EXCLUDE.match(name) or name.split()[0] in _PROGRAM_STOP:
            continue
        full = match.group().replace(",", "")
        if full != match.group():  # "GDF15, program": keep the span, name it without the comma
            full = name + " " + match.group("head")
        found.append(Mention("drug", match.start("name"), match.end(), full, f"p:{squash(full)}", "program"))
    return found


_MECHANISM = fastre.compile(
    r"(?P<name>(?:anti-)?(?=[\w-]*[A-Z])(?=[\w-]*[0-9A-Z]{2})[A-Za-z0-9-]{2,15}[ ]"
    r"(?:inhibitors?|antagonists?|agonists?|degraders?|antibod(?:y|ies)|modulators?|activators?))\b"
)


_MECHANISM_HEAD = fastre.Literals(
    ("inhibitor", "antagonist", "agonist", "degrader", "antibod", "modulator", "activator")
)


# "EB06, its CXCL10 monoclonal antibody": the mechanism describes the drug just named
_DESCRIBES_NAMED = fastre.compile(r",\s+(?:its|their|our|a|an|the)\s+(?:[\w-]+\s+){0,4}$")


def find_mechanism_assets(text: str, named_drugs: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Assets named by target and mechanism: "SARM1 inhibitors", "anti-LAP antibodies",
    "GLP-1 receptor agonist" is left to the vocabulary. These nest around target mentions. One
    in apposition to a drug of ``named_drugs`` (its ``(start, end)``) describes that drug and is none."""
    found = []
    ends = sorted(end for _, end in named_drugs)
    for match in fastre.finditer_near(text, _MECHANISM_HEAD, _MECHANISM, after=14):
        if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] == "-"):
            continue
        name = match.group("name")
        if name.split()[0] in _PROGRAM_STOP:
            continue
        before = bisect.bisect_right(ends, match.start()) - 1
        if before >= 0 and _DESCRIBES_NAMED.fullmatch(text, ends[before], match.start()):
            continue
        found.append(Mention("drug", match.start(), match.end(), name, f"p:{squash(name)}", "mechanism"))
    return found




def _stem_modalities() -> tuple[tuple[tuple[str, ...], str], ...]:
    """``((stems, modality), ...)`` grouped by modality in row order; a stem that ends in
    another states the same modality (checked on load), so the order of groups decides nothing."""
    groups: dict[str, list[str]] = {}
    for row in _STEM_ROWS:
        if row.get("modality") is not None:
            groups.setdefault(row["modality"], []).append(row.id)
    return tuple((tuple(stems), modality) for modality, stems in groups.items())


# The modality an INN stem states (WHO stem book); stems are matched as word endings, so
# "dotin" covers vedotin and mafodotin, "tecan" deruxtecan and govitecan, "tide" glutide.
INN_STEM_MODALITIES = _stem_modalities()
_STEM_AUTOMATON = ahocorasick_rs.AhoCorasick(list(INN_STEMS))
_BRAND_MARK = fastre.compile(r"®|™|\(R\)")


def joins_word(character: str) -> bool:
    """Whether ``character`` continues a word (a letter, digit, _ or hyphen)."""
    return character.isalnum() or character in "_-"


def _inn_words(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of whole lowercase words of five letters or more that end in an INN
    stem: stem occurrences come from one automaton pass, so the text's other words cost nothing."""
    last_end = -1
    for _, stem_start, end in _STEM_AUTOMATON.find_matches_as_indexes(text, overlapping=True):
        if end == last_end or (end < len(text) and joins_word(text[end])):
            continue  # another stem ending here, or the word goes on
        start = stem_start
        while start and "a" <= text[start - 1] <= "z":
            start -= 1
        if end - start >= 5 and not (start and joins_word(text[start - 1])):
            last_end = end
            yield start, end


def find_drug_names(text: str) -> list[Mention]:
    """Drug names by shape: INN stems ("velarutide", "sotorasib") and marked brands ("Zepbound®")."""
    found = []
    covered = 0
    for start, end in _inn_words(text):
        if start < covered or text[start:end] in _INN_FALSE:
            continue
        second = text[end + 1 : end + 12].split(" ", 1)[0].rstrip(".,;:)")
        if text[end : end + 1] == " " and second in _INN_SECOND_WORDS:
            end += 1 + len(second)
        name = text[start:end]
        covered = end
        found.append(Mention("drug", start, end, name, f"p:{squash(name)}", "inn-stem"))
    brands: dict[str, None] = {}
    for match in fastre.finditer_near(text, _BRAND_MARK, _MARKED_BRAND, after=4):
        name = match.group("name")
        if _NOT_A_MEDICINE_NEXT.match(text, match.end(), match.end() + 60) or _EVENT_NAME.search(name):
            continue
        found.append(Mention("drug", match.start("name"), match.end("name"), name, f"p:{squash(name)}", "brand"))
        brands[name] = None
    # a brand marked once is the drug wherever the text names it ("Gardasil® ... demand for Gardasil")
    marked = {(m.start, m.end) for m in found}
    for match in _unmarked_mentions(text, list(brands)):
        if match.span() not in marked:
            name = match.group()
            found.append(Mention("drug", match.start(), match.end(), name, f"p:{squash(name)}", "brand"))
    return found


def _unmarked_mentions(text: str, names: list[str]) -> Iterator[re.Match[str]]:
    """Where one of ``names`` stands as a whole word, in its own case or, for a capitalised brand,
    in capitals ("Keytruda", "KEYTRUDA"): one pass for all of them."""
    if not names:
        return iter(())
    forms = {form for name in names for form in (name, name.upper() if name[1:].islower() else name)}
    alternation = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text)


_TRIAL_WORDS = r"(?:trial|study|studies|program|programme)"
_NAMED_TRIAL = fastre.compile(
    r"(?P<name>[A-Z](?<![\w-].)(?:[A-Z]+(?:-[A-Z]{2,})+-\d{2,4}|[A-Za-z]*[A-Z][A-Za-z]*(?:[- ]?[A-Z][a-z]+)?-?\s?\d{1,4}"
    r"[A-Za-z]?(?:-\d+)?|(?<=N)CT\d{8}))(?![\w-])"
)
_CAPS_TRIAL = fastre.compile(
    r"(?P<name>[A-Z](?<![\w-].)(?:[A-Z]{3,}(?:-[A-Z0-9]+)*|[A-Za-z]*[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z0-9]*)+"
    r"|[a-z]{3,}-\d{1,3}[a-z]?|[a-z]+[A-Z][A-Za-z]*))\s+(?:\(?Phase\s+[0-9IV/abAB]+\)?\s+)?" + _TRIAL_WORDS + r"\b"
)
# an upper-case word and its number, as trials are named ("PURPOSE 2", "SYMPHONY 2"), but not a
# part of a document or a study ("PHASE 3", "TABLE 2", "COVID 19")
_SPACE_NUMBERED = re.compile(r"(?!(?:PHASE|PART|STAGE|TABLE|FIGURE|COHORT|ARM|GROUP|DAY|WEEK|MONTH|YEAR|COVID|SECTION|ITEM|NOTE|STEP|LEVEL|GRADE|TYPE|CLASS|TIER)\b)[A-Z]{4,} \d{1,2}")
# "the phase 3 Purpose 2 trial", "the Phase 1/2 AK-OTOF-101 study": a name-shaped word (a digit or
# an inner capital) between a phase and the trial word is the trial's name
_PHASE_NAMED_TRIAL = fastre.compile(
    r"\b[Pp]hase\s+(?:[1-4]|I{1,3}V?)[ab]?(?:/(?:[1-4]|I{1,3})[ab]?)?\s+"
    r"(?P<name>(?=[\w-]*(?:\d|[a-z][A-Z]|[A-Z]{2})|[A-Z][a-z]+\s\d)[A-Z][\w-]*[A-Za-z0-9](?:\s\d{1,3})?)\s+(?:[Cc]linical\s+)?"
    r"(?:trial|study|[Tt]rial|[Ss]tudy)\b"
)
_TRIAL_CONTEXT = fastre.compile(r"\b(?:trial|study|studies|Phase|phase|data|results|endpoint|enrolled|NCT\d+)\b")


def find_trials(text: str, exclude: set[str] = frozenset()) -> list[Mention]:
    """Trial names: registry numbers (NCT01234567), hyphen-numbered names near trial words
    (KEYNOTE-189, TACTI-002, SURMOUNT-1, DESTINY-Breast03) and capitalised names directly
    before "trial"/"study" (the BELIEVE Phase 2b study). ``exclude`` holds names known to be
    something else (drug codes, gene symbols)."""
    found: dict[tuple[int, int], Mention] = {}
    for match in _NAMED_TRIAL.finditer(text):
        name = match.group("name")
        if name in exclude or (_CODE_EXCLUDE.match(name) and not re.fullmatch(r"NCT\d{8}", name)):
            continue
        is_registry = name.startswith("NCT")
        shaped = re.match(r"[A-Z]{5,}|[A-Z][A-Za-z]*[a-z][A-Z]", name) or re.search(r"\d[A-Z]?-\d{3}$", name)
        window = text[max(0, match.start() - 80) : match.end() + 80]
        numbered = "-" in name or bool(_SPACE_NUMBERED.fullmatch(name))  # "SURMOUNT-1", "PURPOSE 2"
        if is_registry or (shaped and numbered and _TRIAL_CONTEXT.search(window)):
            found[(match.start(), match.end())] = Mention(
                "trial", match.start(), match.end(), name, f"p:{squash(name)}", "trial"
            )
    for pattern in (_CAPS_TRIAL, _PHASE_NAMED_TRIAL):
        for match in pattern.finditer(text):
            name = match.group("name")
            if name in exclude or (match.start("name"), match.end("name")) in found or name.split()[0] in LEADING_STOP:
                continue
            found[(match.start("name"), match.end("name"))] = Mention(
                "trial", match.start("name"), match.end("name"), name, f"p:{squash(name)}", "trial"
            )
    return list(found.values())


def squash(name: str) -> str:
    """Lowercase letters and digits only: the key under which code names are compared."""
    return re.sub(r"[^a-z0-9]", "", name.lower())
