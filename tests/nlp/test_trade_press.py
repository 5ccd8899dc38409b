"""Trade press names biotechs without a legal form or designator and words deals its own way
("snaps up", "pays ... upfront for rights", "teaming up with", "biobucks"): stories written for
these tests, in that style, read end to end (issue 17)."""

from __future__ import annotations

from biodeals.nlp import extract_record
from tests.conftest import doc

BOUGHT = """Novartis snaps up Corvexa for $1.2B to bolster kidney pipeline

Novartis has agreed to buy Corvexa for $1.2 billion in cash, adding the biotech's lead asset CVX-12 to its growing kidney disease pipeline.

The Swiss pharma will pay $900 million upfront, with the remaining $300 million tied to regulatory milestones, the companies said Monday. CVX-12, an oral small molecule that blocks APOL1, is in a phase 2 trial for focal segmental glomerulosclerosis.

Corvexa shares soared 60% in premarket trading on the news. The deal is expected to close in the first quarter.

It is the second kidney buyout for Novartis this year, after it bought Halcyon in March.
"""

LICENSED = """Gilead pays Trellis $300M upfront for rights to solid tumor antibody

Gilead is paying Trellis $300 million upfront for global rights to TL-5, an antibody-drug conjugate aimed at solid tumors, with biobucks of up to $1.5 billion on the table.

Under the pact, Trellis is eligible for development, regulatory and commercial milestones as well as tiered royalties on net sales. Gilead will handle all development and commercialization of the drug after the current phase 1 study.

Trellis, which raised a $90 million series B last year, said the cash would fund its other programs.
"""

TEAMED_UP = """Roche teams up with Quillmate on degraders in deal worth up to $2B

Roche is teaming up with Quillmate to discover molecular glue degraders for cancer and neurological diseases, handing the startup $40 million upfront.

Quillmate could receive up to $2 billion in milestones if all programs hit their goals. The Boston-based biotech will lead discovery work, while Roche takes on clinical development.

The tie-up is Quillmate's first with a big pharma since the company launched in 2022 with backing from Arch Venture Partners.
"""

NABBED_RIGHTS = """Merck nabs rights to Halcyon's oral GLP-1 drug for $150M upfront

Merck has nabbed worldwide rights to Halcyon's oral GLP-1 agonist HX-7 for $150 million upfront, the latest big pharma bet on obesity pills.

Halcyon, a Shanghai-based biotech, is eligible for up to $1.9 billion in development, regulatory and commercial milestones, plus tiered royalties. The phase 1 drug showed weight loss of 6% after four weeks in an early study.

Merck will take over all development and commercialization outside China, where Halcyon keeps the rights.
"""

STAKE = """AstraZeneca takes $75M stake in Corvexa as part of kidney pact

AstraZeneca has signed off on a $75 million equity investment in Corvexa, alongside a research collaboration on APOL1-driven kidney disease.

Under the deal, the biotech will receive $25 million upfront and could earn up to $500 million in milestones. AstraZeneca gets an option to license the resulting drug candidates.

Corvexa plans to use the cash to push its lead program, CVX-12, into a phase 2 trial next year.
"""

LICENSED_POSSESSIVE = """Vertex inks $90M licensing deal for Trellis pain drug

Vertex has licensed rights to Trellis' non-opioid pain drug TL-9 in a deal that includes $90 million upfront.

The biotech is eligible for up to $410 million in milestone payments. Trellis will complete an ongoing phase 2 trial in diabetic neuropathy before handing the program over to Vertex.
"""

WIRE_STORY = """Halcyon to buy Brightwater in $400 million all-stock deal

Feb 3 (Reuters) - Halcyon said on Monday it would acquire smaller rival Brightwater in an all-stock deal valued at about $400 million, as the drug developer looks to add a late-stage migraine treatment to its portfolio.

Brightwater shareholders will receive 0.45 Halcyon shares for each share held, the companies said. The deal is expected to close in the second quarter, subject to regulatory approvals.

Shares of Brightwater jumped 35% in premarket trading, while Halcyon fell 4%.
"""

