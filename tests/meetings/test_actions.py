"""The meetings services, called directly: the state machine, clocks, the
speakers queue, quorum, substitutes, comments, agenda edits and the events
each action publishes. Messages are checked in Vietnamese, the default."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from ecabinet.errors import ActionError, Invalid, NotAllowed, NotFound, WrongState
from ecabinet.models import Event, EventStream
from ecabinet.realtime import event_shapes
from ecabinet.roles import Role
from ecabinet.shapes import problems
from ecabinet.tenancy import tenant_context
from meetings import actions
from meetings.access import access_meeting
from meetings.models import (
    AgendaItem,
    Comment,
    CommentRevision,
    Meeting,
    MeetingSettings,
    Participant,
    SpeakRequest,
)
from meetings.selectors import meeting_state
from tests.clock import session_start
from tests.conftest import World, requires_postgres

# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def w(in_hanoi: World) -> World:
    """Hà Nội's world, with its tenant set for the test's body."""
    return in_hanoi


def part(meeting: Meeting, user: Any) -> Participant:
    return Participant.objects.get(meeting=meeting, user=user)


def fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def draft_meeting(w: World) -> Meeting:
    """A meeting in preparation with three items and the world's people."""
    meeting = actions.do_create_meeting(
        tenant=w.tenant,
        title="Phiên họp chuyên đề",
        scheduled_start=session_start(days=10),
        acting_user=w.secretary,
    )
    items = [
        actions.do_add_item(meeting, title=f"Nội dung {n}", acting_user=w.secretary, planned_minutes=10)
        for n in (1, 2, 3)
    ]
    for user, role in [
        (w.chair, Role.CHAIR),
        (w.vice_chair, Role.VICE_CHAIR),
        (w.member, Role.MEMBER),
        (w.guest, Role.GUEST),
        (w.observer, Role.OBSERVER),
    ]:
        actions.do_add_participant(meeting, user=user, role=role, acting_user=w.secretary)
    part(meeting, w.guest).items.set([items[1]])
    return fresh(meeting)


def items_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))


# States a meeting can be in, each reached through the actions themselves.
def to_state(w: World, state: str) -> Meeting:
    meeting = draft_meeting(w)
    if state == "draft":
        return meeting
    actions.do_publish_meeting(meeting, acting_user=w.secretary)
    if state == "published":
        return fresh(meeting)
    if state == "closed":
        actions.do_start_meeting(meeting, acting_user=w.chair)
        actions.do_close_meeting(meeting, acting_user=w.chair)
        return fresh(meeting)
    actions.do_start_meeting(meeting, acting_user=w.chair)
    if state.endswith("+item"):
        actions.do_open_item(meeting, item=items_of(meeting)[0], acting_user=w.chair)
    if state.startswith("adjourned"):
        actions.do_adjourn_meeting(meeting, acting_user=w.chair)
    return fresh(meeting)


STATES = ["draft", "published", "in_session", "in_session+item", "adjourned", "adjourned+item", "closed"]


def new_events(meeting: Meeting, since: int) -> list[Event]:
    return list(Event.objects.filter(stream_id=meeting.stream_id, seq__gt=since).order_by("seq"))


def last_seq(meeting: Meeting) -> int:
    return EventStream.objects.get(pk=meeting.stream_id).last_seq


# --- the state machine: meeting transitions ------------------------------------------------

NOT_PUBLISHABLE = "Chỉ cuộc họp đang chuẩn bị mới có thể công bố."
NOT_STARTABLE = "Chỉ bắt đầu được cuộc họp đã công bố và chưa bắt đầu."
NOT_ADJOURNABLE = "Chỉ tạm dừng được cuộc họp đang diễn ra."
NOT_RESUMABLE = "Chỉ tiếp tục được cuộc họp đang tạm dừng."
NOT_CLOSABLE = "Chỉ kết thúc được cuộc họp đang diễn ra hoặc đang tạm dừng."
CLOSED = "Cuộc họp đã kết thúc."

TRANSITION_TABLE: dict[tuple[str, str], str] = {
    ("draft", "publish"): "published",
    ("draft", "start"): NOT_STARTABLE,
    ("draft", "adjourn"): NOT_ADJOURNABLE,
    ("draft", "resume"): NOT_RESUMABLE,
    ("draft", "close"): NOT_CLOSABLE,
    ("published", "publish"): NOT_PUBLISHABLE,
    ("published", "start"): "in_session",
    ("published", "adjourn"): NOT_ADJOURNABLE,
    ("published", "resume"): NOT_RESUMABLE,
    ("published", "close"): NOT_CLOSABLE,
    ("in_session", "publish"): NOT_PUBLISHABLE,
    ("in_session", "start"): NOT_STARTABLE,
    ("in_session", "adjourn"): "adjourned",
    ("in_session", "resume"): NOT_RESUMABLE,
    ("in_session", "close"): "closed",
    ("adjourned", "publish"): NOT_PUBLISHABLE,
    ("adjourned", "start"): NOT_STARTABLE,
    ("adjourned", "adjourn"): NOT_ADJOURNABLE,
    ("adjourned", "resume"): "in_session",
    ("adjourned", "close"): "closed",
    ("closed", "publish"): CLOSED,
    ("closed", "start"): CLOSED,
    ("closed", "adjourn"): CLOSED,
    ("closed", "resume"): CLOSED,
    ("closed", "close"): CLOSED,
}

TRANSITION_ACTIONS: dict[str, Callable[..., Meeting]] = {
    "publish": actions.do_publish_meeting,
    "start": actions.do_start_meeting,
    "adjourn": actions.do_adjourn_meeting,
    "resume": actions.do_resume_meeting,
    "close": actions.do_close_meeting,
}


@pytest.mark.parametrize(("state", "action"), sorted(TRANSITION_TABLE))
def test_meeting_transitions_as_a_table(w, state, action):
    # given
    meeting = to_state(w, state)
    expected = TRANSITION_TABLE[(state, action)]
    before = last_seq(meeting)
    # when / then
    if expected in Meeting.Status.values:
        result = TRANSITION_ACTIONS[action](meeting, acting_user=w.chair)
        assert result.status == expected
        assert fresh(meeting).status == expected
    else:
        with pytest.raises(WrongState) as error:
            TRANSITION_ACTIONS[action](meeting, acting_user=w.chair)
        assert str(error.value.detail) == expected
        assert error.value.code == "wrong_state"
        assert fresh(meeting).status == state
        assert last_seq(meeting) == before  # a refused action publishes nothing


def test_the_table_covers_every_status_and_transition():
    assert {s for s, _ in TRANSITION_TABLE} == set(Meeting.Status.values)
    assert {a for _, a in TRANSITION_TABLE} == set(actions.TRANSITIONS)


def test_publishing_needs_an_agenda_and_closing_needs_no_open_item(w):
    empty = actions.do_create_meeting(
        tenant=w.tenant,
        title="Trống",
        scheduled_start=session_start(days=10),
        acting_user=w.secretary,
    )
    with pytest.raises(WrongState, match="Cần có ít nhất một nội dung"):
        actions.do_publish_meeting(empty, acting_user=w.secretary)
    assert fresh(empty).status == "draft"
    meeting = to_state(w, "in_session+item")
    with pytest.raises(WrongState) as error:
        actions.do_close_meeting(meeting, acting_user=w.chair)
    assert str(error.value.detail) == (
        "Hãy kết luận hoặc hoãn nội dung đang thảo luận trước khi kết thúc cuộc họp."
    )
    assert fresh(meeting).status == "in_session"


