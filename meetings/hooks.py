"""What other apps do when a meeting changes, without meetings importing them.

The papers app, for one, keeps a group of the meeting's readers in step with
its participants, stamps papers ahead of the session when the agenda is
published, and refuses to remove an item that still has papers. Apps register
in their ``ready()``; hooks run inside the meeting action's transaction, so a
hook that raises an ``ActionError`` refuses the action and rolls it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

Hook = Literal["participants_changed", "published", "item_removing"]
_hooks: dict[str, list[Callable[..., Any]]] = {}


def register(hook: Hook, function: Callable[..., Any]) -> None:
    functions = _hooks.setdefault(hook, [])
    if function not in functions:
        functions.append(function)


def run(hook: Hook, *args: Any, **kwargs: Any) -> None:
    for function in _hooks.get(hook, []):
        function(*args, **kwargs)
