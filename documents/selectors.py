"""Reads of papers, always scoped to the current tenant."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from documents.access import VIEW, keeps_reading, readable_papers, reading_ended
from documents.models import MeetingPapers, Paper, PaperUserObjectPermission
from meetings.access import MeetingAccess
from meetings.models import Meeting, Participant
from meetings.paper_registry import PaperShape


def papers_by_item(access: MeetingAccess) -> dict[int | None, list[PaperShape]]:
    """The papers this user receives in a meeting, grouped by agenda item.

    The meetings pages and API list them through ``meetings.paper_registry``: one
    query whatever the number of papers (one more once the meeting is closed,
    for the tenant's grace period).
    """
    # The secretariat's word on ending reading rides along in the same query.
    revoked = MeetingPapers.objects.filter(meeting=OuterRef("meeting_id")).values("revoked_at")[:1]
    papers = list(
        readable_papers(access)
        .select_related("current_version")
        .annotate(revoked_at=Subquery(revoked))
        .order_by("item_id", "position", "id")
    )
    ended = False
    if papers and not keeps_reading(access):
        revoked_at = papers[0].revoked_at  # type: ignore[attr-defined]
        ended = (revoked_at is not None and revoked_at <= timezone.now()) or (
            access.meeting.status == Meeting.Status.CLOSED and reading_ended(access.meeting)
        )
    grouped: dict[int | None, list[PaperShape]] = {}
    for paper in papers:
        version = paper.current_version
        grouped.setdefault(paper.item_id, []).append(
            {
                "id": paper.pk,
                "title": paper.title,
                "kind": paper.kind,
                "kind_label": str(paper.get_kind_display()),
                "page_count": paper.page_count,
                "presenting_unit": paper.presenting_unit,
                "version": version.number if version else None,
                "updated_at": paper.updated_at,
                "downloadable": paper.downloadable,
                "restricted": paper.restricted,
                "available": not ended,
            }
        )
    return grouped


def paper_readers(paper: Paper) -> list[Any]:
    """The participants who receive this paper (the secretariat reads it without being one).

    Guests only for the items given to them; a restricted paper only to
    those named. Used to stamp copies ahead of the session.
    """
    if paper.meeting_id is None:
        return []  # a slip's paper: stamped when its reader opens it
    participants = Participant.objects.filter(meeting_id=paper.meeting_id).select_related("user__tenant")
    if paper.restricted:
        named = PaperUserObjectPermission.objects.filter(
            content_object=paper, permission__codename=VIEW
        ).values_list("user_id", flat=True)
        participants = participants.filter(user_id__in=named)
    readers = []
    guests_with_item: set[int] = set()
    if paper.item_id is not None:
        guests_with_item = set(
            Participant.items.through.objects.filter(agendaitem_id=paper.item_id).values_list(
                "participant_id", flat=True
            )
        )
    for participant in participants:
        if (
            participant.role == "guest"
            and paper.item_id is not None
            and participant.pk not in guests_with_item
        ):
            continue
        readers.append(participant.user)
    return readers