# --- the state machine: items, speakers, comments, check-in, agenda -------------------------

IN_SESSION_ONLY_OPEN = "Chỉ mở nội dung khi cuộc họp đang diễn ra."
IN_SESSION_ONLY_CONCLUDE = "Chỉ kết luận nội dung khi cuộc họp đang diễn ra."
IN_SESSION_ONLY_DEFER = "Chỉ hoãn nội dung khi cuộc họp đang diễn ra."
IN_SESSION_ONLY_SPEAK = "Chỉ đăng ký phát biểu khi cuộc họp đang diễn ra."
NO_OPEN_ITEM = "Không có nội dung nào đang thảo luận."
FINISH_CURRENT = "Hãy kết luận hoặc hoãn nội dung đang thảo luận trước."
NOBODY_SPEAKS = "Không có ai đang phát biểu."
COMMENTS_CLOSED = "Ý kiến được gửi từ khi công bố đến khi cuộc họp kết thúc."
CHECK_IN_CLOSED = "Điểm danh mở khi cuộc họp được công bố và đóng khi cuộc họp kết thúc."
NO_CHANGES = "Cuộc họp đã kết thúc, không thể thay đổi."


def _open(w, m):
    return actions.do_open_item(m, item=None, acting_user=w.chair).status


def _conclude(w, m):
    return actions.do_conclude_item(m, conclusion="Thống nhất thông qua.", acting_user=w.chair).status


def _defer(w, m):
    return actions.do_defer_item(m, acting_user=w.chair).status


def _request(w, m):
    return actions.do_request_to_speak(m, participant=part(m, w.member), kind="speech").status


def _give_floor(w, m):
    # a waiting request, where the state allows one; otherwise any number
    request_id = 10**9
    if m.status == "in_session" and m.current_item_id:
        request_id = actions.do_request_to_speak(m, participant=part(m, w.member), kind="question").pk
    return actions.do_give_floor(m, request_id=request_id, acting_user=w.chair).status


def _end_speech(w, m):
    return actions.do_end_speech(m, acting_user=w.chair).status


def _comment(w, m):
    item = items_of(m)[0]
    return actions.do_add_comment(item, author=w.member, text="Đồng ý.", visibility="all").visibility


def _check_in(w, m):
    return actions.do_check_in(part(m, w.member), attendance="room", acting_user=w.member).attendance


def _edit_agenda(w, m):
    item = actions.do_update_item(items_of(m)[2], changes={"planned_minutes": 25}, acting_user=w.secretary)
    return f"{item.planned_minutes} min"


SESSION_ACTIONS = {
    "open item": _open,
    "conclude": _conclude,
    "defer": _defer,
    "request to speak": _request,
    "give floor": _give_floor,
    "end speech": _end_speech,
    "add comment": _comment,
    "check in": _check_in,
    "edit agenda": _edit_agenda,
}

# (action) -> expected result in each state of STATES, in order
SESSION_TABLE: dict[str, list[str]] = {
    "open item": [IN_SESSION_ONLY_OPEN] * 2 + ["open", FINISH_CURRENT] + [IN_SESSION_ONLY_OPEN] * 3,
    "conclude": [IN_SESSION_ONLY_CONCLUDE] * 2 + [NO_OPEN_ITEM, "concluded"] + [IN_SESSION_ONLY_CONCLUDE] * 3,
    "defer": [IN_SESSION_ONLY_DEFER] * 2 + [NO_OPEN_ITEM, "deferred"] + [IN_SESSION_ONLY_DEFER] * 3,
    "request to speak": [IN_SESSION_ONLY_SPEAK] * 2 + [NO_OPEN_ITEM, "waiting"] + [IN_SESSION_ONLY_SPEAK] * 3,
    "give floor": [IN_SESSION_ONLY_SPEAK] * 2 + [NO_OPEN_ITEM, "speaking"] + [IN_SESSION_ONLY_SPEAK] * 3,
    "end speech": [IN_SESSION_ONLY_SPEAK] * 2 + [NO_OPEN_ITEM, NOBODY_SPEAKS] + [IN_SESSION_ONLY_SPEAK] * 3,
    "add comment": [COMMENTS_CLOSED] + ["all"] * 5 + [COMMENTS_CLOSED],
    "check in": [CHECK_IN_CLOSED] + ["room"] * 5 + [CHECK_IN_CLOSED],
    "edit agenda": ["25 min"] * 6 + [NO_CHANGES],
}


@pytest.mark.parametrize(
    ("state", "action"), [(state, action) for action in SESSION_TABLE for state in STATES]
)
def test_session_actions_as_a_table(w, state, action):
    # given
    meeting = to_state(w, state)
    expected = SESSION_TABLE[action][STATES.index(state)]
    # when / then
    if expected.isascii():
        assert SESSION_ACTIONS[action](w, meeting) == expected
    else:
        before = last_seq(meeting)
        with pytest.raises(WrongState) as error:
            SESSION_ACTIONS[action](w, meeting)
        assert str(error.value.detail) == expected
        assert last_seq(meeting) == before


def test_the_session_table_has_a_result_for_every_state():
    assert all(len(results) == len(STATES) for results in SESSION_TABLE.values())


def test_a_concluded_item_cannot_be_opened_again_but_a_deferred_one_can(w):
    meeting = to_state(w, "in_session")
    first, second = items_of(meeting)[:2]
    actions.do_open_item(meeting, item=first, acting_user=w.chair)
    actions.do_conclude_item(meeting, conclusion="Thông qua.", acting_user=w.chair)
    with pytest.raises(WrongState, match=re.escape("Nội dung này đã được kết luận.")):
        actions.do_open_item(meeting, item=first, acting_user=w.chair)
    actions.do_open_item(meeting, item=second, acting_user=w.chair)
    deferred = actions.do_defer_item(meeting, note="Chờ ý kiến Bộ Tư pháp", acting_user=w.chair)
    assert (deferred.status, deferred.closed_at is not None) == ("deferred", True)
    # "next item" skips what was dealt with and takes the next pending one
    assert actions.do_open_item(meeting, item=None, acting_user=w.chair).position == 3
    actions.do_conclude_item(meeting, conclusion="Thông qua.", acting_user=w.chair)
    with pytest.raises(WrongState, match=re.escape("Mọi nội dung của chương trình đã được xử lý.")):
        actions.do_open_item(meeting, item=None, acting_user=w.chair)
    reopened = actions.do_open_item(meeting, item=second, acting_user=w.chair)
    assert (reopened.status, reopened.closed_at) == ("open", None)


def test_an_item_of_another_meeting_is_not_found(w, danang):
    meeting = to_state(w, "in_session")
    with pytest.raises(NotFound):
        actions.do_open_item(meeting, item=w.items[0], acting_user=w.chair)


# --- clocks --------------------------------------------------------------------------------


