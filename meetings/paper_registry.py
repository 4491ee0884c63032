"""What papers an agenda lists, without meetings knowing the papers app.

The papers app (``documents``) registers a provider in its ``ready()``; the
meeting pages and API ask here. Dependencies keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypedDict

from ecabinet.shapes import DATETIME, Doc
from meetings.access import MeetingAccess


class PaperShape(TypedDict):
    """A paper as an agenda lists it (the current version only)."""

    id: int
    title: str
    kind: str
    kind_label: str
    page_count: int | None
    presenting_unit: str
    version: int | None
    updated_at: Annotated[datetime | None, DATETIME]
    downloadable: bool
    restricted: bool
    available: Annotated[bool, Doc("False once reading has ended for this user.")]


# provider(access) -> {item_id or None: [entry, …]} for the papers this user
# receives; a fixed number of queries.
PapersProvider = Callable[[MeetingAccess], dict[int | None, list[PaperShape]]]
_providers: list[PapersProvider] = []


def register_papers_provider(provider: PapersProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def papers_by_item(access: MeetingAccess) -> dict[int | None, list[PaperShape]]:
    merged: dict[int | None, list[PaperShape]] = {}
    for provider in _providers:
        for item_id, papers in provider(access).items():
            merged.setdefault(item_id, []).extend(papers)
    return merged


_reader: list[str] = []


def register_paper_reader(url_name: str) -> None:
    """The page that opens one paper (its URL takes the paper's id)."""
    _reader[:] = [url_name]


def reader_url(paper_id: int) -> str | None:
    """Where a paper of the agenda opens; None while no app reads papers."""
    from django.urls import reverse

    return reverse(_reader[0], args=[paper_id]) if _reader else None
