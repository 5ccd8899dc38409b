"""How money is written for people (CLI tables, web pages); machines get the numbers."""

from __future__ import annotations

from typing import Any

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def format_money(money: dict[str, Any] | None) -> str:
    """'$26.6M', '€1.2B', 'CHF 300K'; '-' for no figure."""
    if not money:
        return "-"
    amount = money["amount"]
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= scale:
            number = f"{amount / scale:.2f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        number = f"{amount:,.0f}"
    symbol = _SYMBOLS.get(money["currency"])
    return f"{symbol}{number}" if symbol else f"{money['currency']} {number}"
