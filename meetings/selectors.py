"""Reads of meetings, always scoped to the current tenant."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from meetings.models import Meeting, Participant


def meeting_list_for_user(user: Any) -> QuerySet[Meeting]:
    """The meetings a user takes part in; the secretariat sees all of its tenant's.

    Annotated with ``my_role`` and ``participant_count`` so a list page runs a
    fixed number of queries.
    """
    my_role = Participant.objects.filter(meeting=OuterRef("pk"), user=user).values("role")[:1]
    meetings = Meeting.objects.annotate(
        my_role=Subquery(my_role), participant_count=Count("participants", distinct=True)
    )
    if not getattr(user, "is_secretariat", False):
        meetings = meetings.filter(participants__user=user)
    return meetings.order_by("-scheduled_start", "-id")


def participant_list(meeting: Meeting) -> QuerySet[Participant]:
    return Participant.objects.filter(meeting=meeting).select_related("user").order_by("id")
