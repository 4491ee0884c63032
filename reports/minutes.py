"""The minutes (biên bản) and the conclusion notice (thông báo kết luận), drafted
from the session's record.

A record's ``content`` holds two things:

- ``facts``: what the session's record says — attendance and substitutes,
  each item with its presenter, planned and actual times, speakers and their
  speaking time, positions and the consent list, ballots and their results,
  the chair's conclusion. Facts are read from the database, never typed: they
  are drafted again whenever the draft is refreshed and once more when the
  record is issued, so what is signed is what happened.
- the texts the secretariat edits in the browser: an opening paragraph, an
  attendance note, per item the discussion (minutes only) and the conclusion,
  and a general conclusion.

Facts keep codes and numbers, not words: ``record_context`` puts them into
words in the reader's language (the PDF is always rendered in Vietnamese).
Who may read and write records is decided here too (``access_record``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.errors import ActionError, Invalid, NotFound
from ecabinet.roles import Capability, Role
from meetings.access import MeetingAccess, access_meeting
from meetings.models import AgendaItem, Meeting, Participant, SpeakRequest
from reports.models import MeetingRecord
from voting.models import Ballot, ConsentAdoption, Outcome, Position
from voting.payloads import option_label

KINDS = tuple(MeetingRecord.Kind.values)
MAX_TEXT = 20_000
TEXT_FIELDS = ("opening", "attendance_note", "general_conclusion")
ITEM_FIELDS = {"minutes": ("discussion", "conclusion"), "notice": ("conclusion",)}
ROLE_ORDER: list[str] = [Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.GUEST, Role.OBSERVER, Role.SECRETARY]
VOTING_ROLES = {Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER}

# SignedDocument kinds and the symbols of their numbers ("05/BB-UBND", "06/TB-UBND").
DOCUMENT_KINDS = {"minutes": "meeting_minutes", "notice": "conclusion_notice"}
SYMBOLS = {"minutes": "BB", "notice": "TB"}
TEMPLATES = {"minutes": "pdf/minutes.html", "notice": "pdf/notice.html"}


# --- who may read and write -------------------------------------------------------------


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


def visible_records(record_access: RecordAccess) -> list[MeetingRecord]:
    """The meeting's records this user may read: drafts for those who draft or sign, issued for all."""
    records = (
        MeetingRecord.objects.filter(meeting=record_access.meeting)
        .select_related("document")
        .defer("document__content")
    )
    return [r for r in records if r.status == MeetingRecord.Status.ISSUED or record_access.reads_drafts]


def may_read_record_document(user: Any, document: Any) -> bool:
    """The signed minutes or notice: whoever sees every item of its meeting."""
    record = MeetingRecord.objects.filter(document_id=document.pk).first()
    if record is None:
        return bool(getattr(user, "is_secretariat", False))
    try:
        access = access_meeting(user, record.meeting_id)
    except ActionError:
        return False
    return access.item_ids is None


def register_record_access() -> None:
    from ecabinet.signing import register_signed_document_access

    for document_kind in DOCUMENT_KINDS.values():
        register_signed_document_access(document_kind, may_read_record_document)


