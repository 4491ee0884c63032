"""Quarterly report PDFs: the tenant's and the national one carry the tenant, the quarter and the figures."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest

from documents.actions import do_upload_paper
from ecabinet.models import User
from ecabinet.tenancy import tenant_context
from meetings.models import Meeting
from reports.measurement.national import Quarter
from reports.measurement.quarterly import national_report_pdf, tenant_report_pdf
from tests.clock import held_before_the_december_2026_session
from tests.conftest import World
from tests.documents.conftest import pdf_upload

# Q4 2026 is the quarter of the world's session: the clock is held before it.
pytestmark = [pytest.mark.django_db, held_before_the_december_2026_session]

Q4 = Quarter(2026, 4)


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def hold(world: World, *, minutes: int, baseline: int) -> None:
    with tenant_context(world.tenant):
        do_upload_paper(
            world.meeting,
            upload=pdf_upload(pages=5),
            title="Tờ trình",
            item=world.items[0],
            acting_user=world.secretary,
        )
    started = world.meeting.scheduled_start + timedelta(minutes=5)
    Meeting.all_tenants.filter(pk=world.meeting.pk).update(
        status=Meeting.Status.CLOSED,
        started_at=started,
        ended_at=started + timedelta(minutes=minutes),
        elapsed_seconds=minutes * 60,
        baseline_minutes=baseline,
        baseline_is_assumption=True,
    )


def test_the_tenants_report_has_the_tenant_the_quarter_and_the_figures(hanoi: World, danang: World) -> None:
    # given: 60 minutes against 180 on paper (an assumption); 5 pages to 4 readers
    hold(hanoi, minutes=60, baseline=180)
    hold(danang, minutes=150, baseline=200)

    # when
    text = text_of(tenant_report_pdf(hanoi.tenant, Q4))

    # then
    assert "UBND THÀNH PHỐ HÀ NỘI" in text
    assert "Đà Nẵng" not in text
    assert "Quý 4/2026" in text
    assert "01/10/2026" in text and "31/12/2026" in text
    assert "Phiên họp thường kỳ UBND thành phố Hà Nội" in text
    assert "66,7" in text  # time saved (%)
    # 5 pages × 4 readers (the guest is invited to another item), 3 sheets each, 1.000 đồng a page
    assert re.search(r"20 trang, 12 tờ, 20\.?000 đồng", text)
    assert "rút ngắn 66,7 %" in text
    assert "* giả định cho dữ liệu mẫu, không phải số đo" in text  # the demo's baseline and price
    assert "không ký số" in text  # an unsigned report says so
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_the_national_report_has_every_tenant_the_shares_and_the_totals(hanoi: World, danang: World) -> None:
    hold(hanoi, minutes=60, baseline=180)

    text = text_of(national_report_pdf(Q4))

    assert "UBND thành phố Hà Nội" in text and "UBND thành phố Đà Nẵng" in text
    assert "Quý 4/2026" in text
    assert "Tỉnh, thành phố 2 1 50,0 100" in text  # one province of two, target 100 %
    assert "1/2 đơn vị đã tổ chức 1 cuộc họp trên hệ thống" in text
    assert "66,7" in text


def test_the_tenants_own_report_is_for_its_secretariat_and_chairs(
    hanoi: World, danang: World, national_admin: User
) -> None:
    url = "/reports/quarterly/report.pdf?quarter=2026-Q4"
    for user in (hanoi.secretary, hanoi.chair):
        response = hanoi.client(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "UBND THÀNH PHỐ HÀ NỘI" in text_of(response.content)
    for user in (hanoi.member, hanoi.vice_chair, hanoi.observer, hanoi.guest, national_admin):
        assert hanoi.client(user).get(url).status_code == 404
    assert hanoi.client(danang.secretary).get(url).status_code == 302
    assert hanoi.client(hanoi.secretary).get("/reports/quarterly/report.pdf?quarter=soon").status_code == 400


def test_the_dashboard_links_the_quarterly_reports_of_its_year(hanoi: World) -> None:
    page = hanoi.client(hanoi.secretary).get("/reports/dashboard/?year=2026").content.decode()
    assert 'href="/reports/quarterly/report.pdf?quarter=2026-Q4"' in page
