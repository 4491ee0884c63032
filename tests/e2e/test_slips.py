"""An opinion slip on a member's tablet: reminded, answered, seen by the secretariat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from tests.conftest import PASSWORD, World
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_session import LOGIN_BUTTON, assert_touch_sized
from voting.actions import do_issue_slip, do_remind_slip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, server: LiveDaphne, world: World, username: str) -> None:
    page.goto(server.url(world, "/accounts/login/"))
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)


def test_a_member_answers_a_slip_on_the_tablet(live_daphne: LiveDaphne, hanoi: World, new_page: Any) -> None:
    # given: a slip due in 20 hours, the 24-hour reminder sent
    with tenant_context(hanoi.tenant):
        slip = do_issue_slip(
            tenant=hanoi.tenant,
            question="Ý kiến về dự thảo Nghị quyết ban hành Kế hoạch chuyển đổi số",
            draft="Điều 1. Ban hành kèm theo Nghị quyết này Kế hoạch chuyển đổi số năm 2027.",
            deadline=timezone.now() + timedelta(hours=20),
            recipients=[hanoi.chair, hanoi.member],
            acting_user=hanoi.secretary,
        )
        do_remind_slip(slip)
    let_log_in(hanoi)
    member = new_page(PORTRAIT)
    log_in(member, live_daphne, hanoi, hanoi.member.username)

    # when: the member opens the slips from the home page and follows the reminder
    member.locator("#slips-link").click()
    expect(member.locator("#reminders")).to_contain_text("Phiếu số 1")
    member.locator("#reminders a").first.click()
    expect(member.locator("h1")).to_have_text("Phiếu lấy ý kiến số 1")

    # then: "other opinion" without text is refused with a message, then answered with it
    other = member.locator("label.choice", has_text="Ý kiến khác")
    assert_touch_sized(other)
    other.click()
    member.locator("#my-answer button[type=submit]").click()
    expect(member.locator(".message-error")).to_contain_text("không được để trống")
    member.locator("label.choice", has_text="Ý kiến khác").click()
    member.fill("#id_text", "Đề nghị bổ sung lộ trình kinh phí.")
    member.locator("#my-answer button[type=submit]").click()
    expect(member.locator(".message-success")).to_contain_text("Đã ghi nhận trả lời")
    expect(member.locator("#my-answer")).to_contain_text("Ý kiến khác — Đề nghị bổ sung lộ trình kinh phí.")
    overflow = member.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the slip scrolls sideways by {overflow} px in portrait"
    screenshot(member, "slip-member-768x1024")

    # and: the secretariat sees who answered and who has not
    secretariat = new_page(LANDSCAPE)
    log_in(secretariat, live_daphne, hanoi, hanoi.secretary.username)
    secretariat.goto(live_daphne.url(hanoi, f"/slips/{slip.pk}/"))
    answers = secretariat.locator("#answers")
    expect(answers).to_contain_text(f"{hanoi.member.full_name}")
    expect(answers).to_contain_text("chưa trả lời")
    screenshot(secretariat, "slip-secretariat-1024x768")
    assert member.errors == [] and secretariat.errors == []
