"""The voting pages: the member's tablet, the chair, the secretariat; roles and tenants; bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_start_meeting
from meetings.models import AgendaItem, Participant
from tests.clock import in_days, local_input
from tests.conftest import World
from voting.actions import do_cast_vote, do_give_position, do_issue_slip, do_open_ballot, do_remind_slip
from voting.models import Position, Slip, SlipAnswer


def _slip(world: World, **kwargs) -> Slip:
    with tenant_context(world.tenant):
        return do_issue_slip(
            tenant=world.tenant,
            question="Ý kiến về dự thảo Nghị quyết?",
            draft="Điều 1. Phê duyệt.",
            deadline=timezone.now() + timedelta(hours=20),
            recipients=[world.chair, world.member],
            acting_user=world.secretary,
            **kwargs,
        )


def test_a_member_answers_a_slip_on_the_tablet(hanoi: World) -> None:
    slip = _slip(hanoi)
    member = hanoi.client(hanoi.member)
    page = member.get(f"/slips/{slip.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ý kiến về dự thảo Nghị quyết?" in html and "Đồng ý" in html and "Ý kiến khác" in html
    refused = member.post(f"/slips/{slip.pk}/answer/", {"choice": "other", "text": " "}, follow=True)
    assert "không được để trống" in refused.content.decode()
    member.post(f"/slips/{slip.pk}/answer/", {"choice": "disagree"})
    with tenant_context(hanoi.tenant):
        assert SlipAnswer.objects.get(slip=slip, user=hanoi.member).choice == "disagree"


def test_bad_answers_are_messages_not_500(hanoi: World) -> None:
    slip = _slip(hanoi)
    member = hanoi.client(hanoi.member)
    for body in ({"choice": "maybe"}, {}, {"choice": "agree", "text": "x" * 6000}):
        response = member.post(f"/slips/{slip.pk}/answer/", body)
        assert response.status_code == 302
    assert (
        hanoi.client(hanoi.other_member).post(f"/slips/{slip.pk}/answer/", {"choice": "agree"}).status_code
        == 404
    )


def test_the_member_sees_reminders_and_only_their_slips(hanoi: World, django_assert_max_num_queries) -> None:
    slip = _slip(hanoi)
    _slip(hanoi)
    with tenant_context(hanoi.tenant):
        do_remind_slip(slip)  # 20 hours left: the 24-hour reminder is due
    member = hanoi.client(hanoi.member)
    with django_assert_max_num_queries(12):
        page = member.get("/slips/")
    html = page.content.decode()
    assert 'id="reminders"' in html and f"/slips/{slip.pk}/" in html
    assert "Phát phiếu lấy ý kiến" not in html  # the issuing button is the secretariat's
    other = hanoi.client(hanoi.other_member).get("/slips/").content.decode()
    assert f"/slips/{slip.pk}/" not in other and 'id="reminders"' not in other


def test_the_slip_list_costs_the_same_for_ten_slips(hanoi: World, django_assert_num_queries) -> None:
    for _ in range(2):
        _slip(hanoi)
    secretariat = hanoi.client(hanoi.secretary)
    secretariat.get("/slips/")  # warm the session
    with django_assert_num_queries(8) as few:
        secretariat.get("/slips/")
    for _ in range(8):
        _slip(hanoi)
    with django_assert_num_queries(len(few.captured_queries)):
        secretariat.get("/slips/")


def test_the_secretariat_issues_sees_who_answered_and_closes(hanoi: World) -> None:
    secretariat = hanoi.client(hanoi.secretary)
    form = secretariat.get("/slips/new/")
    assert form.status_code == 200
    deadline = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = secretariat.post(
        "/slips/new/",
        {
            "question": "Ý kiến về chủ trương đầu tư?",
            "draft": "Dự thảo",
            "deadline": deadline,
            "recipients": [str(hanoi.chair.pk), str(hanoi.member.pk)],
            "majority": "members",
            "allow_change": "on",
        },
    )
    assert response.status_code == 302
    with tenant_context(hanoi.tenant):
        slip = Slip.objects.get(question="Ý kiến về chủ trương đầu tư?")
    hanoi.client(hanoi.member).post(f"/slips/{slip.pk}/answer/", {"choice": "agree"})
    page = secretariat.get(f"/slips/{slip.pk}/").content.decode()
    assert "Chưa trả lời" in page or "chưa trả lời" in page
    assert hanoi.member.full_name in page and hanoi.chair.full_name in page
    assert secretariat.post(f"/slips/{slip.pk}/close/").status_code == 302
    slip.refresh_from_db()
    assert slip.status == "closed"


def test_bad_slip_forms_are_messages(hanoi: World) -> None:
    secretariat = hanoi.client(hanoi.secretary)
    later, earlier = local_input(in_days(30)), local_input(in_days(-1))
    for body in (
        {
            "question": "",
            "deadline": later,
            "recipients": [str(hanoi.member.pk)],
            "majority": "members",
        },
        {
            "question": "Q",
            "deadline": "tomorrow",
            "recipients": [str(hanoi.member.pk)],
            "majority": "members",
        },
        {
            "question": "Q",
            "deadline": earlier,
            "recipients": [str(hanoi.member.pk)],
            "majority": "members",
        },
        {"question": "Q", "deadline": later, "recipients": ["999999"], "majority": "members"},
    ):
        response = secretariat.post("/slips/new/", body)
        assert response.status_code == 200
        assert 'class="message message-error"' in response.content.decode()
    assert Slip.all_tenants.count() == 0


@pytest.mark.parametrize("who", ["chair", "member", "guest"])
def test_only_the_secretariat_issues_and_closes(hanoi: World, who: str) -> None:
    slip = _slip(hanoi)
    client = hanoi.client(getattr(hanoi, who))
    assert client.get("/slips/new/").status_code == 403
    assert client.post(f"/slips/{slip.pk}/close/").status_code in (403, 404)
    assert client.post("/slips/rules/", {"reminder_hours": "1"}).status_code == 403


def test_another_tenant_gets_404(hanoi: World, danang: World) -> None:
    slip = _slip(hanoi)
    for user in (danang.secretary, danang.member):
        client = danang.client(user)
        assert client.get(f"/slips/{slip.pk}/").status_code == 404
        assert client.get(f"/meetings/{hanoi.meeting.pk}/positions/").status_code == 404


def test_members_give_positions_and_the_chair_sees_them(hanoi: World) -> None:
    member = hanoi.client(hanoi.member)
    page = member.get(f"/meetings/{hanoi.meeting.pk}/positions/").content.decode()
    assert "Không phản đối" in page and 'id="all-positions"' not in page
    member.post(
        f"/meetings/{hanoi.meeting.pk}/positions/give/",
        {"item_id": hanoi.items[0].pk, "kind": "objection", "reason": "Chưa đủ hồ sơ"},
    )
    refused = member.post(
        f"/meetings/{hanoi.meeting.pk}/positions/give/",
        {"item_id": hanoi.items[1].pk, "kind": "objection"},
        follow=True,
    )
    assert "message-error" in refused.content.decode()
    with tenant_context(hanoi.tenant):
        assert list(Position.objects.values_list("kind", flat=True)) == ["objection"]
    chair = hanoi.client(hanoi.chair).get(f"/meetings/{hanoi.meeting.pk}/positions/").content.decode()
    assert 'id="all-positions"' in chair and "Chưa đủ hồ sơ" in chair
    assert "chưa trả lời" in chair.lower()  # the others are shown as not answered, not as agreeing
    assert (
        hanoi.client(hanoi.observer)
        .post(
            f"/meetings/{hanoi.meeting.pk}/positions/give/",
            {"item_id": hanoi.items[0].pk, "kind": "no_objection"},
        )
        .status_code
        == 403
    )


def test_the_chair_adopts_the_consent_list_from_the_meeting_page(hanoi: World) -> None:
    with tenant_context(hanoi.tenant):
        part = Participant.objects.get(meeting=hanoi.meeting, user=hanoi.member)
        do_give_position(hanoi.items[2], participant=part, kind="no_objection")
        do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
    chair = hanoi.client(hanoi.chair)
    page = chair.get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
    assert 'id="ballot"' in page and "consent-form" in page
    assert (
        "consent-form"
        not in hanoi.client(hanoi.member).get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
    )
    assert (
        hanoi.client(hanoi.member).post(f"/meetings/{hanoi.meeting.pk}/consent-list/adopt/").status_code
        == 403
    )
    assert chair.post(f"/meetings/{hanoi.meeting.pk}/consent-list/adopt/").status_code == 302
    with tenant_context(hanoi.tenant):
        assert AgendaItem.objects.get(pk=hanoi.items[2].pk).status == "concluded"


def test_the_meeting_page_carries_the_ballot_state(hanoi: World) -> None:
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_open_item(meeting, item=hanoi.items[0], acting_user=hanoi.chair)
        ballot = do_open_ballot(meeting, acting_user=hanoi.chair, question="Thông qua tờ trình?", secret=True)
        do_cast_vote(
            ballot, participant=Participant.objects.get(meeting=meeting, user=hanoi.member), option="for"
        )
    page = hanoi.client(hanoi.member).get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
    assert "Thông qua tờ trình?" in page and 'id="voting-state"' in page
    assert "js/voting.js" in page and "css/voting.css" in page
    assert '"voted": true' in page
    # the guest is not invited to item 1: no ballot state of it
    guest = hanoi.client(hanoi.guest).get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
    assert "Thông qua tờ trình?" not in guest


def test_the_secretariat_sets_the_reminder_hours(hanoi: World) -> None:
    secretariat = hanoi.client(hanoi.secretary)
    secretariat.post("/slips/rules/", {"reminder_hours": "48, 6"})
    assert 'value="48, 6"' in secretariat.get("/slips/").content.decode()
    bad = secretariat.post("/slips/rules/", {"reminder_hours": "soon"}, follow=True)
    assert "message-error" in bad.content.decode()


def test_the_ballots_countdown_choices_are_words_of_the_readers_language(hanoi: World) -> None:
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_open_item(meeting, item=hanoi.items[0], acting_user=hanoi.chair)
    chair = hanoi.client(hanoi.chair)
    page = chair.get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
    choices = page[page.index('id="ballot-countdown"') :].split("</select>")[0]
    for words in ("30 giây", "1 phút", "2 phút", "5 phút"):
        assert f">{words}<" in choices
    assert " s<" not in choices and "min<" not in choices
    chair.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = chair.get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
    choices = english[english.index('id="ballot-countdown"') :].split("</select>")[0]
    assert ">30 seconds<" in choices and ">1 minute<" in choices and ">5 minutes<" in choices
