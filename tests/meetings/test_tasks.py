"""Publishing tells participants who are not connected, by e-mail, through the worker."""

from django.core import mail
from django_tasks_db.models import DBTaskResult

from ecabinet.models import User
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_item, do_add_participant, do_create_meeting, do_publish_meeting
from meetings.tasks import notify_published
from tests.clock import session_start


def test_the_invitation_reaches_participants_with_an_address(hanoi):
    User.objects.filter(pk__in=[hanoi.chair.pk, hanoi.member.pk]).update(email="x@example.gov.vn")
    User.objects.filter(pk=hanoi.chair.pk).update(email="chutich@hanoi.gov.vn")
    sent = notify_published.call(hanoi.tenant.pk, hanoi.meeting.pk)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["chutich@hanoi.gov.vn", "x@example.gov.vn"]
    message = next(m for m in mail.outbox if m.to == ["chutich@hanoi.gov.vn"])
    assert message.subject == f"Giấy mời: {hanoi.meeting.title}"
    assert "Kính gửi Chủ tịch Nguyễn" in message.body
    assert f"https://hanoi.localhost/meetings/{hanoi.meeting.pk}/" in message.body  # as in production


def test_publishing_queues_the_invitation_after_commit(hanoi, django_capture_on_commit_callbacks):
    with tenant_context(hanoi.tenant):
        meeting = do_create_meeting(
            tenant=hanoi.tenant,
            title="Phiên họp mới",
            scheduled_start=session_start(days=30),
            acting_user=hanoi.secretary,
        )
        do_add_item(meeting, title="Nội dung", acting_user=hanoi.secretary)
        do_add_participant(meeting, user=hanoi.member, role="member", acting_user=hanoi.secretary)
        before = DBTaskResult.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            do_publish_meeting(meeting, acting_user=hanoi.secretary)
    queued = DBTaskResult.objects.filter(task_path="meetings.tasks.notify_published").get()
    assert DBTaskResult.objects.count() == before + 1  # no papers yet: nothing to stamp ahead
    assert queued.args_kwargs["args"] == [hanoi.tenant.pk, meeting.pk]
