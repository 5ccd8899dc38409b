"""A deal's money comes from its terms only (texts written for these tests)."""

from __future__ import annotations

from biodeals.nlp import extract_record
from tests.conftest import doc

_DEAL = (
    "BOSTON, May 2, 2025 -- Orrin Pharma, Inc. and Kestrel Therapeutics today announced a license agreement "
    "for Kestrel's antibody drug candidates in Phase 2 trials. "
)


def _deal(text: str) -> dict:
    (deal,) = extract_record(doc(_DEAL + text))["deals"]
    return deal


def test_results_spending_and_charges_are_no_deal_terms():
    deal = _deal(
        "Orrin will pay Kestrel $50 million upfront. Total worldwide sales of Orrin were $16.0 billion in the "
        "quarter, and the deal adds to Orrin's acquired IPR&D charges of $136.9 million. Orrin also "
        "announced a $3.7 billion investment in a new manufacturing site for the agreement's products."
    )
    assert deal["upfront"]["amount"] == 50_000_000
    assert deal["total_value"] is None and deal["equity"] is None


def test_a_milestone_figure_stated_twice_counts_once_and_one_sentence_adds_up():
    deal = _deal(
        "Kestrel is eligible to receive up to $835 million in milestones. Under the agreement, Kestrel is "
        "eligible for up to $835 million in development and regulatory milestones."
    )
    assert deal["milestones"]["amount"] == 835_000_000
    split = _deal(
        "Kestrel may receive $100 million in development milestones and $200 million in sales milestones."
    )
    assert split["milestones"]["amount"] == 300_000_000


def test_payments_based_on_the_achievement_of_events_are_milestones_however_far_the_word_follows():
    deal = _deal(
        "The company is also eligible to receive up to $1.5 billion in potential payments based on the "
        "achievement of prespecified preclinical, clinical development and commercial milestones."
    )
    assert deal["milestones"]["amount"] == 1.5e9
    assert deal["total_value"] is None


def test_an_option_to_extend_a_new_licence_is_no_amendment():
    deal = _deal("Under the terms, Orrin will have a license with an option to extend the license.")
    assert deal["status"] == "announced"
    amended = extract_record(doc("Orrin Pharma, Inc. extended its license agreement with Kestrel Therapeutics."))
    assert [d["status"] for d in amended["deals"]] == ["amended"]


def test_the_sentence_stating_the_most_milestones_is_the_deals_and_a_total_is_no_milestone():
    deal = _deal(
        "Orrin will pay a $4 billion upfront payment and up to $16.5 billion contingent upon sales milestones, "
        "for a total potential consideration of up to $22 billion. Kestrel may receive up to $1 billion of "
        "those milestones in the first year."
    )
    assert deal["upfront"]["amount"] == 4e9
    assert deal["milestones"]["amount"] == 16.5e9
    assert deal["total_value"]["amount"] == 22e9


def test_a_per_share_price_and_its_total_and_a_results_table_cell():
    deal = _deal(
        "Orrin will acquire Kestrel for $235.00 per share in cash, or approximately $8.0 billion, in a deal "
        "for its antibody drugs.\n\n| Research & Development | $7.0 to $7.2 billion | Development "
        "Milestones | $520 million |"
    )
    assert deal["total_value"]["amount"] == 8e9
    assert deal["equity"] is None and deal["milestones"] is None


def test_the_price_of_all_outstanding_shares_is_the_total_and_capital_spending_no_equity():
    (deal,) = extract_record(
        doc(
            "RAHWAY, N.J., Nov. 5, 2020 -- Orrin Pharma, Inc. and Kestrel Therapeutics, a clinical-stage biotech, "
            "today announced that Orrin will acquire all outstanding shares of Kestrel for $2.75 billion in cash. Orrin said the "
            "acquisition adds to more than $2 billion in capital investments it has made in its antibody plants."
        )
    )["deals"]
    assert deal["types"] == ["acquisition"]
    assert deal["total_value"]["amount"] == 2_750_000_000
    assert deal["equity"] is None


def test_an_upfront_with_more_gives_way_to_the_upfront_broken_out_and_a_total_value_is_no_milestone():
    deal = _deal(
        "The agreement will provide Kestrel $1.375 billion in upfront and near-term payments. This includes a "
        "$500 million upfront payment and $325 million from Orrin's equity purchase. The total deal value, "
        "including milestones and royalties, exceeds $11 billion. Kestrel reported a pro forma cash and "
        "investments balance of $1.4 billion, following the Orrin payments."
    )
    assert deal["upfront"]["amount"] == 500_000_000
    assert deal["equity"]["amount"] == 325_000_000
    assert deal["total_value"]["amount"] == 11_000_000_000 and deal["milestones"] is None
    alone = _deal("The agreement will provide Kestrel $1.375 billion in upfront and near-term payments.")
    assert alone["upfront"]["amount"] == 1_375_000_000  # no upfront broken out: the one stated


