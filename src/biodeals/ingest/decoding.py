"""Bytes to text, and text that any store can hold.

Inputs arrive in UTF-8, in UTF-16 with or without a byte-order mark, in a legacy encoding, or
as UTF-8 with Latin-1 / Windows-1252 pieces pasted in; some were garbled once already
("MÃ¼ller"). Everything here happens before a text becomes ``Document.original``, so what it
changes needs no offset map: evidence spans point into the repaired text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from biodeals.errors import BinaryInput, DecodeFailed, EmptyInput

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatches

_HEAD = 8192
# Mojibake (UTF-8 read as a one-byte encoding) turns each non-ASCII character into two or more
# non-ASCII characters, a C1 control, or a lead letter before a space that was U+00A0; text with
# none of these is left as it is without asking ftfy (whose check costs ~4 ms per article). One
# leading class, so the engine skips from one non-ASCII character to the next.
_MAYBE_MOJIBAKE = re.compile("[^\x00-\x7f](?:[^\x00-\x7f]| (?<=[\u00c2-\u00f4] )|(?<=[\x80-\x9f]))")
# Windows-1252 for each byte, Latin-1 where 1252 leaves a byte undefined (0x81, 0x8d, ...).
_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
# what ``bytes.decode(errors="surrogateescape")`` makes of bytes that are not valid UTF-8
_ESCAPED = re.compile("[\udc80-\udcff]+")
_UTF8_CHARS = re.compile("[^\x00-\x7f\udc80-\udcff]+")


def storable(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD (one character each, so offsets
    do not move) and surrogate pairs joined into the character they encode: PostgreSQL text
    cannot hold NUL, and no UTF-8 encoder takes a surrogate, so one such character used to fail
    the content hash or a whole batch of the store."""
    if "\x00" not in text and (text.isascii() or _encodes(text)):
        return text
    text = text.replace("\x00", "\ufffd")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")  # a C loop; a regex for surrogates is ten times slower
    except UnicodeEncodeError:
        return False
    return True


def decode_mixed(data: bytes, encoding: str = "cp1252") -> str:
    """UTF-8, each run of bytes that is not valid UTF-8 read in the one-byte ``encoding``: a file
    that mixes both keeps its UTF-8 characters and its Latin-1 names ("Müller") alike."""
    text = data.decode("utf-8-sig", errors="surrogateescape")

    def legacy(match: re.Match[str]) -> str:
        raw = match.group().encode("utf-8", errors="surrogateescape")
        if encoding == "cp1252":
            return "".join(_CP1252[b] for b in raw)
        return raw.decode(encoding, errors="replace")

    return _ESCAPED.sub(legacy, text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as Latin-1 / Windows-1252 (or another one-byte code) on the
    way here ("MÃ¼ller" -> "Müller"), by ftfy's encoding fixes only (quotes, ligatures, widths
    and line breaks stay as written)."""
    if text.isascii() or not _MAYBE_MOJIBAKE.search(text):
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes fill every other position of ``head`` (Latin text in
    UTF-16 with no byte-order mark: half its bytes or more are NUL, all on one side), else None."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    zeros_even, zeros_odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if zeros_odd >= pairs / 2 and zeros_even * 10 <= zeros_odd:
        return "utf-16-le"
    if zeros_even >= pairs / 2 and zeros_odd * 10 <= zeros_even:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    head = text[:_HEAD]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > 0.05 * len(head)


def _legacy(data: bytes, source: str) -> str:
    """Text of bytes that are not valid UTF-8. Mostly UTF-8 with some invalid byte runs is read as
    UTF-8 with those runs in Windows-1252. Otherwise charset-normalizer names the file's legacy
    encoding, judging the bytes outside any valid UTF-8 (pasted-in UTF-8 misleads it: Latin-1
    with a UTF-8 signature came out as Baltic); a one-byte encoding then reads only those bytes,
    a multi-byte one (Shift-JIS, GBK ...) the whole file."""
    escaped = data.decode("utf-8-sig", errors="surrogateescape")
    invalid = len(escaped) - len(_ESCAPED.sub("", escaped))  # bytes that are not UTF-8
    valid = len(escaped) - len(escaped.encode("ascii", errors="ignore")) - invalid
    if valid >= invalid:  # a legacy file holds few byte runs that happen to be valid UTF-8
        return decode_mixed(data)
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    sample = _UTF8_CHARS.sub("", escaped).encode("utf-8", errors="surrogateescape") if valid else data
    encoding = _likeliest_encoding(from_bytes(sample[:1_000_000]))
    if encoding is None:
        raise DecodeFailed(source, "could not decode the bytes as text in any known encoding")
    if valid and not is_multi_byte_encoding(encoding):
        return decode_mixed(data, encoding)
    return data.decode(encoding, errors="replace")


def _likeliest_encoding(matches: CharsetMatches) -> str | None:
    """charset-normalizer's best guess, Windows-1252 when that ties with it: on a short Latin
    text several code pages score the same ("Genève" as Central European "Genčve"), and 1252 is
    the legacy encoding of most Western news."""
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        tied = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tied and "cp1252" in (match.encoding, *match.could_be_from_charset):
            return "cp1252"
    return best.encoding


def decode(data: bytes, source: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when
    its NUL bytes show it), UTF-8 mixed with Windows-1252, else the encoding charset-normalizer
    finds most plausible; then mojibake is repaired.

    Raises EmptyInput, BinaryInput or DecodeFailed, naming ``source``.
    """
    if not data.strip():
        raise EmptyInput(source, "the input is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return repair_mojibake(data.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise DecodeFailed(source, f"invalid UTF-16 ({error.reason})") from error
    head = data[:_HEAD]
    if b"\x00" in head:
        encoding = _utf16_without_bom(head)
        if encoding is None:
            raise BinaryInput(source, "looks like binary data (NUL bytes), not text")
        text = data.decode(encoding, errors="replace")  # a file cut short keeps what it holds
        if _looks_binary(text) or text.count("\ufffd") > len(text) // 100:
            raise BinaryInput(source, "looks like binary data (NUL bytes), not text")
        return repair_mojibake(text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _legacy(data, source)
        if _looks_binary(text):
            raise BinaryInput(source, "looks like binary data (control characters), not text") from None
    return repair_mojibake(text)
