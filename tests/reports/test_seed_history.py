"""seed_demo's year of past sessions: consistent timings, assumptions marked, every chart fed, idempotent."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from documents.models import Paper, PaperOpen
from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context
from meetings.models import AgendaItem, Meeting, SpeakRequest
from reports.measurement import tenant_series
from reports.models import ReportSettings
from reports.national import Quarter, national_figures
from voting.models import Slip

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


@pytest.fixture
def seeded(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    began = time.monotonic()
    call_command("seed_demo", "--quiet")
    return time.monotonic() - began


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


def test_a_year_of_monthly_sessions_with_consistent_timings(seeded: float) -> None:
    for slug in ("chinhphu", "hanoi", "danang"):
        tenant = Tenant.objects.get(slug=slug)
        with tenant_context(tenant):
            past = list(Meeting.objects.filter(status="closed").order_by("scheduled_start"))
            assert [m.title.rsplit(" ", 1)[1] for m in past] == [
                "12/2025",
                *(f"{n}/2026" for n in range(1, 12)),
            ]
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


def test_every_chart_has_a_year_to_show(seeded: float) -> None:
    tenant = Tenant.objects.get(slug="hanoi")
    months = tenant_series(tenant, start=date(2025, 12, 1), end=date(2026, 11, 30), by="month")
    assert len(months) == 12
    for period in months:
        assert period.meetings_held == 1
        assert period.saved_percent is not None and 0 < period.saved_percent < 100
        assert period.baseline_is_assumption and period.price_is_assumption
        assert period.pages > 0 and period.money == period.pages * 1500
        assert period.read_before_percent is not None
        assert period.slips_issued >= 1 and period.slips_on_time_percent is not None
    # members read more before the session, and meetings shorten, as the year goes on
    assert months[-1].read_before_percent > months[0].read_before_percent
    assert months[-1].saved_percent > months[0].saved_percent
    # and the national dashboard sees every demo tenant meeting in the quarter
    shares = {s.level: s for s in national_figures(Quarter(2026, 3)).shares}
    assert (shares["province"].held, shares["province"].tenants) == (2, 2)


def test_the_year_is_fast_and_written_once(seeded: float, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts()
    assert before["meetings"] == 3 * 13
    began = time.monotonic()
    call_command("seed_demo", "--quiet")
    again = time.monotonic() - began
    assert counts() == before
    print(f"seed_demo: first run {seeded:.1f} s, second run {again:.1f} s")
