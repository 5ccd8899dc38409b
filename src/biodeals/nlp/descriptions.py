"""What a document says a company does: its apposition ("Mainz Biomed, a molecular diagnostics
company, ...") or self-description ("Lionheart Health is a bioelectric regenerative medicine
company ..."), and whether that makes it a developer of medicines.

A deal belongs in a biopharma database when one side develops, makes or licenses medicines; a
partnership between an AI-pathology firm and a cloud provider, or a clinic chain buying a clinic,
does not, however often the release says "patients" and "clinical".
"""

from __future__ import annotations

import re
from typing import Literal

from biodeals import fastre
from biodeals.nlp.spans import Entity

Kind = Literal["medicines", "other"]

# "X, a ...", "X (NASDAQ: XX), the ...", "X, one of India's leading ..."; and "X is a ..." or
# "X, operating in collaboration with Y, is a ..." (the first sentence of an About section)
_AFTER_NAME = fastre.compile(
    r"(?:[’']s)?(?:\s*\([^()]{0,60}\))*"
    r"(?:,\s+(?:a|an|the|one of(?: the)?)\s+|(?:,[^.;]{0,100}?,)?\s+(?:is|was|are|has been)\s+(?:a|an|one of(?: the)?)\s+)"
    r"(?P<description>(?:[^.;()]|\([^().;]{1,30}\)){3,160})"
    r"|(?:,[^.;]{0,60}?,)?\s+(?:operates|runs|owns|manages)\s+(?P<operated>[^.;()]{3,160})"  # "Dura operates clinics"
)
# "healthcare technology company xCures", "global therapeutics giant Catalent"
_DESCRIPTOR_HEAD = r"(?:company|firm|provider|giant|maker|developer|leader|group|consultancy|clinics?|hospitals?)"
_BEFORE_NAME = fastre.compile(rf"(?P<description>(?:[\w-]+\s+){{1,4}}{_DESCRIPTOR_HEAD})\s*,?\s*$", re.I)
_HEAD_BEFORE_NAME = fastre.compile(rf"{_DESCRIPTOR_HEAD}\s*,?\s*$", re.I)  # cheap test before _BEFORE_NAME
# The head of a description: what the company is, before what it does ("a clinical-stage company
# specializing in ...", "a global leader in AI-powered pathology").
_HEAD = fastre.compile(
    r"^.*?\b(?:compan(?:y|ies)|corporation|provider|firm|organi[sz]ation|developer|manufacturer|maker|innovator"
    r"|business|consultancy|agency|clinic|institute|startup|start-up|operator|subsidiary|network|CDMO|CRO|CMO"
    r"|leader|pioneer|specialist|player|expert|group|giant)\b"
    r"(?:\s+(?:in|of|for)\s+[^,]{0,60})?",
    re.I,
)
_MEDICINES = fastre.compile(
    r"\b(?:bio-?pharma\w*|pharma\w*|biotech\w*|biotherapeutic\w*|therapeutics?|therap(?:y|ies)|drugs?|medicines?"
    r"|vaccines?|clinical-stage|preclinical-stage|development-stage|antibod(?:y|ies)|biologics|oncology|immuno\w*"
    r"|gene[- ]editing|cell[- ]based|CDMO|CRO|CMO|contract (?:development|research|manufacturing)"
    r"|(?:bio)?manufactur\w+ organi[sz]ation|life sciences? tools?|radiopharm\w*|peptides?|RNA|nucleic)\b",
    re.I,
)
_OTHER = fastre.compile(
    r"\b(?:diagnostics?|device|devices|medtech|medical technology|surgical|robot\w*|syringes?|imaging|tracers?"
    r"|(?:health(?:care)?|digital health|information|financial) technology|(?:technology|services|software|data) (?:provider|firm)"
    r"|tele(?:medicine|health)|software|SaaS|AI|AI-\w+|artificial intelligence|machine learning|analytics|data"
    r"|clinics?|hospitals?|care delivery|services|pathology"
    r"|wellness|spa|beverages?|nutraceuticals?|supplements?|cosmetics?|skincare|cannabis|CBD|hemp"
    r"|consult\w*|agency|marketing|communications|public relations|media|publish\w*|news|advisory|investment bank\w*|law firm"
    r"|mining|lithium|minerals?|seeds?|crops?|agri\w*|crypto\w*|bitcoin|blockchain|digital assets?|custody"
    r"|insurers?|insurance|health plans?|staffing|real estate|exhibitions?|trade (?:fair|show)s?|science parks?"
    r"|non-?profit|charit\w+|advocacy|patient organi[sz]ation)\b",
    re.I,
)

# Head nouns that name another trade whatever words qualify them
_OTHER_TRADE = fastre.compile(
    r"\b(?:consultancy|agency|clinic|law firm|investment bank|hospital group|distributor|logistics)\b", re.I
)


def classify_description(description: str) -> Kind | None:
    """ "medicines" when the head of a description makes the company a developer, maker or
    licensor of medicines, "other" when it names another trade, None when it says neither."""
    head_match = _HEAD.match(description)
    head = head_match.group(0) if head_match else description[:80]
    if _OTHER_TRADE.search(head):  # "a biopharmaceutical strategy consultancy"
        return "other"
    # then what it does, when what it is says neither ("an emerging technology company
    # developing solutions in artificial intelligence")
    for words in (head, description):
        if _MEDICINES.search(words):
            return "medicines"
        if _OTHER.search(words):
            return "other"
    return None


# Names that say the trade: "Unbuzzd Wellness Inc.", "Quest Diagnostics", "Kadima Clinic"
_OTHER_NAME = fastre.compile(
    r"\b(?:Wellness|Spa|Clinics?|Counseling|Counselling|Diagnostics|Dx|DX|Nutrition|Beverages?|Cosmetics|Lithium|Mining)\b"
)


_FIRST_MENTIONS = 5
_ABOUT = "About"


def descriptions(company: Entity, text: str) -> list[tuple[int, int]]:
    """Where ``text`` describes ``company``: at its first mentions or in its "About" section."""
    found = []
    mentions = sorted(company.mentions, key=lambda m: m.start)
    for index, mention in enumerate(mentions):
        if index >= _FIRST_MENTIONS and _ABOUT not in text[max(0, mention.start - 60) : mention.start]:
            continue
        after = _AFTER_NAME.match(text, mention.end, mention.end + 300)
        if after:
            found.append(after.span("description") if after.group("description") else after.span("operated"))
        if _HEAD_BEFORE_NAME.search(text, max(0, mention.start - 20), mention.start):
            before = _BEFORE_NAME.search(text, max(0, mention.start - 80), mention.start)
            if before:
                found.append(before.span("description"))
    return found


def company_kind(company: Entity, text: str, described: list[tuple[int, int]] | None = None) -> Kind | None:
    """What ``text`` says ``company`` is, from every description of it (``described``, when the
    caller has them already): "medicines" if any says so, "other" if some describe another trade
    (or its name does), None when the text does not say."""
    if described is None:
        described = descriptions(company, text)
    kinds = {"other"} if _OTHER_NAME.search(company.name) else set()
    kinds |= {classify_description(text[start:end]) for start, end in described}
    if "medicines" in kinds:
        return "medicines"
    return "other" if "other" in kinds else None
