import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biodeals.nlp import find_money, parse_money
from biodeals.nlp.money import MAX_USD

PHRASES = [
    ("$26.6 million up front", 26_600_000, "USD", "$26.6 million"),
    ("up to $1.44 billion in milestones", 1_440_000_000, "USD", "$1.44 billion"),
    ("US$1.44 billion", 1_440_000_000, "USD", "US$1.44 billion"),
    ("EUR 50M", 50_000_000, "EUR", "EUR 50M"),
    ("€50 million", 50_000_000, "EUR", "€50 million"),
    ("€1.2bn", 1_200_000_000, "EUR", "€1.2bn"),
    ("¥10 billion", 10_000_000_000, "JPY", "¥10 billion"),
    ("JPY 3.5 billion", 3_500_000_000, "JPY", "JPY 3.5 billion"),
    ("1.5 billion yen", 1_500_000_000, "JPY", "1.5 billion yen"),
    ("50 million euros", 50_000_000, "EUR", "50 million euros"),
    ("£15m", 15_000_000, "GBP", "£15m"),
    ("GBP 90 million", 90_000_000, "GBP", "GBP 90 million"),
    ("CHF 200 million", 200_000_000, "CHF", "CHF 200 million"),
    ("RMB 100 million", 100_000_000, "CNY", "RMB 100 million"),
    ("A$10 million", 10_000_000, "AUD", "A$10 million"),
    ("C$25 million", 25_000_000, "CAD", "C$25 million"),
    ("HK$ 1,200 million", 1_200_000_000, "HKD", "HK$ 1,200 million"),
    ("DKK 1.1 billion", 1_100_000_000, "DKK", "DKK 1.1 billion"),
    ("KRW 50 billion", 50_000_000_000, "KRW", "KRW 50 billion"),
    ("$3.5B", 3_500_000_000, "USD", "$3.5B"),
    ("$50 M", 50_000_000, "USD", "$50 M"),
    ("$500,000", 500_000, "USD", "$500,000"),
    ("$2,500,000,000", 2_500_000_000, "USD", "$2,500,000,000"),
    ("$2.1 trillion", 2_100_000_000_000, "USD", "$2.1 trillion"),
    ("$750K", 750_000, "USD", "$750K"),
    ("$425 million", 425_000_000, "USD", "$425 million"),
    ("USD 30 million", 30_000_000, "USD", "USD 30 million"),
    ("30 million USD", 30_000_000, "USD", "30 million USD"),
    ("20 million dollars", 20_000_000, "USD", "20 million dollars"),
    ("$1 and $2 billion", 1_000_000_000, "USD", "$1"),
    ("$1-2 billion", 1_000_000_000, "USD", "$1"),
    ("payment of $20 million and", 20_000_000, "USD", "$20 million"),
    ("$1.925 billion in cash", 1_925_000_000, "USD", "$1.925 billion"),
    ("US$ 12.5 million", 12_500_000, "USD", "US$ 12.5 million"),
]


@pytest.mark.parametrize(("phrase", "amount", "currency", "surface"), PHRASES, ids=[p[0] for p in PHRASES])
def test_money_phrasings(phrase, amount, currency, surface):
    money = parse_money(phrase)
    assert money is not None
    assert money.amount == pytest.approx(amount)
    assert money.currency == currency
    assert money.text == surface == phrase[money.start : money.end]


@given(st.integers(0, 999_999), st.sampled_from([("million", 10**6), ("billion", 10**9), ("thousand", 10**3)]))
def test_money_a_decimal_figure_is_the_exact_amount_it_writes(hundredths, scale):
    word, factor = scale
    money = parse_money(f"${hundredths // 100}.{hundredths % 100:02d} {word}")
    assert money is not None and money.amount == hundredths * factor // 100  # "$4.06 million" is 4,060,000


@pytest.mark.parametrize(
    "phrase", ["$20.00 per share", "$41.50 per share in cash", "US$3.25 per ADS", "$87.00 for each share"]
)
def test_money_per_share_prices_are_flagged(phrase):
    money = parse_money(phrase)
    assert money is not None and money.per_share


@pytest.mark.parametrize("phrase", ["Phase 3 trial with 1,200 patients", "in 2016", "a 47% response rate", "12 months"])
def test_money_not_found_in_other_numbers(phrase):
    assert find_money(phrase) == []


def test_money_finds_every_amount_in_order():
    text = "an upfront payment of $75 million and up to $1.2 billion in milestones, plus a €25 million equity stake"
    assert [(m.amount, m.currency) for m in find_money(text)] == [(75e6, "USD"), (1.2e9, "USD"), (25e6, "EUR")]


@pytest.mark.parametrize(
    "phrase",
    ["$" + "9" * 400 + " million", "9" * 400 + " dollars", "$" + "1" * 320, "€20 trillion", "$1" + "0" * 20],
)
def test_money_implausible_amounts_are_no_money_mention(phrase):
    assert find_money(phrase) == []


def test_money_the_largest_plausible_amounts_are_kept():
    assert [m.amount for m in find_money("$10 trillion and KRW 5 trillion")] == [1e13, 5e12]


@given(st.text(alphabet="0123456789", min_size=1, max_size=500), st.sampled_from(["", " million", " billion", "bn"]))
def test_money_amounts_are_finite_and_plausible(digits, scale):
    for phrase in (f"${digits}{scale}", f"{digits}{scale} euros", f"a payment of US${digits}{scale} upfront"):
        for money in find_money(phrase):
            assert math.isfinite(money.amount) and 0 <= money.amount <= MAX_USD
            assert phrase[money.start : money.end] == money.text
            assert json.loads(json.dumps(money.as_record(), allow_nan=False)) == money.as_record()
