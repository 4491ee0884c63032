"""A connection that is dead without closing is noticed: the tablet's heartbeat
finds a frozen server within seconds, the browser's offline event at once;
the page says so, disables what needs the server, and comes back by itself.
What a member sent meanwhile is done once, also when the frozen server, woken
up, reads the frame the tablet had already given up on."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.conftest import LiveDaphne
from tests.e2e.test_outbox import COMMENT, comment, member_in_session, recorded
from tests.e2e.test_session import LIVE_MS
from tests.e2e.test_tablet import RECONNECT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# static/js/live.js gives a silent socket up after 10 s; its watch ticks each second.
NOTICED_MS = 14_000


def test_a_frozen_server_is_noticed_and_what_was_sent_meanwhile_is_done_once(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the session under way, a member's tablet live
    member = member_in_session(live_daphne, hanoi, new_page)
    body = member.locator("body")

    # when: the server freezes with its sockets open, and the member comments
    live_daphne.freeze()
    comment(member)

    # then: within seconds the tablet says it is offline, though no socket closed
    expect(body).to_have_attribute("data-live", "offline", timeout=NOTICED_MS)
    expect(member.locator("#live-bar")).to_be_visible()
    expect(member.locator("#speak-request")).to_be_disabled()
    expect(member.locator("#comment-form .control-error")).to_contain_text("Chưa gửi")

    # when: the server wakes up: it reads the frame of the socket the tablet
    # gave up on, and the tablet sends the kept comment again on a new one
    live_daphne.thaw()

    # then: live again, the comment made once
    expect(body).to_have_attribute("data-outbox", "0", timeout=RECONNECT_MS)
    expect(body).to_have_attribute("data-live", "live", timeout=RECONNECT_MS)
    expect(member.locator("#comment-list .comment", has_text=COMMENT)).to_have_count(1, timeout=LIVE_MS)
    assert recorded(hanoi) == {"comments": 1, "speak": 0}
    assert member.errors == []


def test_the_browser_going_offline_is_noticed_at_once_and_online_reconnects(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    member = member_in_session(live_daphne, hanoi, new_page)
    body = member.locator("body")

    # when: the tablet loses its network
    member.context.set_offline(True)

    # then: at once, not after the heartbeat's silence
    expect(body).to_have_attribute("data-live", "offline", timeout=2_000)
    expect(member.locator("#speak-request")).to_be_disabled()

    # when: the network is back, it reconnects at once, not after its backoff
    member.wait_for_timeout(6_000)  # long enough for the backoff to have grown
    member.context.set_offline(False)
    expect(body).to_have_attribute("data-live", "live", timeout=3_000)
    expect(member.locator("#speak-request")).to_be_enabled()
    assert member.errors == []


def test_a_live_page_keeps_beating_and_stays_live(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: a live page, watched for longer than the heartbeat's silence
    member = member_in_session(live_daphne, hanoi, new_page)
    beats: list[str] = []
    sockets: list[Any] = []

    def follow(ws: Any) -> None:
        sockets.append(ws)
        ws.on("framesent", lambda payload: beats.append(str(payload)))

    member.on("websocket", follow)
    member.reload()
    expect(member.locator("body")).to_have_attribute("data-live", "live")
    member.wait_for_timeout(12_000)

    # then: it sent beats, stayed live and never gave its socket up
    assert sum('"beat"' in frame for frame in beats) >= 2
    assert len(sockets) == 1
    assert member.evaluate("document.body.dataset.live") == "live"
    assert member.errors == []
