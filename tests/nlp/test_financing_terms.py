"""Financings, asset purchases and the figures they are stated with (texts written for these tests)."""

from __future__ import annotations

from biodeals.nlp import extract_record
from tests.conftest import doc


def _deals(text: str) -> list[dict]:
    return extract_record(doc(text))["deals"]


def _only(text: str) -> dict:
    deals = _deals(text)
    assert len(deals) == 1, deals
    return deals[0]


def test_a_drug_bought_from_its_seller_under_an_asset_purchase_agreement_is_an_asset_purchase_only():
    deal = _only(
        "Corvexa Biosciences, Inc. and Quillmate Pharmaceuticals Inc. entered into an asset purchase agreement "
        "under which Quillmate will acquire CVX-101 from Corvexa. Corvexa will receive an upfront payment of $75 million."
    )
    assert deal["types"] == ["asset_purchase"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Quillmate Pharmaceuticals Inc.": "acquirer",
        "Corvexa Biosciences, Inc.": "target",
    }
    assert deal["upfront"] == {"amount": 75_000_000.0, "currency": "USD"}


def test_a_company_bought_to_get_its_drug_stays_an_acquisition():
    deal = _only(
        "Quillmate Pharmaceuticals Inc. acquired CVX-101 through the acquisition of Corvexa Biosciences, Inc., "
        "a privately held biopharmaceutical company, for $75 million."
    )
    assert deal["types"] == ["acquisition"]


def test_a_securities_purchase_agreement_is_a_financing_not_a_supply():
    deal = _only(
        "Epsilon Therapeutics, Inc. today announced that it has entered into a securities purchase agreement "
        "with Zeta Capital LLC for a private placement of $20 million."
    )
    assert deal["types"] == ["equity"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Epsilon Therapeutics, Inc.": "investee",
        "Zeta Capital LLC": "investor",
    }


def test_the_proceeds_a_later_sentence_states_are_the_rounds_equity():
    deal = _only(
        "Orvane Bio, Inc. said that it has sold 3.5 million common shares in a private placement priced at-the-market. "
        "The purchase price per common share was $1.92. "
        "Gross proceeds from the offering were approximately $15 million before deducting any offering-related expenses."
    )
    assert deal["types"] == ["equity"]
    assert deal["equity"] == {"amount": 15_000_000.0, "currency": "USD"}


def test_a_round_is_worth_its_funding_stated_beside_the_sentence_naming_the_investors():
    deal = _only(
        "Kestrel Labs, a biotech developing antibody therapies, has emerged from stealth with $50 million in total "
        "funding to advance its protein design platform for drug discovery. The Series A funding round was co-led by "
        "Harbor Ventures and Quill Partners."
    )
    assert deal["equity"] == {"amount": 50_000_000.0, "currency": "USD"}


def test_a_figure_converted_in_brackets_is_stated_in_its_own_currency_even_where_the_headline_converts_it():
    deal = _only(
        "Limora raises $6.8M to automate cell therapy manufacturing\n\n"
        "Biotech startup Limora SA announces today it has raised CHF6.2M ($6.8M) to take its cell therapy "
        "manufacturing solution for patients to the next stage. The seed round was led by Harbor Ventures, with "
        "participation from Quill Partners."
    )
    assert deal["equity"] == {"amount": 6_200_000.0, "currency": "CHF"}


def test_money_a_person_raised_in_an_earlier_job_is_no_deal():
    assert not _deals(
        "Ardent Oncology, Inc. (NASDAQ: ARDO), a clinical-stage biotechnology company developing cancer therapies, "
        "today announced the appointment of Dr. Jane Poma as chief executive officer. Dr. Poma, a veteran biotech "
        "leader, brings over 30 years of experience, including roles at Molecular Tools (NASDAQ: MTLS), where she "
        "raised over $250 million and secured strategic partnerships with Takeda, Vertex, and BMS."
    )


def test_an_acquisition_not_yet_closed_is_announced():
    deal = _only(
        "Orvane Bio, Inc., a clinical-stage biopharmaceutical company developing therapies for patients with "
        "depression, has signed a definitive agreement to acquire Quillmate Therapeutics, Inc. The Quillmate "
        "acquisition agreement (not yet closed) is part of Orvane's strategy."
    )
    assert deal["status"] == "announced"


def test_cash_paid_upon_closing_before_a_later_payment_is_the_upfront_and_no_total():
    deal = _only(
        "Orvane Bio, Inc. announced the agreement to sell the rights of its kidney drug portfolio, including "
        "Kelvaro®, to Quillmate Pharma GmbH for $1.05 billion in cash upon regulatory approval and successful "
        "closing of the transaction, with an additional $305 million in cash upon the one year anniversary of "
        "closing and milestone payments of up to $50 million."
    )
    assert deal["upfront"] == {"amount": 1_050_000_000.0, "currency": "USD"}
    assert deal["milestones"] == {"amount": 50_000_000.0, "currency": "USD"}
    assert deal["total_value"] is None


