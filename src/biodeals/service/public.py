"""What stored values may be shown to the world: links only to http(s) URLs, and document
sources without the server's own file paths.

Stored documents come from files, feeds and records written by anyone, so a stored ``url`` may
be ``javascript:...`` and a stored ``source`` is an absolute path on the server. Both the JSON
API and the web pages pass them through here.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# no whitespace or control character anywhere: browsers drop tabs and newlines inside a
# scheme ("java\tscript:"), so such a string is never a link
_LINKABLE = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_WEB_URL = re.compile(r"^https?://", re.IGNORECASE)


def web_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None (shown as text, never an href)."""
    if not isinstance(url, str) or not _LINKABLE.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced '[' in the host
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def public_source(source: Any) -> Any:
    """A document's source as it may be shown: a fetched URL without its user name or password,
    else only the last part of a file path (with its ``:line``, ``#entry`` or ``[index]``).

    ``/srv/data/feeds/news.xml#3`` becomes ``news.xml#3``; labels such as ``api`` stay.
    """
    if not isinstance(source, str):
        return source
    if _WEB_URL.match(source):
        try:
            parts = urlsplit(source)
        except ValueError:  # an unparsable host: only its last part is shown
            return _last_part(source)
        host = parts.netloc.rpartition("@")[2]  # no user name or password
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return _last_part(source)


def _last_part(source: str) -> str:
    """The last non-empty part of ``source`` split at ``/`` and ``\\`` (all of it when there is none)."""
    pieces = [piece for piece in re.split(r"[/\\]", source) if piece]
    return pieces[-1] if pieces else source


def public_document(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of a document mapping (from the service) with its ``source`` made public."""
    if "source" not in document:
        return document
    return {**document, "source": public_source(document["source"])}
