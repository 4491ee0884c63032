"""Time, paper, reading and slip figures, computed exactly from a session run
through the real actions on a clock the test sets, minute by minute."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.access import access_paper
from documents.actions import do_replace_paper, do_upload_paper, do_withdraw_paper
from documents.models import Paper
from documents.serving import signed_link
from ecabinet.tenancy import tenant_context
from meetings.actions import (
    do_add_item,
    do_add_participant,
    do_adjourn_meeting,
    do_close_meeting,
    do_conclude_item,
    do_create_meeting,
    do_open_item,
    do_publish_meeting,
    do_resume_meeting,
    do_start_meeting,
    do_update_meeting,
)
from meetings.models import Meeting, Participant
from reports.measurement import selectors as measurement
from reports.models import ReportSettings
from tests.clock import NOV_27_2026, Clock, held_before_the_december_2026_session, session_start
from tests.conftest import World
from tests.documents.conftest import make_pdf, pdf_upload
from voting.actions import (
    do_adopt_consent_list,
    do_answer_slip,
    do_cast_vote,
    do_close_ballot,
    do_close_slip,
    do_give_position,
    do_issue_slip,
    do_open_ballot,
)
from voting.models import Position

# These figures are about named months (December 2026 and the months before
# it): the clock is held on 27 November 2026, so the world's session falls on
# 1 December 2026 at 08:00.
T0 = session_start(NOV_27_2026)
assert datetime(2026, 12, 1, 1, 0, tzinfo=UTC) == T0

pytestmark = [pytest.mark.django_db, held_before_the_december_2026_session]


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def person(world: World, user: Any) -> Participant:
    return Participant.objects.get(meeting=world.meeting, user=user)


def open_paper(world: World, user: Any, paper: Paper) -> None:
    """Open the paper as a tablet does: through the signed link to the reader's stamped copy."""
    with tenant_context(world.tenant):
        link = signed_link(access_paper(user, paper.pk))
    response = world.client(user).get(link)
    assert response.status_code == 200
    b"".join(response.streaming_content)


def upload(world: World, *, title: str, pages: int, item: int | None, **kwargs: Any) -> Paper:
    return do_upload_paper(
        world.meeting,
        upload=pdf_upload(pages=pages),
        title=title,
        item=world.items[item] if item is not None else None,
        acting_user=world.secretary,
        **kwargs,
    )


def run_session(world: World, clock: Clock) -> Meeting:
    """Hà Nội's session with known timings.

    Baseline 180 min. Item 1 (planned 30): 40 min. Item 2 (planned 20): 15 min,
    with a ballot of 3 min. Adjourned 30 min (not counted). Item 3 (planned 15):
    adopted on the consent list. Meeting clock: 40 + 15 + 5 = 60 min.
    """
    meeting = world.meeting
    Meeting.objects.filter(pk=meeting.pk).update(baseline_minutes=180, baseline_source="đo năm 2018")
    meeting.refresh_from_db()
    clock.at(T0 - timedelta(days=2))
    for user in (world.chair, world.vice_chair, world.member):
        do_give_position(world.items[2], participant=person(world, user), kind=Position.Kind.NO_OBJECTION)
    clock.at(T0)
    meeting = do_start_meeting(meeting, acting_user=world.chair)
    do_open_item(meeting, item=world.items[0], acting_user=world.chair)
    clock.at(T0 + minutes(40))
    do_conclude_item(meeting, conclusion="Thống nhất thông qua.", acting_user=world.chair)
    do_open_item(meeting, item=world.items[1], acting_user=world.chair)
    clock.at(T0 + minutes(50))
    ballot = do_open_ballot(meeting, acting_user=world.chair)
    for user in (world.chair, world.member):
        do_cast_vote(ballot, participant=person(world, user), option=ballot.options[0]["key"])
    clock.at(T0 + minutes(53))
    do_close_ballot(ballot, acting_user=world.chair)
    clock.at(T0 + minutes(55))
    do_conclude_item(meeting, conclusion="Giao Văn phòng hoàn thiện.", acting_user=world.chair)
    do_adjourn_meeting(meeting, acting_user=world.chair)
    clock.at(T0 + minutes(85))
    do_resume_meeting(meeting, acting_user=world.chair)
    clock.at(T0 + minutes(86))
    do_adopt_consent_list(meeting, acting_user=world.chair)
    clock.at(T0 + minutes(90))
    meeting = do_close_meeting(meeting, acting_user=world.chair)
    meeting.refresh_from_db()
    return meeting