def test_a_deposit_followed_by_a_payment_at_closing_is_paid_up_front():
    deal = _only(
        "Under the agreement, Orvane Bio, Inc. will sell the rights to Kelvaro® in China to Quillmate Pharma Ltd. "
        "Orvane will receive a deposit of $75 million, followed by a payment of $300 million upon successful closing."
    )
    assert deal["upfront"] == {"amount": 75_000_000.0, "currency": "USD"}
    assert deal["total_value"] is None


def test_the_aggregate_a_contingent_value_right_brings_is_the_total():
    deal = _only(
        "Proposed acquisition will accelerate gene therapies for hearing loss. Transaction valued at approximately "
        "$487 million plus a contingent value right for an aggregate amount up to approximately $610 million. "
        "Orvane Bio, Inc. and Quillmate Therapeutics, Inc. today announced a definitive agreement for Orvane to "
        "acquire Quillmate, a clinical-stage gene therapy company."
    )
    assert deal["total_value"] == {"amount": 610_000_000.0, "currency": "USD"}


def test_the_research_group_a_trial_is_run_with_is_no_partner_but_a_drug_company_is():
    run_with_group = (
        "Orrin Pharma, Inc. today announced results of the phase 3 ORN-301 trial in patients with melanoma. The trial, "
        "sponsored by Orrin Pharma, Inc. and conducted in collaboration with the Nordic Melanoma Trials Group (NMTG), "
        "met its primary endpoint."
    )
    assert not _deals(run_with_group)
    run_with_company = (
        "Merck today announced results of the phase 3 KEYNOTE-189 trial in patients with lung cancer. "
        "The KEYNOTE-189 trial was conducted by Merck in collaboration with Eli Lilly and Company."
    )
    assert [sorted(p["name"] for p in d["parties"]) for d in _deals(run_with_company)] == [["Eli Lilly and Company", "Merck"]]


def test_what_a_company_pays_to_exercise_its_option_is_paid_up_front():
    deal = _only(
        "Orrin Pharma, Inc. and Kestrel Bio, Inc. announced that Orrin has exercised its option for the personalized "
        "cancer vaccine KST-4157, an investigational mRNA therapy for patients with melanoma. Under the agreement, "
        "established in 2016, Orrin will pay Kestrel $250 million to exercise its option."
    )
    assert "option" in deal["types"]
    assert deal["upfront"] == {"amount": 250_000_000.0, "currency": "USD"}


def test_a_financing_told_with_its_gross_proceeds_is_no_financial_result():
    deal = _only(
        "Orvane Bio Secures $16.5 Million in Preferred Stock Offering to Advance Its Concussion Therapy\n\n"
        "Orvane Bio, Inc., a clinical-stage biotechnology company developing intranasal therapeutics for patients "
        "with neurological disorders, has closed its public offering of Series H Convertible Preferred Stock and "
        "Warrants, raising approximately $16.5 million in gross proceeds."
    )
    assert deal["types"] == ["equity"] and deal["equity"] == {"amount": 16_500_000.0, "currency": "USD"}


def test_a_drug_acquired_by_one_company_from_another_names_both_sides_of_its_purchase():
    deal = _only(
        "INDIANAPOLIS, July 24, 2019 -- Eli Lilly and Company (Lilly) said the FDA approved BAQSIMI nasal powder, "
        "the first nasally administered glucagon for severe hypoglycemia in patients with diabetes. Acquired by "
        "Lilly from Locemia Solutions in 2015, BAQSIMI is a new formulation of rescue glucagon, a medicine that "
        "builds upon Lilly's diabetes heritage. The drug was studied in clinical trials of adults with diabetes."
    )
    assert deal["types"] == ["asset_purchase"] and deal["year"] == 2015
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Eli Lilly and Company": "acquirer",
        "Locemia Solutions": "target",
    }


def test_a_company_bought_is_named_with_the_and_its_initials_keep_and_its_consideration_is_the_total():
    deal = _only(
        "MUMBAI, Dec 2, 2024 -- In October 2024, Orrin Pharma completed the acquisition of Kestrel Serums and "
        "Vaccines (KSV) for a consideration of Rs 1,200 crore. The move makes Orrin a leader in fertility medicines "
        "and women's health drugs."
    )
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Orrin Pharma": "acquirer",
        "Kestrel Serums and Vaccines": "target",
    }
    assert deal["total_value"] == {"amount": 12_000_000_000.0, "currency": "INR"}


def test_two_company_names_joined_by_and_before_one_legal_form_are_two_companies():
    from biodeals.nlp.pipeline import recognize

    text = (
        "Orrin Pharma, Inc. completed its acquisition of Corvexa Biosciences, Inc. in June. Results include charges "
        "related to the Corvexa and Quillmate Therapeutics, Inc. acquisitions."
    )
    names = {c.name for c in recognize(doc(text)).of("company")}
    assert {"Corvexa Biosciences, Inc.", "Quillmate Therapeutics, Inc."} <= names
    assert not any(" and " in name for name in names)
