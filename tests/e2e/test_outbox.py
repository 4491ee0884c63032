"""The socket server killed mid-session loses nothing a member asked for.

A member's comment, request to speak and vote are in flight when the server
process is killed: the tablet keeps them, reconnects when a server is back,
replays what it missed and sends them again; each is done exactly once, also
when the server had done it and only the answer was lost, and also when the
tablet was closed in between."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.models import SocketReceipt
from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_start_meeting
from meetings.models import Comment, SpeakRequest
from tests.conftest import World
from tests.e2e.conftest import LiveDaphne, let_log_in, screenshot
from tests.e2e.test_session import LIVE_MS, open_meeting
from tests.e2e.test_tablet import RECONNECT_MS
from voting.actions import do_open_ballot
from voting.models import Ballot, BallotVoter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMMENT = "Đề nghị làm rõ nguồn vốn đối ứng."


def under_way(world: World, *, ballot: bool = True) -> Ballot | None:
    with tenant_context(world.tenant):
        meeting = do_start_meeting(world.meeting, acting_user=world.chair)
        do_open_item(meeting, item=world.items[0], acting_user=world.chair)
        return do_open_ballot(meeting, acting_user=world.chair, question="Thông qua?") if ballot else None


def recorded(world: World, ballot: Ballot | None = None) -> dict[str, int]:
    with tenant_context(world.tenant):
        counts = {
            "comments": Comment.objects.filter(item__meeting=world.meeting, text=COMMENT).count(),
            "speak": SpeakRequest.objects.filter(item__meeting=world.meeting).count(),
        }
        if ballot is not None:
            voted = BallotVoter.objects.filter(ballot=ballot, voted_at__isnull=False)
            counts["votes"] = voted.count()
        return counts


def member_in_session(server: LiveDaphne, world: World, new_page: Any) -> Any:
    """A member's tablet live on the session under way (no ballot)."""
    under_way(world, ballot=False)
    let_log_in(world)
    member = new_page()
    open_meeting(member, server, world, world.member.username)
    return member


def comment(page: Any) -> None:
    page.fill("#comment-text", COMMENT)
    page.locator("#comment-form button[type=submit]").click()


def test_what_was_in_flight_when_the_server_was_killed_is_done_once_it_is_back(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the session under way with a ballot open, a member's tablet live
    ballot = under_way(hanoi)
    let_log_in(hanoi)
    member = new_page()
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)
    body = member.locator("body")
    vote = member.locator('.ballot-option[data-option="for"]')
    expect(vote).to_be_visible()

    # when: the server stops answering and the member comments, asks to speak and votes
    live_daphne.freeze()
    comment(member)
    member.locator("#speak-request").click()
    vote.click()
    expect(body).to_have_attribute("data-outbox", "3")

    # and: the server process is killed before it read a byte of it
    live_daphne.kill()

    # then: the tablet says it is offline and that the three are not sent yet
    expect(body).to_have_attribute("data-live", "offline")
    expect(member.locator("#comment-form .control-error")).to_contain_text("Chưa gửi")
    expect(member.locator("#ballot-error")).to_contain_text("Chưa gửi")
    expect(member.locator("#comment-text")).to_have_value(COMMENT)  # nothing typed is lost
    assert recorded(hanoi, ballot) == {"comments": 0, "speak": 0, "votes": 0}

    # when: a server is back
    live_daphne.start()

    # then: the tablet reconnects and sends them again; each is done once
    expect(body).to_have_attribute("data-outbox", "0", timeout=RECONNECT_MS)
    expect(body).to_have_attribute("data-live", "live")
    expect(member.locator("#comment-list")).to_contain_text(COMMENT, timeout=LIVE_MS)
    expect(member.locator("#comment-text")).to_have_value("")
    expect(member.locator(".ballot-mine")).to_contain_text("Đã ghi nhận", timeout=LIVE_MS)
    expect(member.locator("#comment-form .control-error")).to_have_text("")
    expect(member.locator("#ballot-error")).to_have_text("")
    assert recorded(hanoi, ballot) == {"comments": 1, "speak": 1, "votes": 1}
    assert member.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('ecabinet.outbox'))") == []
    screenshot(member, "outbox-after-reconnect-1024x768")
    assert member.errors == []


def test_an_answer_lost_on_the_way_does_not_make_a_second_comment(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the session under way; the member's socket is cut the moment the
    # server's answer to the comment comes back, so the tablet never reads it
    under_way(hanoi, ballot=False)
    let_log_in(hanoi)
    member = new_page()
    cut: list[str] = []

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            frame = json.loads(message)
            if frame.get("type") == "ack" and frame.get("data", {}).get("comment") and not cut:
                cut.append(frame["ref"])
                ws.close(code=4000)
                return
            ws.send(message)

        server.on_message(from_server)
        ws.on_message(lambda message: server.send(message))

    member.route_web_socket(re.compile(r"/ws/meetings/\d+/$"), route)
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)

    # when: the member comments
    comment(member)

    # then: the server did it, the answer was cut, the tablet sent it again on
    # its next socket and was told it had been done
    expect(member.locator("body")).to_have_attribute("data-outbox", "0", timeout=RECONNECT_MS)
    expect(member.locator("#comment-text")).to_have_value("")
    assert len(cut) == 1
    assert recorded(hanoi) == {"comments": 1, "speak": 0}
    with tenant_context(hanoi.tenant):
        assert SocketReceipt.objects.filter(user=hanoi.member, key=cut[0]).count() == 1
    expect(member.locator("#comment-list .comment", has_text=COMMENT)).to_have_count(1)
    assert member.errors == []


def test_a_tablet_closed_while_the_server_was_down_sends_what_it_kept_when_opened_again(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: a comment in flight when the server is killed, and the tablet closed
    member = member_in_session(live_daphne, hanoi, new_page)
    live_daphne.freeze()
    comment(member)
    expect(member.locator("body")).to_have_attribute("data-outbox", "1")
    live_daphne.kill()
    expect(member.locator("body")).to_have_attribute("data-live", "offline")
    tablet = member.context
    member.close()

    # when: the server is back and the member opens the meeting again on the same tablet
    live_daphne.start()
    again = tablet.new_page()
    again.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))

    # then: the kept comment is sent and done once
    expect(again.locator("body")).to_have_attribute("data-outbox", "0", timeout=RECONNECT_MS)
    expect(again.locator("#comment-list")).to_contain_text(COMMENT, timeout=LIVE_MS)
    assert recorded(hanoi) == {"comments": 1, "speak": 0}
