"""Drugs named by what the text calls them (trade press writes brands unmarked)."""

from __future__ import annotations

from biodeals.nlp import recognize
from biodeals.nlp.drug_contexts import find_drugs_in_context
from tests.conftest import doc


def _names(text: str, not_drugs: frozenset[str] = frozenset()) -> list[str]:
    return [m.text for m in find_drugs_in_context(text, frozenset({"demand"}), set(not_drugs))]


def test_a_capitalised_name_after_a_product_noun_is_a_drug_wherever_the_text_names_it():
    text = "Merck is pausing shipments of its HPV vaccine Halvaxa to China. Demand for Halvaxa fell 40%."
    assert _names(text) == ["Halvaxa", "Halvaxa"]


def test_a_name_the_text_describes_as_a_product_is_a_drug():
    assert _names("Orrin has tasked a new chief with growing Lumeldra, the world's most expensive drug.") == ["Lumeldra"]


def test_companies_corporate_words_sentence_words_and_common_words_are_no_drugs():
    assert _names("The drugs Phase 3 program and the vaccines Sanofi Pasteur makes") == []
    assert _names("a therapy Corvexa Therapeutics developed", frozenset({"Corvexa"})) == []
    assert _names("the drug Demand was low") == []


def test_recognition_links_an_unmarked_brand_to_the_drug_entity():
    analysis = recognize(doc("GSK is also partnered with Zhifei on its shingles vaccine Shingrax. Shingrax sales fell."))
    (drug,) = [e for e in analysis.of("drug") if e.name == "Shingrax"]
    assert len(drug.mentions) == 2