def test_meeting_and_item_clocks_run_only_in_session_and_add_up_across_adjournments(w, clock):
    # given a meeting that starts and opens its first item at once
    meeting = to_state(w, "published")
    actions.do_start_meeting(meeting, acting_user=w.chair)
    item = actions.do_open_item(meeting, item=None, acting_user=w.chair)
    # when it runs 10 minutes, pauses 5, runs 2 more, concludes, and closes a minute later
    clock.advance(600)
    actions.do_adjourn_meeting(meeting, acting_user=w.chair)
    paused = fresh(meeting)
    assert (paused.elapsed_seconds, paused.running_since) == (600, None)
    assert AgendaItem.objects.get(pk=item.pk).clock_seconds(clock.now) == 600
    clock.advance(300)
    assert fresh(meeting).clock_seconds(clock.now) == 600  # the pause does not count
    actions.do_resume_meeting(meeting, acting_user=w.chair)
    clock.advance(120)
    assert fresh(meeting).clock_seconds(clock.now) == 720
    concluded = actions.do_conclude_item(meeting, conclusion="Thông qua.", acting_user=w.chair)
    clock.advance(60)
    closed = actions.do_close_meeting(meeting, acting_user=w.chair)
    # then
    assert (concluded.elapsed_seconds, concluded.running_since) == (720, None)
    assert concluded.first_opened_at == clock.start
    assert concluded.closed_at == clock.start + timedelta(minutes=17)
    assert (closed.elapsed_seconds, closed.running_since) == (780, None)
    assert closed.started_at == clock.start
    assert closed.ended_at == clock.start + timedelta(minutes=18)


def test_a_deferred_item_keeps_its_time_when_taken_up_again(w, clock):
    meeting = to_state(w, "in_session")
    item = items_of(meeting)[0]
    actions.do_open_item(meeting, item=item, acting_user=w.chair)
    clock.advance(90)
    actions.do_defer_item(meeting, acting_user=w.chair)
    clock.advance(1000)
    actions.do_open_item(meeting, item=item, acting_user=w.chair)
    clock.advance(30)
    done = actions.do_conclude_item(meeting, conclusion="Giao Sở Tài chính hoàn thiện.", acting_user=w.chair)
    assert done.elapsed_seconds == 120
    assert done.first_opened_at == clock.start
    assert done.conclusion == "Giao Sở Tài chính hoàn thiện."


def test_running_clocks_are_read_against_now(w):
    meeting = to_state(w, "in_session+item")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(running_since=an_hour_ago, elapsed_seconds=60)
    assert 3660 <= fresh(meeting).clock_seconds() <= 3662
    actions.do_adjourn_meeting(meeting, acting_user=w.chair)
    assert 3660 <= fresh(meeting).elapsed_seconds <= 3662


def test_speaking_time_is_recorded_when_the_floor_passes_on_and_when_a_speech_ends(w, clock):
    meeting = to_state(w, "in_session+item")
    first = actions.do_request_to_speak(meeting, participant=part(meeting, w.member), kind="speech")
    second = actions.do_request_to_speak(meeting, participant=part(meeting, w.vice_chair), kind="question")
    actions.do_give_floor(meeting, request_id=first.pk, acting_user=w.chair)
    clock.advance(95)
    actions.do_give_floor(meeting, request_id=second.pk, acting_user=w.chair)
    clock.advance(40)
    ended = actions.do_end_speech(meeting, acting_user=w.chair)
    first.refresh_from_db()
    assert (first.status, first.spoken_seconds) == ("done", 95)
    assert (ended.pk, ended.status, ended.spoken_seconds) == (second.pk, "done", 40)
    assert ended.started_at == clock.start + timedelta(seconds=95)


def test_adjourning_ends_the_current_speech_and_closing_the_item_ends_the_queue(w, clock):
    meeting = to_state(w, "in_session+item")
    speaker = actions.do_request_to_speak(meeting, participant=part(meeting, w.member), kind="speech")
    waiting = actions.do_request_to_speak(meeting, participant=part(meeting, w.chair), kind="speech")
    actions.do_give_floor(meeting, request_id=speaker.pk, acting_user=w.chair)
    clock.advance(30)
    actions.do_adjourn_meeting(meeting, acting_user=w.chair)
    speaker.refresh_from_db()
    assert (speaker.status, speaker.spoken_seconds) == ("done", 30)
    actions.do_resume_meeting(meeting, acting_user=w.chair)
    actions.do_conclude_item(meeting, conclusion="Thông qua.", acting_user=w.chair)
    waiting.refresh_from_db()
    assert waiting.status == "withdrawn"


@pytest.mark.parametrize("conclusion", ["", "   ", None, 42])
def test_conclude_needs_a_conclusion(w, conclusion):
    meeting = to_state(w, "in_session+item")
    with pytest.raises(Invalid):
        actions.do_conclude_item(meeting, conclusion=conclusion, acting_user=w.chair)
    assert fresh(meeting).current_item_id is not None
    assert AgendaItem.objects.get(pk=fresh(meeting).current_item_id).status == "open"


def test_the_empty_conclusion_message_is_vietnamese(w):
    meeting = to_state(w, "in_session+item")
    with pytest.raises(Invalid) as error:
        actions.do_conclude_item(meeting, conclusion=" ", acting_user=w.chair)
    assert str(error.value.detail) == "“kết luận” không được để trống."


# --- the speakers queue ------------------------------------------------------------------


def test_one_live_request_per_person_and_item(w):
    meeting = to_state(w, "in_session+item")
    member = part(meeting, w.member)
    actions.do_request_to_speak(meeting, participant=member, kind="speech")
    with pytest.raises(WrongState) as error:
        actions.do_request_to_speak(meeting, participant=member, kind="question")
    assert str(error.value.detail) == "Bạn đã đăng ký phát biểu ở nội dung này."
    # withdrawn, the member may ask again; and again after speaking
    actions.do_withdraw_request(meeting, participant=member)
    again = actions.do_request_to_speak(meeting, participant=member, kind="question")
    actions.do_give_floor(meeting, request_id=again.pk, acting_user=w.chair)
    actions.do_end_speech(meeting, acting_user=w.chair)
    actions.do_request_to_speak(meeting, participant=member, kind="speech")
    statuses = sorted(SpeakRequest.objects.filter(participant=member).values_list("status", flat=True))
    assert statuses == ["done", "waiting", "withdrawn"]


def test_the_database_refuses_a_second_live_request_and_a_second_speaker(w):
    meeting = to_state(w, "in_session+item")
    item = fresh(meeting).current_item
    member, chair = part(meeting, w.member), part(meeting, w.chair)
    SpeakRequest.objects.create(tenant=w.tenant, item=item, participant=member, status="waiting")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakRequest.objects.create(tenant=w.tenant, item=item, participant=member, status="speaking")
    SpeakRequest.objects.create(tenant=w.tenant, item=item, participant=chair, status="speaking")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakRequest.objects.create(
            tenant=w.tenant, item=item, participant=part(meeting, w.vice_chair), status="speaking"
        )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_tablets_requesting_at_once_make_one_request(hanoi):
    with tenant_context(hanoi.tenant):
        actions.do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        actions.do_open_item(hanoi.meeting, item=None, acting_user=hanoi.chair)
        member = part(hanoi.meeting, hanoi.member)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        try:
            with tenant_context(hanoi.tenant):
                barrier.wait()
                actions.do_request_to_speak(hanoi.meeting, participant=member, kind="speech")
                outcomes.append("ok")
        except WrongState:
            outcomes.append("refused")
        except BaseException as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    with tenant_context(hanoi.tenant):
        assert SpeakRequest.objects.filter(participant=member, status="waiting").count() == 1


