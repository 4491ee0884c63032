"""The national dashboard: only national administrators; shares and savings exact; fixed queries."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents.actions import do_upload_paper
from ecabinet.actions import do_create_tenant
from ecabinet.models import Tenant, User
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_item, do_create_meeting, do_publish_meeting
from meetings.models import Meeting
from reports.measurement.national import Quarter, national_figures
from reports.measurement.selectors import tenant_series
from reports.models import ReportSettings
from tests.clock import held_before_the_december_2026_session
from tests.conftest import World
from tests.documents.conftest import pdf_upload

# Q4 2026 is the quarter of the world's session: the clock is held before it.
pytestmark = [pytest.mark.django_db, held_before_the_december_2026_session]

Q4 = Quarter(2026, 4)
URLS = [
    "/reports/national/?quarter=2026-Q4",
    "/reports/national/tenants.csv?quarter=2026-Q4",
    "/reports/national/shares.csv?quarter=2026-Q4",
    "/reports/national/report.pdf?quarter=2026-Q4",
    "/reports/national/hanoi/report.pdf?quarter=2026-Q4",
]


def hold(meeting: Meeting, *, minutes: int, baseline: int | None) -> None:
    """Record a meeting as held, with a known clock, as the session's actions leave it."""
    started = meeting.scheduled_start + timedelta(minutes=5)
    Meeting.all_tenants.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED,
        started_at=started,
        ended_at=started + timedelta(minutes=minutes),
        elapsed_seconds=minutes * 60,
        running_since=None,
        baseline_minutes=baseline,
        baseline_is_assumption=False,
    )


def district(parent: World, slug: str) -> Tenant:
    return do_create_tenant(
        slug=slug, name=f"UBND quận {slug}", level=Tenant.Level.DISTRICT, parent=parent.tenant
    )


def meeting_of(tenant: Tenant, secretary: User, when: datetime) -> Meeting:
    with tenant_context(tenant):
        meeting = do_create_meeting(
            tenant=tenant, title="Phiên họp", scheduled_start=when, acting_user=secretary
        )
        do_add_item(meeting, title="Báo cáo", planned_minutes=30, acting_user=secretary)
        return do_publish_meeting(meeting, acting_user=secretary)


@pytest.mark.parametrize("url", URLS)
def test_refused_to_everyone_but_national_administrators(
    hanoi: World, danang: World, national_admin: User, url: str, settings
) -> None:
    settings.ECABINET_DEFAULT_TENANT = "danang"  # what the bare host serves
    for user in (hanoi.chair, hanoi.secretary, hanoi.member, hanoi.observer):
        assert hanoi.client(user).get(url).status_code == 404, user
    # an account of another tenant is a stranger at Hà Nội's host: the login page
    response = hanoi.client(danang.secretary).get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client(HTTP_HOST="localhost").get(url).status_code == 302
    bare_member = Client(HTTP_HOST="localhost")
    bare_member.force_login(danang.chair)
    assert bare_member.get(url).status_code == 404
    # a national administrator, at a tenant's host or at the bare host
    assert hanoi.client(national_admin).get(url).status_code == 200
    bare = Client(HTTP_HOST="localhost")
    bare.force_login(national_admin)
    assert bare.get(url).status_code == 200


def test_a_malformed_quarter_is_a_clear_400(hanoi: World, national_admin: User) -> None:
    client = hanoi.client(national_admin)
    for bad in ("2026-Q5", "Q4", "2026-4", "x" * 300):
        assert client.get(f"/reports/national/?quarter={bad}").status_code == 400
    assert client.get("/reports/national/nowhere/report.pdf?quarter=2026-Q4").status_code == 404


