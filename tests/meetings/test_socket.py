"""The meeting's socket actions, through channels.testing: what one tablet does
reaches the others in order, a dropped tablet catches up, every role meets the
rules, and a guest reads only its own items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from ecabinet.models import EventStream
from ecabinet.tenancy import tenant_context
from meetings import actions
from meetings.access import access_meeting
from meetings.models import Participant
from meetings.operations import OPERATIONS
from meetings.selectors import meeting_state
from tests.conftest import World
from tests.ecabinet.test_socket import open_socket, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


# --- helpers ------------------------------------------------------------------------------------


def in_tenant(world: World, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` in a worker thread with the world's tenant set."""

    def run() -> Any:
        with tenant_context(world.tenant):
            return func(*args, **kwargs)

    return sync_to_async(run)()


def part(world: World, user: Any) -> Participant:
    return Participant.objects.get(meeting=world.meeting, user=user)


async def join(world: World, user: Any):
    cookie = await sync_to_async(session_cookie)(world, user)
    communicator = await open_socket(world.host, world.meeting.pk, cookie=cookie)
    welcome = await communicator.receive_json_from(timeout=3)
    assert welcome["type"] == "welcome"
    return communicator, welcome["data"]["last_seq"]


async def act(communicator, action: str, data: dict[str, Any] | None = None, ref: str = "r1"):
    """Send an action; return its answer (ack or error) and the events that came before it."""
    await communicator.send_json_to({"action": action, "data": data or {}, "ref": ref})
    others = []
    while True:
        frame = await communicator.receive_json_from(timeout=5)
        if frame["type"] in {"ack", "error"} and frame.get("ref") == ref:
            return frame, others
        others.append(frame)


async def receive(communicator, count: int) -> list[dict[str, Any]]:
    return [await communicator.receive_json_from(timeout=5) for _ in range(count)]


async def until_seq(communicator, seq: int) -> list[dict[str, Any]]:
    frames = []
    while not frames or frames[-1].get("seq") != seq:
        frames.append(await communicator.receive_json_from(timeout=5))
    return frames


async def still_open(communicator) -> None:
    reply, _ = await act(communicator, "ping", ref="still-open")
    assert reply["type"] == "ack"


def replay(world: World, user: Any, since: int) -> dict[str, Any]:
    client = Client(HTTP_HOST=world.host)
    client.force_login(user)
    response = client.get(f"/api/v1/meetings/{world.meeting.pk}/events/", {"since": since})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def last_seq(world: World) -> int:
    return EventStream.objects.get(pk=world.meeting.stream_id).last_seq


# --- two tablets -----------------------------------------------------------------------------------


async def test_the_chairs_actions_reach_the_member_and_the_members_reach_the_chair_in_order(hanoi):
    chair, start = await join(hanoi, hanoi.chair)
    member, member_start = await join(hanoi, hanoi.member)
    assert member_start == start

    # the chair starts the session and opens the second item
    reply, _ = await act(chair, "meeting.start")
    assert reply == {"type": "ack", "ref": "r1", "data": reply["data"]}
    assert reply["data"]["meeting"]["status"] == "in_session"
    (started,) = await receive(member, 1)
    assert (started["type"], started["seq"]) == ("meeting.updated", start + 1)
    assert started["data"]["meeting"]["status"] == "in_session"
    reply, _ = await act(chair, "item.open", {"item_id": hanoi.items[1].pk}, ref="open")
    assert reply["type"] == "ack"
    opened, current = await receive(member, 2)
    assert (opened["type"], opened["seq"]) == ("item.opened", start + 2)
    assert opened["data"]["item"]["id"] == hanoi.items[1].pk
    assert (current["type"], current["seq"]) == ("meeting.updated", start + 3)
    assert current["data"]["meeting"]["current_item_id"] == hanoi.items[1].pk

    # the member asks to speak: the chair's tablet sees the queue
    await until_seq(chair, start + 3)  # the chair's own events
    reply, _ = await act(member, "speak.request", {"kind": "question"}, ref="ask")
    assert reply["type"] == "ack"
    request_id = reply["data"]["request"]["id"]
    (queue,) = await receive(chair, 1)
    assert (queue["type"], queue["seq"]) == ("queue.changed", start + 4)
    assert [(r["id"], r["status"], r["kind"]) for r in queue["data"]["queue"]] == [
        (request_id, "waiting", "question")
    ]

    # the chair gives the floor: the member sees that it speaks
    reply, _ = await act(chair, "floor.give", {"request_id": request_id}, ref="floor")
    assert reply["type"] == "ack"
    mine, given = await receive(member, 2)
    assert mine["seq"] == start + 4
    assert (given["type"], given["seq"]) == ("queue.changed", start + 5)
    assert given["data"]["queue"][0]["status"] == "speaking"
    for communicator in (chair, member):
        await communicator.disconnect()


