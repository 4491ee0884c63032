"""The session's operations by name, for the socket and the API alike.

Each operation declares, once, the capability it needs, the serializer that
parses its input (a socket frame's ``data`` and an API body are checked by
the same class: unknown fields refused, types and ranges enforced) and the
shape of its answer (``meetings.payloads``), and calls one action. Both the
socket (``meetings.socket``) and the API (``meetings.api``) go through
``run``, so a tablet and a program are held to the same rules and read the
same words when refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from ecabinet.api import EnumField, Id, Input, NoInput, parse
from ecabinet.errors import NotAllowed, NotFound
from ecabinet.roles import Capability, Role
from meetings import actions
from meetings.access import MeetingAccess, access_item
from meetings.models import Comment, Meeting, MeetingKind, Participant, SpeakRequest
from meetings.payloads import (
    CommentResultShape,
    ItemResultShape,
    MeetingResultShape,
    ParticipantResultShape,
    SpeakRequestResultShape,
    comment_payload,
    item_payload,
    meeting_payload,
    participant_payload,
    speak_request_payload,
)

C = Capability


def enum_field(choices: type[models.TextChoices], **kwargs: Any) -> EnumField:
    """A meetings choice, documented under the name of its set (``MeetingKindEnum``, …)."""
    names = {MeetingKind: "MeetingKind", SpeakRequest.Kind: "SpeakKind", Role: "Role"}
    return EnumField(choices, enum_name=names[choices], **kwargs)


# --- the inputs ---------------------------------------------------------------------------


class ItemOpenInput(Input):
    item_id = Id(required=False, allow_null=True, help_text="Omitted or null: the next pending item.")

    class Meta:
        ref_name = "ItemOpen"


class ConcludeInput(Input):
    conclusion = serializers.CharField(allow_blank=True, help_text="The chair's conclusion (kết luận).")

    class Meta:
        ref_name = "ItemConclude"


class DeferInput(Input):
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        ref_name = "ItemDefer"


class SpeakInput(Input):
    kind = enum_field(SpeakRequest.Kind, required=False)

    class Meta:
        ref_name = "SpeakRequestCreate"


class FloorInput(Input):
    request_id = Id(allow_null=True, help_text="A waiting request of the current item.")

    class Meta:
        ref_name = "FloorGive"


class CheckInInput(Input):
    attendance = serializers.ChoiceField(choices=Participant.Attendance.choices)

    class Meta:
        ref_name = "CheckIn"


class CommentInput(Input):
    item_id = Id()
    text = serializers.CharField(allow_blank=True)
    visibility = serializers.ChoiceField(choices=Comment.Visibility.choices, required=False)

    class Meta:
        ref_name = "CommentCreate"


class CommentRefInput(Input):
    """A comment of the meeting (the API takes its id from the path)."""

    comment_id = Id()


class CommentEditInput(CommentRefInput):
    text = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "CommentEdit"


# --- the operations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One operation of a meeting's session (voting's ballots and positions are too)."""

    capability: Capability
    input: type[Input]  # parses the socket frame's data and the API body alike
    act: Callable[[MeetingAccess, dict[str, Any]], Mapping[str, Any]]
    output: type | None = None  # the TypedDict of the answer: the ack's data, the API's body


def run_operation(
    operation: Operation, access: MeetingAccess, data: Any, *, request: Any = None
) -> Mapping[str, Any]:
    """Check the user may (refused attempts are audited), parse ``data`` with the operation's
    input (``Invalid`` names what is wrong), then act."""
    access.require(operation.capability, request=request)
    return operation.act(access, parse(operation.input, data if data is not None else {}))


def participant_of(access: MeetingAccess) -> Participant:
    """The user's place in the meeting, for what only participants do."""
    if access.participant is None:
        raise NotAllowed(_("Only participants of the meeting can do this."))
    return access.participant


def _comment(access: MeetingAccess, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_related("author", "item__meeting__stream")
        .filter(item__meeting=access.meeting, pk=comment_id)
        .first()
    )
    if comment is None or not access.sees_item(comment.item_id):
        raise NotFound()
    return comment


def _meeting(meeting: Meeting) -> MeetingResultShape:
    return {"meeting": meeting_payload(meeting)}


def _open(a: MeetingAccess, d: dict[str, Any]) -> ItemResultShape:
    item = access_item(a, d["item_id"]) if d.get("item_id") is not None else None
    return {"item": item_payload(actions.do_open_item(a.meeting, item=item, acting_user=a.user))}


def _conclude(a: MeetingAccess, d: dict[str, Any]) -> ItemResultShape:
    item = actions.do_conclude_item(a.meeting, conclusion=d["conclusion"], acting_user=a.user)
    return {"item": item_payload(item)}


