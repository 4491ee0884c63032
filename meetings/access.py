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
from ecabinet.models import MAX_ID, EventStream
from ecabinet.roles import Capability, capabilities, effective_role, require
from ecabinet.tenancy import belongs_here, current_tenant
from meetings.models import AgendaItem, Meeting, Participant

# Socket followers re-check their access when one of these arrives.
ACCESS_EVENTS = frozenset({"participant.added", "participant.changed", "participant.removed"})


@dataclass(frozen=True)
class MeetingAccess:
    """What one user may do and see in one meeting."""

    meeting: Meeting
    role: str  # the role the user acts in (ecabinet.roles.Role)
    user: Any
    participant: Participant | None
    # None: every item; otherwise the ids of the items a guest was invited to.
    item_ids: frozenset[int] | None

    @property
    def capabilities(self) -> frozenset[Capability]:
        return capabilities(self.user, self.role)

    def allows(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def sees_item(self, item_id: int | None) -> bool:
        return self.item_ids is None or item_id in self.item_ids

    def can_see(self, audience: dict[str, Any]) -> bool:
        """Whether an event with this audience may be shown to this user.

        ``{"item": id}``: those who see the item; and where ``capability``
        or ``users`` is given, only those who have the capability or are
        among the users (e.g. a secretariat-only comment and its author).
        """
        if "item" in audience and not self.sees_item(audience["item"]):
            return False
        gates: list[bool] = []
        if audience.get("capability") is not None:
            gates.append(Capability(audience["capability"]) in self.capabilities)
        if audience.get("users") is not None:
            gates.append(self.user.pk in audience["users"])
        return any(gates) if gates else True

    @property
    def runs_session(self) -> bool:
        """The chair, or the vice-chair named acting chair."""
        if self.allows(Capability.RUN_SESSION):
            return True
        return (
            self.allows(Capability.ACT_AS_CHAIR)
            and self.participant is not None
            and self.meeting.acting_chair_id == self.participant.pk
        )

    @property
    def decides_substitutes(self) -> bool:
        """The secretariat, the chair and the acting chair approve or refuse a member's substitute."""
        return self.allows(Capability.EDIT_MEETING) or self.role == "chair" or self.runs_session

    @property
    def prepares_or_chairs(self) -> bool:
        """The secretariat and the chair: they see the meeting's reports (reading, tasks)."""
        return self.allows(Capability.EDIT_MEETING) or self.role == "chair"

    @property
    def shows_hall_display(self) -> bool:
        """The secretariat and whoever runs the session open the meeting room's big screen."""
        return self.allows(Capability.EDIT_MEETING) or self.runs_session

    def require(self, capability: Capability, *, request: Any = None) -> None:
        if capability is Capability.RUN_SESSION and self.runs_session:
            return
        require(self.user, self.role, capability, request=request, meeting_id=self.meeting.pk)


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
    """The meeting and the user's place in it; raises NotFound or NotAllowed.

    Actions that change the session lock the meeting's row themselves.
    """
    tenant = current_tenant()
    if not belongs_here(user, tenant) or user.tenant_id is None:
        raise NotFound()
    if not isinstance(meeting_id, int) or not 0 < meeting_id <= MAX_ID:
        raise NotFound()
    meeting = Meeting.objects.select_related("stream").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound()
    participant = Participant.objects.select_related("user").filter(meeting=meeting, user=user).first()
    role = effective_role(user, participant.role if participant else None)
    if role is not None and meeting.status == Meeting.Status.DRAFT:
        # A draft is the secretariat's until it is published.
        role = role if Capability.EDIT_MEETING in capabilities(user, role) else None
    if role is None:
        audit.record(
            audit.Kind.PERMISSION_REFUSED,
            request=request,
            user=user,
            meeting_id=meeting.pk,
            capability=capability.value,
        )
        raise NotFound()
    item_ids = None
    if not capabilities(user, role) & {Capability.SEE_ALL_ITEMS}:
        item_ids = frozenset(participant.items.values_list("pk", flat=True)) if participant else frozenset()
    access = MeetingAccess(meeting=meeting, role=role, user=user, participant=participant, item_ids=item_ids)
    access.require(capability, request=request)
    return access


def refreshed(access: MeetingAccess) -> MeetingAccess:
    """The same user's access read again from the database."""
    return access_meeting(access.user, access.meeting.pk)


def access_item(access: MeetingAccess, item_id: Any) -> AgendaItem:
    """An item of the meeting that this user may see; NotFound otherwise."""
    if not isinstance(item_id, int) or not 0 < item_id <= MAX_ID or not access.sees_item(item_id):
        raise NotFound()
    item = AgendaItem.objects.filter(meeting=access.meeting, pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def meeting_stream_for_socket(user: Any, *, meeting_id: int) -> tuple[MeetingAccess, EventStream]:
    """The socket resolver: who may follow ``/ws/meetings/<id>/``."""
    access = access_meeting(user, meeting_id)
    return access, access.meeting.stream
