"""Supply deals and the money of other deals (texts written for these tests)."""

from __future__ import annotations

from biodeals.nlp import extract_record
from biodeals.nlp.patterns import find_companies
from tests.conftest import doc


def _deals(text: str) -> list[dict]:
    return extract_record(doc(text))["deals"]


def test_a_purchase_of_doses_is_a_supply_whose_price_is_no_collaborations():
    deals = _deals(
        "Orrin announces 650,000 additional doses of antibody ORN-7 purchased by U.S. government December 2, 2020. "
        "The U.S. government has purchased 650,000 additional doses of Orrin Therapeutics, Inc.'s neutralizing "
        "antibody ORN-7. The purchase agreement is for $812.5 million and the doses will be delivered through "
        "January 31, 2021. ORN-7 emerged from the collaboration between Orrin and Kestrel Bio to create antibody "
        "therapies for COVID-19."
    )
    by_pair = {frozenset(p["name"] for p in d["parties"]): d for d in deals}
    supply = by_pair[frozenset({"U.S. government", "Orrin Therapeutics, Inc."})]
    assert supply["types"] == ["supply"]
    assert {p["name"]: p["role"] for p in supply["parties"]} == {
        "U.S. government": "client",
        "Orrin Therapeutics, Inc.": "provider",
    }
    assert supply["total_value"] == {"amount": 812_500_000.0, "currency": "USD"}
    collaboration = by_pair[frozenset({"Orrin Therapeutics, Inc.", "Kestrel Bio"})]
    assert collaboration["total_value"] is None


def test_the_buyer_named_before_the_purchase_is_a_side_of_the_supply_not_the_announcers_partner():
    deals = _deals(
        "Orrin and Kestrel Announce U.S. Government to Purchase 1.4 Million Additional Courses of ORN-7 "
        "November 9, 2021. Orrin Therapeutics, Inc. and Kestrel Bio, Inc. today announced that the United States "
        "government will exercise two of its options to purchase a total of 1.4 million additional courses of "
        "ORN-7, an investigational oral antiviral medicine, for approximately $1 billion. Orrin is developing ORN-7 "
        "in collaboration with Kestrel Bio."
    )
    (supply,) = [d for d in deals if "supply" in d["types"]]
    assert {p["name"]: p["role"] for p in supply["parties"]} == {
        "U.S. Government": "client",
        "Orrin Therapeutics, Inc.": "provider",
    }
    assert supply["total_value"] == {"amount": 1_000_000_000.0, "currency": "USD"}


def test_the_united_states_government_is_named_whole():
    assert [m.text for m in find_companies("the United States government will exercise two of its options")] == [
        "United States government"
    ]


def test_whom_an_agreement_is_with_does_not_do_what_the_agreement_is_to_do():
    deals = _deals(
        "Orrin announces agreement with U.S. government to supply 300,000 vials of antibody ORN-7 October 28, 2020. "
        "Orrin Therapeutics, Inc. announced today an initial agreement with the U.S. government to supply 300,000 "
        "vials of ORN-7, an investigational neutralizing antibody for patients with COVID-19, for $375 million."
    )
    supply = next(d for d in deals if "supply" in d["types"])
    assert {p["name"]: p["role"] for p in supply["parties"]} == {
        "U.S. government": "client",
        "Orrin Therapeutics, Inc.": "provider",
    }
    assert supply["total_value"] == {"amount": 375_000_000.0, "currency": "USD"} and supply["equity"] is None


def test_who_licenses_know_how_to_enable_another_to_manufacture_licenses_it_out():
    deals = _deals(
        "Orrin Therapeutics, Inc. and Kestrel Pharma expanded their collaboration on medicines for patients in "
        "Africa, under which Orrin will license certain ORN-7 manufacturing know-how to enable Kestrel Pharma to "
        "manufacture and supply treatment for immunological diseases."
    )
    licence = next(d for d in deals if "license" in d["types"])
    assert {p["name"]: p["role"] for p in licence["parties"]} == {
        "Orrin Therapeutics, Inc.": "licensor",
        "Kestrel Pharma": "licensee",
    }


def test_a_manufacturer_the_sentences_cast_as_the_buyer_is_the_client():
    deals = _deals(
        "Kestrel Pharma, an Egyptian pharmaceutical manufacturer, and Orrin Therapeutics, Inc. today announced a "
        "collaboration on insulin for patients with diabetes. For the first time, Orrin will supply its active "
        "pharmaceutical ingredient for insulin at a significantly reduced price to Kestrel Pharma."
    )
    supply = next(d for d in deals if "supply" in d["types"])
    assert {p["name"]: p["role"] for p in supply["parties"]} == {
        "Orrin Therapeutics, Inc.": "provider",
        "Kestrel Pharma": "client",
    }


