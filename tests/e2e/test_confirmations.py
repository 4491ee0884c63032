"""Nothing irreversible by accident: closing the meeting, deferring an item and
issuing a signed record each ask first, say the consequence in words (closing
names the items not yet dealt with), and do nothing when the chair goes back.
At both tablet sizes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.models import SignedDocument
from ecabinet.tenancy import tenant_context
from meetings.actions import do_close_meeting, do_open_item, do_start_meeting
from meetings.models import AgendaItem, Meeting
from reports.minutes.actions import do_draft_record
from reports.models import MeetingRecord
from tests.conftest import World
from tests.e2e.conftest import (
    LANDSCAPE,
    PORTRAIT,
    SERVER_LOGS,
    LiveDaphne,
    _free_port,
    let_log_in,
    screenshot,
)
from tests.e2e.test_session import LIVE_MS, TOUCH_PX, open_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])


def size_name(viewport: dict[str, int]) -> str:
    return f"{viewport['width']}x{viewport['height']}"


def status(world: World) -> str:
    with tenant_context(world.tenant):
        return str(Meeting.objects.get(pk=world.meeting.pk).status)


def assert_a_safe_dialog(page: Any, *, title: str) -> Any:
    dialog = page.locator("dialog.confirm")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(title)
    # "go back" is the one in focus, and both are big enough for a finger
    expect(dialog.locator("#confirm-no")).to_be_focused()
    for button in (dialog.locator("#confirm-no"), dialog.locator("#confirm-yes")):
        box = button.bounding_box()
        assert box is not None and box["height"] >= TOUCH_PX, box
    return dialog


@SIZES
def test_closing_the_meeting_names_what_is_left_and_going_back_keeps_it_open(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: the session under way, the first item dealt with, the others not
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_open_item(meeting, item=hanoi.items[0], acting_user=hanoi.chair)
    let_log_in(hanoi)
    chair = new_page(viewport)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    chair.fill("#conclusion-text", "Thông qua.")
    chair.locator("#conclude-form button[type=submit]").click()
    first = chair.locator(f'.agenda-item[data-item-id="{hanoi.items[0].pk}"]')
    expect(first).to_contain_text("Đã kết luận", timeout=LIVE_MS)
    close = chair.locator('[data-action="meeting.close"]')
    expect(close).to_be_enabled(timeout=LIVE_MS)

    # when: the chair presses "close the meeting"
    close.click()

    # then: a dialog asks, naming every item not yet dealt with
    dialog = assert_a_safe_dialog(chair, title="Bế mạc phiên họp?")
    for item in hanoi.items[1:]:
        expect(dialog.locator(".confirm-items")).to_contain_text(f"{item.position}. {item.title}")
    expect(dialog.locator(".confirm-items")).not_to_contain_text(hanoi.items[0].title)
    expect(dialog).to_contain_text("không thể hoàn tác")
    screenshot(chair, f"confirm-close-{size_name(viewport)}")

    # when: the chair goes back
    dialog.locator("#confirm-no").click()

    # then: nothing happened
    expect(dialog).to_have_count(0)
    chair.wait_for_timeout(500)
    assert status(hanoi) == Meeting.Status.IN_SESSION

    # when: the chair presses it again and confirms
    close.click()
    chair.locator("dialog.confirm #confirm-yes").click()

    # then: the meeting is closed
    expect(chair.locator("#meeting-status")).to_have_attribute("data-status", "closed", timeout=LIVE_MS)
    assert status(hanoi) == Meeting.Status.CLOSED
    assert chair.errors == []


@SIZES
def test_deferring_an_item_asks_first(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: the first item on the floor
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_open_item(meeting, item=hanoi.items[0], acting_user=hanoi.chair)
    let_log_in(hanoi)
    chair = new_page(viewport)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    item = hanoi.items[0]

    def item_status() -> str:
        with tenant_context(hanoi.tenant):
            return str(AgendaItem.objects.get(pk=item.pk).status)

    # when: the chair writes a note and presses "defer", then goes back
    chair.fill("#conclusion-text", "Chờ ý kiến Bộ Tài chính")
    chair.locator("#defer-item").click()
    dialog = assert_a_safe_dialog(chair, title=f"Hoãn “{item.title}”?")
    expect(dialog).to_contain_text("mở lại")
    screenshot(chair, f"confirm-defer-{size_name(viewport)}")
    chair.keyboard.press("Escape")

    # then: still on the floor, the note still there
    expect(dialog).to_have_count(0)
    chair.wait_for_timeout(500)
    assert item_status() == AgendaItem.Status.OPEN
    expect(chair.locator("#conclusion-text")).to_have_value("Chờ ý kiến Bộ Tài chính")

    # when: pressed again and confirmed
    chair.locator("#defer-item").click()
    chair.locator("dialog.confirm #confirm-yes").click()

    # then: deferred, with the note
    expect(chair.locator("#conclusion-text")).to_have_value("", timeout=LIVE_MS)
    assert item_status() == AgendaItem.Status.DEFERRED
    assert chair.errors == []


@pytest.fixture
def signing_server(transactional_db: None, tmp_path: Path) -> Iterator[LiveDaphne]:
    """The real server with a self-signed certificate of this test's own."""
    server = LiveDaphne(_free_port(), SERVER_LOGS / "confirm-issue.log")
    server.env["ECABINET_SIGNING_DIR"] = str(tmp_path / "signing")
    server.env["ECABINET_SIGNING_SELF_SIGNED"] = "1"
    server.start()
    try:
        yield server
    finally:
        server.stop()


@SIZES
def test_issuing_and_signing_asks_first(
    signing_server: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: a closed meeting whose minutes are drafted
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        meeting = do_close_meeting(meeting, acting_user=hanoi.chair)
        do_draft_record(meeting, kind="minutes", acting_user=hanoi.secretary)
    let_log_in(hanoi)
    secretary = new_page(viewport)
    open_meeting(secretary, signing_server, hanoi, hanoi.secretary.username)
    secretary.goto(signing_server.url(hanoi, f"/reports/meetings/{hanoi.meeting.pk}/records/minutes/"))

    def issued() -> int:
        with tenant_context(hanoi.tenant):
            return MeetingRecord.objects.filter(meeting=hanoi.meeting, status="issued").count()

    # when: the secretary presses "issue and sign", then goes back
    secretary.locator("#issue").click()
    dialog = assert_a_safe_dialog(secretary, title="Ban hành và ký số văn bản này?")
    expect(dialog).to_contain_text("không thể thay đổi")
    screenshot(secretary, f"confirm-issue-{size_name(viewport)}")
    dialog.locator("#confirm-no").click()

    # then: nothing is issued
    expect(dialog).to_have_count(0)
    secretary.wait_for_timeout(500)
    assert issued() == 0
    assert secretary.url.endswith("/records/minutes/")

    # when: pressed again and confirmed
    secretary.locator("#issue").click()
    with secretary.expect_navigation():
        secretary.locator("dialog.confirm #confirm-yes").click()

    # then: issued and signed once
    expect(secretary.locator("#record-status")).to_contain_text("Đã ban hành")
    assert issued() == 1
    with tenant_context(hanoi.tenant):
        assert SignedDocument.objects.filter(reference=f"meeting:{hanoi.meeting.pk}:minutes").count() == 1
    assert secretary.errors == []
