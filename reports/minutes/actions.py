"""Writes of the minutes and the conclusion notice: draft, edit, issue.

Who may call them is decided before, in ``reports.minutes.access.access_record``
(pages and the API alike); the actions check the record's state. Every write
locks the record's row, so an edit racing the issue is served after it and
refused: once issued a record is never edited again.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.errors import Invalid, WrongState
from ecabinet.models import EventStream, User
from ecabinet.realtime import publish_on_commit
from ecabinet.roles import Capability
from meetings.models import Meeting
from reports.minutes import rendering, selectors
from reports.minutes.access import DOCUMENT_KINDS, KINDS
from reports.minutes.payloads import record_payload
from reports.models import MeetingRecord

DRAFTABLE = {Meeting.Status.IN_SESSION, Meeting.Status.ADJOURNED, Meeting.Status.CLOSED}
MAX_TEXT = 20_000
TEXT_FIELDS = ("opening", "attendance_note", "general_conclusion")
ITEM_FIELDS = {"minutes": ("discussion", "conclusion"), "notice": ("conclusion",)}


def _locked(record: MeetingRecord) -> MeetingRecord:
    return (
        MeetingRecord.objects.select_for_update(of=("self",))
        .select_related("meeting__stream", "tenant")
        .get(pk=record.pk)
    )


def _require_draft(record: MeetingRecord) -> None:
    if record.status != MeetingRecord.Status.DRAFT:
        raise WrongState(_("This record has been issued and can no longer be changed."))


@transaction.atomic
def do_draft_record(meeting: Meeting, *, kind: str, acting_user: User) -> MeetingRecord:
    """Draft the minutes or the conclusion notice from the session's record.

    A draft that exists is drafted again: its facts read anew, the texts
    already edited kept. An issued record is refused (WrongState).
    """
    if kind not in KINDS:
        raise Invalid(_("Unknown kind of record."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in DRAFTABLE:
        raise WrongState(_("Minutes are drafted once the session has started."))
    record = MeetingRecord.objects.select_for_update().filter(meeting=meeting, kind=kind).first()
    now = timezone.now()
    if record is None:
        try:
            with transaction.atomic():
                record = MeetingRecord.objects.create(
                    tenant_id=meeting.tenant_id,
                    meeting=meeting,
                    kind=kind,
                    content=selectors.draft_content(meeting, kind),
                    drafted_at=now,
                    drafted_by=acting_user,
                )
        except IntegrityError as exc:  # drafted at the same moment by someone else
            raise WrongState(_("This record is being drafted by someone else; reload the page.")) from exc
        action = "drafted"
    else:
        _require_draft(record)
        record.content = selectors.draft_content(meeting, kind, record.content)
        record.updated_at, record.updated_by = now, acting_user
        record.save(update_fields=["content", "updated_at", "updated_by"])
        action = "redrafted"
    audit.record(
        audit.Kind.MINUTES_DRAFTED,
        user=acting_user,
        tenant=meeting.tenant,
        meeting_id=meeting.pk,
        record_id=record.pk,
        record_kind=kind,
        action=action,
    )
    return record


@transaction.atomic
def do_update_record(record: MeetingRecord, *, changes: dict[str, Any], acting_user: User) -> MeetingRecord:
    """Save the secretariat's edits of a draft; refused once issued (WrongState)."""
    record = _locked(record)
    _require_draft(record)
    record.content = clean_changes(record, changes)
    record.updated_at, record.updated_by = timezone.now(), acting_user
    record.save(update_fields=["content", "updated_at", "updated_by"])
    audit.record(
        audit.Kind.MINUTES_DRAFTED,
        user=acting_user,
        tenant=record.tenant,
        meeting_id=record.meeting_id,
        record_id=record.pk,
        record_kind=record.kind,
        action="edited",
        fields=sorted(changes),
    )
    return record


