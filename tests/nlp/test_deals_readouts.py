"""Deal and readout extraction on short texts written for these tests (one mechanism each)."""

from __future__ import annotations

from biodeals.nlp import extract_record
from biodeals.nlp.patterns import find_companies, find_partners
from tests.conftest import doc


def _record(text: str) -> dict:
    return extract_record(doc(text))


def test_partner_named_after_collaboration_phrase_without_a_suffix():
    text = "Borealis Therapeutics announced a collaboration with Quillmate to design antibodies."
    assert [m.text for m in find_partners(text)] == ["Quillmate"]


def test_a_partner_phrase_before_a_descriptor_names_the_described_company():
    text = "Orrin Pharma signed a license agreement with Fiji Islands company Quillmate to sell its drugs."
    assert find_partners(text) == []
    assert "Quillmate" in [m.text for m in find_companies(text)]


def test_partner_phrase_ignores_phase_and_regulators():
    text = "The agreement with FDA covers the Phase 3 program; it is in partnership with Phase 2 sites."
    assert find_partners(text) == []


def test_two_companies_joined_by_and_are_two_parties():
    record = _record(
        "BOSTON, May 2, 2025 -- Eli Lilly and Company and Kestrel Biodesign Ltd. today announced a research "
        "collaboration and license agreement to discover antibody drug candidates for diabetes. Kestrel is eligible to receive up to "
        "$90 million in development and commercial milestones."
    )
    (deal,) = record["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Eli Lilly and Company", "Kestrel Biodesign Ltd."}
    assert deal["milestones"]["amount"] == 90_000_000


def test_readout_without_trial_name_is_keyed_by_drug_and_phase():
    record = _record(
        "Orrin Bio today reported that results from a Phase 1/2 study of ORB-4471 demonstrated an objective "
        "response rate of 38% in patients with advanced renal cell carcinoma."
    )
    (readout,) = record["readouts"]
    assert readout["trial"] is None
    assert readout["phase"] == "1/2"
    assert [a["name"] for a in readout["assets"]] == ["ORB-4471"]
    assert {"name": "ORR", "value": 38.0, "unit": "%"} in readout["endpoints"]


def test_results_of_both_studies_go_to_each_named_trial():
    record = _record(
        "Halden Pharma announced that zelbatinib met the primary endpoint in both Phase 3 studies. "
        "The safety profile was consistent with earlier data. "
        "About BRAVO-1 and BRAVO-2 BRAVO-1 and BRAVO-2 are randomized Phase 3 trials of zelbatinib in chronic cough."
    )
    assert sorted(r["trial"]["name"] for r in record["readouts"]) == ["BRAVO-1", "BRAVO-2"]
    assert all(r["phase"] == "3" for r in record["readouts"])


def test_trial_name_and_its_registry_number_are_one_readout():
    for trial in ("KESTREL-2 (NCT04412345)", "NCT04412345 (KESTREL-2)"):
        record = _record(
            f"Orrin Bio reported positive topline results from {trial}, a Phase 3 trial of ORB-4471, which "
            "showed an objective response rate of 41% in renal cell carcinoma."
        )
        (readout,) = record["readouts"]
        assert readout["trial"] == {"name": "KESTREL-2", "aliases": ["NCT04412345"]}
        assert {"name": "ORR", "value": 41.0, "unit": "%"} in readout["endpoints"]


def test_endpoint_wordings_and_the_arms_value_after_by_and_to():
    from biodeals.nlp.readouts import endpoints_in

    assert endpoints_in("It increased 6-minute walk distance by 40.8 Meters at week 24.") == [
        {"name": "6MWD", "value": 40.8, "unit": "m"}
    ]
    # "by 5.3 months to 13.8 months": the improvement, then the arm's median
    assert endpoints_in("The triplet extended median survival by 5.3 months to 13.8 months.") == [
        {"name": "OS", "value": 13.8, "unit": "months"}
    ]
    assert endpoints_in("Median overall survival improved by 4.1 months versus placebo.") == [
        {"name": "OS", "value": 4.1, "unit": "months"}
    ]
    assert endpoints_in("Zelbatinib lowered the risk of relapse by 31%.") == [
        {"name": "risk reduction", "value": 31.0, "unit": "%"}
    ]


def test_the_share_of_patients_with_an_outcome_is_a_result_and_who_was_enrolled_is_not():
    from biodeals.nlp.readouts import endpoints_in

    assert endpoints_in("In the trial, 63% of participants on zelbatinib developed injection-site nodules—most mild.") == [
        {"name": "injection-site nodules", "value": 63.0, "unit": "%"}
    ]
    # the responder threshold inside the outcome is no result of its own
    assert endpoints_in("40% of patients in the combination group achieved at least 5% weight loss versus 27%.") == [
        {"name": "at least 5% weight loss", "value": 40.0, "unit": "%"}
    ]
    assert endpoints_in("At baseline, 88% of patients had received two prior lines of therapy.") == []


def test_a_threshold_is_a_goal_only_when_said_of_patients_and_a_range_is_others_results():
    from biodeals.nlp.readouts import endpoints_in

    assert endpoints_in("The combination achieved median progression-free survival of more than 13 months.") == [
        {"name": "PFS", "value": 13.0, "unit": "months"}
    ]
    assert endpoints_in("Participants with a greater than 30% reduction in pain were counted as responders.") == []
    assert endpoints_in("The disease control rate was 85%, well above the 25-35% DCR seen with chemotherapy.") == [
        {"name": "DCR", "value": 85.0, "unit": "%"}
    ]