def test_shares_of_provinces_and_districts_against_the_targets(hanoi: World, danang: World) -> None:
    # given: two provinces, Hà Nội's two districts, and a merged (inactive) one
    d1, d2 = district(hanoi, "badinh"), district(hanoi, "hoankiem")
    old = district(hanoi, "quancu")
    Tenant.objects.filter(pk=old.pk).update(is_active=False, merged_into=d1)
    hold(hanoi.meeting, minutes=60, baseline=180)
    d1_meeting = meeting_of(d1, hanoi.secretary, datetime(2026, 10, 5, 1, 0, tzinfo=UTC))
    hold(d1_meeting, minutes=90, baseline=None)
    # a meeting held in the quarter before does not count
    d2_meeting = meeting_of(d2, hanoi.secretary, datetime(2026, 9, 30, 1, 0, tzinfo=UTC))
    hold(d2_meeting, minutes=45, baseline=None)

    # when
    figures = national_figures(Q4)

    # then
    shares = {s.level: s for s in figures.shares}
    assert (shares["province"].tenants, shares["province"].held, shares["province"].percent) == (2, 1, 50.0)
    assert shares["province"].target_percent == 100 and shares["province"].met is False
    assert (shares["district"].tenants, shares["district"].held, shares["district"].percent) == (2, 1, 50.0)
    assert shares["district"].target_percent == 80 and shares["district"].met is False
    held = {r.slug: r.held for r in figures.rows}
    assert held == {"hanoi": True, "danang": False, "badinh": True, "hoankiem": False}
    # the quarter before: only Hoàn Kiếm
    before = {s.level: s for s in national_figures(Q4.previous()).shares}
    assert (before["district"].held, before["district"].percent, before["district"].met) == (1, 50.0, False)
    # Đà Nẵng holds its meeting: every province
    hold(danang.meeting, minutes=100, baseline=200)
    shares = {s.level: s for s in national_figures(Q4).shares}
    assert (shares["province"].percent, shares["province"].met) == (100.0, True)


def test_time_and_paper_saved_per_tenant_and_in_total(hanoi: World, danang: World) -> None:
    # given: Hà Nội 60 min against 180; Đà Nẵng 150 min against 200 at its own price
    with tenant_context(hanoi.tenant):
        # item 0: chair, vice-chair, member, observer receive it (the guest only item 1)
        do_upload_paper(
            hanoi.meeting,
            upload=pdf_upload(pages=5),
            title="Tờ trình",
            item=hanoi.items[0],
            acting_user=hanoi.secretary,
        )
        # item 1: the guest too
        do_upload_paper(
            hanoi.meeting,
            upload=pdf_upload(pages=3),
            title="Báo cáo",
            item=hanoi.items[1],
            acting_user=hanoi.secretary,
        )
    with tenant_context(danang.tenant):
        ReportSettings.objects.create(tenant=danang.tenant, price_per_page=1500, price_is_assumption=False)
        do_upload_paper(
            danang.meeting,
            upload=pdf_upload(pages=4),
            title="Tờ trình",
            item=None,
            acting_user=danang.secretary,
        )
    hold(hanoi.meeting, minutes=60, baseline=180)
    hold(danang.meeting, minutes=150, baseline=200)

    # when
    figures = national_figures(Q4)

    # then
    rows = {r.slug: r for r in figures.rows}
    hn, dn = rows["hanoi"], rows["danang"]
    assert (hn.meetings_held, hn.actual_minutes, hn.baseline_minutes) == (1, 60.0, 180)
    assert (hn.saved_minutes, hn.saved_percent) == (120.0, 66.7)
    assert (hn.pages, hn.sheets) == (5 * 4 + 3 * 5, 3 * 4 + 2 * 5)
    assert (hn.money, hn.price_is_assumption) == (35 * 1000, True)
    assert (dn.saved_minutes, dn.saved_percent) == (50.0, 25.0)
    assert (dn.pages, dn.sheets, dn.money, dn.price_is_assumption) == (4 * 5, 2 * 5, 20 * 1500, False)
    totals = figures.totals
    assert (totals["meetings_held"], totals["baseline_minutes"], totals["compared_minutes"]) == (
        2,
        380,
        210.0,
    )
    assert (totals["saved_minutes"], totals["saved_percent"]) == (170.0, 44.7)
    assert (totals["pages"], totals["sheets"], totals["money"]) == (55, 32, 35000 + 30000)
    # each tenant's row is its own dashboard's quarter
    for world in (hanoi, danang):
        (quarter,) = tenant_series(world.tenant, start=Q4.start, end=Q4.end, by="quarter")
        row = rows[world.tenant.slug]
        assert (row.meetings_held, row.actual_minutes, row.baseline_minutes, row.saved_percent) == (
            quarter.meetings_held,
            quarter.actual_minutes,
            quarter.baseline_minutes,
            quarter.saved_percent,
        )
        assert (row.pages, row.sheets, row.money) == (quarter.pages, quarter.sheets, quarter.money)


