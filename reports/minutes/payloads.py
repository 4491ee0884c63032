"""The shapes of the minutes and the conclusion notice in events and API answers."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from ecabinet.models import SignedDocument
from ecabinet.shapes import DATETIME, Doc, Enum
from reports.models import MeetingRecord

MaybeTime = Annotated[str | None, DATETIME]


class MeetingRecordShape(TypedDict):
    id: int
    meeting_id: int
    kind: Annotated[str, Enum(MeetingRecord.Kind, "MeetingRecordKind")]
    status: Annotated[str, Enum(MeetingRecord.Status, "MeetingRecordStatus")]
    drafted_at: MaybeTime
    updated_at: MaybeTime
    issued_at: MaybeTime
    document_id: Annotated[int | None, Doc("The signed PDF: /signed/<id>/")]
    number: Annotated[str | None, Doc("Number and symbol, e.g. 01/BB-UBND")]


class MeetingRecordDetailShape(MeetingRecordShape):
    content: Annotated[
        Any,
        Doc(
            "facts (from the session's record) and the edited texts: opening, attendance_note, "
            "items [{item_id, discussion (minutes), conclusion}], general_conclusion"
        ),
    ]


class RecordEventShape(TypedDict):
    record: MeetingRecordShape


def record_payload(record: MeetingRecord) -> MeetingRecordShape:
    """A record as events, the API and the pages show it (its texts are fetched apart)."""
    document: SignedDocument | None = record.document if record.document_id else None
    return {
        "id": record.pk,
        "meeting_id": record.meeting_id,
        "kind": record.kind,
        "status": record.status,
        "drafted_at": record.drafted_at.isoformat() if record.drafted_at else None,
        "updated_at": record.updated_at.isoformat() if record.updated_at else None,
        "issued_at": record.issued_at.isoformat() if record.issued_at else None,
        "document_id": record.document_id,
        "number": document.number_symbol if document else None,
    }


def record_detail(record: MeetingRecord) -> MeetingRecordDetailShape:
    return {**record_payload(record), "content": record.content}


EVENTS: dict[str, type] = {"record.issued": RecordEventShape}
