"""One company key for the nlp layer and the store (biodeals.names)."""

from __future__ import annotations

import pytest

from biodeals import names
from biodeals.nlp.resolve import normalise_name
from biodeals.store import names as store_names


@pytest.mark.parametrize(
    ("name", "key", "in_document"),
    [
        ("Eli Lilly and Company", "eli lilly", "eli lilly"),
        ("ELI LILLY & CO.", "eli lilly", "eli lilly"),
        ("Innate Pharma S.A.", "innate pharma", "innate pharma"),
        ("Merck & Co., Inc.", "merck", "merck"),
        ("Merck KGaA", "merck kgaa", "merck kgaa"),
        ("Receptor.AI", "receptorai", "receptorai"),
        ("The Medicines Company", "medicines", "the medicines"),
        ("Novo Nordisk A/S", "novo nordisk", "novo nordisk a s"),
        ("Pincell S.r.l.", "pincell", "pincell srl"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_names_company_key_across_documents_and_within_one(name, key, in_document):
    assert names.company_key(name) == key
    assert names.company_key(name, in_document=True) == in_document == normalise_name(name)


def test_names_the_store_resolves_under_the_shared_keys():
    assert store_names.company_key is names.company_key
    assert store_names.entity_key("company", "Sanofi S.A.") == "sanofi"
    assert store_names.entity_key("asset", "IMP-321") == "imp321"


def test_names_store_keys_fit_the_key_column():
    assert len(names.company_key("Alpha " * 100)) == names.MAX_KEY