DEFINED_COMPANY = """# Norvale Bio Signs Exclusive License Agreement with Tessaly Pharma for NV-201 in Greater China

BOSTON, March 4, 2025 /PRNewswire/ -- Norvale Bio, Inc. (OTCQB: NRVB) ("Norvale" or the "Company"), a clinical-stage company developing treatments for rare liver diseases, today announced that it has entered into an exclusive license agreement with Tessaly Pharma Co., Ltd. ("Tessaly") for the development and commercialization of NV-201 in mainland China, Hong Kong, Macau and Taiwan.

Under the terms of the agreement, Tessaly will pay the Company an upfront payment of $8 million and up to $95 million in development and sales milestones, as well as tiered royalties on net sales. Tessaly will be responsible for all development costs in the territory.

"This partnership validates our platform," said Jane Roe, Chief Executive Officer of Norvale.

About Norvale Bio
Norvale Bio is a clinical-stage biotechnology company focused on rare liver diseases.
"""

OPTION_EXERCISED = """Pfizer exercises option to license Trellis' ADC after early data

Pfizer has exercised its option to license TL-5, Trellis' antibody-drug conjugate for solid tumors, triggering a $75 million payment to the biotech.

The option was part of a 2022 collaboration between the two companies. Trellis is now eligible for up to $900 million in development and sales milestones.
"""

ROYALTY_SLICE = """Royalty Pharma pays $250M for slice of Corvexa's kidney drug royalties

Royalty Pharma will pay Corvexa $250 million upfront for a portion of the royalties on CVX-12, the biotech's APOL1 inhibitor that Novartis licensed in 2023.

Corvexa could receive another $100 million if the drug hits sales targets. The deal gives the company cash to fund its phase 3 program.
"""


PAST_DEALS = """Belmora buys kidney drug from Orvane for $400M

Belmora Therapeutics has agreed to buy Orvane Bio's phase 2 kidney drug ORV-3 for $400 million upfront, the companies said Tuesday.

Orvane Bio acquired the drug from Quillmate Pharma in 2021. In 2019, Belmora Therapeutics agreed to buy Halcyon Biosciences for $2 billion. Belmora Therapeutics licensed an antibody from Trellis Bio in 2020.
"""


def _deal(text: str) -> dict:
    (deal,) = [d for d in extract_record(doc(text))["deals"] if d["status"] == "announced"]
    return deal


def _money(deal: dict, kind: str) -> float | None:
    return (deal.get(kind) or {}).get("amount")


