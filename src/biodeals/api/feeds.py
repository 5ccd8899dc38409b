"""A watchlist as an Atom feed (RFC 4287): its newest matching deals, one entry per deal linking
its page, newest report first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
ET.register_namespace("", ATOM)  # Atom as the default namespace: <feed xmlns=...>, not <ns0:feed>


def _stamp(moment: datetime | None) -> str:
    """RFC 3339 in UTC ('2026-12-04T02:47:42Z'); the store's times are naive UTC."""
    return (moment or datetime(1970, 1, 1)).replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def watchlist_feed(watchlist: dict[str, Any], deals: list[dict[str, Any]], base_url: str) -> bytes:
    """The feed of ``watchlist`` over ``deals`` (each with ``reported_at``), linking pages under ``base_url``."""
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed")

    def child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    child(feed, "id", f"{base}/api/watchlists/{watchlist['name']}.atom")
    child(feed, "title", f"biodeals watchlist: {watchlist['name']}")
    filters = " ".join(f"{key}={value}" for key, value in watchlist["filters"].items()) or "every deal"
    child(feed, "subtitle", f"Deals matching {filters}")
    newest = max((d["reported_at"] for d in deals if d["reported_at"]), default=None)
    child(feed, "updated", _stamp(newest or datetime.fromisoformat(watchlist["created_at"])))
    child(feed, "link", rel="self", type=MEDIA_TYPE, href=f"{base}/api/watchlists/{watchlist['name']}.atom")
    child(feed, "link", rel="alternate", type="text/html", href=f"{base}/watchlists")
    author = child(feed, "author")
    child(author, "name", "biodeals")
    child(feed, "generator", "biodeals")
    for deal in deals:
        entry = child(feed, "entry")
        child(entry, "id", f"{base}/deals/{deal['id']}")
        child(entry, "title", deal["headline"])
        child(entry, "updated", _stamp(deal["reported_at"]))
        child(entry, "link", rel="alternate", type="text/html", href=f"{base}/deals/{deal['id']}")
        parties = "; ".join(f"{p['name']} ({p['role']})" for p in deal["parties"])
        summary = f"{', '.join(deal['types']) or 'deal'} · {deal['status'] or 'status not stated'} · {parties}"
        child(entry, "summary", summary + (f" · announced {deal['announced']}" if deal["announced"] else ""))
        for kind in deal["types"]:
            child(entry, "category", term=kind)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
