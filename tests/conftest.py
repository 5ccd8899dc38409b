"""Shared fixtures: the shared corpus (skipped when absent), a document factory, and empty
knowledge bases on SQLite and PostgreSQL (skipped when no server is reachable)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from biodeals.errors import IngestError
from biodeals.ingest import Document, ReadOptions, make_document, read_inputs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """../shared/corpus/dev, or skip the test when this checkout has no shared corpus."""
    folder = CORPUS / "dev"
    if not folder.is_dir():
        pytest.skip(f"shared corpus not found at {folder}")
    return folder


def core_samples() -> list[str]:
    """Bundled samples 01-04 (a licence, an acquisition announced then completed, a readout with a
    past supply deal): the fixed input whose deals the knowledge-base tests spell out."""
    from biodeals.cli.commands import sample_paths

    return [path for path in sample_paths() if Path(path).name[:2] in ("01", "02", "03", "04")]


def read_all(*inputs: object, **options: object) -> tuple[list[Document], list[IngestError]]:
    """Everything ``read_inputs`` makes of ``inputs`` (ReadOptions from ``options``): the
    documents, and the errors of what could not be read."""
    results = list(read_inputs([str(i) for i in inputs], ReadOptions(**options)))
    return [r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, IngestError)]


def doc(text: str, name: str = "test") -> Document:
    """A Document from literal text, as the text reader would make it."""
    return make_document(text, name=name, source=f"<{name}>")


POSTGRES_ENV = "BIODEALS_TEST_POSTGRES"
POSTGRES_DEFAULT = "postgresql://biodeals:biodeals@127.0.0.1:5432/biodeals_test"


def _fresh_postgres() -> str:
    """The test PostgreSQL database, emptied; skip when no server is reachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from biodeals.store import database_url

    if _UNREACHABLE:
        pytest.skip(_UNREACHABLE[0])
    url = os.environ.get(POSTGRES_ENV, POSTGRES_DEFAULT)
    engine = create_engine(database_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except OperationalError as error:
        if os.environ.get("BIODEALS_REQUIRE_POSTGRES"):
            pytest.fail(f"no PostgreSQL server reachable at {url}: {error.orig}")
        first_line = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else "unreachable"
        _UNREACHABLE.append(f"{NO_POSTGRES} at {url} (set {POSTGRES_ENV}; .ci/run starts one): {first_line}")
        pytest.skip(_UNREACHABLE[0])
    finally:
        engine.dispose()
    return url


NO_POSTGRES = "no PostgreSQL server reachable"
_UNREACHABLE: list[str] = []  # the reason, once the server was found unreachable: not tried again
_SKIP_LINE = _fresh_postgres.__code__.co_firstlineno - 1  # pytest counts report lines from 0


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Every "no PostgreSQL" skip reported at one place, so pytest's summary folds them into one line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].startswith(f"Skipped: {NO_POSTGRES}"):
        report.longrepr = (__file__, _SKIP_LINE, report.longrepr[2])
    return report


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty knowledge base: a SQLite file, and the test PostgreSQL database (each test runs on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    return _fresh_postgres()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on ``db_url``."""
    from biodeals.store import connect

    engine = connect(db_url)
    yield engine
    engine.dispose()
