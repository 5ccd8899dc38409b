"""Who is on which side of a deal: buyer-side and seller-side cues read around each party's
mentions."""

from __future__ import annotations

import re

from biodeals import fastre
from biodeals.model import BUYER_ROLE, SELLER_ROLE, DealType, Role
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.sentences import POSSESSIVE_AFTER, STAKE_WORDS, SUBJECT_ANAPHOR, DealSentence
from biodeals.nlp.ranges import mentions_in
from biodeals.nlp.spans import Entity

SUBJECT_ROLES = frozenset({Role.TARGET, Role.LICENSOR, Role.INVESTEE})


_FUND_WORDS = r"Ventures?|Capital|Fund|Investments?"
FUND_NAME = fastre.compile(rf"\b(?:{_FUND_WORDS})\b")
INVESTOR_NAME = fastre.compile(rf"\b(?:{_FUND_WORDS}|Partners|Equity)\b")


# Cues that a company is on the buyer side (acquirer, licensee, investor, client, payer) or the
# seller side (target, licensor, investee, provider, payee), read right after or right before
# one of its mentions in a deal sentence.
_NEW_CLAUSE = r"(?![’']?s?\W{0,3}(?:as|while|when|because|since|if|but|who|which|that)\b)"
# "has licensed ZN-c3, ZN-c5 and ZN-d5 to its joint venture, Zentera", "will license certain
# manufacturing know-how to enable EVA Pharma": whoever licenses a thing to a company licenses it out
_LICENSED_OUT = r"licen[cs](?:e|es|ed|ing)\b(?=[^.;]{1,80}?\bto\s+(?:(?:enable|allow|help)\s+)?(?:the\s+|its\s+(?:[\w-]+[\s,]+){1,3}?)?(?-i:[A-Z]))"
_BUYER_AFTER = fastre.compile(
    rf"^{_NEW_CLAUSE}[’']?s?\W{{0,3}}(?:\w+\W+){{0,3}}?"
    r"(?:will |has |have |had |agreed to |to |is to |would )?"
    rf"(?:acquir(?!ed by)|buy|bought|purchas(?!e (?:price|agreement|order|contract))|(?!{_LICENSED_OUT})licens(?:e|es|ed|ing)\b(?! to| by| its| their| agreements?| framework| partners?| payments?| revenues?| income| deal| (?:and|or) [\w-]+ (?:agreements?|deals?|contracts?|collaborations?|partnerships?|alliances?))|in-licens|invest|pay|paid"
    r"|make (?:an? )?(?:upfront |equity |one-time )?(?:payment|investment)|led |lead |participat|obtain|gain"
    r"|receives? (?:an? )?(?:exclusive |worldwide |global )*(?:rights|license|licence|option)|exercis"
    r"|(?:be|been|was|were|is) granted|co-invest)",
    re.I,
)
_SELLER_AFTER = fastre.compile(
    rf"^{_NEW_CLAUSE}[’']?s?\W{{0,3}}(?:\w+\W+){{0,3}}?"
    r"(?:will |to |may |is eligible to |could |would |has |shareholders (?:will|could|would) )?"
    r"(?:receive[sd]? (?:up to |an? |the |an aggregate of |a total of )?(?:upfront|\$|US\$|€|£|payments?|milestones?|royalt|cash|consideration)"
    rf"|be (?:eligible|entitled) to receive|(?<!be )(?<!been )(?<!was )(?<!is )grant|out-licens|{_LICENSED_OUT}|sell|sold|sale of|divest|be acquired"
    r"|was acquired|has been acquired|(?:was|were|is) (?:co-)?founded"
    r"|raised|rais|clos\w+ (?:a|an|its) .{0,30}financing|supply|manufactur|provide)",
    re.I,
)
# "the Prometheus and Imago acquisitions", "following the Imago acquisition": the company bought
_BOUGHT_AS_NOUN = fastre.compile(r"^\s+(?:acquisition|buyout|takeover)s?\b")
_BUYER_BEFORE = fastre.compile(
    r"(?:acquired by|be acquired by|led by|paid by|licen[cs]ed to|licen[cs]e to|rights to|granted|grants?"
    r"|licen[cs]es to [^.;]{0,30}? and to"  # "licenses to generic manufacturers and to the Medicines Patent Pool"
    r"|investment (?:from|by)|participation (?:from|of)|investors? (?:including|such as)|on behalf of|client|customer"
    r"|(?:co-)?founded (?:in \d{4} )?by|provided by|enabl\w+|allow\w+)"
    r"\W+(?:the\s+)?$",
    re.I,
)
_SELLER_BEFORE = fastre.compile(
    r"(?:acquisition of|acquire|acquires|acquiring|to buy|purchase of|licen[cs]e from|licen[cs]ed from|rights from"
    r"|(?:will |to )?(?:pay|pays|paid|paying)"  # "Tessaly will pay the Company an upfront payment"
    r"|(?:discovered|invented|originated|created) (?:by|at)"  # "discovered by Chugai and licensed by Lilly"
    r"|invest(?:ment|s|ed)? (?:of \S+ )?in|stake in|shares of|option to acquire|manufactured by|supplied by|from"
    r"|granted by|(?:doses|courses|units|vials|shipments|supplies|supply) of"  # "the license granted by Merck", "doses of Lilly's"
    rf"|(?:disposition|divestiture|divestment|spin-?off) of{STAKE_WORDS})"
    r"\W+(?:the\s+)?$",
    re.I,
)


