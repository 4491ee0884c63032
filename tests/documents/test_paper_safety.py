"""Hostile PDFs refused or defused in the sandbox; secret markings found wherever they are.

Every attack of the integrity issue is here as the file an attacker would
send, uploaded the way a clerk uploads (the action, the page, the API).
"""

from __future__ import annotations

import io
import json
import resource
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from documents import pdf_inspect, pdf_sandbox
from documents.access import access_paper
from documents.models import Paper, PaperVersion
from documents.pdf_inspect import Caps, find_marking
from documents.serving import signed_link
from documents.validation import Refused, check_pdf
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from tests.conftest import World
from tests.documents import hostile
from tests.documents.conftest import files_under, make_pdf, pdf_upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024

requires_ocr = pytest.mark.skipif(
    not pdf_inspect.ocr_available(),
    reason="reading scans needs Tesseract with Vietnamese and pdftoppm: "
    "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils (CI installs them)",
)


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    with translation.override("vi"):
        yield


def refused(world: World, upload_paper: Any, data: bytes, **kwargs: Any) -> Refused:
    with pytest.raises(Refused) as caught:
        upload_paper(world, upload=pdf_upload(data), **kwargs)
    return caught.value


def nothing_kept(papers_root: Path) -> bool:
    return (
        Paper.all_tenants.count() == 0
        and PaperVersion.all_tenants.count() == 0
        and not files_under(papers_root)
    )


def refusal_rows() -> list[dict[str, Any]]:
    return [e.detail for e in AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_UPLOAD_REFUSED)]


# --- markings: the words themselves -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marking"),
    [
        ("MẬT", "MẬT"),
        ("TỐI MẬT", "TỐI MẬT"),
        ("TUYỆT MẬT", "TUYỆT MẬT"),
        ("Số: 15/TTr-UBND                         MẬT", "MẬT"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI   TỐI MẬT\nSố: 15/TTr-UBND", "TỐI MẬT"),
        ("Tối mật", "TỐI MẬT"),
        ("Tuyet mat", "TUYET MAT"),
        ("- MAT -", "MAT"),
        ("“Mật”", "MẬT"),
        # What optical reading makes of a red stamp: a diacritic misread, alone on its line.
        ("MẠT", "MẠT"),
    ],
)
def test_markings_are_found_in_every_form_the_law_uses(text: str, marking: str) -> None:
    assert find_marking(text) == marking


@pytest.mark.parametrize(
    "text",
    [
        "Quy chế bảo mật thông tin trong hoạt động của Ủy ban",
        "BÁO CÁO VỀ CÔNG TÁC BẢO MẬT NĂM 2026",
        "LUẬT BẢO VỆ BÍ MẬT NHÀ NƯỚC",
        "Xác định ĐỘ MẬT của văn bản theo quy định",
        "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
        "QUY ĐỊNH VỀ MẬT MÃ DÂN SỰ",
        "Đổi mật khẩu sau 90 ngày; mặt bằng thi công",
        "Mặt tiền đường Trần Phú rộng 12 m",
        # a sentence that wrapped, leaving its last word alone on a line
        "(không bao gồm hồ sơ xử lý công việc có nội dung\nmật).",
    ],
)
def test_words_that_only_look_like_a_marking_are_not_one(text: str) -> None:
    assert find_marking(text) is None


# --- markings: where they hide ----------------------------------------------------------


def test_a_marking_on_page_two_is_refused_naming_the_page(hanoi: World, upload_paper, papers_root) -> None:
    # the issue: only the first page was read, so "TỐI MẬT" on page 2 went through
    exc = refused(hanoi, upload_paper, hostile.marked_on_page(2, "TỐI MẬT"))
    assert exc.reason == "marked_secret"
    assert "TỐI MẬT" in str(exc.detail) and "trang 2" in str(exc.detail)
    assert nothing_kept(papers_root)
    assert refusal_rows()[-1]["reason"] == "marked_secret"


def test_a_marking_after_the_number_on_the_same_line_is_refused(
    hanoi: World, upload_paper, papers_root
) -> None:
    data = hostile.marked_on_page(1, "Số: 15/TTr-UBND                       MẬT")
    assert refused(hanoi, upload_paper, data).reason == "marked_secret"
    assert nothing_kept(papers_root)


def test_a_marking_typed_as_a_note_on_the_page_is_refused(hanoi: World, upload_paper, papers_root) -> None:
    exc = refused(hanoi, upload_paper, hostile.with_free_text("MẬT", page=2))
    assert exc.reason == "marked_secret"
    assert "ghi chú" in str(exc.detail) and "trang 2" in str(exc.detail)
    assert nothing_kept(papers_root)


