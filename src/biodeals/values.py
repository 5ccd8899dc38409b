"""Values people type (in CLI options, API parameters, the filter form and edits): amounts such
as ``50M``, ``$1.2B``, ``EUR 300 million`` or ``50e6``, and dates given as a year, a year-month or
a full date. Each parser raises ``ValueError`` with a message naming what it expected."""

from __future__ import annotations

import calendar
import re
from datetime import date

_SCALES = {"": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
           "billion": 1e9, "t": 1e12, "trillion": 1e12}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_AMOUNT = re.compile(
    r"(?P<pre>[$€£¥]|[A-Za-z]{3}\s+)?"
    r"(?P<number>\d[\d,]*(?:\.\d+)?(?:e\d+)?|\.\d+)"
    r"\s*(?P<scale>[A-Za-z]*)"
    r"(?:\s+(?P<post>[A-Za-z]{3}))?",
    re.I,
)
AMOUNT_HELP = "an amount such as 50M, 1.2B, $300 million, EUR 40M or 50e6"
DATE_HELP = "a year (2020), a year-month (2020-06) or a date (2020-06-30)"


def parse_amount(text: str, default_currency: str = "USD") -> tuple[float, str]:
    """``text`` as (amount in units, ISO currency): '50M' -> (50e6, 'USD'), '€1.2bn' -> (1.2e9, 'EUR')."""
    match = _AMOUNT.fullmatch(text.strip())
    scale = match and _SCALES.get(match.group("scale").lower())
    if not match or scale is None or (match.group("pre") and match.group("post")):
        raise ValueError(f"{text!r}: expected {AMOUNT_HELP}")
    pre = (match.group("pre") or "").strip()
    currency = _SYMBOLS.get(pre) or (pre or match.group("post") or default_currency).upper()
    try:
        amount = float(match.group("number").replace(",", "")) * scale
    except ValueError:
        raise ValueError(f"{text!r}: expected {AMOUNT_HELP}") from None
    if amount != amount or amount in (float("inf"),):
        raise ValueError(f"{text!r}: expected {AMOUNT_HELP}")
    return amount, currency


def parse_date_bound(text: str, end: bool = False) -> date:
    """A date, or the first (``end``: the last) day of a year or month: '2020' -> 2020-01-01."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return date(year, 12, 31) if end else date(year, 1, 1)
        if re.fullmatch(r"\d{4}-\d{1,2}", value):
            year, month = map(int, value.split("-"))
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r}: expected {DATE_HELP}") from None