# --- the facts --------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def record_facts(meeting: Meeting) -> dict[str, Any]:
    """What the session's record says, in codes and numbers (a fixed number of queries)."""
    participants = list(
        Participant.objects.filter(meeting=meeting)
        .select_related("user", "substitute_for__user")
        .order_by("id")
    )
    by_id = {p.pk: p for p in participants}
    substitute_of = {p.substitute_for_id: p for p in participants if p.substitute_for_id}
    attendance = []
    for p in sorted(participants, key=lambda p: (ROLE_ORDER.index(p.role), p.user.full_name, p.pk)):
        substitute = substitute_of.get(p.pk)
        attendance.append(
            {
                "participant_id": p.pk,
                "name": p.user.full_name,
                "title": p.user.title,
                "unit": p.user.unit,
                "role": p.role,
                "attendance": p.attendance,
                "cannot_attend": p.cannot_attend,
                "substitute_for": by_id[p.substitute_for_id].user.full_name if p.substitute_for_id else "",
                "substitute": substitute.user.full_name if substitute else "",
            }
        )
    members = [p for p in participants if p.role in VOTING_ROLES and not p.substitute_for_id]

    def present(p: Participant) -> bool:
        if p.cannot_attend:
            substitute = substitute_of.get(p.pk)
            return bool(substitute and substitute.attendance)
        return bool(p.attendance)

    chair = next((p for p in participants if p.role == Role.CHAIR and not p.substitute_for_id), None)

    items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("presenter").order_by("position", "id")
    )
    speakers: dict[int, list[dict[str, Any]]] = {}
    for r in (
        SpeakRequest.objects.filter(item__meeting=meeting, started_at__isnull=False)
        .select_related("participant__user", "participant__substitute_for__user")
        .order_by("started_at", "id")
    ):
        sub_for = r.participant.substitute_for
        speakers.setdefault(r.item_id, []).append(
            {
                "name": r.participant.user.full_name,
                "title": r.participant.user.title,
                "substitute_for": sub_for.user.full_name if sub_for else "",
                "kind": r.kind,
                "seconds": r.spoken_seconds,
            }
        )
    ballots: dict[int, list[dict[str, Any]]] = {}
    for b in Ballot.objects.filter(meeting=meeting, status=Ballot.Status.CLOSED).order_by("opened_at", "id"):
        result = b.result or {}
        ballots.setdefault(b.item_id, []).append(
            {
                "question": b.question,
                "secret": b.secret,
                "majority": b.majority,
                "opened_at": _iso(b.opened_at),
                "closed_at": _iso(b.closed_at),
                "options": [
                    {"key": o["key"], "kind": o.get("kind", ""), "label": o.get("label", "")}
                    for o in b.options
                ],
                "counts": result.get("counts", {}),
                "eligible": result.get("eligible", 0),
                "voted": result.get("voted", 0),
                "outcome": result.get("outcome", Outcome.FAILED),
                "winner": result.get("winner"),
                "document_id": b.result_document_id,
            }
        )
    positions: dict[int, dict[str, int]] = {}
    for row in (
        Position.objects.filter(item__meeting=meeting).values("item_id", "kind").annotate(n=Count("id"))
    ):
        positions.setdefault(row["item_id"], {})[row["kind"]] = row["n"]
    adopted = {a.item_id: _iso(a.adopted_at) for a in ConsentAdoption.objects.filter(item__meeting=meeting)}

    return {
        "meeting": {
            "id": meeting.pk,
            "title": meeting.title,
            "kind": meeting.kind,
            "place": meeting.place,
            "scheduled_start": _iso(meeting.scheduled_start),
            "started_at": _iso(meeting.started_at),
            "ended_at": _iso(meeting.ended_at),
            "elapsed_seconds": meeting.clock_seconds(),
            "status": meeting.status,
        },
        "chair": {"name": chair.user.full_name, "title": chair.user.title} if chair else None,
        "attendance": attendance,
        "members_total": len(members),
        "members_present": sum(1 for p in members if present(p)),
        "items": [
            {
                "item_id": item.pk,
                "position": n,
                "title": item.title,
                "presenter": item.presenter.full_name if item.presenter else item.presenter_name,
                "presenting_unit": item.presenting_unit,
                "planned_minutes": item.planned_minutes,
                "elapsed_seconds": item.clock_seconds(),
                "first_opened_at": _iso(item.first_opened_at),
                "closed_at": _iso(item.closed_at),
                "status": item.status,
                "conclusion": item.conclusion,
                "consent_adopted_at": adopted.get(item.pk),
                "positions": positions.get(item.pk, {}),
                "speakers": speakers.get(item.pk, []),
                "ballots": ballots.get(item.pk, []),
            }
            for n, item in enumerate(items, start=1)
        ],
        "drafted_at": timezone.now().isoformat(),
    }


def _default_opening(facts: dict[str, Any], kind: str) -> str:
    meeting = facts["meeting"]
    when = meeting["started_at"] or meeting["scheduled_start"]
    local = timezone.localtime(datetime.fromisoformat(when))
    chair = facts["chair"]
    values = {
        "time": local.strftime("%H:%M"),
        "date": local.strftime("%d/%m/%Y"),
        "place": meeting["place"] or _("the meeting room"),
        "title": meeting["title"],
        "chair": chair["name"] if chair else "",
    }
    if kind == MeetingRecord.Kind.NOTICE:
        return (
            _("On %(date)s, %(chair)s chaired the meeting “%(title)s”. The chair concluded as follows.")
            % values
        )
    return (
        _("At %(time)s on %(date)s, at %(place)s, the meeting “%(title)s” was held, chaired by %(chair)s.")
        % values
    )


