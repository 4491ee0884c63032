"""A socket action sent again with the same key is done once: the tablet that
lost its socket before the answer came sends what it kept again, and the
server answers what it answered the first time without doing it twice. The
heartbeat is answered on the spot and keeps nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from ecabinet.models import SocketReceipt
from ecabinet.realtime import receipts
from meetings import actions as meeting_actions
from meetings.models import Comment, SpeakRequest
from tests.conftest import World
from tests.meetings.test_socket import in_tenant, join, last_seq
from voting.actions import do_open_ballot
from voting.models import BallotVoter

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

KEY = "k-0123456789abcdef"


async def act(communicator: Any, action: str, data: dict[str, Any], *, ref: str, key: Any) -> dict[str, Any]:
    frame: dict[str, Any] = {"action": action, "data": data, "ref": ref}
    if key is not None:
        frame["key"] = key
    await communicator.send_json_to(frame)
    while True:
        answer = await communicator.receive_json_from(timeout=5)
        if answer["type"] in {"ack", "error"} and answer.get("ref") == ref:
            return answer  # type: ignore[no-any-return]


async def under_way(world: World) -> Any:
    meeting = await in_tenant(world, meeting_actions.do_start_meeting, world.meeting, acting_user=world.chair)
    await in_tenant(
        world, meeting_actions.do_open_item, meeting, item=world.items[0], acting_user=world.chair
    )
    return meeting


def comments(world: World) -> int:
    return Comment.objects.filter(item__meeting=world.meeting).count()


def speak_requests(world: World) -> int:
    return SpeakRequest.objects.filter(item__meeting=world.meeting).count()


async def test_a_comment_sent_again_with_its_key_is_added_once(hanoi: World) -> None:
    # given: the session under way, a member's tablet
    await under_way(hanoi)
    member, _ = await join(hanoi, hanoi.member)
    data = {"item_id": hanoi.items[0].pk, "text": "Đề nghị bổ sung số liệu", "visibility": "all"}
    try:
        # when: the comment is sent, then sent again with the same key (its answer was lost)
        first = await act(member, "comment.add", data, ref="r1", key=KEY)
        seq_after_first = await sync_to_async(last_seq)(hanoi)
        again = await act(member, "comment.add", data, ref="r2", key=KEY)

        # then: one comment, one event; the second answer is the first's, marked as a repeat
        assert first["type"] == "ack" and "repeat" not in first
        assert again["type"] == "ack" and again["repeat"] is True
        assert again["data"] == first["data"]
        assert await in_tenant(hanoi, comments, hanoi) == 1
        assert await sync_to_async(last_seq)(hanoi) == seq_after_first

        # and: without a key, or with a new one, it is a new comment
        fresh = await act(member, "comment.add", data, ref="r3", key="k-another-key-01")
        assert fresh["type"] == "ack" and fresh["data"] != first["data"]
        assert await in_tenant(hanoi, comments, hanoi) == 2
    finally:
        await member.disconnect()


async def test_a_request_to_speak_and_a_vote_sent_again_are_done_once(hanoi: World) -> None:
    # given: the session under way with a named ballot open
    meeting = await under_way(hanoi)
    ballot = await in_tenant(hanoi, do_open_ballot, meeting, acting_user=hanoi.chair, question="Thông qua?")
    member, _ = await join(hanoi, hanoi.member)
    try:
        # when: each is sent twice with its key
        speak = [
            await act(member, "speak.request", {"kind": "speech"}, ref=f"s{n}", key="k-speak-000001")
            for n in range(2)
        ]
        vote = {"ballot_id": ballot.pk, "option": "for"}
        votes = [await act(member, "ballot.vote", vote, ref=f"v{n}", key="k-vote-0000001") for n in range(2)]

        # then: both acknowledged (a second vote without the key is refused), done once
        assert [answer["type"] for answer in speak + votes] == ["ack"] * 4
        assert speak[1]["data"] == speak[0]["data"] and votes[1]["data"] == votes[0]["data"]
        assert await in_tenant(hanoi, speak_requests, hanoi) == 1
        voted = await in_tenant(
            hanoi, lambda: BallotVoter.objects.filter(ballot=ballot, voted_at__isnull=False).count()
        )
        assert voted == 1
        refused = await act(member, "ballot.vote", vote, ref="v9", key=None)
        assert refused["type"] == "error"
    finally:
        await member.disconnect()


async def test_the_same_key_from_two_sockets_at_once_is_done_once(hanoi: World) -> None:
    # given: the member's old socket and its new one, both open
    await under_way(hanoi)
    old, _ = await join(hanoi, hanoi.member)
    new, _ = await join(hanoi, hanoi.member)
    data = {"item_id": hanoi.items[0].pk, "text": "Gửi lại khi có mạng", "visibility": "all"}
    try:
        # when: both send the kept comment at the same moment
        answers = await asyncio.gather(
            act(old, "comment.add", data, ref="a", key=KEY), act(new, "comment.add", data, ref="b", key=KEY)
        )

        # then: one comment; one answer is the first, the other its repeat
        assert [answer["type"] for answer in answers] == ["ack", "ack"]
        assert sorted(bool(answer.get("repeat")) for answer in answers) == [False, True]
        assert await in_tenant(hanoi, comments, hanoi) == 1
    finally:
        await old.disconnect()
        await new.disconnect()


async def test_a_key_is_each_users_own(hanoi: World) -> None:
    await under_way(hanoi)
    member, _ = await join(hanoi, hanoi.member)
    vice, _ = await join(hanoi, hanoi.vice_chair)
    data = {"item_id": hanoi.items[0].pk, "text": "Cùng một khoá", "visibility": "all"}
    try:
        first = await act(member, "comment.add", data, ref="a", key=KEY)
        other = await act(vice, "comment.add", data, ref="b", key=KEY)
        assert first["type"] == other["type"] == "ack" and "repeat" not in other
        assert await in_tenant(hanoi, comments, hanoi) == 2
    finally:
        await member.disconnect()
        await vice.disconnect()


async def test_a_refused_action_keeps_no_receipt_and_runs_when_sent_again(hanoi: World) -> None:
    # given: a meeting not yet started: a request to speak is refused
    member, _ = await join(hanoi, hanoi.member)
    try:
        refused = await act(member, "speak.request", {"kind": "speech"}, ref="r1", key=KEY)
        assert refused["type"] == "error" and refused["error"] == "wrong_state"
        assert await sync_to_async(SocketReceipt.objects.count)() == 0

        # when: the session starts and the tablet sends it again with the same key
        await under_way(hanoi)
        again = await act(member, "speak.request", {"kind": "speech"}, ref="r2", key=KEY)

        # then: it is done now, as a first time
        assert again["type"] == "ack" and "repeat" not in again
        assert await in_tenant(hanoi, speak_requests, hanoi) == 1
    finally:
        await member.disconnect()


@pytest.mark.parametrize(
    "key", ["short", "x" * 65, "k-with space-000", "k/../../etc/pa", 12345678, ["k-0123456789"], ""]
)
async def test_a_malformed_key_is_refused_and_nothing_is_done(hanoi: World, key: Any) -> None:
    await under_way(hanoi)
    member, _ = await join(hanoi, hanoi.member)
    data = {"item_id": hanoi.items[0].pk, "text": "Khoá sai", "visibility": "all"}
    try:
        answer = await act(member, "comment.add", data, ref="r1", key=key)
        assert answer["type"] == "error" and answer["error"] == "bad_frame"
        assert "key" in answer["detail"]
        assert await in_tenant(hanoi, comments, hanoi) == 0
        assert await sync_to_async(SocketReceipt.objects.count)() == 0
    finally:
        await member.disconnect()


async def test_a_key_used_for_another_action_is_refused(hanoi: World) -> None:
    await under_way(hanoi)
    member, _ = await join(hanoi, hanoi.member)
    data = {"item_id": hanoi.items[0].pk, "text": "Ý kiến", "visibility": "all"}
    try:
        assert (await act(member, "comment.add", data, ref="r1", key=KEY))["type"] == "ack"
        reused = await act(member, "speak.request", {"kind": "speech"}, ref="r2", key=KEY)
        assert reused["type"] == "error" and reused["error"] == "key_reused"
        assert await in_tenant(hanoi, speak_requests, hanoi) == 0
    finally:
        await member.disconnect()


async def test_receipts_are_forgotten_after_a_week(hanoi: World, clock: Any) -> None:
    await under_way(hanoi)
    member, _ = await join(hanoi, hanoi.member)
    data = {"item_id": hanoi.items[0].pk, "text": "Ý kiến", "visibility": "all"}
    try:
        assert (await act(member, "comment.add", data, ref="r1", key=KEY))["type"] == "ack"
    finally:
        await member.disconnect()
    clock.advance(days=6, hours=23)
    assert await sync_to_async(receipts.forget_old)() == 0
    clock.advance(hours=2)
    assert await sync_to_async(receipts.forget_old)() == 1
    assert await sync_to_async(SocketReceipt.objects.count)() == 0


async def test_the_heartbeat_is_answered_with_the_servers_time_and_keeps_nothing(hanoi: World) -> None:
    member, _ = await join(hanoi, hanoi.member)
    try:
        answer = await act(member, "beat", {}, ref="b1", key=None)
        assert answer["type"] == "ack" and set(answer["data"]) == {"server_time"}
        keyed = await act(member, "beat", {}, ref="b2", key=KEY)
        assert keyed["type"] == "ack" and "repeat" not in keyed
        assert await sync_to_async(SocketReceipt.objects.count)() == 0
    finally:
        await member.disconnect()
