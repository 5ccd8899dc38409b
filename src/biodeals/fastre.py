"""``re.compile`` with a first-character guard, for patterns scanned across whole texts.

Python's regex engine skips ahead quickly only when a pattern starts with a literal or a plain
character class. Most of our patterns start with ``\\b``, a look-behind or a case-insensitive
alternation, so the engine tries the whole pattern at every position of a 10,000-character
release. :func:`compile` works out which characters a match can start with and puts a look-ahead
for them in front, so most positions fail on one cheap test. The guard only restates what the
pattern already requires: matches are exactly those of ``re.compile(source, flags)``
(``tests/test_fastre.py`` checks this on every pattern of the pipeline).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Sequence
from typing import Any

import ahocorasick_rs

try:  # the parser is private; without it patterns are compiled unguarded, which is still correct
    from re import _compiler as sre_compile
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other Python versions
    sre = sre_compile = sre_parse = None  # type: ignore[assignment]

_Chars = set[tuple[str, Any]]  # ("c", codepoint) | ("r", (lo, hi)) | ("k", category)
_ALNUM = string.ascii_letters + string.digits
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s"}


def _first_of_sequence(items: Any, icase: bool) -> tuple[_Chars, bool] | None:
    """Characters a match of ``items`` can start with, and whether it can match empty;
    ``None`` when that is not worth knowing (any character, a negated class, a back-reference)."""
    chars: _Chars = set()
    for op, av in items:
        first = _first_of_op(op, av, icase)
        if first is None:
            return None
        chars |= first[0]
        if not first[1]:
            return chars, False
    return chars, True


def _first_of_op(op: Any, av: Any, icase: bool) -> tuple[_Chars, bool] | None:
    if op is sre.LITERAL:
        return {("c", av)}, False
    if op is sre.IN:
        chars: _Chars = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                chars.add(("c", value))
            elif kind is sre.RANGE:
                chars.add(("r", value))
            elif kind is sre.CATEGORY and str(value) in _CATEGORIES:
                chars.add(("k", str(value)))
            else:  # a negated class or \w: nearly every character
                return None
        return chars, False
    if op is sre.BRANCH:
        chars, nullable = set(), False
        for alternative in av[1]:
            first = _first_of_sequence(alternative, icase)
            if first is None:
                return None
            chars |= first[0]
            nullable |= first[1]
        return chars, nullable
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        if add_flags & re.IGNORECASE and not icase:
            return None
        return _first_of_sequence(pattern, icase)
    if op is sre.ATOMIC_GROUP:
        return _first_of_sequence(av, icase)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, pattern = av
        first = _first_of_sequence(pattern, icase)
        return None if first is None else (first[0], first[1] or least == 0)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True  # zero-width: the next item supplies the first character
    return None


def _class_item(codepoint: int) -> str:
    return f"\\U{codepoint:08x}"


def _character_class(chars: _Chars, icase: bool) -> str:
    items = set()
    for kind, value in chars:
        if kind == "k":
            items.add(_CATEGORIES[value])
        elif kind == "c":
            text = chr(value)
            variants = {text, text.lower(), text.upper()} if icase else {text}
            items.update(_class_item(ord(v)) for v in variants if len(v) == 1)
        else:
            low, high = value
            items.add(f"{_class_item(low)}-{_class_item(high)}")
            if icase:  # IGNORECASE also applies to the guard; spelling the other case out is harmless
                for case in (str.lower, str.upper):
                    a, b = case(chr(low)), case(chr(high))
                    if len(a) == len(b) == 1 and ord(b) - ord(a) == high - low:
                        items.add(f"{_class_item(ord(a))}-{_class_item(ord(b))}")
    return "[" + "".join(sorted(items)) + "]"


def _starts_with_one_character_test(items: Any) -> bool:
    """``[a-z]{5,}``: a repeat of one character class, tested first at every position anyway."""
    if not items or items[0][0] not in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return False
    least, _most, body = items[0][1]
    return least >= 1 and len(body.data) == 1 and body.data[0][0] in (sre.IN, sre.LITERAL)


def guard_for(source: str, flags: int = 0) -> str:
    """The look-ahead prefix :func:`compile` puts before ``source`` ("" when none helps)."""
    if sre_parse is None:
        return ""
    parsed = sre_parse.parse(source, flags)
    icase = bool(flags & re.IGNORECASE)
    if (
        sre_compile._get_literal_prefix(parsed, flags)[0]
        or sre_compile._get_charset_prefix(parsed, flags)
        or _starts_with_one_character_test(parsed.data)
    ):
        return ""  # the engine already rejects most positions with one cheap test
    if parsed.data and parsed.data[0] in ((sre.AT, sre.AT_BEGINNING), (sre.AT, sre.AT_BEGINNING_STRING)):
        return ""  # anchored: tried at one position only
    first = _first_of_sequence(parsed.data, icase)
    if first is None or first[1] or not first[0]:
        return ""
    character_class = _character_class(first[0], icase)
    if _broad(character_class, flags):
        return ""  # nearly any letter may start a match: the test would cost more than it saves
    second = _second_of_sequence(list(parsed.data), icase)
    if second:
        second_class = _character_class(second, icase)
        if not _broad(second_class, flags):
            return f"(?={character_class}{second_class})"
    return f"(?={character_class})"


def _broad(character_class: str, flags: int) -> bool:
    return sum(bool(re.match(character_class, c, flags)) for c in _ALNUM) > len(_ALNUM) * 2 // 3


def _second_of_sequence(items: list[Any], icase: bool, depth: int = 0) -> _Chars | None:
    """Characters the second character of any match of ``items`` can be; ``None`` when not
    known or when a match may be one character long."""
    if depth > 12:
        return None
    for index, (op, av) in enumerate(items):
        rest = items[index + 1 :]
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op in (sre.LITERAL, sre.IN):
            after = _first_of_sequence(rest, icase)
            return None if after is None or after[1] else after[0]
        if op is sre.BRANCH:
            chars: _Chars = set()
            for alternative in av[1]:
                got = _second_of_sequence(list(alternative) + rest, icase, depth + 1)
                if got is None:
                    return None
                chars |= got
            return chars
        if op is sre.SUBPATTERN:
            if av[1] & re.IGNORECASE and not icase:
                return None
            return _second_of_sequence(list(av[3]) + rest, icase, depth + 1)
        if op is sre.ATOMIC_GROUP:
            return _second_of_sequence(list(av) + rest, icase, depth + 1)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            least, most, body = av
            if most == 0:
                continue
            fewer = (op, (max(least - 1, 0), most if most == sre.MAXREPEAT else most - 1, body))
            once = _second_of_sequence([*body, fewer, *rest], icase, depth + 1)
            if least:
                return once
            skipped = _second_of_sequence(rest, icase, depth + 1)
            return None if once is None or skipped is None else once | skipped
        return None
    return None


_COMPILED: list[tuple[str, int, re.Pattern[str]]] = []


def compiled() -> list[tuple[str, int, re.Pattern[str]]]:
    """Every ``(source, flags, pattern)`` compiled so far, for the test that checks the guards."""
    return list(_COMPILED)


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, faster to search: same matches, same groups."""
    guard = guard_for(source, flags)
    pattern = re.compile(f"{guard}(?:{source})" if guard else source, flags)
    _COMPILED.append((source, flags, pattern))
    return pattern


