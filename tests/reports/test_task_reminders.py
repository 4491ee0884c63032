"""Reminders of follow-up tasks: before the due date on the tenant's days and
once overdue, to exactly the assignees of the tasks due, each once, in the
app and by e-mail, by the background worker."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from ecabinet.models import User
from ecabinet.tenancy import tenant_context
from reports.followup import actions as followup
from reports.followup import selectors as task_selectors
from reports.followup.tasks import email_task_reminder, remind_task, send_task_reminders
from reports.measurement.actions import do_set_report_settings
from reports.models import FollowUpTask, TaskReminder
from tests.conftest import World, requires_postgres
from tests.reports.test_followup import UNIT, assign, hold, in_days, unit_member


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def held(in_hanoi: World) -> World:
    hold(in_hanoi)
    return in_hanoi


def _emails(w: World, **addresses: str) -> None:
    User.objects.filter(tenant=w.tenant).update(email="")
    for key, address in addresses.items():
        User.objects.filter(pk=getattr(w, key).pk).update(email=address)


def _overdue(task: FollowUpTask, days: int = 1) -> None:
    FollowUpTask.objects.filter(pk=task.pk).update(due_date=in_days(-days))
    task.refresh_from_db()


def _send_emails() -> int:
    """What the worker does with the e-mail runs the reminders enqueued."""
    sent = 0
    for run in DBTaskResult.objects.filter(task_path="reports.followup.tasks.email_task_reminder"):
        sent += email_task_reminder.call(*run.args_kwargs["args"])
    return sent


def test_reminders_go_to_exactly_the_assignees_of_the_tasks_due_once(
    held, danang, django_capture_on_commit_callbacks
):
    w = held
    finance = unit_member(w)
    _emails(
        w, member="giam.doc@hanoi.gov.vn", chair="chu.tich@hanoi.gov.vn", other_member="khac@hanoi.gov.vn"
    )
    User.objects.filter(pk=finance.pk).update(email="pgd.taichinh@hanoi.gov.vn")
    in_three = assign(w, due_date=in_days(3), title="Ba ngày")  # the member: the 3-day reminder
    of_the_unit = assign(w, assignee=None, assignee_unit=UNIT, due_date=in_days(1), title="Một ngày")
    later = assign(w, assignee=w.chair, due_date=in_days(4), title="Bốn ngày")  # not yet
    done = followup.do_complete_task(assign(w, assignee=w.chair, due_date=in_days(1)), acting_user=w.chair)
    with tenant_context(danang.tenant):
        hold(danang)
        elsewhere = assign(danang, due_date=in_days(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_task_reminders.call(False) == 3
    sent = {(r.task_id, r.days_before) for r in TaskReminder.all_tenants.all()}
    assert sent == {(in_three.pk, 3), (of_the_unit.pk, 1), (elsewhere.pk, 1)}
    assert not TaskReminder.all_tenants.filter(task_id__in=[later.pk, done.pk]).exists()
    with tenant_context(w.tenant):
        assert _send_emails() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["giam.doc@hanoi.gov.vn", "pgd.taichinh@hanoi.gov.vn"]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Ba ngày" in by_address["giam.doc@hanoi.gov.vn"].body
    assert (
        reverse("reports:task-detail", args=[of_the_unit.pk]) in by_address["pgd.taichinh@hanoi.gov.vn"].body
    )
    assert TaskReminder.objects.filter(emailed=True).count() == 2
    # once: the sweep again, and the e-mail runs again, send nothing more
    mail.outbox.clear()
    assert send_task_reminders.call(False) == 0
    with tenant_context(w.tenant):
        assert _send_emails() == 0
    assert mail.outbox == []


def test_overdue_tasks_are_reminded_once(held, django_capture_on_commit_callbacks):
    w = held
    _emails(w, member="giam.doc@hanoi.gov.vn")
    task = assign(w, due_date=in_days(2))
    _overdue(task)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_task.call(w.tenant.pk, task.pk) == f"reminded {followup.OVERDUE}"
    assert remind_task.call(w.tenant.pk, task.pk) == "nothing due"
    assert send_task_reminders.call(False) == 0
    assert _send_emails() == 1
    assert mail.outbox[0].subject.startswith("Nhiệm vụ quá hạn")  # in the default language
    assert mail.outbox[0].to == ["giam.doc@hanoi.gov.vn"]
    # the overdue one is in the app, on the member's page, in Vietnamese
    with translation.override("vi"):
        page = w.client(w.member).get(reverse("reports:task-list")).content.decode()
    assert 'id="task-reminders"' in page and "quá hạn" in page
    # a task done is reminded of no more
    other = assign(w, due_date=in_days(1))
    followup.do_complete_task(other, acting_user=w.member)
    _overdue(other)
    assert followup.do_remind_task(other) is None


def test_only_the_latest_mark_is_sent_and_then_the_next(held):
    w = held
    task = assign(w, due_date=in_days(1))
    # the worker was down on the 3-day mark: only the 1-day one goes out
    assert followup.do_remind_task(task).days_before == 1
    assert followup.do_remind_task(task) is None
    assert followup.do_remind_task(task, today=task.due_date) is None  # no 0-day mark by default
    assert (
        followup.do_remind_task(task, today=task.due_date + dt.timedelta(days=1)).days_before
        == followup.OVERDUE
    )
    assert followup.do_remind_task(task, today=task.due_date + dt.timedelta(days=5)) is None
    assert list(
        TaskReminder.objects.filter(task=task).values_list("days_before", flat=True).order_by("id")
    ) == [
        1,
        followup.OVERDUE,
    ]


def test_the_days_are_the_tenants_setting(held):
    w = held
    do_set_report_settings(
        tenant=w.tenant,
        price_per_page=1000,
        price_source="",
        price_is_assumption=True,
        target_low_percent=30,
        target_high_percent=50,
        task_reminder_days=[7, 0],
        acting_user=w.secretary,
    )
    task = assign(w, due_date=in_days(6))
    assert followup.do_remind_task(task).days_before == 7
    assert followup.do_remind_task(task, today=task.due_date - dt.timedelta(days=1)) is None
    assert followup.do_remind_task(task, today=task.due_date).days_before == 0
    far = assign(w, due_date=in_days(8))
    assert followup.do_remind_task(far) is None
    assert set(task_selectors.tasks_to_remind()) == {task}


def test_the_sweep_re_enqueues_itself(db, django_capture_on_commit_callbacks):
    before = timezone.now()
    assert send_task_reminders.call(True) == 0
    queued = DBTaskResult.objects.get(task_path="reports.followup.tasks.send_task_reminders")
    assert queued.args_kwargs["args"] == [True]
    assert dt.timedelta(minutes=29) < queued.run_after - before < dt.timedelta(minutes=31)
    assert send_task_reminders.call(False) == 0
    assert DBTaskResult.objects.filter(task_path="reports.followup.tasks.send_task_reminders").count() == 1


def test_the_command_sends_what_is_due_and_schedules_the_sweep(held):
    w = held
    assign(w, due_date=in_days(1))
    out = StringIO()
    call_command("send_task_reminders", "--schedule", stdout=out)
    assert "1 task reminder(s) sent" in out.getvalue()
    assert TaskReminder.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path="reports.followup.tasks.send_task_reminders").exists()


def test_a_task_gone_or_of_a_task_reminder_gone(held):
    w = held
    assert remind_task.call(w.tenant.pk, 10**9) == "gone"
    assert email_task_reminder.call(w.tenant.pk, 10**9) == 0


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_sweep_and_a_scheduled_run_at_once_send_one_reminder(hanoi):
    # given: a task due tomorrow, and eight workers looking at it at the same moment
    w = hanoi
    with tenant_context(w.tenant):
        hold(w)
        task = assign(w, due_date=in_days(1))
    workers = 8
    start = threading.Barrier(workers)
    sent: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            if remind_task.call(w.tenant.pk, task.pk).startswith("reminded"):
                sent.append(1)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then: one of them sent it, the others found it sent; nobody failed
    assert errors == []
    assert len(sent) == 1
    assert TaskReminder.all_tenants.filter(task_id=task.pk).count() == 1
