"""The HTTP application, the one place the JSON API (``biodeals.api``, under ``/api/``) and the
web pages (``biodeals.web``, at ``/``) meet: neither package imports the other.

``create_app`` opens the knowledge base once; handlers are plain (threaded) functions over the
service layer. Every error answer of the API is the one envelope of ``biodeals.api.envelope``
(pages get an HTML error page instead), and every answer carries the security headers of
``biodeals.api.middleware``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from threading import Lock

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from biodeals.api.envelope import validation_body
from biodeals.api.middleware import BodyLimit, SecurityHeaders, TokenFirst, read_token_file
from biodeals.api.routes import needs_token, router
from biodeals.errors import BiodealsError, ConfigError, IngestError, NotFound
from biodeals.limits import DEFAULT_MAX_BYTES
from biodeals.store import connect
from biodeals.web.pages import docs_page, error_page, static_files
from biodeals.web.pages import router as pages

_STATUS = {NotFound: 404, ConfigError: 422, IngestError: 422}


class _App(FastAPI):
    """FastAPI whose every answer, a 500 from its outermost error layer too, has the security headers."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(
    database: str | Path | None = None,
    *,
    api_token: str | None = None,
    token_file: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The app over the knowledge base at ``database`` (default ``$BIODEALS_DB`` or
    ./biodeals.db). Writes need a token: ``api_token`` (default ``$BIODEALS_API_TOKEN``, whose
    writes are recorded as user "api") or one of ``token_file`` (default
    ``$BIODEALS_TOKEN_FILE``: ``USER TOKEN`` lines, each user's decisions recorded by name);
    without any the server is read-only."""
    engine = connect(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = _App(
        title="biodeals",
        summary="Biopharma deals and clinical readouts extracted from news, each fact with its evidence.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below with the vendored Swagger UI, not from a CDN
        redoc_url=None,
    )
    app.state.engine = engine
    # an empty token is no token: it must never authorize an empty Bearer header
    single = (api_token if api_token is not None else os.environ.get("BIODEALS_API_TOKEN")) or None
    token_file = token_file or os.environ.get("BIODEALS_TOKEN_FILE") or None
    app.state.tokens = {**({single: "api"} if single else {}), **(read_token_file(token_file) if token_file else {})}
    app.state.write_lock = Lock()  # one writer at a time: the store's batches are not meant to interleave
    app.state.max_body_bytes = max_body_bytes
    # added innermost first: the token is checked before the size, both before any body is read
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(TokenFirst, routes=router.routes, needs_token=needs_token)

    @app.exception_handler(BiodealsError)
    async def _known_error(request: Request, error: BiodealsError) -> Response:
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
        if not _is_api(request):
            return error_page(request, status, str(error))
        return JSONResponse({"detail": str(error)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        body = validation_body(error)
        if not _is_api(request):
            return error_page(request, 422, body["detail"])
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        headers = getattr(error, "headers", None)
        if not _is_api(request) and error.status_code == 404:
            return error_page(request, 404, "no such page")
        return JSONResponse({"detail": str(error.detail)}, status_code=error.status_code, headers=headers)

    @app.get("/docs", include_in_schema=False)
    async def _docs(request: Request) -> HTMLResponse:
        return docs_page(request)

    app.include_router(router)
    app.include_router(pages)
    app.mount("/static", static_files(), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app for ``$BIODEALS_DB``: the factory uvicorn calls in each worker process."""
    return create_app(os.environ.get("BIODEALS_DB"))
