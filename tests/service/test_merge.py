"""The deal-merge policy as pure functions: no database, plain values in and out."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biodeals.model import Amount
from biodeals.service import merge
from biodeals.store.merging import DealReport, DealSource, KnownDeal, StatedTerm


def report(parties=(1, 2), types=("license",), year=2024, status="announced", terms=None, document_id=9):
    return DealReport(
        document_id=document_id,
        parties=dict.fromkeys(parties, "partner"),
        types=frozenset(types),
        status=status,
        year=year,
        terms=terms or {},
    )


def known(types=("license",), year=2024, documents=(1,), terms=None, deal_id=5):
    return KnownDeal(id=deal_id, year=year, types=frozenset(types), documents=frozenset(documents), terms=terms or {})


@pytest.mark.parametrize(
    ("new", "old", "same"),
    [
        (report(), known(), True),
        (report(year=2025), known(), True),
        (report(year=2026), known(), False),
        (report(year=None), known(), True),
        (report(parties=(1,)), known(), True),
        (report(parties=(1,), year=2025), known(), False),
        (report(parties=(1,), year=None), known(), False),
        (report(types=("acquisition",)), known(), False),
        (report(types=("license", "equity")), known(), True),
        (report(types=()), known(types=("acquisition",)), True),
        (report(document_id=1), known(), False),
        (report(terms={"upfront": Amount(90e6, "USD")}), known(terms={"upfront": Amount(50e6, "USD")}), True),
        (report(terms={"upfront": Amount(150e6, "USD")}), known(terms={"upfront": Amount(50e6, "USD")}), False),
        (report(terms={"upfront": Amount(150e6, "EUR")}), known(terms={"upfront": Amount(50e6, "USD")}), True),
        (report(terms={"upfront": Amount(0, "USD")}), known(terms={"upfront": Amount(50e6, "USD")}), True),
        (
            report(types=("supply",), terms={"total_value": Amount(210e6, "USD")}),
            known(types=("supply",), terms={"total_value": Amount(375e6, "USD")}),
            False,
        ),
        (
            report(types=("supply",), terms={"total_value": Amount(1.2e9, "USD")}),
            known(types=("supply",), terms={"total_value": Amount(1.2e9, "USD")}),
            True,
        ),
        (report(types=("supply",), year=2022), known(types=("supply",), year=2021), False),
    ],
    ids=[
        "same-year", "a-year-apart", "two-years-apart", "no-year", "one-party-same-year",
        "one-party-other-year", "one-party-no-year", "other-type", "type-added", "no-types",
        "same-document", "figures-close", "figures-over-twice-apart", "other-currency", "zero-figure",
        "supply-orders-of-other-sums", "supply-order-restated", "supply-orders-of-other-years",
    ],
)  # fmt: skip
def test_merge_same_deal(new, old, same):
    assert merge.same_deal(new, old) is same


def test_merge_candidate_deals_need_two_shared_parties_and_try_the_most_shared_newest_first():
    shared = {10: 2, 11: 1, 12: 3, 13: 2}
    assert merge.candidate_deals(shared, n_parties=3) == [12, 13, 10]
    assert merge.candidate_deals(shared, n_parties=1) == [12, 13, 10, 11]
    assert merge.candidate_deals({}, n_parties=2) == []


def test_merge_types_agree_when_one_contains_the_other_or_they_share_half():
    assert merge.types_agree({"license", "option"}, {"license"})
    assert merge.types_agree({"license", "option", "equity"}, {"license", "option", "collaboration"})
    assert not merge.types_agree({"license", "equity"}, {"license", "collaboration"})
    assert not merge.types_agree({"license", "equity", "supply"}, {"license", "acquisition", "option"})


def test_merge_a_passing_mention_adds_no_types_to_a_known_deal():
    mention = report(status=None)
    assert merge.types_to_add(mention, merged=True) == frozenset()
    assert merge.types_to_add(mention, merged=False) == {"license"}
    assert merge.types_to_add(report(), merged=True) == {"license"}


def test_merge_report_year_is_the_stated_one_else_the_publication_year_of_news():
    assert merge.report_year(2020, None, date(2024, 1, 1)) == 2020
    assert merge.report_year(None, "completed", date(2024, 1, 1)) == 2024
    assert merge.report_year(None, None, date(2024, 1, 1)) is None


def test_merge_a_specific_role_replaces_partner_and_is_kept_unless_news_of_the_deal_states_another():
    assert merge.role_to_store("partner", "licensee") == "licensee"
    assert merge.role_to_store("licensor", "partner") == "licensor"
    assert merge.role_to_store("licensor", "licensee") == "licensor"
    assert merge.role_to_store("client", "provider", news=True) == "provider"  # the announcement says who does what
    assert merge.role_to_store("provider", "partner", news=True) == "provider"


def test_merge_royalties_once_reported_stay():
    assert merge.royalties(True, False) is True
    assert merge.royalties(None, True) is True
    assert merge.royalties(None, False) is False
    assert merge.royalties(True, None) is True


def test_merge_current_status_is_the_furthest_reached_not_the_latest_mentioned():
    sources = [
        DealSource("announced", 2024, date(2024, 1, 5)),
        DealSource("completed", 2024, date(2024, 3, 1)),
        DealSource("announced", 2024, date(2024, 6, 1)),  # a later article recalling the announcement
        DealSource(None, None, date(2023, 12, 1)),  # a passing mention
    ]
    state = merge.deal_state(sources, [])
    assert state.status == "completed"
    assert state.year == 2024
    assert state.announced == date(2024, 1, 5)  # the mention does not date the deal
    assert merge.current_status([DealSource(None, 2024, None)]) is None


def test_merge_current_terms_are_the_newest_source_figures():
    terms = [
        StatedTerm("upfront", 50e6, "USD", date(2024, 1, 1)),
        StatedTerm("upfront", 55e6, "USD", date(2024, 2, 1)),
        StatedTerm("milestones", 1e9, "USD", None),
    ]
    current = merge.current_terms(terms)
    assert current["upfront"].amount == 55e6
    assert current["milestones"].amount == 1e9
    assert current["equity"] is None and current["total_value"] is None


def test_merge_policy_offers_every_decision_the_writer_asks():
    from biodeals.store.merging import MergePolicy

    asked = {name for name in vars(MergePolicy) if not name.startswith("_")}
    assert asked <= set(dir(merge.POLICY))


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True),
    st.none() | st.integers(2015, 2026),
    st.none() | st.integers(2010, 2030),
    st.integers(1, 3),
)
def test_the_bounds_the_database_checks_first_never_leave_out_a_deal_the_policy_would_merge(
    parties, year, known_year, shared
):
    """``candidate_bounds`` only narrows what ``same_deal`` would look at: every stored deal the
    policy calls the same satisfies them."""
    new = report(parties=parties, year=year)
    stored = known(year=known_year)
    bounds = merge.candidate_bounds(new)
    shared = min(shared, len(parties))
    merged = merge.same_deal(new, stored) and shared >= min(2, len(parties))
    if not merged:
        return
    assert bounds is not None and shared >= bounds.min_shared
    if bounds.years is not None:
        inside = known_year is not None and bounds.years[0] <= known_year <= bounds.years[1]
        assert inside or (known_year is None and bounds.undated)
