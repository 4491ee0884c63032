"""Follow-up tasks (giao việc): assigned from a conclusion to a person or a unit,
seen by their assignees, overseen by the secretariat and the chair; the
tenant's report settings. Actions, pages and the API, and who may do what."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from ecabinet.actions import do_create_user
from ecabinet.errors import Invalid, NotAllowed, NotFound, WrongState
from ecabinet.models import AuditEvent, User
from ecabinet.tenancy import tenant_context
from meetings.actions import do_close_meeting, do_conclude_item, do_open_item, do_start_meeting
from reports.followup import access as task_access
from reports.followup import actions as followup
from reports.followup import selectors as task_selectors
from reports.measurement.actions import do_set_report_settings
from reports.measurement.selectors import report_settings
from reports.models import FollowUpTask, MeetingRecord, ReportSettings, TaskReminder
from tests.conftest import PASSWORD, World

API = "/api/v1/reports"
CONCLUSION = "Giao Sở Tài chính hoàn thiện kế hoạch đầu tư công, trình UBND trước ngày 15/12/2026."
UNIT = "Sở Tài chính"


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    # Refusals are matched by their English msgids; the pages' tests read Vietnamese.
    with translation.override("en"):
        yield


def hold(w: World) -> None:
    """The meeting has met and the chair concluded its first item."""
    meeting = do_start_meeting(w.meeting, acting_user=w.chair)
    do_open_item(meeting, item=w.items[0], acting_user=w.chair)
    do_conclude_item(meeting, conclusion=CONCLUSION, acting_user=w.chair)
    w.meeting.refresh_from_db()
    for item in w.items:
        item.refresh_from_db()


@pytest.fixture
def held(in_hanoi: World) -> World:
    hold(in_hanoi)
    return in_hanoi


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def assign(w: World, **kwargs) -> FollowUpTask:  # type: ignore[no-untyped-def]
    values = {
        "title": "Hoàn thiện kế hoạch đầu tư công năm 2027",
        "due_date": in_days(10),
        "assignee": w.member,
        "item": w.items[0],
        "acting_user": w.secretary,
    }
    values.update(kwargs)
    return followup.do_assign_task(w.meeting, **values)


def unit_member(w: World, key: str = "finance") -> User:
    return do_create_user(
        tenant=w.tenant,
        username=f"{w.tenant.slug}-{key}",
        full_name="Phó Giám đốc Sở Tài chính",
        unit=UNIT,
        password=PASSWORD,
        check_password=False,
    )


# --- actions -------------------------------------------------------------------------------


def test_a_concluded_item_assigns_a_task_audited_and_scheduled(held, django_capture_on_commit_callbacks):
    w = held
    with django_capture_on_commit_callbacks(execute=True):
        task = assign(w, detail="Phối hợp Sở Kế hoạch và Đầu tư.")
    assert (task.meeting_id, task.item_id, task.assignee_id, task.status) == (
        w.meeting.pk,
        w.items[0].pk,
        w.member.pk,
        "open",
    )
    event = AuditEvent.objects.get(kind="task_assigned")
    assert event.user_id == w.secretary.pk and event.detail["task_id"] == task.pk
    # the worker looks at it on each reminder day (3 and 1 days before) and the day after
    runs = DBTaskResult.objects.filter(
        task_path="reports.followup.tasks.remind_task", args_kwargs__args=[w.tenant.pk, task.pk]
    )
    days = sorted((timezone.localtime(r.run_after).date() - task.due_date).days for r in runs)
    assert days == [-3, -1, 1]
    assert {timezone.localtime(r.run_after).hour for r in runs} == {followup.REMINDER_HOUR}


def test_the_chair_assigns_to_a_unit_and_from_the_notice_or_the_whole_meeting(held):
    w = held
    record = MeetingRecord.objects.create(
        tenant=w.tenant, meeting=w.meeting, kind="notice", drafted_at=timezone.now(), drafted_by=w.secretary
    )
    from_notice = assign(
        w, assignee=None, assignee_unit=f"  {UNIT} ", item=None, record=record, acting_user=w.chair
    )
    assert (from_notice.record_id, from_notice.assignee_id, from_notice.assignee_unit) == (
        record.pk,
        None,
        UNIT,
    )
    whole = assign(w, item=None, assignee_unit=UNIT)
    assert whole.item_id is None and whole.record_id is None and whole.assignee_unit == UNIT


def test_bad_assignments_are_refused(held, danang):
    w = held
    with pytest.raises(WrongState, match="concluded"):
        assign(w, item=w.items[1])  # not yet discussed
    with pytest.raises(Invalid, match="person or to a unit"):
        assign(w, assignee=None, assignee_unit="  ")
    with pytest.raises(Invalid, match="active person of this tenant"):
        assign(w, assignee=danang.member)
    with pytest.raises(Invalid, match="from the list"):
        assign(w, assignee="1")
    with pytest.raises(Invalid, match="past"):
        assign(w, due_date=in_days(-1))
    with pytest.raises(Invalid, match="as a date"):
        assign(w, due_date="2027-01-01")
    with pytest.raises(Invalid, match="years"):
        assign(w, due_date=in_days(6 * 366))
    with pytest.raises(Invalid, match="must not be empty"):
        assign(w, title="   ")
    with pytest.raises(Invalid, match="longer than"):
        assign(w, title="x" * 501)
    minutes = MeetingRecord.objects.create(
        tenant=w.tenant, meeting=w.meeting, kind="minutes", drafted_at=timezone.now(), drafted_by=w.secretary
    )
    with pytest.raises(Invalid, match="conclusion notice"):
        assign(w, item=None, record=minutes)
    with tenant_context(danang.tenant):
        # a meeting that has not met yet has no conclusion to assign from
        with pytest.raises(WrongState, match="once it has met"):
            followup.do_assign_task(
                danang.meeting,
                title="T",
                due_date=in_days(3),
                assignee=danang.member,
                acting_user=danang.secretary,
            )
        danang_item = danang.items[0]
    with pytest.raises(Invalid, match="agenda"):
        assign(w, item=danang_item)
    assert FollowUpTask.objects.count() == 0


def test_who_sees_which_task(held):
    w = held
    finance = unit_member(w)
    mine = assign(w)
    of_the_unit = assign(w, assignee=None, assignee_unit=UNIT)
    of_the_chair = assign(w, assignee=w.chair)
    assert list(task_selectors.my_tasks(w.member)) == [mine]
    assert list(task_selectors.my_tasks(finance)) == [of_the_unit]
    assert list(task_selectors.my_tasks(w.other_member)) == []
    assert set(task_selectors.overseen_tasks(w.secretary)) == {mine, of_the_unit, of_the_chair}
    assert set(task_selectors.overseen_tasks(w.chair)) == {
        mine,
        of_the_unit,
        of_the_chair,
    }  # the meeting's chair
    assert list(task_selectors.overseen_tasks(w.vice_chair)) == []
    assert task_selectors.oversees_any(w.chair) and not task_selectors.oversees_any(w.member)
    # the member reaches their task and may not oversee it; others get "not found"
    access = task_access.access_task(w.member, mine.pk)
    assert access.assigned and not access.oversees
    with pytest.raises(NotAllowed):
        access.require_oversight()
    assert task_access.access_task(finance, of_the_unit.pk).assigned
    for stranger in (w.other_member, w.vice_chair, w.guest):
        with pytest.raises(NotFound):
            task_access.access_task(stranger, mine.pk)
    for bad in (0, -1, 2**63, "1", True, None, mine.pk + 1000):
        with pytest.raises(NotFound):
            task_access.access_task(w.secretary, bad)
    assert task_access.access_task(w.chair, mine.pk).oversees
    # a meeting's list: everything for its overseers, one's own for the others
    assert list(task_selectors.meeting_tasks(w.member, w.meeting)) == [mine]
    assert len(task_selectors.meeting_tasks(w.chair, w.meeting)) == 3


def test_progress_done_cancel_reopen(held):
    w = held
    task = assign(w)
    task = followup.do_report_progress(task, note="Đã xong dự thảo lần 1.", acting_user=w.member)
    assert task.progress_note == "Đã xong dự thảo lần 1."
    with pytest.raises(Invalid):
        followup.do_report_progress(task, note=" ", acting_user=w.member)
    task = followup.do_complete_task(task, note="Đã trình UBND.", acting_user=w.member)
    assert (task.status, task.completed_by_id, task.progress_note) == ("done", w.member.pk, "Đã trình UBND.")
    assert task.completed_at is not None
    for write in (
        lambda: followup.do_report_progress(task, note="Thêm", acting_user=w.member),
        lambda: followup.do_complete_task(task, acting_user=w.member),
        lambda: followup.do_cancel_task(task, acting_user=w.secretary),
        lambda: followup.do_update_task(task, changes={"title": "Mới"}, acting_user=w.secretary),
    ):
        with pytest.raises(WrongState):
            write()
    task = followup.do_reopen_task(task, acting_user=w.secretary)
    assert task.status == "open" and task.completed_at is None
    with pytest.raises(WrongState):
        followup.do_reopen_task(task, acting_user=w.secretary)
    task = followup.do_cancel_task(task, note="Không còn cần thiết.", acting_user=w.chair)
    assert task.status == "cancelled"
    changes = list(
        AuditEvent.objects.filter(kind="task_updated").order_by("id").values_list("detail__change", flat=True)
    )
    assert changes == ["progress", "done", "reopened", "cancelled"]


def test_a_new_due_date_restarts_the_reminders(held, django_capture_on_commit_callbacks):
    w = held
    task = assign(w, due_date=in_days(1))
    assert followup.do_remind_task(task).days_before == 1
    with django_capture_on_commit_callbacks(execute=True):
        task = followup.do_update_task(
            task, changes={"due_date": in_days(20), "assignee_unit": UNIT}, acting_user=w.chair
        )
    assert task.due_date == in_days(20) and task.assignee_unit == UNIT
    assert not TaskReminder.objects.filter(task=task).exists()
    assert DBTaskResult.objects.filter(task_path="reports.followup.tasks.remind_task").count() == 3
    with pytest.raises(Invalid, match="person or to a unit"):
        followup.do_update_task(task, changes={"assignee": None, "assignee_unit": ""}, acting_user=w.chair)
    with pytest.raises(Invalid, match="Unknown field"):
        followup.do_update_task(task, changes={"status": "done"}, acting_user=w.chair)
    task.refresh_from_db()
    assert task.assignee_id == w.member.pk


def test_counts_and_filters(held):
    w = held
    late = assign(w, due_date=in_days(2))
    FollowUpTask.objects.filter(pk=late.pk).update(due_date=in_days(-2))
    assign(w)
    done = followup.do_complete_task(assign(w), acting_user=w.member)
    tasks = task_selectors.overseen_tasks(w.secretary)
    assert task_selectors.task_counts(tasks) == {"open": 2, "overdue": 1, "done": 1, "cancelled": 0}
    assert [t.pk for t in task_selectors.only(tasks, overdue=True)] == [late.pk]
    assert [t.pk for t in task_selectors.only(tasks, status="done")] == [done.pk]
    with pytest.raises(Invalid):
        task_selectors.only(tasks, status="lost")


# --- pages ---------------------------------------------------------------------------------


def test_the_task_pages_for_each_person(held, danang):
    w = held
    finance = unit_member(w)
    task = assign(w)
    unit_task = assign(w, assignee=None, assignee_unit=UNIT, title="Báo cáo tiến độ giải ngân")
    detail = reverse("reports:task-detail", args=[task.pk])
    with translation.override("vi"):
        page = w.client(w.member).get(reverse("reports:task-list")).content.decode()
    assert task.title in page and unit_task.title not in page and 'id="overseen"' not in page
    assert "Nhiệm vụ của tôi" in page
    assert unit_task.title in w.client(finance).get(reverse("reports:task-list")).content.decode()
    overview = w.client(w.secretary).get(reverse("reports:task-list")).content.decode()
    assert 'id="overseen"' in overview and unit_task.title in overview
    assert w.client(w.member).get(detail).status_code == 200
    assert w.client(w.chair).get(detail).status_code == 200
    for stranger in (w.other_member, w.vice_chair, w.guest, w.observer):
        assert w.client(stranger).get(detail).status_code == 404
    with tenant_context(danang.tenant):
        # another tenant's secretariat, on its own host, does not find it either
        assert danang.client(danang.secretary).get(detail).status_code == 404
        assert (
            danang.client(danang.secretary)
            .get(reverse("reports:meeting-tasks", args=[w.meeting.pk]))
            .status_code
            == 404
        )
    # and its account counts as not logged in on this host
    assert w.client(danang.secretary).get(detail).status_code == 302
    assert w.client().get(reverse("reports:task-list")).status_code == 302
    assert w.client(w.secretary).get(reverse("reports:task-list") + "?status=lost").status_code == 400


def test_the_overview_runs_a_fixed_number_of_queries(held, django_assert_num_queries):
    w = held
    client = w.client(w.secretary)
    client.get(reverse("reports:task-list"))  # session and settings warmed

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:task-list")).status_code == 200
        return len(queries)

    assign(w)
    few = count()
    for n in range(12):
        assign(
            w,
            title=f"Nhiệm vụ {n}",
            assignee=w.chair if n % 2 else w.member,
            assignee_unit=UNIT if n % 3 else "",
        )
    with django_assert_num_queries(few):
        assert client.get(reverse("reports:task-list")).status_code == 200
    member_client = w.client(w.member)
    member_client.get(reverse("reports:task-list"))
    # no overview (neither its list nor its counts), but the check whether they chair a meeting
    with django_assert_num_queries(few - 1):
        page = member_client.get(reverse("reports:task-list"))
    assert page.content.decode().count('class="task-row') == 1 + 6


def test_assigning_on_the_meeting_page(held):
    w = held
    url = reverse("reports:meeting-tasks", args=[w.meeting.pk])
    form = {
        "source": f"item-{w.items[0].pk}",
        "title": "Rà soát danh mục dự án",
        "detail": "",
        "assignee": str(w.member.pk),
        "assignee_unit": "",
        "due_date": in_days(7).isoformat(),
    }
    assert w.client(w.member).post(url, form).status_code == 403
    assert w.client(w.other_member).get(url).status_code == 404
    page = w.client(w.chair).get(url).content.decode()
    assert 'id="assign-form"' in page and f'value="item-{w.items[0].pk}"' in page
    assert f'value="item-{w.items[1].pk}"' not in page  # not concluded
    assert 'id="assign-form"' not in w.client(w.member).get(url).content.decode()
    response = w.client(w.secretary).post(url, form)
    assert response.status_code == 302
    task = FollowUpTask.objects.get()
    assert (task.item_id, task.assignee_id, task.due_date) == (w.items[0].pk, w.member.pk, in_days(7))
    with translation.override("vi"):
        bad = w.client(w.secretary).post(url, {**form, "due_date": in_days(-3).isoformat()})
    assert bad.status_code == 400 and "quá khứ" in bad.content.decode()
    assert w.client(w.secretary).post(url, {**form, "due_date": "31/02/2027"}).status_code == 400
    assert w.client(w.secretary).post(url, {**form, "source": "item-999999"}).status_code == 400
    assert FollowUpTask.objects.count() == 1
    detail = (
        w.client(w.secretary).get(reverse("meetings:meeting-detail", args=[w.meeting.pk])).content.decode()
    )
    assert f'href="{url}"' in detail


def test_the_task_page_forms(held):
    w = held
    task = assign(w)
    member = w.client(w.member)
    assert (
        member.post(
            reverse("reports:task-edit", args=[task.pk]), {"title": "X", "due_date": in_days(30).isoformat()}
        ).status_code
        == 403
    )
    assert member.post(reverse("reports:task-cancel", args=[task.pk])).status_code == 403
    assert w.client(w.other_member).post(reverse("reports:task-done", args=[task.pk])).status_code == 404
    member.post(reverse("reports:task-progress", args=[task.pk]), {"note": "Đang lấy ý kiến các sở."})
    page = member.get(reverse("reports:task-detail", args=[task.pk])).content.decode()
    assert (
        "Đang lấy ý kiến các sở." in page and 'id="edit-form"' not in page and 'id="cancel-form"' not in page
    )
    member.post(reverse("reports:task-done", args=[task.pk]), {"note": ""})
    task.refresh_from_db()
    assert task.status == "done"
    secretary = w.client(w.secretary)
    assert (
        'id="reopen-form"' in secretary.get(reverse("reports:task-detail", args=[task.pk])).content.decode()
    )
    secretary.post(reverse("reports:task-reopen", args=[task.pk]))
    secretary.post(
        reverse("reports:task-edit", args=[task.pk]),
        {
            "title": "Tiêu đề mới",
            "detail": "",
            "assignee": "",
            "assignee_unit": UNIT,
            "due_date": in_days(4).isoformat(),
        },
    )
    task.refresh_from_db()
    assert (task.status, task.title, task.assignee_id, task.assignee_unit, task.due_date) == (
        "open",
        "Tiêu đề mới",
        None,
        UNIT,
        in_days(4),
    )
    # the member no longer holds it (it went to the unit): not found
    assert member.get(reverse("reports:task-detail", args=[task.pk])).status_code == 404
    assert secretary.get(reverse("reports:task-progress", args=[task.pk])).status_code == 405


# --- API -----------------------------------------------------------------------------------


def _json(client, method, url, body=None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def test_the_api(held, danang):
    w = held
    secretary, member = w.client(w.secretary), w.client(w.member)
    url = f"{API}/meetings/{w.meeting.pk}/tasks/"
    body = {
        "title": "Báo cáo kết quả",
        "assignee_id": w.member.pk,
        "due_date": in_days(5).isoformat(),
        "item_id": w.items[0].pk,
    }
    assert _json(member, "post", url, body).status_code == 403
    created = _json(secretary, "post", url, body)
    assert created.status_code == 201, created.content
    task = created.json()["task"]
    assert (task["assignee_name"], task["item_title"], task["status"], task["overdue"]) == (
        w.member.full_name,
        w.items[0].title,
        "open",
        False,
    )
    for bad in (
        {**body, "colour": "red"},
        {**body, "due_date": "tomorrow"},
        {**body, "due_date": in_days(-1).isoformat()},
        {**body, "item_id": w.items[1].pk},
        {**body, "item_id": 10**6},
        {**body, "assignee_id": danang.member.pk},
        {**body, "notice": True},
        {"title": "T", "due_date": in_days(5).isoformat()},
        [1, 2],
    ):
        response = secretary.post(url, data=json.dumps(bad), content_type="application/json")
        assert response.status_code in (400, 409), bad
        assert set(response.json()) == {"error", "detail"}
    mine = member.get(f"{API}/tasks/").json()
    assert mine["counts"] is None and [t["id"] for t in mine["tasks"]] == [task["id"]]
    assert member.get(f"{API}/tasks/?scope=overseen").status_code == 403
    overseen = w.client(w.chair).get(f"{API}/tasks/?scope=overseen").json()
    assert overseen["counts"] == {"open": 1, "overdue": 0, "done": 0, "cancelled": 0}
    assert secretary.get(f"{API}/tasks/?scope=overseen&status=lost").status_code == 400
    assert secretary.get(f"{API}/tasks/?sort=due").status_code == 400
    one = f"{API}/tasks/{task['id']}/"
    assert w.client(w.other_member).get(one).status_code == 404
    with tenant_context(danang.tenant):
        assert danang.client(danang.secretary).get(one).status_code == 404
    assert w.client().get(one).status_code == 401
    assert _json(member, "patch", one, {"title": "X"}).status_code == 403
    patched = _json(secretary, "patch", one, {"due_date": in_days(9).isoformat(), "assignee_unit": UNIT})
    assert patched.json()["task"]["due_date"] == in_days(9).isoformat()
    assert _json(secretary, "patch", one, {"status": "done"}).status_code == 400
    assert _json(member, "post", one + "progress/", {}).status_code == 400
    assert _json(member, "post", one + "progress/", {"note": "Đã họp tổ công tác"}).json()["task"][
        "progress_note"
    ]
    assert _json(member, "post", one + "cancel/").status_code == 403
    assert _json(member, "post", one + "done/").json()["task"]["status"] == "done"
    assert _json(member, "post", one + "done/").status_code == 409
    assert _json(member, "post", one + "reopen/").status_code == 403
    assert _json(secretary, "post", one + "reopen/").json()["task"]["status"] == "open"
    assert _json(secretary, "post", one + "cancel/", {"note": "Gộp vào nhiệm vụ khác"}).json()["task"][
        "status"
    ] == ("cancelled")
    assert len(member.get(url).json()["tasks"]) == 1
    assert w.client(w.other_member).get(url).status_code == 404


# --- the tenant's report settings ----------------------------------------------------------


def test_report_settings_action(in_hanoi):
    w = in_hanoi
    assert report_settings(w.tenant).task_reminder_days == [3, 1]
    good = {
        "price_per_page": 1200,
        "price_source": "Đơn giá in ấn năm 2025 của Văn phòng UBND",
        "price_is_assumption": False,
        "target_low_percent": 30,
        "target_high_percent": 50,
        "task_reminder_days": [1, 7, 3, 7],
        "acting_user": w.secretary,
    }
    found = do_set_report_settings(tenant=w.tenant, **good)
    assert (found.price_per_page, found.task_reminder_days, found.price_is_assumption) == (
        1200,
        [7, 3, 1],
        False,
    )
    for bad in (
        {"price_per_page": -1},
        {"price_per_page": "1000"},
        {"price_source": "", "price_is_assumption": False},
        {"target_low_percent": 60},
        {"target_high_percent": 101},
        {"task_reminder_days": [1, 2, 3, 4, 5, 6]},
        {"task_reminder_days": [91]},
        {"task_reminder_days": "3,1"},
        {"price_is_assumption": "no"},
    ):
        with pytest.raises(Invalid):
            do_set_report_settings(tenant=w.tenant, **{**good, **bad})
    assert ReportSettings.objects.get().price_per_page == 1200


def test_report_settings_page_and_api(in_hanoi):
    w = in_hanoi
    url = reverse("reports:report-settings")
    rules = w.client(w.secretary).get(reverse("meetings:meeting-rules")).content.decode()
    assert f'href="{url}"' in rules
    for user in (w.member, w.chair):
        assert w.client(user).get(url).status_code == 403
        assert w.client(user).post(url, {"price_per_page": 1}).status_code == 403
        assert w.client(user).get(f"{API}/settings/").status_code == 403
    assert AuditEvent.objects.filter(kind="permission_refused", detail__area="report_settings").exists()
    client = w.client(w.secretary)
    with translation.override("vi"):
        assert "Giá một trang in" in client.get(url).content.decode()
    form = {
        "price_per_page": "900",
        "price_source": "",
        "price_is_assumption": "on",
        "target_low_percent": "25",
        "target_high_percent": "45",
        "task_reminder_days": "5, 2, 0",
    }
    assert client.post(url, form).status_code == 302
    found = report_settings(w.tenant)
    assert (found.price_per_page, found.target_low_percent, found.task_reminder_days) == (900, 25, [5, 2, 0])
    for bad in ({"task_reminder_days": "ba ngày"}, {"target_low_percent": "70"}, {"price_per_page": "x"}):
        response = client.post(url, {**form, **bad}, follow=True)
        assert response.status_code == 200 and b"message-error" in response.content
    assert report_settings(w.tenant).task_reminder_days == [5, 2, 0]
    api = client.get(f"{API}/settings/").json()
    assert api["price_is_assumption"] is True and api["task_reminder_days"] == [5, 2, 0]
    put = _json(client, "put", f"{API}/settings/", {**api, "price_per_page": 1500, "task_reminder_days": [2]})
    assert put.status_code == 200 and put.json()["price_per_page"] == 1500
    assert _json(client, "put", f"{API}/settings/", {**api, "target_low_percent": 80}).status_code == 400
    assert _json(client, "put", f"{API}/settings/", {**api, "extra": 1}).status_code == 400
    assert _json(client, "put", f"{API}/settings/", {**api, "task_reminder_days": [1] * 6}).status_code == 400


def test_tasks_of_a_closed_meeting_are_assigned_and_the_home_page_links_them(held):
    w = held
    do_close_meeting(w.meeting, acting_user=w.chair)
    w.meeting.refresh_from_db()
    assert assign(w).meeting.status == "closed"
    assert (
        f'href="{reverse("reports:task-list")}"' in w.client(w.member).get(reverse("home")).content.decode()
    )


SCHEMA_PATHS = {
    "/api/v1/reports/tasks/": {"get"},
    "/api/v1/reports/meetings/{meeting_id}/tasks/": {"get", "post"},
    "/api/v1/reports/tasks/{task_id}/": {"get", "patch"},
    "/api/v1/reports/tasks/{task_id}/progress/": {"post"},
    "/api/v1/reports/tasks/{task_id}/done/": {"post"},
    "/api/v1/reports/tasks/{task_id}/cancel/": {"post"},
    "/api/v1/reports/tasks/{task_id}/reopen/": {"post"},
    "/api/v1/reports/settings/": {"get", "put"},
}


def test_the_schema_documents_every_route_with_its_errors(hanoi):
    schema = hanoi.client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, methods in SCHEMA_PATHS.items():
        assert methods <= set(schema["paths"][path]), path
        for method in methods:
            responses = schema["paths"][path][method]["responses"]
            codes = (
                {"401"}
                | ({"404"} if "_id}" in path else set())
                | ({"400", "403"} if method != "get" else set())
            )
            for code in codes:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, method, code)
    assert schema["components"]["schemas"]["TaskStatusEnum"]["enum"] == ["open", "done", "cancelled"]