def test_meeting_figures_are_exact(in_hanoi: World, clock: Clock) -> None:
    # given
    meeting = run_session(in_hanoi, clock)

    # when
    got = measurement.meeting_figures(meeting)

    # then: the meeting's own clock, paused time not counted
    assert got["held"] is True
    assert got["actual_seconds"] == 60 * 60
    assert got["actual_minutes"] == 60.0
    assert got["planned_from"] == "agenda"
    assert got["planned_minutes"] == 65.0
    assert got["vs_planned_minutes"] == -5.0
    assert got["baseline_minutes"] == 180
    assert got["baseline_is_assumption"] is False
    assert got["saved_minutes"] == 120.0
    assert got["saved_percent"] == pytest.approx(66.7)
    items = {row["position"]: row for row in got["items"]}
    first, second, third = (items[i.position] for i in in_hanoi.items)
    assert (first["planned_minutes"], first["actual_seconds"], first["overrun_seconds"]) == (30, 2400, 600)
    assert first["over"] is True and first["overrun_minutes"] == 10.0
    assert (second["planned_minutes"], second["actual_seconds"], second["overrun_seconds"]) == (20, 900, 0)
    assert second["over"] is False
    assert third["by_consent"] is True and third["actual_seconds"] == 0
    assert got["items_over"] == 1
    assert got["consent_items"] == 1
    assert got["consent_saved_minutes"] == 15
    assert got["ballots"] == 1
    assert got["voting_seconds"] == 180
    assert got["voting_minutes"] == 3.0


def test_planned_time_follows_the_planned_end_when_set(in_hanoi: World, clock: Clock) -> None:
    # given: the secretariat planned the morning until 10:30 local time
    do_update_meeting(
        in_hanoi.meeting, changes={"planned_end": T0 + minutes(150)}, acting_user=in_hanoi.secretary
    )
    meeting = run_session(in_hanoi, clock)

    # when
    got = measurement.meeting_figures(meeting)

    # then
    assert got["planned_from"] == "schedule"
    assert got["planned_minutes"] == 150.0
    assert got["agenda_planned_minutes"] == 65
    assert got["vs_planned_minutes"] == -90.0


def test_a_meeting_without_baseline_has_no_saving(in_hanoi: World) -> None:
    got = measurement.meeting_figures(in_hanoi.meeting)
    assert got["held"] is False
    assert got["actual_seconds"] == 0
    assert got["saved_minutes"] is None and got["saved_percent"] is None


def papers_of_the_session(world: World, clock: Clock) -> dict[str, Paper]:
    """A (item 1, 3 pages), B (item 2, 5 pages then 4), C (restricted to the member, 2 pages),
    D withdrawn before anyone could have printed a second version (7 pages)."""
    clock.at(T0 - timedelta(days=2))
    a = upload(world, title="A", pages=3, item=0)
    b = upload(world, title="B", pages=5, item=1)
    c = upload(world, title="C", pages=2, item=None, restricted=True, recipients=[world.member])
    d = upload(world, title="D", pages=7, item=2)
    clock.at(T0 - timedelta(days=1))
    do_replace_paper(
        b, upload=pdf_upload(make_pdf(4)), change_note="Sửa số liệu", acting_user=world.secretary
    )
    do_withdraw_paper(d, acting_user=world.secretary)
    return {"A": a, "B": b, "C": c, "D": d}


