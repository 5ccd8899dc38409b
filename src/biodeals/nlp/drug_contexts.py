"""Drugs named by what the text calls them: trade press writes brands without a ® mark and
often without the drug's INN ("its HPV vaccine Gardasil", "the antidepressant drug Auvelity",
"Lenmeldy, the world's most expensive drug"), so a capitalised word right after a product noun,
one the text goes on to describe as a product, one right before the form it is given in ("the
Nasodine nasal spray") or one a company buys of another ("acquired GSK's Strimvelis") is a drug,
and so is every other mention of it.
"""

from __future__ import annotations

import re

from biodeals import fastre
from biodeals.nlp.patterns import squash
from biodeals.nlp.spans import Mention

# what a text calls a medicine right before its name
_PRODUCT_NOUN = (
    r"(?:vaccines?|drugs?|medicines?|medications?|therap(?:y|ies)|treatments?|shots?|jabs?|pills?|injections?"
    r"|antibod(?:y|ies)|antidepressants?|antipsychotics?|antivirals?|antibiotics?|blockbusters?|biologics?"
    r"|biosimilars?|inhibitors?|products?|brands?|franchises?)"
)
_NAME = r"(?P<name>[A-Z][a-z]{3,}[a-z0-9]*(?:-[A-Za-z0-9]+)?)"
_AFTER_PRODUCT_NOUN = fastre.compile(rf"\b{_PRODUCT_NOUN}\s+{_NAME}(?![\w-])(?!\s+(?:[A-Z]|&|and\s+[A-Z]))")
# "Lenmeldy, the world's most expensive drug": a name the text goes on to describe as a product
_DESCRIBED_AS_PRODUCT = fastre.compile(
    rf"(?<![\w.-]){_NAME},\s+(?:the|an?|its|their)\s+(?:[\w’'-]+\s+){{0,4}}?{_PRODUCT_NOUN}\b"
)
# "the Nasodine nasal spray", "Xyzal tablets": a name right before the form a medicine is given in
_FORM = (
    r"(?:(?:nasal\s+|oral\s+)?sprays?|tablets?|capsules?|injections?|injectables?|creams?|gels?|ointments?"
    r"|(?:eye\s+)?drops|patch(?:es)?|inhalers?|infusions?|suspensions?|lozenges?|pens?)"
)
_BEFORE_FORM = fastre.compile(rf"\b(?:the|its|their|an?)\s+{_NAME}\s+{_FORM}\b")
# "acquired GSK's Strimvelis": what one company buys or sells of another's, not its unit or site
_BOUGHT_OF = fastre.compile(
    r"\b(?:acquir(?:e|es|ed|ing)|bought|buys?|buying|sold|sells?|selling|divest(?:s|ed|ing)?|(?:rights|license) to)\s+"
    rf"(?:[A-Z][\w&.-]*\s+){{0,2}}?[A-Z][\w&.-]*(?:[’']s|s[’'])\s+{_NAME}(?![\w-])"
    r"(?!\s+(?:[A-Z]|unit|business|division|subsidiary|site|plant|facilit|portfolio|stake|shares|assets|operations))"
)
# a company's own words ("vaccines Sanofi Pasteur", "a therapy Akouos Therapeutics developed")
_CORPORATE = fastre.compile(
    r"(?:Therapeutics|Bio\w*|Pharma\w*|Health\w*|Labs?|Laborator\w+|Group|Holdings?|Partners|Capital|Ventures"
    r"|Sciences?|Medical|Medicines|Petcare|Animal|Institute|Instituto|Foundation|University)$"
)
# words of a sentence's start or of a section that a capitalised word after a product noun may be
_NOT_A_NAME = frozenset(
    {
        "Inc", "Ltd", "Corp", "Phase", "Development", "Candidate", "Candidates", "Program", "Programs", "Portfolio",
        "Pipeline", "Sales", "Revenue", "Revenues", "Market", "Markets", "Approval", "Launch", "Today", "This",
        "These", "That", "Those", "There", "They", "Their", "With", "When", "While", "What", "Which", "After",
        "Before", "Under", "Also", "Both", "Each", "Some", "Such", "From", "Into", "Over", "About", "Among",
    }
)


def find_drugs_in_context(text: str, common_words: frozenset[str], not_drugs: set[str]) -> list[Mention]:
    """Drugs the words around a capitalised name call products, and every whole-word mention of
    the same names; ``common_words`` (lowercase) and ``not_drugs`` (names recognised as something
    else, companies first) are never drug names."""
    names: dict[str, None] = {}
    for pattern in (_AFTER_PRODUCT_NOUN, _DESCRIBED_AS_PRODUCT, _BEFORE_FORM, _BOUGHT_OF):
        for match in pattern.finditer(text):
            name = match.group("name")
            if name in _NOT_A_NAME or _CORPORATE.match(name) or name in not_drugs or name.lower() in common_words:
                continue
            names[name] = None
    if not names:
        return []
    alternation = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return [
        Mention("drug", m.start(), m.end(), m.group(), f"p:{squash(m.group())}", "context")
        for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text)
    ]
