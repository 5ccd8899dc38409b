"""Short-name and alias resolution within one document (texts written for these tests)."""

from biodeals.nlp import normalise_name, recognize
from tests.conftest import doc


def entity(analysis, label, name):
    matches = [e for e in analysis.of(label) if e.name == name]
    assert matches, f"no {label} named {name!r}; have {[e.name for e in analysis.of(label)]}"
    return matches[0]


def test_resolve_short_company_name_to_full_name():
    analysis = recognize(doc("Sanofi will license Innate Pharma's engager program. Innate may receive milestones from Sanofi."))
    innate = entity(analysis, "company", "Innate Pharma")
    assert innate.aliases == ["Innate"]
    assert len(innate.mentions) == 2


def test_resolve_known_short_names_from_vocabulary():
    analysis = recognize(doc("Eli Lilly and Company today announced a deal. Lilly will pay $20 million."))
    lilly = entity(analysis, "company", "Eli Lilly and Company")
    assert "Lilly" in lilly.aliases


def test_resolve_parenthetical_drug_aliases():
    text = (
        "Immutep reported data for eftilagimod alpha (“efti” or “IMP321”) with pembrolizumab. "
        "Efti was well tolerated; efti plus pembrolizumab gave a 47% response rate. IMP-321 is a LAG-3 protein."
    )
    efti = entity(recognize(doc(text)), "drug", "eftilagimod alpha")
    assert {"efti", "IMP321", "IMP-321"} <= {a for a in efti.aliases}
    assert efti.standard_id and efti.standard_id.startswith("UNII:")


def test_resolve_brand_inn_and_code_share_one_entity():
    analysis = recognize(doc("Keytruda (pembrolizumab), also studied as MK-3475, is an anti-PD-1 antibody."))
    drug = entity(analysis, "drug", "pembrolizumab")
    assert {"Keytruda", "MK-3475"} <= set(drug.aliases)
    target = entity(analysis, "target", "PD-1")
    assert target.standard_id == "HGNC:8760"


def test_resolve_about_heading_names_a_company():
    text = "Corvexa will acquire Lumiera for $10 million.\n\nAbout Lumiera\nLumiera is a privately held biotech company."
    lumiera = entity(recognize(doc(text)), "company", "Lumiera")
    assert len(lumiera.mentions) == 3


def test_resolve_keeps_distinct_known_companies_apart():
    analysis = recognize(doc("Merck KGaA and Merck & Co., Inc. are different companies; Merck KGaA is in Darmstadt."))
    names = {e.name for e in analysis.of("company")}
    assert "Merck KGaA" in names and "Merck & Co., Inc." in names


def test_resolve_normalise_name():
    assert normalise_name("Merck & Co., Inc.") == normalise_name("Merck") == "merck"
    assert normalise_name("Innate Pharma S.A.") == normalise_name("Innate Pharma SA") == "innate pharma"


def test_resolve_greek_letter_target_names():
    analysis = recognize(doc("The antibody binds TGFβ and HIF-2α, and an agonist of β-Klotho was licensed."))
    ids = {e.standard_id for e in analysis.of("target")}
    assert {"HGNC:11766", "HGNC:3374", "HGNC:15527"} <= ids


def test_resolve_a_unit_named_after_a_known_company_keeps_its_own_name():
    text = "Merck today announced a deal. The Merck Foundation funds clinics. Merck will pay $20 million."
    analysis = recognize(doc(text))
    merck = entity(analysis, "company", "Merck")
    foundation = entity(analysis, "company", "Merck Foundation")
    assert len(merck.mentions) == 2 and len(foundation.mentions) == 1


def test_resolve_a_known_company_is_named_as_the_vocabulary_names_it_when_the_text_does():
    text = (
        "Merck & Co., Inc. today announced a license agreement. Merck Sharp & Dohme LLC, a subsidiary, "
        "will pay $20 million."
    )
    assert "Merck Sharp & Dohme LLC" in entity(recognize(doc(text)), "company", "Merck & Co., Inc.").aliases


def test_resolve_a_one_word_name_that_is_an_inner_word_of_one_longer_name_is_its_short_form():
    text = (
        "Borealis Therapeutics and its partner Chongqing Kallen Biological Products work through a backlog. "
        "Orrin Pharma is also partnered with Kallen on a vaccine."
    )
    kallen = entity(recognize(doc(text)), "company", "Chongqing Kallen Biological Products")
    assert "Kallen" in kallen.aliases
    # two longer names share the word: the short one is neither
    shared = "Kallen Therapeutics signed with Orrin Kallen Holdings, Inc. Borealis Therapeutics partnered with Kallen."
    names = [e.name for e in recognize(doc(shared)).of("company")]
    assert "Kallen" not in entity(recognize(doc(shared)), "company", "Orrin Kallen Holdings, Inc.").aliases, names


def test_resolve_a_heading_about_the_deal_names_no_company():
    text = (
        "Corvexa will acquire Lumiera Inc. in a tender offer.\n\nAbout the Tender Offer\n"
        "The Tender Offer is made by Corvexa, a biotech company, for all shares of Lumiera Inc."
    )
    assert "Tender Offer" not in [e.name for e in recognize(doc(text)).of("company")]


