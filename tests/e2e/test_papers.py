"""A member reads a paper on a tablet, in a real browser against the real
server: from the agenda to the reader, the stamped copy drawn by PDF.js,
a jump to a page, and a note with a marked region."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from documents.actions import do_upload_paper
from documents.models import Paper, PaperNote, PaperOpen
from ecabinet.tenancy import tenant_context
from tests.conftest import World
from tests.documents.conftest import make_pdf, pdf_upload
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_tablet import assert_no_sideways_scroll, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOUCH_PX = 44
PAGES = 6


@pytest.fixture(autouse=True)
def papers_root(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One private papers root for this process and the server it starts."""
    root = tmp_path / "papers"
    settings.ECABINET_PAPERS_ROOT = root
    monkeypatch.setenv("ECABINET_PAPERS_ROOT", str(root))
    return root


def upload(world: World, title: str) -> Paper:
    with tenant_context(world.tenant):
        return do_upload_paper(
            world.meeting,
            upload=pdf_upload(make_pdf(PAGES, first_line="ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")),
            title=title,
            item=world.items[0],
            acting_user=world.secretary,
        )


def drawn_pixels(page: Any, selector: str) -> int:
    """How many pixels of a canvas are not blank: proof that something was drawn."""
    return int(
        page.evaluate(
            """(selector) => {
                const canvas = document.querySelector(selector);
                const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
                let inked = 0;
                for (let i = 0; i < data.length; i += 4) {
                    if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) inked++;
                }
                return inked;
            }""",
            selector,
        )
    )


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_a_member_reads_a_paper_jumps_to_a_page_and_adds_a_note(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: two papers on the first item, and the member on a tablet
    paper = upload(hanoi, "Tờ trình về kế hoạch đầu tư công năm 2027")
    second = upload(hanoi, "Dự thảo nghị quyết")
    let_log_in(hanoi)
    page = new_page(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    log_in(page, live_daphne, hanoi, hanoi.member.username, "correct-horse-battery-staple")

    # when: the member touches the paper in the agenda
    page.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))
    link = page.locator(f'.paper[data-paper-id="{paper.pk}"] a.paper-link')
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["height"] >= TOUCH_PX
    link.click()

    # then: the reader opens and PDF.js draws the first page of the member's copy
    expect(page).to_have_url(live_daphne.url(hanoi, f"/papers/{paper.pk}/#page=1"))
    reader = page.locator("#reader")
    expect(reader).to_have_attribute("data-rendered-page", "1", timeout=20_000)
    assert drawn_pixels(page, "#page-canvas") > 1000
    expect(page.locator("#reader-status")).to_have_text(f"Trang 1/{PAGES}")
    expect(page.locator(".thumb")).to_have_count(PAGES)
    expect(page.locator('.thumb[data-page="1"] canvas[data-drawn="true"]')).to_have_count(1)
    for selector in (
        "#page-previous",
        "#page-next",
        "#page-number",
        "#toggle-notes",
        "#next-paper",
        "#note-save",
    ):
        control = page.locator(selector).bounding_box()
        assert control is not None and control["height"] >= TOUCH_PX, selector
    assert_no_sideways_scroll(page)
    with tenant_context(hanoi.tenant):
        assert PaperOpen.objects.filter(paper=paper, reader=hanoi.member).count() == 1

    # when: the member jumps to page 4
    page.fill("#page-number", "4")
    page.locator("#page-jump button[type=submit]").click()

    # then
    expect(reader).to_have_attribute("data-rendered-page", "4")
    expect(page.locator('.thumb[data-page="4"]')).to_have_class("thumb is-current")
    expect(page.locator("#notes-heading")).to_have_text("Ghi chú ở trang 4")
    assert drawn_pixels(page, "#page-canvas") > 1000

    # when: a thumbnail is touched, then the next page button
    page.locator('.thumb[data-page="2"]').click()
    expect(reader).to_have_attribute("data-rendered-page", "2")
    page.locator("#page-next").click()
    expect(reader).to_have_attribute("data-rendered-page", "3")

    # when: the member marks a region and writes a note on page 3
    page.locator("#mark-region").click()
    page.locator("#page-canvas").scroll_into_view_if_needed()
    frame = page.locator("#page-frame").bounding_box()
    assert frame is not None
    top = frame["y"] + frame["height"] * 0.4  # clear of the sticky toolbar
    page.mouse.move(frame["x"] + frame["width"] * 0.2, top)
    page.mouse.down()
    page.mouse.move(frame["x"] + frame["width"] * 0.5, top + frame["height"] * 0.1, steps=5)
    page.mouse.up()
    expect(page.locator("#region-state")).to_have_text("Đã đánh dấu một vùng trên trang.")
    page.locator("#note-form textarea").scroll_into_view_if_needed()
    page.fill("#note-text", "Cần làm rõ nguồn vốn ở mục này")
    page.locator("#note-save").click()

    # then: the note is listed for this page, its region is drawn on the page, and it is kept
    expect(page.locator(".note .note-text")).to_have_text(["Cần làm rõ nguồn vốn ở mục này"])
    expect(page.locator(".note-mark")).to_have_count(1)
    with tenant_context(hanoi.tenant):
        note = PaperNote.objects.get(paper=paper, author=hanoi.member)
        assert note.page == 3 and note.shared is False
        assert note.region is not None
        assert note.region["x"] == pytest.approx(0.2, abs=0.03)
        assert note.region["y"] == pytest.approx(0.4, abs=0.03)
        assert note.region["w"] == pytest.approx(0.3, abs=0.03)
        assert note.region["h"] == pytest.approx(0.1, abs=0.03)
    screenshot(page, f"reader-{size}")

    # and the note is on page 3 only
    page.locator('.thumb[data-page="1"]').click()
    expect(page.locator(".note-mark")).to_have_count(0)
    expect(page.locator('.thumb[data-page="3"] .thumb-notes')).to_have_text("1")

    # when: the next paper of the item
    page.locator("#next-paper").click()
    expect(page).to_have_url(live_daphne.url(hanoi, f"/papers/{second.pk}/#page=1"))
    expect(page.locator("#reader")).to_have_attribute("data-rendered-page", "1", timeout=20_000)
    assert page.errors == [], json.dumps(page.errors)


