"""Who receives a paper: the meeting's readers' group by default, named people
for a restricted one (django-guardian's direct foreign-key rows), and the end
of reading — on the secretariat's word or after the grace period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from documents.access import ReadingEnded, access_paper, meeting_papers, readable_papers, reading_ended
from documents.actions import do_end_reading, do_set_distribution, do_set_paper_settings
from documents.models import Paper, PaperGroupObjectPermission, PaperUserObjectPermission
from ecabinet.errors import Invalid, NotFound, WrongState
from ecabinet.models import AuditEvent, Event
from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings import actions as meeting_actions
from meetings.access import access_meeting
from meetings.models import Meeting
from tests.conftest import World

READERS = ["chair", "vice_chair", "member", "observer"]


def can_read(world: World, who: str, paper: Paper) -> bool:
    with tenant_context(world.tenant):
        try:
            access_paper(getattr(world, who), paper.pk)
        except NotFound:
            return False
    return True


def api_status(world: World, who: str, paper: Paper) -> int:
    return world.client(getattr(world, who)).get(f"/api/v1/papers/{paper.pk}/").status_code


def restrict(world: World, paper: Paper, *names: str, downloadable: bool = False) -> Paper:
    with tenant_context(world.tenant):
        return do_set_distribution(
            paper,
            restricted=True,
            recipients=[getattr(world, n) for n in names],
            downloadable=downloadable,
            acting_user=world.secretary,
        )


# --- by default: the readers' group -------------------------------------------------------


def test_a_paper_is_granted_to_the_meetings_group_by_default(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        state = meeting_papers(hanoi.meeting)
        grants = PaperGroupObjectPermission.objects.filter(content_object=paper)
        assert [(g.group_id, g.permission.codename) for g in grants] == [(state.group_id, "view_paper")]
        assert not PaperUserObjectPermission.objects.filter(content_object=paper).exists()
        members = set(state.group.user_set.values_list("pk", flat=True))
    assert members == {getattr(hanoi, who).pk for who in [*READERS, "guest"]}
    for who in READERS:
        assert can_read(hanoi, who, paper), who
        assert api_status(hanoi, who, paper) == 200, who
    assert api_status(hanoi, "secretary", paper) == 200
    for who in ("other_member", "guest"):  # not in the meeting; guest not invited to item 1
        assert not can_read(hanoi, who, paper), who
        assert api_status(hanoi, who, paper) == 404, who


def test_the_guardian_rows_are_the_direct_foreign_key_ones(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    restricted = upload_paper(hanoi, item_index=1)
    restrict(hanoi, restricted, "chair", "guest")
    assert get_user_obj_perms_model(paper) is PaperUserObjectPermission
    assert get_group_obj_perms_model(paper) is PaperGroupObjectPermission
    assert not UserObjectPermission.objects.exists()
    assert not GroupObjectPermission.objects.exists()
    with tenant_context(hanoi.tenant):
        assert set(
            PaperUserObjectPermission.objects.filter(content_object=restricted).values_list(
                "user_id", flat=True
            )
        ) == {hanoi.chair.pk, hanoi.guest.pk}


def test_a_guest_receives_the_papers_of_their_own_item(hanoi: World, upload_paper) -> None:
    theirs = upload_paper(hanoi, item_index=1)
    whole_meeting = upload_paper(hanoi, item_index=None)
    other = upload_paper(hanoi, item_index=2)
    assert can_read(hanoi, "guest", theirs) and can_read(hanoi, "guest", whole_meeting)
    assert not can_read(hanoi, "guest", other)
    listed = hanoi.client(hanoi.guest).get(f"/api/v1/meetings/{hanoi.meeting.pk}/papers/").json()
    assert {p["id"] for p in listed} == {theirs.pk, whole_meeting.pk}


def test_participants_added_or_removed_later_follow_the_group(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    assert not can_read(hanoi, "other_member", paper)
    with tenant_context(hanoi.tenant):
        meeting_actions.do_add_participant(
            hanoi.meeting, user=hanoi.other_member, role=Role.MEMBER, acting_user=hanoi.secretary
        )
    assert can_read(hanoi, "other_member", paper)
    with tenant_context(hanoi.tenant):
        from meetings.models import Participant

        participant = Participant.objects.get(meeting=hanoi.meeting, user=hanoi.observer)
        meeting_actions.do_remove_participant(participant, acting_user=hanoi.secretary)
    assert not can_read(hanoi, "observer", paper)


# --- restricted to named people ---------------------------------------------------------------


def test_a_restricted_paper_reaches_only_the_named_people(hanoi: World, upload_paper) -> None:
    # given
    paper = upload_paper(hanoi)
    # when
    paper = restrict(hanoi, paper, "chair", "vice_chair")
    # then
    with tenant_context(hanoi.tenant):
        assert not PaperGroupObjectPermission.objects.filter(content_object=paper).exists()
    assert can_read(hanoi, "chair", paper) and can_read(hanoi, "vice_chair", paper)
    for who in ("member", "observer", "other_member", "guest"):
        assert not can_read(hanoi, who, paper), who
        assert api_status(hanoi, who, paper) == 404, who
        listed = hanoi.client(getattr(hanoi, who)).get(f"/api/v1/meetings/{hanoi.meeting.pk}/papers/")
        assert paper.pk not in {p["id"] for p in listed.json()} if listed.status_code == 200 else True
    # the secretariat sees the named recipients
    body = hanoi.client(hanoi.secretary).get(f"/api/v1/papers/{paper.pk}/").json()
    assert body["restricted"] and body["recipient_ids"] == sorted([hanoi.chair.pk, hanoi.vice_chair.pk])


def test_restricted_at_upload_with_named_people(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, restricted=True, recipients=[hanoi.chair])
    assert can_read(hanoi, "chair", paper) and not can_read(hanoi, "member", paper)
    event = Event.objects.get(type="paper.added")
    assert event.audience == {
        "item": hanoi.items[0].pk,
        "capability": "edit_meeting",
        "users": [hanoi.chair.pk],
    }


def test_opening_a_paper_to_everyone_again_goes_back_to_the_group(hanoi: World, upload_paper) -> None:
    paper = restrict(hanoi, upload_paper(hanoi), "chair")
    with tenant_context(hanoi.tenant):
        paper = do_set_distribution(
            paper, restricted=False, recipients=[], downloadable=True, acting_user=hanoi.secretary
        )
        assert not PaperUserObjectPermission.objects.filter(content_object=paper).exists()
    assert can_read(hanoi, "member", paper)
    # the member who lost it, then got it back, is told both times, as is everyone who sees the
    # paper's item: it was everyone's before the first change and is everyone's after the second
    # (the event names only the paper)
    events = list(Event.objects.filter(type="paper.distribution").order_by("seq"))
    assert [e.data for e in events] == [{"paper_id": paper.pk}] * 2
    everyone_of_the_item = {"item": paper.item_id} if paper.item_id else None
    assert [e.audience for e in events] == [everyone_of_the_item] * 2
    audit = AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_DISTRIBUTION_CHANGED).order_by("id").last()
    assert audit is not None and audit.detail["downloadable"] is True and audit.detail["restricted"] is False


def test_view_only_or_downloadable(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    assert hanoi.client(hanoi.member).get(f"/api/v1/papers/{paper.pk}/").json()["download_link"] is None
    with tenant_context(hanoi.tenant):
        do_set_distribution(paper, restricted=False, downloadable=True, acting_user=hanoi.secretary)
    body = hanoi.client(hanoi.member).get(f"/api/v1/papers/{paper.pk}/").json()
    assert body["can_download"] and body["download_link"].endswith("?download=1")


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ((), "ít nhất một người"),
        (("other_member",), "người tham dự cuộc họp"),
        (("guest",), "không được mời dự nội dung này"),
        (("secretary",), "người tham dự cuộc họp"),
    ],
)
def test_recipients_must_take_part_and_see_the_item(
    hanoi: World, upload_paper, names: Any, message: str
) -> None:
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant), pytest.raises(Invalid, match=message):
        do_set_distribution(
            paper,
            restricted=True,
            recipients=[getattr(hanoi, n) for n in names],
            downloadable=False,
            acting_user=hanoi.secretary,
        )
    assert can_read(hanoi, "member", paper)  # unchanged


def test_a_user_of_another_tenant_cannot_be_named(hanoi: World, danang: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    response = hanoi.client(hanoi.secretary).put(
        f"/api/v1/papers/{paper.pk}/distribution/",
        {"restricted": True, "recipient_ids": [danang.chair.pk], "downloadable": False},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert can_read(hanoi, "member", paper)


# --- the end of reading -------------------------------------------------------------------


def test_ending_reading_leaves_only_the_secretariat_and_the_chair(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    for who in ("member", "vice_chair", "observer"):
        with tenant_context(hanoi.tenant), pytest.raises(ReadingEnded):
            access_paper(getattr(hanoi, who), paper.pk)
        response = hanoi.client(getattr(hanoi, who)).get(f"/api/v1/papers/{paper.pk}/")
        assert response.status_code == 403 and response.json()["error"] == "reading_ended"
        listed = hanoi.client(getattr(hanoi, who)).get(f"/api/v1/meetings/{hanoi.meeting.pk}/papers/").json()
        assert [(p["id"], p["available"]) for p in listed] == [(paper.pk, False)]
    for who in ("chair", "secretary"):
        assert api_status(hanoi, who, paper) == 200, who
    assert Event.objects.filter(type="papers.reading_ended").count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_REVOKED, user=hanoi.secretary).count() == 1
    with tenant_context(hanoi.tenant), pytest.raises(WrongState):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)


def _close(world: World, *, days_ago: float) -> Meeting:
    with tenant_context(world.tenant):
        meeting = meeting_actions.do_start_meeting(world.meeting, acting_user=world.chair)
        meeting = meeting_actions.do_close_meeting(meeting, acting_user=world.chair)
        Meeting.objects.filter(pk=meeting.pk).update(ended_at=timezone.now() - timedelta(days=days_ago))
        return Meeting.objects.get(pk=meeting.pk)


def test_reading_goes_on_during_the_grace_period_after_the_meeting_closes(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    meeting = _close(hanoi, days_ago=6.9)
    with tenant_context(hanoi.tenant):
        assert not reading_ended(meeting)
    assert api_status(hanoi, "member", paper) == 200


def test_reading_ends_when_the_grace_period_has_passed(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    meeting = _close(hanoi, days_ago=7.1)
    with tenant_context(hanoi.tenant):
        assert reading_ended(meeting)
    assert api_status(hanoi, "member", paper) == 403
    assert api_status(hanoi, "chair", paper) == 200
    assert api_status(hanoi, "secretary", paper) == 200


def test_the_tenants_grace_days_decide(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    meeting = _close(hanoi, days_ago=2)
    assert api_status(hanoi, "member", paper) == 200
    with tenant_context(hanoi.tenant):
        do_set_paper_settings(
            tenant=hanoi.tenant, max_upload_mb=100, grace_days=1, acting_user=hanoi.secretary
        )
        assert reading_ended(meeting)
    assert api_status(hanoi, "member", paper) == 403


def test_readable_papers_is_one_query(hanoi: World, upload_paper, django_assert_num_queries) -> None:
    for index in (0, 1, 2, None):
        upload_paper(hanoi, item_index=index)
    with tenant_context(hanoi.tenant):
        access = access_meeting(hanoi.guest, hanoi.meeting.pk)
        with django_assert_num_queries(1):
            assert len(list(readable_papers(access))) == 2
