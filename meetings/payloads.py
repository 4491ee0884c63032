"""The shapes of meeting data in events, the API and the page's live state.

One function per kind of thing, used by the event an action sends, the API's
answer and the state the page starts from, so the three never disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from meetings.models import AgendaItem, Comment, Meeting, Participant, SpeakRequest


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def meeting_payload(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "place": meeting.place,
        "scheduled_start": _time(meeting.scheduled_start),
        "planned_end": _time(meeting.planned_end),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "speaking_limit_seconds": meeting.speaking_limit_seconds,
        "current_item_id": meeting.current_item_id,
        "acting_chair_id": meeting.acting_chair_id,
        "published_at": _time(meeting.published_at),
        "started_at": _time(meeting.started_at),
        "ended_at": _time(meeting.ended_at),
        "clock": {"elapsed_seconds": meeting.elapsed_seconds, "running_since": _time(meeting.running_since)},
        "baseline_minutes": meeting.baseline_minutes,
        "baseline_source": meeting.baseline_source,
        "baseline_is_assumption": meeting.baseline_is_assumption,
    }


def item_payload(item: AgendaItem, *, presenter_name: str | None = None) -> dict[str, Any]:
    if presenter_name is None:
        presenter_name = (
            item.presenter.full_name if item.presenter_id and item.presenter else item.presenter_name
        )
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title,
        "summary": item.summary,
        "presenting_unit": item.presenting_unit,
        "presenter_id": item.presenter_id,
        "presenter_name": presenter_name,
        "planned_minutes": item.planned_minutes,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "clock": {"elapsed_seconds": item.elapsed_seconds, "running_since": _time(item.running_since)},
        "first_opened_at": _time(item.first_opened_at),
        "closed_at": _time(item.closed_at),
        "conclusion": item.conclusion,
        "changed_at": _time(item.changed_at),
    }


def participant_payload(participant: Participant) -> dict[str, Any]:
    substitute_for = participant.substitute_for
    return {
        "id": participant.pk,
        "user_id": participant.user_id,
        "full_name": participant.user.full_name,
        "title": participant.user.title,
        "unit": participant.user.unit,
        "role": participant.role,
        "role_label": str(participant.get_role_display()),
        "cannot_attend": participant.cannot_attend,
        "substitute_for_id": participant.substitute_for_id,
        "substitute_for_name": substitute_for.user.full_name if substitute_for else None,
        "attendance": participant.attendance or None,
        "checked_in_at": _time(participant.checked_in_at),
    }


def speak_request_payload(request: SpeakRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "item_id": request.item_id,
        "participant_id": request.participant_id,
        "full_name": request.participant.user.full_name,
        "title": request.participant.user.title,
        "kind": request.kind,
        "kind_label": str(request.get_kind_display()),
        "status": request.status,
        "requested_at": _time(request.requested_at),
        "started_at": _time(request.started_at),
        "ended_at": _time(request.ended_at),
        "spoken_seconds": request.spoken_seconds,
    }


def comment_payload(comment: Comment) -> dict[str, Any]:
    withdrawn = comment.withdrawn_at is not None
    return {
        "id": comment.pk,
        "item_id": comment.item_id,
        "author_id": comment.author_id,
        "author_name": comment.author.full_name,
        "visibility": comment.visibility,
        "text": "" if withdrawn else comment.text,
        "created_at": _time(comment.created_at),
        "edited_at": _time(comment.edited_at),
        "withdrawn_at": _time(comment.withdrawn_at),
    }
