"""Stage at signing: how far a deal's programme had come (texts written for these tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from biodeals.model import DEAL_STAGES, numbered_stage
from biodeals.nlp import extract_record
from biodeals.nlp.deals.stage import deal_stage, stage_mentions
from tests.conftest import doc

_PHASE_NUMBERS = st.sampled_from(["1", "2", "3", "4", "I", "II", "III", "IV", "i", "ii", "iii", "iv"])


@given(_PHASE_NUMBERS, st.none() | _PHASE_NUMBERS, st.sampled_from(["", "a", "b"]))
def test_every_way_of_writing_a_phase_is_a_stage(first, second, part):
    text = f"its Phase {first}{part}" + (f"/{second}" if second else "") + " trial"
    (mention,) = stage_mentions(text, 0, len(text))
    assert mention.stage in DEAL_STAGES
    assert text[mention.start : mention.end].startswith("Phase")


def test_a_phase_reads_as_people_mean_it():
    assert numbered_stage("1", "2") == "phase 1/2"
    assert numbered_stage("2", "3") == "phase 2/3"
    assert numbered_stage("II", None) == "phase 2"
    assert numbered_stage("1", "3") == "phase 3"  # no stage spans three phases: the later one
    assert numbered_stage("3", "4") == "phase 3"
    assert numbered_stage("IV", None) == "approved"  # a phase 4 study follows approval


def _stages(text: str) -> list[str]:
    return [m.stage for m in stage_mentions(text, 0, len(text))]


def test_a_plan_or_a_deal_term_is_not_where_a_programme_stands():
    assert _stages("Corvexa will start a Phase 3 trial of TSL-1027 next year.") == []
    assert _stages("Quillmate leads development through Phase 2, when Tessaly may opt in.") == []
    assert _stages("Milestones are due upon initiation of Phase 3.") == []
    assert _stages("Corvexa may receive preclinical, clinical and commercial milestones.") == []
    assert _stages("Tessaly will pay royalties on sales of approved products.") == []
    assert _stages("TSL-1027 is not FDA-approved for any use.") == []
    assert _stages("The proceeds fund a Phase 2 study of TSL-1027, which it plans to initiate in 2027.") == []


def test_what_is_under_way_is_where_a_programme_stands_whatever_the_sentence_plans():
    assert _stages("TSL-1027 is in a Phase 2b trial.") == ["phase 2"]
    assert _stages("The partners will enrol lung cancer patients in an ongoing phase 1 trial.") == ["phase 1"]
    assert _stages("Corvexa completed its Phase 1/2 study of TSL-1027 in May.") == ["phase 1/2"]
    assert _stages("TSL-1027 was approved by the FDA in 2023.") == ["approved"]
    assert _stages("Its BLA was accepted by the FDA in March.") == ["filed"]
    assert _stages("TSL-1027 is in IND-enabling studies.") == ["preclinical"]


def test_a_link_names_no_stage():
    assert _stages("[wire](https://example.com/news/corvexa-targets-phase-3-trials)") == []


def test_the_most_advanced_stage_of_a_deal_is_its_own():
    text = "The portfolio holds TSL-1027, in Phase 2, and TSL-1001, an approved product. TSL-2040 is preclinical."
    mention = deal_stage(text, [(0, len(text))])
    assert mention is not None and mention.stage == "approved"
    assert text[mention.start : mention.end] == "approved product"
    assert deal_stage("Tessaly and Corvexa signed a licence.", [(0, 37)]) is None


def test_a_licence_of_a_phase_2_drug_carries_its_stage_and_where_the_text_says_it():
    text = (
        "Tessaly Pharma to license TSL-1027 from Corvexa Bio March 3, 2026. Tessaly Pharma, Inc. today announced an "
        "exclusive license agreement with Corvexa Bio, Inc. for TSL-1027, a kinase inhibitor for lupus, for $40 "
        "million upfront. Corvexa plans to start a Phase 3 trial in 2027. TSL-1027 is currently being evaluated in "
        "a Phase 2 study in patients with lupus nephritis."
    )
    record = extract_record(doc(text))
    (deal,) = record["deals"]
    assert deal["stage_at_signing"] == "phase 2"
    (evidence,) = [e for e in deal["evidence"] if e["field"] == "stage"]
    assert evidence["text"] == "Phase 2"
    assert text[evidence["start"] : evidence["end"]] == "Phase 2"


def test_the_about_section_of_the_deals_asset_says_its_stage():
    text = (
        "Tessaly Pharma acquires rights to TSL-1027 from Corvexa Bio March 3, 2026. Tessaly Pharma, Inc. today "
        "announced an exclusive license agreement with Corvexa Bio, Inc. for TSL-1027, for $40 million upfront.\n\n"
        "About TSL-1027\n\nTSL-1027 was approved by the FDA in 2024 for the treatment of lupus nephritis.\n\n"
        "About Corvexa Bio\n\nCorvexa Bio is a clinical-stage company; its lead drug TSL-2040 is in Phase 1."
    )
    (deal,) = extract_record(doc(text))["deals"]
    assert deal["stage_at_signing"] == "approved"


def test_a_deal_the_text_dates_before_its_news_has_no_stage_at_signing():
    text = (
        "Corvexa Bio reports Phase 3 data for TSL-1027 March 3, 2026. Corvexa Bio, Inc. today announced positive "
        "results. In 2019, Corvexa licensed TSL-1027 to Tessaly Pharma, Inc. for $10 million upfront. TSL-1027 is in "
        "a Phase 3 trial for lupus."
    )
    deals = extract_record(doc(text))["deals"]
    assert deals and all(d["stage_at_signing"] is None for d in deals)