def test_a_pharmaceutical_services_company_is_the_provider_of_the_service_agreement_it_signs():
    deals = _deals(
        "Orrin Pharmaceuticals Co., Ltd. completed its acquisition of the biologics manufacturing plant of Kestrel "
        "Bio, Inc. for $122.5 million. Upon closing, Orrin signed a long-term CDMO Service Agreement with Kestrel Bio "
        "to manufacture its antibody drugs for patients with cancer.\n\n"
        "About Orrin\n\nOrrin Pharmaceuticals Co., Ltd. is a leading pharmaceutical services company."
    )
    service = next(d for d in deals if d["types"] == ["manufacturing"])
    assert {p["name"]: p["role"] for p in service["parties"]} == {
        "Orrin Pharmaceuticals Co., Ltd.": "provider",
        "Kestrel Bio, Inc.": "client",
    }


def test_two_contract_manufacturers_joining_their_services_are_partners():
    deals = _deals(
        "# Orrin Biologics and Kestrel Fill Partner to Offer New End-to-End Drug Substance and Drug Product "
        "Development and Manufacturing Offering\n\n"
        "Orrin Biologics, a leading global Biopharmaceutical Contract Development and Manufacturing Organization "
        "(CDMO), and Kestrel Fill, a specialized contract manufacturing organization (CMO) focusing on aseptic filling "
        "of vials and syringes for clinical and commercial production, today announced a new strategic partnership. "
        "The companies are partnering to provide end-to-end biopharmaceutical development and manufacturing "
        "capabilities for drug substance and drug product."
    )
    assert [(d["types"], sorted({p["role"] for p in d["parties"]})) for d in deals] == [
        (["manufacturing", "collaboration"], ["partner"])
    ]


def test_a_clinical_trial_collaboration_and_supply_agreement_makes_partners():
    deals = _deals(
        "Orrin Biosciences said Thursday it has signed a clinical trial collaboration and supply agreement with "
        "Kestrel Sciences to assess the efficacy and safety of ORN-397 plus Kestrel's KST-9 in patients with lung "
        "cancer in an ongoing phase 1 trial."
    )
    assert [{p["name"]: p["role"] for p in d["parties"]} for d in deals] == [
        {"Orrin Biosciences": "partner", "Kestrel Sciences": "partner"}
    ]


def test_a_supply_for_at_least_a_sum_is_worth_that_sum():
    deals = _deals(
        "Orrin will supply up to 600,000 doses of antibody ORN-9 to U.S. government in ongoing effort to address "
        "COVID-19 variants February 10, 2022. Orrin Therapeutics, Inc. announced today an agreement with the U.S. "
        "government to supply up to 600,000 doses of ORN-9, an investigational antibody for patients with COVID-19, "
        "for at least $720 million."
    )
    supply = next(d for d in deals if "supply" in d["types"])
    assert supply["total_value"] == {"amount": 720_000_000.0, "currency": "USD"}


def test_the_total_a_buyer_has_committed_to_supersedes_the_tranche_just_bought():
    deals = _deals(
        "Orrin and Kestrel Announce U.S. Government to Purchase 1.4 Million Additional Courses of ORN-7 November 9, "
        "2021. Orrin Therapeutics, Inc. today announced that the United States government will exercise two of its "
        "options to purchase 1.4 million additional courses of ORN-7, an investigational oral antiviral medicine for "
        "patients with COVID-19, for approximately $1 billion. With these exercised options, the United States "
        "government has now committed to purchase a total of approximately 3.1 million courses of ORN-7, for "
        "approximately $2.2 billion."
    )
    supply = next(d for d in deals if "supply" in d["types"])
    assert supply["total_value"] == {"amount": 2_200_000_000.0, "currency": "USD"}


def test_two_companies_named_together_signing_with_a_third_are_one_side_of_a_three_party_deal():
    record = extract_record(
        doc(
            "KENILWORTH, N.J., Jan. 18, 2022 -- Orrin Pharma, Inc., known as Orrin Health outside the United "
            "States, and Kestrel Biosciences, Inc. today announced the signing of a long-term supply agreement "
            "with the United Nations Children's Fund (UNICEF) for their oral antiviral drug candidate. Orrin is "
            "developing the antiviral drug in collaboration with Kestrel Biosciences, Inc."
        )
    )
    deals = {frozenset(p["name"] for p in d["parties"]): d for d in record["deals"]}
    supply = deals[frozenset({"Orrin Pharma, Inc.", "Kestrel Biosciences, Inc.", "United Nations Children's Fund"})]
    assert supply["types"] == ["supply"]
    assert {p["name"]: p["role"] for p in supply["parties"]} == {
        "Orrin Pharma, Inc.": "provider",
        "Kestrel Biosciences, Inc.": "provider",
        "United Nations Children's Fund": "client",
    }
    assert deals[frozenset({"Orrin Pharma, Inc.", "Kestrel Biosciences, Inc."})]["types"] == ["collaboration"]
