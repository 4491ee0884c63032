"""Written opinion slips: issue, answer, remind, close at the deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ecabinet.errors import Invalid, NotAllowed, WrongState
from ecabinet.models import AuditEvent, User
from voting.actions import (
    do_answer_slip,
    do_close_slip,
    do_issue_slip,
    do_remind_slip,
    do_set_voting_settings,
)
from voting.models import Slip, SlipAnswer, SlipAnswerChange, SlipReminder
from voting.tasks import email_slip_reminders, slip_due, sweep_slips


def _issue(w, *, hours=48, recipients=None, **kwargs):
    return do_issue_slip(
        tenant=w.tenant,
        question="Ý kiến về dự thảo Nghị quyết phân bổ vốn?",
        draft="Điều 1. ...",
        deadline=timezone.now() + timedelta(hours=hours),
        recipients=recipients or [w.chair, w.vice_chair, w.member],
        acting_user=w.secretary,
        **kwargs,
    )


def _expire(slip):
    Slip.objects.filter(pk=slip.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    slip.refresh_from_db()


def test_issue_fixes_who_is_asked_and_schedules_the_worker(in_hanoi, django_capture_on_commit_callbacks):
    w = in_hanoi
    with django_capture_on_commit_callbacks(execute=True):
        slip = _issue(w)
    assert slip.number == 1 and _issue(w).number == 2
    assert set(slip.recipients.values_list("user_id", flat=True)) == {
        w.chair.pk,
        w.vice_chair.pk,
        w.member.pk,
    }
    queued = DBTaskResult.objects.filter(
        task_path="voting.tasks.slip_due", args_kwargs__args=[w.tenant.pk, slip.pk]
    )
    # the default reminders, 24 and 2 hours before, and the deadline itself
    runs = sorted(q.run_after for q in queued)
    assert [round((slip.deadline - r).total_seconds() / 3600) for r in runs] == [24, 2, 0]
    assert AuditEvent.objects.filter(kind="slip_issued").count() == 2


def test_bad_slips_are_refused(in_hanoi, danang):
    w = in_hanoi
    with pytest.raises(Invalid, match="at least five minutes"):
        _issue(w, hours=0)
    with pytest.raises(Invalid, match="at least one member"):
        _issue(w, recipients=[]) if False else do_issue_slip(
            tenant=w.tenant,
            question="Q",
            deadline=timezone.now() + timedelta(days=1),
            recipients=[],
            acting_user=w.secretary,
        )
    with pytest.raises(Invalid, match="this tenant"):
        _issue(w, recipients=[danang.member])
    with pytest.raises(Invalid, match="must not be empty"):
        do_issue_slip(
            tenant=w.tenant,
            question=" ",
            deadline=timezone.now() + timedelta(days=1),
            recipients=[w.member],
            acting_user=w.secretary,
        )


def test_each_wrong_answer_is_refused_with_its_message(in_hanoi):
    w = in_hanoi
    slip = _issue(w, allow_change=False)
    do_answer_slip(slip, user=w.member, choice="agree")
    with pytest.raises(WrongState, match="already answered"):
        do_answer_slip(slip, user=w.member, choice="disagree")
    with pytest.raises(NotAllowed, match="not among the members asked"):
        do_answer_slip(slip, user=w.other_member, choice="agree")
    with pytest.raises(Invalid, match="Choose agree"):
        do_answer_slip(slip, user=w.chair, choice="yes")
    with pytest.raises(Invalid, match="must not be empty"):
        do_answer_slip(slip, user=w.chair, choice="other", text="   ")
    do_answer_slip(slip, user=w.chair, choice="other", text="Đề nghị bổ sung số liệu")
    do_close_slip(slip, acting_user=w.secretary)
    with pytest.raises(WrongState, match="closed"):
        do_answer_slip(slip, user=w.vice_chair, choice="agree")


def test_one_answer_per_member_is_a_database_constraint(in_hanoi):
    w = in_hanoi
    slip = _issue(w)
    do_answer_slip(slip, user=w.member, choice="agree")
    with transaction.atomic(), pytest.raises(IntegrityError):
        SlipAnswer.objects.create(
            tenant=w.tenant, slip=slip, user=w.member, choice="disagree", answered_at=timezone.now()
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        SlipAnswer.objects.create(
            tenant=w.tenant, slip=slip, user=w.chair, choice="other", text="", answered_at=timezone.now()
        )


def test_a_changed_answer_keeps_its_history(in_hanoi):
    w = in_hanoi
    slip = _issue(w)
    do_answer_slip(slip, user=w.member, choice="agree")
    answer = do_answer_slip(slip, user=w.member, choice="other", text="Cần làm rõ điều 2")
    assert answer.choice == "other" and answer.changed_at is not None
    assert list(SlipAnswerChange.objects.filter(answer=answer).values_list("choice", flat=True)) == ["agree"]


def test_no_answer_after_the_deadline_even_before_the_worker_closed_it(in_hanoi):
    w = in_hanoi
    slip = _issue(w)
    _expire(slip)
    with pytest.raises(WrongState, match="deadline has passed"):
        do_answer_slip(slip, user=w.member, choice="agree")


def test_reminders_go_to_exactly_those_who_have_not_answered(in_hanoi, django_capture_on_commit_callbacks):
    w = in_hanoi
    User.objects.filter(pk__in=[w.chair.pk, w.vice_chair.pk, w.member.pk]).update(email="")
    User.objects.filter(pk=w.vice_chair.pk).update(email="pho.chu.tich@hanoi.gov.vn")
    User.objects.filter(pk=w.member.pk).update(email="giam.doc@hanoi.gov.vn")
    slip = _issue(w, hours=30)
    do_answer_slip(slip, user=w.member, choice="agree")
    now = timezone.now()
    assert do_remind_slip(slip, now=now) == []  # 30 hours left: no reminder due yet
    with django_capture_on_commit_callbacks(execute=True):
        sent = do_remind_slip(slip, now=slip.deadline - timedelta(hours=23))
    assert sorted(r.user_id for r in sent) == sorted([w.chair.pk, w.vice_chair.pk])
    assert {r.hours_before for r in sent} == {24}
    # the worker ran the e-mail task: only the one with an address who has not answered
    result = DBTaskResult.objects.filter(task_path="voting.tasks.email_slip_reminders").get()
    assert email_slip_reminders.call(*result.args_kwargs["args"]) == 1
    assert [m.to for m in mail.outbox] == [["pho.chu.tich@hanoi.gov.vn"]]
    assert f"{slip.number}" in mail.outbox[0].subject
    # the same mark is not sent twice; the next one is
    assert do_remind_slip(slip, now=slip.deadline - timedelta(hours=22)) == []
    do_answer_slip(slip, user=w.chair, choice="disagree")
    later = do_remind_slip(slip, now=slip.deadline - timedelta(hours=1))
    assert [(r.user_id, r.hours_before) for r in later] == [(w.vice_chair.pk, 2)]
    # and those overdue
    overdue = do_remind_slip(slip, now=slip.deadline + timedelta(minutes=1))
    assert [(r.user_id, r.hours_before) for r in overdue] == [(w.vice_chair.pk, SlipReminder.OVERDUE)]


def test_reminder_hours_are_the_tenants_setting(in_hanoi):
    w = in_hanoi
    do_set_voting_settings(tenant=w.tenant, reminder_hours=[48, 6], acting_user=w.secretary)
    slip = _issue(w, hours=72)
    assert do_remind_slip(slip, now=slip.deadline - timedelta(hours=47))[0].hours_before == 48
    with pytest.raises(Invalid):
        do_set_voting_settings(tenant=w.tenant, reminder_hours=[0], acting_user=w.secretary)
    with pytest.raises(Invalid):
        do_set_voting_settings(tenant=w.tenant, reminder_hours="24", acting_user=w.secretary)


def test_the_slip_closes_at_the_deadline_by_the_worker(in_hanoi, django_capture_on_commit_callbacks):
    w = in_hanoi
    slip = _issue(w)
    do_answer_slip(slip, user=w.member, choice="agree")
    do_answer_slip(slip, user=w.chair, choice="agree")
    assert slip_due.call(w.tenant.pk, slip.pk) == "reminded 0"  # 48 hours left
    with pytest.raises(WrongState, match="not come yet"):
        do_close_slip(slip, acting_user=None)
    _expire(slip)
    with django_capture_on_commit_callbacks(execute=True):
        assert slip_due.call(w.tenant.pk, slip.pk) == "closed"
    slip.refresh_from_db()
    assert slip.status == "closed" and slip.closed_by is None
    assert slip.result["outcome"] == "passed"
    assert slip.result["counts"] == {"agree": 2, "disagree": 0, "other": 0}
    assert slip.result["closed_early"] is False
    # the one who never answered was told, and the signed sheet is on its way
    assert SlipReminder.objects.filter(slip=slip, user=w.vice_chair, hours_before=0).exists()
    assert DBTaskResult.objects.filter(task_path="voting.tasks.issue_slip_result").exists()
    assert slip_due.call(w.tenant.pk, slip.pk) == "closed already"


def test_the_sweep_closes_what_is_due_in_every_tenant(in_hanoi, danang):
    from ecabinet.tenancy import tenant_context

    w = in_hanoi
    slip = _issue(w)
    _expire(slip)
    with tenant_context(danang.tenant):
        other = _issue(danang)
    assert sweep_slips.call(False) == 1
    slip.refresh_from_db()
    assert slip.status == "closed"
    assert Slip.all_tenants.get(pk=other.pk).status == "open"


def test_the_secretariat_closes_early_and_the_result_counts(in_hanoi):
    w = in_hanoi
    slip = _issue(w, majority="voting")
    do_answer_slip(slip, user=w.member, choice="agree")
    do_answer_slip(slip, user=w.chair, choice="disagree")
    slip = do_close_slip(slip, acting_user=w.secretary)
    assert slip.result["closed_early"] is True
    assert slip.result["outcome"] == "failed"  # 1 of 2 is not more than half
    with pytest.raises(WrongState, match="already closed"):
        do_close_slip(slip, acting_user=w.secretary)
    assert AuditEvent.objects.filter(kind="slip_closed").count() == 1
