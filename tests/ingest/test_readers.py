import gzip
import json

import pytest

from biodeals.errors import (
    BinaryInput,
    DecodeFailed,
    EmptyInput,
    InputTooLarge,
    MalformedInput,
)
from tests.conftest import read_all

ARTICLE = "Acme Therapeutics and Beta Pharma signed a license for $20 million upfront."


def test_readers_text(tmp_path):
    path = tmp_path / "acme.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (doc,), errors = read_all(path)
    assert not errors
    assert doc.name == "acme" and doc.text == ARTICLE and doc.language == "en"
    assert len(doc.id) == 64


def test_readers_same_text_same_id(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE + "\n\n")
    docs, _ = read_all(tmp_path / "a.txt", tmp_path / "b.txt")
    assert docs[0].id == docs[1].id


def test_readers_markdown_front_matter(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(f"---\ntitle: Acme licenses X\ndate: 2024-03-05\n---\n# Heading\n\n{ARTICLE}\n")
    (doc,), _ = read_all(path)
    assert doc.title == "Acme licenses X"
    assert doc.published.isoformat() == "2024-03-05"
    assert doc.text.startswith("# Heading")


def test_readers_html_main_content_and_metadata(tmp_path):
    page = (
        "<html><head><title>Acme licenses X</title>"
        '<meta property="article:published_time" content="2024-03-05"></head>'
        "<body><nav>Home | News | Careers</nav><article><h1>Acme licenses X</h1>"
        f"<p>{ARTICLE.replace('and', '&amp;')} The agreement covers all indications worldwide.</p>"
        "<p>Beta Pharma will pay milestones on approval and sales of the licensed product.</p>"
        "</article><footer>Copyright 2024</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page)
    (doc,), _ = read_all(path)
    assert doc.title == "Acme licenses X"
    assert doc.published.isoformat() == "2024-03-05"
    assert "Acme Therapeutics & Beta Pharma" in doc.text
    assert "Careers" not in doc.text


def test_readers_json_object_and_array(tmp_path):
    record = {"id": "r1", "title": "T", "published": "2024-01-02", "url": "https://x.test/a", "text": ARTICLE}
    (tmp_path / "one.json").write_text(json.dumps(record))
    (tmp_path / "many.json").write_text(json.dumps([record, {**record, "id": "r2"}]))
    docs, errors = read_all(tmp_path / "one.json", tmp_path / "many.json")
    assert not errors
    assert [d.name for d in docs] == ["r1", "r1", "r2"]
    assert docs[0].url == "https://x.test/a" and docs[0].published.isoformat() == "2024-01-02"


def test_readers_jsonl_gzip_with_a_bad_line(tmp_path):
    lines = [json.dumps({"id": "a", "text": ARTICLE}), "{not json", "", json.dumps({"id": "b", "text": "Second one."})]
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines))
    docs, errors = read_all(path)
    assert [d.name for d in docs] == ["a", "b"]
    assert len(errors) == 1 and isinstance(errors[0], MalformedInput)
    assert str(errors[0]).startswith(f"{path}:2: invalid JSON")


def test_a_record_whose_text_is_a_pdf_file_is_an_error_naming_it_and_the_others_are_read(tmp_path):
    pdf = "%PDF-1.4 %\u00f6\u00e4 1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj stream x\u0153 endstream"
    lines = [json.dumps({"id": "a", "text": ARTICLE}), json.dumps({"id": "scan", "text": pdf})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines))
    docs, (error,) = read_all(path)
    assert [d.name for d in docs] == ["a"]
    assert isinstance(error, MalformedInput)
    assert str(error) == f"{path}:2: the text field holds a PDF file, not its text"


