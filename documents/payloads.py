"""The shapes of papers in events and API answers."""

from __future__ import annotations

from typing import Any

from documents.models import Paper


def paper_payload(paper: Paper) -> dict[str, Any]:
    """A paper as a tablet lists it (the current version only)."""
    version = paper.current_version
    return {
        "id": paper.pk,
        "item_id": paper.item_id,
        "title": paper.title,
        "kind": paper.kind,
        "kind_label": str(paper.get_kind_display()),
        "presenting_unit": paper.presenting_unit,
        "page_count": paper.page_count,
        "position": paper.position,
        "version": version.number if version else None,
        "updated_at": paper.updated_at,
        "change_note": version.change_note if version else "",
        "restricted": paper.restricted,
        "downloadable": paper.downloadable,
    }


def paper_audience(paper: Paper, *, recipient_ids: list[int]) -> dict[str, Any] | None:
    """Who may see an event about this paper: those who see its item and receive it.

    A restricted paper's events go to its recipients and the secretariat;
    everyone else gets a redacted frame with the same number.
    """
    audience: dict[str, Any] = {}
    if paper.item_id is not None:
        audience["item"] = paper.item_id
    if paper.restricted:
        audience["capability"] = "edit_meeting"
        audience["users"] = sorted(recipient_ids)
    return audience or None
