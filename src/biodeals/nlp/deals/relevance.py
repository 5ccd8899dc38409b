"""Whether a deal candidate belongs in a biopharma database."""

from __future__ import annotations

import re

from biodeals import fastre
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.roles import FUND_NAME
from biodeals.nlp.descriptions import company_kind
from biodeals.nlp.ranges import Cover, mentions_in

# How much a deal must show that it is about medicines: drugs, modalities and drug-development
# words in its own sentences ("signals"), fewer when a party is a known or life-science-named company
SIGNALS_NAMED_OR_KNOWN = 1
SIGNALS_UNKNOWN = 2
# and how many life-science words the whole document must use, unless a party is life-science named
LIFE_SCIENCE_WORDS_KNOWN = 3
LIFE_SCIENCE_WORDS_UNKNOWN = 8

_BIOPHARMA_NAME = fastre.compile(
    r"\bBio(?=(?:,?\s+(?:Inc|Ltd|LLC|Corp|AG|SA|plc|GmbH)\.?)?$)"  # "Versanis Bio", not "Eco Bio Plastics"
    r"|\b(?:Therapeutics|Pharma\w*|Bio(?:sciences?|tech\w*|[Pp]harma\w*|logics|logical|therapeutics)|Medicines"
    r"|Oncology|Vaccines?|Immuno\w*|Animal Health)\b"
)


def named_for_life_science(name: str) -> bool:
    """Whether a company's name says it works on medicines ("Versanis Bio", "Innate Pharma")."""
    return bool(_BIOPHARMA_NAME.search(name))


# What a deal about medicines says in its own sentences; "patients", "clinical" and diseases alone
# are as common in releases about clinics, care services and health software.
_DRUG_DEVELOPMENT = fastre.compile(
    r"\b(?:drugs?|therapeutics?|therap(?:y|ies)|medicines?|clinical[- ](?:trials?|stage|stud(?:y|ies)|development|programs?)"
    r"|trials?|Phase (?:[1-4]|I{1,3}V?)\b|FDA|EMA|IND|NDA|BLA|preclinical|biotech\w*|(?:bio)?pharmaceuticals?|biopharma\w*"
    r"|oncology|antibod(?:y|ies)|molecules?|vaccines?|biologics?|(?:drug|product|lead|clinical|development) candidates?"
    r"|nasal sprays?|tablets?|capsules?|eye drops|ointments?|inhalers?|oral solutions?"
    r"|inhibitors?|agonists?|antagonists?|degraders?|modulators?|blockers?|treatments?)\b",
    re.I,
)
# drug words that name an industry or also fit devices and counselling
_WEAK_DRUG_WORDS = fastre.compile(r"therap(?:y|ies)|treatments?|biotech\w*|(?:bio)?pharmaceuticals?|biopharma\w*", re.I)
# What a deal is about when it is no medicine: tests, devices, software, coins
_NON_MEDICINE_PRODUCT = fastre.compile(
    r"\b(?:diagnostic|tests?|assays?|devices?|platforms?|software|apps?|AI|cameras?|scanners?|readers?|tracers?"
    r"|wearables?|robots?|syringes?|implants?|stimulators?|database|crypto\w*|bitcoin|custody|beverages?|supplements?"
    r"|investor (?:awareness|relations)|corporate communications|marketing|co-organi[sz]\w*|exhibitions?|webinars?)\b",
    re.I,
)


# Governments, agencies and charities buy and fund medicines, but naming one makes no release biopharma.
_PUBLIC_BODY = fastre.compile(
    r"\b(?:Government|Department|Ministry|Agency|Organization|Organisation|Authority|Fund|Foundation|Association"
    r"|University|Institute|UNICEF|BARDA|WHO|Economic Development|Commission|Council|Committee|Society|Office|Administration"
    r"|DOD|DoD)\b"
)
_SHAREHOLDER_ALERT = fastre.compile(
    r"\b(?:class action|securities (?:fraud|litigation)|investors who (?:purchased|acquired))\b", re.I
)


