import html
import re

from hypothesis import given
from hypothesis import strategies as st

from biodeals.ingest import clean_text, find_sections, guess_language

GLUED = [
    ("payment of$20 millionand more", "payment of $20 million and more"),
    ("INDIANAPOLISandTOKYO, March 1", "INDIANAPOLIS and TOKYO, March 1"),
    ("&quot;We are pleased,&quot; saidRuth Gimeno", '"We are pleased," said Ruth Gimeno'),
    ("the BELIEVE Phase2bstudy", "the BELIEVE Phase 2b study"),
    ("a purchase price of$235.00per share", "a purchase price of $235.00 per share"),
    ("up to$1.925 billionin cash", "up to $1.925 billion in cash"),
    ("a $10 millionequity investment", "a $10 million equity investment"),
    ("Kirkland &amp; Ellis", "Kirkland & Ellis"),
    ("INDIANAPOLIS,July 14, 2023", "INDIANAPOLIS, July 14, 2023"),
    ("weight loss.The study", "weight loss. The study"),
    ("with Innovent inChina", "with Innovent in China"),
    ("the Company andPOINT Biopharma", "the Company and POINT Biopharma"),
    ("jobs inWisconsinto serve Wisconsin", "jobs in Wisconsin to serve Wisconsin"),
    ("no\u00a0break", "no break"),
    ("soft\u00adhyphen", "softhyphen"),
]


def test_cleanup_repairs_glued_words():
    for original, expected in GLUED:
        assert clean_text(original)[0] == expected, original


def test_cleanup_leaves_names_alone():
    for text in ("BioNTech and GlaxoSmithKline", "AbbVie's iPhone app", "$20 million", "McDonald", "Toronto and Boston", "a millionaire's millionth"):
        assert clean_text(text)[0] == text


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u200b]", "", html.unescape(text))


FRAGMENTS = st.sampled_from(
    [
        "of$20",
        "millionand",
        "&amp;",
        "&quot;",
        "&#8217;",
        "said",
        "Ruth",
        "INDIANAPOLISandTOKYO",
        "Phase2bstudy",
        " ",
        ".",
        "The",
        "x",
        "\u00a0",
        "\u00ad",
        "and",
        "NEW",
        "$",
        "1",
        "loss.The",
    ]
)


@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_cleanup_offsets_map_every_token_back_to_its_original(original):
    cleaned, offsets = clean_text(original)
    for token in re.finditer(r"\S+", cleaned):
        start, end = offsets.span(token.start(), token.end())
        assert 0 <= start <= end <= len(original)
        assert _squash(original[start:end]) == _squash(token.group())


@given(st.text(max_size=200))
def test_cleanup_offsets_stay_in_bounds(original):
    cleaned, offsets = clean_text(original)
    for position in range(len(cleaned) + 1):
        assert 0 <= offsets.start(position) <= len(original)
        assert 0 <= offsets.end(position) <= len(original)
    if cleaned.strip() == original.strip() == original:
        assert offsets.span(0, len(cleaned)) == (0, len(original))


def test_sections_about_forward_looking_and_contacts():
    text = (
        "Acme Bio and Beta Pharma sign a deal. Terms were not disclosed.\n"
        "About Acme Bio\nAcme Bio is a clinical-stage biotech company.\n"
        "Forward-Looking Statements\nThis press release contains forward-looking statements.\n"
        "Media Contact: jane@example.com"
    )
    sections = find_sections(text)
    assert [s.kind for s in sections] == ["about", "forward_looking", "contact"]
    assert sections[0].title == "Acme Bio"
    assert text[sections[0].start :].startswith("About Acme Bio")
    assert sections[-1].end == len(text)


def test_sections_flat_scraped_text_about_heading():
    text = "Deal news here. About Versanis Versanis is a privately held company."
    (section,) = find_sections(text)
    assert section.kind == "about" and section.title == "Versanis"


def test_guess_language():
    assert guess_language("The company and its partner signed the agreement for the program.") == "en"
    assert guess_language("Die Firma und der Partner haben die Vereinbarung mit dem Programm unterzeichnet.") == "de"
    assert guess_language("La société et son partenaire ont signé les accords pour le programme dans la ville.") == "fr"
    assert guess_language("1234 5678") == "und"
