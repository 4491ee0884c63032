"""Reads of papers, always scoped to the current tenant."""

from __future__ import annotations

from typing import Any

from documents.models import Paper
from meetings.models import Meeting


def papers_by_item(meeting: Meeting, user: Any) -> dict[int | None, list[dict[str, Any]]]:
    """The papers of a meeting, grouped by agenda item, in one query.

    Every participant receives every paper of the items they may see (the
    meeting's access check has already said which); restrictions per paper
    come with distribution.
    """
    grouped: dict[int | None, list[dict[str, Any]]] = {}
    for paper in Paper.objects.filter(meeting=meeting).order_by("item_id", "position", "id"):
        grouped.setdefault(paper.item_id, []).append(
            {
                "id": paper.pk,
                "title": paper.title,
                "kind": paper.kind,
                "kind_label": str(paper.get_kind_display()),
                "page_count": paper.page_count,
                "presenting_unit": paper.presenting_unit,
            }
        )
    return grouped
