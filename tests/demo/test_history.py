"""seed_demo's year of past sessions: consistent timings, assumptions marked, every chart fed, idempotent."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from documents.models import Paper, PaperOpen
from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context
from meetings.models import AgendaItem, Meeting, SpeakRequest
from reports.measurement.national import Quarter, national_figures
from reports.measurement.selectors import tenant_series
from reports.models import ReportSettings
from voting.models import Slip

pytestmark = pytest.mark.django_db

# The demo is placed from the moment it is loaded, so it is loaded here on the
# day this history was first written, in mid-year, on New Year's Day 2030, an
# hour into a session day, and on whatever day the suite runs (CI runs it a
# year and more ahead).
LOADED_AT = {
    "27-11-2026": datetime(2026, 11, 27, 3, 0, tzinfo=UTC),
    "30-06-2027": datetime(2027, 6, 30, 3, 0, tzinfo=UTC),
    "01-01-2030": datetime(2030, 1, 1, 3, 0, tzinfo=UTC),
    "03-12-2026-09h": datetime(2026, 12, 3, 2, 0, tzinfo=UTC),  # the December session's day, 09:00
    "today": None,
}
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Seeded:
    now: datetime
    seconds: float


@pytest.fixture(params=list(LOADED_AT.values()), ids=list(LOADED_AT))
def seeded(request: pytest.FixtureRequest, time_machine: time_machine.TimeMachineFixture) -> Seeded:
    if request.param is not None:
        time_machine.move_to(request.param, tick=False)
    began = time.monotonic()
    call_command("seed_demo", "--quiet")
    return Seeded(now=timezone.now(), seconds=time.monotonic() - began)


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def months(first: int, last: int) -> list[tuple[int, int]]:
    """(month, year) from index ``first`` to ``last``, both included."""
    return [(i % 12 + 1, i // 12) for i in range(first, last + 1)]


def month_end(month: int, year: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def counts() -> dict[str, int]:
    return {
        "meetings": Meeting.all_tenants.count(),
        "items": AgendaItem.all_tenants.count(),
        "speeches": SpeakRequest.all_tenants.count(),
        "papers": Paper.all_tenants.count(),
        "opens": PaperOpen.all_tenants.count(),
        "slips": Slip.all_tenants.count(),
        "settings": ReportSettings.all_tenants.count(),
    }


def test_the_demo_has_a_session_ahead_and_a_year_behind_it_on_any_day(seeded: Seeded) -> None:
    now = seeded.now
    for slug in ("chinhphu", "hanoi", "danang"):
        tenant = Tenant.objects.get(slug=slug)
        with tenant_context(tenant):
            # the next regular session: published, not begun, today at the soonest (on the
            # session's day it is the day's session, even after 08:00), next month at the latest
            upcoming = Meeting.objects.exclude(status="closed").get()
            start = upcoming.scheduled_start.astimezone(HANOI)
            assert upcoming.status == "published" and upcoming.started_at is None
            assert start.date() >= now.astimezone(HANOI).date()
            assert upcoming.scheduled_start < now + timedelta(days=36)
            assert (start.hour, start.minute) == (8, 0) and 3 <= start.day <= 5 and start.weekday() < 5
            assert upcoming.title.endswith(f" {start.month}/{start.year}")
            # the twelve monthly sessions before it, closed, the last one already over
            past = list(Meeting.objects.filter(status="closed").order_by("scheduled_start"))
            ahead = month_index(start.year, start.month)
            expected = months(ahead - 12, ahead - 1)
            assert [m.title.rsplit(" ", 1)[1] for m in past] == [f"{m}/{y}" for m, y in expected]
            assert past[-1].ended_at < now
            for meeting in past:
                items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
                assert len(items) >= 6 and all(i.status == "concluded" and i.conclusion for i in items)
                assert meeting.published_at < meeting.scheduled_start <= meeting.started_at
                assert meeting.elapsed_seconds == (meeting.ended_at - meeting.started_at).total_seconds()
                assert sum(i.elapsed_seconds for i in items) < meeting.elapsed_seconds
                assert all(
                    meeting.started_at <= i.first_opened_at < i.closed_at <= meeting.ended_at for i in items
                )
                for a, b in itertools.pairwise(items):
                    assert a.closed_at <= b.first_opened_at
                for r in SpeakRequest.objects.filter(item__meeting=meeting).select_related("item"):
                    assert r.status == "done" and r.spoken_seconds > 0
                    assert r.item.first_opened_at <= r.started_at < r.ended_at <= r.item.closed_at
                # the baseline is the tenant's assumed one, and is said to be so
                assert (
                    meeting.baseline_is_assumption and meeting.baseline_source == "Giả định cho dữ liệu mẫu"
                )
                assert meeting.elapsed_seconds < meeting.baseline_minutes * 60
                papers = Paper.objects.filter(meeting=meeting).select_related("current_version")
                assert papers and all(p.current_version.page_count == p.page_count > 0 for p in papers)
                assert all(p.current_version.uploaded_at < meeting.published_at for p in papers)
            price = ReportSettings.objects.get()
            assert (price.price_is_assumption, price.price_source) == (True, "Giả định cho dữ liệu mẫu")

    # every chart of the dashboard has the year to show
    (first_month, first_year), (last_month, last_year) = expected[0], expected[-1]
    series = tenant_series(
        Tenant.objects.get(slug="hanoi"),
        start=date(first_year, first_month, 1),
        end=month_end(last_month, last_year),
        by="month",
    )
    assert len(series) == 12
    for period in series:
        assert period.meetings_held == 1
        assert period.saved_percent is not None and 0 < period.saved_percent < 100
        assert period.baseline_is_assumption and period.price_is_assumption
        assert period.pages > 0 and period.money == period.pages * 1500
        assert period.read_before_percent is not None
        assert period.slips_issued >= 1 and period.slips_on_time_percent is not None
    # members read more before the session, and meetings shorten, as the year goes on
    assert series[-1].read_before_percent > series[0].read_before_percent
    assert series[-1].saved_percent > series[0].saved_percent
    # and the national dashboard sees every demo tenant meeting in the last session's quarter
    shares = {s.level: s for s in national_figures(Quarter(last_year, (last_month - 1) // 3 + 1)).shares}
    assert (shares["province"].held, shares["province"].tenants) == (2, 2)


@pytest.mark.parametrize("seeded", [None], indirect=True, ids=["today"])
def test_the_year_is_fast_and_written_once(seeded: Seeded) -> None:
    before = counts()
    assert before["meetings"] == 3 * 13
    began = time.monotonic()
    call_command("seed_demo", "--quiet")
    again = time.monotonic() - began
    assert counts() == before
    print(f"seed_demo: first run {seeded.seconds:.1f} s, second run {again:.1f} s")
