"""What the system saves, computed from the session's own record.

Every figure here is read from rows other actions wrote — the meeting's and
its items' clocks, the tenant's paper-era baseline copied into each meeting,
the papers' versions and page counts, who received them and when they opened
them, the ballots, the consent list and the written opinion slips. Nothing is
typed in, and nothing is stored: the dashboard, the quarterly PDFs and the
national statistics all call these functions.

Each function runs a fixed number of queries however many meetings, papers
or people there are: rows are fetched in a handful of queries per call and
combined in Python.

Conventions, so that every figure is explained the same way everywhere:
- A meeting belongs to the period of its scheduled start (local date, in
  ``settings.TIME_ZONE``); ``start`` and ``end`` are both included.
- A meeting is *held* once it is closed after having been started.
- Its actual time is its clock (``elapsed_seconds``): time adjourned is never
  counted. Its planned time is ``planned_end − scheduled_start`` where the
  secretariat set an end, otherwise the sum of its items' planned minutes.
- A paper's version was *distributed* when it reached the readers: the
  version current when the meeting was published, and every later upload,
  unless the paper had been withdrawn before it. Each distributed version
  would have been one printed copy per recipient (the participants who
  receive the paper, as ``documents.selectors.paper_readers`` names them).
- Sheets are A4 printed on both sides: ``ceil(pages / 2)`` per copy. Money
  is pages × the tenant's price per page.
- A member reads "before the session" when their first open of a paper they
  receive comes before the meeting started (its scheduled start while it has
  not started).
- A slip replaced a meeting when it closed with a decision (passed or
  failed): the question was settled without convening anyone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.access import VIEW
from documents.models import Paper, PaperOpen, PaperUserObjectPermission, PaperVersion
from ecabinet.cleaning import tenant_settings
from ecabinet.models import Tenant
from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings.models import AgendaItem, Meeting, Participant
from reports.models import ReportSettings, SessionCount
from voting.models import Ballot, ConsentAdoption, Outcome, Slip, SlipAnswer

# Members, as the quorum counts them: those whose reading before the session matters.
MEMBER_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)
SLIP_DECISIONS = (Outcome.PASSED, Outcome.FAILED)

By = Literal["month", "quarter"]


def meeting_of(paper: Paper) -> int:
    """The meeting of a paper read through its meeting (papers of opinion slips have none
    and are never among them)."""
    return cast(int, paper.meeting_id)


def _minutes(seconds: int) -> float:
    return round(seconds / 60, 1)


def _percent(part: float, whole: float) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time, as aware datetimes."""
    zone = timezone.get_current_timezone()
    low = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    high = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return low, high


def yardsticks(tenant: Tenant) -> ReportSettings:
    """The tenant's yardsticks, or the defaults (unsaved, marked as assumptions) if it set none."""
    return tenant_settings(ReportSettings, tenant)


# --- time ------------------------------------------------------------------------------


def _planned_seconds(meeting: Meeting, agenda_minutes: int) -> tuple[int, str]:
    if meeting.planned_end is not None:
        return int((meeting.planned_end - meeting.scheduled_start).total_seconds()), "schedule"
    return agenda_minutes * 60, "agenda"