def test_a_deal_told_as_closed_is_completed_though_the_sentence_says_what_it_will_bring():
    closed = _deal("Under the agreement, Orrin closed the license on May 1, and the license will provide Kestrel $50 million upfront.")
    assert closed["status"] == "completed"
    pending = _deal("Under the agreement, the license is expected to be completed in June, Orrin said.")
    assert pending["status"] == "announced"


def test_research_funding_given_is_the_deals_value_and_a_reinvestment_is_no_stake():
    deal = _deal(
        "Orrin will deliver $250 million in R&D funding for Kestrel's antibody. Orrin's cost-cutting program "
        "is expected to generate $800 million of reinvestment by year-end under the agreement."
    )
    assert deal["total_value"]["amount"] == 250_000_000 and deal["equity"] is None


def test_a_sum_told_with_its_parts_gives_way_to_its_cash_and_equity_parts():
    deal = _deal(
        "Orrin will make an upfront payment of $500 million, consisting of $150 million cash and $350 million in "
        "the purchase of Kestrel equity. Kestrel is also eligible to receive up to $740 million in milestones."
    )
    assert deal["upfront"]["amount"] == 150e6
    assert deal["equity"]["amount"] == 350e6
    assert deal["milestones"]["amount"] == 740e6
    assert deal["total_value"] is None



def test_a_business_told_as_sold_is_a_completed_sale_whatever_the_seller_plans_next():
    from biodeals.nlp.deals.candidates import DealCandidate
    from biodeals.nlp.deals.sentences import DealSentence
    from biodeals.nlp.deals.terms import deal_status

    told = [
        "The company sold its consumer health business for $18 million in December 2024.",
        "Following the sale of its consumer health business, Orrin plans to leverage these developments.",
    ]
    sentences = [DealSentence(0, len(t), t, [], {"asset_purchase"}, {}) for t in told]
    assert deal_status(DealCandidate([], sentences, year=2024), news=False) == "completed"
    agreed = [DealSentence(0, 40, "In 2015 Orrin agreed to buy Kestrel.", [], {"acquisition"}, {})]
    assert deal_status(DealCandidate([], agreed, year=2015), news=False) == "announced"

def test_a_charge_for_acquired_research_is_no_sign_that_an_announced_acquisition_closed():
    deal = _deal(
        "Orrin will acquire Kestrel for $1 billion. Orrin will determine the accounting treatment of this "
        "transaction as a business combination or an asset acquisition, including any related acquired "
        "in-process research and development charges, upon closing."
    )
    assert deal["status"] == "announced"



def test_a_trial_completed_is_no_closed_deal():
    record = extract_record(
        doc(
            "* The pivotal clinical phase 3 trial for the olanzapine long-acting injectable in schizophrenia has been "
            "completed, Kestrel’s partner Orrin Pharmaceuticals said, who finances the regulatory development of the "
            "product. * Kestrel to receive a $5 million development milestone payment from Orrin Pharmaceuticals."
        )
    )
    assert [(d["types"], d["status"]) for d in record["deals"]] == [(["collaboration"], "announced")]


def test_milestones_a_text_states_by_kind_are_split_and_parts_in_two_sentences_add_up():
    one = _deal("Kestrel may receive $100 million in development milestones and $200 million in sales milestones.")
    assert one["milestone_split"] == {
        "development": {"amount": 100_000_000, "currency": "USD"},
        "sales": {"amount": 200_000_000, "currency": "USD"},
    }
    two = _deal(
        "Orrin will pay $20 million upfront and Kestrel may be eligible for up to $210 million in potential "
        "development and regulatory milestones. If the antibody is commercialized, Kestrel would be eligible "
        "for up to $180 million in potential sales milestones."
    )
    assert two["milestones"] == {"amount": 390_000_000, "currency": "USD"}
    assert {k: v["amount"] for k, v in two["milestone_split"].items()} == {"development": 210e6, "sales": 180e6}
    parts = [e["text"] for e in two["evidence"] if e["field"] in ("milestones_development", "milestones_sales")]
    assert parts == ["$210 million", "$180 million"]
    mixed = _deal("Kestrel may receive up to $1.2 billion in development, regulatory and sales milestones.")
    assert mixed["milestones"]["amount"] == 1_200_000_000 and mixed["milestone_split"] is None
    restated = _deal(
        "Kestrel is eligible for up to $835 million in milestones. Kestrel may receive up to $300 million in "
        "sales milestones."
    )
    assert restated["milestones"]["amount"] == 835_000_000  # a part of a stated whole is no addition
    described = _deal("Kestrel, a clinical-stage company, is eligible for up to $500 million in milestones.")
    assert described["milestones"]["amount"] == 500_000_000 and described["milestone_split"] is None
    even = _deal("Kestrel may receive $100 million in development milestones and $100 million in sales milestones.")
    assert even["milestones"]["amount"] == 200_000_000
    assert {k: v["amount"] for k, v in even["milestone_split"].items()} == {"development": 100e6, "sales": 100e6}