def test_paper_figures_are_exact(in_hanoi: World, clock: Clock) -> None:
    # given: recipients — items 1 and 3: chair, vice-chair, member, observer (4);
    # item 2 also the guest (5); C only the member. The secretariat is no participant.
    papers_of_the_session(in_hanoi, clock)
    ReportSettings.objects.create(tenant=in_hanoi.tenant, price_per_page=1500, price_is_assumption=False)

    # when
    got = measurement.paper_figures(in_hanoi.tenant, date(2026, 12, 1), date(2026, 12, 31))

    # then: A 3×4; B v1 5×5 and v2 4×5; C 2×1; D (withdrawn, one version) 7×4
    assert got["pages"] == 12 + 25 + 20 + 2 + 28
    assert got["sheets"] == 2 * 4 + 3 * 5 + 2 * 5 + 1 * 1 + 4 * 4
    assert got["versions"] == 5
    assert got["papers"] == 4
    assert got["money"] == 87 * 1500
    assert got["price_is_assumption"] is False
    rows = {(row["title"], row["version"]): (row["recipients"], row["pages"]) for row in got["rows"]}
    assert rows[("B", 2)] == (5, 20)
    assert rows[("C", 1)] == (1, 2)


def test_paper_figures_keep_to_the_period_and_the_tenant(
    in_hanoi: World, danang: World, clock: Clock
) -> None:
    # given: papers in Hà Nội in December, and in Đà Nẵng too
    papers_of_the_session(in_hanoi, clock)
    with tenant_context(danang.tenant):
        upload(danang, title="Đà Nẵng", pages=50, item=0)

    # then: November holds nothing; Đà Nẵng's pages are Đà Nẵng's alone
    assert measurement.paper_figures(in_hanoi.tenant, date(2026, 11, 1), date(2026, 11, 30))["pages"] == 0
    assert measurement.paper_figures(danang.tenant, date(2026, 12, 1), date(2026, 12, 1))["pages"] == 50 * 4
    # the demo default price is an assumption until the tenant sets one
    default = measurement.paper_figures(in_hanoi.tenant, date(2026, 12, 1), date(2026, 12, 1))
    assert default["price_is_assumption"] is True
    assert default["money"] == default["pages"] * 1000


def test_a_version_replaced_before_publishing_was_never_printed(hanoi: World, clock: Clock) -> None:
    # given: a draft meeting whose paper is replaced before it is published
    with tenant_context(hanoi.tenant):
        clock.at(T0 - timedelta(days=10))
        meeting = do_create_meeting(
            tenant=hanoi.tenant,
            title="Phiên chuyên đề",
            scheduled_start=T0 + timedelta(days=5),
            acting_user=hanoi.secretary,
        )
        do_add_item(meeting, title="Nội dung", planned_minutes=20, acting_user=hanoi.secretary)
        for user in (hanoi.chair, hanoi.member):
            do_add_participant(meeting, user=user, role="member", acting_user=hanoi.secretary)
        paper = do_upload_paper(meeting, upload=pdf_upload(pages=9), title="X", acting_user=hanoi.secretary)
        clock.at(T0 - timedelta(days=9))
        do_replace_paper(paper, upload=pdf_upload(make_pdf(6)), acting_user=hanoi.secretary)
        clock.at(T0 - timedelta(days=8))
        do_publish_meeting(meeting, acting_user=hanoi.secretary)
        clock.at(T0 - timedelta(days=7))
        do_replace_paper(paper, upload=pdf_upload(make_pdf(5)), acting_user=hanoi.secretary)

    # when
    got = measurement.paper_figures(hanoi.tenant, date(2026, 12, 6), date(2026, 12, 6))

    # then: version 2 (current at publishing) and version 3, to two people; never version 1
    assert sorted((r["version"], r["pages"]) for r in got["rows"]) == [(2, 12), (3, 10)]


