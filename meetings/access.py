"""Fetch a meeting with permission: tenant first, then role.

A meeting that does not exist, belongs to another tenant, or that this user
takes no part in is the same ``NotFound``: nobody learns which meetings exist
elsewhere. Pages, the API and the socket all come through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecabinet import audit
from ecabinet.errors import NotFound
from ecabinet.models import EventStream
from ecabinet.roles import Capability, effective_role, require
from ecabinet.tenancy import belongs_here, current_tenant
from meetings.models import Meeting, Participant

MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class MeetingAccess:
    meeting: Meeting
    role: str  # the role the user acts in (ecabinet.roles.Role)


def meeting_role(user: Any, meeting: Meeting) -> str | None:
    participant_role = (
        Participant.objects.filter(meeting=meeting, user=user).values_list("role", flat=True).first()
    )
    return effective_role(user, participant_role)


def access_meeting(
    user: Any,
    meeting_id: int,
    *,
    capability: Capability = Capability.VIEW_MEETING,
    request: Any = None,
) -> MeetingAccess:
    tenant = current_tenant()
    if not belongs_here(user, tenant) or user.tenant_id is None:
        raise NotFound()
    if not 0 < meeting_id <= MAX_ID:  # beyond a bigint the database would fail, not answer
        raise NotFound()
    meeting = Meeting.objects.select_related("stream").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound()
    role = meeting_role(user, meeting)
    if role is None:
        audit.record(
            audit.Kind.PERMISSION_REFUSED,
            request=request,
            user=user,
            meeting_id=meeting.pk,
            capability=capability.value,
        )
        raise NotFound()
    require(user, role, capability, request=request, meeting_id=meeting.pk)
    return MeetingAccess(meeting=meeting, role=role)


def meeting_stream_for_socket(user: Any, *, meeting_id: int) -> tuple[MeetingAccess, EventStream]:
    """The socket resolver: who may follow ``/ws/meetings/<id>/``."""
    access = access_meeting(user, meeting_id)
    return access, access.meeting.stream
