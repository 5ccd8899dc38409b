"""Parsers of what people type: amounts ('50M', '$1.2B', 'EUR 300 million') and date bounds
('2020', '2020-06', '2020-06-30'), by example and by property."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biodeals.api.middleware import read_token_file
from biodeals.errors import ConfigError
from biodeals.values import parse_amount, parse_date_bound


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("50M", 50e6, "USD"),
        ("1.2B", 1.2e9, "USD"),
        ("$300 million", 300e6, "USD"),
        ("EUR 40M", 40e6, "EUR"),
        ("40m eur", 40e6, "EUR"),
        ("€1.5bn", 1.5e9, "EUR"),
        ("£250K", 250e3, "GBP"),
        ("50e6", 50e6, "USD"),
        ("1,250,000", 1.25e6, "USD"),
    ],
)
def test_amounts_as_people_write_them(text, amount, currency):
    assert parse_amount(text) == (pytest.approx(amount), currency)


@pytest.mark.parametrize("text", ["", "lots", "50X", "$ 40M EUR", "M50", "1e999", "--5"])
def test_what_is_no_amount_is_refused_with_the_forms_expected(text):
    with pytest.raises(ValueError, match="expected an amount such as 50M"):
        parse_amount(text)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(["", "K", "M", "B"]))
def test_a_number_and_its_scale_read_back(number, suffix):
    text = f"{number:.3f}{suffix}"
    scale = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}[suffix]
    assert parse_amount(text)[0] == pytest.approx(float(f"{number:.3f}") * scale)


@given(st.text(max_size=20))
def test_any_text_is_an_amount_or_a_clear_refusal(text):
    try:
        amount, currency = parse_amount(text)
    except ValueError as error:
        assert "expected an amount" in str(error)
    else:
        assert amount >= 0 and amount != float("inf") and len(currency) == 3


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2020-06-30", date(2020, 6, 30), date(2020, 6, 30)),
    ],
)
def test_a_year_or_month_bounds_its_first_or_last_day(text, first, last):
    assert parse_date_bound(text) == first and parse_date_bound(text, end=True) == last


@pytest.mark.parametrize("text", ["20", "2020-13", "2020-02-30", "June 2020", ""])
def test_what_is_no_date_is_refused(text):
    with pytest.raises(ValueError, match="expected a year"):
        parse_date_bound(text)


def test_a_token_file_maps_each_token_to_its_user(tmp_path):
    path = tmp_path / "tokens"
    path.write_text("# who   token\nann  ann-secret-1\n\nbob bob-secret-2  # the reviewer\n", encoding="utf-8")
    assert read_token_file(str(path)) == {"ann-secret-1": "ann", "bob-secret-2": "bob"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [("ann\n", "line 1: expected 'USER TOKEN'"), ("ann short\n", "8 or more"), ("a t0ken-abc\nb t0ken-abc\n", "line 2")],
)
def test_a_bad_token_file_names_its_line(tmp_path, content, problem):
    path = tmp_path / "tokens"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        read_token_file(str(path))


def test_a_missing_token_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        read_token_file(str(tmp_path / "absent"))