def meetings_figures(
    meetings: Sequence[Meeting], *, verdicts: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    """``meeting_figures`` for many meetings of the current tenant, in four queries (three
    when the secretariat's ``verdicts`` are given)."""
    ids = [m.pk for m in meetings]
    items_by_meeting: dict[int, list[AgendaItem]] = defaultdict(list)
    if ids:
        adopted = ConsentAdoption.objects.filter(item_id=OuterRef("pk"))
        for item in (
            AgendaItem.objects.filter(meeting_id__in=ids)
            .annotate(by_consent=Exists(adopted))
            .order_by("meeting_id", "position", "id")
        ):
            items_by_meeting[item.meeting_id].append(item)
    voting_by_meeting: dict[int, int] = defaultdict(int)
    ballots_by_meeting: dict[int, int] = defaultdict(int)
    if ids:
        for meeting_id, opened_at, closed_at in Ballot.objects.filter(
            meeting_id__in=ids, closed_at__isnull=False
        ).values_list("meeting_id", "opened_at", "closed_at"):
            if closed_at is not None:
                voting_by_meeting[meeting_id] += max(int((closed_at - opened_at).total_seconds()), 0)
            ballots_by_meeting[meeting_id] += 1
    if verdicts is None:
        verdicts = verdicts_of(ids)
    rows = []
    for m in meetings:
        row = _figures(m, items_by_meeting[m.pk], voting_by_meeting[m.pk], ballots_by_meeting[m.pk])
        row.update(counting(row["held"], row["actual_seconds"], row["planned_seconds"], verdicts.get(m.pk)))
        rows.append(row)
    return rows


# A held session shorter than this share of the time its agenda planned is
# taken for a trial until the secretariat confirms it: a 58-second test must
# not show a month "99.5 % shorter".
SHORT_SHARE = 0.2


def verdicts_of(meeting_ids: Iterable[int]) -> dict[int, str]:
    """What the secretariat said of each session (``SessionCount``), in one query."""
    ids = list(meeting_ids)
    if not ids:
        return {}
    return dict(SessionCount.objects.filter(meeting_id__in=ids).values_list("meeting_id", "verdict"))


def counting(held: bool, actual_seconds: int, planned_seconds: int, verdict: str | None) -> dict[str, Any]:
    """Whether a session counts in the figures, and why not: a trial, or too short to be believed."""
    short = held and planned_seconds > 0 and actual_seconds < SHORT_SHARE * planned_seconds
    counted = (
        held
        and verdict != SessionCount.Verdict.TRIAL
        and (not short or verdict == SessionCount.Verdict.COUNTED)
    )
    return {
        "verdict": verdict,
        "trial": verdict == SessionCount.Verdict.TRIAL,
        "short": short,
        "to_confirm": short and verdict is None,
        "counted": counted,
    }


def meeting_figures(meeting: Meeting) -> dict[str, Any]:
    """A meeting's time: actual against planned and baseline, per item, consent list, voting.

    Seconds are exact integers; minutes and percentages are rounded to one
    decimal for people. ``None`` where a figure has no basis (no baseline).
    """
    return meetings_figures([meeting])[0]


def _figures(meeting: Meeting, items: list[AgendaItem], voting_seconds: int, ballots: int) -> dict[str, Any]:
    actual_seconds = meeting.clock_seconds() if meeting.started_at else 0
    agenda_minutes = sum(item.planned_minutes for item in items)
    planned_seconds, planned_from = _planned_seconds(meeting, agenda_minutes)
    baseline_seconds = meeting.baseline_minutes * 60 if meeting.baseline_minutes is not None else None
    saved_seconds = baseline_seconds - actual_seconds if baseline_seconds is not None else None
    rows = []
    consent_minutes = 0
    for item in items:
        by_consent = bool(getattr(item, "by_consent", False))
        if by_consent:
            consent_minutes += item.planned_minutes
        item_seconds = item.clock_seconds()
        overrun = max(item_seconds - item.planned_minutes * 60, 0)
        rows.append(
            {
                "id": item.pk,
                "position": item.position,
                "title": item.title,
                "status": item.status,
                "planned_minutes": item.planned_minutes,
                "actual_seconds": item_seconds,
                "actual_minutes": _minutes(item_seconds),
                "overrun_seconds": overrun,
                "overrun_minutes": _minutes(overrun),
                "over": overrun > 0,
                "by_consent": by_consent,
            }
        )
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "scheduled_start": meeting.scheduled_start,
        "date": local_date(meeting.scheduled_start),
        "held": meeting.status == Meeting.Status.CLOSED and meeting.started_at is not None,
        "actual_seconds": actual_seconds,
        "actual_minutes": _minutes(actual_seconds),
        "planned_seconds": planned_seconds,
        "planned_minutes": _minutes(planned_seconds),
        "planned_from": planned_from,
        "agenda_planned_minutes": agenda_minutes,
        "vs_planned_seconds": actual_seconds - planned_seconds,
        "vs_planned_minutes": _minutes(actual_seconds - planned_seconds),
        "baseline_minutes": meeting.baseline_minutes,
        "baseline_source": meeting.baseline_source,
        "baseline_is_assumption": meeting.baseline_is_assumption,
        "saved_seconds": saved_seconds,
        "saved_minutes": _minutes(saved_seconds) if saved_seconds is not None else None,
        "saved_percent": _percent(saved_seconds, baseline_seconds)
        if saved_seconds is not None and baseline_seconds
        else None,
        "items": rows,
        "items_over": sum(1 for row in rows if row["over"]),
        "consent_items": sum(1 for row in rows if row["by_consent"]),
        "consent_saved_minutes": consent_minutes,
        "ballots": ballots,
        "voting_seconds": voting_seconds,
        "voting_minutes": _minutes(voting_seconds),
    }


