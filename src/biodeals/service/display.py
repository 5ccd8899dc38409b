"""How money and curation decisions are written for people (CLI tables, web pages); machines get
the numbers."""

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


def describe_edit(edit: dict[str, Any]) -> str:
    """One line saying what a decision did."""
    value, action = edit["value"], edit["action"]
    if action == "review":
        return f"review: {value}"
    if action == "edit":
        quote = f' (quote: "{edit["evidence"]["text"]}")' if edit["evidence"] else ""
        return f"{edit['field']} set to {shown_value(value)}{quote}"
    if action == "split_party":
        return f"{value['name']} taken off the deal"
    if action == "merge_deals":
        return f"deal {value['absorbed']} merged into this one"
    if action == "merge_companies":
        return f"{value['name']} merged into this company"
    return f"undo of edit {value['edit']}"


def shown_value(value: Any) -> str:
    """An edited value as people read it."""
    if value is None or value == []:
        return "none"
    if isinstance(value, dict) and "amount" in value:
        return format_money(value)
    if isinstance(value, list):
        return "; ".join(
            f"{v['name']}={v['role']}" if isinstance(v, dict) and "role" in v else v["name"] if isinstance(v, dict) else str(v)
            for v in value
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
