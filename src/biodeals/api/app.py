"""The HTTP application: the JSON API under ``/api/`` and the web pages at ``/``, one process.

``create_app`` opens the knowledge base once; handlers are plain (threaded) functions over the
service layer. Errors the service raises on purpose become 4xx answers with a ``detail`` line.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from threading import Lock

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from biodeals.errors import BiodealsError, ConfigError, IngestError, NotFound
from biodeals.limits import DEFAULT_MAX_BYTES
from biodeals.store import connect

_STATUS = {NotFound: 404, ConfigError: 422, IngestError: 422}


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send, 413 if declared.isdigit() else 400)
            return
        received = 0
        too_large = refused = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def checked_send(message: Message) -> None:
            # the app may turn the aborted read into its own error answer: answer 413 instead
            nonlocal refused
            if not too_large:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send, 413)

        try:
            await self.app(scope, counted_receive, checked_send)
        except _BodyTooLarge:
            if not refused:
                await self._refuse(send, 413)

    async def _refuse(self, send: Send, status: int) -> None:
        problem = f"request body larger than {self.max_bytes} bytes" if status == 413 else "invalid Content-Length"
        body = json.dumps({"detail": problem}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def create_app(
    database: str | Path | None = None,
    *,
    api_token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The app over the knowledge base at ``database`` (default ``$BIODEALS_DB`` or
    ./biodeals.db). Writes need ``api_token`` (default ``$BIODEALS_API_TOKEN``); without one
    the server is read-only."""
    from biodeals.api.routes import router
    from biodeals.web.pages import error_page, static_files
    from biodeals.web.pages import router as pages

    engine = connect(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="biodeals",
        summary="Biopharma deals and clinical readouts extracted from news, each fact with its evidence.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below with the vendored Swagger UI, not from a CDN
        redoc_url=None,
    )
    app.state.engine = engine
    # an empty token is no token: it must never authorize an empty Bearer header
    app.state.api_token = (api_token if api_token is not None else os.environ.get("BIODEALS_API_TOKEN")) or None
    app.state.write_lock = Lock()  # one writer at a time: the store's batches are not meant to interleave
    app.state.max_body_bytes = max_body_bytes
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)

    @app.exception_handler(BiodealsError)
    async def _known_error(request: Request, error: BiodealsError) -> Response:
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
        if not request.url.path.startswith("/api/"):
            return error_page(request, status, str(error))
        return JSONResponse({"detail": str(error)}, status_code=status)

    @app.get("/docs", include_in_schema=False)
    async def _docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="biodeals API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.include_router(router)
    app.include_router(pages)
    app.mount("/static", static_files(), name="static")
    return app



def app_from_environment() -> FastAPI:
    """The app for ``$BIODEALS_DB``: the factory uvicorn calls in each worker process."""
    return create_app(os.environ.get("BIODEALS_DB"))
