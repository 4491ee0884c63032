"""A ballot in real browsers: the chair opens it on the current item, a member
votes on the tablet, the chair sees the count live and closes; the result
reaches the member's tablet without reloading."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_start_meeting
from tests.conftest import World
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_session import LIVE_MS, assert_touch_sized, open_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_ballot_from_opening_to_result(live_daphne: LiveDaphne, hanoi: World, new_page: Any) -> None:
    # given: the session under way on the first item, two tablets
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_open_item(meeting, item=hanoi.items[0], acting_user=hanoi.chair)
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    member = new_page(LANDSCAPE)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)
    expect(member.locator("#ballot-body")).to_contain_text("Chưa có biểu quyết nào đang mở")
    expect(member.locator("#ballot-open-details")).to_have_count(0)  # no chair controls for a member

    # when: the chair opens a ballot with a countdown
    chair.locator("#ballot-open-details summary").click()
    chair.fill("#ballot-question", "Thông qua kế hoạch đầu tư công?")
    chair.select_option("#ballot-countdown", "120")
    chair.locator("#ballot-open-form button[type=submit]").click()

    # then: the member sees the question and the options at once
    option = member.locator('.ballot-option[data-option="for"]')
    expect(option).to_have_text("Đồng ý", timeout=LIVE_MS)
    expect(member.locator(".ballot-countdown")).to_contain_text("Kết thúc sau")
    assert_touch_sized(option)

    # when: the member votes
    option.click()
    expect(member.locator(".ballot-mine")).to_contain_text("Đã ghi nhận", timeout=LIVE_MS)
    expect(member.locator(".ballot-option")).to_have_count(0)  # no second vote offered

    # then: the chair sees the count, and closes
    expect(chair.locator(".ballot-tally")).to_contain_text("1/3", timeout=LIVE_MS)
    chair.locator("#ballot-close").click()

    # then: both tablets show the result with the numbers and the names
    for page in (chair, member):
        expect(page.locator(".ballot-outcome")).to_have_text("Không đủ số lượng", timeout=LIVE_MS)
        expect(page.locator(".ballot-names")).to_contain_text(hanoi.member.full_name)
    member.set_viewport_size(PORTRAIT)
    screenshot(member, "ballot-member-768x1024")
    assert chair.errors == [] and member.errors == []


def test_the_chair_sees_positions_as_they_come_in(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the chair's positions page and a member's, before the session
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    member = new_page(LANDSCAPE)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)
    chair.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/positions/"))
    member.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/positions/"))
    expect(chair.locator("body")).to_have_attribute("data-live", "live")
    row = chair.locator(f'#all-positions tr[data-item-id="{hanoi.items[1].pk}"]')
    expect(row).to_contain_text(f"{hanoi.member.full_name}: chưa trả lời")

    # when: the member objects to the second item, with a reason
    form = member.locator(f'form.position-form[data-item-id="{hanoi.items[1].pk}"]')
    objection = form.locator("label.choice").filter(has=member.locator('input[value="objection"]'))
    objection.click()
    form.locator("input[name=reason]").fill("Số liệu chưa khớp")
    assert_touch_sized(objection)
    form.locator("button[type=submit]").click()
    expect(member.locator(".message-success")).to_contain_text("Đã ghi nhận ý kiến")

    # then: the chair's table shows it without reloading
    expect(row).to_contain_text("Phản đối — Số liệu chưa khớp", timeout=LIVE_MS)
    assert chair.errors == [] and member.errors == []
