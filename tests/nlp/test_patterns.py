import pytest

from biodeals.nlp.dates import dateline, find_dates
from biodeals.nlp.patterns import find_code_names, find_companies, find_drug_names, find_programs, find_trials
from biodeals.nlp.sentences import split_sentences


@pytest.mark.parametrize(
    "code", ["SAR443579", "LY3437943", "MK-0616", "AK1780", "IMP-321", "PF-07220060", "ABBV-400", "DS-8201a", "ZN-c3"]
)
def test_patterns_code_names(code):
    text = f"The company will advance {code} into the clinic."
    assert [m.text for m in find_code_names(text)] == [code]


@pytest.mark.parametrize("text", ["FY2023 revenue", "COVID-19 vaccines", "NCT01234567", "ISO9001 certified"])
def test_patterns_code_names_exclusions(text):
    assert find_code_names(text) == []


@pytest.mark.parametrize(
    ("text", "trial"),
    [
        ("results from the Phase III KEYNOTE-189 trial showed", "KEYNOTE-189"),
        ("in the Phase II TACTI-002 trial", "TACTI-002"),
        ("the BELIEVE Phase 2b study enrolled adults", "BELIEVE"),
        ("data from SURMOUNT-1 were presented", "SURMOUNT-1"),
        ("registered as NCT05551234.", "NCT05551234"),
        ("DESTINY-Breast03 trial results", "DESTINY-Breast03"),
        ("results from the PURPOSE 2 trial showed", "PURPOSE 2"),
        ("the Phase 2b ReNeu trial enrolled adults", "ReNeu"),
    ],
)
def test_patterns_trials(text, trial):
    assert trial in [m.text for m in find_trials(text)]


def test_patterns_trials_not_codes_or_targets():
    assert find_trials("LAG-3 binding and COVID-19 vaccine data", exclude={"LAG-3"}) == []
    assert find_trials("PHASE 3 data and TABLE 2 of the study; COVID 19 trial results") == []


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Sanofi will license Innate Pharma's program", "Innate Pharma"),
        ("Eli Lilly and Company and Versanis Bio today announced", "Versanis Bio"),
        ("shares of Dermira, Inc. rose", "Dermira, Inc."),
        ("Immutep Limited (ASX: IMM; NASDAQ: IMMP) announced", "Immutep Limited"),
        ("to acquire Lumiera, a private clinical-stage biotechnology company", "Lumiera"),
        ("Merck & Co., Inc. said", "Merck & Co., Inc."),
        ("Boehringer Ingelheim Venture Fund led the round", "Boehringer Ingelheim Venture Fund"),
        ("San Francisco-based Corvexa Ventures joined", "Corvexa Ventures"),
        ("a license from the University of Corvexa Research Foundation, Inc. to", "University of Corvexa Research Foundation, Inc."),
        ("a trial at the University of Corvexa. The trial", "University of Corvexa"),
        ("with the Medical College of Corvexa.", "Medical College of Corvexa"),
        ("centres including Corvexa Telethon Institute for Gene Therapy (CTI)", "Corvexa Telethon Institute for Gene Therapy"),
        ("rights from Corvexa State University in", "Corvexa State University"),
        ("participation from W.A. de Corvexa Foundation, the founders", "W.A. de Corvexa Foundation"),
        ("the trial was completed, Corvexa’s partner Teva said", "Corvexa"),
        ("the National Institute of Corvexa and Infectious Diseases (NICID)", "National Institute of Corvexa and Infectious Diseases"),
        ("between the University of Corvexa and Beta", "University of Corvexa"),
    ],
)
def test_patterns_companies(text, company):
    assert company in [m.text for m in find_companies(text)]


@pytest.mark.parametrize(
    ("headline", "names"),
    [
        ("# Corvexa Has Completed Manufacturing of Vaccines for UNICEF", []),
        ("Corvexa Pharma Signs Deal With Kestrel Therapeutics", ["Kestrel Therapeutics"]),
        ("Lilly Acquires Kestrel Therapeutics for $1 billion", ["Kestrel Therapeutics"]),
    ],
)
def test_patterns_a_headline_verb_or_preposition_ends_the_words_before_a_name(headline, names):
    assert [m.text for m in find_companies(headline)] == names


@pytest.mark.parametrize("text", ["The University said it would", "a College degree", "University"])
def test_patterns_an_institution_word_alone_is_no_name(text):
    assert [m.text for m in find_companies(text)] == []


def test_patterns_companies_do_not_span_lines_or_start_with_stop_words():
    names = [m.text for m in find_companies("About Halcyon Therapeutics\nHalcyon Therapeutics is a company.")]
    assert names and all("\n" not in n and not n.startswith("About") for n in names)


