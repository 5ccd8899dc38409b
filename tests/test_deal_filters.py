"""The deal filters are declared once (``biodeals.service.filters.DealQuery``): every one is an
option of ``deals`` and ``export``, a query parameter of ``/api/deals`` and a field, facet or link
of the deals page, and the same text typed on each surface selects the same deals or gets the
same explanation."""

from __future__ import annotations

import html
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from biodeals.cli import app
from biodeals.service.filters import FACETED, FILTERS, FORM_FIELDS, cli_flag
from tests.api.test_api import build_client, deal_ids

runner = CliRunner()

# what a user types, as they would on any surface
SELECTIONS = [
    {"since": "2026"},
    {"since": "2025-01", "until": "2026-05"},
    {"min_upfront": "50M"},
    {"min_total": "$1 billion", "all": "true"},
    {"type": "license", "min_confidence": "0.5"},
    {"company": "Corvexa", "role": "acquirer"},
    {"q": "KRAS"},
    {"review": "unreviewed", "year": "2026"},
]


def _cli_args(selection: dict[str, str]) -> list[str]:
    args: list[str] = []
    for name, value in selection.items():
        args += [cli_flag(name)] if value == "true" else [cli_flag(name), value]
    return args


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("filters") / "kb.db")
    with build_client(path) as client:
        yield path, client


@pytest.mark.parametrize("command", ["deals", "export"])
def test_every_filter_is_an_option_of_the_command(command):
    click_command = typer.main.get_command(app).commands[command]
    options = {opt for param in click_command.params for opt in param.opts}
    assert {cli_flag(name) for name in FILTERS} <= options


def test_every_filter_is_a_query_parameter_and_on_the_page(kb):
    _, client = kb
    parameters = {p["name"] for p in client.get("/openapi.json").json()["paths"]["/api/deals"]["get"]["parameters"]}
    assert set(FILTERS) <= parameters
    page = client.get("/", params={"all": "true"}).text
    fields = set(re.findall(r'<(?:input|select) name="(\w+)"', page))
    assert set(FORM_FIELDS) <= fields
    assert set(FILTERS) <= fields | set(FACETED) | {"all"}
    assert all(f'data-facet="{facet}"' in page for facet in FACETED)


@pytest.mark.parametrize("selection", SELECTIONS, ids=lambda s: "&".join(f"{k}={v}" for k, v in s.items()))
def test_the_same_text_selects_the_same_deals_everywhere(kb, selection):
    path, client = kb
    from_api = deal_ids(client, **selection)
    result = runner.invoke(app, ["deals", "--db", path, "-f", "json", "-n", "500", *_cli_args(selection)])
    assert result.exit_code == 0, result.output
    assert sorted(d["id"] for d in json.loads(result.stdout)) == sorted(from_api)
    page = client.get("/", params=selection)
    assert f'<strong id="deal-total">{len(from_api)}</strong>' in page.text


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("since", "soon", "expected"),
        ("min_upfront", "lots", "expected an amount"),
        ("review", "maybe", "Input should be 'unreviewed'"),
        ("min_confidence", "2", "less than or equal to 1"),
    ],
)
def test_the_same_bad_text_is_explained_everywhere(kb, name, value, message):
    path, client = kb
    api = client.get("/api/deals", params={name: value})
    assert api.status_code == 422 and message in api.json()["detail"] and name in api.json()["detail"]
    cli = runner.invoke(app, ["deals", "--db", path, cli_flag(name), value])
    assert cli.exit_code == 1 and message in cli.stderr and cli_flag(name) in cli.stderr
    assert "Traceback" not in cli.output
    page = client.get("/", params={name: value})
    assert page.status_code == 200 and message in html.unescape(page.text)
