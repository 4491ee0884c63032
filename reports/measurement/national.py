"""National statistics: the only place that reads across tenants.

For a quarter, for every active tenant: whether it held a meeting through the
system, its meeting time against the paper-era baseline, and the paper it did
not print; then the share of provinces and of districts that met through the
system, against the targets (every province, 80 % of districts).

The figures follow ``reports.measurement``'s conventions exactly (a meeting
belongs to the period of its scheduled start; held = closed after having been
started; pages = pages × recipients of every distributed version; money at
each tenant's own price), so a tenant's row here equals the sum of its own
dashboard's months. Reads use ``Model.all_tenants`` in a fixed number of
queries (eight) however many tenants, meetings and papers there are; nothing
else in the project may read across tenants.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.access import VIEW
from documents.models import Paper, PaperUserObjectPermission, PaperVersion
from ecabinet.models import Tenant
from ecabinet.roles import Role
from meetings.models import AgendaItem, Meeting, Participant
from reports.measurement.selectors import (
    _day_bounds,
    _distributed_versions,
    _Distribution,
    _paper_totals,
    _percent,
    _planned_seconds,
    counting,
    meeting_of,
)
from reports.models import ReportSettings, SessionCount

# Resolution 17/NQ-CP: every province, and 80 % of districts, meet through the system.
TARGETS = {Tenant.Level.PROVINCE: 100, Tenant.Level.DISTRICT: 80}
# Defaults for a tenant that set no yardsticks (ReportSettings' own defaults).
_DEFAULT_SETTINGS = ReportSettings()

_QUARTER = re.compile(r"^(?P<year>[0-9]{4})-Q(?P<quarter>[1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    @property
    def code(self) -> str:
        """``2026-Q4``: how URLs and file names name a quarter."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return _("Q%(quarter)d %(year)d") % {"quarter": self.number, "year": self.year}

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, text: str | None) -> Quarter:
        """``2026-Q4`` → Quarter; empty → the current quarter; anything else → ValueError."""
        if not text:
            return cls.current()
        found = _QUARTER.match(text.strip())
        if found is None or not 2000 <= int(found["year"]) <= 2100:
            raise ValueError(text)
        return cls(int(found["year"]), int(found["quarter"]))


@dataclass
class TenantRow:
    """One tenant's quarter."""

    tenant_id: int
    name: str
    slug: str
    level: str
    level_label: str
    parent: str
    meetings_held: int = 0
    actual_minutes: float = 0.0
    # Only the held meetings that have a baseline are set against it.
    baseline_minutes: int = 0
    compared_minutes: float = 0.0
    saved_minutes: float | None = None
    saved_percent: float | None = None
    baseline_is_assumption: bool = False
    papers: int = 0
    pages: int = 0
    sheets: int = 0
    price_per_page: int = 0
    price_is_assumption: bool = True
    money: int = 0

    @property
    def held(self) -> bool:
        return self.meetings_held > 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "held": self.held}


@dataclass
class Share:
    """How many tenants of a level met through the system, against the target."""

    level: str
    label: str
    tenants: int
    held: int
    target_percent: int

    @property
    def percent(self) -> float | None:
        return _percent(self.held, self.tenants)

    @property
    def met(self) -> bool | None:
        return None if self.percent is None else self.percent >= self.target_percent

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "percent": self.percent, "met": self.met}


@dataclass
class NationalFigures:
    quarter: Quarter
    rows: list[TenantRow]
    shares: list[Share]
    totals: dict[str, Any] = field(default_factory=dict)


def _settings_by_tenant() -> dict[int, ReportSettings]:
    return {row.tenant_id: row for row in ReportSettings.all_tenants.all()}


