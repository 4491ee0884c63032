"""Who has read which paper: the secretariat's and the chair's reading report.

Read from ``PaperOpen`` (one row per open or download, beside its audit
row). Two views of it: per paper, every reader and when they opened it; per
meeting, before the session, which participant has not yet opened which of
the papers they receive. Each is a fixed number of queries, whatever the
number of papers and participants.

The report lists only the papers its viewer receives (the secretariat: all
of them), so a restricted paper's title reaches nobody it was kept from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, Q

from documents.access import VIEW, PaperAccess, access_paper, readable_papers
from documents.models import Paper, PaperOpen, PaperUserObjectPermission
from ecabinet.collation import by_name, sort_key
from ecabinet.errors import NotAllowed
from ecabinet.roles import Role
from meetings.access import MeetingAccess, access_meeting
from meetings.models import Participant

# How a participant stands with one paper.
OPENED = "opened"  # opened the current version
OLDER = "older"  # opened only an earlier version
UNREAD = "unread"  # receives it and has not opened it
NOT_RECEIVED = "not_received"  # the paper is not given to them


def sees_reading_report(access: MeetingAccess) -> bool:
    """The secretariat and the chair see who has read what."""
    return access.prepares_or_chairs


def _require_report(access: MeetingAccess) -> None:
    if not sees_reading_report(access):
        raise NotAllowed()


def access_meeting_report(user: Any, meeting_id: Any, *, request: Any = None) -> MeetingAccess:
    """The meeting, for its reading report; NotFound or NotAllowed otherwise."""
    access = access_meeting(user, meeting_id, request=request)
    _require_report(access)
    return access


def access_paper_report(user: Any, paper_id: Any, *, request: Any = None) -> PaperAccess:
    """The paper, for its readers' report; NotFound or NotAllowed otherwise."""
    access = access_paper(user, paper_id, request=request)
    _require_report(access.meeting)
    return access


# --- who receives what, in bulk ---------------------------------------------------------


def _recipients(papers: list[Paper], participants: list[Participant]) -> dict[int, set[int]]:
    """Paper id -> ids of the participants' users who receive it, in two queries.

    The same rule as ``selectors.paper_readers``, for many papers at once: a
    paper for everyone goes to every participant who sees its item (a guest
    only the items given to them); a restricted one to those named.
    """
    # Whole-meeting queries, not per paper: the count stays the same
    # whether or not any paper is restricted or anyone is a guest.
    meeting_ids = {p.meeting_id for p in papers} | {p.meeting_id for p in participants}
    named: dict[int, set[int]] = defaultdict(set)
    for paper_id, user_id in PaperUserObjectPermission.objects.filter(
        content_object__meeting_id__in=meeting_ids, permission__codename=VIEW
    ).values_list("content_object_id", "user_id"):
        named[paper_id].add(user_id)
    guest_items: dict[int, set[int]] = defaultdict(set)
    for participant_id, item_id in Participant.items.through.objects.filter(
        participant__meeting_id__in=meeting_ids, participant__role=Role.GUEST
    ).values_list("participant_id", "agendaitem_id"):
        guest_items[participant_id].add(item_id)
    result: dict[int, set[int]] = {}
    for paper in papers:
        receivers = set()
        for participant in participants:
            if paper.restricted and participant.user_id not in named[paper.pk]:
                continue
            if (
                participant.role == Role.GUEST
                and paper.item_id is not None
                and paper.item_id not in guest_items[participant.pk]
            ):
                continue
            receivers.add(participant.user_id)
        result[paper.pk] = receivers
    return result


@dataclass
class Reading:
    """One reader's opens of one paper."""

    first_at: datetime | None = None
    last_at: datetime | None = None
    opens: int = 0
    downloads: int = 0
    versions: set[int] = field(default_factory=set)

    @property
    def opened(self) -> bool:
        return self.opens > 0

    @property
    def version_list(self) -> list[int]:
        return sorted(self.versions)


def _readings(paper_ids: list[int]) -> dict[tuple[int, int], Reading]:
    """(paper id, reader id) -> their reading, from one grouped query."""
    readings: dict[tuple[int, int], Reading] = defaultdict(Reading)
    if not paper_ids:
        return readings
    rows = (
        PaperOpen.objects.filter(paper_id__in=paper_ids)
        .values("paper_id", "reader_id", "version__number")
        .annotate(
            opens=Count("id"),
            downloads=Count("id", filter=Q(downloaded=True)),
            first_at=Min("at"),
            last_at=Max("at"),
        )
        .order_by()
    )
    for row in rows:
        reading = readings[(row["paper_id"], row["reader_id"])]
        reading.opens += row["opens"]
        reading.downloads += row["downloads"]
        reading.versions.add(row["version__number"])
        if reading.first_at is None or row["first_at"] < reading.first_at:
            reading.first_at = row["first_at"]
        if reading.last_at is None or row["last_at"] > reading.last_at:
            reading.last_at = row["last_at"]
    return readings