def test_resolve_a_short_name_two_known_companies_share_is_the_one_the_text_names_in_full():
    text = "Merck KGaA said it is in talks to buy SpringWorks. Merck, in a statement, said talks go on."
    names = [e.name for e in recognize(doc(text)).of("company")]
    assert "Merck & Co., Inc." not in names and "Merck KGaA" in names
    # where the text names the other in full too, "Merck" stays that company
    both = "Merck KGaA and Merck & Co., Inc. are two companies. Merck said so."
    assert {"Merck KGaA", "Merck & Co., Inc."} <= {e.name for e in recognize(doc(both)).of("company")}


def test_resolve_names_that_differ_only_in_corporate_words_are_one_company():
    text = "Orrin Pharmaceuticals said Orrin Pharmaceutical Industries Limited signed; Novo Holdings and Novo Nordisk did not."
    names = {e.name for e in recognize(doc(text)).of("company")}
    assert "Orrin Pharmaceuticals" not in names or "Orrin Pharmaceutical Industries Limited" not in names
    assert {"Novo Holdings", "Novo Nordisk"} <= names


def test_resolve_an_about_heading_names_the_short_form_of_the_company_its_body_opens_with():
    text = (
        "Corvexa will supply its insulin ingredient to Lumiera Holdings Ltd. at a reduced price. "
        "LHL will fill and finish the vials.\n\n**About LHL** Lumiera Holdings Ltd. group is one of the largest "
        "healthcare providers in the region."
    )
    lumiera = next(e for e in recognize(doc(text)).of("company") if e.name == "Lumiera Holdings Ltd.")
    assert "LHL" in {m.text for m in lumiera.mentions}


def test_resolve_a_drug_named_as_half_of_a_modifier_is_no_drug():
    analysis = recognize(doc("Its lead candidate inhibits lysine-specific demethylase 1."))
    assert not analysis.of("drug")
    assert [e.name for e in recognize(doc("Patients took lysine daily.")).of("drug")] == ["lysine"]


def test_resolve_a_company_named_once_by_its_context_is_that_company_wherever_the_name_recurs():
    text = (
        "Firebrick Pharma has signed a license and distribution agreement with Fiji Islands company Makans, under "
        "which Makans will start to sell the nasal spray in Fiji. Under the deal, Makans will pay a fee per unit sold."
    )
    makans = entity(recognize(doc(text)), "company", "Makans")
    assert len(makans.mentions) == 3


def test_resolve_a_name_in_capitals_that_spells_a_companys_initials_is_its_short_form():
    text = (
        "Merck signed a license agreement with the Medicines Patent Pool Foundation for molnupiravir. "
        "Its partner MPPF will sublicense the drug to generic makers."
    )
    pool = entity(recognize(doc(text)), "company", "Medicines Patent Pool Foundation")
    assert "MPPF" in {m.text for m in pool.mentions}


def test_resolve_a_companys_first_word_marked_as_a_brand_elsewhere_is_still_the_company_unmarked():
    text = (
        "Its platform is licensed from TheraCour Pharma, Inc. It is based on the TheraCour(R) "
        "technology of TheraCour, which TheraCour licenses from AllExcel."
    )
    theracour = entity(recognize(doc(text)), "company", "TheraCour Pharma, Inc.")
    assert len([m for m in theracour.mentions if m.text == "TheraCour"]) == 2


def test_resolve_an_aside_opened_by_e_g_is_no_alias():
    analysis = recognize(doc("Zelbatinib treats HIV (e.g. in adolescents) and is dosed monthly."))
    assert all("e.g." not in e.name for e in analysis.of("disease"))


def test_resolve_a_common_word_in_capitals_before_what_the_company_is_is_its_short_form():
    text = (
        "Orrin and POINT Biopharma Global, Inc. today announced that Orrin will acquire POINT. The POINT Biopharma "
        "pipeline is broad. The CORE Kidney Foundation helps patients; its CORE program is free."
    )
    analysis = recognize(doc(text))
    point = entity(analysis, "company", "POINT Biopharma Global, Inc.")
    assert {m.text for m in point.mentions} == {"POINT Biopharma Global, Inc.", "POINT", "POINT Biopharma"}
    assert not any(m.text == "CORE" for e in analysis.of("company") for m in e.mentions)


def test_resolve_where_a_company_is_is_no_other_name_of_it():
    analysis = recognize(doc("GeoVax Labs has a licensing agreement with ProBioGen AG (Berlin, Germany) for its cell line."))
    assert entity(analysis, "company", "ProBioGen AG").aliases == []


def test_resolve_a_ticker_a_title_or_a_web_address_spells_no_disease():
    text = (
        "Pfizer (NYSE:[PFE](https://example.com/symbol/PFE)) said Drs. Smith and Jones will lead the study "
        "with Orrin ([PFE](https://example.com/symbol/ORR)), "
        "as told at https://example.com/news/neoplasm-update."
    )
    assert recognize(doc(text)).of("disease") == []
