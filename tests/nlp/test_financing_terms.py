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