def test_a_headline_result_without_the_trial_name_joins_the_drugs_trial():
    record = _record(
        "HLD-4471 Improved Six-Minute Walk Distance by 35.2 Meters in Adults with Pulmonary Hypertension\n\n"
        "Halden Pharma today announced positive topline results from the Phase 3 BRAVO-4 trial of HLD-4471. "
        "BRAVO-4 met its primary endpoint, and HLD-4471 reduced the risk of clinical worsening by 62%."
    )
    (readout,) = record["readouts"]
    assert readout["trial"]["name"] == "BRAVO-4"
    assert {(e["name"], e["value"]) for e in readout["endpoints"]} == {("6MWD", 35.2), ("risk reduction", 62.0)}


def test_a_result_of_another_phase_stays_apart_from_the_drugs_trial():
    record = _record(
        "In an earlier Phase 2 cohort, zelbatinib showed an objective response rate of 22%.\n\n"
        "Halden Pharma today announced positive topline results from the Phase 3 BRAVO-4 trial of zelbatinib. "
        "BRAVO-4 met its primary endpoint with an objective response rate of 41%."
    )
    assert sorted(((r["trial"] or {}).get("name", ""), r["phase"]) for r in record["readouts"]) == [
        ("", "2"),
        ("BRAVO-4", "3"),
    ]


def test_a_readouts_indication_is_where_its_values_are_stated_else_its_headline():
    record = _record(
        "Halden Pharma, a company developing treatments for cancer and autoimmune diseases, announced data "
        "from the Phase 2 BRAVO-5 trial of HLD-4471. "
        "The objective response rate of HLD-4471 reached 47% among first-line non-small cell lung cancer patients."
    )
    (readout,) = record["readouts"]
    assert [i["name"] for i in readout["indications"]] == ["non-small cell lung cancer"]
    record = _record(
        "Halden Pharma Announces Topline Results from Phase 3 Trial of HLD-4471 for Adults with Chronic Cough\n\n"
        "BRAVO-6 met its primary endpoint. HLD-4471 was generally well tolerated in BRAVO-6."
    )
    (readout,) = record["readouts"]
    assert [i["name"].lower() for i in readout["indications"]] == ["chronic cough"]


def test_trial_plans_are_not_readouts():
    record = _record("Halden Pharma plans to initiate the Phase 3 BRAVO-3 study of zelbatinib in 2026.")
    assert record["readouts"] == []


def test_an_option_to_license_is_an_option_and_the_stem_names_the_modality():
    record = _record(
        "PARIS, May 2, 2025 -- Borealis Therapeutics and Quillmate Pharma today announced a research collaboration "
        "under which Borealis receives an exclusive option to license velarutinib, an oral candidate for patients "
        "with gastric cancer. The FDA cleared the clinical trial."
    )
    (deal,) = record["deals"]
    assert deal["types"] == ["option", "collaboration"]
    assert deal["modalities"] == ["small molecule"]  # from the INN stem "-tinib"
    assert any(ev["field"] == "modalities" and ev["text"] == "velarutinib" for ev in deal["evidence"])


def test_a_parent_named_beside_its_subsidiary_is_not_a_party():
    record = _record(
        "Acme Holdings said its wholly owned subsidiary, Borealis Therapeutics, has signed a definitive agreement "
        "to acquire Quillmate Pharma, a clinical-stage company with drug candidates for patients with cancer."
    )
    (deal,) = record["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Borealis Therapeutics", "Quillmate Pharma"}


def test_a_career_sentence_states_no_deal():
    record = _record(
        "Borealis Therapeutics appointed Jane Doe as Chief Financial Officer. Earlier in her career, she held roles at "
        "Quillmate Pharma, a drug developer acquired by Kestrel Biologics in 2015, where clinical trials were run."
    )
    assert record["deals"] == []


def test_a_deal_must_itself_be_about_medicines():
    about_care = _record(  # the release talks about medicine; the deal does not
        "Northfield runs clinical sites, and its clinicians give therapy to patients with diabetes. The FDA, "
        "clinical guidelines and patients were discussed at a meeting with drug makers. Northfield Care Partners, "
        "Inc. announced a partnership with Lakeside Home Health, Inc. to coordinate discharge planning for patients."
    )
    assert about_care["deals"] == []
    about_a_drug = _record(
        "Northfield Care Partners, Inc. announced a partnership with Lakeside Home Health, Inc. to run a Phase 2 "
        "clinical trial of the drug candidate NX-101 in patients with diabetes. NX-101 is an oral therapy; "
        "preclinical studies and an IND cleared by the FDA support the trial."
    )
    assert [p["name"] for p in about_a_drug["deals"][0]["parties"]] == [
        "Northfield Care Partners, Inc.",
        "Lakeside Home Health, Inc.",
    ]


def test_funding_a_company_named_for_medicines_is_a_deal_and_a_buy_rating_is_not():
    (deal,) = _record("Quillmate Therapeutics was founded in 2019 by Kestrel Ventures.")["deals"]
    assert deal["types"] == ["equity"]
    rated = _record(
        "Quillmate Therapeutics receives a Buy rating from Kestrel Capital Partners for its drug candidate."
    )
    assert rated["deals"] == []


def _pairs(text: str) -> list[set[str]]:
    return [{p["name"] for p in deal["parties"]} for deal in _record(text)["deals"]]


def test_a_deal_needs_a_medicines_business_among_the_parties_the_text_describes():
    diagnostics = (
        "Orrin Labs, Inc., a molecular diagnostics company, announced a collaboration with Kestrel Biologics to "
        "develop a blood test that helps select patients for antibody drug candidates in Phase 2 clinical trials."
    )
    assert _pairs(diagnostics) == []
    drug_developer = diagnostics.replace(
        "a molecular diagnostics company", "a clinical-stage biopharmaceutical company"
    )
    assert _pairs(drug_developer) == [{"Orrin Labs, Inc.", "Kestrel Biologics"}]