def test_one_speaker_at_a_time(w):
    meeting = to_state(w, "in_session+item")
    requests = [
        actions.do_request_to_speak(meeting, participant=part(meeting, user), kind="speech")
        for user in (w.member, w.vice_chair, w.chair)
    ]
    for request in requests:
        actions.do_give_floor(meeting, request_id=request.pk, acting_user=w.chair)
        speaking = SpeakRequest.objects.filter(item__meeting=meeting, status="speaking")
        assert list(speaking.values_list("pk", flat=True)) == [request.pk]
    assert SpeakRequest.objects.filter(item__meeting=meeting, status="done").count() == 2


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ("withdrawn", WrongState, "Đăng ký này không còn chờ phát biểu."),
        ("done", WrongState, "Đăng ký này không còn chờ phát biểu."),
        ("speaking", WrongState, "Đăng ký này không còn chờ phát biểu."),
        ("missing", WrongState, "Đăng ký này không còn chờ phát biểu."),
        ("nobody", Invalid, "Hãy chọn người được phát biểu."),
        ("text", Invalid, "Hãy chọn người được phát biểu."),
        ("other item", WrongState, "Đăng ký này không còn chờ phát biểu."),
    ],
)
def test_giving_the_floor_to_no_waiting_request_is_a_clear_error(w, target, error, message):
    meeting = to_state(w, "in_session+item")
    member = part(meeting, w.member)
    request = actions.do_request_to_speak(meeting, participant=member, kind="speech")
    request_id: Any = request.pk
    if target == "withdrawn":
        actions.do_withdraw_request(meeting, participant=member)
    elif target == "done":
        actions.do_give_floor(meeting, request_id=request.pk, acting_user=w.chair)
        actions.do_end_speech(meeting, acting_user=w.chair)
    elif target == "speaking":
        actions.do_give_floor(meeting, request_id=request.pk, acting_user=w.chair)
    elif target == "missing":
        request_id = request.pk + 1000
    elif target == "nobody":
        request_id = None
    elif target == "text":
        request_id = str(request.pk)
    elif target == "other item":
        actions.do_conclude_item(meeting, conclusion="Thông qua.", acting_user=w.chair)
        actions.do_open_item(meeting, item=None, acting_user=w.chair)
        # the old item's request was withdrawn when it closed; make a live one there by hand
        SpeakRequest.objects.filter(pk=request.pk).update(status="waiting")
    with pytest.raises(error) as raised:
        actions.do_give_floor(meeting, request_id=request_id, acting_user=w.chair)
    assert str(raised.value.detail) == message


def test_a_guest_asks_to_speak_only_on_the_item_it_is_invited_to(w):
    meeting = to_state(w, "in_session")
    guest = part(meeting, w.guest)
    first, second = items_of(meeting)[:2]
    actions.do_open_item(meeting, item=first, acting_user=w.chair)
    with pytest.raises(NotAllowed) as error:
        actions.do_request_to_speak(meeting, participant=guest, kind="speech")
    assert str(error.value.detail) == "Bạn được mời dự các nội dung khác của cuộc họp."
    with pytest.raises(NotAllowed):
        actions.do_withdraw_request(meeting, participant=guest)
    actions.do_defer_item(meeting, acting_user=w.chair)
    actions.do_open_item(meeting, item=second, acting_user=w.chair)
    request = actions.do_request_to_speak(meeting, participant=guest, kind="question")
    assert (request.item_id, request.status, request.kind) == (second.pk, "waiting", "question")


def test_someone_of_another_meeting_cannot_join_the_queue(w):
    meeting = to_state(w, "in_session+item")
    with pytest.raises(NotAllowed):
        actions.do_request_to_speak(meeting, participant=part(w.meeting, w.member), kind="speech")


@pytest.mark.parametrize("kind", ["", "shout", None, 1])
def test_a_request_needs_a_known_kind(w, kind):
    meeting = to_state(w, "in_session+item")
    with pytest.raises(Invalid):
        actions.do_request_to_speak(meeting, participant=part(meeting, w.member), kind=kind)
    assert not SpeakRequest.objects.filter(item__meeting=meeting).exists()


# --- quorum -------------------------------------------------------------------------------


def check_in(meeting: Meeting, user: Any, attendance: str = "room") -> None:
    actions.do_check_in(part(meeting, user), attendance=attendance, acting_user=user)


def test_quorum_is_more_than_half_of_the_members_by_default(w):
    meeting = w.meeting  # chair, vice-chair and one member vote; guest and observer do not
    assert actions.quorum(meeting) == {"members": 3, "present": 0, "needed": 2, "percent": 50, "met": False}
    check_in(meeting, w.guest)
    check_in(meeting, w.observer)
    check_in(meeting, w.chair)
    assert (actions.quorum(meeting)["present"], actions.quorum(meeting)["met"]) == (1, False)
    check_in(meeting, w.member, "remote")  # remote counts
    assert (actions.quorum(meeting)["present"], actions.quorum(meeting)["met"]) == (2, True)


def test_exactly_half_is_not_a_quorum(w):
    actions.do_add_participant(w.meeting, user=w.other_member, role=Role.MEMBER, acting_user=w.secretary)
    check_in(w.meeting, w.chair)
    check_in(w.meeting, w.member)
    assert actions.quorum(w.meeting) == {
        "members": 4,
        "present": 2,
        "needed": 3,
        "percent": 50,
        "met": False,
    }
    check_in(w.meeting, w.other_member)
    assert actions.quorum(w.meeting)["met"] is True


@pytest.mark.parametrize(("percent", "needed"), [(0, 1), (50, 2), (66, 2), (67, 3), (100, 3)])
def test_the_tenant_sets_its_quorum_share(w, percent, needed):
    MeetingSettings.objects.create(tenant=w.tenant, quorum_percent=percent)
    result = actions.quorum(w.meeting)
    assert (result["percent"], result["needed"]) == (percent, needed)
    for user in (w.chair, w.vice_chair, w.member)[:needed]:
        check_in(w.meeting, user)
    assert actions.quorum(w.meeting)["met"] is True


def test_another_tenants_settings_do_not_change_this_quorum(w, danang):
    MeetingSettings.all_tenants.create(tenant=danang.tenant, quorum_percent=90)
    assert actions.quorum(w.meeting)["needed"] == 2


def test_a_substitute_who_checked_in_counts_for_the_member_who_named_them(w):
    meeting = w.meeting
    member = part(meeting, w.member)
    actions.do_name_substitute(member, substitute=w.other_member, acting_user=w.secretary)
    check_in(meeting, w.chair)
    assert actions.quorum(meeting) == {
        "members": 3,
        "present": 1,
        "needed": 2,
        "percent": 50,
        "met": False,
    }
    check_in(meeting, w.other_member)
    assert (actions.quorum(meeting)["members"], actions.quorum(meeting)["present"]) == (3, 2)
    assert actions.quorum(meeting)["met"] is True


def test_check_in_reports_the_quorum_in_its_event(w):
    before = last_seq(w.meeting)
    check_in(w.meeting, w.chair)
    check_in(w.meeting, w.vice_chair)
    events = new_events(w.meeting, before)
    assert [e.type for e in events] == ["attendance.changed", "attendance.changed"]
    assert [e.data["quorum"]["met"] for e in events] == [False, True]
    assert events[1].data["participant"]["attendance"] == "room"


@pytest.mark.parametrize("attendance", ["", "home", None])
def test_check_in_needs_room_or_remote(w, attendance):
    with pytest.raises(Invalid):
        actions.do_check_in(part(w.meeting, w.member), attendance=attendance, acting_user=w.member)


# --- substitutes --------------------------------------------------------------------------