# --- dropping and replaying -------------------------------------------------------------------------


def apply(state: dict[str, Any], frame: dict[str, Any]) -> None:
    """What the tablet's script does with a frame, in Python: the reducer under test."""
    kind, data = frame["type"], frame["data"]
    items = {item["id"]: item for item in state["items"]}
    if kind in {"meeting.updated", "meeting.published"}:
        state["meeting"] = data["meeting"]
    elif kind in {"item.added", "item.opened", "item.updated", "item.closed"}:
        old = items.get(data["item"]["id"], {"papers": [], "queue": []})
        items[data["item"]["id"]] = {**data["item"], "papers": old["papers"], "queue": old["queue"]}
    elif kind == "item.removed":
        items.pop(data["item_id"], None)
    elif kind == "agenda.reordered":
        for position, item_id in enumerate(data["order"], start=1):
            if item_id in items:
                items[item_id]["position"] = position
    elif kind == "queue.changed":
        items[data["item_id"]]["queue"] = data["queue"]
    elif kind in {"comment.added", "comment.edited", "comment.withdrawn"}:
        comments = {c["id"]: c for c in state["comments"]}
        comments[data["comment"]["id"]] = data["comment"]
        state["comments"] = sorted(comments.values(), key=lambda c: (c["created_at"], c["id"]))
    elif kind in {"attendance.changed", "participant.added", "participant.changed"}:
        people = {p["id"]: p for p in state["participants"]}
        people[data["participant"]["id"]] = data["participant"]
        state["participants"] = sorted(people.values(), key=lambda p: p["id"])
    elif kind == "participant.removed":
        state["participants"] = [p for p in state["participants"] if p["id"] != data["participant_id"]]
    elif kind != "redacted":
        raise AssertionError(f"the reducer does not know {kind}")
    if "quorum" in data:
        state["quorum"] = data["quorum"]
    state["items"] = sorted(items.values(), key=lambda i: (i["position"], i["id"]))


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    return {key: state[key] for key in ("meeting", "items", "participants", "quorum", "comments")}


def what_happens_while_away(world: World) -> None:
    """A stretch of session: every kind of event, some of them not for everyone."""
    with tenant_context(world.tenant):
        chair, member, vice = (part(world, u) for u in (world.chair, world.member, world.vice_chair))
        actions.do_check_in(chair, attendance="room", acting_user=world.chair)
        actions.do_check_in(member, attendance="remote", acting_user=world.member)
        actions.do_start_meeting(world.meeting, acting_user=world.chair)
        actions.do_open_item(world.meeting, item=world.items[0], acting_user=world.chair)
        first = actions.do_request_to_speak(world.meeting, participant=member, kind="speech")
        actions.do_request_to_speak(world.meeting, participant=vice, kind="question")
        actions.do_give_floor(world.meeting, request_id=first.pk, acting_user=world.chair)
        public = actions.do_add_comment(
            world.items[0], author=world.vice_chair, text="Đồng ý", visibility="all"
        )
        actions.do_add_comment(
            world.items[0], author=world.vice_chair, text="Riêng", visibility="secretariat"
        )
        actions.do_edit_comment(public, author=world.vice_chair, text="Đồng ý với tờ trình")
        actions.do_conclude_item(world.meeting, conclusion="Thông qua tờ trình.", acting_user=world.chair)
        actions.do_update_item(world.items[2], changes={"planned_minutes": 40}, acting_user=world.secretary)
        actions.do_add_item(world.meeting, title="Nội dung phát sinh", acting_user=world.secretary)
        actions.do_open_item(world.meeting, item=world.items[1], acting_user=world.chair)
        guest = part(world, world.guest)
        actions.do_request_to_speak(world.meeting, participant=guest, kind="speech")
        actions.do_add_comment(world.items[1], author=world.guest, text="Xin ý kiến", visibility="all")
        actions.do_name_substitute(vice, substitute=world.other_member, acting_user=world.secretary)
        actions.do_reorder_items(
            world.meeting,
            order=[
                world.items[1].pk,
                world.items[0].pk,
                *list(world.meeting.items.order_by("position").values_list("pk", flat=True))[2:],
            ],
            acting_user=world.secretary,
        )
        actions.do_adjourn_meeting(world.meeting, acting_user=world.chair)


