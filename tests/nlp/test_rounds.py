"""Financing rounds told over several sentences, on texts written for these tests."""

from __future__ import annotations

from biodeals.nlp import extract_record
from tests.conftest import doc


def _deals(text: str) -> list[dict]:
    return extract_record(doc(text))["deals"]


def _roles(deal: dict) -> dict[str, str]:
    return {p["name"]: p["role"] for p in deal["parties"]}


def test_a_round_told_over_several_sentences_is_one_deal_with_every_investor():
    (deal,) = _deals(
        "BASEL, March 3, 2025 -- Orrin Biologics AG today announced a $90 million Series B financing for its "
        "antibody drug candidates. The financing round was led by Denmark’s Kestrel Holdings. Other new investors "
        "included London’s Quillmate Ventures, Boston-based Harrow Capital Management and Larkspur Partners. "
        "Existing investors who joined the round included Tamsin Ventures and Corvexa Pharma."
    )
    assert deal["types"] == ["equity"]
    assert _roles(deal) == {
        "Orrin Biologics AG": "investee",
        "Kestrel Holdings": "investor",
        "Quillmate Ventures": "investor",
        "Harrow Capital Management": "investor",
        "Larkspur Partners": "investor",
        "Tamsin Ventures": "investor",
        "Corvexa Pharma": "investor",
    }
    assert deal["equity"]["amount"] == 90_000_000


def test_a_round_whose_sentences_name_only_investors_is_for_the_company_the_release_is_about():
    (deal,) = _deals(
        "# Orrin raises $12 million for its gene therapies\n\n"
        "ZURICH, May 2, 2025 -- Orrin Therapeutics SA, a clinical-stage gene therapy company, announces today it has "
        "raised CHF 11 million ($12 million) to take its gene therapy candidates into clinical trials. The oversubscribed seed round "
        "was led by Kestrel Ventures, with participation from Quillmate Fund, W.A. de Harrow Foundation and a "
        "lineup of private individuals who have supported Orrin’s vision from its inception."
    )
    assert _roles(deal) == {
        "Orrin Therapeutics SA": "investee",
        "Kestrel Ventures": "investor",
        "Quillmate Fund": "investor",
        "W.A. de Harrow Foundation": "investor",
    }


def test_a_round_is_not_part_of_the_partnership_of_the_company_funded():
    deals = _deals(
        "ZURICH, May 2, 2025 -- Orrin Therapeutics SA, a developer of cell therapies, announces today it has raised "
        "$12 million to advance its gene therapy programs. The seed round was led by Kestrel Ventures. "
        "Orrin has signed a research collaboration with Quillmate Therapeutics on gene therapy vectors."
    )
    by_type = {tuple(d["types"]): _roles(d) for d in deals}
    assert by_type == {
        ("equity",): {"Orrin Therapeutics SA": "investee", "Kestrel Ventures": "investor"},
        ("collaboration",): {"Orrin Therapeutics SA": "partner", "Quillmate Therapeutics": "partner"},
    }


def test_a_company_named_after_the_investor_list_is_not_an_investor():
    (deal,) = _deals(
        "Orrin Therapeutics, Inc. announced an equity investment of $25 million from Kestrel Pharma, Inc. "
        "| Source: Orrin Therapeutics, Inc. The investment supports the Phase 2 trial of ORN-101."
    )
    assert _roles(deal) == {"Orrin Therapeutics, Inc.": "investee", "Kestrel Pharma, Inc.": "investor"}


def test_raising_a_sum_is_a_round_of_the_company_that_raised_it():
    (deal,) = _deals(
        "LONDON, April 8, 2024 -- Orrin Biosciences PLC has raised £715,000 through placements and "
        "subscriptions to fund the Phase 1 trial of its gene therapy for progeria."
    )
    assert _roles(deal) == {"Orrin Biosciences PLC": "investee"}
    assert deal["types"] == ["equity"]



PORTFOLIO = """# Kestrel Capital Joins $90 Million Series B for Swiss Startup Orrin Bio

Orrin Bio AG today announced a $90 million Series B financing led by Novo Holdings, with participation from Kestrel Capital Management.

Kestrel Capital Management boasts of partnerships with 30 scientists. It has backed several startups commercializing cancer research. Its recent investments include Halcyon Biosciences, Brightwater Pharmaceuticals and Trellis Therapeutics.
"""


def test_an_investors_listed_holdings_are_a_stake_in_each_not_news_and_not_the_round():
    deals = extract_record(doc(PORTFOLIO))["deals"]
    held = {
        frozenset(p["name"] for p in d["parties"]): d for d in deals if "Orrin Bio AG" not in {p["name"] for p in d["parties"]}
    }
    assert set(held) == {
        frozenset({"Kestrel Capital Management", name})
        for name in ("Halcyon Biosciences", "Brightwater Pharmaceuticals", "Trellis Therapeutics")
    }
    for deal in held.values():
        assert deal["types"] == ["equity"] and deal["status"] is None and deal["year"] is None
        assert {p["role"] for p in deal["parties"] if p["name"] == "Kestrel Capital Management"} == {"investor"}