# "the agreement to sell the rights of the olanzapine portfolio, including Zyprexa, to Cheplapharm":
# whom a thing is sold to is the buyer, however far the words between reach
_SOLD_TO = fastre.compile(
    r"\b(?:sell|sells|selling|sold|sale of|divest\w*|suppl(?:y|ies|ied|ying)|deliver\w*|grant(?:s|ed|ing)?|licen[cs](?:es|ed|ing))\b"
    r"(?:[^.;]|\.(?=\d)|(?:(?<=Inc)|(?<=Co)|(?<=Corp)|(?<=Ltd))\.){0,200}?\bto\W+(?:the\s+|its\s+(?:[\w-]+[\s,]+){1,3}?)?$",
    re.I,
)

# "rights to Halcyon's oral GLP-1 agonist", "acquired GSK's Strimvelis": the owner of the drug whose
# rights a deal grants or sells is its seller side (not "Lilly's acquisition of ...", not
# "supply capacity for Lilly's potential therapies", where the owner buys a service)
_RIGHTS_TO_BEFORE = fastre.compile(
    r"\b(?:(?:rights|licen[cs]e|option)\s+(?:to|for|on)|acqui\w+|purchase of|(?:related|relating) to)\s+(?:the\s+)?$",
    re.I,
)
_OWNER_OF_DRUG = fastre.compile(
    r"[’']s?\s+(?:(?!(?:its|their|the|an?|of|for|to|in|beyond|and|with|from)\b)[\w-]+\s+){0,3}?(?:drugs?|assets?|antibod(?:y|ies)|therap(?:y|ies)|candidates?|programs?"
    r"|molecules?|agonists?|antagonists?|inhibitors?|compounds?|pills?|vaccines?|rights)\b",
    re.I,
)
# "an exclusive worldwide license to NGM's growth differentiation factor 15, or GDF15, program": a
# licence to a company's thing, however it is named, is the owner's to grant
_LICENSE_TO_BEFORE = fastre.compile(r"\b(?:licen[cs]e|rights)\s+to\s+$", re.I)

_GOVERNMENT = fastre.compile(r"\b(?:[Gg]overnments?|Ministry|Department of Health)\b")
# the words before the company an agreement is "with"
WITH_BEFORE = fastre.compile(r"\bwith\s+(?:the\s+)?$", re.I)
_INFINITIVE_AFTER = fastre.compile(r"\s+to\s+(?!be\b)")

# "WuXi Biologics, a company offering ... manufacturing," is cast as the provider
_PROVIDER_APPOSITION = fastre.compile(
    r",\s+(?:a|an)\s+[^.;]{0,220}?\b(?:CDMO|CMO|contract (?:development|research|manufacturing)|manufacturing)\b"
)


