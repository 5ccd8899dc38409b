"""Data flows one way: ingest -> nlp -> store -> service -> cli / api / web. A layer imports
only layers before it (and the shared modules: model, names, rules, errors, limits, fastre); the
api and web packages, side by side, do not import each other (``biodeals.app`` composes them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "biodeals"
LATER = {
    "ingest": {"nlp", "store", "service", "cli", "api", "web"},
    "nlp": {"store", "service", "cli", "api", "web"},
    "store": {"service", "cli", "api", "web"},
    "service": {"cli", "api", "web"},
    "api": {"cli", "web"},
    "web": {"cli", "api"},
}


def _biodeals_imports(path: Path) -> set[str]:
    """The biodeals subpackages ``path`` imports (``biodeals.store.writer`` -> "store")."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        found |= {m.split(".")[1] for m in modules if m.startswith("biodeals.") and m.count(".") >= 1}
    return found


@pytest.mark.parametrize("layer", sorted(LATER))
def test_layers_import_no_later_layer(layer):
    wrong = {
        f"{path.relative_to(PACKAGE)} imports biodeals.{name}"
        for path in (PACKAGE / layer).rglob("*.py")
        for name in _biodeals_imports(path) & LATER[layer]
    }
    assert not wrong, sorted(wrong)
