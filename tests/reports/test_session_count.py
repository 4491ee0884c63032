"""Dashboards trust only real sessions: a 58-second trial of a two-hour agenda
is flagged and left out of the time figures until the secretariat confirms
it; a session marked as a trial or rehearsal is left out of every figure, the
national ones included; each word of the secretariat is audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ecabinet.models import AuditEvent
from meetings.actions import (
    do_add_item,
    do_add_participant,
    do_close_meeting,
    do_create_meeting,
    do_publish_meeting,
    do_start_meeting,
)
from meetings.models import Meeting
from reports.measurement import selectors as measurement
from reports.measurement.actions import do_set_session_count
from reports.measurement.national import Quarter, national_figures
from reports.models import SessionCount
from tests.clock import Clock, held_before_the_december_2026_session
from tests.conftest import World
from tests.documents.conftest import pdf_upload

pytestmark = [pytest.mark.django_db, held_before_the_december_2026_session]

OCTOBER = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}


def held(world: World, clock: Clock, *, day: int, seconds: int, title: str) -> Meeting:
    """A meeting of a two-hour agenda, baseline 180 minutes, held for ``seconds``."""
    from documents.actions import do_upload_paper

    start = datetime(2026, 10, day, 1, 0, tzinfo=UTC)
    clock.at(start - timedelta(days=2))
    meeting = do_create_meeting(
        tenant=world.tenant, title=title, scheduled_start=start, acting_user=world.secretary
    )
    Meeting.objects.filter(pk=meeting.pk).update(baseline_minutes=180, baseline_source="đo năm 2018")
    do_add_item(meeting, title="Nội dung", planned_minutes=120, acting_user=world.secretary)
    do_add_participant(meeting, user=world.chair, role="chair", acting_user=world.secretary)
    do_add_participant(meeting, user=world.member, role="member", acting_user=world.secretary)
    meeting.refresh_from_db()
    do_publish_meeting(meeting, acting_user=world.secretary)
    do_upload_paper(meeting, upload=pdf_upload(pages=3), title="Tờ trình", acting_user=world.secretary)
    clock.at(start)
    meeting = do_start_meeting(meeting, acting_user=world.chair)
    clock.at(start + timedelta(seconds=seconds))
    meeting = do_close_meeting(meeting, acting_user=world.chair)
    meeting.refresh_from_db()
    return meeting


def october(world: World) -> measurement.Period:
    return measurement.tenant_series(world.tenant, **OCTOBER)[0]


def test_a_session_far_shorter_than_planned_waits_for_the_secretariat(in_hanoi: World, clock: Clock) -> None:
    # given: a real 100-minute session, and a 58-second trial of the same agenda
    real = held(in_hanoi, clock, day=5, seconds=100 * 60, title="Phiên họp thật")
    trial = held(in_hanoi, clock, day=6, seconds=58, title="Thử hệ thống")

    # then: only the real one counts; the trial does not make the month "99.5 % shorter"
    month = october(in_hanoi)
    assert month.meetings_held == 1
    assert month.actual_minutes == 100.0 and month.baseline_minutes == 180
    assert month.saved_percent == pytest.approx(44.4)
    rows = {row["id"]: row for row in measurement.meeting_table(in_hanoi.tenant, **OCTOBER)}
    assert rows[trial.pk]["to_confirm"] and not rows[trial.pk]["counted"]
    assert rows[real.pk]["counted"] and not rows[real.pk]["short"]

    # when: the secretariat confirms it was a real session
    do_set_session_count(trial, verdict="counted", acting_user=in_hanoi.secretary)

    # then: it counts
    month = october(in_hanoi)
    assert month.meetings_held == 2
    assert month.actual_minutes == pytest.approx(100 + 58 / 60, abs=0.1)


def test_a_trial_is_left_out_of_every_figure_the_national_ones_too(
    in_hanoi: World, clock: Clock, national_admin
) -> None:  # type: ignore[no-untyped-def]
    real = held(in_hanoi, clock, day=5, seconds=100 * 60, title="Phiên họp thật")
    rehearsal = held(in_hanoi, clock, day=7, seconds=90 * 60, title="Tổng duyệt")
    before = october(in_hanoi)
    assert before.meetings_held == 2 and before.papers == 2

    # when: the rehearsal is marked as one
    do_set_session_count(rehearsal, verdict="trial", acting_user=in_hanoi.secretary)

    # then: its time and its papers are gone from the month and from the nation
    month = october(in_hanoi)
    assert (month.meetings_held, month.actual_minutes, month.papers) == (1, 100.0, 1)
    rows = {row["id"]: row for row in measurement.meeting_table(in_hanoi.tenant, **OCTOBER)}
    assert rows[rehearsal.pk]["trial"] and not rows[rehearsal.pk]["counted"]
    assert rows[real.pk]["counted"]
    nation = national_figures(Quarter(2026, 4))
    assert nation.totals["meetings_held"] == 1
    assert nation.totals["papers"] == 1

    # and: every word of the secretariat is audited, taking it back too
    do_set_session_count(rehearsal, verdict=None, acting_user=in_hanoi.secretary)
    assert october(in_hanoi).meetings_held == 2
    changes = AuditEvent.objects.filter(kind=AuditEvent.Kind.SESSION_COUNT_SET).order_by("seq")
    assert [(e.detail["before"], e.detail["after"]) for e in changes] == [
        ({"verdict": None}, {"verdict": "trial"}),
        ({"verdict": "trial"}, {"verdict": None}),
    ]
    assert SessionCount.objects.count() == 0


def test_the_secretariat_says_it_on_the_page_and_nobody_else_may(
    in_hanoi: World, danang: World, clock: Clock
) -> None:
    trial = held(in_hanoi, clock, day=6, seconds=58, title="Thử hệ thống")
    url = f"/reports/dashboard/meetings/{trial.pk}/"
    secretary = in_hanoi.client(in_hanoi.secretary)

    page = secretary.get(url).content.decode()
    assert '<p id="count-state">Chưa: phiên họp kéo dài 1,0 phút so với 120,0 phút dự kiến' in page
    assert 'id="confirm-counted"' in page and 'id="mark-trial"' in page
    table = secretary.get("/reports/dashboard/?year=2026").content.decode()
    assert "cần xác nhận" in table

    # a member may not; a bad verdict is a message; nothing is written
    assert in_hanoi.client(in_hanoi.member).post(url + "count/", {"verdict": "trial"}).status_code == 403
    elsewhere = danang.client(danang.secretary).post(url + "count/", {"verdict": "trial"})
    assert elsewhere.status_code == 404
    bad = secretary.post(url + "count/", {"verdict": "maybe"}, follow=True)
    assert "thử nghiệm hay là phiên họp thật" in bad.content.decode()
    assert SessionCount.objects.count() == 0
    assert secretary.get(url + "count/").status_code == 405

    # the secretariat marks it
    done = secretary.post(url + "count/", {"verdict": "trial"}, follow=True)
    assert done.redirect_chain[-1][0].endswith(url)
    assert "thử nghiệm" in done.content.decode()
    assert SessionCount.objects.get(meeting=trial).verdict == "trial"