# --- who receives what -----------------------------------------------------------------


@dataclass
class _Distribution:
    """Papers of some meetings, who receives each, and which versions reached them."""

    papers: dict[int, Paper] = field(default_factory=dict)
    recipients: dict[int, set[int]] = field(default_factory=dict)  # paper -> user ids
    distributed: dict[int, list[PaperVersion]] = field(default_factory=dict)  # paper -> versions
    participants: dict[int, list[Participant]] = field(default_factory=dict)  # meeting -> people


def _distribution(meetings: Sequence[Meeting]) -> _Distribution:
    """Five queries, whatever the number of meetings, papers and people."""
    found = _Distribution()
    by_id = {m.pk: m for m in meetings}
    if not by_id:
        return found
    papers = list(Paper.objects.filter(meeting_id__in=by_id).order_by("meeting_id", "position", "id"))
    found.papers = {p.pk: p for p in papers}
    people = list(Participant.objects.filter(meeting_id__in=by_id).order_by("meeting_id", "id"))
    for person in people:
        found.participants.setdefault(person.meeting_id, []).append(person)
    guest_items: dict[int, set[int]] = defaultdict(set)
    for participant_id, item_id in Participant.items.through.objects.filter(
        participant__meeting_id__in=by_id
    ).values_list("participant_id", "agendaitem_id"):
        guest_items[participant_id].add(item_id)
    named: dict[int, set[int]] = defaultdict(set)
    for paper_id, user_id in PaperUserObjectPermission.objects.filter(
        content_object__meeting_id__in=by_id, permission__codename=VIEW
    ).values_list("content_object_id", "user_id"):
        named[paper_id].add(user_id)
    for paper in papers:
        readers = set()
        for person in found.participants.get(meeting_of(paper), []):
            if paper.restricted and person.user_id not in named[paper.pk]:
                continue
            if (
                person.role == Role.GUEST
                and paper.item_id is not None
                and paper.item_id not in guest_items[person.pk]
            ):
                continue
            readers.add(person.user_id)
        found.recipients[paper.pk] = readers
    versions: dict[int, list[PaperVersion]] = defaultdict(list)
    for version in PaperVersion.objects.filter(paper_id__in=found.papers).order_by("paper_id", "number"):
        versions[version.paper_id].append(version)
    for paper in papers:
        published_at = by_id[meeting_of(paper)].published_at
        found.distributed[paper.pk] = _distributed_versions(paper, versions[paper.pk], published_at)
    return found


def _distributed_versions(
    paper: Paper, versions: list[PaperVersion], published_at: datetime | None
) -> list[PaperVersion]:
    if published_at is None:
        return []
    reached = []
    current_at_publishing = None
    for version in versions:
        if version.uploaded_at <= published_at:
            current_at_publishing = version
        elif paper.withdrawn_at is None or version.uploaded_at < paper.withdrawn_at:
            reached.append(version)
    if current_at_publishing is not None and (
        paper.withdrawn_at is None or paper.withdrawn_at > published_at
    ):
        reached.insert(0, current_at_publishing)
    return reached


# --- paper -----------------------------------------------------------------------------


def _meetings_in(start: date, end: date) -> Any:
    low, high = _day_bounds(start, end)
    return Meeting.objects.filter(scheduled_start__gte=low, scheduled_start__lt=high)


def _paper_totals(meetings: Sequence[Meeting], dist: _Distribution) -> dict[int, dict[str, int]]:
    """Per meeting: papers, versions, pages (× recipients) and sheets."""
    totals: dict[int, dict[str, int]] = {
        m.pk: {"papers": 0, "versions": 0, "copies": 0, "pages": 0, "sheets": 0} for m in meetings
    }
    for paper_id, versions in dist.distributed.items():
        if not versions:
            continue
        paper = dist.papers[paper_id]
        copies = len(dist.recipients[paper_id])
        row = totals[meeting_of(paper)]
        row["papers"] += 1
        for version in versions:
            row["versions"] += 1
            row["copies"] += copies
            row["pages"] += version.page_count * copies
            row["sheets"] += math.ceil(version.page_count / 2) * copies
    return totals


