"""Shared fixtures: the shared corpus (skipped when absent) and a document factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from biodeals.ingest import Document, make_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """../shared/corpus/dev, or skip the test when this checkout has no shared corpus."""
    folder = CORPUS / "dev"
    if not folder.is_dir():
        pytest.skip(f"shared corpus not found at {folder}")
    return folder


def doc(text: str, name: str = "test") -> Document:
    """A Document from literal text, as the text reader would make it."""
    return make_document(text, name=name, source=f"<{name}>")