def test_a_marking_in_a_form_field_is_refused(hanoi: World, upload_paper, papers_root) -> None:
    exc = refused(hanoi, upload_paper, hostile.with_form_field("TUYỆT MẬT"))
    assert exc.reason == "marked_secret"
    assert "TUYỆT MẬT" in str(exc.detail)
    assert nothing_kept(papers_root)


@requires_ocr
def test_a_marking_stamped_as_a_picture_is_read_and_refused(hanoi: World, upload_paper, papers_root) -> None:
    # the page has a text layer, but the marking is only in the stamp's picture
    data = hostile.stamped_as_picture("MẬT")
    assert "MẬT" not in " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    exc = refused(hanoi, upload_paper, data)
    assert exc.reason == "marked_secret"
    assert "hình" in str(exc.detail)  # "read from its picture"
    assert nothing_kept(papers_root)


@requires_ocr
def test_a_scanned_secret_paper_is_read_and_refused(hanoi: World, upload_paper, papers_root) -> None:
    data = hostile.scan(
        hostile.LETTER, ["ỦY BAN NHÂN DÂN", "TỐI MẬT", "", "BÁO CÁO", "Về công tác quốc phòng"]
    )
    exc = refused(hanoi, upload_paper, data)
    assert exc.reason == "marked_secret"
    assert "trang 2" in str(exc.detail)
    assert nothing_kept(papers_root)


@requires_ocr
def test_a_readable_scan_without_a_marking_is_kept(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, upload=pdf_upload(hostile.scan(hostile.LETTER, hostile.LETTER)))
    with tenant_context(hanoi.tenant):
        assert paper.current_version.page_count == 2
        assert paper.current_version.unreadable_pages == []


def test_bao_mat_and_mat_tran_in_a_paper_are_kept(hanoi: World, upload_paper) -> None:
    for line in ("BÁO CÁO CÔNG TÁC BẢO MẬT NĂM 2026", "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM"):
        upload_paper(hanoi, upload=pdf_upload(make_pdf(2, first_line=line)), title=line)
    assert Paper.all_tenants.count() == 2


# --- scans nobody can read: held for the secretariat's word -----------------------------


def test_an_unreadable_scan_is_held_until_the_secretariat_confirms_it(
    hanoi: World, upload_paper, papers_root
) -> None:
    data = hostile.unreadable_scan(2)
    # held: not silently passed
    exc = refused(hanoi, upload_paper, data)
    assert exc.reason == "unreadable"
    assert "1, 2" in str(exc.detail) and "Tôi đã tự kiểm tra" in str(exc.detail)
    assert nothing_kept(papers_root)
    # the secretariat looked at every page and says so
    paper = upload_paper(hanoi, upload=pdf_upload(data), confirmed_unreadable=True)
    with tenant_context(hanoi.tenant):
        assert paper.current_version.unreadable_pages == [1, 2]
    confirmed = AuditEvent.objects.get(kind=AuditEvent.Kind.PAPER_CONFIRMED)
    assert confirmed.user == hanoi.secretary
    assert confirmed.detail["pages"] == [1, 2] and confirmed.detail["meeting_id"] == hanoi.meeting.pk
    uploaded = AuditEvent.objects.get(kind=AuditEvent.Kind.PAPER_UPLOADED)
    assert uploaded.detail["unreadable_pages"] == [1, 2]


def test_a_confirmation_does_not_let_a_marked_paper_through(hanoi: World, upload_paper, papers_root) -> None:
    exc = refused(hanoi, upload_paper, hostile.marked_on_page(3, "MẬT"), confirmed_unreadable=True)
    assert exc.reason == "marked_secret"
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_CONFIRMED).exists()


def test_without_ocr_a_scan_is_held_not_passed(hanoi: World, upload_paper, settings) -> None:
    settings.ECABINET_OCR = False
    exc = refused(hanoi, upload_paper, hostile.scan(hostile.LETTER))
    assert exc.reason == "unreadable"


