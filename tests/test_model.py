"""The domain model: SCHEMA.md records round-trip through the typed classes, and the enums carry
the order, sides and ranks the layers used to list separately."""

from __future__ import annotations

from pathlib import Path

import pytest

from biodeals.model import BUYER_ROLE, SELLER_ROLE, Deal, DealType, Readout, Role, Side, Status, status_rank
from biodeals.nlp import extract_record
from tests.conftest import doc

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "biodeals" / "data" / "samples"


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_model_records_round_trip_through_the_typed_classes(path):
    record = extract_record(doc(path.read_text(encoding="utf-8")))
    assert record["deals"] or record["readouts"]
    for deal in record["deals"]:
        assert Deal.from_record(deal).to_record() == deal
    for readout in record["readouts"]:
        assert Readout.from_record(readout).to_record() == readout


def test_model_roles_have_the_scorer_sides_and_every_type_a_buyer_and_seller_role():
    assert {r for r in Role if r.side is Side.BUYER} == {Role.LICENSEE, Role.ACQUIRER, Role.INVESTOR, Role.CLIENT}
    assert {r for r in Role if r.side is Side.SELLER} == {Role.LICENSOR, Role.TARGET, Role.INVESTEE, Role.PROVIDER}
    assert set(BUYER_ROLE) == set(SELLER_ROLE) == set(DealType)
    assert all(BUYER_ROLE[t].side is not Side.SELLER and SELLER_ROLE[t].side is not Side.BUYER for t in DealType)


def test_model_status_rank_orders_how_far_a_deal_is_along():
    assert [s.rank for s in (Status.ANNOUNCED, Status.AMENDED, Status.COMPLETED, Status.TERMINATED)] == [0, 1, 2, 3]
    assert status_rank(None) == status_rank("unheard-of") == 0 and status_rank("completed") == 2


def test_model_a_record_with_an_unknown_type_is_refused_naming_it():
    with pytest.raises(ValueError, match="'merger'"):
        Deal.from_record({"types": ["merger"], "parties": []})
