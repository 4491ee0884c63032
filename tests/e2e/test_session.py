"""A cabinet session in real browsers: the chair's tablet and a member's tablet
follow the same meeting on the real server, and what one does reaches the
other within a second or two, without reloading."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, World
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIVE_MS = 2_500  # "within a second or two", with a little room for a slow CI
LOGIN_BUTTON = "form[action$='/accounts/login/'] button[type=submit]"
TOUCH_PX = 44


def open_meeting(page: Any, server: LiveDaphne, world: World, username: str) -> None:
    page.goto(server.url(world, "/accounts/login/"))
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)
    page.goto(server.url(world, f"/meetings/{world.meeting.pk}/"))
    expect(page.locator("body")).to_have_attribute("data-live", "live")


def assert_touch_sized(locator: Any) -> None:
    box = locator.bounding_box()
    assert box is not None and box["height"] >= TOUCH_PX and box["width"] >= TOUCH_PX, box


def test_chair_and_member_follow_one_session(live_daphne: LiveDaphne, hanoi: World, new_page: Any) -> None:
    # given: the chair's and a member's tablets on the published meeting
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    member = new_page(LANDSCAPE)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)
    first = hanoi.items[0]
    member_current = member.locator(".agenda-item.is-current")
    expect(member_current).to_have_count(0)
    expect(member.locator("#chair-console")).to_have_count(0)  # a member gets no chair controls

    # when: the chair starts the meeting and opens the first item
    start = chair.locator('[data-action="meeting.start"]')
    assert_touch_sized(start)
    start.click()
    expect(chair.locator("#meeting-status")).to_have_text("Đang họp")
    chair.locator("#open-next").click()

    # then: the member's page shows it as current, without reloading
    expect(member_current).to_contain_text(first.title, timeout=LIVE_MS)
    expect(member.locator("#meeting-status")).to_have_text("Đang họp", timeout=LIVE_MS)
    expect(member.locator("#reading-body .reading-title")).to_have_text(first.title)
    expect(member.locator("#meeting-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))

    # when: the member asks to speak (a question)
    member.locator("label.pill", has_text="Đặt câu hỏi").click()
    speak = member.locator("#speak-request")
    expect(speak).to_have_text("Đăng ký phát biểu")
    assert_touch_sized(speak)
    speak.click()

    # then: the chair sees the request and gives the floor
    request = chair.locator("#queue-list .queue-entry", has_text=hanoi.member.full_name)
    expect(request).to_contain_text("Đặt câu hỏi", timeout=LIVE_MS)
    expect(member.locator("#speak-withdraw")).to_be_visible()
    request.locator("[data-give-floor]").click()

    # then: both see who has the floor and the countdown of the speaking limit
    countdown = re.compile(r"\d\d:\d\d")
    for page in (chair, member):
        expect(page.locator("#floor-name")).to_have_text(hanoi.member.full_name, timeout=LIVE_MS)
        expect(page.locator("#floor-countdown")).to_have_text(countdown)
    # The member looks at their tablet (a page in front: Chromium slows the
    # timers of pages behind others), and the countdown runs down.
    member.bring_to_front()
    before = member.locator("#floor-countdown").inner_text()
    expect(member.locator("#floor-countdown")).not_to_have_text(before, timeout=LIVE_MS)

    # when: the chair concludes the item
    chair.fill("#conclusion-text", "Thống nhất thông qua kế hoạch đầu tư công năm 2027.")
    chair.locator("#conclude-form button[type=submit]").click()

    # then: the item is done on both tablets, the floor is free, the conclusion shown
    for page in (chair, member):
        row = page.locator(f'.agenda-item[data-item-id="{first.pk}"]')
        expect(row).to_have_class(re.compile(r"status-concluded"), timeout=LIVE_MS)
        expect(page.locator("#floor-name")).to_have_text("Không có ai đang phát biểu.")
    expect(member.locator("#reading-body .conclusion")).to_contain_text("Thống nhất thông qua")
    expect(chair.locator("#conclude-form")).to_be_hidden()

    # and: each tablet in portrait, for people to look at
    for page, name in ((chair, "session-chair"), (member, "session-member")):
        page.set_viewport_size(PORTRAIT)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px in portrait"
        screenshot(page, f"{name}-768x1024")
    assert chair.errors == [] and member.errors == []


def test_a_refused_action_is_explained_next_to_the_button(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the chair's tablet, the meeting in session with no item open
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    chair.locator('[data-action="meeting.start"]').click()
    expect(chair.locator("#open-next")).to_be_visible()

    # when: the chair concludes with an empty conclusion after opening an item
    chair.locator("#open-next").click()
    expect(chair.locator("#conclude-form")).to_be_visible()
    chair.locator("#conclude-form button[type=submit]").click()

    # then: the server's refusal is shown in Vietnamese beside the form
    error = chair.locator("#conclude-form .control-error")
    expect(error).to_contain_text("không được để trống")
    expect(chair.locator("body")).to_have_attribute("data-live", "live")
    assert chair.errors == []


def test_check_in_and_comments_reach_the_chair_live(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the chair's and a member's tablets, before the session starts
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    member = new_page(LANDSCAPE)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)
    quorum = chair.locator("#quorum")
    expect(quorum).to_contain_text("0/3")

    # when: the member checks in from the room
    member.locator('[data-attendance="room"]').click()

    # then: the chair's attendance list and quorum follow
    expect(quorum).to_contain_text("1/3", timeout=LIVE_MS)
    row = chair.locator(f'#participant-list [data-participant-id] >> text="{hanoi.member.full_name}"')
    expect(row).to_have_count(1)
    expect(chair.locator("#participant-list li", has_text=hanoi.member.full_name)).to_contain_text(
        "Tại phòng họp"
    )
    expect(member.locator("#check-in-state")).to_have_text("Tại phòng họp")

    # when: the member comments on the first item, then edits and withdraws it
    member.fill("#comment-text", "Đề nghị bổ sung số liệu giải ngân.")
    member.locator("#comment-form button[type=submit]").click()
    chair_comment = chair.locator("#comment-list .comment", has_text=hanoi.member.full_name)
    expect(chair_comment).to_contain_text("Đề nghị bổ sung số liệu giải ngân.", timeout=LIVE_MS)
    expect(chair_comment.locator(".comment-time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    mine = member.locator("#comment-list .comment").first
    mine.locator('[data-comment-action="edit"]').click()
    mine.locator("textarea").fill("Đề nghị bổ sung số liệu giải ngân quý IV.")
    mine.locator('[data-comment-action="save"]').click()
    expect(chair_comment).to_contain_text("quý IV", timeout=LIVE_MS)
    expect(chair_comment).to_contain_text("đã sửa")
    mine.locator('[data-comment-action="withdraw"]').click()

    # then: the chair sees it withdrawn, its text gone, the trace kept
    expect(chair_comment).to_contain_text("đã rút", timeout=LIVE_MS)
    expect(chair_comment).not_to_contain_text("quý IV")
    assert chair.errors == [] and member.errors == []