def _distribution(meetings: list[Meeting]) -> _Distribution:
    """Who receives which paper version, across tenants; five queries.

    The same rules as ``reports.measurement`` (and
    ``documents.selectors.paper_readers``): every participant, except people
    not named on a paper kept to named people, and guests for the items they
    are not invited to.
    """
    found = _Distribution()
    by_id = {m.pk: m for m in meetings}
    if not by_id:
        return found
    papers = list(Paper.all_tenants.filter(meeting_id__in=by_id).order_by("meeting_id", "position", "id"))
    found.papers = {p.pk: p for p in papers}
    for person in Participant.all_tenants.filter(meeting_id__in=by_id).order_by("meeting_id", "id"):
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
        found.recipients[paper.pk] = {
            person.user_id
            for person in found.participants.get(meeting_of(paper), [])
            if not (paper.restricted and person.user_id not in named[paper.pk])
            and not (
                person.role == Role.GUEST
                and paper.item_id is not None
                and paper.item_id not in guest_items[person.pk]
            )
        }
    versions: dict[int, list[PaperVersion]] = defaultdict(list)
    for version in PaperVersion.all_tenants.filter(paper_id__in=found.papers).order_by("paper_id", "number"):
        versions[version.paper_id].append(version)
    for paper in papers:
        published_at = by_id[meeting_of(paper)].published_at
        found.distributed[paper.pk] = _distributed_versions(paper, versions[paper.pk], published_at)
    return found


def national_figures(quarter: Quarter) -> NationalFigures:
    """Every active tenant's quarter, the shares of provinces and districts, and the totals.

    Ten queries whatever the number of tenants, meetings and papers (fewer
    when the quarter has no published meeting or no paper).
    """
    tenants = list(Tenant.objects.filter(is_active=True).select_related("parent").order_by("level", "name"))
    yardsticks = _settings_by_tenant()
    low, high = _day_bounds(quarter.start, quarter.end)
    published = list(
        Meeting.all_tenants.filter(
            tenant__is_active=True,
            scheduled_start__gte=low,
            scheduled_start__lt=high,
            published_at__isnull=False,
        )
    )
    # What each tenant's secretariat said (a trial is left out of everything),
    # and what each agenda planned (a session far shorter is left out of the
    # time until it is confirmed), in two queries.
    ids = [m.pk for m in published]
    verdicts = dict(
        SessionCount.all_tenants.filter(meeting_id__in=ids).values_list("meeting_id", "verdict")
        if ids
        else []
    )
    agenda_minutes = dict(
        AgendaItem.all_tenants.filter(meeting_id__in=ids)
        .values("meeting_id")
        .annotate(minutes=Sum("planned_minutes"))
        .values_list("meeting_id", "minutes")
        if ids
        else []
    )
    meetings = [m for m in published if verdicts.get(m.pk) != SessionCount.Verdict.TRIAL]
    paper_totals = _paper_totals(meetings, _distribution(meetings))
    levels = dict(Tenant.Level.choices)
    rows: dict[int, TenantRow] = {}
    for tenant in tenants:
        settings_row = yardsticks.get(tenant.pk, _DEFAULT_SETTINGS)
        rows[tenant.pk] = TenantRow(
            tenant_id=tenant.pk,
            name=tenant.name,
            slug=tenant.slug,
            level=tenant.level,
            level_label=str(levels.get(tenant.level, tenant.level)),
            parent=tenant.parent.name if tenant.parent else "",
            price_per_page=settings_row.price_per_page,
            price_is_assumption=settings_row.price_is_assumption,
        )
    compared: dict[int, float] = defaultdict(float)
    for meeting in meetings:
        row = rows.get(meeting.tenant_id)
        if row is None:  # pragma: no cover - the query keeps active tenants only
            continue
        totals = paper_totals[meeting.pk]
        row.papers += totals["papers"]
        row.pages += totals["pages"]
        row.sheets += totals["sheets"]
        if meeting.status != Meeting.Status.CLOSED or meeting.started_at is None:
            continue
        seconds = meeting.clock_seconds()
        planned, _from = _planned_seconds(meeting, agenda_minutes.get(meeting.pk) or 0)
        if not counting(True, seconds, planned, verdicts.get(meeting.pk))["counted"]:
            continue
        row.meetings_held += 1
        row.actual_minutes += seconds / 60
        if meeting.baseline_minutes is not None:
            row.baseline_minutes += meeting.baseline_minutes
            compared[row.tenant_id] += seconds / 60
            row.baseline_is_assumption = row.baseline_is_assumption or meeting.baseline_is_assumption
    for row in rows.values():
        row.money = row.pages * row.price_per_page
        if row.baseline_minutes:
            row.compared_minutes = round(compared[row.tenant_id], 1)
            saved = row.baseline_minutes - compared[row.tenant_id]
            row.saved_minutes = round(saved, 1)
            row.saved_percent = _percent(saved, row.baseline_minutes)
        row.actual_minutes = round(row.actual_minutes, 1)
    ordered = list(rows.values())
    shares = [
        Share(
            level=level,
            label=str(levels[level]),
            tenants=sum(1 for r in ordered if r.level == level),
            held=sum(1 for r in ordered if r.level == level and r.held),
            target_percent=target,
        )
        for level, target in TARGETS.items()
    ]
    return NationalFigures(quarter=quarter, rows=ordered, shares=shares, totals=_totals(ordered))