@transaction.atomic
def do_issue_record(record: MeetingRecord, *, acting_user: User) -> MeetingRecord:
    """Issue the record: its facts read a last time, rendered in the administrative
    layout, numbered ("01/BB-UBND", "01/TB-UBND"), signed with the tenant's
    certificate and kept; then every tablet of the meeting is told at once
    (``record.issued``). Only a closed meeting's record is issued, and only once.
    """
    from ecabinet.actions import do_issue_signed_document

    record = _locked(record)
    _require_draft(record)
    meeting = record.meeting
    if meeting.status != Meeting.Status.CLOSED:
        raise WrongState(_("Minutes and conclusion notices are issued once the meeting is closed."))
    record.content = selectors.refreshed_content(record)
    # An administrative document is in Vietnamese whoever issues it.
    # The record of the session as it stands, proved by the hash of its last event.
    stream = EventStream.objects.get(pk=meeting.stream_id)
    with translation.override("vi"):
        context = rendering.record_context(record) | {
            "events_seq": stream.last_seq,
            "events_hash": stream.last_hash,
        }
        title = rendering.document_title(record)
        document = do_issue_signed_document(
            tenant=record.tenant,
            kind=DOCUMENT_KINDS[record.kind],
            title=f"{title}: {meeting.title}"[:500],
            template_name=rendering.TEMPLATES[record.kind],
            context={**context, "title": title},
            acting_user=acting_user,
            symbol=rendering.SYMBOLS[record.kind],
            reference=f"meeting:{meeting.pk}:{record.kind}",
        )
    record.status = MeetingRecord.Status.ISSUED
    record.document = document
    record.issued_at, record.issued_by = document.signed_at, acting_user
    record.save(update_fields=["content", "status", "document", "issued_at", "issued_by"])
    audit.record(
        audit.Kind.MINUTES_ISSUED,
        user=acting_user,
        tenant=record.tenant,
        meeting_id=meeting.pk,
        record_id=record.pk,
        record_kind=record.kind,
        document=document.pk,
    )
    # Guests see only some items; the record covers them all.
    publish_on_commit(
        meeting.stream,
        "record.issued",
        {"record": record_payload(record)},
        audience={"capability": Capability.SEE_ALL_ITEMS.value},
    )
    return record


def clean_changes(record: MeetingRecord, changes: Any) -> dict[str, Any]:
    """The record's content with ``changes`` applied; Invalid for anything unknown or too long.

    ``changes``: any of ``opening``, ``attendance_note``, ``general_conclusion``
    (text) and ``items`` (a list of ``{"item_id", "discussion"?, "conclusion"?}``
    for items of this record).
    """
    if not isinstance(changes, dict):
        raise Invalid(_("The changes must be an object."))
    unknown = sorted(str(k) for k in changes if k not in (*TEXT_FIELDS, "items"))
    if unknown:
        raise Invalid(_("Unknown field: %(field)s.") % {"field": ", ".join(unknown)[:200]})
    content = dict(record.content)
    for field in TEXT_FIELDS:
        if field in changes:
            content[field] = _clean_text(changes[field])
    if "items" in changes:
        entries = changes["items"]
        if not isinstance(entries, list):
            raise Invalid(_("“items” must be a list."))
        items = {i["item_id"]: dict(i) for i in content.get("items", [])}
        allowed = ITEM_FIELDS[record.kind]
        for entry in entries:
            if not isinstance(entry, dict) or type(entry.get("item_id")) is not int:
                raise Invalid(_("Each item needs its “item_id”."))
            if entry["item_id"] not in items:
                raise Invalid(_("This item is not on the meeting's agenda."))
            extra = sorted(str(k) for k in entry if k != "item_id" and k not in allowed)
            if extra:
                raise Invalid(_("Unknown field: %(field)s.") % {"field": ", ".join(extra)[:200]})
            for field in allowed:
                if field in entry:
                    items[entry["item_id"]][field] = _clean_text(entry[field])
        content["items"] = [items[i["item_id"]] for i in content.get("items", [])]
    return content


def _clean_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_("The texts of a record must be text."))
    value = value.replace("\x00", "").replace("\r\n", "\n").strip()
    if len(value) > MAX_TEXT:
        raise Invalid(_("A text of the record is longer than %(limit)s characters.") % {"limit": MAX_TEXT})
    return str(value)
