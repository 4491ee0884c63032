"""A record put into words: the template context of the page and the PDF.

Facts keep codes and numbers; here they become words in the active language
(the PDF is always rendered in Vietnamese).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.roles import Role
from meetings.models import AgendaItem, Participant, SpeakRequest
from reports.models import MeetingRecord
from voting.models import Outcome, Position
from voting.payloads import option_label

# The symbols of the records' numbers ("05/BB-UBND", "06/TB-UBND") and their PDF layouts.
SYMBOLS = {"minutes": "BB", "notice": "TB"}
TEMPLATES = {"minutes": "pdf/minutes.html", "notice": "pdf/notice.html"}


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
                    # none for a secret ballot whose counts were withheld
                    "count_rows": [(labels[o["key"]], b["counts"].get(o["key"], 0)) for o in b["options"]]
                    if b["counts"] is not None
                    else [],
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
