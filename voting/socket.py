"""Voting's socket actions: each runs the operation of the same name."""

from __future__ import annotations

from typing import Any

from ecabinet.realtime import SocketContext, socket_action
from meetings.access import refreshed
from voting import operations


def _register(name: str) -> None:
    @socket_action(name)
    def handler(ctx: SocketContext, data: dict[str, Any]) -> dict[str, Any]:
        # The user's place is read again: a substitute named or a role
        # changed since the socket connected counts from now.
        return operations.run(name, refreshed(ctx.subject), data)


def register_socket_actions() -> None:
    for name in operations.OPERATIONS:
        _register(name)
