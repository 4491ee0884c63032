"""The meeting's socket actions: each runs the operation of the same name."""

from __future__ import annotations

from typing import Any

from ecabinet.realtime import SocketContext, socket_action
from meetings import operations
from meetings.access import refreshed


def _register(name: str) -> None:
    @socket_action(name)
    def handler(ctx: SocketContext, data: dict[str, Any]) -> dict[str, Any]:
        # Read the user's place again: a role, an invitation or the acting
        # chair may have changed since the socket connected.
        return dict(operations.run(name, refreshed(ctx.subject), data))


def register_socket_actions() -> None:
    for name in operations.OPERATIONS:
        _register(name)
