"""Fixtures of the nlp tests."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from biodeals import rules


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped rule files, so that cross-references resolve."""
    for entry in resources.files(rules.__name__).iterdir():
        if entry.name.endswith(".toml"):
            shutil.copyfile(str(entry), tmp_path / entry.name)
    return tmp_path