@pytest.mark.parametrize("who", ["member", "guest", "chair"])
async def test_a_tablet_that_dropped_replays_and_ends_with_the_fresh_state(hanoi, who):
    user = getattr(hanoi, who)
    # given a tablet that had the state and then dropped
    tablet, seen = await join(hanoi, user)
    state = await in_tenant(hanoi, lambda: meeting_state(access_meeting(user, hanoi.meeting.pk)))
    await tablet.disconnect()
    # when the session goes on without it, and it comes back and replays
    await in_tenant(hanoi, what_happens_while_away, hanoi)
    tablet, now = await join(hanoi, user)
    body = await sync_to_async(replay)(hanoi, user, seen)
    # then it has every number, and applying the frames gives the fresh state
    assert [frame["seq"] for frame in body["events"]] == list(range(seen + 1, now + 1))
    assert body["last_seq"] == now
    for frame in body["events"]:
        apply(state, frame)
    fresh = await in_tenant(hanoi, lambda: meeting_state(access_meeting(user, hanoi.meeting.pk)))
    assert comparable(state) == comparable(fresh)
    assert state["meeting"]["status"] == "adjourned"
    await tablet.disconnect()


# --- role × socket action --------------------------------------------------------------------------

ROLES = ["chair", "vice_chair", "acting_vice_chair", "secretary", "member", "guest", "observer"]
SESSION_RUNNERS = {"chair", "acting_vice_chair"}
SPEAKERS = {"chair", "vice_chair", "acting_vice_chair", "member", "guest"}
PARTICIPANTS = SPEAKERS | {"observer"}
COMMENTERS = SPEAKERS | {"secretary"}  # the secretariat comments too (Capability.COMMENT)

# action -> (who may, given: sets the meeting up for the actor and returns the frame's data)
Setup = Callable[[World, Any], dict[str, Any]]


def _started(w: World, actor: Any) -> dict[str, Any]:
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    return {}


def _adjourned(w: World, actor: Any) -> dict[str, Any]:
    _started(w, actor)
    actions.do_adjourn_meeting(w.meeting, acting_user=w.chair)
    return {}


def _item_open(w: World, actor: Any) -> dict[str, Any]:
    _started(w, actor)
    actions.do_open_item(w.meeting, item=w.items[1], acting_user=w.chair)  # the guest's item
    return {}


def _actor_waits(w: World, actor: Any) -> dict[str, Any]:
    _item_open(w, actor)
    mine = Participant.objects.filter(meeting=w.meeting, user=actor).first()
    if mine is not None:
        actions.do_request_to_speak(w.meeting, participant=mine, kind="speech")
    return {}


def _member_waits(w: World, actor: Any) -> dict[str, Any]:
    _item_open(w, actor)
    request = actions.do_request_to_speak(w.meeting, participant=part(w, w.member), kind="speech")
    return {"request_id": request.pk}


def _member_speaks(w: World, actor: Any) -> dict[str, Any]:
    data = _member_waits(w, actor)
    actions.do_give_floor(w.meeting, request_id=data["request_id"], acting_user=w.chair)
    return {}