def paper_figures(tenant: Tenant, start: date, end: date) -> dict[str, Any]:
    """Paper not printed for the meetings of ``[start, end]``: pages, sheets and money.

    One row per distributed paper version: its pages × its recipients.
    """
    settings_row = yardsticks(tenant)
    with tenant_context(tenant):
        meetings = list(_meetings_in(start, end).filter(published_at__isnull=False))
        dist = _distribution(meetings)
    rows: list[dict[str, Any]] = []
    for paper_id, versions in dist.distributed.items():
        paper = dist.papers[paper_id]
        copies = len(dist.recipients[paper_id])
        for version in versions:
            rows.append(
                {
                    "meeting_id": paper.meeting_id,
                    "paper_id": paper_id,
                    "title": paper.title,
                    "version": version.number,
                    "page_count": version.page_count,
                    "recipients": copies,
                    "pages": version.page_count * copies,
                    "sheets": math.ceil(version.page_count / 2) * copies,
                }
            )
    pages = sum(row["pages"] for row in rows)
    return {
        "start": start,
        "end": end,
        "meetings": len(meetings),
        "papers": len({row["paper_id"] for row in rows}),
        "versions": len(rows),
        "copies": sum(row["recipients"] for row in rows),
        "pages": pages,
        "sheets": sum(row["sheets"] for row in rows),
        "price_per_page": settings_row.price_per_page,
        "price_is_assumption": settings_row.price_is_assumption,
        "price_source": settings_row.price_source,
        "money": pages * settings_row.price_per_page,
        "rows": rows,
    }


# --- reading before the session --------------------------------------------------------


def _first_opens(paper_ids: Iterable[int]) -> dict[tuple[int, int], datetime]:
    ids = list(paper_ids)
    if not ids:
        return {}
    return {
        (paper_id, reader_id): first
        for paper_id, reader_id, first in PaperOpen.objects.filter(paper_id__in=ids)
        .values("paper_id", "reader_id")
        .annotate(first=Min("at"))
        .values_list("paper_id", "reader_id", "first")
    }


def _session_start(meeting: Meeting) -> datetime:
    return meeting.started_at or meeting.scheduled_start


def _reading(meetings: Sequence[Meeting], dist: _Distribution) -> dict[int, list[dict[str, Any]]]:
    """Per meeting, per member: papers received, and opened before the session started."""
    readable = [
        p for p in dist.papers.values() if p.withdrawn_at is None and p.current_version_id is not None
    ]
    first = _first_opens(p.pk for p in readable)
    by_meeting: dict[int, list[Paper]] = defaultdict(list)
    for paper in readable:
        by_meeting[meeting_of(paper)].append(paper)
    result: dict[int, list[dict[str, Any]]] = {}
    for meeting in meetings:
        cutoff = _session_start(meeting)
        rows = []
        for person in dist.participants.get(meeting.pk, []):
            if person.role not in MEMBER_ROLES:
                continue
            received = [p for p in by_meeting[meeting.pk] if person.user_id in dist.recipients[p.pk]]
            before = [
                p for p in received if (opened := first.get((p.pk, person.user_id))) and opened < cutoff
            ]
            rows.append(
                {
                    "participant_id": person.pk,
                    "user_id": person.user_id,
                    "role": person.role,
                    "papers": len(received),
                    "opened_before": len(before),
                    "percent": _percent(len(before), len(received)),
                }
            )
        result[meeting.pk] = rows
    return result


def reading_figures(meeting: Meeting) -> list[dict[str, Any]]:
    """Per member (chair, vice-chairs, members): the share of their papers opened before the session.

    Each row has the member's ``name`` and ``title``, ``papers`` received,
    ``opened_before`` and ``percent`` (``None`` when they received none).
    """
    dist = _distribution([meeting])
    rows = _reading([meeting], dist)[meeting.pk]
    users = {p.user_id: p for p in Participant.objects.filter(meeting=meeting).select_related("user")}
    for row in rows:
        user = users[row["user_id"]].user
        row["name"] = user.full_name or user.username
        row["title"] = user.title
    return rows


# --- slips -----------------------------------------------------------------------------