def test_the_page_offers_the_confirmation_and_the_api_takes_it(hanoi: World, papers_root) -> None:
    client = hanoi.client(hanoi.secretary)
    url = reverse("documents:paper-upload", args=[hanoi.meeting.pk])
    form = {"title": "Bản chụp biên bản", "kind": "submission"}
    held = client.post(
        url,
        {**form, "file": SimpleUploadedFile("scan.pdf", hostile.unreadable_scan(), "application/pdf")},
        HTTP_ACCEPT="application/json",
    )
    assert held.status_code == 400
    assert "Tôi đã tự kiểm tra" in held.json()["detail"]
    page = client.get(reverse("documents:papers-manage", args=[hanoi.meeting.pk]))
    assert 'name="confirmed_unreadable"' in page.content.decode()
    # the API, with the same word
    api = hanoi.client(hanoi.secretary)
    created = api.post(
        f"/api/v1/meetings/{hanoi.meeting.pk}/papers/",
        {
            **form,
            "file": SimpleUploadedFile("scan.pdf", hostile.unreadable_scan(), "application/pdf"),
            "confirmed_unreadable": "true",
        },
    )
    assert created.status_code == 201, created.content
    versions = created.json()["paper"]["versions"]
    assert versions[0]["unreadable_pages"] == [1]


# --- active content -------------------------------------------------------------------


