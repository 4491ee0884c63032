"""The secretariat uploads a paper in a real browser against the real server:
the progress bar follows a large file, the paper is kept and listed, and a
refused file (a password-protected PDF; one over the limit) is explained in
place, leaving nothing behind."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from playwright.sync_api import expect

from documents.actions import do_set_paper_settings
from documents.models import Paper, PaperVersion
from ecabinet.tenancy import tenant_context
from tests.conftest import PASSWORD, World
from tests.documents.conftest import files_under, make_pdf, padded_pdf
from tests.e2e.conftest import LANDSCAPE, PORTRAIT, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_tablet import assert_no_sideways_scroll, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOUCH_PX = 44
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def papers_root(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One private papers root for this process and the server it starts."""
    root = tmp_path / "papers"
    settings.ECABINET_PAPERS_ROOT = root
    monkeypatch.setenv("ECABINET_PAPERS_ROOT", str(root))
    return root


def large_pdf(path: Path, size: int) -> Path:
    path.write_bytes(padded_pdf(8, size, first_line="ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"))
    return path


def encrypted_pdf(path: Path) -> Path:
    pdf = pikepdf.open(io.BytesIO(make_pdf(2)))
    pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="u", R=6))
    return path


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_secretariat_uploads_a_large_paper_with_a_progress_bar(
    live_daphne: LiveDaphne,
    hanoi: World,
    new_page: Any,
    viewport: dict[str, int],
    tmp_path: Path,
    papers_root: Path,
) -> None:
    # given
    let_log_in(hanoi)
    page = new_page(viewport)
    log_in(page, live_daphne, hanoi, hanoi.secretary.username, PASSWORD)
    page.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/papers/manage/"))
    form = page.locator("#upload-form")
    expect(form).to_be_visible()
    for selector in ("#upload-form button[type=submit]", "#id_file", "#id_title", "label[for=id_restricted]"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["height"] >= TOUCH_PX, selector
    assert_no_sideways_scroll(page)

    # the list of people shows only for a paper kept to named people
    people = page.locator("#upload-form .recipients-list")
    expect(people).to_be_hidden()
    page.locator("label[for=id_restricted]").click()
    expect(people).to_be_visible()
    page.locator("label[for=id_restricted]").click()
    expect(people).to_be_hidden()

    # when: a 20 MB paper is chosen and sent
    pdf = large_pdf(tmp_path / "ke-hoach.pdf", 20 * MB)
    page.set_input_files("#id_file", str(pdf))
    page.fill("#id_title", "Kế hoạch đầu tư công trung hạn 2026-2030")
    page.select_option("#id_kind", "report")
    page.fill("#id_presenting_unit", "Sở Tài chính")
    page.locator("#upload-form button[type=submit]").click()

    # then: the page moves on to the list, with the paper and the message
    expect(page.locator(".message-success")).to_have_text(
        "Tài liệu đã được tải lên và gửi tới người nhận.", timeout=60_000
    )
    expect(
        page.locator(".manage-paper-title", has_text="Kế hoạch đầu tư công trung hạn 2026-2030")
    ).to_be_visible()
    screenshot(page, f"paper-upload-{viewport['width']}x{viewport['height']}")
    with tenant_context(hanoi.tenant):
        paper = Paper.objects.select_related("current_version").get()
        assert (paper.kind, paper.presenting_unit, paper.page_count) == ("report", "Sở Tài chính", 8)
        assert paper.current_version is not None and paper.current_version.size == pdf.stat().st_size


def test_the_bar_moves_and_a_refusal_is_shown_in_place(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, tmp_path: Path, papers_root: Path
) -> None:
    let_log_in(hanoi)
    page = new_page(LANDSCAPE)
    log_in(page, live_daphne, hanoi, hanoi.secretary.username, PASSWORD)
    page.goto(live_daphne.url(hanoi, f"/meetings/{hanoi.meeting.pk}/papers/manage/"))
    # the browser tells the progress of the upload; keep what the bar showed
    page.evaluate(
        """() => {
            window.progressSeen = [];
            const bar = document.querySelector('#upload-form progress');
            const text = document.querySelector('#upload-form .upload-progress-text');
            new MutationObserver(() => window.progressSeen.push(text.textContent))
                .observe(text, {childList: true, characterData: true, subtree: true});
        }"""
    )

    # when: a password-protected PDF is sent
    page.set_input_files("#id_file", str(encrypted_pdf(tmp_path / "co-mat-khau.pdf")))
    page.fill("#id_title", "Tờ trình có mật khẩu")
    page.locator("#upload-form button[type=submit]").click()

    # then: the server's refusal is shown on the page, which stays; nothing is kept
    error = page.locator("#upload-form .upload-error")
    expect(error).to_have_text(
        "Tệp PDF này có mật khẩu bảo vệ. Hãy lưu lại không đặt mật khẩu rồi tải tệp đó lên.", timeout=20_000
    )
    expect(page.locator("#upload-form button[type=submit]")).to_be_enabled()
    seen = page.evaluate("window.progressSeen")
    assert any(s.startswith("Đang tải lên…") for s in seen), seen
    assert "Đang kiểm tra tài liệu…" in seen, seen
    with tenant_context(hanoi.tenant):
        assert not Paper.objects.exists() and not PaperVersion.objects.exists()
    assert files_under(papers_root) == []

    # when: the limit is 1 MB and a 2 MB file is chosen, the page says so before sending
    with tenant_context(hanoi.tenant):
        do_set_paper_settings(tenant=hanoi.tenant, max_upload_mb=1, grace_days=7, acting_user=hanoi.secretary)
    page.reload()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.set_input_files("#id_file", str(large_pdf(tmp_path / "lon.pdf", 2 * MB)))
    page.fill("#id_title", "Tài liệu quá lớn")
    page.locator("#upload-form button[type=submit]").click()
    expect(error).to_have_text("Tệp lớn hơn mức tối đa 1 MB của đơn vị. Hãy nén nhỏ hoặc tách tệp.")
    assert requests == []
    assert not page.errors  # type: ignore[attr-defined]
