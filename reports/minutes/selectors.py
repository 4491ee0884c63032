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

Facts keep codes and numbers, not words: ``reports.minutes.rendering`` puts
them into words in the reader's language. Who may read and write records is
decided in ``reports.minutes.access``; the writes are in ``reports.minutes.actions``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.collation import sort_key
from ecabinet.roles import Role
from meetings.models import AgendaItem, Meeting, Participant, SpeakRequest
from reports.minutes.access import RecordAccess
from reports.models import MeetingRecord
from voting.models import Ballot, ConsentAdoption, Outcome, Position

ROLE_ORDER: list[str] = [Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.GUEST, Role.OBSERVER, Role.SECRETARY]
VOTING_ROLES = {Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER}


def visible_records(record_access: RecordAccess) -> list[MeetingRecord]:
    """The meeting's records this user may read: drafts for those who draft or sign, issued for all."""
    records = (
        MeetingRecord.objects.filter(meeting=record_access.meeting)
        .select_related("document")
        .defer("document__content")
    )
    return [r for r in records if r.status == MeetingRecord.Status.ISSUED or record_access.reads_drafts]


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
    for p in sorted(participants, key=lambda p: (ROLE_ORDER.index(p.role), sort_key(p.user.full_name), p.pk)):
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
