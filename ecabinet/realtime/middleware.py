"""ASGI middleware for sockets: who is calling, on which tenant's host."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from ecabinet.realtime import remember_server_loop
from ecabinet.tenancy import UnknownHost, belongs_here, tenant_for_host


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


@database_sync_to_async  # type: ignore[untyped-decorator]
def _tenant_for(host: str) -> Any:
    try:
        return tenant_for_host(host)
    except UnknownHost:
        return None


@database_sync_to_async  # type: ignore[untyped-decorator]
def _user_for_token(key: str) -> Any:
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user", "user__tenant").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TenantSocketMiddleware:
    """Sets ``scope["tenant"]`` from the Host header and checks the Origin.

    A browser's socket carries an Origin; it must be the same host, so that
    another site cannot open a socket with a minister's cookie. Clients that
    are not browsers send no Origin and must authenticate with a token.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        remember_server_loop(asyncio.get_running_loop())
        host = _header(scope, b"host") or ""
        origin = _header(scope, b"origin")
        if origin is not None and urlsplit(origin).netloc.lower() != host.lower():
            return await _refuse(send, receive)
        tenant = await _tenant_for(host)
        return await self.app(dict(scope, tenant=tenant), receive, send)


class TokenAuthMiddleware:
    """``?token=<key>`` authenticates a socket the way the API's token does."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        keys = query.get("token")
        if keys:
            scope = dict(scope, user=await _user_for_token(keys[0]))
        user = scope.get("user")
        if user is not None and not belongs_here(user, scope.get("tenant")):
            # An account of another tenant is a stranger on this host.
            scope = dict(scope, user=AnonymousUser())
        return await self.app(scope, receive, send)


async def _refuse(send: Any, receive: Any) -> None:
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": 4403})


def SocketStack(app: Any) -> Any:  # noqa: N802 - reads like the Channels stacks
    """Tenant, then session, then token; the consumer decides the rest."""
    return TenantSocketMiddleware(AuthMiddlewareStack(TokenAuthMiddleware(app)))
