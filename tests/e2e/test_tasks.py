"""Follow-up tasks in a real browser on a tablet: the chair assigns a task from
a conclusion, the member finds it, reports progress and reports it done."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from reports.models import FollowUpTask
from tests.conftest import PASSWORD, World
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_tablet import assert_no_sideways_scroll, log_in
from tests.reports.test_followup import hold, in_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOUCH_PX = 44


def _tall_enough(page: Any, selector: str) -> None:
    for box in [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]:
        assert box is not None and box["height"] >= TOUCH_PX, f"{selector} is {box} — under {TOUCH_PX} px"


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_chair_assigns_and_the_member_reports_done(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: the meeting has met and its first item is concluded
    with tenant_context(hanoi.tenant):
        hold(hanoi)
    let_log_in(hanoi)
    size = f"{viewport['width']}x{viewport['height']}"
    chair = new_page(viewport)

    # when: the chair assigns a task from the item's conclusion on the meeting's tasks page
    log_in(chair, live_daphne, hanoi, hanoi.chair.username, PASSWORD)
    chair.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))
    with chair.expect_navigation():
        chair.click("#meeting-tasks-link")
    chair.select_option("#id_source", f"item-{hanoi.items[0].pk}")
    chair.fill("#id_title", "Hoàn thiện kế hoạch đầu tư công năm 2027")
    chair.select_option("#id_assignee", str(hanoi.member.pk))
    chair.fill("#id_due_date", in_days(5).isoformat())
    _tall_enough(chair, "#assign-form button, #assign-form select, #assign-form input[type=date]")
    assert_no_sideways_scroll(chair)
    with chair.expect_navigation():
        chair.click("#assign-form button[type=submit]")

    # then: the task is listed with its due date, in Vietnamese
    expect(chair.locator("#meeting-tasks .task-row")).to_have_count(1)
    expect(chair.locator("#meeting-tasks")).to_contain_text(in_days(5).strftime("%d/%m/%Y"))
    expect(chair.locator(".messages")).to_contain_text("Đã giao nhiệm vụ")
    screenshot(chair, f"tasks-meeting-{size}")

    # when: the member opens their tasks from the home page and reports progress, then done
    member = new_page(viewport)
    log_in(member, live_daphne, hanoi, hanoi.member.username, PASSWORD)
    with member.expect_navigation():
        member.click("#tasks-link")
    expect(member.locator("#my-tasks .task-row")).to_have_count(1)
    _tall_enough(member, "#my-tasks .task-row a")
    assert_no_sideways_scroll(member)
    screenshot(member, f"tasks-mine-{size}")
    with member.expect_navigation():
        member.click("#my-tasks .task-row a")
    member.fill("textarea[name=note] >> nth=0", "Đã lấy ý kiến các sở, đang hoàn thiện dự thảo.")
    with member.expect_navigation():
        member.click("text=Lưu tiến độ")
    expect(member.locator("#task-progress")).to_have_text("Đã lấy ý kiến các sở, đang hoàn thiện dự thảo.")
    assert_no_sideways_scroll(member)
    screenshot(member, f"task-detail-{size}")
    with member.expect_navigation():
        member.click("#done-form button[type=submit]")

    # then: it is done, for the member and in the chair's overview
    expect(member.locator("#task-status")).to_have_text("Đã hoàn thành")
    with tenant_context(hanoi.tenant):
        assert FollowUpTask.objects.get().status == "done"
    chair.goto(live_daphne.url(hanoi, "/reports/tasks/"))
    expect(chair.locator("#count-done")).to_have_text("1")
    expect(chair.locator("#count-overdue")).to_have_text("0")
    assert_no_sideways_scroll(chair)
    screenshot(chair, f"tasks-overview-{size}")
    assert chair.errors == [] and member.errors == []