def _active_parts(data: bytes) -> list[str]:
    """What in ``data`` acts by itself when a viewer opens it."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/OpenAction" in pdf.Root:
            found.append("OpenAction")
        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            found += [key for key in ("/JavaScript", "/EmbeddedFiles") if key in names]
        for page in pdf.pages:
            if "/AA" in page.obj:
                found.append("AA")
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and action.get("/S") != "/URI":
                    found.append(str(action.get("/S")))
        if pdf.attachments:
            found.append("attachments")
    if b"invoice.exe" in data or b"app.alert" in data:
        found.append("bytes")
    return found


def test_active_content_is_stripped_before_the_paper_is_kept(hanoi: World, upload_paper) -> None:
    data = hostile.active_content()
    assert len(_active_parts(data)) >= 5  # the attack is real
    paper = upload_paper(hanoi, upload=pdf_upload(data))
    with tenant_context(hanoi.tenant):
        version = paper.current_version
        kept = Path(version.file.path).read_bytes()
        assert _active_parts(kept) == []
        # the web link stays; the page is still the page
        with pikepdf.open(io.BytesIO(kept)) as pdf:
            uris = [str(a.A.URI) for a in pdf.pages[0].Annots if "/A" in a]
            assert uris == ["https://chinhphu.vn/"]
        assert version.page_count == 2
        # what is kept is what the digest names
        import hashlib

        assert version.sha256 == hashlib.sha256(kept).hexdigest() and version.size == len(kept)
        assert set(version.removed["kinds"]) >= {"javascript", "open_action", "launch", "embedded_files"}
        assert version.removed["files"] == ["invoice.exe"]
    uploaded = AuditEvent.objects.get(kind=AuditEvent.Kind.PAPER_UPLOADED)
    assert uploaded.detail["removed"]["files"] == ["invoice.exe"]


def test_the_copy_served_to_a_member_carries_none_of_it(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, upload=pdf_upload(hostile.active_content()))
    with tenant_context(hanoi.tenant):
        link = signed_link(access_paper(hanoi.member, paper.pk))
    response = hanoi.client(hanoi.member).get(link)
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert _active_parts(served) == []
    assert hanoi.member.full_name in " ".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(served)).pages
    )


def test_the_clerk_is_told_what_was_removed(hanoi: World) -> None:
    client = hanoi.client(hanoi.secretary)
    response = client.post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {
            "file": SimpleUploadedFile("hoa-don.pdf", hostile.active_content(), "application/pdf"),
            "title": "Tờ trình kèm hóa đơn",
            "kind": "submission",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    message = json.loads(response.content)["message"]
    assert "JavaScript" in message and "invoice.exe" in message and "đã gỡ" in message
    paper = Paper.all_tenants.get()
    page = client.get(reverse("documents:paper-manage", args=[paper.pk])).content.decode()
    assert "invoice.exe" in page


# --- caps: bombs and monsters -----------------------------------------------------------


def test_the_flate_bomb_is_refused_and_nothing_is_kept(hanoi: World, upload_paper, papers_root) -> None:
    # the bomb: a few KB that decode to 1.5 GB, accepted after 14 s
    data = hostile.flate_bomb()
    assert len(data) < 64 * 1024
    exc = refused(hanoi, upload_paper, data)
    assert exc.reason == "stream_too_large"
    assert "Xuất lại" in str(exc.detail) or "xuất lại" in str(exc.detail)
    assert nothing_kept(papers_root)
    assert refusal_rows()[-1]["reason"] == "stream_too_large"


@pytest.mark.parametrize(
    ("build", "reason", "words"),
    [
        pytest.param(lambda: hostile.nested_filters(5), "filters_nested", "xuất lại", id="filters-nested"),
        pytest.param(hostile.huge_page, "page_size", "Trang 2", id="page-size"),
    ],
)
def test_files_over_a_cap_are_refused_in_words_a_clerk_reads(
    hanoi: World, upload_paper, papers_root, build: Any, reason: str, words: str
) -> None:
    exc = refused(hanoi, upload_paper, build())
    assert exc.reason == reason
    assert words.lower() in str(exc.detail).lower()
    assert nothing_kept(papers_root)


def test_too_many_pages_is_refused(hanoi: World, upload_paper, papers_root) -> None:
    with override_settings(ECABINET_PDF_CAPS={"max_pages": 5}):
        exc = refused(hanoi, upload_paper, make_pdf(6))
    assert exc.reason == "too_many_pages"
    assert "6" in str(exc.detail) and "5" in str(exc.detail)
    assert nothing_kept(papers_root)


@requires_ocr
def test_a_check_over_its_wall_clock_is_killed_and_refused(hanoi: World, upload_paper, papers_root) -> None:
    # reading two scanned pages takes more than a tenth of a second
    with override_settings(ECABINET_PDF_CAPS={"wall_seconds": 0.1}):
        exc = refused(hanoi, upload_paper, hostile.scan(hostile.LETTER, hostile.LETTER))
    assert exc.reason == "too_slow"
    assert nothing_kept(papers_root)


def test_the_child_runs_under_its_limits_in_a_group_of_its_own() -> None:
    caps = Caps(memory_bytes=900 * MB, cpu_seconds=33)
    answer = pdf_sandbox.run("limits", {}, caps=caps, file_bytes=5 * MB)
    assert answer == {
        "ok": True,
        "memory_bytes": 900 * MB,
        "cpu_seconds": 33,
        "file_bytes": 5 * MB,
        "own_group": True,
    }


def test_a_bomb_past_lifted_caps_is_held_by_the_child_not_the_server(tmp_path: Path) -> None:
    # the caps lifted: whatever decoding the child attempts stays in the child
    source = tmp_path / "bomb.pdf"
    source.write_bytes(hostile.flate_bomb(512))
    lifted = Caps(max_stream_bytes=8 * 1024 * MB, max_decoded_bytes=8 * 1024 * MB, memory_bytes=1024 * MB)
    request = {"source": str(source), "defused": str(tmp_path / "out.pdf"), "ocr": False}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        pdf_sandbox.run("inspect", {**request, "caps": lifted.as_dict()}, caps=lifted, file_bytes=MB)
    except pdf_sandbox.SandboxFailed:
        pass
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB
    # with the caps in place the same file is refused before anything decodes it
    caps = Caps()
    answer = pdf_sandbox.run("inspect", {**request, "caps": caps.as_dict()}, caps=caps, file_bytes=MB)
    assert answer["reason"] == "stream_too_large"


def test_checking_runs_in_another_process(hanoi: World, upload_paper, monkeypatch) -> None:
    # the server's own process never opens an upload: a bomb there would be the server's memory
    opened_here: list[str] = []
    monkeypatch.setattr(pdf_inspect, "inspect", lambda request: opened_here.append("!") or {})
    paper = upload_paper(hanoi)
    assert opened_here == [] and paper.page_count == 3


def test_check_pdf_refuses_the_bomb_without_a_meeting() -> None:
    with pytest.raises(Refused) as caught:
        check_pdf(pdf_upload(hostile.flate_bomb()), limit_bytes=10 * MB)
    assert caught.value.reason == "stream_too_large"


@requires_ocr
def test_pictures_on_pages_with_text_are_read_on_the_first_pages_only(tmp_path: Path) -> None:
    # a logo on every page of a long paper: read where a stamped marking stands, not 40 times
    pages = pikepdf.new()
    for _ in range(6):
        pages.pages.extend(pikepdf.open(io.BytesIO(hostile.stamped_as_picture("Sở Tài chính"))).pages)
    source = tmp_path / "logos.pdf"
    pages.save(source)
    answer = pdf_inspect.inspect(
        {"source": str(source), "defused": str(tmp_path / "out.pdf"), "caps": Caps().as_dict(), "ocr": True}
    )
    assert answer["ok"] and answer["ocr_pages"] == [1, 2, 3]
