"""The events meetings sends, each with the shape of its ``data``.

A guest receives ``redacted`` frames (the number only) for the events of an
item it is not invited to; the audience of each is tested in
``tests/test_events.py``.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from ecabinet.shapes import Doc
from meetings.payloads import (
    CommentResultShape,
    ItemResultShape,
    MeetingResultShape,
    ParticipantShape,
    QuorumShape,
    SpeakRequestShape,
)


class ItemRemovedShape(TypedDict):
    item_id: int


class QueueShape(TypedDict):
    item_id: int
    queue: Annotated[list[SpeakRequestShape], Doc("Waiting and speaking requests, in order.")]


class AgendaOrderShape(TypedDict):
    order: Annotated[list[int], Doc("Item ids in agenda order.")]
    changed: Annotated[bool, Doc("Changed after publishing.")]


class ParticipantEventShape(TypedDict):
    participant: ParticipantShape
    quorum: QuorumShape


class ParticipantRemovedShape(TypedDict):
    participant_id: int
    user_id: int
    quorum: QuorumShape


EVENTS: dict[str, type] = {
    "meeting.published": MeetingResultShape,
    "meeting.updated": MeetingResultShape,
    "item.added": ItemResultShape,
    "item.updated": ItemResultShape,
    "item.opened": ItemResultShape,
    "item.closed": ItemResultShape,
    "item.removed": ItemRemovedShape,
    "agenda.reordered": AgendaOrderShape,
    "queue.changed": QueueShape,
    "comment.added": CommentResultShape,
    "comment.edited": CommentResultShape,
    "comment.withdrawn": CommentResultShape,
    "participant.added": ParticipantEventShape,
    "participant.changed": ParticipantEventShape,
    "attendance.changed": ParticipantEventShape,
    "participant.removed": ParticipantRemovedShape,
}