def test_a_substitute_attends_for_the_member_and_is_shown_so(w):
    # given a member who checked in, then cannot attend
    member = part(w.meeting, w.member)
    check_in(w.meeting, w.member)
    # when they name a substitute
    stand_in = actions.do_name_substitute(member, substitute=w.other_member, acting_user=w.secretary)
    # then
    member.refresh_from_db()
    assert (member.cannot_attend, member.attendance, member.checked_in_at) == (True, "", None)
    assert (stand_in.role, stand_in.substitute_for_id, stand_in.user_id) == (
        "member",
        member.pk,
        w.other_member.pk,
    )
    state = meeting_state(access_meeting(w.chair, w.meeting.pk))
    shown = {p["user_id"]: p for p in state["participants"]}
    assert shown[w.other_member.pk]["substitute_for_name"] == w.member.full_name
    assert shown[w.other_member.pk]["substitute_for_id"] == member.pk
    assert shown[w.member.pk]["cannot_attend"] is True
    # the member no longer checks in or asks to speak; the substitute does
    with pytest.raises(WrongState, match=re.escape("Đã có người dự thay thành viên này.")):
        check_in(w.meeting, w.member)
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    actions.do_open_item(w.meeting, item=None, acting_user=w.chair)
    with pytest.raises(WrongState, match=re.escape("Đã có người dự thay thành viên này.")):
        actions.do_request_to_speak(w.meeting, participant=member, kind="speech")
    actions.do_request_to_speak(w.meeting, participant=stand_in, kind="speech")
    # the substitute's own access reads as a member's
    assert access_meeting(w.other_member, w.meeting.pk).role == "member"


def test_the_substitute_events_say_who_attends_for_whom_and_the_new_quorum(w):
    check_in(w.meeting, w.chair)
    check_in(w.meeting, w.member)
    before = last_seq(w.meeting)
    actions.do_name_substitute(part(w.meeting, w.member), substitute=w.other_member, acting_user=w.secretary)
    events = new_events(w.meeting, before)
    assert [e.type for e in events] == ["participant.changed", "participant.added"]
    assert events[0].data["participant"]["cannot_attend"] is True
    assert events[1].data["participant"]["substitute_for_name"] == w.member.full_name
    # the member who had checked in no longer counts until the substitute does
    assert [(e.data["quorum"]["present"], e.data["quorum"]["met"]) for e in events] == [(1, False)] * 2


@pytest.mark.parametrize("who", ["chair", "guest", "observer"])
def test_only_members_and_vice_chairs_name_substitutes(w, who):
    with pytest.raises(Invalid) as error:
        actions.do_name_substitute(
            part(w.meeting, getattr(w, who)), substitute=w.other_member, acting_user=w.secretary
        )
    assert str(error.value.detail) == "Chỉ thành viên hoặc phó chủ trì mới được ủy quyền người dự thay."
    assert not Participant.objects.filter(meeting=w.meeting, user=w.other_member).exists()


def test_a_vice_chair_names_a_substitute_who_attends_as_vice_chair(w):
    stand_in = actions.do_name_substitute(
        part(w.meeting, w.vice_chair), substitute=w.other_member, acting_user=w.secretary
    )
    assert stand_in.role == "vice_chair"


def test_a_substitute_is_named_once_and_cannot_name_another(w, danang):
    member = part(w.meeting, w.member)
    stand_in = actions.do_name_substitute(member, substitute=w.other_member, acting_user=w.secretary)
    with pytest.raises(WrongState, match=re.escape("Đã có người được ủy quyền dự thay.")):
        actions.do_name_substitute(member, substitute=w.secretary, acting_user=w.secretary)
    with pytest.raises(Invalid):
        actions.do_name_substitute(stand_in, substitute=w.secretary, acting_user=w.secretary)
    # someone already in the meeting, or of another tenant, cannot stand in
    vice = part(w.meeting, w.vice_chair)
    with pytest.raises(Invalid, match=re.escape("Người này đã có trong danh sách tham dự.")):
        actions.do_name_substitute(vice, substitute=w.guest, acting_user=w.secretary)
    with pytest.raises(Invalid, match=re.escape("Chỉ người trong danh bạ của đơn vị mới được tham dự.")):
        actions.do_name_substitute(vice, substitute=danang.member, acting_user=w.secretary)
    assert Participant.objects.filter(meeting=w.meeting, substitute_for__isnull=False).count() == 1


# --- comments ---------------------------------------------------------------------------------


def test_editing_and_withdrawing_a_comment_keep_a_trace(w, clock):
    item = w.items[0]
    comment = actions.do_add_comment(item, author=w.member, text="Đề nghị bổ sung số liệu.", visibility="all")
    clock.advance(60)
    edited = actions.do_edit_comment(comment, author=w.member, text="Đề nghị bổ sung số liệu quý IV.")
    assert (edited.text, edited.edited_at) == ("Đề nghị bổ sung số liệu quý IV.", clock.now)
    clock.advance(60)
    withdrawn = actions.do_withdraw_comment(comment, author=w.member)
    assert withdrawn.withdrawn_at == clock.now
    trace = list(CommentRevision.objects.filter(comment=comment).values_list("text", "withdrawn"))
    assert trace == [("Đề nghị bổ sung số liệu.", False), ("Đề nghị bổ sung số liệu quý IV.", True)]
    state = meeting_state(access_meeting(w.chair, w.meeting.pk))
    shown = next(c for c in state["comments"] if c["id"] == comment.pk)
    assert shown["text"] == ""  # a withdrawn comment shows that it was, not what it said
    assert shown["withdrawn_at"] is not None
    with pytest.raises(WrongState, match=re.escape("Ý kiến này đã được rút.")):
        actions.do_edit_comment(comment, author=w.member, text="Lại")


def test_an_unchanged_edit_leaves_no_trace_and_sends_nothing(w):
    comment = actions.do_add_comment(w.items[0], author=w.member, text="Đồng ý.", visibility="all")
    before = last_seq(w.meeting)
    actions.do_edit_comment(comment, author=w.member, text="  Đồng ý.  ")
    assert not CommentRevision.objects.filter(comment=comment).exists()
    assert last_seq(w.meeting) == before


@pytest.mark.parametrize("who", ["chair", "secretary", "vice_chair"])
def test_only_the_author_edits_or_withdraws_a_comment(w, who):
    comment = actions.do_add_comment(w.items[0], author=w.member, text="Đồng ý.", visibility="all")
    with pytest.raises(NotAllowed) as error:
        actions.do_edit_comment(comment, author=getattr(w, who), text="Sửa hộ")
    assert str(error.value.detail) == "Chỉ người gửi mới được sửa ý kiến."
    with pytest.raises(NotAllowed):
        actions.do_withdraw_comment(comment, author=getattr(w, who))
    comment.refresh_from_db()
    assert (comment.text, comment.withdrawn_at) == ("Đồng ý.", None)
    assert not CommentRevision.objects.filter(comment=comment).exists()


@pytest.mark.parametrize(("text", "visibility"), [("", "all"), ("x" * 5001, "all"), ("Được", "everyone")])
def test_a_comment_needs_text_and_a_known_audience(w, text, visibility):
    with pytest.raises(Invalid):
        actions.do_add_comment(w.items[0], author=w.member, text=text, visibility=visibility)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("member", False),
        ("vice_chair", False),
        ("observer", False),
        ("guest", False),
        ("secretary", True),
        ("chair", True),
        ("author", True),
    ],
)
def test_secretariat_only_comments_reach_the_secretariat_the_chair_and_the_author(w, reader, sees):
    author = w.other_member
    actions.do_add_participant(w.meeting, user=author, role=Role.MEMBER, acting_user=w.secretary)
    item = w.items[1]  # the guest's item, so only the visibility decides
    public = actions.do_add_comment(item, author=author, text="Ý kiến chung", visibility="all")
    private = actions.do_add_comment(item, author=author, text="Ý kiến riêng", visibility="secretariat")
    user = author if reader == "author" else getattr(w, reader)
    ids = {c["id"] for c in meeting_state(access_meeting(user, w.meeting.pk))["comments"]}
    assert public.pk in ids
    assert (private.pk in ids) is sees


