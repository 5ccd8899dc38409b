"""The error contract, route by route: every route of the API is sent what it must refuse — an
invalid parameter or body, an unknown id, a write without a token or past the size limit, a
read-only server — and every answer is the one envelope (``{"detail": ..., "problems": [...]}``,
JSON), with a status its OpenAPI operation documents. The routes are read from the router, so a
new route is covered (or this test fails) without editing it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from biodeals.api.routes import router
from tests.api.test_api import AUTH, MAX_BODY, build_client

ROUTES = [(method, route.path) for route in router.routes if isinstance(route, APIRoute) for method in route.methods]

# a body each write route accepts, so that what is refused is the one thing a case changes
VALID_BODY: dict[str, dict[str, Any]] = {
    "/api/documents": {"text": "Aldane Bio and Quorra Pharma sign a license agreement."},
    "/api/deals/{deal_id}/review": {"state": "confirmed"},
    "/api/readouts/{readout_id}/review": {"state": "confirmed"},
    "/api/deals/{deal_id}/edits": {"field": "status", "value": "completed"},
    "/api/deals/{deal_id}/split": {"company": "Nobody Such"},
    "/api/deals/{deal_id}/merge": {"absorb": 1},
    "/api/companies/{name}/merge": {"absorb": "Nobody Such"},
    "/api/edits/{edit_id}/undo": {},
    "/api/watchlists": {"name": "new-list", "filters": {"type": "license"}},
}
# path parameters that name one of a few choices (a file type, a table): anything else is invalid
CHOICES = {"extension": "csv", "table": "by_quarter"}
UNKNOWN = {"extension": "docx", "table": "nothing", "name": "Nobody Such Company Zz"}  # every other one is an id
INVALID = {"name": "x" * 201, "extension": "docx", "table": "nothing"}


def _path(template: str, values: dict[str, str], default: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], default), template)


def _cases(method: str, template: str) -> list[tuple[str, dict[str, Any], int]]:
    """(what is wrong, request, the status it must get) for each thing the route must refuse."""
    good_path = _path(template, {"name": "1", **CHOICES}, "1")
    body = VALID_BODY.get(template)
    cases: list[tuple[str, dict[str, Any], int]] = []
    if "{" in template:
        unknown = 422 if any(f"{{{choice}}}" in template for choice in CHOICES) else 404
        names = {**UNKNOWN, "name": "no-such-list"} if template.startswith("/api/watchlists/") else UNKNOWN
        cases.append(("unknown item", {"url": _path(template, names, "999999"), "json": body, "auth": True}, unknown))
        cases.append(("invalid path", {"url": _path(template, INVALID, "abc"), "json": body, "auth": True}, 422))
    if method == "GET":
        if _has_query(template):
            bad_query = {"limit": "0", "offset": "-1", "all": "maybe", "deal": "x", "q": "\x00", "discount_rate": "2", "k": "0"}
            cases.append(("invalid query", {"url": good_path, "params": bad_query}, 422))
        return cases
    if method == "DELETE":  # no body to refuse: the token is what it checks
        return [
            *cases,
            ("no token", {"url": good_path}, 401),
            ("wrong token", {"url": good_path, "headers": {"Authorization": "Bearer wrong"}}, 401),
        ]
    return [
        *cases,
        ("invalid body", {"url": good_path, "json": {**body, "unexpected": 1}, "auth": True}, 422),
        ("malformed JSON", {"url": good_path, "content": b"{not json", "auth": True}, 422),
        ("no token", {"url": good_path, "json": body}, 401),
        ("wrong token", {"url": good_path, "json": body, "headers": {"Authorization": "Bearer wrong"}}, 401),
        ("too large", {"url": good_path, "content": b"x" * (MAX_BODY + 1), "auth": True}, 413),
        ("bad length", {"url": good_path, "content": b"{}", "auth": True, "length": "lots"}, 400),
    ]


def _has_query(template: str) -> bool:
    route = next(r for r in router.routes if isinstance(r, APIRoute) and r.path == template)

    def walk(dependant: Any) -> bool:
        return bool(dependant.query_params) or any(walk(d) for d in dependant.dependencies)

    return walk(route.dependant)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with build_client(str(tmp_path_factory.mktemp("envelope") / "kb.db"), api_token=AUTH["Authorization"].split()[1]) as c:
        yield c


@pytest.fixture(scope="module")
def documented(client) -> dict[tuple[str, str], set[int]]:
    paths = client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path): {int(code) for code in op["responses"]} for path, item in paths.items() for method, op in item.items()}


def _assert_envelope(response: Any, where: str) -> None:
    assert response.headers["content-type"].startswith("application/json"), where
    body = response.json()
    assert isinstance(body, dict) and set(body) <= {"detail", "problems"}, (where, body)
    assert isinstance(body["detail"], str) and body["detail"].strip(), where
    if response.status_code == 422:
        assert body["problems"] and all(set(p) == {"field", "message"} for p in body["problems"]), where


def _send(client: Any, method: str, request: dict[str, Any]) -> Any:
    headers = dict(request.get("headers", {}))
    if request.get("auth"):
        headers.update(AUTH)
    if request.get("json") is not None or request.get("content") is not None:
        headers.setdefault("Content-Type", "application/json")
    if "length" in request:
        headers["Content-Length"] = request["length"]
    return client.request(
        method, request["url"], params=request.get("params"), json=request.get("json"),
        content=request.get("content"), headers=headers,
    )  # fmt: skip


@pytest.mark.parametrize("method, template", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_every_refusal_of_every_route_is_the_one_documented_envelope(client, documented, method, template):
    cases = _cases(method, template)
    assert cases, f"{method} {template}: no case of what it refuses"
    for what, request, status in cases:
        response = _send(client, method, request)
        where = f"{method} {template}: {what} -> {response.status_code}"
        assert response.status_code == status, (where, response.text[:300])
        _assert_envelope(response, where)
        assert response.status_code in documented[(method, template)], f"{where} is not in its OpenAPI responses"


def test_a_read_only_server_refuses_every_write_in_the_envelope(tmp_path, monkeypatch):
    monkeypatch.delenv("BIODEALS_API_TOKEN", raising=False)
    monkeypatch.delenv("BIODEALS_TOKEN_FILE", raising=False)
    with build_client(str(tmp_path / "kb.db")) as client:
        for method, template in ROUTES:
            if method not in ("POST", "DELETE"):
                continue
            url = _path(template, {"name": "1"}, "1")
            response = client.request(method, url, json=VALID_BODY.get(template), headers=AUTH)
            assert response.status_code == 403, (template, response.text)
            _assert_envelope(response, template)


@pytest.mark.parametrize(
    "method, url, status",
    [("GET", "/api/no-such-thing", 404), ("DELETE", "/api/deals", 405), ("PUT", "/api/deals/1/review", 405)],
)
def test_unknown_api_paths_and_methods_are_the_envelope(client, method, url, status):
    response = client.request(method, url, headers=AUTH)
    assert response.status_code == status
    _assert_envelope(response, url)
