"""The meeting pages through the test client: who gets which page and which
controls, every secretariat form, refusals shown as messages (never a 500),
and a fixed number of queries for the session page whatever its size."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents.models import Paper
from ecabinet.actions import do_create_user
from ecabinet.models import User
from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings import actions
from meetings.models import AgendaItem, Meeting, Participant
from tests.clock import HANOI, local_input, session_start
from tests.conftest import PASSWORD, World

# Five weeks on, and as the secretariat types it on a page (Hà Nội time).
LATER = session_start(days=35)
LATER_TYPED = local_input(LATER)

PARTICIPANTS = ["chair", "vice_chair", "member", "guest", "observer"]
CHAIR_CONSOLE = 'id="chair-console"'
MANAGE_LINK = 'id="manage-link"'
SPEAK_BUTTON = 'id="speak-request"'


def detail(world: World, meeting: Meeting | None = None) -> str:
    return reverse("meetings:meeting-detail", args=[(meeting or world.meeting).pk])


def manage(world: World, meeting: Meeting | None = None) -> str:
    return reverse("meetings:meeting-manage", args=[(meeting or world.meeting).pk])


def page_state(response: Any) -> dict[str, Any]:
    found = re.search(
        r'<script id="meeting-state" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found, "the page embeds no meeting state"
    return dict(json.loads(found.group(1)))


def text(response: Any) -> str:
    return str(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def in_tenant(world: World) -> Any:
    return tenant_context(world.tenant)


# --- who gets which page ------------------------------------------------------------


@pytest.mark.parametrize("who", [*PARTICIPANTS, "secretary"])
def test_every_participant_and_the_secretariat_get_the_session_page(hanoi: World, who: str) -> None:
    response = hanoi.client(getattr(hanoi, who)).get(detail(hanoi))
    assert response.status_code == 200
    assert hanoi.meeting.title in text(response)
    assert page_state(response)["meeting"]["id"] == hanoi.meeting.pk
    assert "data-needs-server" in text(response)


@pytest.mark.parametrize("who", ["other_member"])
def test_a_colleague_outside_the_meeting_gets_404_on_every_page(hanoi: World, who: str) -> None:
    client = hanoi.client(getattr(hanoi, who))
    assert client.get(detail(hanoi)).status_code == 404
    assert client.get(manage(hanoi)).status_code == 404
    assert (
        client.post(
            reverse("meetings:item-add", args=[hanoi.meeting.pk]), {"new-item-title": "x"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("who", [*PARTICIPANTS, "secretary", "other_member"])
def test_a_meeting_of_another_tenant_is_404(hanoi: World, danang: World, who: str) -> None:
    client = hanoi.client(getattr(hanoi, who))
    assert client.get(detail(danang)).status_code == 404
    assert client.get(manage(danang)).status_code == 404


def test_another_tenants_account_is_sent_to_login(hanoi: World, danang: World) -> None:
    for url in (detail(hanoi), manage(hanoi), "/meetings/new/"):
        response = hanoi.client(danang.secretary).get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_anonymous_is_sent_to_login(hanoi: World) -> None:
    for url in ("/", detail(hanoi), manage(hanoi), "/meetings/new/"):
        response = hanoi.client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_those_who_run_the_session_get_the_chair_console(hanoi: World) -> None:
    for who in [*PARTICIPANTS, "secretary"]:
        html = text(hanoi.client(getattr(hanoi, who)).get(detail(hanoi)))
        assert (CHAIR_CONSOLE in html) == (who == "chair"), who
        assert ('data-action="meeting.start"' in html) == (who == "chair"), who


def test_the_vice_chair_named_acting_chair_gets_the_chair_console(hanoi: World) -> None:
    with in_tenant(hanoi):
        vice = Participant.objects.get(meeting=hanoi.meeting, user=hanoi.vice_chair)
    response = hanoi.client(hanoi.secretary).post(
        reverse("meetings:meeting-acting-chair", args=[hanoi.meeting.pk]),
        {"participant": vice.pk},
        follow=True,
    )
    assert "Đã lưu người chủ trì thay." in messages_of(response)
    assert CHAIR_CONSOLE in text(hanoi.client(hanoi.vice_chair).get(detail(hanoi)))
    hanoi.client(hanoi.secretary).post(
        reverse("meetings:meeting-acting-chair", args=[hanoi.meeting.pk]), {"participant": ""}
    )
    assert CHAIR_CONSOLE not in text(hanoi.client(hanoi.vice_chair).get(detail(hanoi)))


def test_speak_and_comment_controls_follow_the_role(hanoi: World) -> None:
    for who in [*PARTICIPANTS, "secretary"]:
        html = text(hanoi.client(getattr(hanoi, who)).get(detail(hanoi)))
        # the secretariat is not a participant here: it comments but does not ask to speak
        assert (SPEAK_BUTTON in html) == (who in {"chair", "vice_chair", "member", "guest"}), who
        assert ('id="comment-form"' in html) == (who != "observer"), who
        assert ('id="check-in"' in html) == (who in PARTICIPANTS), who
        assert (MANAGE_LINK in html) == (who == "secretary"), who


def test_a_guest_sees_only_the_item_it_is_invited_to(hanoi: World) -> None:
    response = hanoi.client(hanoi.guest).get(detail(hanoi))
    html = text(response)
    assert [item["id"] for item in page_state(response)["items"]] == [hanoi.items[1].pk]
    assert hanoi.items[1].title in html
    for hidden in (hanoi.items[0], hanoi.items[2]):
        assert hidden.title not in html


def test_a_draft_is_the_secretariats_only(hanoi: World) -> None:
    with in_tenant(hanoi):
        draft = actions.do_copy_meeting(hanoi.meeting, scheduled_start=LATER, acting_user=hanoi.secretary)
    assert hanoi.client(hanoi.secretary).get(detail(hanoi, draft)).status_code == 200
    assert hanoi.client(hanoi.secretary).get(manage(hanoi, draft)).status_code == 200
    for who in PARTICIPANTS:
        assert hanoi.client(getattr(hanoi, who)).get(detail(hanoi, draft)).status_code == 404, who


@pytest.mark.parametrize("who", PARTICIPANTS)
def test_only_the_secretariat_gets_the_console_and_its_forms(hanoi: World, who: str) -> None:
    client = hanoi.client(getattr(hanoi, who))
    meeting_id = hanoi.meeting.pk
    assert client.get(manage(hanoi)).status_code == 403
    item, participant_id = hanoi.items[0], _participant_id(hanoi, "member")
    posts = {
        reverse("meetings:meeting-update", args=[meeting_id]): {"title": "Đổi tên"},
        reverse("meetings:meeting-publish", args=[meeting_id]): {},
        reverse("meetings:meeting-copy", args=[meeting_id]): {"scheduled_start": LATER_TYPED},
        reverse("meetings:meeting-acting-chair", args=[meeting_id]): {"participant": ""},
        reverse("meetings:item-add", args=[meeting_id]): {
            "new-item-title": "Chen ngang",
            "new-item-planned_minutes": 5,
        },
        reverse("meetings:item-update", args=[meeting_id, item.pk]): {f"item-{item.pk}-title": "Đổi"},
        reverse("meetings:item-remove", args=[meeting_id, item.pk]): {},
        reverse("meetings:item-move", args=[meeting_id, item.pk]): {"direction": "down"},
        reverse("meetings:item-reorder", args=[meeting_id]): {
            "order": ",".join(str(i.pk) for i in hanoi.items[::-1])
        },
        reverse("meetings:participant-add", args=[meeting_id]): {
            "new-p-user": hanoi.other_member.pk,
            "new-p-role": "member",
        },
        reverse("meetings:participant-change", args=[meeting_id, participant_id]): {
            f"p-{participant_id}-role": "guest"
        },
        reverse("meetings:participant-remove", args=[meeting_id, participant_id]): {},
        reverse("meetings:participant-substitute", args=[meeting_id, participant_id]): {
            "substitute": hanoi.other_member.pk
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    with in_tenant(hanoi):
        assert list(AgendaItem.objects.filter(meeting=hanoi.meeting).order_by("position")) == hanoi.items
        assert AgendaItem.objects.get(pk=item.pk).title == item.title
        assert Participant.objects.filter(meeting=hanoi.meeting).count() == 5
        assert Meeting.objects.count() == 1


def test_a_guest_cannot_create_meetings(hanoi: World) -> None:
    for who in [*PARTICIPANTS, "other_member"]:
        client = hanoi.client(getattr(hanoi, who))
        assert client.get("/meetings/new/").status_code == 403
        assert client.post("/meetings/new/", {"title": "x", "kind": "regular"}).status_code == 403


# --- my meetings ------------------------------------------------------------------------


def test_my_meetings_shows_status_and_start_time(hanoi: World) -> None:
    response = hanoi.client(hanoi.member).get("/")
    html = text(response)
    assert hanoi.meeting.title in html
    day = hanoi.meeting.scheduled_start.astimezone(HANOI)
    assert hanoi.meeting.scheduled_start.hour == 1  # 01:00 UTC is 08:00 in Hà Nội
    assert f"08:00, {day:%d/%m/%Y}" in html
    assert "Đã công bố" in html
    assert "Tạo cuộc họp" not in html
    assert 'id="create-meeting"' in text(hanoi.client(hanoi.secretary).get("/"))


def test_pages_speak_english_when_the_person_chose_it(hanoi: World) -> None:
    client = hanoi.client(hanoi.member)
    assert "Đăng ký phát biểu" in text(client.get(detail(hanoi)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = text(client.get(detail(hanoi)))
    assert "Request to speak" in html and "Đăng ký phát biểu" not in html


# --- the secretariat's forms --------------------------------------------------------------


def _participant_id(world: World, who: str) -> int:
    with in_tenant(world):
        return int(Participant.objects.get(meeting=world.meeting, user=getattr(world, who)).pk)


def _post(world: World, name: str, args: list[int], data: dict[str, Any]) -> Any:
    response = world.client(world.secretary).post(reverse(name, args=args), data, follow=True)
    assert response.status_code == 200
    return response


def test_secretariat_creates_a_meeting(hanoi: World) -> None:
    client = hanoi.client(hanoi.secretary)
    assert client.get("/meetings/new/").status_code == 200
    response = client.post(
        "/meetings/new/",
        {
            "title": "Phiên họp chuyên đề về xây dựng pháp luật",
            "kind": "thematic",
            "place": "Phòng họp số 1",
            "scheduled_start": LATER_TYPED,
            "planned_end": local_input(LATER + timedelta(hours=3, minutes=30)),
        },
    )
    with in_tenant(hanoi):
        meeting = Meeting.objects.get(title="Phiên họp chuyên đề về xây dựng pháp luật")
    assert response.status_code == 302 and response["Location"] == manage(hanoi, meeting)
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.scheduled_start == LATER  # typed in Hà Nội time
    assert meeting.created_by == hanoi.secretary


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "kind": "regular", "scheduled_start": LATER_TYPED}, "Tên: "),
        ({"title": "Họp", "kind": "nonsense", "scheduled_start": LATER_TYPED}, "Loại phiên họp: "),
        ({"title": "Họp", "kind": "regular", "scheduled_start": "hôm qua"}, "Thời gian bắt đầu: "),
        (
            {
                "title": "Họp",
                "kind": "regular",
                "scheduled_start": LATER_TYPED,
                "planned_end": local_input(LATER - timedelta(hours=1)),
            },
            "Thời gian dự kiến kết thúc phải sau thời gian bắt đầu.",
        ),
    ],
)
def test_bad_meeting_input_gives_a_message_not_a_500(
    hanoi: World, data: dict[str, str], message: str
) -> None:
    response = hanoi.client(hanoi.secretary).post("/meetings/new/", data)
    assert response.status_code == 200
    shown = messages_of(response)
    assert len(shown) == 1 and shown[0].startswith(message), shown
    assert "message-error" in text(response)
    with in_tenant(hanoi):
        assert Meeting.objects.count() == 1


def test_secretariat_edits_the_meeting(hanoi: World) -> None:
    moved = hanoi.meeting.scheduled_start + timedelta(days=1, hours=6)  # 14:00 the day after
    response = _post(
        hanoi,
        "meetings:meeting-update",
        [hanoi.meeting.pk],
        {
            "title": "Phiên họp thường kỳ tháng 12",
            "kind": "regular",
            "place": "Trụ sở UBND",
            "scheduled_start": local_input(moved),
            "planned_end": "",
            "speaking_limit_seconds": 180,
        },
    )
    assert "Đã lưu thông tin phiên họp." in messages_of(response)
    with in_tenant(hanoi):
        meeting = Meeting.objects.get(pk=hanoi.meeting.pk)
    assert meeting.title == "Phiên họp thường kỳ tháng 12"
    assert meeting.speaking_limit_seconds == 180
    assert meeting.scheduled_start == moved


def test_a_start_already_past_is_refused_with_a_word_and_an_unchanged_one_is_kept(hanoi: World) -> None:
    yesterday = local_input(timezone.now() - timedelta(days=1))
    client = hanoi.client(hanoi.secretary)
    # a new meeting, and a copy, starting yesterday: refused, nothing made
    created = client.post(
        "/meetings/new/", {"title": "Họp nhầm ngày", "kind": "regular", "scheduled_start": yesterday}
    )
    assert created.status_code == 200
    assert "đã qua" in text(created)
    copied = _post(hanoi, "meetings:meeting-copy", [hanoi.meeting.pk], {"scheduled_start": yesterday})
    assert any("đã qua" in m for m in messages_of(copied))
    with in_tenant(hanoi):
        assert Meeting.objects.count() == 1
    # a meeting moved to yesterday: refused, the start kept
    moved = _post(
        hanoi,
        "meetings:meeting-update",
        [hanoi.meeting.pk],
        {"title": "X", "kind": "regular", "scheduled_start": yesterday, "speaking_limit_seconds": 300},
    )
    assert any("đã qua" in m for m in messages_of(moved))
    with in_tenant(hanoi):
        meeting = Meeting.objects.get(pk=hanoi.meeting.pk)
        assert meeting.title != "X"
        # a meeting whose start has passed (under way today) keeps it when its place is edited
        past = timezone.now() - timedelta(hours=2)
        Meeting.objects.filter(pk=meeting.pk).update(scheduled_start=past)
    kept = _post(
        hanoi,
        "meetings:meeting-update",
        [hanoi.meeting.pk],
        {
            "title": meeting.title,
            "kind": "regular",
            "place": "Phòng họp số 2",
            "scheduled_start": local_input(past),
            "speaking_limit_seconds": 300,
        },
    )
    assert "Đã lưu thông tin phiên họp." in messages_of(kept)


def test_a_speaking_limit_out_of_range_is_a_message(hanoi: World) -> None:
    response = _post(
        hanoi,
        "meetings:meeting-update",
        [hanoi.meeting.pk],
        {"title": "X", "kind": "regular", "scheduled_start": LATER_TYPED, "speaking_limit_seconds": 5},
    )
    assert any("Thời gian phát biểu tối đa" in m for m in messages_of(response))
    with in_tenant(hanoi):
        assert Meeting.objects.get(pk=hanoi.meeting.pk).speaking_limit_seconds == 300


def test_secretariat_adds_updates_moves_and_removes_items(hanoi: World) -> None:
    meeting_id = hanoi.meeting.pk
    response = _post(
        hanoi,
        "meetings:item-add",
        [meeting_id],
        {
            "new-item-title": "Tờ trình về quy hoạch Thủ đô",
            "new-item-summary": "Điều chỉnh quy hoạch",
            "new-item-presenting_unit": "Sở Quy hoạch - Kiến trúc",
            "new-item-presenter": hanoi.member.pk,
            "new-item-planned_minutes": 25,
        },
    )
    assert "Đã thêm nội dung vào chương trình." in messages_of(response)
    with in_tenant(hanoi):
        added = AgendaItem.objects.get(meeting_id=meeting_id, title="Tờ trình về quy hoạch Thủ đô")
    assert (added.position, added.presenter, added.planned_minutes) == (4, hanoi.member, 25)
    assert added.changed_at is not None  # the agenda is published: marked as changed
    assert "Đã thay đổi" in text(hanoi.client(hanoi.member).get(detail(hanoi)))

    prefix = f"item-{added.pk}"
    _post(
        hanoi,
        "meetings:item-update",
        [meeting_id, added.pk],
        {f"{prefix}-title": "Tờ trình về quy hoạch chung Thủ đô", f"{prefix}-planned_minutes": 40},
    )
    _post(hanoi, "meetings:item-move", [meeting_id, added.pk], {"direction": "up"})
    with in_tenant(hanoi):
        added.refresh_from_db()
        assert (added.title, added.planned_minutes, added.position) == (
            "Tờ trình về quy hoạch chung Thủ đô",
            40,
            3,
        )

    order = [hanoi.items[2].pk, added.pk, hanoi.items[0].pk, hanoi.items[1].pk]
    response = _post(hanoi, "meetings:item-reorder", [meeting_id], {"order": ",".join(map(str, order))})
    assert "Đã lưu thứ tự chương trình." in messages_of(response)
    with in_tenant(hanoi):
        assert (
            list(
                AgendaItem.objects.filter(meeting_id=meeting_id)
                .order_by("position")
                .values_list("pk", flat=True)
            )
            == order
        )

    _post(hanoi, "meetings:item-remove", [meeting_id, added.pk], {})
    with in_tenant(hanoi):
        assert not AgendaItem.objects.filter(pk=added.pk).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("meetings:item-add", {"new-item-title": "X", "new-item-planned_minutes": 0}, "Thời lượng dự kiến"),
        ("meetings:item-add", {"new-item-title": "", "new-item-planned_minutes": 10}, "Tên"),
        ("meetings:item-reorder", {"order": "1,2,abc"}, "Thứ tự mới phải là danh sách số"),
        ("meetings:item-reorder", {"order": "1"}, "Thứ tự mới phải"),
        ("meetings:participant-add", {"new-p-user": "999999", "new-p-role": "member"}, "Cá nhân"),
        ("meetings:participant-add", {"new-p-user": "", "new-p-role": "king"}, "Cá nhân"),
    ],
)
def test_bad_form_input_gives_a_message_not_a_500(
    hanoi: World, name: str, data: dict[str, Any], message: str
) -> None:
    response = _post(hanoi, name, [hanoi.meeting.pk], data)
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert response.redirect_chain[-1][0].startswith(manage(hanoi))
    with in_tenant(hanoi):
        assert AgendaItem.objects.filter(meeting=hanoi.meeting).count() == 3


def test_a_wrong_state_action_shows_the_actions_refusal(hanoi: World) -> None:
    with in_tenant(hanoi):
        actions.do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        actions.do_open_item(hanoi.meeting, item=None, acting_user=hanoi.chair)
    # an item under discussion stays on the agenda
    response = _post(hanoi, "meetings:item-remove", [hanoi.meeting.pk, hanoi.items[0].pk], {})
    assert any("đã thảo luận" in m or "hoãn" in m.lower() for m in messages_of(response)), messages_of(
        response
    )
    # moving the first item up
    response = _post(hanoi, "meetings:item-move", [hanoi.meeting.pk, hanoi.items[0].pk], {"direction": "up"})
    assert len(messages_of(response)) == 1
    # publishing twice
    response = _post(hanoi, "meetings:meeting-publish", [hanoi.meeting.pk], {})
    assert len(messages_of(response)) == 1 and "message-error" in text(response)
    with in_tenant(hanoi):
        assert AgendaItem.objects.filter(meeting=hanoi.meeting).count() == 3


def test_a_closed_meeting_refuses_changes_with_a_message(hanoi: World) -> None:
    with in_tenant(hanoi):
        actions.do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        actions.do_close_meeting(hanoi.meeting, acting_user=hanoi.chair)
    response = _post(
        hanoi,
        "meetings:item-add",
        [hanoi.meeting.pk],
        {"new-item-title": "Muộn", "new-item-planned_minutes": 5},
    )
    assert any("đã kết thúc" in m or "không thể" in m.lower() for m in messages_of(response)), messages_of(
        response
    )
    assert 'id="add-item-form"' not in text(response)  # a closed meeting shows no editing forms


def test_secretariat_invites_changes_and_removes_participants(hanoi: World) -> None:
    meeting_id = hanoi.meeting.pk
    response = _post(
        hanoi,
        "meetings:participant-add",
        [meeting_id],
        {"new-p-user": hanoi.other_member.pk, "new-p-role": "guest"},
    )
    assert "Đã mời thành phần tham dự." in messages_of(response)
    new_id = _participant_id(hanoi, "other_member")
    _post(
        hanoi,
        "meetings:participant-change",
        [meeting_id, new_id],
        {f"p-{new_id}-role": "guest", f"p-{new_id}-items": [hanoi.items[2].pk]},
    )
    state = page_state(hanoi.client(hanoi.other_member).get(detail(hanoi)))
    assert [i["id"] for i in state["items"]] == [hanoi.items[2].pk]
    _post(hanoi, "meetings:participant-change", [meeting_id, new_id], {f"p-{new_id}-role": "member"})
    state = page_state(hanoi.client(hanoi.other_member).get(detail(hanoi)))
    assert len(state["items"]) == 3 and state["me"]["role"] == "member"
    response = _post(hanoi, "meetings:participant-remove", [meeting_id, new_id], {})
    assert "Đã bỏ thành phần khỏi danh sách." in messages_of(response)
    assert hanoi.client(hanoi.other_member).get(detail(hanoi)).status_code == 404


def test_a_person_of_another_tenant_cannot_be_invited(hanoi: World, danang: World) -> None:
    response = _post(
        hanoi,
        "meetings:participant-add",
        [hanoi.meeting.pk],
        {"new-p-user": danang.member.pk, "new-p-role": "member"},
    )
    assert any("Cá nhân" in m for m in messages_of(response))
    with in_tenant(hanoi):
        assert not Participant.objects.filter(user=danang.member).exists()


def test_a_member_names_a_substitute(hanoi: World) -> None:
    member_id = _participant_id(hanoi, "member")
    response = _post(
        hanoi,
        "meetings:participant-substitute",
        [hanoi.meeting.pk, member_id],
        {"substitute": hanoi.other_member.pk},
    )
    assert "Đã ủy quyền người dự họp thay." in messages_of(response)
    html = text(hanoi.client(hanoi.chair).get(detail(hanoi)))
    assert f"dự họp thay {hanoi.member.full_name}" in html
    # naming a second one is refused with the action's words
    with in_tenant(hanoi):
        third = do_create_user(
            tenant=hanoi.tenant,
            username="hanoi-x",
            full_name="Người thứ ba",
            password=PASSWORD,
            check_password=False,
        )
    response = _post(
        hanoi, "meetings:participant-substitute", [hanoi.meeting.pk, member_id], {"substitute": third.pk}
    )
    assert len(messages_of(response)) == 1 and "message-error" in text(response)


def test_secretariat_publishes_and_copies(hanoi: World) -> None:
    response = _post(
        hanoi, "meetings:meeting-copy", [hanoi.meeting.pk], {"title": "", "scheduled_start": LATER_TYPED}
    )
    assert "Bản sao đã sẵn sàng để chuẩn bị." in messages_of(response)
    with in_tenant(hanoi):
        copy = Meeting.objects.exclude(pk=hanoi.meeting.pk).get()
        assert copy.status == Meeting.Status.DRAFT and copy.items.count() == 3
    assert response.redirect_chain[-1][0] == manage(hanoi, copy)
    assert "Công bố chương trình" in text(response)
    response = _post(hanoi, "meetings:meeting-publish", [copy.pk], {})
    assert "Đã công bố chương trình; mọi thành phần tham dự đã được thông báo." in messages_of(response)
    with in_tenant(hanoi):
        assert Meeting.objects.get(pk=copy.pk).status == Meeting.Status.PUBLISHED
    assert hanoi.client(hanoi.member).get(detail(hanoi, copy)).status_code == 200


def test_the_console_lists_the_tenants_directory_only(hanoi: World, danang: World) -> None:
    with tenant_context(danang.tenant):
        stranger = do_create_user(
            tenant=danang.tenant,
            username="danang-x",
            full_name="Cán bộ Đà Nẵng",
            password=PASSWORD,
            check_password=False,
        )
    html = text(hanoi.client(hanoi.secretary).get(manage(hanoi)))
    assert hanoi.other_member.full_name in html
    assert stranger.full_name not in html


def test_every_write_needs_post(hanoi: World) -> None:
    client = hanoi.client(hanoi.secretary)
    assert client.get(reverse("meetings:meeting-publish", args=[hanoi.meeting.pk])).status_code == 405
    assert client.get(reverse("meetings:item-add", args=[hanoi.meeting.pk])).status_code == 405


# --- the session page's state -------------------------------------------------------------


def test_the_page_starts_from_the_live_state(hanoi: World) -> None:
    with in_tenant(hanoi):
        actions.do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        actions.do_open_item(hanoi.meeting, item=None, acting_user=hanoi.chair)
        member = Participant.objects.get(meeting=hanoi.meeting, user=hanoi.member)
        actions.do_check_in(member, attendance="room", acting_user=hanoi.member)
        request = actions.do_request_to_speak(hanoi.meeting, participant=member, kind="question")
        actions.do_give_floor(hanoi.meeting, request_id=request.pk, acting_user=hanoi.chair)
        comment = actions.do_add_comment(
            hanoi.items[0], author=hanoi.member, text="Ý kiến thứ nhất", visibility="all"
        )
        actions.do_edit_comment(comment, author=hanoi.member, text="Ý kiến đã sửa")
        actions.do_add_comment(
            hanoi.items[0], author=hanoi.member, text="Chỉ Văn phòng đọc", visibility="secretariat"
        )
    response = hanoi.client(hanoi.vice_chair).get(detail(hanoi))
    html = text(response)
    state = page_state(response)
    assert state["meeting"]["current_item_id"] == hanoi.items[0].pk
    assert 'class="agenda-item status-open is-current is-selected"' in html
    assert f'<span class="floor-name" id="floor-name">{hanoi.member.full_name}</span>' in html
    assert "Ý kiến đã sửa" in html and "đã sửa" in html
    assert "Chỉ Văn phòng đọc" not in html  # a vice-chair is not the secretariat
    assert "Chỉ Văn phòng đọc" in text(hanoi.client(hanoi.secretary).get(detail(hanoi)))
    # the chair reads it too, and the words say so, to the author choosing and to the chair reading
    chairs = text(hanoi.client(hanoi.chair).get(detail(hanoi)))
    assert "Chỉ Văn phòng đọc" in chairs and '<span class="flag">Chỉ Văn phòng và chủ trì</span>' in chairs
    assert 'value="secretariat"> Chỉ Văn phòng và chủ trì</label>' in html
    assert 'data-last-seq="' in html
    assert (
        int(re.search(r'data-last-seq="(\d+)"', html).group(1))
        == hanoi.meeting.stream.__class__.objects.get(pk=hanoi.meeting.stream_id).last_seq
    )


def _distribute_to_everyone(meeting: Meeting) -> None:
    """Give every paper of the meeting a current version, granted to all participants."""
    from guardian.shortcuts import assign_perm

    from documents.access import meeting_papers
    from documents.models import PaperVersion

    papers = list(Paper.objects.filter(meeting=meeting))
    versions = PaperVersion.objects.bulk_create(
        PaperVersion(
            tenant_id=meeting.tenant_id,
            paper=paper,
            number=1,
            file=f"{paper.pk}.pdf",
            sha256="0" * 64,
            size=1,
            page_count=paper.page_count,
        )
        for paper in papers
    )
    for paper, version in zip(papers, versions, strict=True):
        paper.current_version = version
    Paper.objects.bulk_update(papers, ["current_version"])
    assign_perm("view_paper", meeting_papers(meeting).group, Paper.objects.filter(meeting=meeting))


def _big_meeting(world: World, *, items: int, papers: int, participants: int) -> Meeting:
    with in_tenant(world):
        meeting = actions.do_create_meeting(
            tenant=world.tenant,
            title=f"Phiên họp {items} nội dung",
            scheduled_start=session_start(days=60),
            acting_user=world.secretary,
        )
        agenda = [
            actions.do_add_item(
                meeting, title=f"Nội dung số {n}", planned_minutes=10, acting_user=world.secretary
            )
            for n in range(items)
        ]
        Paper.objects.bulk_create(
            Paper(
                tenant_id=world.tenant.pk,
                meeting=meeting,
                item=agenda[n % items],
                title=f"Tài liệu số {n}",
                page_count=n + 1,
            )
            for n in range(papers)
        )
        _distribute_to_everyone(meeting)
        actions.do_add_participant(meeting, user=world.chair, role=Role.CHAIR, acting_user=None)
        actions.do_add_participant(meeting, user=world.member, role=Role.MEMBER, acting_user=None)
        for n in range(participants - 2):
            user = User.objects.create(
                tenant=world.tenant, username=f"{world.tenant.slug}-p{items}-{n}", full_name=f"Thành viên {n}"
            )
            actions.do_add_participant(meeting, user=user, role=Role.MEMBER, acting_user=None)
        meeting = actions.do_publish_meeting(meeting, acting_user=world.secretary)
        actions.do_start_meeting(meeting, acting_user=world.chair)
        actions.do_open_item(meeting, item=None, acting_user=world.chair)
        member = Participant.objects.get(meeting=meeting, user=world.member)
        actions.do_request_to_speak(meeting, participant=member, kind="speech")
        for item in agenda[:5]:
            actions.do_add_comment(item, author=world.member, text="Ý kiến", visibility="all")
    return meeting


# measured: session, user, meeting, participant, state reads; the ballot panel (voting): up to 4;
# the substitutes card (proposals, whom a member may propose): up to 2
QUERY_BOUND = 19


@pytest.mark.parametrize("who", ["member", "chair"])
def test_the_session_page_runs_a_fixed_number_of_queries(
    hanoi: World, who: str, django_assert_max_num_queries: Any
) -> None:
    small = _big_meeting(hanoi, items=3, papers=5, participants=3)
    large = _big_meeting(hanoi, items=40, papers=200, participants=30)
    client: Client = hanoi.client(getattr(hanoi, who))
    client.get(detail(hanoi, small))  # warm the session and the site caches
    with django_assert_max_num_queries(QUERY_BOUND) as small_run:
        response = client.get(detail(hanoi, small))
    assert response.status_code == 200
    with django_assert_max_num_queries(QUERY_BOUND) as large_run:
        response = client.get(detail(hanoi, large))
    assert response.status_code == 200
    state = page_state(response)
    assert len(state["items"]) == 40 and len(state["participants"]) == 30
    assert sum(len(i["papers"]) for i in state["items"]) == 200
    assert "Tài liệu số 0" in text(response)  # the current item's papers are on the page
    assert len(large_run.captured_queries) == len(small_run.captured_queries)


def test_the_console_runs_a_fixed_number_of_queries(hanoi: World, django_assert_max_num_queries: Any) -> None:
    small = _big_meeting(hanoi, items=3, papers=5, participants=3)
    large = _big_meeting(hanoi, items=40, papers=200, participants=30)
    client = hanoi.client(hanoi.secretary)
    client.get(manage(hanoi, small))
    with django_assert_max_num_queries(QUERY_BOUND) as small_run:
        assert client.get(manage(hanoi, small)).status_code == 200
    with django_assert_max_num_queries(QUERY_BOUND) as large_run:
        response = client.get(manage(hanoi, large))
    assert response.status_code == 200 and "Nội dung số 39" in text(response)
    assert len(large_run.captured_queries) == len(small_run.captured_queries)


def test_the_page_names_statuses_and_roles_by_code_in_the_readers_language(hanoi):
    """Live events carry the label of whoever caused them; the page shows its own."""
    import json
    import re

    def labels(client):
        html = client.get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
        found = re.search(r'<script id="meeting-labels" type="application/json">(.*?)</script>', html, re.S)
        assert found is not None
        return json.loads(found.group(1))["choices"]

    vietnamese = labels(hanoi.client(hanoi.member))
    assert vietnamese["item_status"]["open"] == "Đang thảo luận"
    assert vietnamese["role"]["chair"] == "Chủ trì"
    assert vietnamese["speak_kind"]["point_of_order"] == "Kiến nghị về thủ tục"
    client = hanoi.client(hanoi.member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = labels(client)
    assert english["item_status"]["open"] == "Under discussion"
    assert english["meeting_status"]["in_session"] == "In session"


def test_the_hall_display_is_the_secretariats_and_the_chairs_only(hanoi: World, danang: World) -> None:
    url = f"/meetings/{hanoi.meeting.pk}/display/"
    for user in (hanoi.secretary, hanoi.chair):
        page = hanoi.client(user).get(url)
        assert page.status_code == 200
        html = text(page)
        assert 'id="display-item-title"' in html and 'id="meeting-state"' in html
        assert "<button" not in html and "<form" not in html  # nothing to touch on a wall
        assert f'href="{url}"' in text(hanoi.client(user).get(detail(hanoi)))  # the way to it
    for user in (hanoi.member, hanoi.vice_chair, hanoi.guest, hanoi.observer):
        assert hanoi.client(user).get(url).status_code == 403
        assert f'href="{url}"' not in text(hanoi.client(user).get(detail(hanoi)))
    assert hanoi.client(hanoi.other_member).get(url).status_code == 404
    assert danang.client(danang.secretary).get(url).status_code == 404  # another tenant's meeting
    assert hanoi.client(hanoi.secretary).post(url).status_code == 405
