"""rNPV arithmetic against cases computed by hand (BIO 2011-2020 all-indication rates, 10% a
year, the documented milestone split), and the answers for terms that cannot be valued."""

from __future__ import annotations

import pytest

from biodeals.errors import ConfigError
from biodeals.service.valuation import load_assumptions, value_terms


def usd(amount: float) -> dict:
    return {"amount": amount, "currency": "USD"}


DEFAULTS = load_assumptions()


def test_a_phase_3_licence_by_hand():
    # upfront 20 at signing; milestones 100: filing 30 (the development share, one stage ahead)
    # at 3 years with p 0.578; approval 20 at 4 years with p 0.578 x 0.906 = 0.523668; sales
    # milestones 25 each at 6 and 8 years with the same p; discounted at 10% a year
    by_hand = (
        20
        + 30 * 0.578 / 1.1**3  # 13.02780
        + 20 * 0.523668 / 1.1**4  # 7.15345
        + 25 * 0.523668 / 1.1**6  # 7.38992
        + 25 * 0.523668 / 1.1**8  # 6.10738
    )
    valued = value_terms({"upfront": usd(20e6), "milestones": usd(100e6)}, "phase 3", DEFAULTS)
    assert valued["rnpv"]["amount"] == pytest.approx(by_hand * 1e6) == pytest.approx(53.678542e6)
    assert [f["event"] for f in valued["cash_flows"]] == ["upfront", "filing", "approval", "sales milestone 1", "sales milestone 2"]
    assert valued["stated"]["amount"] == pytest.approx(120e6)


def test_milestones_the_text_splits_are_paid_on_their_own_events_by_hand():
    # phase 3, $210M development and regulatory + $180M sales milestones (as Lilly / Asahi Kasei
    # state them): the default shares 0.3 filing / 0.2 approval carry the 210 as 3:2 (126, 84),
    # the two sales milestones 90 each; probabilities and years as the phase 3 case above
    split = {"development": usd(210e6), "sales": usd(180e6)}
    valued = value_terms({"milestones": usd(390e6), "milestone_split": split}, "phase 3", DEFAULTS)
    flows = {f["event"]: f["amount"] for f in valued["cash_flows"]}
    assert flows == pytest.approx({"filing": 126e6, "approval": 84e6, "sales milestone 1": 90e6, "sales milestone 2": 90e6})
    by_hand = 126 * 0.578 / 1.1**3 + 84 * 0.523668 / 1.1**4 + 90 * 0.523668 / 1.1**6 + 90 * 0.523668 / 1.1**8
    assert valued["rnpv"]["amount"] == pytest.approx(by_hand * 1e6)
    assert any("split as the text states them" in note for note in valued["not_valued"])
    # an approved product has no development event ahead: those milestones are said, not valued
    approved = value_terms({"milestones": usd(390e6), "milestone_split": split}, "approved", DEFAULTS)
    assert sum(f["amount"] for f in approved["cash_flows"]) == pytest.approx(180e6)
    assert any("development milestones: not valued" in note for note in approved["not_valued"])
    # parts that are not the whole (another source's total) leave the default shares
    partial = value_terms({"milestones": usd(500e6), "milestone_split": split}, "phase 3", DEFAULTS)
    assert {f["event"]: f["amount"] for f in partial["cash_flows"]}["filing"] == pytest.approx(150e6)


def test_a_phase_1_deal_splits_development_milestones_over_three_stages():
    valued = value_terms({"milestones": usd(90e6)}, "phase 1", DEFAULTS)
    flows = {f["event"]: f for f in valued["cash_flows"]}
    assert list(flows) == ["start of phase 2", "start of phase 3", "filing", "approval", "sales milestone 1", "sales milestone 2"]
    assert flows["start of phase 2"]["amount"] == pytest.approx(9e6)  # 0.3 x 90 / 3
    assert flows["start of phase 3"]["years"] == pytest.approx(4.5) and flows["start of phase 3"]["probability"] == pytest.approx(0.52 * 0.289)
    assert flows["approval"]["probability"] == pytest.approx(0.52 * 0.289 * 0.578 * 0.906)
    assert flows["approval"]["years"] == pytest.approx(8.5)
    assert valued["rnpv"]["amount"] == pytest.approx(sum(f["amount"] * f["probability"] / 1.1 ** f["years"] for f in flows.values()))


def test_oncology_rates_and_a_filed_programme_fold_development_into_approval():
    valued = value_terms({"milestones": usd(10e6)}, "filed", DEFAULTS, area="oncology")
    flows = {f["event"]: f for f in valued["cash_flows"]}
    assert flows["approval"]["amount"] == pytest.approx(5e6) and flows["approval"]["probability"] == pytest.approx(0.92)
    assert flows["approval"]["years"] == pytest.approx(1.0)