def _own_comment(w: World, actor: Any) -> dict[str, Any]:
    comment = actions.do_add_comment(w.items[1], author=actor, text="Ý kiến ban đầu", visibility="all")
    return {"comment_id": comment.pk, "text": "Ý kiến đã sửa"}


MATRIX: dict[str, tuple[set[str], Setup]] = {
    "meeting.start": (SESSION_RUNNERS, lambda w, a: {}),
    "meeting.adjourn": (SESSION_RUNNERS, _started),
    "meeting.resume": (SESSION_RUNNERS, _adjourned),
    "meeting.close": (SESSION_RUNNERS, _started),
    "item.open": (SESSION_RUNNERS, lambda w, a: {**_started(w, a), "item_id": w.items[1].pk}),
    "item.conclude": (SESSION_RUNNERS, lambda w, a: {**_item_open(w, a), "conclusion": "Thông qua."}),
    "item.defer": (SESSION_RUNNERS, lambda w, a: {**_item_open(w, a), "note": "Chờ bổ sung hồ sơ"}),
    "floor.give": (SESSION_RUNNERS, _member_waits),
    "floor.end": (SESSION_RUNNERS, _member_speaks),
    "speak.request": (SPEAKERS, lambda w, a: {**_item_open(w, a), "kind": "speech"}),
    "speak.withdraw": (SPEAKERS, _actor_waits),
    "attendance.check_in": (PARTICIPANTS, lambda w, a: {"attendance": "room"}),
    "comment.add": (
        COMMENTERS,
        lambda w, a: {"item_id": w.items[1].pk, "text": "Đồng ý", "visibility": "all"},
    ),
    "comment.edit": (COMMENTERS, _own_comment),
    "comment.withdraw": (COMMENTERS, lambda w, a: {"comment_id": _own_comment(w, a)["comment_id"]}),
}


async def test_the_matrix_covers_every_socket_action():
    assert set(MATRIX) == set(OPERATIONS)


def _user_for(world: World, role: str) -> Any:
    return world.vice_chair if role == "acting_vice_chair" else getattr(world, role)


