"""What papers an agenda lists, without meetings knowing the papers app.

The papers app (``documents``) registers a provider in its ``ready()``; the
meeting pages and API ask here. Dependencies keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetings.models import Meeting

# provider(meeting, user) -> {item_id or None: [{"id", "title", "kind", "kind_label", "page_count",
# "presenting_unit"}, …]} for the papers this user may see; one query.
PapersProvider = Callable[[Meeting, Any], dict[int | None, list[dict[str, Any]]]]
_providers: list[PapersProvider] = []


def register_papers_provider(provider: PapersProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def papers_by_item(meeting: Meeting, user: Any) -> dict[int | None, list[dict[str, Any]]]:
    merged: dict[int | None, list[dict[str, Any]]] = {}
    for provider in _providers:
        for item_id, papers in provider(meeting, user).items():
            merged.setdefault(item_id, []).extend(papers)
    return merged
