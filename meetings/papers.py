"""What papers an agenda lists, without meetings knowing the papers app.

The papers app (``documents``) registers a provider in its ``ready()``; the
meeting pages and API ask here. Dependencies keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetings.access import MeetingAccess

# provider(access) -> {item_id or None: [{"id", "title", "kind", "kind_label", "page_count",
# "presenting_unit", …}, …]} for the papers this user receives; a fixed number of queries.
PapersProvider = Callable[[MeetingAccess], dict[int | None, list[dict[str, Any]]]]
_providers: list[PapersProvider] = []


def register_papers_provider(provider: PapersProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def papers_by_item(access: MeetingAccess) -> dict[int | None, list[dict[str, Any]]]:
    merged: dict[int | None, list[dict[str, Any]]] = {}
    for provider in _providers:
        for item_id, papers in provider(access).items():
            merged.setdefault(item_id, []).extend(papers)
    return merged
