"""Properties of reading, over arbitrary input: ``make_document`` raises only IngestErrors and
makes only storable, exactly mapped text; ``decode`` raises only IngestErrors; the mojibake
pre-check never skips a text ftfy would change; CSV written by ``csv.writer`` reads back whole."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import ftfy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biodeals.errors import IngestError
from biodeals.ingest import Document, decode, make_document, read_inputs
from biodeals.ingest.decoding import _MAYBE_MOJIBAKE
from biodeals.ingest.formats import date_in_name

ANY_CHAR = st.integers(0, 0x10FFFF).map(chr)  # surrogates included, which st.characters leaves out
NASTY = st.sampled_from(
    [
        *("\x00", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00", "\x1b[31m", "\r\n", "\x0b", "\x85"),
        *("\u2028", "\u202e", "\ufeff", "\u00ad", "\u00a0", "\u200b", "&amp;", "&#0;", "&#xd800;", "&#x110000;"),
        *("&quot;", "&nbsp;", "saidRuth", "of$20", "millionand", "Phase2bstudy", "loss.The", "About Acme\n"),
        *(" ", "\n", "x", "The", "Acme", "MÃ¼ller", "â€”"),
    ]
)
TEXT = st.lists(st.one_of(ANY_CHAR, NASTY), max_size=60).map("".join)


def _expected_original(text: str) -> str:
    """What ``make_document`` must keep of ``text``: NUL and lone surrogates as U+FFFD, a
    surrogate pair as the character it encodes, everything else as it is."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if "\ud800" <= ch <= "\udbff" and "\udc00" <= nxt <= "\udfff":
            out.append(chr(0x10000 + ((ord(ch) - 0xD800) << 10) + (ord(nxt) - 0xDC00)))
            i += 2
            continue
        out.append("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch)
        i += 1
    return "".join(out)


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", html.unescape(text))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT, TEXT)
def test_make_document_is_storable_and_exact(text, name, title):
    try:
        doc = make_document(text, name=name, source=name, title=title)
    except IngestError:
        assert not _expected_original(text).strip()
        return
    for value in (doc.original, doc.text, doc.name, doc.source, doc.title or "", doc.id):
        value.encode("utf-8")
        assert "\x00" not in value
    assert doc.original == _expected_original(text)
    assert doc.name == _expected_original(name)
    for token in re.finditer(r"\S+", doc.text):
        start, end = doc.to_original(token.start(), token.end())
        assert 0 <= start <= end <= len(doc.original)
        assert _squash(doc.original[start:end]) == _squash(token.group())


@given(st.binary(max_size=300), st.sampled_from([b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]))
def test_decode_raises_only_ingest_errors(data, prefix):
    try:
        text = decode(prefix + data, "<bytes>")
    except IngestError:
        return
    assert isinstance(text, str)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00\ufeff"), max_size=200))
def test_decode_keeps_utf8_text_as_written(text):
    if not text.strip() or _MAYBE_MOJIBAKE.search(text):
        return
    assert decode(text.encode("utf-8"), "<text>") == text


MOJIBAKE_PRONE = st.text(
    alphabet=st.one_of(
        st.sampled_from("aeMz .,?!'\"-\n\t0"),
        st.characters(min_codepoint=0x80, max_codepoint=0x24F),  # C1, Latin-1 supplement, Latin extended
        st.sampled_from("€‚ƒ„…†‡ˆ‰‹‘’“”•–—˜™›°±²³µ·×÷ВГРСЂвαβΒΓΞΟ√≈∂≤≥ﬁ─│┌"),
    ),
    max_size=40,
)


@given(MOJIBAKE_PRONE)
def test_mojibake_precheck_skips_only_what_ftfy_keeps(text):
    if not _MAYBE_MOJIBAKE.search(text):
        assert ftfy.fix_encoding(text) == text


FIELD = st.text(alphabet=st.sampled_from('abcXYZ019 ,."\n-é'), max_size=40)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(FIELD, FIELD.filter(lambda t: any(c.isalnum() for c in t))), min_size=1, max_size=8))
def test_csv_written_by_the_csv_module_reads_back_whole(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "news.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "text"])
    for number, (title, text) in enumerate(rows):
        writer.writerow([f"r{number}", title, text])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    results = list(read_inputs([str(path)]))
    assert not [r for r in results if isinstance(r, IngestError)]
    docs = [r for r in results if isinstance(r, Document)]
    assert [(d.name, d.original) for d in docs] == [(f"r{n}", text) for n, (_, text) in enumerate(rows)]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date.today()), st.sampled_from(["-", "_", ".", ""]))
def test_a_date_written_in_a_file_name_dates_the_document(day: date, separator: str) -> None:
    name = f"newswire-site-{day.year}{separator}{day.month:02}{separator}{day.day:02}-acme-licenses-cvx-12"
    assert date_in_name(name) == day
    assert make_document("Acme licensed CVX-12.", name=name, source="x").published == day


@given(st.text(alphabet="abcxyz-_0123456789", max_size=40))
def test_a_name_without_a_real_past_date_dates_nothing_it_does_not_state(name: str) -> None:
    found = date_in_name(name)
    assert found is None or (found <= date.today() and found.isoformat().replace("-", "") in name.replace("-", "").replace("_", ""))


def test_names_that_are_no_dates() -> None:
    assert date_in_name("lilly-0039") is None  # a serial number
    assert date_in_name("news-seekalpha-4406805") is None
    assert date_in_name("release-2023-0231") is None  # no 31 February
    assert date_in_name(f"release-{date.today().year + 1}-0101") is None  # not yet
    assert date_in_name("urnnewsmlmtnewswires-com20250211g24665340") == date(2025, 2, 11)
    # a document's own date wins over its name's
    assert make_document("Acme.", name="x-2020-0101", source="x", published="2024-05-06").published == date(2024, 5, 6)


ENTITY_TEXT = st.lists(
    st.one_of(
        st.text(alphabet="ab &;#1<", max_size=6),
        st.sampled_from(["&amp;", "&gt;", "&#39;", "&#x2013;", "&nbsp;", "&quot;", "&bogus;", "&"]),
    ),
    max_size=12,
).map("".join)


@given(ENTITY_TEXT, st.data())
def test_decoded_entities_keep_an_exact_map_both_ways(original, data):
    from biodeals.ingest import decode_entities

    decoded, offsets = decode_entities(original)
    assert all(e.replacement == html.unescape(original[e.start : e.end]).replace("\u00a0", " ") for e in offsets.edits)
    assert ("&amp;" in original) <= ("&amp;" not in decoded or "&amp;amp;" in original)
    # the stretches between entities map to themselves, both ways
    bounds = sorted({0, len(original), *(p for e in offsets.edits for p in (e.start, e.end))})
    start, end = sorted(data.draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2)))
    clean_start, clean_end = offsets.from_original(start, end)
    assert decoded[clean_start:clean_end] == decode_entities(original[start:end])[0]
    assert offsets.span(clean_start, clean_end) == (start, end)
    # a span inside an entity takes in the character it stands for
    for edit in offsets.edits:
        inside = offsets.from_original(edit.start + 1, edit.end - 1)
        assert decoded[inside[0] : inside[1]] == edit.replacement