def draft_content(meeting: Meeting, kind: str, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The draft of ``kind`` from the record; texts already edited in ``previous`` are kept."""
    facts = record_facts(meeting)
    previous = previous or {}
    old_items = {i.get("item_id"): i for i in previous.get("items", []) if isinstance(i, dict)}
    items = []
    for fact in facts["items"]:
        old = old_items.get(fact["item_id"], {})
        entry: dict[str, Any] = {
            "item_id": fact["item_id"],
            "conclusion": old.get("conclusion", fact["conclusion"]),
        }
        if kind == MeetingRecord.Kind.MINUTES:
            entry["discussion"] = old.get("discussion", "")
        items.append(entry)
    return {
        "facts": facts,
        "opening": previous.get("opening", _default_opening(facts, kind)),
        "attendance_note": previous.get("attendance_note", ""),
        "items": items,
        "general_conclusion": previous.get("general_conclusion", ""),
    }


def refreshed_content(record: MeetingRecord) -> dict[str, Any]:
    """The record's content with its facts read again (the texts kept)."""
    return draft_content(record.meeting, record.kind, record.content)


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
    return value


# --- in words ---------------------------------------------------------------------------


def _local(value: str | None) -> datetime | None:
    return timezone.localtime(datetime.fromisoformat(value)) if value else None


def duration(seconds: int) -> str:
    """ "1 giờ 05 phút", "12 phút 30 giây", "45 giây"."""
    seconds = max(int(seconds or 0), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    if minutes:
        return (
            _("%(m)s min %(s)02d s") % {"m": minutes, "s": secs} if secs else _("%(m)s min") % {"m": minutes}
        )
    return _("%(s)s s") % {"s": secs}


def record_context(record: MeetingRecord, content: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a record's template needs, put into words in the active language."""
    content = content if content is not None else record.content
    facts = content["facts"]
    roles = dict(Role.choices)
    attendance_labels = dict(Participant.Attendance.choices)
    speech_kinds = dict(SpeakRequest.Kind.choices)
    statuses = dict(AgendaItem.Status.choices)
    outcomes = dict(Outcome.choices)
    position_kinds = dict(Position.Kind.choices)
    texts = {i["item_id"]: i for i in content.get("items", [])}

    attendance = []
    for row in facts["attendance"]:
        if row["cannot_attend"]:
            state = (
                _("absent, represented by %(name)s") % {"name": row["substitute"]}
                if row["substitute"]
                else _("absent")
            )
        elif row["attendance"]:
            state = str(attendance_labels.get(row["attendance"], row["attendance"]))
        else:
            state = _("absent")
        attendance.append(
            row
            | {
                "role_label": str(roles.get(row["role"], row["role"])),
                "state": state,
                "present": bool(row["attendance"]) and not row["cannot_attend"],
            }
        )
    items = []
    for fact in facts["items"]:
        opened, closed = _local(fact["first_opened_at"]), _local(fact["closed_at"])
        ballots = []
        for b in fact["ballots"]:
            labels = {o["key"]: option_label(o) for o in b["options"]}
            ballots.append(
                b
                | {
                    "kind_label": _("Secret ballot") if b["secret"] else _("Named ballot"),
                    "outcome_label": str(outcomes.get(b["outcome"], b["outcome"])),
                    "winner_label": labels.get(b["winner"] or "", ""),
                    "count_rows": [(labels[o["key"]], b["counts"].get(o["key"], 0)) for o in b["options"]],
                }
            )
        text = texts.get(fact["item_id"], {})
        items.append(
            fact
            | {
                "status_label": str(statuses.get(fact["status"], fact["status"])),
                "opened": opened.strftime("%H:%M") if opened else "",
                "closed": closed.strftime("%H:%M") if closed else "",
                "actual": duration(fact["elapsed_seconds"]),
                "planned": _("%(m)s min") % {"m": fact["planned_minutes"]},
                "over": fact["elapsed_seconds"] > fact["planned_minutes"] * 60,
                "consent_adopted": bool(fact["consent_adopted_at"]),
                "position_rows": [
                    (str(position_kinds[k]), fact["positions"][k])
                    for k in Position.Kind.values
                    if k in fact["positions"]
                ],
                "speaker_rows": [
                    s
                    | {
                        "kind_label": str(speech_kinds.get(s["kind"], s["kind"])),
                        "time": duration(s["seconds"]),
                    }
                    for s in fact["speakers"]
                ],
                "ballot_rows": ballots,
                "discussion": text.get("discussion", ""),
                "text_conclusion": text.get("conclusion", fact["conclusion"]),
            }
        )
    meeting = facts["meeting"]
    started, ended = _local(meeting["started_at"]), _local(meeting["ended_at"])
    chair = facts["chair"]
    tenant = record.tenant
    return {
        "tenant": tenant,
        "record": record,
        "kind": record.kind,
        "meeting_facts": meeting,
        "meeting_started": started.strftime("%H:%M %d/%m/%Y") if started else "",
        "meeting_ended": ended.strftime("%H:%M %d/%m/%Y") if ended else "",
        "meeting_duration": duration(meeting["elapsed_seconds"]),
        "chair": chair,
        "attendance": attendance,
        "members_total": facts["members_total"],
        "members_present": facts["members_present"],
        "items": items,
        "notice_items": [i for i in items if i["text_conclusion"]],
        "opening": content.get("opening", ""),
        "attendance_note": content.get("attendance_note", ""),
        "general_conclusion": content.get("general_conclusion", ""),
        "subtitle": meeting["title"],
        "signer_authority": "",
        "signer_position": _signer_position(record.kind, chair).upper(),
        "signer_name": chair["name"] if chair else str(tenant.name),
        "recipients": _recipients(record.kind, facts),
    }


def _signer_position(kind: str, chair: dict[str, str] | None) -> str:
    """The minutes are signed by the chair of the session; the notice by the chair in its office."""
    if kind == MeetingRecord.Kind.NOTICE and chair and chair["title"]:
        return chair["title"]
    return _("Chair of the session")


def _recipients(kind: str, facts: dict[str, Any]) -> list[str]:
    lines = [_("Members of the meeting")]
    if kind == MeetingRecord.Kind.NOTICE:
        units = sorted({i["presenting_unit"] for i in facts["items"] if i["presenting_unit"]})
        lines += units
    return lines


def document_title(record: MeetingRecord) -> str:
    if record.kind == MeetingRecord.Kind.MINUTES:
        return _("MINUTES OF THE MEETING")
    return _("CONCLUSION NOTICE")
