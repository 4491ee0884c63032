"""The hall display: the meeting room's big screen, opened by the secretariat,
follows the session live from the chair's tablet — the item, who speaks and
the time left, the queue, the quorum, a ballot's count and outcome — and
comes back by itself when the server does, as a screen left running all day
must."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from meetings.actions import do_check_in, do_request_to_speak, do_start_meeting
from meetings.models import Participant
from tests.conftest import World
from tests.e2e.conftest import LANDSCAPE, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_session import LIVE_MS, open_meeting
from tests.e2e.test_tablet import RECONNECT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TV = {"width": 1920, "height": 1080}


def test_the_hall_display_follows_the_session_and_comes_back_by_itself(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the session started, a member waiting to speak; the chair's tablet
    # and the room's screen, opened by the secretariat
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        member = Participant.objects.get(meeting=meeting, user=hanoi.member)
        do_check_in(member, attendance="room", acting_user=hanoi.member)
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    screen = new_page(TV)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(screen, live_daphne, hanoi, hanoi.secretary.username)
    screen.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/display/"))
    expect(screen.locator("body")).to_have_attribute("data-live", "live")
    expect(screen.locator("#display-item-title")).to_have_text("Chưa có nội dung nào đang thảo luận.")
    expect(screen.locator("#quorum")).to_contain_text("1/3")
    assert screen.locator("button, input, textarea, select").count() == 0  # nothing to touch

    # when: the chair opens the first item and a member asks to speak
    chair.locator("#open-next").click()
    expect(screen.locator("#display-item-title")).to_have_text(hanoi.items[0].title, timeout=LIVE_MS)
    with tenant_context(hanoi.tenant):
        do_request_to_speak(meeting, participant=member, kind="speech")
    chair.reload()  # the chair's tablet reads the request; the screen learns it from the next event
    expect(chair.locator("body")).to_have_attribute("data-live", "live")

    # when: the chair gives the floor
    chair.locator("[data-give-floor]").first.click()

    # then: the screen shows the speaker and the time left
    expect(screen.locator("#floor-name")).to_have_text(hanoi.member.full_name, timeout=LIVE_MS)
    expect(screen.locator("#floor-countdown")).to_contain_text("còn")
    chair.locator("#end-speech").click()
    expect(screen.locator("#floor-name")).to_have_text("Không có ai đang phát biểu.", timeout=LIVE_MS)

    # when: the chair opens a ballot and closes it
    chair.locator("#ballot-open-details summary").click()
    chair.fill("#ballot-question", "Thông qua tờ trình?")
    chair.locator("#ballot-open-form button[type=submit]").click()
    ballot = screen.locator("#display-ballot")
    expect(ballot).to_contain_text("Thông qua tờ trình?", timeout=LIVE_MS)
    expect(ballot).to_contain_text("0/3")
    chair.locator("#ballot-close").click()
    expect(ballot.locator(".display-ballot-outcome")).to_have_text("Không đủ số lượng", timeout=LIVE_MS)
    screenshot(screen, "hall-display-1920x1080")

    # when: the server goes away and comes back, while the chair moves on
    live_daphne.stop()
    expect(screen.locator("body")).to_have_attribute("data-live", "offline")
    live_daphne.start()
    expect(chair.locator("body")).to_have_attribute("data-live", "live", timeout=RECONNECT_MS)
    chair.fill("#conclusion-text", "Thông qua.")
    chair.locator("#conclude-form button[type=submit]").click()

    # then: the screen is live again and shows it
    expect(screen.locator("body")).to_have_attribute("data-live", "live", timeout=RECONNECT_MS)
    expect(screen.locator(".display-agenda-item").first).to_contain_text("Đã kết luận", timeout=LIVE_MS)
    assert screen.errors == [] and chair.errors == []
