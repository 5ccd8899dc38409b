"""Readout extraction: reported clinical trial results as SCHEMA.md readout records.

A readout sentence reports results (a result word, or an endpoint with a number) for a trial
or a drug, outside boilerplate and not as a plan. Sentences are grouped by trial (else by the
first drug); phase, assets, indications and endpoint values are read from the group.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from biodeals import fastre, rules
from biodeals.ingest.document import Document
from biodeals.model import Endpoint, EvidenceSpan, Named, Readout
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.ranges import section_at
from biodeals.nlp.readout_scorer import readout_confidence
from biodeals.nlp.sentences import LEDE_SENTENCES, headline_shaped
from biodeals.nlp.spans import Entity, most_specific

_RESULT = fastre.compile(
    r"\b(?:met (?:its|the|both)?\s*(?:primary|secondary|co-primary)|achiev\w+|show(?:ed|s|n)|demonstrat\w+|results?"
    r"|data|topline|top-line|positive|reduc\w+|improv\w+|response rate|efficacy|statistically significant)\b",
    re.I,
)
_PLAN = fastre.compile(
    r"\b(?:will (?:evaluate|assess|enroll|begin|initiate|start)|plans? to|initiat\w+|first patient|enrollment|"
    r"designed to evaluate|is evaluating|are evaluating|expected to (?:read out|report)"
    r"|will be (?:available|presented|reported|announced|shared)|(?:is|are) planned|later (?:this year|in 20\d\d))\b",
    re.I,
)
_PHASE = fastre.compile(
    r"\bPhase\s*(?P<a>[1-4]|I{1,3}V?|IV)(?:[ab])?(?:\s*/\s*(?P<b>[1-4]|I{1,3}|IV)(?:[ab])?)?\b", re.I
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}

# The endpoints (name pattern, short name, unit) and the way a value of each unit is written are
# rows of biodeals/rules/endpoints.toml and units.toml; a row naming a unit that does not
# exist is a RuleError when the rules load, not a KeyError at extraction time.
_ENDPOINT_ROWS = rules.load("endpoints")
ENDPOINTS: list[tuple[re.Pattern[str], str, str]] = [(row.pattern, row["name"], row["unit"]) for row in _ENDPOINT_ROWS]
_ENDPOINT_NAMES = frozenset(name for _, name, _ in ENDPOINTS)
_DIGIT = fastre.compile(r"\d")
# a quick pre-test (case-insensitive, so it may say yes where no endpoint pattern matches)
_ANY_ENDPOINT = fastre.compile("|".join(f"(?:{row.source})" for row in _ENDPOINT_ROWS), re.I)
_TO = fastre.compile(r"\s+to\s+")
_VALUE_UNITS = {row.id: row.pattern for row in rules.load("units")}


@dataclass(slots=True)
class _Group:
    key: str
    trial: Entity | None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    _added: set[tuple[int, int]] = field(default_factory=set, repr=False)  # what ``sentences`` holds

    def add(self, span: tuple[int, int]) -> None:
        if span not in self._added:
            self._added.add(span)
            self.sentences.append(span)


def _phase(text: str) -> str | None:
    match = _PHASE.search(text)
    if not match:
        return None
    parts = [p for p in (match.group("a"), match.group("b")) if p]
    return "/".join(_ROMAN.get(p.lower(), p) for p in parts)


def endpoints_in(sentence: str) -> list[dict[str, Any]]:
    """Endpoint values stated in one sentence, in the endpoint's usual unit: for each mention of
    an endpoint name, the value right before it ("a 4.4% weight reduction"), else the nearest
    after it, else one shortly before. Each mention of a name may state its own value ("cut the
    risk of death by 37% and the risk of progression by 47%"); a value is read once."""
    found: list[dict[str, Any]] = []
    if not _DIGIT.search(sentence):
        return found
    used: set[int] = set()
    for share in _SHARE_OF_PATIENTS.finditer(sentence):  # "63% of individuals ... developed injection-site nodules"
        used.add(share.start("value"))
        used.update(m.start("value") for m in _VALUE_UNITS["%"].finditer(sentence, *share.span("outcome")))
        found.append({"name": _outcome_name(share.group("outcome")), "value": float(share.group("value")), "unit": "%"})
    if not _ANY_ENDPOINT.search(sentence):
        return found
    for pattern, name, unit in ENDPOINTS:
        values = _VALUE_UNITS[unit]
        for hit in pattern.finditer(sentence):
            close = next(iter(reversed(list(values.finditer(sentence, max(0, hit.start() - 12), hit.start())))), None)
            adjacent = close if close and not sentence[close.end() : hit.start()].strip(" -") else None
            after = values.search(sentence, hit.start(), min(len(sentence), hit.end() + 70))
            before = None
            if not after:
                window_start = max(0, hit.start() - 25)
                before = next(iter(reversed(list(values.finditer(sentence, window_start, hit.start())))), None)
            value = adjacent or after or before
            if value is after and after and sentence[max(0, after.start() - 3) : after.start()].lower() == "by ":
                # "extended median survival by 5.3 months to 13.8 months": the arm's value is the second
                to = _TO.match(sentence, after.end())
                value = (to and values.match(sentence, to.end())) or after
            if value and _IN_RANGE.search(sentence, max(0, value.start("value") - 6), value.start("value") + value.group("value").startswith("-")):
                continue  # "the 25-35% DCR typically seen with chemotherapy": a span of others' results
            if value and value.start("value") not in used:
                used.add(value.start("value"))
                if _SYMBOL_THRESHOLD.search(sentence, max(0, value.start() - 3), value.start()) or _OR_MORE.match(
                    sentence, value.end()
                ):
                    continue  # "a decrease in the Mayo score of ≥2 points", "a score of 2 points or more": a definition
                if _THRESHOLD.search(sentence, max(0, value.start() - 16), value.start()) and _RESPONDERS.search(
                    sentence, max(0, value.start() - 70), value.start()
                ):
                    continue  # "participants with a greater than 30% reduction": a goal, not a result
                found.append({"name": name, "value": float(value.group("value")), "unit": unit})
                for extra in _other_groups(sentence, value, values):
                    used.add(extra.start("value"))
                    found.append({"name": name, "value": float(extra.group("value")), "unit": unit})
    return found


# "40% of patients in the combination group achieving at least 5% weight loss", "63% of individuals
# in the trial developed injection-site nodules": the share of patients with an outcome is a result
_PATIENTS = r"(?:patients|participants|individuals|subjects|people|adults|children|men|women|those)"
_SHARE_OF_PATIENTS = fastre.compile(
    rf"(?<![\w.])(?P<value>\d+(?:\.\d+)?)\s?(?:%|percent) of (?:(?:the|all|evaluable|treated|[\w-]+-treated)\s+)?{_PATIENTS}\b"
    r"(?:\s+(?:in|on|with|receiving|treated|taking|given)\b[^,;.()%]{0,50}?)?"
    r"\s+(?:developed|achieved|achieving|experienced|experiencing|had|having|reported|reached|reaching|attained|showed|saw)\s+"
    r"(?!(?:baseline|received|been|undergone|(?:\w+\s+)?(?:a\s+)?(?:prior|previous|history)|previously)\b)"  # who was enrolled
    r"(?P<outcome>(?:an?\s+|the\s+)?[^,;.()—–]{3,60}?)(?=\s+(?:compared|versus|vs\.?|at|by|after|in|with|from|while|and|or)\b|[,;.()—–]|$)",
    re.I,
)


def _outcome_name(outcome: str) -> str:
    """The outcome's words, without a leading article ("a PASI 75 response" -> "PASI 75 response")."""
    return re.sub(r"^(?:an?|the)\s+", "", outcome.strip(), flags=re.I)


_SYMBOL_THRESHOLD = fastre.compile(r"[<>≥≤]\s*$")
_OR_MORE = fastre.compile(r"\s+or\s+(?:more|greater|higher|above|less|fewer|lower|below)\b", re.I)
_IN_RANGE = fastre.compile(r"\d\s*[-–]\s*$")
# a threshold said of patients ("patients with a greater than 30% reduction") defines responders
_RESPONDERS = fastre.compile(rf"\b{_PATIENTS}\b[^.;%]{{0,40}}\b(?:with|achiev\w*|who|ha(?:d|ving)|reach\w*)\b", re.I)
_THRESHOLD = fastre.compile(r"(?:(?:greater|more|less|fewer|higher|lower) than|at least|up to|[<>≥≤])\s*$", re.I)
# the words between one group's value and the next group's ("41% in adults and 52% in children"),
# and the group after a value, which is no control arm
_FOR_ANOTHER_GROUP = fastre.compile(r"\s+(?:in|for|among)\s+(?:[\w-]+\s+){0,3}?[\w-]+,?\s+(?:and|while|with)\s+")
_GROUP_NEXT = fastre.compile(r"\s+(?:in|for|among)\s+(?!(?:the\s+)?(?:placebo|control|chemo\w*|comparator|standard)\b)")


def _other_groups(sentence: str, value: re.Match[str], values: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The values the sentence states for further patient groups right after ``value``: "an ORR of
    41% in adults and 52% in children" is a result for each group, not a result and a comparator."""
    while (join := _FOR_ANOTHER_GROUP.match(sentence, value.end())) is not None:
        following = values.match(sentence, join.end())
        if following is None or not _GROUP_NEXT.match(sentence, following.end()):
            return
        yield following
        value = following


_STRONG_RESULT = fastre.compile(
    r"\b(?:met (?:its|the|both|all)?\s*(?:\w+ )?(?:primary|secondary|co-primary)|statistically significant|top-?line"
    r"|positive (?:results|data|findings)|(?:results|data|findings) (?:from|of|showed|demonstrated|indicated)"
    r"|non-inferior|demonstrated|showed)\b",
    re.I,
)
_STUDY_WORD = fastre.compile(r"\b(?:stud(?:y|ies)|trials?)\b", re.I)
_PLURAL_STUDIES = fastre.compile(
    r"\b(?:both|two|three|all)\b[^.]{0,40}\b(?:studies|trials)\b|\b(?:studies|trials)\b", re.I
)
# a line that only links elsewhere: what is left once addresses are taken out
_URL = fastre.compile(r"\(?https?://[^\s)]*\)?")
_LINK_ONLY = fastre.compile(r"[^\[\]]{0,60}?\[[^\]]*\]\(\W*")
# results the text cites from an earlier study, not those it reports
_EARLIER_STUDY = fastre.compile(
    r"\b(?:previous|prior|earlier|past)\s+(?:[\w-]+\s+){0,3}?(?:findings|results|data|stud(?:y|ies)|trials?)\b", re.I
)
_CONTINUATION = 600  # characters after a trial's last result sentence in which results still belong to it


def _first_start(trial: Entity) -> int:
    return trial.mentions[0].start


def _trials_referred(sentence: str, start: int, trials: list[Entity], last: _Group | None) -> list[Entity | None]:
    """Trials that a result sentence naming none refers to: the trial just reported on, else
    the document's trials ("both Phase 3 studies" -> every trial it names; ``trials`` are in
    order of first mention)."""
    if last is not None and last.trial is not None and start - last.sentences[-1][1] < _CONTINUATION:
        return [last.trial]
    if not trials or not _STUDY_WORD.search(sentence):
        return []
    if _PLURAL_STUDIES.search(sentence) and len(trials) <= 3:
        return list(trials)
    before = bisect.bisect_left(trials, start, key=_first_start)  # trials first named before ``start``
    return [trials[before - 1] if before else trials[0]]


def _may_report(document: Document, analysis: Analysis, start: int) -> bool:
    """Results are reported in the body and in "About <drug or trial>" paragraphs, not in
    company boilerplate, forward-looking statements or contacts."""
    section = section_at(document, start)
    if section is None:
        return True
    if section.kind != "about":
        return False
    heading = (section.start, section.start + len(section.title) + 12)
    return not analysis.within("company", *heading) and bool(
        analysis.within("drug", *heading) or analysis.within("trial", *heading)
    )


_REGISTRY_ID = fastre.compile(r"^(?:NCT\d{8}|EudraCT|ISRCTN|CTR|jRCT|ACTRN|ChiCTR)", re.I)
_APPOSITION = fastre.compile(r"^\s*[(,]\s*$")


def registry_aliases(trials: list[Entity], text: str) -> dict[str, Entity]:
    """Registry numbers that name a trial also named in words: "ORCHID-3 (NCT05551234)" or
    "NCT05551234 (ORCHID-3)" -> {"NCT05551234": ORCHID-3}. One trial, not two readouts."""
    mentions = sorted(((m.start, m.end, trial) for trial in trials for m in trial.mentions), key=lambda x: x[:2])
    same: dict[str, Entity] = {}
    for (_, first_end, first), (second_start, _, second) in pairwise(mentions):
        if first is second or not _APPOSITION.match(text[first_end:second_start]):
            continue
        first_is_id, second_is_id = bool(_REGISTRY_ID.match(first.name)), bool(_REGISTRY_ID.match(second.name))
        if first_is_id != second_is_id:
            registry, named = (first, second) if first_is_id else (second, first)
            same.setdefault(registry.name, named)
    return same


def extract_readouts(document: Document, analysis: Analysis, spans: list[tuple[int, int]]) -> list[Readout]:
    """The readouts the document reports, with ``evidence`` spans (cleaned-text offsets)."""
    text = document.text
    registry = registry_aliases(analysis.of("trial"), text)
    doc_trials = sorted((t for t in analysis.of("trial") if t.name not in registry), key=lambda t: t.mentions[0].start)
    groups: dict[str, _Group] = {}
    last: _Group | None = None  # the trial group most recently extended
    for index, (start, end) in enumerate(spans):
        if not _may_report(document, analysis, start):
            continue
        sentence = text[start:end]
        if _URL.search(sentence) and _LINK_ONLY.fullmatch(_URL.sub("(", sentence)):
            continue  # "Pickup - [advos.io](https://advos.io/en/promising-als-treatment-shows-...)"
        named = {(r := registry.get(t.name, t)).name: r for t in analysis.within("trial", start, end)}
        trials: list[Entity | None] = list(named.values())
        if not trials:
            trials = _trials_referred(sentence, start, doc_trials, last)
        drugs = analysis.within("drug", start, end)
        if not trials and not drugs:
            continue  # a result about nothing the text names
        has_values = bool(endpoints_in(sentence))
        strong = bool(_STRONG_RESULT.search(sentence))
        # a new readout needs a strong result cue; the sentences after it may just say "data"
        continues = bool(trials) and trials == [last.trial if last else None]
        if not (has_values or strong or (continues and _RESULT.search(sentence))):
            continue
        if _PLAN.search(sentence) and not has_values:
            continue
        if not has_values and index >= LEDE_SENTENCES and headline_shaped(sentence):
            continue  # a headline past the lede names another story ("* Palatin Announces Positive ...")
        if not trials:
            if not drugs or not (has_values or _PHASE.search(sentence)):
                continue
            trials = [None]
        if _EARLIER_STUDY.search(sentence):  # "confirm previous findings of the ProMISe Phase 2 study"
            trials = [t for t in trials if t is not None and t.name in groups] or ([None] if drugs else [])
            if not trials or (trials == [None] and not has_values):
                continue
        for trial in trials:
            key = trial.name if trial else drugs[0].name
            group = groups.setdefault(key, _Group(key, trial))
            group.add((start, end))
            last = group if trial else last
    _merge_into_trials(groups, analysis, text)
    codes: dict[str, list[str]] = defaultdict(list)  # trial name -> the registry numbers naming it
    for code, named in registry.items():
        codes[named.name].append(code)
    readouts = [_readout(group, analysis, text, codes) for group in groups.values()]
    for readout in readouts:
        readout.confidence = readout_confidence(readout)
    return readouts


def _merge_into_trials(groups: dict[str, _Group], analysis: Analysis, text: str) -> None:
    """Results stated for a drug without naming its trial (often the headline: "Sotatercept
    improved six-minute walk distance by 40.8 meters") join the one trial of that drug the text
    reports on, unless they state another phase."""

    def drugs(sentences: list[tuple[int, int]]) -> set[str]:
        return {e.name for s, e in sentences for e in analysis.within("drug", s, e)}

    phases: dict[int, str | None] = {}  # id of a trial group -> its phase, until it gains sentences

    def phase(group: _Group) -> str | None:
        if id(group) not in phases:
            phases[id(group)] = _phase(" ".join(text[s:e] for s, e in group.sentences))
        return phases[id(group)]

    # the trial groups naming each drug, in the order of ``groups`` (trial groups are never removed)
    order = {id(g): index for index, g in enumerate(groups.values())}
    trial_drugs = {id(g): drugs(g.sentences) for g in groups.values() if g.trial is not None}
    naming: dict[str, list[_Group]] = defaultdict(list)
    for g in groups.values():
        for name in trial_drugs.get(id(g), ()):
            naming[name].append(g)
    for key, group in list(groups.items()):
        if group.trial is not None:
            continue
        trials = naming.get(key, [])
        if len(trials) != 1 or _phase(" ".join(text[s:e] for s, e in group.sentences)) not in (None, phase(trials[0])):
            continue
        target = trials[0]
        target.sentences = sorted({*target.sentences, *group.sentences})
        target._added.update(group.sentences)
        phases.pop(id(target), None)
        for name in drugs(group.sentences) - trial_drugs[id(target)]:
            trial_drugs[id(target)].add(name)
            bisect.insort(naming[name], target, key=lambda g: order[id(g)])
        del groups[key]


def _readout(group: _Group, analysis: Analysis, text: str, codes: dict[str, list[str]]) -> Readout:
    joined = " ".join(text[s:e] for s, e in group.sentences)
    stated = {(s, e): endpoints_in(text[s:e]) for s, e in group.sentences}
    endpoints = [ep for found in stated.values() for ep in found]
    # the trial's first mention (often its "About" paragraph) says its phase and indication
    context: list[tuple[int, int]] = []
    if group.trial:
        first = group.trial.mentions[0].start
        context = [(max(0, first - 60), first + 160)]
    phase = _phase(joined) or (_phase(text[slice(*context[0])]) if context else None)
    if phase is None and group.trial is None:
        # a drug's results without a trial name: where the text first names the drug says its
        # phase ("the data behind its phase 3 liver disease win, revealing patients on linerixibat")
        drug = next((e for e in analysis.of("drug") if e.name == group.key), None)
        first = drug.mentions[0].start if drug else None
        phase = _phase(text[max(0, first - 100) : first + 60]) if first is not None else None
    assets = {e.name: e for s, e in group.sentences for e in analysis.within("drug", s, e)}
    compared = {name for name, drug in assets.items() if _only_compared(drug, group.sentences, text)}
    assets = {name: drug for name, drug in assets.items() if name not in compared} or assets
    # the patients an endpoint value is stated for ("ORR of 47% in first-line NSCLC") are the
    # indication; else the sentences naming the trial and its first mention (later sentences
    # list adverse events); else any of the readout's sentences (a headline: "... for the
    # Treatment of Adults with HIV-1 Infection")
    named = [(s, e) for s, e in group.sentences if group.trial is None or analysis.within("trial", s, e)]
    indications: dict[str, Entity] = {}
    # (a share of patients with an outcome may count side effects: "63% ... developed nodules")
    valued = [span for span, found in stated.items() if any(ep["name"] in _ENDPOINT_NAMES for ep in found)]
    for spans in (valued, named + context, group.sentences):
        indications = {e.name: e for s, e in spans for e in most_specific(analysis.within("disease", s, e))}
        if indications:
            break
    trial = group.trial
    return Readout(
        trial=Named(trial.name, (*trial.aliases, *codes.get(trial.name, ()))) if trial else None,
        phase=phase,
        assets=tuple(Named(a.name, tuple(a.aliases)) for a in assets.values()),
        indications=tuple(Named(i.name, tuple(i.aliases)) for i in indications.values()),
        endpoints=[Endpoint(**ep) for ep in _dedupe(endpoints)],
        evidence=[EvidenceSpan("readout", s, e) for s, e in group.sentences],
        sponsor=_sponsor(group.sentences, analysis),
    )


def _sponsor(sentences: list[tuple[int, int]], analysis: Analysis) -> Named | None:
    """The company whose trial it is: the one the readout's sentences name most often (the first
    named on a tie), else the company the document names first (a release's issuer, a news
    story's subject)."""
    counts: Counter[str] = Counter()
    found: dict[str, Entity] = {}
    for start, end in sentences:
        for company in analysis.within("company", start, end):
            counts[company.name] += 1
            found.setdefault(company.name, company)
    if counts:
        best = max(counts.values())
        company = next(c for name, c in found.items() if counts[name] == best)
    else:
        named = [c for c in analysis.of("company") if c.mentions]
        if not named:
            return None
        company = min(named, key=lambda c: c.mentions[0].start)
    return Named(company.name, tuple(company.aliases))


# "89% compared with Gilead's daily oral PrEP pill Truvada", "versus oral nimodipine": the arm a
# result is compared with
_COMPARATOR_BEFORE = fastre.compile(
    r"\b(?:compared (?:with|to)|versus|vs\.?|relative to|than(?: with)?|against)\s+(?:[\w’'-]+\s+){0,5}$", re.I
)


def _only_compared(drug: Entity, sentences: list[tuple[int, int]], text: str) -> bool:
    """Whether the readout's sentences name ``drug`` only as what its results are compared with."""
    mentions = [m for s, e in sentences for m in drug.mentions if s <= m.start < e]
    return bool(mentions) and all(_COMPARATOR_BEFORE.search(text, max(0, m.start - 60), m.start) for m in mentions)


def _dedupe(endpoints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for ep in endpoints:
        key = (ep["name"], ep["value"])
        if key not in seen:
            seen.add(key)
            out.append(ep)
    return out