def test_patterns_drug_names_by_stem_and_brand():
    text = "velarutide and pembrolizumab, sold as Keytruda®, with trastuzumab deruxtecan; the database phase"
    assert [m.text for m in find_drug_names(text)] == ["velarutide", "pembrolizumab", "trastuzumab deruxtecan", "Keytruda"]


def test_patterns_programs():
    text = "license the B7H3 ANKET program and the MEPS platform; the Company platform is new"
    assert [m.text for m in find_programs(text)] == ["B7H3 ANKET program", "MEPS platform"]


def test_dates_and_dateline():
    text = "INDIANAPOLIS, July 14, 2023 -- In 2016, the companies met; on 14 July 2023 and Dec. 20, 2024."
    found = [(d.text, d.precision) for d in find_dates(text)]
    assert found == [("July 14, 2023", "day"), ("2016", "year"), ("14 July 2023", "day"), ("Dec. 20, 2024", "day")]
    assert dateline(text).isoformat() == "2023-07-14"
    # a long headline pushes the dateline down: the latest day-precise date is the release's own
    headline = "Acme Announces Equity Investment " * 20
    assert dateline(headline + "-- In 2016 and on March 1, 2021; NEW YORK, Nov. 18, 2021 --").isoformat() == "2021-11-18"
    assert dateline("No date at all, only the year 2016.") is None
    # a day the text states as one to come is not the story's own
    story = headline + "settled on Jan. 6, 2025 with Teva, which may sell a generic on or after March 31, 2039."
    assert dateline(story).isoformat() == "2025-01-06"
    assert [d.ahead for d in find_dates(story)] == [False, True]


def test_sentences_respect_abbreviations():
    text = "Acme Inc. and Beta Co. signed. The deal, worth $5 million, closed in the U.S. market. Next one"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Acme Inc. and Beta Co. signed.",
        "The deal, worth $5 million, closed in the U.S. market.",
        "Next one",
    ]


def test_each_list_item_is_a_sentence_of_its_own():
    # story bullets often end without a stop, or start with a sign the stop rule does not know
    text = (
        "* Acme sold its plant, it said Monday.\n* The deal closed in Q2 2025\n- Beta will pay $5 million\nnot - a list"
    )
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "* Acme sold its plant, it said Monday.",
        "* The deal closed in Q2 2025",
        "- Beta will pay $5 million\nnot - a list",
    ]


def test_patterns_mechanism_named_assets():
    from biodeals.nlp.patterns import find_mechanism_assets

    text = "a program of SARM1 inhibitors and anti-LAP antibodies; The inhibitors were potent"
    assert [m.text for m in find_mechanism_assets(text)] == ["SARM1 inhibitors", "anti-LAP antibodies"]


def test_descriptor_rows_name_the_company_after_them():
    # issue 17: "drugmaker Kyowa Kirin", "its partner Chongqing Zhifei": no legal form, no designator
    from biodeals import rules
    from biodeals.nlp.patterns import find_companies

    for row in rules.load("descriptors"):
        for example in row.examples:
            assert [m for m in find_companies(example) if m.source == "descriptor"], (row.id, example)
    assert [m.text for m in find_companies("the company Tuesday said the company CEO and the company FDA")] == []


def test_a_name_complete_at_its_designator_joined_by_and_is_two_companies():
    text = "Borealis Therapeutics and Kallen Pharma, Inc. signed; Procter and Gamble Co. did not."
    assert sorted(m.text for m in find_companies(text)) == ["Borealis Therapeutics", "Kallen Pharma, Inc.", "Procter and Gamble Co."]
    text = "licenses with Orrin Immune SA and QuillNext, Inc. were signed"
    assert sorted(m.text for m in find_companies(text)) == ["Orrin Immune SA", "QuillNext, Inc."]


def test_a_mechanism_in_apposition_to_a_named_drug_describes_it():
    from biodeals.nlp.patterns import find_mechanism_assets

    text = "to fund EB06, its CXCL10 antibody, and separate anti-LAP antibodies"
    named = [(text.index("EB06"), text.index("EB06") + 4)]
    assert [m.text for m in find_mechanism_assets(text, named)] == ["anti-LAP antibodies"]
    assert [m.text for m in find_mechanism_assets(text)] == ["CXCL10 antibody", "anti-LAP antibodies"]


def test_company_context_rows_name_the_company_in_their_examples():
    # issue 17: trade press names biotechs with no legal form ("Novartis agreed to buy Corvexa")
    from biodeals import rules
    from biodeals.nlp.contexts import find_companies_in_context

    for row in rules.load("company_contexts"):
        for example in row.examples:
            assert [m for m in find_companies_in_context(example) if m.source == "context"], (row.id, example)