def test_a_biotech_bought_by_name_alone_is_the_target():
    deal = _deal(BOUGHT)
    assert deal["types"] == ["acquisition"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Novartis", "acquirer"), ("Corvexa", "target")]
    assert (_money(deal, "upfront"), _money(deal, "total_value")) == (900e6, 1.2e9)


def test_a_biotech_paid_for_rights_is_the_licensor_and_its_biobucks_are_milestones():
    deal = _deal(LICENSED)
    assert deal["types"] == ["license"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Gilead", "licensee"), ("Trellis", "licensor")]
    assert (_money(deal, "upfront"), _money(deal, "milestones")) == (300e6, 1.5e9)


def test_teaming_up_with_a_startup_is_a_collaboration():
    deal = _deal(TEAMED_UP)
    assert deal["types"] == ["collaboration"]
    assert {p["name"] for p in deal["parties"]} == {"Roche", "Quillmate"}
    assert _money(deal, "upfront") == 40e6


def test_the_owner_named_after_rights_to_is_the_licensor_and_a_short_code_after_a_drug_noun_its_asset():
    for text, buyer, owner, asset in [(NABBED_RIGHTS, "Merck", "Halcyon", "HX-7"), (LICENSED_POSSESSIVE, "Vertex", "Trellis", "TL-9")]:
        deal = _deal(text)
        assert deal["types"] == ["license"]
        assert [(p["name"], p["role"]) for p in deal["parties"]] == [(buyer, "licensee"), (owner, "licensor")]
        assert asset in [a["name"] for a in deal["assets"]]


def test_the_company_invested_in_and_granting_an_option_is_on_the_seller_side():
    deal = _deal(STAKE)
    assert {"equity", "option"} <= set(deal["types"])
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("AstraZeneca", "licensee"), ("Corvexa", "licensor")]
    assert "CVX-12" in [a["name"] for a in deal["assets"]]


def test_a_company_that_said_it_would_acquire_is_the_acquirer():
    (deal,) = extract_record(doc(WIRE_STORY + "\nBrightwater's migraine drug BW-3 is in a phase 3 trial.\n"))["deals"]
    assert deal["types"] == ["acquisition"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Halcyon", "acquirer"), ("Brightwater", "target")]
    assert _money(deal, "total_value") == 400e6


def test_the_company_a_release_defines_is_the_one_paid():
    deal = _deal(DEFINED_COMPANY)
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [
        ("Tessaly Pharma Co., Ltd.", "licensee"),
        ("Norvale Bio, Inc.", "licensor"),
    ]
    assert "Company" not in deal["parties"][1]["aliases"]
    assert (_money(deal, "upfront"), _money(deal, "milestones")) == (8e6, 95e6)


def test_a_drug_owner_named_in_the_possessive_is_the_licensor_of_the_option_exercised():
    deals = extract_record(doc(OPTION_EXERCISED))["deals"]
    exercised = next(d for d in deals if "option" in d["types"])
    assert [(p["name"], p["role"]) for p in exercised["parties"]] == [("Pfizer", "licensee"), ("Trellis", "licensor")]
    assert exercised["status"] == "announced"
    # the partnership it was part of is a past deal of its own, dated by its year
    assert [d["year"] for d in deals if d["types"] == ["collaboration"]] == [2022]


def test_a_year_in_a_relative_clause_dates_what_the_clause_tells_not_the_deal():
    deal = _deal(ROYALTY_SLICE)
    assert [p["name"] for p in deal["parties"]] == ["Royalty Pharma", "Corvexa"]
    assert deal["year"] is None and _money(deal, "upfront") == 250e6
    assert "CVX-12" in [a["name"] for a in deal["assets"]]


def test_a_bought_drug_is_an_asset_purchase_and_past_deals_keep_the_state_their_verbs_tell():
    deals = {tuple(p["name"] for p in d["parties"]): d for d in extract_record(doc(PAST_DEALS))["deals"]}
    news = deals[("Belmora Therapeutics", "Orvane Bio")]
    assert (news["types"], news["status"], _money(news, "upfront")) == (["asset_purchase"], "announced", 400e6)
    assert "ORV-3" in [a["name"] for a in news["assets"]]
    bought = deals[("Orvane Bio", "Quillmate Pharma")]  # told as done: it closed
    assert (bought["types"], bought["status"], bought["year"]) == (["asset_purchase"], "completed", 2021)
    agreed = deals[("Belmora Therapeutics", "Halcyon Biosciences")]  # two life-science names: biopharma
    assert (agreed["types"], agreed["status"], agreed["year"]) == (["acquisition"], "announced", 2019)
    licensed = deals[("Belmora Therapeutics", "Trellis Bio")]  # a past licence says nothing of its state now
    assert (licensed["types"], licensed["status"], licensed["year"]) == (["license"], None, 2020)


MARKET_REVIEW = """Biotech M&A rebounded in 2024

In 2024, 32 pharma deals, worth $19.2 billion, were completed versus 29 deals, worth $95.8 billion, in 2023. The largest acquisition was the $4 billion purchase of Corvexa Therapeutics by Novartis.

Halcyon Bio said on Monday it is in advanced talks to acquire Trellis Therapeutics, confirming an earlier report.
"""


def test_market_counts_are_no_deal_terms_and_talks_are_no_deal():
    (deal,) = extract_record(doc(MARKET_REVIEW))["deals"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Novartis", "acquirer"), ("Corvexa Therapeutics", "target")]
    assert _money(deal, "total_value") == 4e9


PLANT_AND_SERVICE = """# Corvexa Biologics Completes Acquisition of Trellis Bio's Manufacturing Plant

BOSTON, June 2, 2026 -- Corvexa Biologics, Inc., a contract development and manufacturing organization (CDMO), today announced the completion of its acquisition of the manufacturing operations of Trellis Bio, Inc. for $120 million.

Upon closing, Corvexa signed a long-term CDMO Service Agreement with Trellis Bio to manufacture its clinical antibody programs.
"""

CMO_PARTNERS = """# Halcyon Biologics and VialWorks Partner on Antibody Fill-Finish

Halcyon Biologics, a global Contract Development and Manufacturing Organization (CDMO), and VialWorks, a specialized contract manufacturing organization (CMO) focusing on aseptic filling of vials and syringes for clinical and commercial production of antibodies, today announced a new strategic partnership.

Since 2018, Halcyon Biologics has supported more than a dozen commercial products, collaborating with developers to meet their needs.
"""

RENEWED_PARTNERS = """Quillmate inks new antibody discovery pact with Novartis

Quillmate Therapeutics has entered into a multi-year collaboration with Novartis to develop antibodies against kidney disease targets, with an upfront payment from Novartis.

Quillmate said it has collaborated with Novartis before on antibody discovery efforts using its QX-7 platform.
"""


def test_a_service_agreement_signed_on_closing_is_a_deal_of_its_own_and_no_company():
    deals = extract_record(doc(PLANT_AND_SERVICE))["deals"]
    roles = {d["types"][0]: {p["name"]: p["role"] for p in d["parties"]} for d in deals}
    assert len(deals) == 2
    assert roles["asset_purchase"] == {"Corvexa Biologics, Inc.": "acquirer", "Trellis Bio, Inc.": "target"}
    # the company described as a CDMO makes for the other, whoever signed with whom
    assert roles["manufacturing"] == {"Corvexa Biologics, Inc.": "provider", "Trellis Bio, Inc.": "client"}


def test_partners_described_at_length_are_still_partners_and_serving_developers_is_no_deal():
    (deal,) = extract_record(doc(CMO_PARTNERS))["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Halcyon Biologics", "VialWorks"}
    assert "collaboration" in deal["types"]


def test_partners_that_worked_together_before_made_an_earlier_deal():
    deals = extract_record(doc(RENEWED_PARTNERS))["deals"]
    assert sorted(str(d["status"]) for d in deals) == ["None", "announced"]  # the earlier one: no state told
    assert all({p["name"] for p in d["parties"]} == {"Quillmate Therapeutics", "Novartis"} for d in deals)


UNNAMED_PARTNERS = """# Corvexa Therapeutics Reports Second-Quarter Progress

Corvexa Therapeutics, a clinical-stage biotechnology company, today announced the expansion of its strategic partnership agreements to include 18 clinical sites for its Phase 3 trial of CVX-12.

Corvexa Therapeutics also signed a supply agreement with a leading contract manufacturer for CVX-12.

Corvexa Therapeutics raised $12 million in a private placement with healthcare investors.
"""


def test_a_deal_naming_one_company_is_a_financing_or_a_purchase_not_a_partnership_with_someone():
    (deal,) = extract_record(doc(UNNAMED_PARTNERS))["deals"]
    assert deal["types"] == ["equity"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Corvexa Therapeutics", "investee")]
    assert _money(deal, "equity") == 12e6


EARNINGS_CALL = """Earnings Call Insights: Halcyon Pharmaceuticals (NASDAQ:HLCN) Q1 2026

### Management View

* CEO Jane Moreau announced a licensing and collaboration agreement with Trellis Therapeutics, which will provide $400 million in upfront payments and a $100 million equity purchase.
* CFO Ken Ito said the company expects its cash to last into 2029.
"""


def test_an_officer_named_by_title_alone_speaks_for_the_company_the_story_is_about():
    (deal,) = extract_record(doc(EARNINGS_CALL))["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Halcyon Pharmaceuticals", "Trellis Therapeutics"}
    assert "license" in deal["types"]


OWNED_ASSET = """# Halcyon to Acquire Brightwater Biosciences

Halcyon Pharmaceuticals, Inc. and Brightwater Biosciences, Inc. today announced a definitive agreement under which Halcyon will acquire Brightwater for $900 million in cash.

The transaction is expected to close in the second quarter.

"We are delighted to join forces," said Jane Roe, chief executive officer of Halcyon.

Brightwater's lead candidate BW-101, an investigational oral inhibitor of lysine-specific demethylase 1, is in Phase 2 trials for myelofibrosis and polycythemia vera.

Halcyon's own oncology medicines include several approved products.
"""


def test_a_partys_drug_described_away_from_the_deal_sentences_is_what_the_deal_is_about():
    deal = _deal(OWNED_ASSET)
    assert [a["name"] for a in deal["assets"]] == ["BW-101"]
    assert {"myelofibrosis", "polycythemia vera"} <= {i["name"] for i in deal["indications"]}
    assert deal["modalities"] == ["small molecule"]


EARNINGS_BULLETS = """# Halcyon Reports Fourth-Quarter 2025 Results

INDIANAPOLIS, Feb. 3, 2026 -- Halcyon Pharmaceuticals, Inc. today announced financial results for the fourth quarter of 2025.

We also completed two transformative transactions in the quarter, the disposition of our remaining ownership in Orrin Animal Health and the acquisition of Brightwater Oncology, Inc., which adds a promising pipeline of cancer medicines.

Key events over the last three months:

* The company completed the acquisition of Brightwater Oncology, Inc., adding the RET inhibitor BW-292 to its pipeline.

* The company announced a $1 billion investment to build a manufacturing site in Ireland, its largest to date.

* The company signed a Joint Procurement Agreement with the European Commission to supply up to 220,000 doses of its antibody.
"""


def test_the_bullets_of_an_earnings_release_are_separate_news_and_two_deal_nouns_two_deals():
    deals = extract_record(doc(EARNINGS_BULLETS))["deals"]
    pairs = {frozenset(p["name"] for p in d["parties"]): d for d in deals}
    assert frozenset({"Orrin Animal Health", "Brightwater Oncology, Inc."}) not in pairs
    bought = pairs[frozenset({"Halcyon Pharmaceuticals, Inc.", "Brightwater Oncology, Inc."})]
    assert bought["types"] == ["acquisition"]
    assert [(p["name"], p["role"]) for p in bought["parties"]] == [
        ("Halcyon Pharmaceuticals, Inc.", "acquirer"),
        ("Brightwater Oncology, Inc.", "target"),
    ]


TRIAL_GROUP = """# Halcyon Announces Phase 3 Results for HX-7 in Early Breast Cancer

Halcyon Pharmaceuticals, Inc. today announced that the Phase 3 HALO-3 trial of HX-7 met its primary endpoint of invasive disease-free survival.

The HALO-3 trial is led by the Breast Research Group in partnership with NRG Oncology, Corvexa Bio and Halcyon Pharmaceuticals, Inc. It enrolled 1,800 patients in 23 countries.
"""

UNIT_DEAL = """# Halcyon and Kestrel Bio Enter Research Collaboration on Protein Degraders

Halcyon Pharmaceuticals, Inc. and Kestrel Bio today announced a research collaboration and license agreement to discover protein degraders for cancer. Halcyon will pay Kestrel $40 million upfront.

The research will be run by Brightwater Oncology at Halcyon, Halcyon's oncology unit. Brightwater Oncology and Kestrel Bio will collaborate on three targets.
"""


def test_who_runs_a_trial_with_whom_is_no_deal():
    assert extract_record(doc(TRIAL_GROUP))["deals"] == []


def test_a_units_collaboration_with_its_parents_partner_is_the_parents_deal():
    (deal,) = extract_record(doc(UNIT_DEAL))["deals"]
    assert {p["name"] for p in deal["parties"]} == {"Halcyon Pharmaceuticals, Inc.", "Kestrel Bio"}


def test_a_deal_told_in_a_relative_clause_is_between_its_subject_and_the_company_after_it():
    text = (
        "NanoVex, Inc. develops antiviral drug candidates for influenza. NanoVex's drug candidates are based on "
        "the nanomedicine technology of Theralis Pharma, Inc., which Theralis licenses from AllCure."
    )
    (deal,) = extract_record(doc(text))["deals"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [
        ("Theralis Pharma, Inc.", "licensee"),
        ("AllCure", "licensor"),
    ]


EARNINGS_SALE = """Earnings Call Insights: Corvexa Therapeutics (NASDAQ:CRVX) Q1 2025

### Management View

* Corvexa highlighted its transformation into a late clinical-stage biopharmaceutical company, led by the kidney drug CVX-12.
* The company sold its Velora wound dressing business for $18 million in December 2024 to focus solely on drug development.
* Strategic priorities have shifted, with Corvexa now wholly focused on kidney diseases following the sale of its Velora business.
* CFO Jane Roe reported a cash balance of $40 million as of December 31, 2024.
"""


def test_a_sale_dated_in_the_year_of_the_story_is_a_deal_of_the_company_the_story_is_about():
    (deal,) = extract_record(doc(EARNINGS_SALE))["deals"]
    assert (deal["types"], deal["year"], _money(deal, "total_value")) == (["asset_purchase"], 2024, 18e6)
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Corvexa Therapeutics", "target")]
    assert deal["assets"] == []  # its pipeline is not what it sold


NAMED_PRODUCTS = """Orvane Bio has signed a license and distribution agreement with Makara Ltd, under which Makara will promote and sell the Nasorex nasal spray in Fiji.

Orvane Bio has firsthand experience of a hard launch. The biotech acquired Quillmate Pharma's Restora in 2018, when the drug was two years into a slow launch, and gave up on it in 2022.
"""


def test_a_drug_named_before_its_form_or_bought_from_its_owner_is_what_the_deal_is_about():
    deals = {tuple(p["name"] for p in d["parties"]): d for d in extract_record(doc(NAMED_PRODUCTS))["deals"]}
    assert [a["name"] for a in deals[("Orvane Bio", "Makara Ltd")]["assets"]] == ["Nasorex"]
    bought = deals[("Orvane Bio", "Quillmate Pharma")]
    assert (bought["types"], bought["year"], [a["name"] for a in bought["assets"]]) == (["asset_purchase"], 2018, ["Restora"])
