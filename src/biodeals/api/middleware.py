"""ASGI layers around the app: security headers on every answer, the write token checked from the
headers before any body is read, and a body size limit.

They run before FastAPI, which reads (and parses) a request's whole body before it resolves any
dependency: a token check written as a dependency alone would let anyone make the server hold
body after body in memory.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from biodeals.errors import ConfigError

# scripts, styles, images and requests from this server only; no plugin, no framing, no <base>
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_ENCODED_HEADERS = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


async def send_error(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """Answer ``status`` with the API's error envelope ``{"detail": ...}``."""
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Add ``SECURITY_HEADERS`` to every HTTP answer (pages, API, static files, errors), keeping
    any the app set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _ENCODED_HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def token_user(tokens: dict[str, str], authorization: str) -> str | None:
    """The user whose token this ``Authorization: Bearer`` header carries, else None (every
    token compared in constant time)."""
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    found = None
    for token, user in tokens.items():
        if secrets.compare_digest(given.strip().encode(), token.encode()):
            found = user
    return found


def token_problem(tokens: dict[str, str], authorization: str) -> tuple[int, str, dict[str, str]] | None:
    """Why a write with this ``Authorization`` header is refused (status, detail, headers), or None.

    An empty configured token is no token: it never authorizes an empty Bearer header."""
    if not tokens:
        return 403, "writes are disabled: start the server with BIODEALS_API_TOKEN or a token file", {}
    if token_user(tokens, authorization) is None:
        return 401, "writes need the header 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"}
    return None


def read_token_file(path: str) -> dict[str, str]:
    """A token file: one ``USER TOKEN`` per line (blank lines and ``#`` comments ignored) -> the
    token of each user, as token -> user. Raises ConfigError naming the file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"token file {path}: cannot be read ({error})") from error
    tokens: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 2 or len(words[1]) < 8:
            raise ConfigError(f"token file {path}, line {number}: expected 'USER TOKEN' (a token of 8 or more characters)")
        if words[1] in tokens:
            raise ConfigError(f"token file {path}, line {number}: this token is given to {tokens[words[1]]} already")
        tokens[words[1]] = words[0]
    return tokens


class TokenFirst:
    """Refuse a request to a route that needs the write token (see ``needs_token``) from its
    headers alone, before the app reads a byte of its body."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute], needs_token: Callable[[BaseRoute], bool]) -> None:
        self.app = app
        self.routes = routes  # the API router's own routes (an included router is not a flat list)
        self.needs_token = needs_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS") and self.guarded(scope):
            headers = {name.lower(): value for name, value in scope["headers"]}
            authorization = headers.get(b"authorization", b"").decode("latin-1")
            problem = token_problem(_tokens(scope), authorization)
            if problem is not None:
                await send_error(send, *problem)
                return
        await self.app(scope, receive, send)

    def guarded(self, scope: Scope) -> bool:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return self.needs_token(route)
        return False


def _tokens(scope: Scope) -> dict[str, str]:
    app: Any = scope.get("app")
    return getattr(getattr(app, "state", None), "tokens", {})


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by Content-Length before reading, or
    while reading a body sent without one."""

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
        await send_error(send, status, problem)