def test_buying_a_clinic_or_partnering_with_a_consultancy_is_not_a_biopharma_deal():
    clinic = (
        "Borealis Therapeutics, a clinical-stage biopharmaceutical company developing drug candidates for "
        "depression, today announced it will acquire Lakeside Care LLC, a provider of interventional psychiatry services."
    )
    assert _pairs(clinic) == []
    consultancy = (
        "Borealis Therapeutics, a clinical-stage biopharmaceutical company, entered into a strategic partnership "
        "with Quillmate Partners LLC, a biopharmaceutical strategy consultancy, to plan the launch of its drug candidate BX-101."
    )
    assert _pairs(consultancy) == []


def test_a_deal_word_in_quoted_speech_states_no_deal():
    quoted = (
        "Borealis Therapeutics presented Phase 2 data for its drug candidate BX-101 at a meeting. “We are proud to "
        "partner with Kestrel Biologics on antibody drug discovery,” said Jane Doe, CEO of Borealis Therapeutics."
    )
    assert _pairs(quoted) == []
    stated = quoted.replace("“We are proud to partner with", "Borealis Therapeutics partnered with").replace(
        ",” said Jane Doe, CEO of Borealis Therapeutics.", "."
    )
    assert _pairs(stated) == [{"Borealis Therapeutics", "Kestrel Biologics"}]


def test_a_collaboration_word_must_relate_the_two_companies():
    listed = (
        "Borealis Therapeutics is partnering with Kestrel Biologics, Quillmate Pharma and Orrin Therapeutics to "
        "test its drug candidate BX-101 in Phase 2 clinical trials."
    )
    assert {"Kestrel Biologics", "Quillmate Pharma"} not in _pairs(listed)
    joined = (
        "Kestrel Biologics and Quillmate Pharma today announced a research collaboration to discover antibody "
        "drug candidates for Phase 1 clinical trials."
    )
    assert _pairs(joined) == [{"Kestrel Biologics", "Quillmate Pharma"}]
    unrelated = (
        "With several Kestrel Biologics collaborations ongoing, BX-101, Borealis Therapeutics’ oral drug "
        "candidate, entered a Phase 2 clinical trial."
    )
    assert _pairs(unrelated) == []


def test_wishes_people_funds_and_group_companies_make_no_deal():
    wish = "Borealis Therapeutics stands ready to partner with Kestrel Biologics on vaccines and drug candidates."
    assert _pairs(wish) == []
    person = "Borealis Therapeutics develops its drug candidate BX-101 in collaboration with Dr. Jane Roe of Boston."
    assert _pairs(person) == []
    fund = "Borealis Therapeutics works in collaboration with Kestrel Ventures LLC on its vaccine drug candidates."
    assert _pairs(fund) == []
    group = (
        "Borealis Therapeutics, a wholly owned subsidiary of Acme Pharma Inc., develops vaccines. "
        "Acme Pharma Inc. and Borealis Therapeutics signed a license agreement for the drug candidate BX-101."
    )
    assert _pairs(group) == []


def test_a_deal_about_a_test_or_device_must_name_a_drug():
    test_kit = (
        "Borealis Biotech, Inc. granted Kestrel Corp. exclusive rights to distribute its SightCheck® tear "
        "diagnostic tests across Korea."
    )
    assert _pairs(test_kit) == []
    drug = test_kit.replace("its SightCheck® tear diagnostic tests", "its drug candidate BX-101")
    assert _pairs(drug) == [{"Borealis Biotech, Inc.", "Kestrel Corp."}]


def test_marked_names_of_tests_are_not_drugs_and_partner_names_end_with_the_sentence():
    from biodeals.nlp.patterns import find_drug_names

    assert [m.text for m in find_drug_names("Its SightCheck® IgE diagnostic test and Zeltora® tablets")] == ["Zeltora"]
    assert [m.text for m in find_partners("It works in partnership with the University of Alberta. The trial")] == [
        "University of Alberta"
    ]


def test_career_experience_and_named_alliances_state_no_deal():
    career = (
        "Borealis Therapeutics named John Roe COO; he brings extensive experience in licensing and acquisitions "
        "from his time at Kestrel Biologics and Quillmate Pharma, developers of antibody drug candidates."
    )
    assert _pairs(career) == []
    alliance = (
        "The region hosts drug makers, bolstered by initiatives like the Alliance for Better Medicine, which "
        "includes Kestrel Biologics and Quillmate Pharma, makers of vaccines and drug candidates."
    )
    assert _pairs(alliance) == []


def test_debt_financing_is_no_equity_deal():
    debt = "Borealis Therapeutics signed a debt financing term sheet with Kestrel Capital LLC for its drug candidates."
    assert _pairs(debt) == []


def test_a_marked_meeting_name_is_no_drug():
    from biodeals.nlp.patterns import find_drug_names

    text = "Data were presented at The Liver Meeting® 2025 alongside KEYTRUDA® results."
    assert [m.text for m in find_drug_names(text)] == ["KEYTRUDA"]


def test_a_deal_sentence_naming_one_company_is_a_deal_of_that_side():
    # the other side is named, but not in a shape the recogniser knows as a company (issue 17)
    bought = "Borealis Therapeutics today completed the acquisition of Kallen Serums and Vaccines for its antibody drug candidates."
    deals = _record(bought)["deals"]
    assert [[(p["name"], p["role"]) for p in d["parties"]] for d in deals] == [[("Borealis Therapeutics", "acquirer")]]
    assert deals[0]["status"] == "completed"
    # told as news or dated; background, results and a company's own spending are no deal
    background = "Borealis Therapeutics has exclusive rights to develop the antibody drug candidate BX-101 in Europe."
    assert _pairs(background) == []
    results = "Borealis Therapeutics today reported revenue of $2 million from collaboration agreements on its Phase 2 drug candidates."
    assert _pairs(results) == []
    spending = "Borealis Therapeutics today announced a $1 billion investment in a new manufacturing facility for its antibody drugs."
    assert _pairs(spending) == []