def _slip_rows(start: date, end: date) -> list[dict[str, Any]]:
    """The slips issued in the period, with their recipients and on-time answers. Two queries."""
    low, high = _day_bounds(start, end)
    slips = list(
        Slip.objects.filter(issued_at__gte=low, issued_at__lt=high)
        .annotate(asked=Count("recipients", distinct=True))
        .order_by("issued_at", "id")
    )
    answered: dict[int, int] = defaultdict(int)
    if slips:
        for slip_id, answered_at, deadline in SlipAnswer.objects.filter(
            slip_id__in=[s.pk for s in slips]
        ).values_list("slip_id", "answered_at", "slip__deadline"):
            if answered_at <= deadline:
                answered[slip_id] += 1
    return [
        {
            "id": slip.pk,
            "number": slip.number,
            "question": slip.question,
            "issued_at": slip.issued_at,
            "date": local_date(slip.issued_at),
            "asked": slip.asked,  # type: ignore[attr-defined]
            "answered_on_time": answered[slip.pk],
            "replaced_meeting": slip.status == Slip.Status.CLOSED
            and bool(slip.result)
            and (slip.result or {}).get("outcome") in SLIP_DECISIONS,
        }
        for slip in slips
    ]


# --- the tenant's series ---------------------------------------------------------------


@dataclass
class Period:
    """One month or quarter of a tenant's figures (see the module's conventions)."""

    label: str
    start: date
    end: date
    meetings_held: int = 0
    actual_minutes: float = 0.0
    planned_minutes: float = 0.0
    baseline_minutes: int = 0
    # Actual minutes of the held meetings that have a baseline, set against it.
    compared_minutes: float = 0.0
    saved_minutes: float | None = None
    saved_percent: float | None = None
    baseline_is_assumption: bool = False
    target_low_percent: int = 30
    target_high_percent: int = 50
    consent_saved_minutes: int = 0
    voting_minutes: float = 0.0
    papers: int = 0
    pages: int = 0
    sheets: int = 0
    money: int = 0
    price_per_page: int = 0
    price_is_assumption: bool = True
    papers_received: int = 0
    papers_read_before: int = 0
    read_before_percent: float | None = None
    slips_issued: int = 0
    slip_answers_asked: int = 0
    slip_answers_on_time: int = 0
    slips_on_time_percent: float | None = None
    slips_replacing_meeting: int = 0

    @property
    def on_target(self) -> bool | None:
        """Shorter by at least the target's low end (``None`` with nothing to compare)."""
        return None if self.saved_percent is None else self.saved_percent >= self.target_low_percent

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "on_target": self.on_target}


