"""Deals a release tells as background: dated, kept apart from its news (texts written for these tests)."""

from __future__ import annotations

from biodeals.nlp import extract_record
from tests.conftest import doc

_NEWS = (
    "Orrin Therapeutics Exercises Option for Kestrel Bio's Antibody KST-7 March 3, 2025. Orrin Therapeutics, Inc. "
    "and Kestrel Bio, Inc. today announced that Orrin has exercised its option to license KST-7, an antibody "
    "for obesity. Kestrel received a $20 million option exercise payment from Orrin.\n\n"
)


def test_an_about_the_collaboration_section_tells_the_dated_deal_it_heads():
    record = extract_record(
        doc(
            _NEWS + "**About Orrin and Kestrel's Collaboration** In 2021, Orrin and Kestrel entered into a broad "
            "strategic collaboration to discover novel antibodies. In addition to a $60 million upfront payment and "
            "purchase of $40 million of Kestrel's preferred stock, Orrin committed to fund Kestrel's research. "
            "Orrin has a one-time option to license all resulting programs.\n\n"
            "**About Orrin Therapeutics** Orrin Therapeutics is a biopharmaceutical company."
        )
    )
    by_year = {deal["year"]: deal for deal in record["deals"]}
    assert set(by_year) == {2025, 2021}
    background = by_year[2021]
    assert {"collaboration", "equity", "option"} <= set(background["types"])
    assert background["equity"] == {"amount": 40_000_000.0, "currency": "USD"}
    assert background["upfront"] == {"amount": 60_000_000.0, "currency": "USD"}
    assert "equity" not in by_year[2025]["types"]


def test_an_about_section_of_one_company_still_needs_two_companies_for_a_deal():
    record = extract_record(
        doc(_NEWS + "**About Kestrel Bio** Kestrel Bio has a one-time option to license its programs in 2019.")
    )
    assert [deal["year"] for deal in record["deals"]] == [2025]


def test_a_licence_to_a_companys_program_is_that_companys_to_grant():
    (deal,) = extract_record(
        doc(
            "Orrin Therapeutics, Inc. and Kestrel Bio, Inc. today announced an agreement that includes an "
            "exclusive worldwide license to Kestrel's growth differentiation factor 15, or GDF15, program."
        )
    )["deals"]
    assert {p["name"]: p["role"] for p in deal["parties"]} == {
        "Orrin Therapeutics, Inc.": "licensee",
        "Kestrel Bio, Inc.": "licensor",
    }


def test_a_deal_the_release_dates_in_its_own_year_is_this_deal_not_a_past_one():
    record = extract_record(
        doc(
            "Orrin Begins Tender Offer to Acquire Kestrel Bio, Inc. October 12, 2021\n\n"
            "Orrin Pharma, Inc. is commencing today, through a subsidiary, a cash tender offer for all outstanding "
            "shares of Kestrel Bio, Inc., a clinical-stage biopharmaceutical company developing therapies for "
            "patients with pulmonary arterial hypertension. On Sept. 30, 2021, Orrin announced that it had entered "
            "into a definitive agreement to acquire Kestrel."
        )
    )
    assert [sorted(p["name"] for p in d["parties"]) for d in record["deals"]] == [["Kestrel Bio, Inc.", "Orrin Pharma, Inc."]]


def test_a_deal_with_a_third_company_named_beside_an_acquisition_lends_it_neither_type_nor_money():
    record = extract_record(
        doc(
            "Orrin Pharma Reports Fourth-Quarter Results\n\n"
            "In the fourth quarter, Orrin Pharma, Inc. announced the acquisition of Kestrel Bio, Inc., a clinical-stage "
            "biopharmaceutical company developing cancer therapies, for an approximate total value of $1.35 billion and "
            "a license and collaboration agreement with Quillmate Biotech Co., Ltd., which includes an upfront payment "
            "of $175 million."
        )
    )
    acquisition = next(d for d in record["deals"] if "Kestrel Bio, Inc." in [p["name"] for p in d["parties"]])
    assert acquisition["types"] == ["acquisition"]
    assert acquisition["total_value"] == {"amount": 1_350_000_000.0, "currency": "USD"}
    assert acquisition["upfront"] is None


def test_a_company_now_known_by_another_name_is_one_side_not_two():
    record = extract_record(
        doc(
            "Merck & Co., Inc. today announced that the FDA approved its vaccine ERVEBO for children with Ebola "
            "virus disease, based on data from a clinical trial in patients. ERVEBO was originally developed by the "
            "Public Health Agency of Canada and licensed by a subsidiary of NewLink Genetics Corporation now known as "
            "Lumos Pharma, Inc. to Merck & Co., Inc. in 2014."
        )
    )
    assert [{p["name"]: p["role"] for p in d["parties"]} for d in record["deals"]] == [
        {"Merck & Co., Inc.": "licensee", "NewLink Genetics Corporation": "licensor"}
    ]


def test_money_given_to_a_college_for_scholarships_is_no_deal():
    record = extract_record(
        doc(
            "Orrin Pharma, Inc. today announced a $1 billion investment in new manufacturing sites for its diabetes "
            "medicines. Orrin will also commit $15 million to Riverside Community College to foster a diverse talent "
            "pipeline; the collaboration with Riverside Community College will provide scholarships to students."
        )
    )
    assert not record["deals"]


def test_rights_that_came_with_a_company_bought_are_no_licence():
    record = extract_record(
        doc(
            "Orrin Pharma, Inc. today announced FDA approval of KST-7 for patients with pulmonary arterial "
            "hypertension. Orrin acquired exclusive rights to KST-7 in the pulmonary hypertension field through the "
            "acquisition of Kestrel Bio, Inc. in 2021. KST-7 is the subject of a licensing agreement with Quillmate "
            "Pharma Inc."
        )
    )
    assert [d["types"] for d in record["deals"]] == [["acquisition"]]


def test_a_deal_done_at_the_end_of_a_year_is_dated_that_year():
    record = extract_record(
        doc(
            "Chinese biotechs keep licensing their drugs abroad. Quillmate Therapeutics, Inc. licensed the bispecific "
            "antibody QT-11 from Borealis Biopharma Co., Ltd. at the end of 2022. The antibody is in phase 3 trials "
            "for lung cancer."
        )
    )
    assert [(d["types"], d["year"]) for d in record["deals"]] == [(["license"], 2022)]