def _totals(rows: list[TenantRow]) -> dict[str, Any]:
    baseline = sum(r.baseline_minutes for r in rows)
    compared = sum(r.compared_minutes for r in rows)
    saved = round(baseline - compared, 1) if baseline else None
    return {
        "tenants": len(rows),
        "tenants_held": sum(1 for r in rows if r.held),
        "meetings_held": sum(r.meetings_held for r in rows),
        "actual_minutes": round(sum(r.actual_minutes for r in rows), 1),
        "baseline_minutes": baseline,
        "compared_minutes": round(compared, 1),
        "saved_minutes": saved,
        "saved_percent": _percent(baseline - compared, baseline) if baseline else None,
        "baseline_is_assumption": any(r.baseline_is_assumption for r in rows if r.baseline_minutes),
        "papers": sum(r.papers for r in rows),
        "pages": sum(r.pages for r in rows),
        "sheets": sum(r.sheets for r in rows),
        "money": sum(r.money for r in rows),
        "price_is_assumption": any(r.price_is_assumption for r in rows if r.pages),
        "reams": math.ceil(sum(r.sheets for r in rows) / 500),
    }


# --- tables behind the charts, for CSV -------------------------------------------------


def tenant_table(figures: NationalFigures) -> tuple[list[str], list[list[Any]]]:
    """The per-tenant table (header, rows), as the page, the PDF and the CSV show it."""
    header = [
        _("Tenant"),
        _("Level"),
        _("Held a meeting through the system"),
        _("Meetings held"),
        _("Actual minutes"),
        _("Baseline minutes"),
        _("Minutes saved"),
        _("Time saved (%)"),
        _("Baseline is a demo assumption"),
        _("Pages saved"),
        _("Sheets saved"),
        _("Money saved (VND)"),
        _("Price is an assumption"),
    ]
    yes, no = _("yes"), _("no")
    body = [
        [
            r.name,
            r.level_label,
            yes if r.held else no,
            r.meetings_held,
            r.actual_minutes,
            r.baseline_minutes if r.baseline_minutes else "",
            "" if r.saved_minutes is None else r.saved_minutes,
            "" if r.saved_percent is None else r.saved_percent,
            yes if r.baseline_is_assumption else no,
            r.pages,
            r.sheets,
            r.money,
            yes if r.price_is_assumption else no,
        ]
        for r in figures.rows
    ]
    return header, body


def share_table(figures: NationalFigures) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Level"),
        _("Tenants"),
        _("Held a meeting through the system"),
        _("Share (%)"),
        _("Target (%)"),
    ]
    body = [
        [s.label, s.tenants, s.held, "" if s.percent is None else s.percent, s.target_percent]
        for s in figures.shares
    ]
    return header, body


__all__ = [
    "TARGETS",
    "NationalFigures",
    "Quarter",
    "Share",
    "TenantRow",
    "national_figures",
    "share_table",
    "tenant_table",
]