def test_a_guest_sees_comments_only_of_its_items(w):
    on_other = actions.do_add_comment(w.items[0], author=w.member, text="Mục 1", visibility="all")
    on_its_own = actions.do_add_comment(w.items[1], author=w.member, text="Mục 2", visibility="all")
    ids = {c["id"] for c in meeting_state(access_meeting(w.guest, w.meeting.pk))["comments"]}
    assert ids == {on_its_own.pk}
    assert on_other.pk not in ids


# --- agenda edits --------------------------------------------------------------------------------


def test_changes_after_publishing_are_marked_and_before_are_not(w):
    draft = draft_meeting(w)
    assert set(AgendaItem.objects.filter(meeting=draft).values_list("changed_at", flat=True)) == {None}
    actions.do_update_item(items_of(draft)[0], changes={"title": "Tên mới"}, acting_user=w.secretary)
    assert items_of(draft)[0].changed_at is None
    # published: an update and an addition are marked
    assert w.items[0].changed_at is None
    updated = actions.do_update_item(
        w.items[0], changes={"summary": "Bổ sung phụ lục", "planned_minutes": 45}, acting_user=w.secretary
    )
    added = actions.do_add_item(w.meeting, title="Nội dung bổ sung", acting_user=w.secretary)
    assert updated.changed_at is not None
    assert added.changed_at is not None
    assert items_of(w.meeting)[1].changed_at is None


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"planned_minutes": 0},
        {"planned_minutes": 1441},
        {"planned_minutes": True},
        {"colour": 1},
    ],
)
def test_bad_item_changes_are_refused(w, changes):
    with pytest.raises(Invalid):
        actions.do_update_item(w.items[0], changes=changes, acting_user=w.secretary)
    assert AgendaItem.objects.get(pk=w.items[0].pk).changed_at is None


def test_an_empty_item_title_is_named_in_vietnamese(w):
    with pytest.raises(Invalid) as error:
        actions.do_add_item(w.meeting, title=" ", acting_user=w.secretary)
    assert str(error.value.detail) == "“tên nội dung” không được để trống."


def test_reorder_puts_the_agenda_in_the_given_order(w):
    a, b, c = (i.pk for i in w.items)
    assert actions.do_reorder_items(w.meeting, order=[c, a, b], acting_user=w.secretary) == [c, a, b]
    assert [i.pk for i in items_of(w.meeting)] == [c, a, b]
    assert [i.position for i in items_of(w.meeting)] == [1, 2, 3]


@pytest.mark.parametrize(
    "order",
    [
        lambda a, b, c: [a, b],
        lambda a, b, c: [a, b, c, c],
        lambda a, b, c: [a, b, b],
        lambda a, b, c: [a, b, c + 1000],
        lambda a, b, c: [a, b, True],
        lambda a, b, c: [str(a), b, c],
        lambda a, b, c: {a: 1, b: 2, c: 3},
        lambda a, b, c: None,
    ],
)
def test_reorder_needs_a_permutation_of_the_agenda(w, order):
    ids = [i.pk for i in w.items]
    with pytest.raises(Invalid) as error:
        actions.do_reorder_items(w.meeting, order=order(*ids), acting_user=w.secretary)
    assert (
        str(error.value.detail)
        == "Thứ tự mới phải có đủ mọi nội dung của chương trình, mỗi nội dung một lần."
    )
    assert [i.pk for i in items_of(w.meeting)] == ids


def test_an_item_moves_up_and_down_by_one_place(w):
    a, b, c = (i.pk for i in w.items)
    assert actions.do_move_item(w.items[2], offset=-1, acting_user=w.secretary) == [a, c, b]
    with pytest.raises(WrongState):
        actions.do_move_item(w.items[0], offset=-1, acting_user=w.secretary)
    with pytest.raises(Invalid):
        actions.do_move_item(w.items[0], offset=2, acting_user=w.secretary)


@pytest.mark.parametrize("status", ["open", "concluded", "deferred"])
def test_only_pending_items_are_removed(w, status):
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    actions.do_open_item(w.meeting, item=w.items[0], acting_user=w.chair)
    if status == "concluded":
        actions.do_conclude_item(w.meeting, conclusion="Thông qua.", acting_user=w.chair)
    elif status == "deferred":
        actions.do_defer_item(w.meeting, acting_user=w.chair)
    with pytest.raises(WrongState) as error:
        actions.do_remove_item(w.items[0], acting_user=w.secretary)
    assert str(error.value.detail) == (
        "Nội dung đã thảo luận không thể xóa khỏi chương trình; hãy hoãn nội dung này."
    )
    assert AgendaItem.objects.filter(pk=w.items[0].pk).exists()


def test_removing_a_pending_item_closes_the_gap(w):
    actions.do_remove_item(w.items[0], acting_user=w.secretary)
    assert [(i.pk, i.position) for i in items_of(w.meeting)] == [(w.items[1].pk, 1), (w.items[2].pk, 2)]


def test_copying_a_meeting_copies_the_agenda_and_people_but_not_what_happened(w, clock):
    # given a meeting that took place, with a substitute and check-ins
    actions.do_update_item(w.items[0], changes={"presenter": w.member}, acting_user=w.secretary)
    actions.do_name_substitute(part(w.meeting, w.vice_chair), substitute=w.other_member, acting_user=None)
    check_in(w.meeting, w.chair)
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    actions.do_open_item(w.meeting, item=None, acting_user=w.chair)
    clock.advance(300)
    actions.do_conclude_item(w.meeting, conclusion="Thông qua.", acting_user=w.chair)
    actions.do_close_meeting(w.meeting, acting_user=w.chair)
    start = session_start(days=30)
    # when
    copy = actions.do_copy_meeting(w.meeting, scheduled_start=start, acting_user=w.secretary)
    # then
    assert (copy.status, copy.copied_from_id, copy.scheduled_start, copy.title) == (
        "draft",
        w.meeting.pk,
        start,
        w.meeting.title,
    )
    assert (copy.started_at, copy.ended_at, copy.elapsed_seconds, copy.current_item_id) == (
        None,
        None,
        0,
        None,
    )
    assert copy.stream_id != w.meeting.stream_id
    old, new = items_of(w.meeting), items_of(copy)
    assert [(i.title, i.summary, i.presenting_unit, i.presenter_id, i.planned_minutes) for i in new] == [
        (i.title, i.summary, i.presenting_unit, i.presenter_id, i.planned_minutes) for i in old
    ]
    assert {(i.status, i.elapsed_seconds, i.first_opened_at, i.closed_at, i.conclusion) for i in new} == {
        ("pending", 0, None, None, "")
    }
    people = {p.user_id: p for p in Participant.objects.filter(meeting=copy)}
    assert set(people) == {w.chair.pk, w.vice_chair.pk, w.member.pk, w.guest.pk, w.observer.pk}
    assert {p.role for p in people.values()} == {"chair", "vice_chair", "member", "guest", "observer"}
    assert all(p.checked_in_at is None and p.attendance == "" for p in people.values())
    assert not any(p.cannot_attend or p.substitute_for_id for p in people.values())
    assert list(people[w.guest.pk].items.values_list("title", flat=True)) == [w.items[1].title]
    assert people[w.guest.pk].items.get().meeting_id == copy.pk
    # the original is untouched
    assert fresh(w.meeting).status == "closed"
    assert Participant.objects.filter(meeting=w.meeting).count() == 6


