"""The server's ceiling on a request body, applied before Django reads it.

Under ASGI, Django reads a whole request body into a temporary file before
any view runs, so a view that refuses a body by its length has already paid
for it. This middleware answers 413 to a body over the ceiling at once when
its Content-Length says so, and stops reading one that runs past it anyway
(a chunked body, or a client that lies). Per-tenant limits, which are lower,
are the views' business (``documents`` refuses papers over the tenant's own).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[..., Awaitable[None]]


def _body() -> bytes:
    # No request here to choose a language from: the site's own (Vietnamese).
    with translation.override(settings.LANGUAGE_CODE):
        detail = gettext("The request is larger than this server accepts (%(mb)d MB).") % {
            "mb": settings.ECABINET_MAX_UPLOAD_MB
        }
    return json.dumps({"error": "request_too_large", "detail": detail}, ensure_ascii=False).encode()


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send) -> None:
    body = _body()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: HTTP bodies of at most ``max_bytes``."""

    def __init__(self, app: App, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _declared_length(scope)
        if length is not None and length > self.max_bytes:
            await _refuse(send)
            return
        received = 0
        over = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Django takes a disconnect as the end of the request and
                    # answers nothing; the answer is given below.
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, watched_send)
        if over and not started:
            await _refuse(send)
