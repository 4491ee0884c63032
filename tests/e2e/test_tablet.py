"""A minister's tablet, in a real browser against the real server: logging in,
the meeting page going live, and catching up by itself after the server
went away."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_participant
from tests.conftest import PASSWORD, World
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"
LOGIN_BUTTON = "form[action$='/accounts/login/'] button[type=submit]"
TOUCH_PX = 44
# live.js waits up to 10 s between reconnect attempts; the server takes a few
# seconds to come back.
RECONNECT_MS = 30_000


def submit_login(page: Any, username: str, password: str) -> None:
    """Fill the login form and wait for the server's answer to load."""
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)


def log_in(page: Any, server: LiveDaphne, world: World, username: str, password: str) -> None:
    page.goto(server.url(world, "/accounts/login/"))
    submit_login(page, username, password)


def assert_no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at this tablet size"


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_member_logs_in_on_a_tablet_and_sees_the_meeting(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given
    let_log_in(hanoi)
    page = new_page(viewport)
    size = f"{viewport['width']}x{viewport['height']}"

    # when: the tablet opens the tenant's address
    page.goto(live_daphne.url(hanoi))

    # then: the login page, in Vietnamese, with touch-sized controls
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#login-heading")).to_have_text("Đăng nhập")
    for selector in ("#id_login", "#id_password", LOGIN_BUTTON):
        box = page.locator(selector).bounding_box()
        assert box is not None, f"{selector} is not shown"
        assert box["height"] >= TOUCH_PX, f"{selector} is {box['height']} px tall, under {TOUCH_PX}"
    assert page.locator(LOGIN_BUTTON).bounding_box()["width"] >= TOUCH_PX
    assert_no_sideways_scroll(page)
    screenshot(page, f"login-{size}")

    # when: the member logs in
    submit_login(page, hanoi.member.username, PASSWORD)

    # then: the home page lists the meeting
    expect(page).to_have_url(live_daphne.url(hanoi, "/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".meeting-list .meeting-title")).to_have_text([hanoi.meeting.title])
    link_box = page.locator(".meeting-list .meeting-link").bounding_box()
    assert link_box is not None and link_box["height"] >= TOUCH_PX
    assert_no_sideways_scroll(page)
    screenshot(page, f"home-{size}")
    assert page.errors == []


def test_wrong_password_is_refused_in_vietnamese(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    let_log_in(hanoi)
    page = new_page()

    log_in(page, live_daphne, hanoi, hanoi.member.username, "not-the-password")

    expect(page.locator(".form-error[role=alert]")).to_contain_text(WRONG)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(live_daphne.url(hanoi))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # still not logged in


def test_member_of_another_tenant_gets_the_same_refusal(
    live_daphne: LiveDaphne, hanoi: World, danang: World, new_page: Any
) -> None:
    let_log_in(hanoi, danang)
    page = new_page()

    log_in(page, live_daphne, hanoi, danang.member.username, PASSWORD)

    expect(page.locator(".form-error[role=alert]")).to_contain_text(WRONG)
    page.goto(live_daphne.url(hanoi))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # The same account and password do work at its own tenant: the refusal
    # above is the host's doing, not a bad password.
    log_in(page, live_daphne, danang, danang.member.username, PASSWORD)
    expect(page).to_have_url(live_daphne.url(danang, "/"))
    expect(page.locator(".meeting-list .meeting-title")).to_have_text([danang.meeting.title])


def test_live_bar_shows_until_the_socket_welcomes_the_page(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: a logged-in tablet whose socket frames from the server are held
    # back, so that "connecting" lasts as long as the test looks at it
    let_log_in(hanoi)
    page = new_page()
    log_in(page, live_daphne, hanoi, hanoi.member.username, PASSWORD)
    held: list[str | bytes] = []
    routes: list[Any] = []
    releasing = False

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        routes.append(ws)

        def from_server(message: str | bytes) -> None:
            if releasing:
                ws.send(message)
            else:
                held.append(message)

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/ws/meetings/\d+/$"), route)

    # when: the meeting page opens
    page.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))

    # then: until the welcome frame arrives, the bar says the page is not live
    bar = page.locator("#live-bar")
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the server sent no frame on the meeting socket"
    assert '"welcome"' in str(held[0])
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("kết nối")  # "Đang kết nối…"
    assert page.evaluate("document.body.dataset.live") != "live"

    # when: the welcome frame reaches the page
    releasing = True
    for message in held:
        routes[-1].send(message)

    # then: the bar goes away
    expect(page.locator("body")).to_have_attribute("data-live", "live")
    expect(bar).to_be_hidden()
    assert page.errors == []


def test_page_reconnects_by_itself_and_catches_up(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the meeting page, live
    let_log_in(hanoi)
    page = new_page()
    log_in(page, live_daphne, hanoi, hanoi.member.username, PASSWORD)
    page.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))
    bar = page.locator("#live-bar")
    body = page.locator("body")
    participants = page.locator("#participant-list")
    expect(body).to_have_attribute("data-live", "live")
    expect(bar).to_be_hidden()
    since = int(page.locator("#meeting").get_attribute("data-last-seq"))
    replays: list[str] = []
    page.on("request", lambda request: replays.append(request.url) if "/events/" in request.url else None)

    # when: the server goes away
    live_daphne.stop()

    # then: the page says it is offline
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("kết nối")  # "Mất kết nối — đang kết nối lại…"
    expect(body).to_have_attribute("data-live", "offline")

    # when: someone is added while it is down, and the server comes back
    newcomer = hanoi.other_member
    with tenant_context(hanoi.tenant):
        do_add_participant(hanoi.meeting, user=newcomer, role=Role.MEMBER, acting_user=None)
    expect(participants).not_to_contain_text(newcomer.full_name)
    live_daphne.start()

    # then: the page reconnects, replays what it missed and is live again
    expect(participants).to_contain_text(newcomer.full_name, timeout=RECONNECT_MS)
    expect(body).to_have_attribute("data-live", "live")
    expect(bar).to_be_hidden()
    events_url = live_daphne.url(hanoi, f"/api/v1/meetings/{hanoi.meeting.pk}/events/?since={since}")
    assert replays == [events_url]
    expect(page.locator("#meeting")).to_have_attribute("data-last-seq", str(since + 1))
    expect(participants.locator("li")).to_have_count(6)
    assert page.errors == []