def test_what_cannot_be_valued_is_said():
    assert value_terms({}, "phase 2", DEFAULTS)["reason"].startswith("not enough terms: the deal states no upfront")
    no_stage = value_terms({"upfront": usd(5e6), "milestones": usd(50e6)}, None, DEFAULTS)
    assert no_stage["rnpv"] is None and "stage at signing is not known" in no_stage["reason"]
    early = value_terms({"milestones": usd(50e6)}, "preclinical", DEFAULTS)
    assert "no probability or duration for preclinical" in early["reason"]
    mixed = value_terms({"upfront": usd(5e6), "milestones": {"amount": 1e6, "currency": "EUR"}}, "phase 2", DEFAULTS)
    assert "several currencies" in mixed["reason"]
    notes = value_terms({"upfront": usd(5e6), "royalties": True, "equity": usd(1e6)}, None, DEFAULTS)
    assert notes["rnpv"]["amount"] == 5e6 and any("royalties" in n for n in notes["not_valued"])
    assert any("equity" in n for n in notes["not_valued"])


def test_a_total_without_its_split_counts_the_rest_as_milestones():
    valued = value_terms({"upfront": usd(10e6), "total_value": usd(110e6)}, "approved", DEFAULTS)
    assert [f["amount"] for f in valued["cash_flows"]] == [10e6, 50e6, 50e6]
    assert "total value less the upfront" in valued["not_valued"][0]


def test_a_replacement_table_is_read_over_the_defaults_and_checked(tmp_path):
    table = tmp_path / "mine.toml"
    table.write_text('discount_rate = 0.0\n[transitions.all]\npreclinical = 0.5\n[years]\npreclinical = 1.0\n', encoding="utf-8")
    mine = load_assumptions(table)
    valued = value_terms({"milestones": usd(100e6)}, "preclinical", mine)
    assert valued["cash_flows"][0]["event"] == "start of phase 1" and valued["cash_flows"][0]["probability"] == 0.5
    assert valued["assumptions"]["discount_rate"] == 0.0 and mine.transitions["all"]["phase 2"] == 0.289
    table.write_text("[transitions.all]\n'phase 1' = 1.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not between 0 and 1"):
        load_assumptions(table)
    table.write_text("not = [toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a readable TOML file"):
        load_assumptions(table)


@pytest.mark.parametrize(
    "text, stage",
    [("Phase III", "phase 3"), ("phase3", "phase 3"), ("P2", "phase 2"), ("1/2", "phase 1/2"), ("Filed", "filed"),
     ("Phase 2/3", "phase 2/3"), ("preclinical", "preclinical"), ("Ph1", "phase 1"), ("approved", "approved"),
     ("Phase IIb", "phase 2"), ("phase 1b/2", "phase 1/2"), ("  Phase   2  ", "phase 2")],
)  # fmt: skip
def test_stages_as_people_write_them(text, stage):
    from biodeals.service.valuation import parse_stage

    assert parse_stage(text) == stage


def test_supply_deals_and_unknown_stages_are_answered_not_valued():
    supply = value_terms({"types": ["supply"], "total_value": usd(9e7)}, "phase 3", DEFAULTS)
    assert supply["rnpv"] is None and "supply deal pays for goods" in supply["reason"]
    with pytest.raises(ConfigError, match="stage 'soon'"):
        value_terms({"upfront": usd(1e6)}, "soon", DEFAULTS)
    for typed in ("phase 4", "phase 5", "p"):
        with pytest.raises(ConfigError, match="expected one of discovery"):
            value_terms({"upfront": usd(1e6)}, typed, DEFAULTS)


def test_every_deal_of_the_samples_is_valued_or_answered(tmp_path):
    from biodeals.cli.commands import sample_paths
    from biodeals.service.ingest import ingest
    from biodeals.service.queries import DealFilter, list_deals
    from biodeals.service.valuation import STAGES, value_deal
    from biodeals.store import connect

    engine = connect(tmp_path / "kb.db")
    ingest(sample_paths(), engine)
    for deal in list_deals(engine, DealFilter(limit=None, trusted=False)):
        for stage in (None, *STAGES):
            valued = value_deal(engine, deal["id"], stage=stage)
            assert (valued["rnpv"] is None) == ("reason" in valued), (deal["id"], stage)
            if valued["rnpv"] is not None:
                assert valued["rnpv"]["amount"] <= valued["stated"]["amount"] + 1e-6
    engine.dispose()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[milestones]\ncommercial_years = []\n", "commercial_years must list one or more years"),
        ("[years]\n'phase 2' = -1.0\n", "years of phase 2 must not be negative"),
        ("discount_rate = 1.5\n", "discount_rate 1.5"),
    ],
)
def test_a_replacement_table_that_cannot_value_anything_is_refused(tmp_path, text, problem):
    table = tmp_path / "bad.toml"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_assumptions(table)