def test_a_company_named_by_its_part_in_a_deal_is_a_company_wherever_the_text_names_it():
    from biodeals.nlp.contexts import find_companies_in_context

    text = "Gilead is paying Trellis $300 million upfront. Trellis said the drug works; trellis plants grow."
    assert [(m.text, m.start) for m in find_companies_in_context(text)] == [("Trellis", 17), ("Trellis", 47)]


@pytest.mark.parametrize(
    "text",
    [
        "After securing a content licensing contract with Indonesia, the company grew.",  # a place
        "Lilly will make a $2 billion investment in Alzey, Germany, for a new plant.",  # a town, by its country
        "Lilly will build a new site in Alzey. Lilly's investment in Alzey is contingent on permits.",  # where a site stands
        "Lilly's ongoing investments in Europewill create synergies.",  # a place glued to the next word
        "the company acquired IPR&D worth $5 million",  # an accounting term
        "the biotech acquired Strimvelis® from its owner",  # a brand the text marks
        "# Scinai Receives Clearance for Option to Acquire Firm Pincell",  # a headline's capitals
        "Lilly agreed to buy The company in January",  # a stop word
    ],
)
def test_company_contexts_leave_places_terms_possessives_and_headlines_alone(text):
    from biodeals.nlp.contexts import find_companies_in_context

    assert find_companies_in_context(text) == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("its oral GLP-1 agonist HX-7 for $150 million", ["HX-7"]),
        ("to push its lead program, CVX-12, into a phase 2 trial", ["CVX-12"]),
        ("CVX-12, an oral small molecule that blocks APOL1", ["CVX-12"]),
        ("levels of IL-6 and TNF fell; the form S-1 was filed", []),
    ],
)
def test_a_short_code_is_a_drug_where_the_words_around_it_say_so(text, codes):
    assert [m.text for m in find_code_names(text)] == codes


def test_a_government_named_by_its_country_is_a_party():
    text = "Borealis will supply courses to the Japanese government, the U.S. Government and the Government of Canada. The government said so."
    assert [m.text for m in find_companies(text)] == ["Japanese government", "U.S. Government", "Government of Canada"]


@pytest.mark.parametrize(
    ("text", "trials"),
    [
        ("In the phase 3 Purpose 2 trial, the capsid inhibitor cut infections.", ["Purpose 2"]),
        ("initial results from the Phase 1/2 AK-OTOF-101 study showed hearing gains", ["AK-OTOF-101"]),
        ("a Phase 3 Clinical Trial and a phase 2 Lung trial", []),  # kinds of trial, not names
    ],
)
def test_a_name_shaped_word_between_a_phase_and_the_trial_word_names_the_trial(text, trials):
    assert [m.text for m in find_trials(text)] == trials


def test_a_company_named_by_its_context_ends_before_a_dateline_city_in_capitals():
    from biodeals.nlp.contexts import find_companies_in_context

    text = (
        "The antibody emerged from a collaboration between Lilly and Vancouver-based AbCellera INDIANAPOLIS,Nov. 20, "
        "2020 -- Health Canada today granted authorization for the drug"
    )
    assert [m.text for m in find_companies_in_context(text)] == ["AbCellera"]


def test_patterns_a_headline_phrase_with_a_possessive_pronoun_is_no_company():
    text = (
        "Collaboration Continues Orrin's Long Track Record of Making Its Medicines and Vaccines Accessible. "
        "Kestrel Medicines today announced a licence."
    )
    assert [m.text for m in find_companies(text)] == ["Kestrel Medicines"]


@pytest.mark.parametrize(
    "text",
    [
        "Lilly and EVA Pharma Announce Collaboration on insulin for people with diabetes",  # a company's first word
        "INDIANAPOLIS and TEL AVIV, March 8, 2021 -- the companies said",  # a dateline's city
        "the completion of its acquisition of the GMP manufacturing operations of MacroGenics",  # a practice
        "running a GLP-compliant toxicology study",
    ],
)
def test_a_short_symbol_in_a_name_a_dateline_or_a_practice_is_no_target(text):
    from biodeals.nlp.pipeline import recognize
    from tests.conftest import doc

    assert recognize(doc(text)).of("target") == []


def test_a_short_symbol_in_its_own_words_is_a_target():
    from biodeals.nlp.pipeline import recognize
    from tests.conftest import doc

    names = [t.name for t in recognize(doc("an antibody against EGFR and a TEL fusion inhibitor")).of("target")]
    assert names