def test_reading_before_the_session(in_hanoi: World, clock: Clock) -> None:
    # given
    papers = papers_of_the_session(in_hanoi, clock)
    clock.at(T0 - timedelta(hours=12))
    open_paper(in_hanoi, in_hanoi.member, papers["A"])
    open_paper(in_hanoi, in_hanoi.member, papers["C"])
    open_paper(in_hanoi, in_hanoi.chair, papers["B"])
    open_paper(in_hanoi, in_hanoi.guest, papers["B"])  # a guest is no member: not counted
    meeting = run_session(in_hanoi, clock)
    clock.at(T0 + minutes(10))  # during the session: too late to count
    # (run_session has already moved on; an open stamped now is still after the start)
    open_paper(in_hanoi, in_hanoi.vice_chair, papers["A"])

    # when
    rows = {row["user_id"]: row for row in measurement.reading_figures(meeting)}

    # then: members only; A, B for everyone (D was withdrawn), C for the member
    assert set(rows) == {in_hanoi.chair.pk, in_hanoi.vice_chair.pk, in_hanoi.member.pk}
    member = rows[in_hanoi.member.pk]
    assert (member["papers"], member["opened_before"], member["percent"]) == (3, 2, 66.7)
    assert (rows[in_hanoi.chair.pk]["papers"], rows[in_hanoi.chair.pk]["opened_before"]) == (2, 1)
    assert rows[in_hanoi.chair.pk]["percent"] == 50.0
    assert rows[in_hanoi.vice_chair.pk]["opened_before"] == 0
    assert rows[in_hanoi.vice_chair.pk]["percent"] == 0.0
    assert member["name"] == in_hanoi.member.full_name


def issue_slips(world: World, clock: Clock) -> None:
    """Two slips in December: one answered by 2 of 3 and passed; one nobody answered."""
    clock.at(T0 + timedelta(days=2))
    asked = [world.chair, world.vice_chair, world.member]
    first = do_issue_slip(
        tenant=world.tenant,
        question="Thông qua dự thảo?",
        deadline=clock.now + timedelta(days=2),
        recipients=asked,
        acting_user=world.secretary,
    )
    second = do_issue_slip(
        tenant=world.tenant,
        question="Ý kiến về đề án?",
        deadline=clock.now + timedelta(days=2),
        recipients=asked,
        acting_user=world.secretary,
    )
    clock.at(T0 + timedelta(days=3))
    do_answer_slip(first, user=world.chair, choice="agree")
    do_answer_slip(first, user=world.member, choice="agree")
    clock.at(T0 + timedelta(days=5))
    do_close_slip(first, acting_user=None)
    do_close_slip(second, acting_user=None)