def _defer(a: MeetingAccess, d: dict[str, Any]) -> ItemResultShape:
    return {
        "item": item_payload(actions.do_defer_item(a.meeting, note=d.get("note", ""), acting_user=a.user))
    }


def _speak(a: MeetingAccess, d: dict[str, Any]) -> SpeakRequestResultShape:
    request = actions.do_request_to_speak(
        a.meeting, participant=participant_of(a), kind=d.get("kind", SpeakRequest.Kind.SPEECH)
    )
    return {"request": speak_request_payload(request)}


def _withdraw(a: MeetingAccess, d: dict[str, Any]) -> SpeakRequestResultShape:
    return {
        "request": speak_request_payload(
            actions.do_withdraw_request(a.meeting, participant=participant_of(a))
        )
    }


def _give_floor(a: MeetingAccess, d: dict[str, Any]) -> SpeakRequestResultShape:
    request = actions.do_give_floor(a.meeting, request_id=d["request_id"], acting_user=a.user)
    return {"request": speak_request_payload(request)}


def _end_speech(a: MeetingAccess, d: dict[str, Any]) -> SpeakRequestResultShape:
    return {"request": speak_request_payload(actions.do_end_speech(a.meeting, acting_user=a.user))}


def _check_in(a: MeetingAccess, d: dict[str, Any]) -> ParticipantResultShape:
    participant = actions.do_check_in(participant_of(a), attendance=d["attendance"], acting_user=a.user)
    return {"participant": participant_payload(participant)}


def _add_comment(a: MeetingAccess, d: dict[str, Any]) -> CommentResultShape:
    comment = actions.do_add_comment(
        access_item(a, d["item_id"]),
        author=a.user,
        text=d["text"],
        visibility=d.get("visibility", Comment.Visibility.ALL),
    )
    return {"comment": comment_payload(comment)}


def _edit_comment(a: MeetingAccess, d: dict[str, Any]) -> CommentResultShape:
    comment = actions.do_edit_comment(_comment(a, d["comment_id"]), author=a.user, text=d["text"])
    return {"comment": comment_payload(comment)}


def _withdraw_comment(a: MeetingAccess, d: dict[str, Any]) -> CommentResultShape:
    comment = actions.do_withdraw_comment(_comment(a, d["comment_id"]), author=a.user)
    return {"comment": comment_payload(comment)}


OPERATIONS: dict[str, Operation] = {
    "meeting.start": Operation(
        C.RUN_SESSION,
        NoInput,
        lambda a, d: _meeting(actions.do_start_meeting(a.meeting, acting_user=a.user)),
        MeetingResultShape,
    ),
    "meeting.adjourn": Operation(
        C.RUN_SESSION,
        NoInput,
        lambda a, d: _meeting(actions.do_adjourn_meeting(a.meeting, acting_user=a.user)),
        MeetingResultShape,
    ),
    "meeting.resume": Operation(
        C.RUN_SESSION,
        NoInput,
        lambda a, d: _meeting(actions.do_resume_meeting(a.meeting, acting_user=a.user)),
        MeetingResultShape,
    ),
    "meeting.close": Operation(
        C.RUN_SESSION,
        NoInput,
        lambda a, d: _meeting(actions.do_close_meeting(a.meeting, acting_user=a.user)),
        MeetingResultShape,
    ),
    "item.open": Operation(C.RUN_SESSION, ItemOpenInput, _open, ItemResultShape),
    "item.conclude": Operation(C.RUN_SESSION, ConcludeInput, _conclude, ItemResultShape),
    "item.defer": Operation(C.RUN_SESSION, DeferInput, _defer, ItemResultShape),
    "speak.request": Operation(C.REQUEST_TO_SPEAK, SpeakInput, _speak, SpeakRequestResultShape),
    "speak.withdraw": Operation(C.REQUEST_TO_SPEAK, NoInput, _withdraw, SpeakRequestResultShape),
    "floor.give": Operation(C.RUN_SESSION, FloorInput, _give_floor, SpeakRequestResultShape),
    "floor.end": Operation(C.RUN_SESSION, NoInput, _end_speech, SpeakRequestResultShape),
    "attendance.check_in": Operation(C.VIEW_MEETING, CheckInInput, _check_in, ParticipantResultShape),
    "comment.add": Operation(C.COMMENT, CommentInput, _add_comment, CommentResultShape),
    "comment.edit": Operation(C.COMMENT, CommentEditInput, _edit_comment, CommentResultShape),
    "comment.withdraw": Operation(C.COMMENT, CommentRefInput, _withdraw_comment, CommentResultShape),
}


def run(name: str, access: MeetingAccess, data: Any, *, request: Any = None) -> Mapping[str, Any]:
    return run_operation(OPERATIONS[name], access, data, request=request)
