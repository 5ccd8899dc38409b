"""Readout extraction: reported clinical trial results as SCHEMA.md readout records.

A readout sentence reports results (a result word, or an endpoint with a number) for a trial
or a drug, outside boilerplate and not as a plan. Sentences are grouped by trial (else by the
first drug); phase, assets, indications and endpoint values are read from the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from biodeals.ingest.document import Document
from biodeals.nlp.pipeline import Analysis
from biodeals.nlp.spans import Entity, most_specific

_RESULT = re.compile(
    r"\b(?:met (?:its|the|both)?\s*(?:primary|secondary|co-primary)|achiev\w+|show(?:ed|s|n)|demonstrat\w+|results?"
    r"|data|topline|top-line|positive|reduc\w+|improv\w+|response rate|efficacy|statistically significant)\b",
    re.I,
)
_PLAN = re.compile(
    r"\b(?:will (?:evaluate|assess|enroll|begin|initiate|start)|plans? to|initiat\w+|first patient|enrollment|"
    r"designed to evaluate|is evaluating|are evaluating|expected to (?:read out|report))\b",
    re.I,
)
_PHASE = re.compile(r"\bPhase\s*(?P<a>[1-4]|I{1,3}V?|IV)(?:[ab])?(?:\s*/\s*(?P<b>[1-4]|I{1,3}|IV)(?:[ab])?)?\b", re.I)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}

# (endpoint name pattern, abbreviation, value pattern, unit)
_NUMBER = r"(?P<value>-?\d+(?:\.\d+)?)"
ENDPOINTS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\b(?:objective|overall) response rate\b|\bORR\b", re.I), "ORR", "%"),
    (re.compile(r"\bcomplete response(?: rate)?\b|\bCR rate\b", re.I), "CR rate", "%"),
    (re.compile(r"\bdisease control rate\b|\bDCR\b", re.I), "DCR", "%"),
    (re.compile(r"\bprogression-free survival\b|\bPFS\b", re.I), "PFS", "months"),
    (re.compile(r"\boverall survival\b|\bOS\b"), "OS", "months"),
    (re.compile(r"\bduration of response\b|\bDoR\b", re.I), "DoR", "months"),
    (re.compile(r"\bhazard ratio\b|\bHR\b"), "HR", "HR"),
    (re.compile(r"\b(?:HbA1c|A1C)\b", re.I), "HbA1c", "%"),
    (re.compile(r"\b(?:body )?weight (?:loss|reduction)\b|\bweight\b", re.I), "weight reduction", "%"),
    (re.compile(r"\b6MWD\b|\bsix-minute walk distance\b", re.I), "6MWD", "m"),
    (re.compile(r"\brisk reduction\b|\breduc\w+ (?:the )?risk\b", re.I), "risk reduction", "%"),
]
_VALUE_UNITS = {
    "%": re.compile(_NUMBER + r"\s?(?:%|percent)"),
    "months": re.compile(_NUMBER + r"\s?months?"),
    "HR": re.compile(r"(?:HR|hazard ratio)\s*(?:of|=|:)?\s*\[?" + r"(?P<value>0\.\d+|1\.\d+)"),
    "m": re.compile(_NUMBER + r"\s?(?:m|meters|metres)\b"),
}


@dataclass(slots=True)
class _Group:
    key: str
    trial: Entity | None
    sentences: list[tuple[int, int]] = field(default_factory=list)


def _phase(text: str) -> str | None:
    match = _PHASE.search(text)
    if not match:
        return None
    parts = [p for p in (match.group("a"), match.group("b")) if p]
    return "/".join(_ROMAN.get(p.lower(), p) for p in parts)


def endpoints_in(sentence: str) -> list[dict[str, Any]]:
    """Endpoint values stated in one sentence: the nearest value after (or just before) each
    endpoint name, in the endpoint's usual unit."""
    found: list[dict[str, Any]] = []
    used: set[int] = set()
    for pattern, name, unit in ENDPOINTS:
        for hit in pattern.finditer(sentence):
            values = _VALUE_UNITS[unit]
            after = values.search(sentence, hit.start(), min(len(sentence), hit.end() + 70))
            before = None
            if not after:
                window_start = max(0, hit.start() - 25)
                before = next(iter(reversed(list(values.finditer(sentence, window_start, hit.start())))), None)
            value = after or before
            if value and value.start("value") not in used:
                used.add(value.start("value"))
                found.append({"name": name, "value": float(value.group("value")), "unit": unit})
                break
    return found


def extract_readouts(document: Document, analysis: Analysis, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """SCHEMA.md readout records with ``evidence`` spans (cleaned-text offsets)."""
    text = document.text
    groups: dict[str, _Group] = {}
    last: _Group | None = None  # the trial group most recently extended
    for start, end in spans:
        if document.section_at(start):
            continue
        sentence = text[start:end]
        has_values = bool(endpoints_in(sentence))
        if not (has_values or _RESULT.search(sentence)) or (_PLAN.search(sentence) and not has_values):
            continue
        trials = analysis.within("trial", start, end)
        drugs = analysis.within("drug", start, end)
        if not trials and last is not None and start - last.sentences[-1][1] < 600:
            last.sentences.append((start, end))  # results that continue the trial just named
            continue
        if not trials and not (drugs and has_values):
            continue
        for trial in trials or [None]:
            key = trial.name if trial else drugs[0].name
            group = groups.setdefault(key, _Group(key, trial))
            group.sentences.append((start, end))
            last = group if trial else last
    readouts = []
    for group in groups.values():
        joined = " ".join(text[s:e] for s, e in group.sentences)
        endpoints = [ep for s, e in group.sentences for ep in endpoints_in(text[s:e])]
        if not endpoints and not re.search(r"\b(?:met|positive|topline|top-line|results|data)\b", joined, re.I):
            continue
        phase = _phase(joined)
        if phase is None and group.trial:
            first = group.trial.mentions[0].start
            phase = _phase(text[max(0, first - 60) : first + 80])
        assets = {e.name: e for s, e in group.sentences for e in analysis.within("drug", s, e)}
        # indications come from the sentences that name the trial (later ones list adverse events)
        named = [(s, e) for s, e in group.sentences if group.trial is None or analysis.within("trial", s, e)]
        indications = {e.name: e for s, e in named for e in most_specific(analysis.within("disease", s, e))}
        readouts.append(
            {
                "trial": {"name": group.trial.name, "aliases": group.trial.aliases} if group.trial else None,
                "phase": phase,
                "assets": [{"name": a.name, "aliases": a.aliases} for a in assets.values()],
                "indications": [{"name": i.name, "aliases": i.aliases} for i in indications.values()],
                "endpoints": _dedupe(endpoints),
                "evidence": [{"field": "readout", "start": s, "end": e} for s, e in group.sentences],
            }
        )
    return readouts


def _dedupe(endpoints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for ep in endpoints:
        key = (ep["name"], ep["value"])
        if key not in seen:
            seen.add(key)
            out.append(ep)
    return out
