"""A document's text as HTML with its evidence spans marked, every character escaped.

Spans may nest or overlap (a money figure inside its deal sentence), so the text is cut at every
span boundary and each piece is wrapped according to the spans covering it: field values in
``<mark>``, sentences in ``<span class="sentence">``. Each piece lists the evidence ids covering
it in ``data-ev``, and an empty ``<span id="ev-N">`` anchors where span N starts, so a click on a
value can scroll to it and light up all its pieces.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

SENTENCE_FIELDS = frozenset({"deal", "readout"})


def highlight(text: str, evidence: Iterable[dict[str, Any]]) -> Markup:
    """``text`` escaped, with ``evidence`` items (``id``, ``field``, ``start``, ``end``) marked."""
    spans = [e for e in evidence if 0 <= e["start"] < e["end"] <= len(text)]
    cuts = sorted({0, len(text), *(e["start"] for e in spans), *(e["end"] for e in spans)})
    starting: dict[int, list[dict[str, Any]]] = {}
    for item in spans:
        starting.setdefault(item["start"], []).append(item)
    parts: list[str] = []
    for start, end in pairwise(cuts):
        parts.extend(f'<span class="anchor" id="ev-{item["id"]}"></span>' for item in starting.get(start, []))
        covering = [e for e in spans if e["start"] <= start and end <= e["end"]]
        piece = str(escape(text[start:end]))
        values = [e for e in covering if e["field"] not in SENTENCE_FIELDS]
        ids = " ".join(str(e["id"]) for e in covering)
        if values:
            fields = " ".join(sorted({e["field"] for e in values}))
            kind = "value sentence" if len(values) < len(covering) else "value"
            parts.append(f'<mark class="{kind}" data-ev="{ids}" data-fields="{fields}" title="{fields}">{piece}</mark>')
        elif covering:
            parts.append(f'<span class="sentence" data-ev="{ids}">{piece}</span>')
        else:
            parts.append(piece)
    return Markup("".join(parts))