def side_score(entity: Entity, sentences: list[DealSentence], text: str) -> int:
    """Positive when the text casts ``entity`` as the buyer side, negative as the seller side."""
    score = 0
    for sentence in sentences:
        spans = [(m.start, m.end) for m in mentions_in(entity, sentence.start, sentence.end)]
        if not spans and entity in sentence.companies:  # "The company sold its FC2 business": the story's company
            spans = [(sentence.start + a.start(), sentence.start + a.end()) for a in SUBJECT_ANAPHOR.finditer(sentence.text)]
        for start, end in spans:
            after = text[end : min(sentence.end, end + 90)]
            before = text[max(sentence.start, start - 50) : start]
            if (_RIGHTS_TO_BEFORE.search(before) and _OWNER_OF_DRUG.match(text, end, min(sentence.end, end + 80))) or (
                _LICENSE_TO_BEFORE.search(before) and POSSESSIVE_AFTER.match(text, end)
            ):
                score -= 1
                continue
            sold_to = _SOLD_TO.search(text, max(sentence.start, start - 240), start)
            # "an agreement with the U.S. government to supply 300,000 vials": the verb is the subject's
            own_verb = not (WITH_BEFORE.search(before) and _INFINITIVE_AFTER.match(after))
            score += (own_verb and bool(_BUYER_AFTER.search(after))) + bool(_BUYER_BEFORE.search(before) or sold_to)
            score -= (own_verb and bool(_SELLER_AFTER.search(after) or _BOUGHT_AS_NOUN.match(after))) + bool(
                _SELLER_BEFORE.search(before)
            )
            score -= bool(_PROVIDER_APPOSITION.match(text, end, min(sentence.end, end + 260)))
    return score


# what a contract manufacturer or supplier is called where a text says what a company is
CONTRACT_MAKER = fastre.compile(
    r"\b(?:CDMO|CMO|contract (?:development|manufacturing)|manufacturing organi[sz]ation|(?:contract )?manufacturer|supplier"
    r"|(?:pharmaceutical|manufacturing|CDMO) services? (?:company|provider))s?\b",
    re.I,
)


def assign_roles(
    candidate: DealCandidate, primary: str, text: str, provider: Entity | None = None
) -> list[tuple[Entity, Role]]:
    """Each party's role: a round's investee and investors, partners of a collaboration, else
    the buyer and seller sides their cues cast them on (``provider``, given for a manufacturing
    or supply deal: the one party the text describes as a contract manufacturer or supplier,
    the seller side however the sentences word it)."""
    if primary == "equity" and candidate.investee is not None:  # a round: the company funded and its investors
        return [(c, Role.INVESTEE if c is candidate.investee else Role.INVESTOR) for c in candidate.companies]
    if len(candidate.companies) == 3 and any(s.joint for s in candidate.sentences):
        return _joint_roles(candidate, primary, text)
    first, second = candidate.companies[0], candidate.companies[1] if len(candidate.companies) > 1 else None
    if second is None:  # the sentence names one side; its cues say which ("BSV was acquired by ...")
        seller = side_score(first, candidate.sentences, text) < 0
        return [(first, (SELLER_ROLE if seller else BUYER_ROLE)[DealType(primary)])]
    if primary == "collaboration":
        return [(first, Role.PARTNER), (second, Role.PARTNER)]
    if primary == "equity":
        # the investee is the one company cast as the seller side, never a fund-shaped name
        ranked = sorted(
            candidate.companies,
            key=lambda c: (not INVESTOR_NAME.search(c.name), -side_score(c, candidate.sentences, text)),
        )
        return [(c, Role.INVESTOR) for c in ranked[:-1]] + [(ranked[-1], Role.INVESTEE)]
    first_score = side_score(first, candidate.sentences, text)
    second_score = side_score(second, candidate.sentences, text)
    buyer, seller = (second, first) if second_score > first_score else (first, second)
    if first_score == second_score and primary == "supply" and _GOVERNMENT.search(second.name):
        buyer, seller = second, first  # "an agreement with the U.S. government to supply 300,000 vials": it buys
    other_score = second_score if provider is first else first_score
    if provider in (first, second) and other_score >= side_score(provider, candidate.sentences, text):
        # the party described as a contract manufacturer provides, unless the sentences cast the
        # other as the seller more ("Lilly will supply API ... to EVA Pharma", a manufacturer)
        buyer, seller = (second, first) if provider is first else (first, second)
    return [(buyer, BUYER_ROLE[DealType(primary)]), (seller, SELLER_ROLE[DealType(primary)])]


def _joint_roles(candidate: DealCandidate, primary: str, text: str) -> list[tuple[Entity, Role]]:
    """"Merck and Ridgeback ... a supply agreement with UNICEF": the two named together share a
    side, the company the agreement is with takes the other (the buyer's, unless the sentences
    cast it as the seller); in a collaboration all three are partners."""
    *pair, other = candidate.companies
    if primary == "collaboration":
        return [(c, Role.PARTNER) for c in candidate.companies]
    kind = DealType(primary)
    other_sells = side_score(other, candidate.sentences, text) < 0
    pair_role, other_role = (BUYER_ROLE[kind], SELLER_ROLE[kind]) if other_sells else (SELLER_ROLE[kind], BUYER_ROLE[kind])
    return [(c, pair_role) for c in pair] + [(other, other_role)]