def _status(paper: Paper, reading: Reading | None, receives: bool) -> str:
    current = paper.current_version.number if paper.current_version else None
    if reading is not None and reading.opened:
        return OPENED if current in reading.versions else OLDER
    return UNREAD if receives else NOT_RECEIVED


# --- the meeting's summary ---------------------------------------------------------------


@dataclass
class Cell:
    paper: Paper
    status: str
    reading: Reading | None


@dataclass
class ParticipantRow:
    participant: Participant
    cells: list[Cell]

    @property
    def unread(self) -> list[Paper]:
        return [cell.paper for cell in self.cells if cell.status in (UNREAD, OLDER)]

    @property
    def received(self) -> int:
        return sum(1 for cell in self.cells if cell.status != NOT_RECEIVED)


@dataclass
class PaperColumn:
    paper: Paper
    recipients: int
    opened: int  # recipients who opened the current version

    @property
    def unread(self) -> int:
        return self.recipients - self.opened


@dataclass
class MeetingReading:
    papers: list[PaperColumn]
    rows: list[ParticipantRow]

    @property
    def unread_total(self) -> int:
        return sum(len(row.unread) for row in self.rows)


def meeting_reading(access: MeetingAccess) -> MeetingReading:
    """Every participant against every paper the viewer receives.

    Rows: the participants who receive at least one of these papers; cells:
    opened (the current version), an older version only, not opened, or not
    theirs. Five queries whatever the size of the meeting.
    """
    papers = list(
        readable_papers(access)
        .select_related("current_version", "item")
        .order_by("item__position", "position", "id")
    )
    participants = list(
        Participant.objects.filter(meeting=access.meeting)
        .select_related("user")
        .order_by("role", by_name("user__full_name"), "pk")
    )
    receivers = _recipients(papers, participants)
    readings = _readings([p.pk for p in papers])
    columns = []
    for paper in papers:
        opened = sum(
            1
            for user_id in receivers[paper.pk]
            if _status(paper, readings.get((paper.pk, user_id)), True) == OPENED
        )
        columns.append(PaperColumn(paper=paper, recipients=len(receivers[paper.pk]), opened=opened))
    rows = []
    for participant in _in_role_order(participants):
        cells = []
        for paper in papers:
            reading = readings.get((paper.pk, participant.user_id))
            receives = participant.user_id in receivers[paper.pk]
            cells.append(Cell(paper=paper, status=_status(paper, reading, receives), reading=reading))
        row = ParticipantRow(participant=participant, cells=cells)
        if row.received:
            rows.append(row)
    return MeetingReading(papers=columns, rows=rows)


ROLE_ORDER = [Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.SECRETARY, Role.GUEST, Role.OBSERVER]


def _in_role_order(participants: list[Participant]) -> list[Participant]:
    rank: dict[str, int] = {str(role): index for index, role in enumerate(ROLE_ORDER)}
    return sorted(participants, key=lambda p: (rank.get(p.role, len(rank)), sort_key(p.user.full_name), p.pk))


# --- one paper's readers -----------------------------------------------------------------


@dataclass
class ReaderRow:
    user: Any
    role: str | None  # None: not a participant (the secretariat)
    receives: bool
    status: str
    reading: Reading | None

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


def paper_reading(access: PaperAccess) -> list[ReaderRow]:
    """Everyone who receives the paper, and anyone else who opened it.

    Those who have not opened the current version come first. Four queries.
    """
    paper = access.paper
    participants = list(Participant.objects.filter(meeting=access.meeting.meeting).select_related("user"))
    receivers = _recipients([paper], participants)[paper.pk]
    readings = _readings([paper.pk])
    by_user = {p.user_id: p for p in participants}
    openers = {reader_id for (_, reader_id) in readings}
    others = openers - set(by_user)
    users = {p.user_id: p.user for p in participants}
    if others:
        from ecabinet.models import User

        users |= {u.pk: u for u in User.objects.filter(pk__in=others)}
    rows = []
    for user_id in receivers | openers:
        participant = by_user.get(user_id)
        reading = readings.get((paper.pk, user_id))
        receives = user_id in receivers
        rows.append(
            ReaderRow(
                user=users[user_id],
                role=participant.role if participant else None,
                receives=receives,
                status=_status(paper, reading, receives),
                reading=reading,
            )
        )
    order = {UNREAD: 0, OLDER: 1, OPENED: 2, NOT_RECEIVED: 3}
    rows.sort(key=lambda r: (order[r.status], sort_key(r.user.full_name), r.user.pk))
    return rows
