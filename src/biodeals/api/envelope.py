"""The API's one error envelope, ``{"detail": "...", "problems": [...]}``, for every error answer
(FastAPI's own validation errors included), and the OpenAPI ``responses=`` that document it."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError

from biodeals.api.models import ErrorBody

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


INVALID = {422: _error("Invalid input: `detail` sums it up, `problems` names each invalid parameter")}
NOT_FOUND = {404: _error("No such item")}
WRITE = {
    400: _error("Invalid Content-Length header"),
    401: _error("Missing or wrong `Authorization: Bearer <token>` header"),
    403: _error("Writes are disabled on this server (no token configured)"),
    413: _error("Request body over the server's size limit"),
}
DOWNLOAD = {
    200: {
        "description": "The selected deals as a file (an attachment)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _field(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "request"


def problems(error: RequestValidationError) -> list[dict[str, str]]:
    """Each of FastAPI's validation errors as ``{"field": "query.since", "message": ...}``."""
    found = []
    for item in error.errors():
        message = str(item.get("msg", "invalid"))
        found.append({"field": _field(tuple(item.get("loc", ()))), "message": message.removeprefix("Value error, ")})
    return found


def validation_body(error: RequestValidationError) -> dict[str, Any]:
    """A 422's error envelope: one ``detail`` line naming every invalid input, and ``problems``."""
    listed = problems(error)
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in listed) or "invalid request"
    return {"detail": detail, "problems": listed}
