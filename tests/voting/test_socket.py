"""Ballots over the socket: the chair opens, a member votes, every tablet sees
the count at once, and the result with the close; a guest not invited to the
item gets only the numbers of the frames."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from meetings import actions as meeting_actions
from tests.conftest import World
from tests.meetings.test_socket import act, in_tenant, join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def _next_of(communicator, type_: str) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=5)
        if frame["type"] == type_:
            return frame


async def test_a_ballot_over_the_socket(hanoi: World) -> None:
    meeting = await in_tenant(hanoi, meeting_actions.do_start_meeting, hanoi.meeting, acting_user=hanoi.chair)
    await in_tenant(
        hanoi, meeting_actions.do_open_item, meeting, item=hanoi.items[0], acting_user=hanoi.chair
    )
    chair, _ = await join(hanoi, hanoi.chair)
    member, _ = await join(hanoi, hanoi.member)
    guest, _ = await join(hanoi, hanoi.guest)
    try:
        # a member may not open a ballot; bad input is an error frame, the socket stays open
        refused, _ = await act(member, "ballot.open", {})
        assert refused["type"] == "error" and refused["error"] == "not_allowed"
        bad, _ = await act(chair, "ballot.open", {"secret": "yes"}, ref="r0")
        assert bad["type"] == "error" and bad["error"] == "invalid"

        opened, _ = await act(
            chair, "ballot.open", {"question": "Thông qua?", "countdown_seconds": 120}, ref="r2"
        )
        assert opened["type"] == "ack"
        ballot_id = opened["data"]["ballot"]["id"]
        seen = await _next_of(member, "ballot.opened")
        assert seen["data"]["ballot"]["question"] == "Thông qua?"
        redacted = await guest.receive_json_from(timeout=5)
        assert redacted["type"] == "redacted" and redacted["data"] == {}

        voted, _ = await act(member, "ballot.vote", {"ballot_id": ballot_id, "option": "for"}, ref="r3")
        assert voted["type"] == "ack" and voted["data"]["mine"]["voted"] is True
        tally = await _next_of(chair, "ballot.tally")
        assert tally["data"]["voted"] == 1 and tally["data"]["counts"]["for"] == 1

        twice, _ = await act(member, "ballot.vote", {"ballot_id": ballot_id, "option": "for"}, ref="r4")
        assert twice["type"] == "error" and twice["error"] == "wrong_state"
        wrong, _ = await act(member, "ballot.vote", {"ballot_id": ballot_id, "option": "nope"}, ref="r5")
        assert wrong["type"] == "error" and wrong["error"] == "invalid"
        malformed, _ = await act(member, "ballot.vote", {"ballot_id": "x", "option": "for"}, ref="r6")
        assert (malformed["error"], malformed["detail"][:11]) == ("invalid", "ballot_id: ")
        missing, _ = await act(member, "ballot.vote", {"ballot_id": 10**12, "option": "for"}, ref="r6b")
        assert missing["type"] == "error" and missing["error"] == "not_found"
        # an option of the wrong type is refused by name, not a server error
        for bad in (["for"], {"key": "for"}, None, True):
            typed, _ = await act(member, "ballot.vote", {"ballot_id": ballot_id, "option": bad}, ref="r6c")
            assert (typed["type"], typed["error"], typed["detail"][:8]) == ("error", "invalid", "option: ")

        closed, _ = await act(chair, "ballot.close", {"ballot_id": ballot_id}, ref="r7")
        assert closed["type"] == "ack"
        result = await _next_of(member, "ballot.closed")
        assert result["data"]["ballot"]["result"]["outcome"] == "no_quorum"
        assert [v["name"] for v in result["data"]["votes"]] == [hanoi.member.full_name]
    finally:
        for communicator in (chair, member, guest):
            await communicator.disconnect()
    await sync_to_async(lambda: None)()
