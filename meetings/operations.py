"""The session's operations by name, for the socket and the API alike.

Each operation declares the capability it needs, reads its input from a
plain dict (a socket frame's ``data`` or an API body), and calls one action.
Both the socket (``meetings.socket``) and the API (``meetings.api``) go
through ``run``, so a tablet and a program are held to the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ecabinet.errors import Invalid, NotAllowed, NotFound
from ecabinet.roles import Capability
from meetings import actions
from meetings.access import MAX_ID, MeetingAccess, access_item
from meetings.models import Comment, Meeting
from meetings.payloads import (
    comment_payload,
    item_payload,
    meeting_payload,
    participant_payload,
    speak_request_payload,
)

C = Capability


@dataclass(frozen=True)
class Operation:
    capability: Capability
    run: Callable[[MeetingAccess, dict[str, Any]], dict[str, Any]]


def _int(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(_("“%(field)s” must be a whole number.") % {"field": name})
    return value


def _text(data: dict[str, Any], name: str) -> Any:
    return data.get(name, "")


def _participant(access: MeetingAccess) -> Any:
    if access.participant is None:
        raise NotAllowed(_("Only participants of the meeting can do this."))
    return access.participant


def _meeting(result: Meeting) -> dict[str, Any]:
    return {"meeting": meeting_payload(result)}


def _comment(access: MeetingAccess, data: dict[str, Any]) -> Comment:
    comment_id = _int(data, "comment_id")
    if not 0 < comment_id <= MAX_ID:
        raise NotFound()
    comment = (
        Comment.objects.select_related("author", "item__meeting__stream")
        .filter(item__meeting=access.meeting, pk=comment_id)
        .first()
    )
    if comment is None or not access.sees_item(comment.item_id):
        raise NotFound()
    return comment


OPERATIONS: dict[str, Operation] = {
    "meeting.start": Operation(
        C.RUN_SESSION, lambda a, d: _meeting(actions.do_start_meeting(a.meeting, acting_user=a.user))
    ),
    "meeting.adjourn": Operation(
        C.RUN_SESSION, lambda a, d: _meeting(actions.do_adjourn_meeting(a.meeting, acting_user=a.user))
    ),
    "meeting.resume": Operation(
        C.RUN_SESSION, lambda a, d: _meeting(actions.do_resume_meeting(a.meeting, acting_user=a.user))
    ),
    "meeting.close": Operation(
        C.RUN_SESSION, lambda a, d: _meeting(actions.do_close_meeting(a.meeting, acting_user=a.user))
    ),
    "item.open": Operation(
        C.RUN_SESSION,
        lambda a, d: {
            "item": item_payload(
                actions.do_open_item(
                    a.meeting,
                    item=access_item(a, d["item_id"]) if d.get("item_id") is not None else None,
                    acting_user=a.user,
                )
            )
        },
    ),
    "item.conclude": Operation(
        C.RUN_SESSION,
        lambda a, d: {
            "item": item_payload(
                actions.do_conclude_item(a.meeting, conclusion=_text(d, "conclusion"), acting_user=a.user)
            )
        },
    ),
    "item.defer": Operation(
        C.RUN_SESSION,
        lambda a, d: {
            "item": item_payload(actions.do_defer_item(a.meeting, note=_text(d, "note"), acting_user=a.user))
        },
    ),
    "speak.request": Operation(
        C.REQUEST_TO_SPEAK,
        lambda a, d: {
            "request": speak_request_payload(
                actions.do_request_to_speak(
                    a.meeting, participant=_participant(a), kind=d.get("kind", "speech")
                )
            )
        },
    ),
    "speak.withdraw": Operation(
        C.REQUEST_TO_SPEAK,
        lambda a, d: {
            "request": speak_request_payload(
                actions.do_withdraw_request(a.meeting, participant=_participant(a))
            )
        },
    ),
    "floor.give": Operation(
        C.RUN_SESSION,
        lambda a, d: {
            "request": speak_request_payload(
                actions.do_give_floor(a.meeting, request_id=d.get("request_id"), acting_user=a.user)
            )
        },
    ),
    "floor.end": Operation(
        C.RUN_SESSION,
        lambda a, d: {"request": speak_request_payload(actions.do_end_speech(a.meeting, acting_user=a.user))},
    ),
    "attendance.check_in": Operation(
        C.VIEW_MEETING,
        lambda a, d: {
            "participant": participant_payload(
                actions.do_check_in(_participant(a), attendance=_text(d, "attendance"), acting_user=a.user)
            )
        },
    ),
    "comment.add": Operation(
        C.COMMENT,
        lambda a, d: {
            "comment": comment_payload(
                actions.do_add_comment(
                    access_item(a, d.get("item_id")),
                    author=a.user,
                    text=_text(d, "text"),
                    visibility=d.get("visibility", Comment.Visibility.ALL),
                )
            )
        },
    ),
    "comment.edit": Operation(
        C.COMMENT,
        lambda a, d: {
            "comment": comment_payload(
                actions.do_edit_comment(_comment(a, d), author=a.user, text=_text(d, "text"))
            )
        },
    ),
    "comment.withdraw": Operation(
        C.COMMENT,
        lambda a, d: {"comment": comment_payload(actions.do_withdraw_comment(_comment(a, d), author=a.user))},
    ),
}


def run(name: str, access: MeetingAccess, data: dict[str, Any], *, request: Any = None) -> dict[str, Any]:
    """Check the user may (refused attempts are audited), then do ``name`` with ``data``."""
    operation = OPERATIONS[name]
    access.require(operation.capability, request=request)
    return operation.run(access, data)
