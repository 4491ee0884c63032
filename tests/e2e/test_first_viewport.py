"""The chair runs the session from the first screen: at 1024×768 and 768×1024
the clocks, who has the floor, the queue with "give the floor", the current
item's controls (conclude, defer, open a ballot), the meeting's controls and
the quorum are all on screen without scrolling; the live strip stays on
screen when the page scrolls. A member has the speak button and the open
ballot on the first screen too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_request_to_speak, do_start_meeting
from meetings.models import Participant
from tests.conftest import World
from tests.e2e.conftest import LiveDaphne, let_log_in, screenshot
from tests.e2e.test_confirmations import SIZES, size_name
from tests.e2e.test_session import open_meeting
from voting.actions import do_open_ballot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHAIR_SEES = {
    "the meeting's clock": "#meeting-clock",
    "the item's clock": "#item-clock",
    "who has the floor": "#floor-name",
    "give the floor": "#queue-list [data-give-floor]",
    "conclude": "#conclude-form button[type=submit]",
    "defer": "#defer-item",
    "open a ballot": "#ballot-open-details summary",
    "adjourn": '[data-action="meeting.adjourn"]',
    "the quorum": "#quorum",
}
MEMBER_SEES = {
    "request to speak": "#speak-request",
    "the open ballot": '.ballot-option[data-option="for"]',
    "the meeting's clock": "#meeting-clock",
}


def under_way(world: World, *, ballot: bool) -> None:
    with tenant_context(world.tenant):
        meeting = do_start_meeting(world.meeting, acting_user=world.chair)
        do_open_item(meeting, item=world.items[0], acting_user=world.chair)
        member = Participant.objects.get(meeting=meeting, user=world.member)
        do_request_to_speak(meeting, participant=member, kind="speech")
        if ballot:
            do_open_ballot(meeting, acting_user=world.chair, question="Thông qua?")


def off_screen(page: Any, wanted: dict[str, str], viewport: dict[str, int]) -> dict[str, Any]:
    """What of ``wanted`` is not wholly inside the viewport at scroll 0: name → its box."""
    page.evaluate("window.scrollTo(0, 0)")
    outside = {}
    for name, selector in wanted.items():
        locator = page.locator(selector).first
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box is not None
        if (
            box["y"] < 0
            or box["y"] + box["height"] > viewport["height"]
            or box["x"] + box["width"] > viewport["width"]
        ):
            outside[name] = {k: round(v) for k, v in box.items()}
    return outside


@SIZES
def test_the_chair_has_every_control_of_the_session_on_the_first_screen(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    under_way(hanoi, ballot=False)
    let_log_in(hanoi)
    chair = new_page(viewport)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    expect(chair.locator("#queue-list [data-give-floor]")).to_have_count(1)
    screenshot(chair, f"chair-first-screen-{size_name(viewport)}")
    assert off_screen(chair, CHAIR_SEES, viewport) == {}

    # and: scrolled to the bottom, the live strip is still on screen
    chair.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    strip = chair.locator("#live-strip").bounding_box()
    assert strip is not None and strip["y"] >= 0 and strip["y"] + strip["height"] <= viewport["height"], strip
    assert chair.errors == []


@SIZES
def test_a_member_has_the_speak_button_and_the_open_ballot_on_the_first_screen(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    under_way(hanoi, ballot=True)
    let_log_in(hanoi)
    member = new_page(viewport)
    open_meeting(member, live_daphne, hanoi, hanoi.vice_chair.username)
    screenshot(member, f"member-first-screen-{size_name(viewport)}")
    assert off_screen(member, MEMBER_SEES, viewport) == {}
    assert member.errors == []