def test_a_closed_meeting_can_no_longer_be_edited(w):
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    actions.do_close_meeting(w.meeting, acting_user=w.chair)
    attempts: list[Callable[[], Any]] = [
        lambda: actions.do_add_item(w.meeting, title="Muộn", acting_user=w.secretary),
        lambda: actions.do_remove_item(w.items[2], acting_user=w.secretary),
        lambda: actions.do_reorder_items(
            w.meeting, order=[i.pk for i in reversed(w.items)], acting_user=w.secretary
        ),
        lambda: actions.do_update_meeting(w.meeting, changes={"place": "Hội trường"}, acting_user=None),
        lambda: actions.do_add_participant(w.meeting, user=w.other_member, role="member", acting_user=None),
        lambda: actions.do_name_substitute(
            part(w.meeting, w.member), substitute=w.other_member, acting_user=None
        ),
        lambda: actions.do_set_acting_chair(
            w.meeting, participant=part(w.meeting, w.vice_chair), acting_user=None
        ),
    ]
    for attempt in attempts:
        with pytest.raises(WrongState, match=NO_CHANGES):
            attempt()


def test_only_a_vice_chair_acts_as_chair(w):
    for who in ("member", "chair", "guest"):
        with pytest.raises(Invalid, match=re.escape("Chỉ phó chủ trì của cuộc họp mới được điều hành thay.")):
            actions.do_set_acting_chair(
                w.meeting, participant=part(w.meeting, getattr(w, who)), acting_user=None
            )
    vice = part(w.meeting, w.vice_chair)
    assert (
        actions.do_set_acting_chair(w.meeting, participant=vice, acting_user=None).acting_chair_id == vice.pk
    )
    assert access_meeting(w.vice_chair, w.meeting.pk).runs_session
    assert actions.do_set_acting_chair(w.meeting, participant=None, acting_user=None).acting_chair_id is None
    assert not access_meeting(w.vice_chair, w.meeting.pk).runs_session


def test_meeting_input_is_validated(w):
    with pytest.raises(Invalid) as error:
        actions.do_create_meeting(
            tenant=w.tenant, title="", scheduled_start=session_start(days=30), acting_user=None
        )
    assert str(error.value.detail) == "“tên cuộc họp” không được để trống."
    with pytest.raises(Invalid):
        actions.do_create_meeting(
            tenant=w.tenant,
            title="X",
            scheduled_start=session_start(days=30).replace(tzinfo=None),
            acting_user=None,
        )
    with pytest.raises(Invalid):
        actions.do_create_meeting(
            tenant=w.tenant,
            title="X",
            scheduled_start=session_start(days=30),
            planned_end=session_start(days=30) - timedelta(days=365),
            acting_user=None,
        )
    for limit in (14, 3601, "300", True):
        with pytest.raises(Invalid):
            actions.do_update_meeting(w.meeting, changes={"speaking_limit_seconds": limit}, acting_user=None)
    assert (
        actions.do_update_meeting(
            w.meeting, changes={"speaking_limit_seconds": 120}, acting_user=None
        ).speaking_limit_seconds
        == 120
    )


# --- events ----------------------------------------------------------------------------------

Outcome = list[tuple[str, dict[str, Any] | None]]


def _ev_update_meeting(w: World) -> None:
    actions.do_update_meeting(w.meeting, changes={"place": "Phòng họp số 1"}, acting_user=w.secretary)


def _ev_open(w: World) -> None:
    actions.do_start_meeting(w.meeting, acting_user=w.chair)


def _in_session(w: World, *, item: int | None = 0) -> None:
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    if item is not None:
        actions.do_open_item(w.meeting, item=w.items[item], acting_user=w.chair)


def _with_speaker(w: World) -> SpeakRequest:
    _in_session(w)
    request = actions.do_request_to_speak(w.meeting, participant=part(w.meeting, w.member), kind="speech")
    return actions.do_give_floor(w.meeting, request_id=request.pk, acting_user=w.chair)


def _waiting(w: World) -> SpeakRequest:
    _in_session(w)
    return actions.do_request_to_speak(w.meeting, participant=part(w.meeting, w.member), kind="speech")


I0, I1 = "items0", "items1"  # placeholders for the item ids in audiences

