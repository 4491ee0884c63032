"""Panels other apps add to the meeting's pages, without meetings knowing them.

An app registers a provider in its ``ready()`` (voting: the ballot and the
positions); the page asks here and includes each panel's template with its
context. Dependencies keep pointing down. Three places take panels: the
meeting page (``MEETING``), the paper reader (``READER``), where what the
session asks of the member now — a ballot to vote in — follows them, and the
hall display (``DISPLAY``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetings.access import MeetingAccess

# provider(access) -> {"template": name, "context": {...}} or None
PanelProvider = Callable[[MeetingAccess], dict[str, Any] | None]

MEETING = "meeting"
READER = "reader"
DISPLAY = "display"  # the meeting room's big screen (``meetings:meeting-display``)
_providers: dict[str, list[PanelProvider]] = {MEETING: [], READER: [], DISPLAY: []}


def register_panel(provider: PanelProvider, *, on: str = MEETING) -> None:
    providers = _providers[on]
    if provider not in providers:
        providers.append(provider)


def panels_for(access: MeetingAccess, *, on: str = MEETING) -> list[dict[str, Any]]:
    return [panel for provider in _providers[on] if (panel := provider(access)) is not None]