def _periods(start: date, end: date, by: By) -> list[tuple[str, date, date]]:
    if by not in ("month", "quarter"):
        raise ValueError(f"by must be 'month' or 'quarter', not {by!r}")
    step = 1 if by == "month" else 3
    month = start.month if by == "month" else 3 * ((start.month - 1) // 3) + 1
    year = start.year
    found = []
    while date(year, month, 1) <= end:
        first = date(year, month, 1)
        next_month, next_year = month + step, year
        if next_month > 12:
            next_month, next_year = next_month - 12, year + 1
        last = date(next_year, next_month, 1) - timedelta(days=1)
        if by == "month":
            label = _("%(month)02d/%(year)d") % {"month": month, "year": year}
        else:
            label = _("Q%(quarter)d %(year)d") % {"quarter": (month - 1) // 3 + 1, "year": year}
        found.append((label, max(first, start), min(last, end)))
        month, year = next_month, next_year
    return found


def _index(periods: list[Period], day: date) -> Period | None:
    for period in periods:
        if period.start <= day <= period.end:
            return period
    return None


@dataclass
class TenantReport:
    """A tenant's figures over a span: per period, and per meeting held."""

    tenant: Tenant
    start: date
    end: date
    by: By
    periods: list[Period]
    meetings: list[dict[str, Any]]
    yardsticks: ReportSettings

    @property
    def baseline_is_assumption(self) -> bool:
        return any(p.baseline_is_assumption for p in self.periods)

    @property
    def price_is_assumption(self) -> bool:
        return bool(self.yardsticks.price_is_assumption)


def tenant_report(tenant: Tenant, *, start: date, end: date, by: By = "month") -> TenantReport:
    """The tenant's series and its table of meetings held, from one set of reads.

    At most thirteen queries however many meetings, papers, people
    and slips the span holds.
    """
    if end < start:
        raise ValueError("end is before start")
    settings_row = yardsticks(tenant)
    periods = [
        Period(
            label=label,
            start=first,
            end=last,
            target_low_percent=settings_row.target_low_percent,
            target_high_percent=settings_row.target_high_percent,
            price_per_page=settings_row.price_per_page,
            price_is_assumption=settings_row.price_is_assumption,
        )
        for label, first, last in _periods(start, end, by)
    ]
    with tenant_context(tenant):
        published = list(_meetings_in(start, end).filter(published_at__isnull=False))
        verdicts = verdicts_of(m.pk for m in published)
        held = [m for m in published if m.status == Meeting.Status.CLOSED and m.started_at is not None]
        rows = meetings_figures(held, verdicts=verdicts)
        dist = _distribution(published)
        reading = _reading(held, dist)
        slips = _slip_rows(start, end)
    # A trial or rehearsal is left out of every figure, a session too short to
    # be believed out of the time until it is confirmed; both stay in the
    # table, marked.
    paper_totals = _paper_totals(published, dist)
    figures = {row["id"]: row for row in rows}
    compared: dict[int, int] = defaultdict(int)
    for meeting in published:
        period = _index(periods, local_date(meeting.scheduled_start))
        if period is None:  # pragma: no cover - the query selected the span's meetings
            continue
        totals = paper_totals[meeting.pk]
        trial = verdicts.get(meeting.pk) == SessionCount.Verdict.TRIAL
        if not trial:
            period.papers += totals["papers"]
            period.pages += totals["pages"]
            period.sheets += totals["sheets"]
        row = figures.get(meeting.pk)
        if row is None:
            continue
        received = sum(member["papers"] for member in reading[meeting.pk])
        before = sum(member["opened_before"] for member in reading[meeting.pk])
        row.update(
            {
                "pages": totals["pages"],
                "sheets": totals["sheets"],
                "money": totals["pages"] * settings_row.price_per_page,
                "price_is_assumption": settings_row.price_is_assumption,
                "papers_received": received,
                "papers_read_before": before,
                "read_before_percent": _percent(before, received),
            }
        )
        if not row["counted"]:
            continue
        period.meetings_held += 1
        period.actual_minutes += row["actual_seconds"] / 60
        period.planned_minutes += row["planned_seconds"] / 60
        period.consent_saved_minutes += row["consent_saved_minutes"]
        period.voting_minutes += row["voting_seconds"] / 60
        period.papers_received += received
        period.papers_read_before += before
        if meeting.baseline_minutes is not None:
            period.baseline_minutes += meeting.baseline_minutes
            period.compared_minutes += row["actual_seconds"] / 60
            compared[id(period)] += 1
            period.baseline_is_assumption = period.baseline_is_assumption or meeting.baseline_is_assumption
    for slip in slips:
        period = _index(periods, slip["date"])
        if period is None:  # pragma: no cover
            continue
        period.slips_issued += 1
        period.slip_answers_asked += slip["asked"]
        period.slip_answers_on_time += slip["answered_on_time"]
        period.slips_replacing_meeting += int(slip["replaced_meeting"])
    for period in periods:
        period.money = period.pages * period.price_per_page
        if compared[id(period)]:
            saved = period.baseline_minutes - period.compared_minutes
            period.saved_minutes = round(saved, 1)
            period.saved_percent = _percent(saved, period.baseline_minutes)
        period.actual_minutes = round(period.actual_minutes, 1)
        period.planned_minutes = round(period.planned_minutes, 1)
        period.compared_minutes = round(period.compared_minutes, 1)
        period.voting_minutes = round(period.voting_minutes, 1)
        period.read_before_percent = _percent(period.papers_read_before, period.papers_received)
        period.slips_on_time_percent = _percent(period.slip_answers_on_time, period.slip_answers_asked)
    return TenantReport(
        tenant=tenant, start=start, end=end, by=by, periods=periods, meetings=rows, yardsticks=settings_row
    )


def tenant_series(tenant: Tenant, *, start: date, end: date, by: By = "month") -> list[Period]:
    """The tenant's figures for each month or quarter of ``[start, end]`` (fixed queries)."""
    return tenant_report(tenant, start=start, end=end, by=by).periods


def meeting_table(tenant: Tenant, *, start: date, end: date) -> list[dict[str, Any]]:
    """Every meeting held in ``[start, end]``, newest first, with its time, paper and reading figures."""
    return tenant_report(tenant, start=start, end=end).meetings


__all__ = [
    "Period",
    "TenantReport",
    "meeting_figures",
    "meeting_table",
    "meetings_figures",
    "paper_figures",
    "reading_figures",
    "tenant_report",
    "tenant_series",
    "yardsticks",
]


def report_settings(tenant: Tenant | int) -> ReportSettings:
    """The tenant's yardsticks, made with the defaults on first use (a write locks the row)."""
    return tenant_settings(ReportSettings, tenant, create=True)
