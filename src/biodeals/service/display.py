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


# per deal type (most telling first): the verb phrase, the paying and the other side's roles
_HEADLINES: tuple[tuple[str, str, str, str], ...] = (
    ("acquisition", "acquires {other}", "acquirer", "target"),
    ("asset_purchase", "buys {what} from {other}", "acquirer", "target"),
    ("option", "takes an option on {what} from {other}", "licensee", "licensor"),
    ("license", "licenses {what} from {other}", "licensee", "licensor"),
    ("manufacturing", "has {what} manufactured by {other}", "client", "provider"),
    ("supply", "is supplied {what} by {other}", "client", "provider"),
    ("equity", "invests in {other}", "investor", "investee"),
    ("collaboration", "partners with {other} on {what}", "partner", "partner"),
)

_PLURAL = {"has": "have", "is": "are"}


def headline(deal: dict[str, Any]) -> str:
    """One line saying what a deal is, from its summary: 'Corvexa licenses CVX-12 from Beta Bio
    for $20M upfront'; 'Acme and Zeta: collaboration' when the parties' roles do not tell."""
    parties = deal.get("parties") or []
    names = {role: [p["name"] for p in parties if p["role"] == role] for role in {p["role"] for p in parties}}
    what = ", ".join(a["name"] for a in (deal.get("assets") or deal.get("targets") or [])[:2]) or "a programme"
    line = ""
    for kind, phrase, payer, other in _HEADLINES:
        if kind not in deal.get("types", []):
            continue
        payers, others = names.get(payer, []), names.get(other, [])
        if payer == other:  # partners: one of them leads the line
            payers, others = others[:1], others[1:]
        if payers and others:
            verb, _, rest = phrase.format(what=what, other=" and ".join(others[:2])).partition(" ")
            if len(payers) > 1:  # "Fund A and Fund B invest in ..."
                verb = _PLURAL.get(verb, verb.removesuffix("s"))
            line = f"{' and '.join(payers[:2])} {verb} {rest}"
            break
    if not line:
        line = " and ".join(p["name"] for p in parties[:3]) or "Unnamed parties"
        line += ": " + (", ".join(deal.get("types", [])).replace("_", " ") or "deal")
    line = line.replace(" on a programme", "")
    price = deal.get("total_value") or deal.get("upfront")
    if price and {"acquisition", "asset_purchase"} & set(deal.get("types", [])):
        line += f" for {format_money(price)}"  # a purchase price, not a ceiling
    elif deal.get("upfront"):
        line += f" for {format_money(deal['upfront'])} upfront"
    elif deal.get("total_value"):
        line += f", worth up to {format_money(deal['total_value'])}"
    elif deal.get("equity"):
        line += f" ({format_money(deal['equity'])})"
    if deal.get("status") in ("terminated", "completed"):
        line += f" ({deal['status']})"
    return line