def _count(call) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_fixed_number_of_queries_however_many_tenants_and_meetings(
    hanoi: World, danang: World, national_admin: User, django_assert_num_queries
) -> None:
    with tenant_context(hanoi.tenant):
        do_upload_paper(
            hanoi.meeting, upload=pdf_upload(pages=2), title="Báo cáo", acting_user=hanoi.secretary
        )
    hold(hanoi.meeting, minutes=60, baseline=180)
    client = hanoi.client(national_admin)
    with django_assert_num_queries(10):
        national_figures(Q4)
    page = _count(lambda: client.get("/reports/national/?quarter=2026-Q4"))
    csv_count = _count(lambda: client.get("/reports/national/tenants.csv?quarter=2026-Q4"))
    # more tenants, meetings and papers
    for n in range(3):
        d = district(hanoi, f"quan{n}")
        for day in (2, 9):
            m = meeting_of(d, hanoi.secretary, datetime(2026, 11, day, 1, 0, tzinfo=UTC))
            with tenant_context(d):
                do_upload_paper(m, upload=pdf_upload(pages=2), title="Báo cáo", acting_user=hanoi.secretary)
            hold(m, minutes=30, baseline=60)
    with django_assert_num_queries(10):
        figures = national_figures(Q4)
    assert (figures.totals["meetings_held"], figures.totals["papers"]) == (7, 7)
    assert _count(lambda: client.get("/reports/national/?quarter=2026-Q4")) == page
    assert _count(lambda: client.get("/reports/national/tenants.csv?quarter=2026-Q4")) == csv_count


def test_the_csv_is_the_table_of_the_page(hanoi: World, danang: World, national_admin: User) -> None:
    hold(hanoi.meeting, minutes=60, baseline=180)
    client = hanoi.client(national_admin)
    response = client.get("/reports/national/tenants.csv?quarter=2026-Q4", HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 2
    by_name = {row[0]: row for row in rows[1:]}
    hn = by_name["UBND thành phố Hà Nội"]
    assert hn[3:8] == ["1", "60.0", "180", "120.0", "66.7"]
    assert by_name["UBND thành phố Đà Nẵng"][3] == "0"
    shares = list(
        csv.reader(
            io.StringIO(
                client.get("/reports/national/shares.csv?quarter=2026-Q4").content.decode("utf-8-sig")
            )
        )
    )
    assert shares[1][1:] == ["2", "1", "50.0", "100"]
    # the page shows the same
    page = client.get("/reports/national/?quarter=2026-Q4").content.decode()
    assert 'data-tenant="hanoi"' in page and "66,7" in page


def test_the_home_page_links_national_administrators_to_the_dashboard(
    hanoi: World, national_admin: User
) -> None:
    assert 'id="national-link"' in hanoi.client(national_admin).get("/").content.decode()
    assert 'id="national-link"' not in hanoi.client(hanoi.secretary).get("/").content.decode()


def test_the_api_gives_the_same_figures_to_national_administrators_only(
    hanoi: World, danang: World, national_admin: User
) -> None:
    hold(hanoi.meeting, minutes=60, baseline=180)
    url = "/api/v1/reports/national/?quarter=2026-Q4"
    for user in (hanoi.chair, hanoi.secretary, hanoi.member):
        response = hanoi.client(user).get(url)
        assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert hanoi.client().get(url).status_code == 401
    client = hanoi.client(national_admin)
    assert client.get("/api/v1/reports/national/?quarter=2026-Q9").status_code == 400
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert (body["quarter"], body["start"], body["end"]) == ("2026-Q4", "2026-10-01", "2026-12-31")
    rows = {row["slug"]: row for row in body["tenants"]}
    assert (rows["hanoi"]["held"], rows["hanoi"]["saved_percent"], rows["danang"]["held"]) == (
        True,
        66.7,
        False,
    )
    province = next(s for s in body["shares"] if s["level"] == "province")
    assert (province["percent"], province["target_percent"], province["met"]) == (50.0, 100, False)
    assert body["totals"]["meetings_held"] == 1
