"""Every write to meetings: one action, one transaction, its event after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ecabinet.errors import Invalid
from ecabinet.models import EventStream, Tenant, User
from ecabinet.realtime import publish_on_commit
from ecabinet.roles import Role
from meetings.models import Meeting, Participant


@transaction.atomic
def do_create_meeting(
    *,
    tenant: Tenant,
    title: str,
    scheduled_start: datetime,
    acting_user: User | None,
) -> Meeting:
    title = title.strip()
    if not title:
        raise Invalid(_("A meeting needs a title."))
    if scheduled_start.tzinfo is None:
        raise Invalid(_("The start time must carry a time zone."))
    return Meeting.objects.create(
        tenant=tenant,
        title=title,
        scheduled_start=scheduled_start,
        stream=EventStream.objects.create(),
        created_by=acting_user,
    )


@transaction.atomic
def do_add_participant(meeting: Meeting, *, user: User, role: str, acting_user: User | None) -> Participant:
    if user.tenant_id != meeting.tenant_id:
        raise Invalid(_("Only people of this tenant's directory can take part."))
    if role not in Role.values:
        raise Invalid(_("Unknown role."))
    if Participant.objects.filter(meeting=meeting, user=user).exists():
        raise Invalid(_("This person already takes part in the meeting."))
    participant = Participant.objects.create(
        tenant_id=meeting.tenant_id, meeting=meeting, user=user, role=role
    )
    publish_on_commit(
        meeting.stream,
        "participant.added",
        participant_payload(participant),
    )
    return participant


def participant_payload(participant: Participant) -> dict[str, Any]:
    return {
        "participant_id": participant.pk,
        "user_id": participant.user_id,
        "full_name": participant.user.full_name,
        "title": participant.user.title,
        "role": participant.role,
    }