def test_tenant_series_by_month_and_quarter(in_hanoi: World, danang: World, clock: Clock) -> None:
    # given: the session of 1 December with its papers and reading, two slips
    papers = papers_of_the_session(in_hanoi, clock)
    clock.at(T0 - timedelta(hours=12))
    open_paper(in_hanoi, in_hanoi.member, papers["A"])
    run_session(in_hanoi, clock)
    issue_slips(in_hanoi, clock)
    ReportSettings.objects.create(
        tenant=in_hanoi.tenant, price_per_page=2000, price_is_assumption=False, target_low_percent=35
    )

    # when
    months = measurement.tenant_series(in_hanoi.tenant, start=date(2026, 10, 15), end=date(2026, 12, 31))
    quarters = measurement.tenant_series(
        in_hanoi.tenant, start=date(2026, 1, 1), end=date(2026, 12, 31), by="quarter"
    )

    # then
    assert [p.label for p in months] == ["10/2026", "11/2026", "12/2026"]
    assert months[0].start == date(2026, 10, 15) and months[0].end == date(2026, 10, 31)
    assert [p.meetings_held for p in months] == [0, 0, 1]
    december = months[2]
    assert december.actual_minutes == 60.0
    assert december.baseline_minutes == 180
    assert december.saved_minutes == 120.0
    assert december.saved_percent == pytest.approx(66.7)
    assert (december.target_low_percent, december.target_high_percent) == (35, 50)
    assert december.on_target is True
    assert december.pages == 87 and december.money == 87 * 2000
    assert december.consent_saved_minutes == 15
    assert december.voting_minutes == 3.0
    # members received A, B (chair, vice-chair, member) and C (member): 7; one read before
    assert (december.papers_received, december.papers_read_before) == (7, 1)
    assert december.read_before_percent == pytest.approx(14.3)
    assert december.slips_issued == 2
    assert (december.slip_answers_asked, december.slip_answers_on_time) == (6, 2)
    assert december.slips_on_time_percent == pytest.approx(33.3)
    assert december.slips_replacing_meeting == 1
    assert months[1].saved_percent is None and months[1].on_target is None
    assert [p.label for p in quarters] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"] or [
        p.label for p in quarters
    ] == ["Quý 1/2026", "Quý 2/2026", "Quý 3/2026", "Quý 4/2026"]
    assert quarters[3].pages == 87 and quarters[3].meetings_held == 1
    assert sum(p.pages for p in quarters[:3]) == 0
    # Đà Nẵng's series holds none of it
    assert all(
        p.meetings_held == 0 and p.pages == 0
        for p in measurement.tenant_series(danang.tenant, start=date(2026, 12, 1), end=date(2026, 12, 31))
    )


def make_held_meetings(world: World, clock: Clock, count: int, *, first_day: int) -> None:
    for n in range(count):
        start = datetime(2026, 10, first_day + n, 1, 0, tzinfo=UTC)
        clock.at(start - timedelta(days=2))
        meeting = do_create_meeting(
            tenant=world.tenant,
            title=f"Phiên họp {first_day + n}",
            scheduled_start=start,
            acting_user=world.secretary,
        )
        do_add_item(meeting, title="Nội dung", planned_minutes=20, acting_user=world.secretary)
        do_add_participant(meeting, user=world.member, role="member", acting_user=world.secretary)
        do_add_participant(meeting, user=world.chair, role="chair", acting_user=world.secretary)
        do_publish_meeting(meeting, acting_user=world.secretary)
        do_upload_paper(meeting, upload=pdf_upload(pages=2), title="Tờ trình", acting_user=world.secretary)
        clock.at(start)
        meeting = do_start_meeting(meeting, acting_user=world.chair)
        do_open_item(meeting, item=None, acting_user=world.chair)
        clock.at(start + minutes(25))
        do_conclude_item(meeting, conclusion="Đồng ý.", acting_user=world.chair)
        do_close_meeting(meeting, acting_user=world.chair)


def count_queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_meetings(in_hanoi: World, clock: Clock) -> None:
    # given: two held meetings, counted; then five more
    make_held_meetings(in_hanoi, clock, 2, first_day=1)
    tenant = in_hanoi.tenant
    span = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}

    def series() -> Any:
        return measurement.tenant_series(tenant, **span)

    def table() -> Any:
        return measurement.meeting_table(tenant, **span)

    def papers() -> Any:
        return measurement.paper_figures(tenant, span["start"], span["end"])

    few = [count_queries(series), count_queries(table), count_queries(papers)]
    make_held_meetings(in_hanoi, clock, 5, first_day=10)

    # then
    assert [count_queries(series), count_queries(table), count_queries(papers)] == few
    assert measurement.tenant_series(tenant, **span)[0].meetings_held == 7
    assert len(measurement.meeting_table(tenant, **span)) == 7


def test_periods_refuse_nonsense(in_hanoi: World) -> None:
    with pytest.raises(ValueError):
        measurement.tenant_series(in_hanoi.tenant, start=date(2026, 12, 1), end=date(2026, 11, 1))
    with pytest.raises(ValueError):
        measurement.tenant_series(in_hanoi.tenant, start=date(2026, 1, 1), end=date(2026, 2, 1), by="week")  # type: ignore[arg-type]