def is_biopharma(
    candidate: DealCandidate, analysis: Analysis, text: str, scope: list[tuple[int, int]], facts: DocumentFacts
) -> bool:
    """Whether a deal belongs in a biopharma database. The deal itself must be about medicines:
    its sentences (``scope``) name drugs or modalities or use drug-development words outside the
    parties' names, once when a party is a known or life-science-named company ("... Therapeutics"),
    else twice; a deal of a known life-science-named company, or an investment in any, needs no
    more. Unless a party is so named, the document must also talk like a life-science release;
    law-firm shareholder alerts never are. What the text says the parties are counts too: no
    medicines developer among the described parties (or a described non-medicines partner in a
    collaboration) means no biopharma deal, and a deal with a non-medicines party or about a test,
    device or event must name a drug in its own sentences."""
    if _SHAREHOLDER_ALERT.search(text[:600]):  # the lede; forward-looking sections mention litigation
        return False
    described_by = [facts.descriptions(c) for c in candidate.companies]
    kinds = [company_kind(c, text, spans) for c, spans in zip(candidate.companies, described_by, strict=True)]
    if "other" in kinds and ("medicines" not in kinds or candidate.types == {"collaboration"}):
        # "PathAI, a global leader in AI-powered pathology"; a drug developer's partnership with
        # "IDEA Pharma, a biopharmaceutical strategy consultancy" is a service, not a deal
        return False
    if candidate.types == {"collaboration"} and any(FUND_NAME.search(c.name) for c in candidate.companies):
        return False  # investors fund companies; "operating in collaboration with Leonhardt Ventures" is no deal
    named = [c for c in candidate.companies if _BIOPHARMA_NAME.search(c.name)]
    names = [facts.names(c) for c in candidate.companies]

    def outside_names(position: int) -> bool:  # "Atlas Lithium", "Supportive Oncology" say nothing of the deal
        return not any(cover.covers(position) for cover in names)

    # each drug and modality, with where the scope first names it
    named_things: dict[tuple[str, str], int] = {}
    for start, end in scope:
        for label in ("drug", "modality"):
            for entity in analysis.within(label, start, end):
                if (label == "drug" and not facts.named_drug(entity)) or entity.name == "platform":
                    continue
                for m in mentions_in(entity, start, end):
                    if outside_names(m.start):
                        named_things.setdefault((label, entity.name), m.start)
    words = [
        m for start, end in scope for m in _DRUG_DEVELOPMENT.finditer(text, start, end) if outside_names(m.start())
    ]
    # whether the deal's own sentences, outside what they say the parties are ("Quantum BioPharma,
    # a biopharmaceutical company, announced that its licensee ..."), name a drug or use a drug
    # word other than "therapy" (devices and counselling are therapies too) or "biotech"
    own = [(s.start, s.end) for s in candidate.sentences]
    own_cover = Cover(own)
    described = Cover(span for spans in described_by for span in spans)
    stated = [*named_things.values(), *(m.start() for m in words if not _WEAK_DRUG_WORDS.fullmatch(m.group()))]

    def in_own_words(position: int) -> bool:
        return own_cover.covers(position) and not described.covers(position)

    about_medicines = any(map(in_own_words, stated))
    about_other = any(
        in_own_words(m.start()) for start, end in own for m in _NON_MEDICINE_PRODUCT.finditer(text, start, end)
    )
    if len(candidate.companies) > 1 and all(_PUBLIC_BODY.search(c.name) for c in candidate.companies):
        return False  # "funds from BARDA, in collaboration with the DOD Joint Program Executive Office"
    public = "equity" not in candidate.types and any(_PUBLIC_BODY.search(c.name) for c in candidate.companies)
    if not about_medicines and ("other" in kinds or about_other or public):
        # "exclusive rights to distribute AXIM's TearScan diagnostic tests"; "its licensee Unbuzzd
        # Wellness will host an Investor Webinar"; a partnership with a public body in dermal fillers
        return False
    # a party the text describes as developing medicines ("Imago is a clinical stage
    # biopharmaceutical company") says what the deal is about as well as its own sentences do
    signals = len(named_things) + len(words) + ("medicines" in kinds)
    known = any(facts.in_vocabulary(c) and not _PUBLIC_BODY.search(c.name) for c in candidate.companies)
    # funding a company named for medicines ("Tilos Therapeutics") is a biopharma deal in itself, and
    # so is any deal of one with a known company ("Innate Pharma"; "Kyowa Kirin acquired Orchard")
    # and so is a known company's deal with another company ("Boston Scientific's 2021 acquisition
    # of Farapulse", "a contingent payment from AbbVie tied to its rhCollagen technology")
    with_company = len(candidate.companies) > 1 and not any(_PUBLIC_BODY.search(c.name) for c in candidate.companies)
    # and so is a deal between two companies both named for it ("Belmora Therapeutics agreed to buy
    # Halcyon Biosciences")
    self_evident = (known and with_company) or (bool(named) and (known or candidate.types == {"equity"})) or len(named) > 1
    needed = 0 if self_evident else SIGNALS_NAMED_OR_KNOWN if named or known else SIGNALS_UNKNOWN
    if signals < needed:
        return False
    return bool(named) or facts.talks_biopharma(LIFE_SCIENCE_WORDS_KNOWN if known else LIFE_SCIENCE_WORDS_UNKNOWN)