def test_we_in_an_about_section_is_the_company_it_is_about():
    (deal,) = _record(
        "Orrin Therapeutics, Inc. dosed the first patient in its Phase 2 trial of ORN-101 in May 2025.\n\n"
        "About Orrin Therapeutics\n\n"
        "Orrin Therapeutics is a clinical-stage biopharmaceutical company developing treatments for Alzheimer’s "
        "disease. Both of our product candidates are licensed from the University of Kestrel Research "
        "Foundation, Inc. pursuant to royalty-bearing exclusive worldwide licenses."
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Orrin Therapeutics, Inc.": "licensee",
        "University of Kestrel Research Foundation, Inc.": "licensor",
    }


def test_the_company_in_an_about_section_licensing_a_drug_to_another_is_the_licensor():
    (deal,) = _record(
        "Orrin Therapeutics, Inc. dosed the first patient in its Phase 2 trial of ORN-101 in May 2025.\n\n"
        "About Orrin Therapeutics\n\n"
        "Orrin Therapeutics is a clinical-stage biopharmaceutical company developing treatments for cancer. "
        "The Company has licensed ORN-101 and ORN-102 to its joint venture, Kestrel Therapeutics, to develop "
        "and commercialize these candidates in China."
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Orrin Therapeutics, Inc.": "licensor",
        "Kestrel Therapeutics": "licensee",
    }


def test_the_company_in_a_deal_sentence_is_the_company_the_story_is_about():
    deals = _record(
        "Orrin Therapeutics, Inc. was granted a U.S. patent for its antibody drug candidates. The company also "
        "received a $2 million milestone payment from Kestrel Pharma under their strategic collaboration on "
        "antibody drug candidates in Phase 2 trials."
    )["deals"]
    assert [{p["name"] for p in d["parties"]} for d in deals] == [{"Orrin Therapeutics, Inc.", "Kestrel Pharma"}]
    # "the companies" is a pair, not the story's subject
    assert _pairs("Orrin Therapeutics, Inc. was granted a patent. The companies signed a collaboration.") == []


def test_a_unit_named_in_a_job_title_is_no_party_and_does_not_rename_the_parent():
    record = _record(
        "Orrin Pharma, Inc. and Kestrel Therapeutics today announced a license agreement for Kestrel's "
        "antibody drug candidates. Orrin will pay $50 million upfront. \"We are pleased,\" said Jane Roe, "
        "president, Orrin Research Laboratories."
    )
    (deal,) = record["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Orrin Pharma, Inc.", "Kestrel Therapeutics"}
    assert "Orrin Research Laboratories" not in [c["name"] for c in record["entities"]["companies"]]


def test_a_list_of_companies_is_one_deal_of_each_with_the_company_outside_the_list():
    listed = (
        "Orrin Pharma, Inc. today announced it completed its acquisitions of Kestrel Therapeutics, Quillmate "
        "Bio and Harrow Pharmaceuticals, each a developer of antibody drug candidates in Phase 2 trials."
    )
    assert sorted(map(sorted, _pairs(listed))) == [
        ["Harrow Pharmaceuticals", "Orrin Pharma, Inc."],
        ["Kestrel Therapeutics", "Orrin Pharma, Inc."],
        ["Orrin Pharma, Inc.", "Quillmate Bio"],
    ]
    # two companies joined by "and" are the two sides, whoever the story is about
    pair = (
        "Orrin Pharma, Inc. shares rose. Kestrel Therapeutics and Quillmate Bio today announced a license "
        "agreement for antibody drug candidates in Phase 2 trials."
    )
    assert _pairs(pair) == [{"Kestrel Therapeutics", "Quillmate Bio"}]


def test_a_deal_told_only_in_results_sentences_is_background():
    results = (
        "In the third quarter, Orrin Pharma, Inc. recognized acquired in-process research and development charges "
        "of $77.7 million related to the acquisition of Kestrel Therapeutics and its antibody drug candidates."
    )
    assert _pairs(results) == []
    news = "Orrin Pharma, Inc. today announced it will acquire Kestrel Therapeutics and its antibody drug candidates."
    assert _pairs(news) == [{"Orrin Pharma, Inc.", "Kestrel Therapeutics"}]


def test_the_company_referred_to_acts_and_a_year_before_a_deal_word_dates_the_deal():
    (deal,) = _record(
        "Orrin Pharma, Inc. today opened a new research site for its antibody drug candidates. The site, part "
        "of the company’s strategy, builds on the 2020 acquisition and expansion of Kestrel Therapeutics, a "
        "developer of antibody drug candidates in Phase 2 trials."
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Orrin Pharma, Inc.": "acquirer",
        "Kestrel Therapeutics": "target",
    }
    assert deal["year"] == 2020


