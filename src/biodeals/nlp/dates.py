"""Dates in text: "July 14, 2023", "Dec. 20, 2024", "14 July 2023", "2023-07-14", "January 2021"
and bare years ("In 2016, ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from biodeals import fastre

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PATTERNS = [
    ("day", fastre.compile(rf"{_MONTH}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s*{_YEAR}\b")),
    # "\d\d?" rather than "\d{1,2}": a pattern opening on a character class is scanned far faster
    ("day", fastre.compile(rf"(?P<day>\d\d?)(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s*{_YEAR}\b")),
    ("day", fastre.compile(r"(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("month", fastre.compile(rf"{_MONTH}\s+(?:of\s+)?{_YEAR}\b")),
    ("year", fastre.compile(r"(?P<year>(?:19[5-9]|20[0-4])\d)(?![\w%,.]\d|\d)")),
]
_NOT_BEFORE = {"day": "", "month": "", "year": "$€£.,-"}

Precision = Literal["day", "month", "year"]
# what puts a date in the future of the text that states it
_AHEAD = fastre.compile(
    r"\b(?:after|until|till|through|before|by|expir\w*|extend\w*(?: to)?|no later than|expected (?:in|on|by)"
    r"|scheduled for|due (?:in|on|by)|beginning|starting|from)\s+(?:the\s+)?(?:(?:end|middle|start) of\s+)?$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date stated by ``text`` at ``[start, end)``; ``value`` is day-precise when
    ``precision == "day"``, else the first day of the month or year."""

    value: date
    precision: Precision
    start: int
    end: int
    text: str
    ahead: bool = False  # stated as a time to come ("on or after March 31, 2039", "until 2030")

    @property
    def year(self) -> int:
        return self.value.year


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token.rstrip(".").lower()[:3]]


def find_dates(text: str) -> list[DateMention]:
    """Every date in ``text``, most precise reading first where readings overlap; text order."""
    found: list[DateMention] = []
    taken = bytearray(len(text) + 1)  # characters a more precise reading already covers
    for precision, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            before = text[match.start() - 1] if match.start() else " "
            if before.isalnum() or before == "_" or before in _NOT_BEFORE[precision]:
                continue  # not at a word start
            if taken.find(1, match.start(), match.end()) >= 0:
                continue
            groups = match.groupdict()
            try:
                month = _month_number(groups["month"]) if groups.get("month") else 1
                day = int(groups["day"]) if groups.get("day") else 1
                value = date(int(groups["year"]), month, day)
            except (ValueError, KeyError):
                continue
            ahead = bool(_AHEAD.search(text, max(0, match.start() - 30), match.start()))
            found.append(DateMention(value, precision, match.start(), match.end(), match.group(), ahead))  # type: ignore[arg-type]
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(found, key=lambda d: d.start)


def dateline(text: str, window: int = 400) -> date | None:
    """The date a press release is issued (see ``publication_date``)."""
    return publication_date(find_dates(text), window)


def publication_date(dates: list[DateMention], window: int = 400) -> date | None:
    """The day-precise date near the top of a press release ("INDIANAPOLIS, July 14, 2023");
    when a long headline pushes it further down, the latest day-precise date in the text that
    it does not state as one to come (a release rarely states a past day after its own, while it
    often cites earlier ones; "generic entry on or after March 31, 2039" is no such day)."""
    days = [m for m in dates if m.precision == "day"]
    head = next((m.value for m in days if m.start < window), None)
    return head or max((m.value for m in days if not m.ahead), default=None)
