"""Copies stamped ahead of the session by the worker, so a tablet opens a paper at once."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from documents.access import access_paper
from documents.actions import do_end_reading, do_replace_paper, do_upload_paper
from documents.models import StampedCopy
from documents.serving import signed_link
from documents.tasks import stamp_meeting_papers, stamp_version
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_item, do_add_participant, do_create_meeting, do_publish_meeting
from tests.clock import session_start
from tests.documents.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def queued(task_path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at"))


def copies(world, **filters) -> set[int]:  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        return set(StampedCopy.objects.filter(**filters).values_list("reader_id", flat=True))


def test_publishing_queues_stamping_after_commit(hanoi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    # given a draft meeting with a paper
    with tenant_context(hanoi.tenant):
        meeting = do_create_meeting(
            tenant=hanoi.tenant,
            title="Phiên họp chuyên đề",
            scheduled_start=session_start(days=30),
            acting_user=hanoi.secretary,
        )
        item = do_add_item(meeting, title="Đề án chuyển đổi số", acting_user=hanoi.secretary)
        do_add_participant(meeting, user=hanoi.member, role="member", acting_user=hanoi.secretary)
        with django_capture_on_commit_callbacks(execute=True):
            do_upload_paper(
                meeting, upload=pdf_upload(), title="Đề án", item=item, acting_user=hanoi.secretary
            )
        assert queued("documents.tasks.stamp_version") == []  # a draft is stamped on publishing
        # when it is published
        with django_capture_on_commit_callbacks(execute=True):
            do_publish_meeting(meeting, acting_user=hanoi.secretary)
    # then stamping its papers is queued, once
    tasks = queued("documents.tasks.stamp_meeting_papers")
    assert len(tasks) == 1
    assert tasks[0].args_kwargs["args"] == [hanoi.tenant.pk, meeting.pk]
    # and running it makes the member's copy
    assert stamp_meeting_papers.call(hanoi.tenant.pk, meeting.pk) == 1
    assert copies(hanoi) == {hanoi.member.pk}


def test_publishing_without_papers_queues_no_stamping(hanoi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(hanoi.tenant):
        meeting = do_create_meeting(
            tenant=hanoi.tenant,
            title="Phiên họp không có tài liệu",
            scheduled_start=session_start(days=30),
            acting_user=hanoi.secretary,
        )
        do_add_item(meeting, title="Nội dung", acting_user=hanoi.secretary)
        with django_capture_on_commit_callbacks(execute=True):
            do_publish_meeting(meeting, acting_user=hanoi.secretary)
    assert queued("documents.tasks.stamp_meeting_papers") == []


def test_the_task_makes_one_copy_per_reader_and_no_more(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given papers for item 1 (the guest is not invited), item 2 (the guest is) and a restricted one
    first = upload_paper(hanoi, item_index=0, title="Tờ trình 1")
    second = upload_paper(hanoi, item_index=1, title="Báo cáo 2")
    restricted = upload_paper(
        hanoi, item_index=0, title="Chỉ lãnh đạo", restricted=True, recipients=[hanoi.chair, hanoi.vice_chair]
    )
    # when the worker stamps the meeting's papers
    made = stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk)
    # then each paper has a copy for each of its readers, and nobody else
    everyone = {hanoi.chair.pk, hanoi.vice_chair.pk, hanoi.member.pk, hanoi.observer.pk}
    assert copies(hanoi, version__paper=first) == everyone
    assert copies(hanoi, version__paper=second) == everyone | {hanoi.guest.pk}
    assert copies(hanoi, version__paper=restricted) == {hanoi.chair.pk, hanoi.vice_chair.pk}
    assert made == 4 + 5 + 2
    # running it again makes nothing new
    assert stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk) == 0
    with tenant_context(hanoi.tenant):
        assert StampedCopy.objects.count() == made


def test_opening_after_the_worker_serves_its_copy_without_stamping(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk)
    with tenant_context(hanoi.tenant):
        ahead = StampedCopy.objects.get(version=paper.current_version, reader=hanoi.member)
        with ahead.file.open("rb") as handle:
            made_ahead = handle.read()
        url = signed_link(access_paper(hanoi.member, paper.pk))
    response = hanoi.client(hanoi.member).get(url)
    assert b"".join(response.streaming_content) == made_ahead
    with tenant_context(hanoi.tenant):
        assert StampedCopy.objects.filter(reader=hanoi.member).count() == 1


def test_a_new_version_gets_its_copies(hanoi, upload_paper, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=2)
    old = paper.current_version
    stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk)
    with tenant_context(hanoi.tenant), django_capture_on_commit_callbacks(execute=True):
        new = do_replace_paper(paper, upload=pdf_upload(pages=4), acting_user=hanoi.secretary)
    tasks = queued("documents.tasks.stamp_version")
    assert [t.args_kwargs["args"] for t in tasks][-1] == [hanoi.tenant.pk, new.pk]
    assert stamp_version.call(hanoi.tenant.pk, new.pk) == 4
    readers = {hanoi.chair.pk, hanoi.vice_chair.pk, hanoi.member.pk, hanoi.observer.pk}
    assert copies(hanoi, version=new) == readers
    assert copies(hanoi, version=old) == readers  # kept for the audit
    # a task for the replaced version, arriving late, makes nothing
    with tenant_context(hanoi.tenant):
        StampedCopy.objects.filter(version=old).delete()
    assert stamp_version.call(hanoi.tenant.pk, old.pk) == 0
    assert copies(hanoi, version=old) == set()


def test_a_published_meeting_gaining_a_participant_stamps_their_copies(
    hanoi, upload_paper, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk)
    with tenant_context(hanoi.tenant), django_capture_on_commit_callbacks(execute=True):
        do_add_participant(hanoi.meeting, user=hanoi.other_member, role="member", acting_user=hanoi.secretary)
    tasks = queued("documents.tasks.stamp_meeting_papers")
    assert [t.args_kwargs["args"] for t in tasks] == [[hanoi.tenant.pk, hanoi.meeting.pk]]
    assert stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk) == 1
    assert hanoi.other_member.pk in copies(hanoi, version__paper=paper)


def test_no_copy_is_made_for_readers_whose_reading_has_ended(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    stamp_version.call(hanoi.tenant.pk, paper.current_version_id)
    assert copies(hanoi) == {hanoi.chair.pk}
