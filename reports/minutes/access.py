"""Who may read and write a meeting's minutes and conclusion notice.

Through the meeting: another tenant's meeting, one the user takes no part in,
an unknown kind and a guest (who sees only some items) are one ``NotFound``;
drafting, editing and issuing are the secretariat's (``NotAllowed``,
audited). Pages, the API and the signed-document download all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecabinet.errors import ActionError, NotFound
from ecabinet.roles import Capability, TenantCapability, tenant_allows
from meetings.access import MeetingAccess, access_meeting
from meetings.models import Meeting
from reports.models import MeetingRecord

KINDS = tuple(MeetingRecord.Kind.values)
# The signed documents' kinds (ecabinet.signing) of the two records.
DOCUMENT_KINDS = {"minutes": "meeting_minutes", "notice": "conclusion_notice"}


@dataclass(frozen=True)
class RecordAccess:
    access: MeetingAccess
    kind: str

    @property
    def meeting(self) -> Meeting:
        return self.access.meeting

    @property
    def manages(self) -> bool:
        """The secretariat drafts, edits and issues."""
        return self.access.allows(Capability.EDIT_MEETING)

    @property
    def reads_drafts(self) -> bool:
        """The secretariat and whoever runs the session (who signs) read the drafts."""
        return self.manages or self.access.runs_session

    @property
    def reads_issued(self) -> bool:
        """An issued record covers every item: those who see every item read it."""
        return self.access.item_ids is None


def access_record(
    user: Any, meeting_id: int, kind: Any, *, manage: bool = False, request: Any = None
) -> RecordAccess:
    """The meeting's record of ``kind`` as this user may use it.

    NotFound for another tenant's meeting, one the user takes no part in, an
    unknown kind, and for a guest (who sees only some items); NotAllowed
    (audited) when ``manage`` is asked of anyone but the secretariat.
    """
    if kind not in KINDS:
        raise NotFound()
    access = access_meeting(user, meeting_id, request=request)
    if access.item_ids is not None:
        raise NotFound()
    if manage:
        access.require(Capability.EDIT_MEETING, request=request)
    return RecordAccess(access=access, kind=kind)


def may_read_record_document(user: Any, document: Any) -> bool:
    """The signed minutes or notice: whoever sees every item of its meeting."""
    record = MeetingRecord.objects.filter(document_id=document.pk).first()
    if record is None:
        return tenant_allows(user, TenantCapability.READ_RECORDS)
    try:
        access = access_meeting(user, record.meeting_id)
    except ActionError:
        return False
    return access.item_ids is None


def register_record_access() -> None:
    from ecabinet.signing import register_signed_document_access

    for document_kind in DOCUMENT_KINDS.values():
        register_signed_document_access(document_kind, may_read_record_document)
