"""How deals read to people: the one-line headline of a deal summary, from its roles, types,
assets and money — each example a deal as the service summarises it."""

from __future__ import annotations

import pytest

from biodeals.service.display import headline


def _deal(types, parties, assets=(), status="announced", **money):
    return {
        "types": list(types),
        "parties": [{"name": name, "role": role} for name, role in parties],
        "assets": [{"name": a} for a in assets],
        "targets": [],
        "status": status,
        **{kind: {"amount": amount, "currency": "USD"} for kind, amount in money.items()},
    }


@pytest.mark.parametrize(
    "deal, line",
    [
        (_deal(["license"], [("Corvexa", "licensee"), ("Beta Bio", "licensor")], ["CVX-12"], upfront=20e6),
         "Corvexa licenses CVX-12 from Beta Bio for $20M upfront"),
        (_deal(["acquisition"], [("Acme", "acquirer"), ("Zeta", "target")], total_value=1.1e9, upfront=1e9),
         "Acme acquires Zeta for $1.1B"),
        (_deal(["acquisition"], [("Acme", "acquirer"), ("Zeta", "target")], status="completed"),
         "Acme acquires Zeta (completed)"),
        (_deal(["collaboration", "option"], [("Norvale", "licensee"), ("Brightwater", "licensor")], total_value=5e8),
         "Norvale takes an option from Brightwater, worth up to $500M"),
        (_deal(["equity"], [("Fund A", "investor"), ("Fund B", "investor"), ("Startup", "investee")], equity=6e7),
         "Fund A and Fund B invest in Startup ($60M)"),
        (_deal(["collaboration"], [("Alpha", "partner"), ("Beta", "partner")], ["AB-1"]),
         "Alpha partners with Beta on AB-1"),
        (_deal(["license"], [("Alpha", "partner"), ("Beta", "partner")], status="terminated"),
         "Alpha and Beta: license (terminated)"),
        (_deal([], []), "Unnamed parties: deal"),
    ],
)
def test_a_deal_reads_as_one_line(deal, line):
    assert headline(deal) == line
