"""Reads of meetings, always scoped to the current tenant."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ecabinet.collation import by_name
from ecabinet.models import Tenant, User
from ecabinet.roles import Capability, Role, allows
from meetings.access import MeetingAccess
from meetings.actions import meeting_settings, quorum
from meetings.models import (
    AgendaItem,
    Baseline,
    Comment,
    Meeting,
    MeetingKind,
    Participant,
    RemovedPerson,
    SpeakRequest,
    SubstituteCandidate,
    SubstituteProposal,
)
from meetings.paper_registry import papers_by_item
from meetings.payloads import (
    MeetingStateShape,
    SpeakRequestShape,
    SubstitutesShape,
    comment_payload,
    item_payload,
    meeting_payload,
    participant_payload,
    speak_request_payload,
    substitute_proposal_payload,
)


def meeting_list_for_user(user: Any) -> QuerySet[Meeting]:
    """The meetings a user takes part in; the secretariat sees all of its tenant's.

    Drafts are the secretariat's only. Annotated with ``my_role`` and
    ``participant_count`` so a list page runs a fixed number of queries.
    """
    my_role = Participant.objects.filter(meeting=OuterRef("pk"), user=user).values("role")[:1]
    meetings = Meeting.objects.annotate(
        my_role=Subquery(my_role), participant_count=Count("participants", distinct=True)
    )
    # The secretariat holds the secretary's capabilities in every meeting of its tenant.
    if not allows(user, None, Capability.EDIT_MEETING):
        meetings = meetings.filter(participants__user=user).exclude(status=Meeting.Status.DRAFT)
    return meetings.order_by("-scheduled_start", "-id")


def chairs_a_meeting(user: Any) -> bool:
    """Whether ``user`` chairs a meeting of the current tenant (the tenant's chair role)."""
    return Participant.objects.filter(user=user, role=Role.CHAIR).exists()


def directory(tenant: Tenant) -> QuerySet[User]:
    """The active people of a tenant: whom the secretariat may invite or name."""
    return User.objects.filter(tenant=tenant, is_active=True).order_by(by_name("full_name"), "username", "id")


def participant_list(meeting: Meeting) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(meeting=meeting)
        .select_related("user", "substitute_for__user")
        .order_by("id")
    )


def visible_items(access: MeetingAccess) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(meeting=access.meeting).select_related("presenter")
    if access.item_ids is not None:
        items = items.filter(pk__in=access.item_ids)
    return items.order_by("position", "id")


def visible_comments(access: MeetingAccess) -> QuerySet[Comment]:
    comments = Comment.objects.filter(item__meeting=access.meeting).select_related("author")
    if access.item_ids is not None:
        comments = comments.filter(item_id__in=access.item_ids)
    if not access.allows(Capability.SEE_SECRETARIAT_COMMENTS):
        comments = comments.filter(Q(visibility=Comment.Visibility.ALL) | Q(author=access.user))
    return comments.order_by("created_at", "id")


def meeting_state(access: MeetingAccess) -> MeetingStateShape:
    """Everything a tablet shows of a meeting, as this user may see it.

    The page starts from it and the API returns it; events then carry the
    same shapes. A fixed number of queries whatever the size of the agenda.
    """
    meeting = access.meeting
    items = list(visible_items(access))
    papers = papers_by_item(access)
    live_requests = (
        SpeakRequest.objects.filter(item__meeting=meeting, status__in=["waiting", "speaking"])
        .select_related("participant__user")
        .order_by("requested_at", "id")
    )
    if access.item_ids is not None:
        live_requests = live_requests.filter(item_id__in=access.item_ids)
    queues: dict[int, list[SpeakRequestShape]] = {}
    for request in live_requests:
        queues.setdefault(request.item_id, []).append(speak_request_payload(request))
    participants = list(participant_list(meeting))
    me = access.participant
    return {
        "server_time": timezone.now().isoformat(),
        "meeting": meeting_payload(meeting),
        "me": {
            "user_id": access.user.pk,
            "participant_id": me.pk if me else None,
            "role": access.role,
            "capabilities": sorted(c.value for c in access.capabilities),
        },
        "items": [
            {**item_payload(item), "papers": papers.get(item.pk, []), "queue": queues.get(item.pk, [])}
            for item in items
        ],
        "meeting_papers": papers.get(None, []),
        "participants": [participant_payload(p) for p in participants],
        "quorum": quorum(meeting),
        "comments": [comment_payload(c) for c in visible_comments(access)],
    }


def tenant_rules(tenant: Tenant) -> dict[str, Any]:
    """The tenant's quorum, speaking-time limit and paper-era baselines per kind of meeting."""
    found = meeting_settings(tenant)
    baselines = {b.kind: b for b in Baseline.objects.all()}
    return {
        "quorum_percent": found.quorum_percent,
        "speaking_limit_seconds": found.speaking_limit_seconds,
        "secret_ballot_early_close": found.secret_ballot_early_close,
        "baselines": [
            {
                "kind": kind,
                "kind_label": str(label),
                "minutes": baselines[kind].minutes if kind in baselines else None,
                "source": baselines[kind].source if kind in baselines else "",
                "is_assumption": baselines[kind].is_assumption if kind in baselines else False,
            }
            for kind, label in MeetingKind.choices
        ],
    }


def substitute_choices(meeting: Meeting) -> QuerySet[User]:
    """Whom a member of ``meeting`` may propose as their substitute now.

    The secretariat's list for the meeting, less anyone who takes part
    already or was removed from it, active accounts only.
    """
    return (
        User.objects.filter(
            tenant_id=meeting.tenant_id,
            is_active=True,
            pk__in=SubstituteCandidate.objects.filter(meeting=meeting).values("user_id"),
        )
        .exclude(pk__in=Participant.objects.filter(meeting=meeting).values("user_id"))
        .exclude(pk__in=RemovedPerson.objects.filter(meeting=meeting).values("user_id"))
        .order_by(by_name("full_name"), "username", "id")
    )


def substitute_proposals(access: MeetingAccess) -> QuerySet[SubstituteProposal]:
    """The proposals this user sees: all of the meeting for those who decide, their own otherwise."""
    found = SubstituteProposal.objects.filter(meeting=access.meeting).select_related(
        "participant__user", "substitute", "decided_by"
    )
    if not access.decides_substitutes:
        found = found.filter(participant__user=access.user)
    return found.order_by("-proposed_at", "-id")


def substitutes_state(access: MeetingAccess) -> SubstitutesShape:
    return {
        "proposals": [substitute_proposal_payload(p) for p in substitute_proposals(access)],
        "candidate_ids": sorted(
            SubstituteCandidate.objects.filter(meeting=access.meeting).values_list("user_id", flat=True)
        ),
        "choices": list(substitute_choices(access.meeting).values("id", "full_name", "title", "unit")),
    }
