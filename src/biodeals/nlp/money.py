"""Money amounts in text: "$26.6 million", "US$1.44 billion", "EUR 50M", "¥10 billion",
"€1.2bn", "50 million euros", "$20.00 per share".

Amounts are returned in units (not millions) with an ISO 4217 currency code, and with the
``[start, end)`` offsets of the phrase that states them.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from biodeals import fastre

SYMBOLS = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "$": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "JP¥": "JPY",
    "CHF": "CHF",
    "SFr.": "CHF",
    "CNY": "CNY",
    "RMB": "CNY",
    "CN¥": "CNY",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "DKK": "DKK",
    "SEK": "SEK",
    "NOK": "NOK",
    "KRW": "KRW",
    "₩": "KRW",
    "INR": "INR",
    "₹": "INR",
    "HK$": "HKD",
    "HKD": "HKD",
    "S$": "SGD",
    "SGD": "SGD",
    "NZ$": "NZD",
    "Rs.": "INR",
    "Rs": "INR",
}
WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "u.s. dollars": "USD",
    "us dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "yen": "JPY",
    "japanese yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "swiss francs": "CHF",
    "francs": "CHF",
    "won": "KRW",
    "rupees": "INR",
    "kroner": "DKK",
    "danish kroner": "DKK",
    "swedish kronor": "SEK",
    "kronor": "SEK",
}
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "m": 1e6,
    "mio": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
}

# No deal or market is worth more than this many US dollars; a larger figure ("$" and 400 digits,
# which float() reads as inf) is a typo or garbage, not a money mention.
MAX_USD = 1e13
# Rough units per US dollar of the currencies worth far less than one, so that the bound above
# still admits "KRW 5 trillion"; every other currency is bounded as if worth a dollar.
_UNITS_PER_USD = {"JPY": 200.0, "KRW": 2000.0, "INR": 100.0, "CNY": 10.0, "HKD": 10.0, "DKK": 10.0, "SEK": 15.0}

_SYMBOL = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_WORD = "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"thousand|millions?|billions?|trillion|crore|lakh|mn|mm|mio|bn|tn|[kmb](?![a-z])"

_LEADING = fastre.Anchored(
    rf"(?P<symbol>{_SYMBOL})\s?(?P<number>{_NUMBER})(?:\s?(?P<scale>(?i:{_SCALE})))?(?![\w])"
    rf"(?:\s+(?P<trail>(?i:{_WORD}))\b)?",
    anchors=tuple(SYMBOLS),
)
_TRAILING = fastre.compile(
    # _NUMBER with its first digit taken first, so the engine skips straight to digits
    r"(?P<number>\d(?<![\w$€£¥.,].)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?))"
    rf"(?:\s?(?P<scale>{_SCALE}))?\s+(?P<word>{_WORD}|USD|EUR|GBP|JPY|CHF|CNY|RMB)\b",
    re.IGNORECASE,
)
# "$1 and $2 billion", "$1-2 billion": the scale of the second figure applies to the first
_SHARED_SCALE = fastre.compile(
    rf"\s*(?:and|to|or|-|–)\s*(?:{_SYMBOL})?\s?(?:{_NUMBER})\s?(?P<scale>{_SCALE})\b", re.IGNORECASE
)
_PER_SHARE = fastre.compile(
    r"\s*(?:in\s+cash\s+)?(?:per|a|for\s+each)\s+(?:share|ADS|ordinary\s+share|common\s+share)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount (in units) and ISO 4217 currency stated by ``text`` = ``source[start:end]``.

    ``per_share`` is true for share prices ("$20.00 per share"), which are not deal values.
    """

    amount: float
    currency: str
    start: int
    end: int
    text: str
    per_share: bool = False

    def as_record(self) -> dict[str, float | str]:
        """The SCHEMA.md money object."""
        return {"amount": self.amount, "currency": self.currency}


def _scale_of(word: str | None) -> float:
    if not word:
        return 1.0
    if word in ("M", "B", "K"):
        return SCALES[word.lower()]
    return SCALES.get(word.lower(), 1.0)


def _symbol_currency(symbol: str) -> str:
    return SYMBOLS.get(symbol) or SYMBOLS.get(symbol.upper()) or "USD"


def find_money(text: str) -> list[Money]:
    """Every money amount in ``text``, in text order."""
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for match in _LEADING.finditer(text):
        symbol = match.group("symbol")
        if symbol.lower() in ("rs",) and not match.group("scale"):
            continue
        currency = _symbol_currency(symbol)
        if match.group("trail"):
            currency = WORDS[match.group("trail").lower()]
        scale = match.group("scale")
        if not scale:
            shared = _SHARED_SCALE.match(text, match.end())
            scale = shared.group("scale") if shared else None
        money = _money(text, match, currency, scale)
        if money is not None:
            found.append(money)
        taken.append((match.start(), match.end()))  # an implausible figure is no money mention either
    taken_starts = [start for start, _ in taken]  # leading matches do not overlap: sorted both ways
    for match in _TRAILING.finditer(text):
        # the last leading match starting before this one ends is the only one that can overlap it
        index = bisect.bisect_left(taken_starts, match.end()) - 1
        if index >= 0 and match.start() < taken[index][1]:
            continue
        word = match.group("word")
        currency = WORDS.get(word.lower()) or SYMBOLS.get(word.upper(), "USD")
        money = _money(text, match, currency, match.group("scale"))
        if money is not None:
            found.append(money)
    found.sort(key=lambda m: m.start)
    return found


def plausible(amount: float, currency: str) -> bool:
    """Whether ``amount`` of ``currency`` is a finite, non-negative figure no larger than
    ``MAX_USD`` US dollars' worth (records are JSON: ``inf`` is not a number there)."""
    return math.isfinite(amount) and 0 <= amount <= MAX_USD * _UNITS_PER_USD.get(currency, 1.0)


def _money(text: str, match: re.Match[str], currency: str, scale: str | None) -> Money | None:
    """The Money a match states, or None when its amount is not plausible."""
    # in decimal, so "$4.06 million" is 4,060,000 and not 4,059,999.9999999995
    amount = float(Decimal(match.group("number").replace(",", "")) * Decimal(_scale_of(scale)))
    if not plausible(amount, currency):
        return None
    per_share = bool(_PER_SHARE.match(text, match.end()))
    return Money(amount, currency, match.start(), match.end(), match.group(), per_share)


def parse_money(phrase: str) -> Money | None:
    """The first money amount in ``phrase``, or None."""
    found = find_money(phrase)
    return found[0] if found else None