def _prepare(world: World, role: str, action: str) -> dict[str, Any]:
    with tenant_context(world.tenant):
        if role == "acting_vice_chair":
            actions.do_set_acting_chair(
                world.meeting, participant=part(world, world.vice_chair), acting_user=world.secretary
            )
        return MATRIX[action][1](world, _user_for(world, role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
async def test_role_by_socket_action(hanoi, action, role):
    # given the meeting in the state where the action can succeed
    data = await sync_to_async(_prepare)(hanoi, role, action)
    tablet, _ = await join(hanoi, _user_for(hanoi, role))
    # when
    reply, _ = await act(tablet, action, data)
    # then
    if role in MATRIX[action][0]:
        assert reply["type"] == "ack", reply
    else:
        assert (reply["type"], reply["error"]) == ("error", "not_allowed"), reply
        assert reply["detail"]
    await still_open(tablet)
    await tablet.disconnect()


# the right person at the wrong time: the same actions in a closed meeting
@pytest.mark.parametrize("action", sorted(MATRIX))
async def test_every_socket_action_in_a_closed_meeting_is_a_wrong_state_error(hanoi, action):
    def close_after_setup() -> dict[str, Any]:
        with tenant_context(hanoi.tenant):
            data = MATRIX[action][1](hanoi, hanoi.chair)
            meeting = hanoi.meeting
            meeting.refresh_from_db()
            if meeting.status == "published":
                actions.do_start_meeting(meeting, acting_user=hanoi.chair)
            meeting.refresh_from_db()
            if meeting.current_item_id is not None:
                actions.do_defer_item(meeting, acting_user=hanoi.chair)
            actions.do_close_meeting(meeting, acting_user=hanoi.chair)
            return data

    data = await sync_to_async(close_after_setup)()
    tablet, _ = await join(hanoi, hanoi.chair)
    reply, _ = await act(tablet, action, data)
    assert (reply["type"], reply["error"]) == ("error", "wrong_state"), reply
    assert reply["detail"].startswith(("Chỉ", "Cuộc họp", "Ý kiến", "Điểm danh")), reply["detail"]
    await still_open(tablet)
    await tablet.disconnect()


def _guest_elsewhere(world: World) -> dict[str, Any]:
    with tenant_context(world.tenant):
        actions.do_start_meeting(world.meeting, acting_user=world.chair)
        actions.do_open_item(world.meeting, item=world.items[0], acting_user=world.chair)
        # a comment of the guest on an item it is not (or no longer) invited to
        comment = actions.do_add_comment(world.items[0], author=world.guest, text="Cũ", visibility="all")
        return {"comment_id": comment.pk}


@pytest.mark.parametrize(
    ("action", "data", "code"),
    [
        ("speak.request", {"kind": "speech"}, "not_allowed"),
        ("speak.withdraw", {}, "not_allowed"),
        ("comment.add", {"item_id": "items0", "text": "Đồng ý"}, "not_found"),
        ("comment.edit", {"comment_id": "comment", "text": "Sửa"}, "not_found"),
        ("comment.withdraw", {"comment_id": "comment"}, "not_found"),
        ("item.open", {"item_id": "items0"}, "not_allowed"),
        ("floor.end", {}, "not_allowed"),
    ],
)
async def test_a_guest_acts_only_on_its_own_item(hanoi, action, data, code):
    made = await sync_to_async(_guest_elsewhere)(hanoi)
    data = {
        key: made["comment_id"] if value == "comment" else hanoi.items[0].pk if value == "items0" else value
        for key, value in data.items()
    }
    tablet, _ = await join(hanoi, hanoi.guest)
    reply, _ = await act(tablet, action, data)
    assert (reply["type"], reply["error"]) == ("error", code), reply
    await still_open(tablet)
    await tablet.disconnect()


async def test_an_item_of_another_tenant_or_meeting_is_not_found(hanoi, danang):
    await in_tenant(hanoi, actions.do_start_meeting, hanoi.meeting, acting_user=hanoi.chair)
    tablet, _ = await join(hanoi, hanoi.chair)
    for item_id in (danang.items[0].pk, 10**12):
        reply, _ = await act(tablet, "comment.add", {"item_id": item_id, "text": "x"})
        assert (reply["type"], reply["error"]) == ("error", "not_found"), (item_id, reply)
    # not an id at all: refused as input, as the API refuses it, naming the field
    for item_id in (-1, 2**70, "1", None, True):
        reply, _ = await act(tablet, "comment.add", {"item_id": item_id, "text": "x"})
        assert (reply["type"], reply["error"]) == ("error", "invalid"), (item_id, reply)
        assert reply["detail"].startswith("item_id: "), reply
    reply, _ = await act(tablet, "item.open", {"item_id": danang.items[0].pk})
    assert reply["error"] == "not_found"
    await still_open(tablet)
    await tablet.disconnect()


async def test_wrong_state_and_bad_input_say_so_in_vietnamese(hanoi):
    tablet, _ = await join(hanoi, hanoi.chair)
    reply, _ = await act(tablet, "item.open", {})
    assert (reply["error"], reply["detail"]) == ("wrong_state", "Chỉ mở nội dung khi cuộc họp đang diễn ra.")
    await act(tablet, "meeting.start", ref="start")
    reply, _ = await act(tablet, "meeting.start", ref="twice")
    assert (reply["error"], reply["detail"]) == (
        "wrong_state",
        "Chỉ bắt đầu được cuộc họp đã công bố và chưa bắt đầu.",
    )
    await act(tablet, "item.open", {}, ref="open")
    reply, _ = await act(tablet, "floor.give", {}, ref="nobody")
    assert (reply["error"], reply["detail"]) == ("invalid", "request_id: Trường này là bắt buộc.")
    reply, _ = await act(tablet, "floor.give", {"request_id": None}, ref="nobody-named")
    assert (reply["error"], reply["detail"]) == ("invalid", "Hãy chọn người được phát biểu.")
    reply, _ = await act(tablet, "item.conclude", {"conclusion": "  "}, ref="empty")
    assert (reply["error"], reply["detail"]) == ("invalid", "“kết luận” không được để trống.")
    await still_open(tablet)
    await tablet.disconnect()


# --- what a guest may read -------------------------------------------------------------------------


async def test_a_guest_gets_redacted_frames_for_other_items_and_full_ones_for_its_own(hanoi):
    chair, start = await join(hanoi, hanoi.chair)
    guest, _ = await join(hanoi, hanoi.guest)
    member, _ = await join(hanoi, hanoi.member)
    await act(chair, "meeting.start", ref="start")
    await act(chair, "item.open", {"item_id": hanoi.items[0].pk}, ref="open0")
    await act(chair, "comment.add", {"item_id": hanoi.items[1].pk, "text": "Mục 2"}, ref="c1")
    await act(
        chair,
        "comment.add",
        {"item_id": hanoi.items[1].pk, "text": "Riêng", "visibility": "secretariat"},
        ref="c2",
    )
    frames = await receive(guest, 5)
    assert [f["seq"] for f in frames] == list(range(start + 1, start + 6))
    assert [f["type"] for f in frames] == [
        "meeting.updated",
        "redacted",  # item.opened of the first item
        "meeting.updated",
        "comment.added",  # its own item
        "redacted",  # a secretariat-only comment, even on its own item
    ]
    assert frames[1] == {"type": "redacted", "seq": start + 2, "at": frames[1]["at"], "data": {}}
    assert frames[3]["data"]["comment"]["text"] == "Mục 2"
    member_frames = await receive(member, 5)
    assert [f["type"] for f in member_frames] == [
        "meeting.updated",
        "item.opened",
        "meeting.updated",
        "comment.added",
        "redacted",
    ]
    body = await sync_to_async(replay)(hanoi, hanoi.guest, start)
    assert body["events"] == frames  # the replay redacts exactly as the socket did
    for communicator in (chair, guest, member):
        await communicator.disconnect()


async def test_the_replay_shows_the_secretariat_what_a_member_may_not_read(hanoi):
    start = await in_tenant(hanoi, last_seq, hanoi)
    await in_tenant(
        hanoi,
        actions.do_add_comment,
        hanoi.items[0],
        author=hanoi.member,
        text="Riêng",
        visibility="secretariat",
    )
    for user, expected in [
        (hanoi.secretary, "comment.added"),
        (hanoi.chair, "comment.added"),
        (hanoi.member, "comment.added"),  # its author
        (hanoi.vice_chair, "redacted"),
        (hanoi.guest, "redacted"),
    ]:
        body = await sync_to_async(replay)(hanoi, user, start)
        assert [e["type"] for e in body["events"]] == [expected], user.username


async def test_a_guest_invited_later_reads_the_item_from_then_on(hanoi):
    guest, start = await join(hanoi, hanoi.guest)
    await in_tenant(
        hanoi,
        lambda: actions.do_change_participant(
            part(hanoi, hanoi.guest), item_ids=[hanoi.items[0].pk, hanoi.items[1].pk], acting_user=None
        ),
    )
    (changed,) = await receive(guest, 1)
    assert changed["type"] == "participant.changed"
    await in_tenant(
        hanoi, actions.do_add_comment, hanoi.items[0], author=hanoi.member, text="Mục 1", visibility="all"
    )
    (comment,) = await receive(guest, 1)
    assert (comment["type"], comment["seq"]) == ("comment.added", start + 2)
    await guest.disconnect()


async def test_removing_the_guest_closes_its_socket(hanoi):
    guest, _ = await join(hanoi, hanoi.guest)
    await in_tenant(hanoi, lambda: actions.do_remove_participant(part(hanoi, hanoi.guest), acting_user=None))
    removed = await guest.receive_json_from(timeout=3)
    assert removed["type"] == "participant.removed"
    closing = await guest.receive_output(timeout=3)
    assert (closing["type"], closing["code"]) == ("websocket.close", 4404)