class Literals:
    """Fixed strings found in one Aho-Corasick pass: a stand-in for a pattern that is a plain
    alternation of them, ``(?:inhibitor|agonist)`` or, with ``whole_words``,
    ``(?<!\\w)(?:program|platform|Inc\\.)(?!\\w)``. Python's engine tries such a pattern at every
    position where a first character occurs; the automaton reads the text once. The spans are
    those the pattern's ``finditer`` gives: leftmost first and, at one position, the string listed
    first, then on from its end."""

    def __init__(self, strings: Sequence[str], whole_words: bool = False) -> None:
        if not all(strings):
            raise ValueError(f"literals must not be empty: {strings!r}")
        self.strings = tuple(strings)
        self.whole_words = whole_words
        self._automaton = ahocorasick_rs.AhoCorasick(self.strings)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``[start, end)`` of each occurrence in ``text``, in text order."""
        chosen: dict[int, tuple[int, int]] = {}  # start -> (index of the string, end)
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if self.whole_words and (
                (start and _is_word(text[start - 1])) or (end < len(text) and _is_word(text[end]))
            ):
                continue
            if start not in chosen or index < chosen[start][0]:
                chosen[start] = (index, end)
        spans: list[tuple[int, int]] = []
        for start in sorted(chosen):
            if not spans or start >= spans[-1][1]:
                spans.append((start, chosen[start][1]))
        return spans

    def starts(self, text: str) -> list[int]:
        """Every offset in ``text`` at which one of the strings begins, overlapping ones included."""
        return sorted({start for _, start, _ in self._automaton.find_matches_as_indexes(text, overlapping=True)})


_ANCHORED: list[Anchored] = []


class Anchored:
    """A pattern every match of which begins with one of ``anchors``, tried only where an anchor
    begins. The engine skips quickly to a single literal prefix, not to a choice of words
    ("Forward|forward|Cautionary", "clinical|trial|FDA"); one automaton pass finds those places.
    Matches are exactly those of ``re.compile(source, flags).finditer`` (``tests/test_fastre.py``
    checks every anchored pattern of the pipeline)."""

    def __init__(self, source: str, anchors: Sequence[str], flags: int = 0) -> None:
        self.pattern = re.compile(source, flags)
        self.anchors = Literals(anchors)
        _ANCHORED.append(self)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for start in self.anchors.starts(text):
            if start >= end and (match := self.pattern.match(text, start)):
                end = match.end()
                yield match

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def anchored() -> list[Anchored]:
    """Every anchored pattern built so far, for the test that checks them against the plain ones."""
    return list(_ANCHORED)


def _is_word(character: str) -> bool:
    """Whether ``\\w`` matches ``character`` in a ``str`` pattern."""
    return character.isalnum() or character == "_"


def finditer_near(
    text: str, trigger: re.Pattern[str] | Literals, pattern: re.Pattern[str], after: int, before: int = 160
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that cover a match of ``trigger``, looked for only in windows
    around each trigger: far cheaper than scanning the whole text with a pattern that may start
    at every capitalised word or number, when the trigger (a designator, a currency word, a
    trademark sign) is rare."""
    seen: set[tuple[int, int]] = set()
    hits = trigger.spans(text) if isinstance(trigger, Literals) else (m.span() for m in trigger.finditer(text))
    for hit_start, hit_end in hits:
        lo = max(0, hit_start - before)
        for match in pattern.finditer(text, lo, min(len(text), hit_end + after)):
            if match.start() <= hit_start < match.end() + 2 and match.span() not in seen:
                seen.add(match.span())
                yield match