def test_readers_csv_text_column(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(f'id,title,text\nn1,First,"{ARTICLE}"\nn2,Second,"Another, with a comma."\n')
    docs, errors = read_all(path)
    assert not errors
    assert [(d.name, d.title) for d in docs] == [("n1", "First"), ("n2", "Second")]


def test_readers_csv_without_text_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n")
    _, (error,) = read_all(path)
    assert isinstance(error, MalformedInput)
    assert "no text column" in str(error) and "found a, b" in str(error)


RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Acme deal</title><link>https://x.test/1</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://x.test/2</link><description></description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title>
<entry><title>Acme</title><id>urn:1</id><updated>2024-03-05T00:00:00Z</updated>
<content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content></entry></feed>"""


def test_readers_rss_and_atom(tmp_path):
    (tmp_path / "n.rss").write_text(RSS)
    (tmp_path / "n.atom").write_text(ATOM)
    docs, errors = read_all(tmp_path / "n.rss", tmp_path / "n.atom")
    assert [d.title for d in docs] == ["Acme deal", "Acme"]
    assert docs[0].published.isoformat() == "2024-03-05" and docs[0].url == "https://x.test/1"
    assert docs[0].text == ARTICLE
    assert len(errors) == 1 and isinstance(errors[0], EmptyInput)  # the entry with no text


def test_readers_malformed_feed(tmp_path):
    (tmp_path / "bad.xml").write_text("<rss><channel><item><title>x</title></item")
    _, (error,) = read_all(tmp_path / "bad.xml")
    assert isinstance(error, (MalformedInput, EmptyInput))


def test_readers_folder_recursive_skips_hidden_and_unknown(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.md").write_text("Another article.")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    docs, errors = read_all(tmp_path)
    assert sorted(d.name for d in docs) == ["a", "b"] and not errors


@pytest.mark.parametrize(
    ("content", "error_type", "message"),
    [
        (b"", EmptyInput, "the input is empty"),
        (b"   \n\t ", EmptyInput, "the input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInput, "looks like binary data (NUL bytes), not text"),
        (b"\xff\xfeA\x00\x00\xd8", DecodeFailed, "invalid UTF-16"),
    ],
    ids=["empty", "whitespace", "binary", "bad-utf16"],
)
def test_readers_bad_input(tmp_path, content, error_type, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    docs, (error,) = read_all(path)
    assert not docs and isinstance(error, error_type)
    assert str(error).startswith(f"{path}: {message}")


def test_readers_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 10)
    _, (error,) = read_all(path, max_bytes=100)
    assert isinstance(error, InputTooLarge) and "exceeds the 100-byte limit" in str(error)


def test_readers_legacy_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "La société Acme a signé un accord de licence avec Beta à Genève pour 20 millions d'euros.".encode("cp1252")
    )
    (doc,), _ = read_all(path)
    assert "société" in doc.text and "Genève" in doc.text


def test_readers_missing_file_and_other_inputs_still_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    docs, (error,) = read_all(tmp_path / "missing.txt", good)
    assert [d.name for d in docs] == ["good"]
    assert str(error) == f"{tmp_path / 'missing.txt'}: no such file or folder"


@pytest.mark.parametrize(
    "text, title",
    [
        ("# Corvexa to Acquire Lumiera Bio\n\nBOSTON -- Corvexa ...", "Corvexa to Acquire Lumiera Bio"),
        ("## Halcyon and Norvale Sign a License ##\nText", "Halcyon and Norvale Sign a License"),
        ("# Arrowhead (NASDAQ:[ARWR](https://x.example/ARWR)) Q1 Call\n\n...", "Arrowhead (NASDAQ:ARWR) Q1 Call"),
        ("Keystone Biologics to Manufacture HT-2041\n\nBOSTON, May 5 -- ...", "Keystone Biologics to Manufacture HT-2041"),
        ("**Tessaly Regains Rights to TM-310**\n\n...", "Tessaly Regains Rights to TM-310"),
        ("### Maximize Your Portfolio with Data Driven Insights:\n\n* Leverage", None),  # a sub-heading
        ("By Ciara Linnane\n\nShares of ...", None),  # a byline
        ("* The pivotal phase 3 trial has completed.\n\n...", None),  # a list item
        ("Corvexa said on Monday it would buy Lumiera for $1 billion.\n\nMore", None),  # a sentence
        ("**NOTTINGHAM, United Kingdom —**\n\n...", None),  # a dateline
        ("Corvexa buys Lumiera\nin a deal worth $1 billion, it said.", None),  # not a line of its own
        ("# Deal\n\n...", None),  # too short to tell anything
    ],
)
def test_a_document_without_a_title_takes_the_heading_it_opens_with(tmp_path, text, title):
    path = tmp_path / "release.md"
    path.write_text(text, encoding="utf-8")
    [document], errors = read_all(path)
    assert not errors and document.title == title


def test_a_readers_own_title_wins_over_the_heading(tmp_path):
    path = tmp_path / "release.md"
    path.write_text("---\ntitle: From the front matter\n---\n# From the heading line\n\nText of it.", encoding="utf-8")
    [document], _ = read_all(path)
    assert document.title == "From the front matter"