def _server_call(
    server: LiveDaphne, world: World, path: str, *, body: bytes, content_type: str, token: str | None = None
) -> dict[str, Any]:
    """A request to the real server from outside any browser (the secretariat's own program)."""
    headers = {"Host": world.host, "Content-Type": content_type, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return dict(json.loads(response.read()))


def _multipart(fields: dict[str, str], file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "ecabinet-e2e-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_the_reader_says_live_that_the_paper_was_updated(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any
) -> None:
    # given: the member reads a paper
    paper = upload(hanoi, "Dự thảo quy chế làm việc")
    let_log_in(hanoi)
    page = new_page(LANDSCAPE)
    log_in(page, live_daphne, hanoi, hanoi.member.username, "correct-horse-battery-staple")
    page.goto(live_daphne.url(hanoi, f"/papers/{paper.pk}/"))
    expect(page.locator("#reader")).to_have_attribute("data-rendered-page", "1", timeout=20_000)
    expect(page.locator("body")).to_have_attribute("data-live", "live")
    expect(page.locator("#updated-banner")).to_be_hidden()
    agenda = page.context.new_page()
    agenda.errors = []
    agenda.on("pageerror", lambda error: agenda.errors.append(str(error)))
    agenda.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))
    expect(agenda.locator("body")).to_have_attribute("data-live", "live")
    row = agenda.locator(f'.paper[data-paper-id="{paper.pk}"]')
    expect(row).not_to_contain_text("Đã cập nhật")

    # when: the secretariat uploads a new version with more pages, through the server
    token = _server_call(
        live_daphne,
        hanoi,
        "/api/v1/auth/token/",
        body=json.dumps(
            {"username": hanoi.secretary.username, "password": "correct-horse-battery-staple"}
        ).encode(),
        content_type="application/json",
    )["token"]
    body, content_type = _multipart(
        {"change_note": "Bổ sung hai phụ lục"}, "v2.pdf", make_pdf(PAGES + 2, first_line="ỦY BAN NHÂN DÂN")
    )
    _server_call(
        live_daphne,
        hanoi,
        f"/api/v1/papers/{paper.pk}/versions/",
        body=body,
        content_type=content_type,
        token=token,
    )

    # then: the page says so at once, with what changed
    banner = page.locator("#updated-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"phiên bản 2, {PAGES + 2} trang (trước đây {PAGES} trang)")
    expect(banner).to_contain_text("Bổ sung hai phụ lục")
    # and the meeting page's agenda marks the paper, with its new page count
    expect(row).to_contain_text("Đã cập nhật")
    expect(row).to_contain_text(f"{PAGES + 2} trang")
    assert agenda.errors == []

    # when: the member opens the new version
    page.locator("#reload-paper").click()

    # then
    expect(page.locator(".thumb")).to_have_count(PAGES + 2)
    expect(page.locator("#reader")).to_have_attribute("data-rendered-page", "1", timeout=20_000)
    expect(page.locator("#reader-status")).to_have_text(f"Trang 1/{PAGES + 2}")
    assert page.errors == [], json.dumps(page.errors)


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_chair_sees_who_has_not_read_which_paper(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: two papers, the member has opened the first
    first = upload(hanoi, "Tờ trình về kế hoạch đầu tư công năm 2027")
    second = upload(hanoi, "Dự thảo nghị quyết")
    let_log_in(hanoi)
    member = new_page(viewport)
    log_in(member, live_daphne, hanoi, hanoi.member.username, "correct-horse-battery-staple")
    member.goto(live_daphne.url(hanoi, f"/papers/{first.pk}/"))
    expect(member.locator("#reader")).to_have_attribute("data-rendered-page", "1", timeout=20_000)

    # when: the chair opens the report from the meeting page
    chair = new_page(viewport)
    log_in(chair, live_daphne, hanoi, hanoi.chair.username, "correct-horse-battery-staple")
    chair.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/"))
    chair.locator("#reading-link").click()

    # then
    expect(chair.locator("#reading-heading")).to_have_text("Tình hình đọc tài liệu")
    row = chair.locator(f'#reading-table tr[data-user-id="{hanoi.member.pk}"]')
    expect(row.locator(f'td[data-paper-id="{first.pk}"]')).to_have_attribute("data-status", "opened")
    expect(row.locator(f'td[data-paper-id="{second.pk}"]')).to_have_attribute("data-status", "unread")
    expect(chair.locator(f'#unread-list li[data-user-id="{hanoi.member.pk}"]')).to_contain_text(
        "Dự thảo nghị quyết"
    )
    assert_no_sideways_scroll(chair)
    link = chair.locator(f'#paper-legend li[data-paper-id="{first.pk}"] a').bounding_box()
    assert link is not None and link["height"] >= TOUCH_PX
    screenshot(chair, f"reading-report-{viewport['width']}x{viewport['height']}")
    assert chair.errors == [] and member.errors == []