# name -> (given: set-up, when: the action, then: the events it publishes)
EVENT_CASES: dict[str, tuple[Callable[[World], Any], Callable[[World, Any], Any], Outcome]] = {
    "update meeting": (
        lambda w: None,
        lambda w, _: _ev_update_meeting(w),
        [("meeting.updated", None)],
    ),
    "publish": (
        lambda w: Meeting.objects.filter(pk=w.meeting.pk).update(status="draft"),
        lambda w, _: actions.do_publish_meeting(w.meeting, acting_user=w.secretary),
        [("meeting.published", None)],
    ),
    "start": (lambda w: None, lambda w, _: _ev_open(w), [("meeting.updated", None)]),
    "adjourn with nobody speaking": (
        lambda w: _in_session(w),
        lambda w, _: actions.do_adjourn_meeting(w.meeting, acting_user=w.chair),
        [("item.updated", {"item": I0}), ("meeting.updated", None)],
    ),
    "adjourn cutting a speaker off": (
        _with_speaker,
        lambda w, _: actions.do_adjourn_meeting(w.meeting, acting_user=w.chair),
        [("queue.changed", {"item": I0}), ("item.updated", {"item": I0}), ("meeting.updated", None)],
    ),
    "adjourn between items": (
        lambda w: _in_session(w, item=None),
        lambda w, _: actions.do_adjourn_meeting(w.meeting, acting_user=w.chair),
        [("meeting.updated", None)],
    ),
    "resume": (
        lambda w: (_in_session(w), actions.do_adjourn_meeting(w.meeting, acting_user=w.chair)),
        lambda w, _: actions.do_resume_meeting(w.meeting, acting_user=w.chair),
        [("item.updated", {"item": I0}), ("meeting.updated", None)],
    ),
    "close": (
        lambda w: _in_session(w, item=None),
        lambda w, _: actions.do_close_meeting(w.meeting, acting_user=w.chair),
        [("meeting.updated", None)],
    ),
    "open item": (
        lambda w: _in_session(w, item=None),
        lambda w, _: actions.do_open_item(w.meeting, item=w.items[1], acting_user=w.chair),
        [("item.opened", {"item": I1}), ("meeting.updated", None)],
    ),
    "conclude": (
        lambda w: _in_session(w),
        lambda w, _: actions.do_conclude_item(w.meeting, conclusion="Thông qua.", acting_user=w.chair),
        [("queue.changed", {"item": I0}), ("item.closed", {"item": I0}), ("meeting.updated", None)],
    ),
    "defer": (
        lambda w: _in_session(w),
        lambda w, _: actions.do_defer_item(w.meeting, acting_user=w.chair),
        [("queue.changed", {"item": I0}), ("item.closed", {"item": I0}), ("meeting.updated", None)],
    ),
    "request to speak": (
        lambda w: _in_session(w),
        lambda w, _: actions.do_request_to_speak(
            w.meeting, participant=part(w.meeting, w.member), kind="speech"
        ),
        [("queue.changed", {"item": I0})],
    ),
    "withdraw request": (
        _waiting,
        lambda w, _: actions.do_withdraw_request(w.meeting, participant=part(w.meeting, w.member)),
        [("queue.changed", {"item": I0})],
    ),
    "give floor": (
        _waiting,
        lambda w, request: actions.do_give_floor(w.meeting, request_id=request.pk, acting_user=w.chair),
        [("queue.changed", {"item": I0})],
    ),
    "end speech": (
        _with_speaker,
        lambda w, _: actions.do_end_speech(w.meeting, acting_user=w.chair),
        [("queue.changed", {"item": I0})],
    ),
    "check in": (
        lambda w: None,
        lambda w, _: check_in(w.meeting, w.member),
        [("attendance.changed", None)],
    ),
    "set acting chair": (
        lambda w: None,
        lambda w, _: actions.do_set_acting_chair(
            w.meeting, participant=part(w.meeting, w.vice_chair), acting_user=w.secretary
        ),
        [("meeting.updated", None)],
    ),
    "add item": (
        lambda w: None,
        lambda w, _: actions.do_add_item(w.meeting, title="Bổ sung", acting_user=w.secretary),
        [("item.added", {"item": "new item"})],
    ),
    "update item": (
        lambda w: None,
        lambda w, _: actions.do_update_item(w.items[1], changes={"title": "Sửa"}, acting_user=w.secretary),
        [("item.updated", {"item": I1})],
    ),
    "remove item": (
        lambda w: None,
        lambda w, _: actions.do_remove_item(w.items[1], acting_user=w.secretary),
        [("item.removed", {"item": I1}), ("agenda.reordered", {"capability": "see_all_items"})],
    ),
    "reorder": (
        lambda w: None,
        lambda w, _: actions.do_reorder_items(
            w.meeting, order=[i.pk for i in reversed(w.items)], acting_user=w.secretary
        ),
        [("agenda.reordered", {"capability": "see_all_items"})],
    ),
    "add participant": (
        lambda w: None,
        lambda w, _: actions.do_add_participant(
            w.meeting, user=w.other_member, role="member", acting_user=w.secretary
        ),
        [("participant.added", None)],
    ),
    "change participant": (
        lambda w: None,
        lambda w, _: actions.do_change_participant(
            part(w.meeting, w.guest), item_ids=[w.items[0].pk], acting_user=w.secretary
        ),
        [("participant.changed", None)],
    ),
    "remove participant": (
        lambda w: None,
        lambda w, _: actions.do_remove_participant(part(w.meeting, w.observer), acting_user=w.secretary),
        [("participant.removed", None)],
    ),
    "name substitute": (
        lambda w: None,
        lambda w, _: actions.do_name_substitute(
            part(w.meeting, w.member), substitute=w.other_member, acting_user=w.secretary
        ),
        [("participant.changed", None), ("participant.added", None)],
    ),
    "add comment": (
        lambda w: None,
        lambda w, _: actions.do_add_comment(w.items[1], author=w.member, text="Đồng ý", visibility="all"),
        [("comment.added", {"item": I1})],
    ),
    "add secretariat comment": (
        lambda w: None,
        lambda w, _: actions.do_add_comment(
            w.items[1], author=w.member, text="Riêng", visibility="secretariat"
        ),
        [("comment.added", {"item": I1, "capability": "see_secretariat_comments", "users": ["member"]})],
    ),
    "edit comment": (
        lambda w: actions.do_add_comment(w.items[0], author=w.member, text="Đồng ý", visibility="all"),
        lambda w, comment: actions.do_edit_comment(comment, author=w.member, text="Đồng ý với tờ trình"),
        [("comment.edited", {"item": I0})],
    ),
    "withdraw secretariat comment": (
        lambda w: actions.do_add_comment(w.items[0], author=w.member, text="Riêng", visibility="secretariat"),
        lambda w, comment: actions.do_withdraw_comment(comment, author=w.member),
        [("comment.withdrawn", {"item": I0, "capability": "see_secretariat_comments", "users": ["member"]})],
    ),
    "copy meeting": (
        lambda w: None,
        lambda w, _: actions.do_copy_meeting(
            w.meeting, scheduled_start=session_start(days=30), acting_user=w.secretary
        ),
        [],
    ),
}


def _resolve(w: World, audience: dict[str, Any] | None) -> dict[str, Any] | None:
    if audience is None:
        return None
    resolved = dict(audience)
    if resolved.get("item") == I0:
        resolved["item"] = w.items[0].pk
    elif resolved.get("item") == I1:
        resolved["item"] = w.items[1].pk
    elif resolved.get("item") == "new item":
        resolved["item"] = AgendaItem.objects.filter(meeting=w.meeting).latest("id").pk
    if "users" in resolved:
        resolved["users"] = [getattr(w, key).pk for key in resolved["users"]]
    return resolved


@pytest.mark.parametrize("case", sorted(EVENT_CASES))
def test_every_action_publishes_exactly_its_events_with_their_audiences(w, case):
    # given
    given, when, expected = EVENT_CASES[case]
    setup = given(w)
    before = last_seq(w.meeting)
    # when
    when(w, setup)
    # then
    events = new_events(w.meeting, before)
    assert [(e.type, e.audience) for e in events] == [(t, _resolve(w, a)) for t, a in expected]
    assert [problems(e.data, event_shapes()[e.type]) for e in events] == [[] for _ in events]
    assert [e.seq for e in events] == list(range(before + 1, before + 1 + len(events)))


def test_event_payloads_carry_the_state_a_tablet_needs(w):
    _in_session(w)
    before = last_seq(w.meeting)
    request = actions.do_request_to_speak(w.meeting, participant=part(w.meeting, w.member), kind="question")
    actions.do_give_floor(w.meeting, request_id=request.pk, acting_user=w.chair)
    actions.do_conclude_item(w.meeting, conclusion="Thống nhất.", acting_user=w.chair)
    queue, floor, final_queue, closed, meeting = new_events(w.meeting, before)[:5]
    assert queue.data["item_id"] == w.items[0].pk
    assert [(r["full_name"], r["status"], r["kind"]) for r in queue.data["queue"]] == [
        (w.member.full_name, "waiting", "question")
    ]
    assert [r["status"] for r in floor.data["queue"]] == ["speaking"]
    assert final_queue.data["queue"] == []
    assert (closed.data["item"]["status"], closed.data["item"]["conclusion"]) == ("concluded", "Thống nhất.")
    assert meeting.data["meeting"]["current_item_id"] is None


def test_a_failing_action_publishes_nothing(w):
    before = last_seq(w.meeting)
    failures: list[Callable[[], Any]] = [
        lambda: actions.do_open_item(w.meeting, item=None, acting_user=w.chair),
        lambda: actions.do_conclude_item(w.meeting, conclusion="", acting_user=w.chair),
        lambda: actions.do_reorder_items(w.meeting, order=[], acting_user=w.secretary),
        lambda: actions.do_add_comment(w.items[0], author=w.member, text="", visibility="all"),
        lambda: actions.do_check_in(part(w.meeting, w.member), attendance="x", acting_user=w.member),
    ]
    for failure in failures:
        with pytest.raises(ActionError):
            failure()
    assert last_seq(w.meeting) == before
    assert Event.objects.filter(stream_id=w.meeting.stream_id, seq__gt=before).count() == 0
