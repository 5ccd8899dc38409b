"""Schemathesis over every GET endpoint of the app's own OpenAPI schema, in process (ASGI), against
a knowledge base of the bundled samples on SQLite and PostgreSQL: every answer must be a
documented status with a documented content type and body, valid input must be accepted and
invalid input refused, and nothing may be a server error.

Bounded and derandomized (``max_examples`` per endpoint, fixed seed) so CI runs it in seconds.
The schema is read once from an app over an empty knowledge base; each example is sent to the
app of the ``client`` fixture (samples ingested), so both databases are tested.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from biodeals.app import create_app
from tests.api.test_api import build_client
from tests.conftest import _fresh_postgres as fresh_postgres

EXAMPLES = 25
_EMPTY = tempfile.TemporaryDirectory(prefix="biodeals-schema-")  # lives as long as this module
# the fuzzing phase only: its examples are bounded by max_examples (the coverage phase's are not:
# some 1,100 requests per database); the edges it would probe are spelled out in test_api.py
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Path(_EMPTY.name) / "schema.db"), config=CONFIG)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One knowledge base of the samples per database for the whole module (reads change nothing)."""
    url = str(tmp_path_factory.mktemp("schemathesis") / "kb.db") if request.param == "sqlite" else fresh_postgres()
    with build_client(url) as client:
        yield client


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _reversed_range(query: dict[str, Any] | None) -> bool:
    """since after until: each a valid date, which the schema cannot relate (a 422 by design)."""
    since, until = _date((query or {}).get("since")), _date((query or {}).get("until"))
    return since is not None and until is not None and since > until


@schema.include(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_get_endpoint_keeps_its_schema(case, client):
    if _reversed_range(case.query):
        response = case.call_and_validate(app=client.app, excluded_checks=[positive_data_acceptance])
        assert response.status_code == 422  # the range, or another bad parameter named first
        return
    case.call_and_validate(app=client.app)
