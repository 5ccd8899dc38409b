"""What a document says a company is: descriptions and their classification."""

from __future__ import annotations

import pytest

from biodeals.nlp.descriptions import classify_description, company_kind
from biodeals.nlp.spans import Entity, Mention


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("clinical-stage biopharmaceutical company developing antibodies", "medicines"),
        ("leading global contract development and manufacturing organization", "medicines"),
        ("nano-technology-based drug delivery company", "medicines"),
        ("molecular diagnostics company specializing in early cancer detection", "other"),
        ("global leader in AI-powered pathology", "other"),
        ("biopharmaceutical strategy consultancy", "other"),
        ("top interventional psychiatry clinic", "other"),
        ("premier manufacturer of safety syringes", "other"),
        ("emerging technology company developing solutions in artificial intelligence", "other"),
        ("innovative global healthcare company", None),
        ("leading science and technology company", None),
    ],
)
def test_a_description_says_whether_a_company_develops_medicines(description: str, kind: str | None):
    assert classify_description(description) == kind


def _company(text: str, name: str) -> Entity:
    mentions = [
        Mention("company", i, i + len(name), name, f"p:{name.lower()}")
        for i in range(len(text))
        if text.startswith(name, i)
    ]
    return Entity("company", name, mentions=mentions)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Orrin Labs (NASDAQ: ORL), a molecular diagnostics company, reported revenue.", "other"),
        ("About Orrin Labs\nOrrin Labs, founded in 2012 in Boston, is a clinical-stage biotech company.", "medicines"),
        ("Healthcare technology company Orrin Labs signed a lease.", "other"),
        ("Orrin Labs signed a lease.", None),
    ],
)
def test_company_kind_reads_appositions_about_sections_and_preceding_descriptors(text: str, kind: str | None):
    assert company_kind(_company(text, "Orrin Labs"), text) == kind


def test_a_trade_in_the_name_says_other():
    text = "Orrin Wellness Inc. signed a lease."
    assert company_kind(_company(text, "Orrin Wellness Inc."), text) == "other"


def test_what_a_company_operates_describes_it():
    text = "Founded in 2018, Orrin Labs operates clinics in Florida."
    assert company_kind(_company(text, "Orrin Labs"), text) == "other"