def test_buying_a_product_business_or_site_is_an_asset_purchase_not_an_acquisition():
    site = (
        "Borealis Therapeutics today announced the completion of its acquisition of the biologics manufacturing "
        "operations of Kallen Pharma, Inc. for total consideration of $122.5 million."
    )
    (deal,) = _record(site)["deals"]
    assert deal["types"] == ["asset_purchase"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [
        ("Borealis Therapeutics", "acquirer"),
        ("Kallen Pharma, Inc.", "target"),
    ]
    company = (
        "Borealis Therapeutics today announced the completion of its acquisition of Kallen Pharma, Inc., "
        "a developer of antibody drug candidates, for $122.5 million."
    )
    assert [d["types"] for d in _record(company)["deals"]] == [["acquisition"]]


def test_the_terms_of_a_partnership_told_in_a_sentence_of_their_own_stay_in_its_deal():
    text = (
        "* Borealis Therapeutics and Kallen Pharma, Inc. entered into a collaboration agreement to develop antibodies.\n"
        "* As part of the agreement, Kallen Pharma will receive $52 million in upfront payments, which includes "
        "a $10 million equity investment.\n"
        "* Kallen Pharma expects to use the proceeds of the collaboration to fund KP-101, its CXCL10 antibody."
    )
    (deal,) = _record(text)["deals"]
    assert deal["types"] == ["equity", "collaboration"]
    assert deal["equity"] == {"amount": 10_000_000.0, "currency": "USD"}
    assert [a["name"] for a in deal["assets"]] == ["KP-101"]


def test_sites_bought_from_no_one_named_are_capital_spending_and_from_a_seller_an_asset_purchase():
    spending = "Borealis Therapeutics today announced it has committed $8 billion to build, upgrade and acquire facilities for its antibody drugs."
    assert _pairs(spending) == []
    bought = (
        "Borealis Therapeutics today announced it acquired an injectable manufacturing facility in Ohio "
        "from Kallen Pharma, Inc. to make its antibody drugs."
    )
    assert [(d["types"], d["parties"][0]["role"]) for d in _record(bought)["deals"]] == [(["asset_purchase"], "acquirer")]


def test_whom_rights_are_sold_to_is_the_buyer_and_a_sale_announced_casts_the_seller():
    sold = (
        "Borealis Therapeutics today signed an agreement to sell the rights of its olanzapine portfolio, "
        "including the antibody drug BX-101, to Kallen Pharma, Inc. for $1.05 billion."
    )
    (deal,) = _record(sold)["deals"]
    assert deal["types"] == ["asset_purchase"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Kallen Pharma, Inc.": "acquirer",
        "Borealis Therapeutics": "target",
    }
    sale = (
        "Borealis Therapeutics today announced the sale of its legacy antibiotic drug brands in China. "
        "Under the terms of the agreement, Borealis will receive a deposit of $75 million."
    )
    assert [[(p["name"], p["role"]) for p in d["parties"]] for d in _record(sale)["deals"]] == [
        [("Borealis Therapeutics", "target")]
    ]


def test_a_results_sentence_adds_no_type_to_a_deal_its_own_sentences_state():
    text = (
        "# Borealis Therapeutics Reports Fourth-Quarter Results\n\n"
        "Borealis Therapeutics and Kallen Pharma, Inc. entered into a research collaboration on antibody drugs. "
        "Revenue rose 8 percent. Expenses fell. "
        "In the quarter, Borealis recognized acquired in-process research and development charges of $376.6 million "
        "related to business development transactions with Kallen Pharma and the acquisition of Quillmate Bio."
    )
    assert next(d["types"] for d in _record(text)["deals"] if len(d["parties"]) == 2) == ["collaboration"]


def test_the_acquisition_referred_back_to_states_no_acquisition_of_a_business():
    text = (
        "Borealis Therapeutics today signed a definitive agreement to acquire the animal health business of "
        "Kallen Pharma, Inc. for $1.3 billion, a portfolio of antibody medicines. "
        "Upon closing, the acquisition will broaden Borealis's portfolio of antibody drugs."
    )
    assert [d["types"] for d in _record(text)["deals"]] == [["asset_purchase"]]


def test_whose_partner_a_company_is_links_the_two_however_far_apart():
    text = (
        "On Tuesday, Borealis Therapeutics said it is temporarily suspending shipments of its HPV vaccine to China, "
        "where demand for the shot has fallen sharply over the past two quarters and inventories have built up at "
        "distributors across the country, so that it and its partner Kallen Biological Products can work through "
        "the backlog."
    )
    assert _pairs(text) == [{"Borealis Therapeutics", "Kallen Biological Products"}]


def test_a_dosage_form_says_a_deal_is_about_medicines():
    text = (
        "Orrin Pharma has signed a license and distribution agreement with Fiji Islands company Quillmate, under "
        "which Quillmate will promote the Nasodine nasal spray in Fiji."
    )
    assert _pairs(text) == [{"Orrin Pharma", "Quillmate"}]
    assert _pairs(text.replace("nasal spray", "camera")) == []


def test_a_headline_past_the_lede_names_another_story_not_a_readout():
    related = "* Borealis Announces Positive Topline Results from Phase 2 Colitis Study of Oral Agonist BX-101"
    story = "Borealis Therapeutics held its annual meeting. Shareholders voted. The board was elected.\n\nRelated news:\n"
    assert _record(story + related)["readouts"] == []
    assert [r["assets"][0]["name"] for r in _record(related)["readouts"]] == ["BX-101"]


def test_a_known_medicines_company_deal_with_another_company_needs_no_drug_word_of_its_own():
    text = (
        "Quillmate Holdings said it earned a $2 million contingent payment from AbbVie under a strategic "
        "partnership with AbbVie in dermal fillers. The biotech also cut 20% of staff to fund clinical trials. "
        "Its pipeline includes a breast implant product headed for clinical trials."
    )
    assert _pairs(text) == [{"Quillmate Holdings", "AbbVie"}]
    # a known company with a public body, or alone, still needs the deal's own words to be about medicines
    assert _pairs(text.replace("AbbVie", "the Indiana Economic Development Corporation")) == []


def test_a_news_brief_dense_in_life_science_words_is_biopharma():
    brief = (
        "Halcyon said on Monday it would acquire smaller rival Brightwater in an all-stock deal valued at about "
        "$400 million, as the drug developer looks to add a late-stage migraine treatment. Brightwater's drug "
        "BW-3 is in a phase 3 trial."
    )
    assert _pairs(brief) == [{"Halcyon", "Brightwater"}]


def test_a_unit_named_at_its_parent_makes_the_deal_not_the_parent():
    text = (
        "Kallen Oncology at Borealis, a research and development group of Borealis Therapeutics, and Orrin "
        "Pharma, Inc. today announced a research collaboration and exclusive license agreement for antibody drugs."
    )
    assert _pairs(text) == [{"Kallen Oncology", "Orrin Pharma, Inc."}]


def test_a_release_lists_its_own_sales_without_naming_itself_and_each_keeps_its_own_money():
    text = (
        "# Borealis Therapeutics Reports Fourth-Quarter Results\n\n"
        "Borealis Therapeutics grew revenue. Jardiance-like sales rose. "
        "Its antibody drug BX-1 is part of the company's alliance with Kallen Pharma, Inc.\n"
        "* The agreement to sell the rights of the olanzapine portfolio to Orrin Pharma GmbH for $1.05 billion "
        "in cash upon regulatory approval and closing.\n"
        "* The agreement to sell the rights of Baqsimi to Quillmate Pharmaceuticals, Inc. for $500 million in cash."
    )
    deals = {tuple(p["name"] for p in d["parties"]): d for d in _record(text)["deals"]}
    sale = deals[("Orrin Pharma GmbH", "Borealis Therapeutics")]
    assert sale["types"] == ["asset_purchase"] and sale["total_value"]["amount"] == 1.05e9
    assert [p["role"] for p in sale["parties"]] == ["acquirer", "target"]
    assert deals[("Quillmate Pharmaceuticals, Inc.", "Borealis Therapeutics")]["total_value"]["amount"] == 500e6
    alliance = deals[("Borealis Therapeutics", "Kallen Pharma, Inc.")]
    assert alliance["types"] == ["collaboration"] and alliance["total_value"] is None


def test_whom_doses_are_supplied_to_is_the_client_however_many_figures_between():
    text = (
        "Borealis Therapeutics today entered into a procurement agreement with the U.S. Government under which "
        "the company will supply approximately 3.1 million courses of its antiviral drug to the U.S. Government."
    )
    (deal,) = _record(text)["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {"U.S. Government": "client", "Borealis Therapeutics": "provider"}


def test_a_supply_deal_told_under_a_condition_is_the_governments_not_the_partnerships():
    text = (
        "Borealis Therapeutics, a biopharmaceutical company, is developing the antiviral drug BX-7 in collaboration "
        "with Kallen Pharma. "
        "Under the agreement, if BX-7 receives authorization or approval by Japan's regulator, Borealis Therapeutics "
        "will supply approximately 1.6 million courses of BX-7 to the Japanese government for approximately $1.2 billion."
    )
    deals = {tuple(sorted(p["name"] for p in d["parties"])): d for d in _record(text)["deals"]}
    supply = deals[("Borealis Therapeutics", "Japanese government")]
    assert supply["types"] == ["supply"] and supply["total_value"]["amount"] == 1.2e9
    assert {p["name"]: p["role"] for p in supply["parties"]}["Japanese government"] == "client"
    assert deals[("Borealis Therapeutics", "Kallen Pharma")]["total_value"] is None


def test_a_drugs_originator_is_the_licensor_and_results_expenses_state_no_deal_type():
    originated = "Orforglipron, a small molecule drug, was discovered by Kallen Pharma, Inc. and licensed by Borealis Therapeutics in 2018."
    (deal,) = _record(originated)["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Borealis Therapeutics": "licensee",
        "Kallen Pharma, Inc.": "licensor",
    }
    text = (
        "# Borealis Therapeutics Reports Second-Quarter Results\n\nSales grew. Margins rose. Costs fell.\n"
        "Borealis Therapeutics and Kallen Pharma, Inc. entered into a license agreement for antibody drugs. "
        "Results include $11.6 billion of R&D expenses related to the acquisition of Kallen Pharma, Inc. and other deals."
    )
    assert [d["types"] for d in _record(text)["deals"]] == [["license"]]


def test_a_result_stated_for_two_patient_groups_is_two_values_and_a_control_arm_is_none():
    from biodeals.nlp.readouts import endpoints_in

    groups = "BX-1 showed an ORR of 41% in adults and 52% in children with durable responses."
    assert [e["value"] for e in endpoints_in(groups)] == [41.0, 52.0]
    control = "BX-1 showed an ORR of 41% in the treatment arm and 12% in the placebo arm."
    assert [e["value"] for e in endpoints_in(control)] == [41.0]


def test_a_relative_reduction_is_a_result_and_a_threshold_in_an_endpoints_definition_is_none():
    from biodeals.nlp.readouts import endpoints_in

    assert [(e["name"], e["value"]) for e in endpoints_in("The drug delivered a 96% reduction in HIV infections.")] == [("reduction", 96.0)]
    assert [e["value"] for e in endpoints_in("BX-1 reduced lean mass loss by 71% at week 16.")] == [71.0]
    goal = "The endpoint was the percentage of participants with a greater than 30% reduction from baseline in coughs."
    assert endpoints_in(goal) == []
    assert [e["value"] for e in endpoints_in("At 24 months, the survival rate was 71.4% in treated patients.")] == [71.4]


def test_a_year_glued_to_its_preposition_by_scraping_still_dates_the_deal():
    text = (
        "Borealis Therapeutics reported results today. Sales of BX-1 antibody drugs rose.\n"
        "**InJanuary 2011, Borealis Therapeutics and Kallen Pharma, Inc. announced an alliance in diabetes drugs."
    )
    assert [d["year"] for d in _record(text)["deals"]] == [2011]


def test_results_to_come_cited_from_an_earlier_study_or_in_a_link_are_no_readout():
    record = _record(
        "Halden Pharma today announced positive topline results from the Phase 2 BRAVO-2 trial of HLD-4471. "
        "BRAVO-2 met its primary endpoint, with an ORR of 41%.\n\n"
        "These results confirm previous findings of the Phase 1 KESTREL-1 study of HLD-4471 in healthy volunteers.\n\n"
        "Body composition data from the Phase 3 CONDOR-3 trial of HLD-4471 will be available later in 2026.\n\n"
        "Pickup - [newsworthy.ai](https://newsworthy.ai/curated/hld-4471-shows-positive-results-in-condor-4-trial/1)"
    )
    assert [r["trial"]["name"] for r in record["readouts"]] == ["BRAVO-2"]


def test_a_drug_named_only_as_the_comparator_is_no_asset_of_the_readout():
    record = _record(
        "Halden Pharma today announced positive topline results from the Phase 3 BRAVO-4 trial of HLD-4471. "
        "HLD-4471 reduced infections by 89% compared with the daily oral pill tenofovir."
    )
    (readout,) = record["readouts"]
    assert [a["name"] for a in readout["assets"]] == ["HLD-4471"]


def test_points_on_a_scale_are_a_result_and_a_threshold_written_as_a_symbol_defines_responders():
    from biodeals.nlp.readouts import endpoints_in

    assert endpoints_in("Scores on a 10-point itch scale fell 2.86 points in the treated arm.") == [
        {"name": "score change", "value": 2.86, "unit": "points"}
    ]
    assert endpoints_in("Response is a decrease in the Mayo score of ≥2 points from baseline.") == []
    assert endpoints_in("Patients with a risk score of 2 points or more were enrolled.") == []


def test_a_drugs_results_without_a_trial_name_take_the_phase_where_the_text_first_names_the_drug():
    record = _record(
        "Halden has shared the data behind its phase 3 liver disease win, revealing patients on zelbatinib "
        "reported less itching.\n\nAfter 24 weeks, scores on a 10-point itch scale fell 2.86 points in the "
        "zelbatinib arm and 2.15 points in the placebo arm."
    )
    (readout,) = record["readouts"]
    assert (readout["phase"], [a["name"] for a in readout["assets"]]) == ("3", ["zelbatinib"])


def test_a_footnote_mark_is_no_link_line_and_an_en_dash_range_is_others_results():
    from biodeals.nlp.readouts import endpoints_in

    record = _record(
        "Halden Pharma today announced positive topline results from the Phase 2 BRAVO-2 trial of HLD-4471.\n\n"
        "BRAVO-2 met its primary endpoint, with an ORR of 41% [1]."
    )
    assert [e["value"] for r in record["readouts"] for e in r["endpoints"]] == [41.0]
    assert endpoints_in("The disease control rate was 85%, well above the 25–35% DCR seen with chemotherapy.") == [
        {"name": "DCR", "value": 85.0, "unit": "%"}
    ]


def test_a_purchase_price_and_a_license_the_target_holds_make_it_no_buyer():
    (deal,) = _record(
        "Orrin Pharma Announces Consent in Connection with its Proposed Acquisition of Kestrel Bio, Inc.\n\n"
        "INDIANAPOLIS, Nov. 14, 2023 -- Orrin Pharma today announced that the regulator has consented to the "
        "transfer of control of Kestrel Bio, Inc.'s radioactive materials license, which will occur following "
        "the completion of Orrin Pharma's previously announced tender offer to acquire all of the outstanding "
        "shares of common stock of Kestrel Bio, Inc., for a purchase price of $12.50 per share in cash."
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {"Orrin Pharma": "acquirer", "Kestrel Bio, Inc.": "target"}


def test_a_company_announcing_a_deal_between_two_others_is_no_party_to_it():
    text = (
        "Orrin Pharma, Inc., a clinical-stage biopharmaceutical company, today announced that its affiliate, "
        "Kestrel Bio Inc., has entered into a definitive agreement to acquire the patented Lumora drug "
        "platform from Quill Biotech Inc. for $4.06 million."
    )
    assert _pairs(text) == [{"Kestrel Bio Inc.", "Quill Biotech Inc."}]
    # the announcer of its own deal stays a party
    assert _pairs("Orrin Pharma, Inc. today announced that it has licensed ORN-1 to Kestrel Bio Inc.") == [
        {"Orrin Pharma, Inc.", "Kestrel Bio Inc."}
    ]


def test_spending_on_a_companys_own_sites_is_no_investment_deal_and_a_raise_is():
    assert _pairs(
        "Orrin Pharma, Inc. ups manufacturing investment in Kestrel County by $1 billion to make more diabetes "
        "medicines. Today's announcement brings Orrin Pharma's total Kestrel County investment to $2 billion."
    ) == []
    raised = "Orrin Therapeutics, Inc. raised $6.6 million in a private placement to fund its Phase 2 antibody drug candidate."
    assert _pairs(raised) == [{"Orrin Therapeutics, Inc."}]


def test_whom_a_license_is_granted_by_and_whose_doses_are_bought_are_the_seller_side():
    (licence,) = _record(
        "Kestrel Bio Inc. and Orrin Pharma Enter Into License Agreement for ORN-5, an antiviral drug. Under the "
        "license granted by Orrin Pharma, Kestrel Bio Inc. may make and sell ORN-5 in 100 countries."
    )["deals"]
    assert {p["name"]: p["role"] for p in licence["parties"]} == {"Kestrel Bio Inc.": "licensee", "Orrin Pharma": "licensor"}
    (supply,) = _record(
        "The U.S. Government signed a purchase agreement for 614,000 additional doses of Orrin Pharma's antibody "
        "drug ORN-7 for $1.29 billion."
    )["deals"]
    assert {p["name"]: p["role"] for p in supply["parties"]} == {"U.S. Government": "client", "Orrin Pharma": "provider"}


def test_the_company_before_acquisition_is_bought_and_its_share_price_is_the_total():
    roles = _record(
        "The Kestrel Bio acquisition, completed by Orrin Pharma in March, adds the antibody drug KB-1."
    )["deals"]
    assert {p["name"]: p["role"] for p in roles[0]["parties"]} == {"Orrin Pharma": "acquirer", "Kestrel Bio": "target"}
    (deal,) = _record(
        "Orrin Pharma and Kestrel Bio today announced a definitive agreement for Orrin Pharma to acquire Kestrel "
        "Bio, a biopharmaceutical company developing oncology drugs. Kestrel Bio shareholders will receive "
        "$235.00 in cash for each of their outstanding shares, or approximately $8.0 billion in equity value."
    )["deals"]
    assert deal["total_value"]["amount"] == 8e9 and deal["equity"] is None


def test_a_forward_looking_statement_outside_its_section_names_no_supply_deal():
    assert _pairs(
        "Neutropenia was seen with ORN-1 about ORN-1 as a potential treatment for patients with COVID-19, and "
        "about the supply of ORN-1, and reflects Orrin Pharma's and Kestrel Bio's current beliefs."
    ) == []


def test_a_partnership_told_as_what_a_drug_is_is_background_not_this_years_news():
    (deal,) = _record(
        "PARIS, October 27, 2022 -- Orrin Pharma today announced that Lyntra, an oral PARP inhibitor being "
        "co-developed and co-commercialized with Kestrel Bio, grew its sales by 20% in the quarter."
    )["deals"]
    assert (deal["year"], deal["status"]) == (None, None)


def test_deal_words_in_one_clause_of_a_list_pair_its_companies_with_the_subject_only():
    deals = _record(
        "Orrin Pharma's access approach includes investing at risk to produce millions of courses of the "
        "antiviral drug ORN-1; "
        "tiered pricing for governments; allocating up to 3 million courses of ORN-1 through Kestrel Health "
        "Fund; and granting voluntary licenses to generic manufacturers and to the Quill Patent Pool Foundation."
    )["deals"]
    assert {frozenset(p["name"] for p in d["parties"]) for d in deals} == {
        frozenset({"Orrin Pharma", "Quill Patent Pool Foundation"})
    }


def test_who_signs_a_purchase_agreement_for_a_companys_doses_buys_them():
    (deal,) = _record(
        "Orrin Pharma modified COVID-19 purchase agreement for the antibody drug ORN-7 alone. Orrin Pharma and "
        "the U.S. government have agreed to modify the purchase agreement to complement doses of ORN-7 the U.S. "
        "government already purchased."
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {"U.S. government": "client", "Orrin Pharma": "provider"}


def test_a_company_that_says_who_people_are_or_a_drug_that_names_its_maker_is_not_the_deal():
    (deal,) = _record(
        "Orrin Bio AG raised $130 million in a Series B financing for its antibody drug candidates. The round was "
        "led by Kestrel Ventures, which is linked to a foundation run by Ozempic maker Quill Pharma. Kestrel "
        "Ventures was founded by Harlow University alumni Jane Roe and John Doe to invest in life sciences firms."
    )["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Orrin Bio AG", "Kestrel Ventures"}
    assert "Ozempic" not in [a["name"] for a in deal["assets"]]



def test_a_unit_named_after_a_companys_short_name_is_the_same_side():
    from biodeals.nlp.deals.sentences import _distinct_companies
    from biodeals.nlp.pipeline import recognize

    text = (
        "Eli Lilly and Company (Lilly) will build a site for its vaccines. The site will support close "
        "collaboration with Lilly Research Laboratories in Boston and with Kestrel Therapeutics, Inc."
    )
    companies = {c.name: c for c in recognize(doc(text)).of("company")}
    unit, parent, other = (companies[n] for n in ("Lilly Research Laboratories", "Eli Lilly and Company", "Kestrel Therapeutics, Inc."))
    assert _distinct_companies([unit, parent, other]) == [unit, other]  # whichever the text names first
    assert _distinct_companies([parent, unit, other]) == [parent, other]


def test_a_sentence_referring_back_to_the_agreement_joins_the_deal_told_just_before_it():
    record = _record(
        "INDIANAPOLIS, Oct. 27, 2020 -- Eli Lilly and Company (Lilly) reported its business news.\n\n"
        "* Lilly announced a global antibody manufacturing collaboration with Amgen Inc. to increase the supply "
        "of its antibody drug candidates.\n\n"
        "* Lilly and Innovent Biologics, Inc. announced a global expansion of their strategic alliance for the "
        "cancer drug Tyvyt. Under the terms of the expanded license agreement, Lilly will obtain an exclusive "
        "license for Tyvyt outside of China."
    )
    types = {frozenset(p["name"] for p in d["parties"]): set(d["types"]) for d in record["deals"]}
    assert "license" in types[frozenset({"Eli Lilly and Company", "Innovent Biologics, Inc."})]
    assert "license" not in types[frozenset({"Eli Lilly and Company", "Amgen Inc."})]


def test_an_inhibitor_drug_is_a_small_molecule_unless_it_blocks_a_checkpoint():
    small = _record(
        "Eli Lilly and Company will acquire Kestrel Therapeutics, Inc., whose novel, potent SARM1 inhibitors "
        "are in preclinical development for patients with axonal degeneration."
    )
    assert [d["modalities"] for d in small["deals"]] == [["small molecule"]]
    checkpoint = _record(
        "Eli Lilly and Company will acquire Kestrel Therapeutics, Inc., whose PD-1 inhibitor is in phase 2 "
        "trials for patients with melanoma."
    )
    assert [d["modalities"] for d in checkpoint["deals"]] == [[]]


def test_licensing_as_the_noun_of_a_collaboration_casts_no_one_as_licensee():
    (deal,) = _record(
        "INDIANAPOLIS, April 12, 2019 -- Eli Lilly and Company (Lilly) said the company and Kestrel Biosciences, "
        "Inc. announced a global licensing and research collaboration on antibody conjugates for immunology drugs."
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Eli Lilly and Company": "licensee",
        "Kestrel Biosciences, Inc.": "licensor",
    }


def test_two_partners_each_named_by_its_own_collaboration_are_no_pair():
    text = (
        "RAHWAY, N.J., June 1, 2024 -- Orrin Pharma, Inc. will present data on its cancer drug candidates. "
        "* ORR-101, an antibody-drug conjugate being developed in collaboration with Kestrel Biosciences, Inc.; "
        "* and ORR-202, an antibody being developed in collaboration with Quillmate Therapeutics, Inc."
    )
    assert {"Kestrel Biosciences, Inc.", "Quillmate Therapeutics, Inc."} not in _pairs(text)

