"""Every third-party module the code imports is a dependency it declares by name.

A package that arrives only through another one (or through an extra the other one may drop, as
lxml 6 dropped ``html_clean``) is a missing dependency waiting for a fresh install to fail.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _declared(requirements: list[str]) -> set[str]:
    return {_canonical(re.match(r"[A-Za-z0-9_.\-]+", line).group(0)) for line in requirements}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_modules(folder: Path) -> set[str]:
    """Top-level names of the absolute imports in the Python files under ``folder``."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    # imported from beside them, as scripts are run ("train_scorer", benchmarks' "api")
    siblings = {path.stem for folder in ("scripts", "benchmarks") for path in (ROOT / folder).glob("*.py")}
    return names - set(sys.stdlib_module_names) - {"biodeals", "tests", "__future__"} - siblings


# what an import name's distribution is called when it is not installed here (the dev extra's
# scikit-learn in an environment built from the test extra alone)
_NOT_INSTALLED = {"sklearn": "scikit-learn"}


def _undeclared(folder: Path, declared: set[str]) -> dict[str, list[str]]:
    providers = importlib.metadata.packages_distributions()
    missing: dict[str, list[str]] = {}
    for module in sorted(_imported_modules(folder)):
        distributions = [_canonical(d) for d in providers.get(module, [_NOT_INSTALLED.get(module, module)])]
        if not declared.intersection(distributions):
            missing[module] = distributions
    return missing


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = _declared(PROJECT["dependencies"])
EXTRAS = PROJECT["optional-dependencies"]


def test_the_package_imports_only_what_it_declares():
    assert _undeclared(ROOT / "src" / "biodeals", RUNTIME) == {}


@pytest.mark.parametrize("folder", ["tests", "benchmarks", "scripts"])
def test_tests_benchmarks_and_scripts_import_only_declared_packages(folder: str):
    declared = RUNTIME | _declared(EXTRAS["test"]) | _declared(EXTRAS["dev"])
    assert _undeclared(ROOT / folder, declared) == {}


def test_html_cleaning_that_trafilatura_needs_is_installed():
    """trafilatura imports ``lxml.html.clean``, which lxml 6 moved to ``lxml_html_clean``."""
    importlib.import_module("lxml.html.clean")
    assert "lxml-html-clean" in RUNTIME
