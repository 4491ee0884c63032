"""The events documents sends, each with the shape of its ``data``.

Events about a restricted paper go to its recipients and the secretariat;
a note's go to its author (and, shared, to the paper's readers). Everyone else
gets a ``redacted`` frame and refetches through an access-checked endpoint.
"""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict

from documents.payloads import PaperPayloadShape
from ecabinet.shapes import Doc


class PaperEventShape(TypedDict):
    paper: PaperPayloadShape


class PaperUpdatedShape(TypedDict):
    paper: PaperPayloadShape
    previous_version: int | None
    previous_page_count: int | None


class PaperRefShape(TypedDict):
    paper_id: int


class PaperChangedShape(TypedDict):
    paper_id: int
    order: NotRequired[Annotated[list[int], Doc("Paper ids of the item, in order, after a move.")]]


class ReadingEndedShape(TypedDict):
    meeting_id: int


class NoteEventShape(TypedDict):
    paper_id: int
    note_id: int


EVENTS: dict[str, type] = {
    "paper.added": PaperEventShape,
    "paper.updated": PaperUpdatedShape,
    "paper.changed": PaperChangedShape,
    "paper.distribution": PaperRefShape,
    "paper.removed": PaperRefShape,
    "papers.reading_ended": ReadingEndedShape,
    "note.added": NoteEventShape,
    "note.changed": NoteEventShape,
    "note.removed": NoteEventShape,
}
