"""Panels other apps add to the meeting page, without meetings knowing them.

An app registers a provider in its ``ready()`` (voting: the ballot and the
positions); the meeting page asks here and includes each panel's template
with its context. Dependencies keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetings.access import MeetingAccess

# provider(access) -> {"template": name, "context": {...}} or None
PanelProvider = Callable[[MeetingAccess], dict[str, Any] | None]
_providers: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(access: MeetingAccess) -> list[dict[str, Any]]:
    return [panel for provider in _providers if (panel := provider(access)) is not None]
