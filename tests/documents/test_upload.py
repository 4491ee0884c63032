"""Uploading papers: what is kept (page count, SHA-256, the file in private
storage) and every refusal of the issue, each leaving no file and no row —
through the action, the secretariat's page and the API."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from documents.actions import do_set_paper_settings, do_upload_paper
from documents.models import Paper, PaperVersion
from documents.validation import SizeLimitHandler, check_pdf
from ecabinet.errors import Invalid
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from tests.conftest import World
from tests.documents.conftest import files_under, make_pdf, padded_pdf, pdf_upload

MB = 1024 * 1024


def encrypted_pdf(*, user_password: str) -> bytes:
    source = pikepdf.open(io.BytesIO(make_pdf(2)))
    out = io.BytesIO()
    source.save(out, encryption=pikepdf.Encryption(owner="chủ sở hữu", user=user_password, R=6))
    return out.getvalue()


def big_pdf(size: int) -> bytes:
    return padded_pdf(2, size)


def corrupt_pdf() -> bytes:
    data = bytearray(make_pdf(3))
    # keep the header and the trailer; wreck the body and the cross-reference table
    middle = len(data) // 3
    data[middle:-200] = b"\x00garbage\xff" * ((len(data) - 200 - middle) // 9)
    return bytes(data)


DOCX = b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"word/document.xml" + b"\x00" * 400
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200

REFUSALS = [
    pytest.param(lambda: pdf_upload(DOCX, name="to-trinh.docx"), {}, "not_pdf", "PDF", id="word-file"),
    pytest.param(lambda: pdf_upload(PNG, name="anh.png"), {}, "not_pdf", "PDF", id="image"),
    pytest.param(
        lambda: pdf_upload("Tờ trình (văn bản thuần)".encode(), name="to-trinh.txt"),
        {},
        "not_pdf",
        "PDF",
        id="text",
    ),
    pytest.param(
        lambda: pdf_upload(encrypted_pdf(user_password="mk")), {}, "encrypted", "mật khẩu", id="encrypted"
    ),
    pytest.param(
        lambda: pdf_upload(encrypted_pdf(user_password="")),
        {},
        "encrypted",
        "mật khẩu",
        id="encrypted-owner-password-only",
    ),
    pytest.param(lambda: pdf_upload(make_pdf(3)[:-700]), {}, "truncated", "hỏng", id="truncated"),
    pytest.param(lambda: pdf_upload(corrupt_pdf()), {}, "damaged", "hỏng", id="corrupt"),
    pytest.param(lambda: pdf_upload(b""), {}, "empty", "rỗng", id="empty"),
    pytest.param(
        lambda: pdf_upload(), {"declared_secret": True}, "declared_secret", "độ mật", id="declared-secret"
    ),
    pytest.param(lambda: pdf_upload(make_pdf(2, first_line="MẬT")), {}, "marked_secret", "MẬT", id="mat"),
    pytest.param(
        lambda: pdf_upload(make_pdf(2, first_line="TỐI MẬT")), {}, "marked_secret", "TỐI MẬT", id="toi-mat"
    ),
    pytest.param(
        lambda: pdf_upload(make_pdf(2, first_line="TUYỆT MẬT")),
        {},
        "marked_secret",
        "TUYỆT MẬT",
        id="tuyet-mat",
    ),
    pytest.param(
        lambda: pdf_upload(make_pdf(2, first_line="  MẬT  — Số: 12/TTr-UBND")),
        {},
        "marked_secret",
        "MẬT",
        id="mat-with-number",
    ),
]


def counts() -> tuple[int, int]:
    return Paper.all_tenants.count(), PaperVersion.all_tenants.count()


def refused_reasons() -> list[str]:
    return [e.detail["reason"] for e in AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_UPLOAD_REFUSED)]


# --- what is kept ---------------------------------------------------------------------


def test_an_upload_keeps_pages_digest_and_a_private_file(
    hanoi: World, papers_root: Path, upload_paper
) -> None:
    data = make_pdf(4)
    paper = upload_paper(hanoi, upload=pdf_upload(data))
    with tenant_context(hanoi.tenant):
        version = paper.current_version
        assert version is not None
        assert (paper.page_count, version.page_count, version.number) == (4, 4, 1)
        assert version.sha256 == hashlib.sha256(data).hexdigest()
        assert version.size == len(data)
        assert len(version.page_digests) == 4
        stored = Path(version.file.path)
        assert stored.read_bytes() == data
        assert papers_root in stored.parents
        assert stored.stat().st_mode & 0o077 == 0  # readable by the server only
        with pytest.raises(ValueError, match="no public URL"):
            version.file.url  # noqa: B018
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_UPLOADED, detail__paper_id=paper.pk).exists()


def test_bao_mat_in_a_sentence_is_not_a_marking(hanoi: World, upload_paper) -> None:
    for line in (
        "Quy chế bảo mật thông tin trong hoạt động của Ủy ban",
        "Về việc tăng cường công tác bảo mật, an toàn thông tin",
        "BÁO CÁO VỀ CÔNG TÁC BẢO MẬT NĂM 2026",
    ):
        paper = upload_paper(hanoi, upload=pdf_upload(make_pdf(2, first_line=line)))
        assert paper.pk and paper.page_count == 2


def test_a_large_paper_streams_through_a_temporary_file(hanoi: World, papers_root: Path) -> None:
    # given: above FILE_UPLOAD_MAX_MEMORY_SIZE, so Django keeps it on disk, not in memory
    data = big_pdf(6 * MB)
    client = hanoi.client(hanoi.secretary)
    # when
    response = client.post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {
            "file": SimpleUploadedFile("du-thao.pdf", data, "application/pdf"),
            "title": "Dự thảo lớn",
            "kind": "draft",
        },
        HTTP_ACCEPT="application/json",
    )
    # then
    assert response.status_code == 200, response.content
    with tenant_context(hanoi.tenant):
        version = PaperVersion.objects.get(paper__title="Dự thảo lớn")
        assert version.size == len(data)
        assert version.sha256 == hashlib.sha256(data).hexdigest()
        assert Path(version.file.path).read_bytes() == data


# --- every refusal leaves nothing -----------------------------------------------------------


@pytest.mark.parametrize(("make", "extra", "reason", "words"), REFUSALS)
def test_a_refused_upload_leaves_no_file_and_no_row(
    hanoi: World, papers_root: Path, make: Any, extra: dict[str, Any], reason: str, words: str
) -> None:
    # given
    before = counts()
    # when
    with tenant_context(hanoi.tenant), pytest.raises(Invalid) as refused:
        do_upload_paper(
            hanoi.meeting,
            upload=make(),
            title="Tờ trình",
            item=hanoi.items[0],
            acting_user=hanoi.secretary,
            **extra,
        )
    # then
    assert refused.value.code == "paper_refused"
    assert refused.value.reason == reason  # type: ignore[attr-defined]
    assert words.lower() in str(refused.value.detail).lower()
    assert counts() == before
    assert files_under(papers_root) == []
    assert refused_reasons() == [reason]


@pytest.mark.parametrize(("make", "extra", "reason", "words"), REFUSALS)
def test_a_refused_new_version_leaves_no_file_and_no_row(
    hanoi: World, papers_root: Path, upload_paper, make: Any, extra: dict[str, Any], reason: str, words: str
) -> None:
    from documents.actions import do_replace_paper

    paper = upload_paper(hanoi)
    before, files = counts(), sorted(files_under(papers_root))
    with tenant_context(hanoi.tenant), pytest.raises(Invalid):
        do_replace_paper(paper, upload=make(), acting_user=hanoi.secretary, **extra)
    assert counts() == before
    assert sorted(files_under(papers_root)) == files
    with tenant_context(hanoi.tenant):
        assert Paper.objects.get(pk=paper.pk).current_version.number == 1  # type: ignore[union-attr]


def test_a_file_over_the_tenants_limit_is_refused(hanoi: World, papers_root: Path) -> None:
    with tenant_context(hanoi.tenant):
        do_set_paper_settings(tenant=hanoi.tenant, max_upload_mb=1, grace_days=7, acting_user=hanoi.secretary)
        with pytest.raises(Invalid) as refused:
            do_upload_paper(
                hanoi.meeting,
                upload=pdf_upload(big_pdf(MB + 1000)),
                title="Tờ trình",
                acting_user=hanoi.secretary,
            )
    assert refused.value.reason == "too_large"  # type: ignore[attr-defined]
    assert "1 MB" in str(refused.value.detail)
    assert counts() == (0, 0) and files_under(papers_root) == []


@pytest.mark.parametrize(("make", "extra", "reason", "words"), REFUSALS)
def test_the_page_shows_the_refusal_and_keeps_nothing(
    hanoi: World, papers_root: Path, make: Any, extra: dict[str, Any], reason: str, words: str
) -> None:
    client = hanoi.client(hanoi.secretary)
    form = {"file": make(), "title": "Tờ trình", "kind": "submission", "item": hanoi.items[0].pk}
    form |= {key: "on" for key, value in extra.items() if value}
    # with JavaScript: the upload script gets JSON
    response = client.post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]), form, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "paper_refused"
    assert words.lower() in response.json()["detail"].lower()
    # without: a redirect and a message
    form["file"] = make()
    response = client.post(reverse("documents:paper-upload", args=[hanoi.meeting.pk]), form, follow=True)
    assert response.status_code == 200
    assert any(words.lower() in str(m).lower() for m in response.context["messages"])
    assert counts() == (0, 0) and files_under(papers_root) == []


def test_the_api_refuses_with_a_4xx_and_keeps_nothing(hanoi: World, papers_root: Path) -> None:
    client = hanoi.client(hanoi.secretary)
    url = f"/api/v1/meetings/{hanoi.meeting.pk}/papers/"
    for make, extra, reason, words in [p.values for p in REFUSALS]:
        body = {"file": make(), "title": "Tờ trình", **{k: "true" for k, v in extra.items() if v}}
        response = client.post(url, body)
        assert response.status_code == 400, (reason, response.content)
        assert response.json()["error"] == "paper_refused"
        assert words.lower() in response.json()["detail"].lower()
    assert counts() == (0, 0) and files_under(papers_root) == []


# --- the body's size, before and while it is read ----------------------------------------


def test_a_body_longer_than_the_limit_is_refused_before_it_is_read(hanoi: World, papers_root: Path) -> None:
    with tenant_context(hanoi.tenant):
        do_set_paper_settings(tenant=hanoi.tenant, max_upload_mb=1, grace_days=7, acting_user=hanoi.secretary)
    client = hanoi.client(hanoi.secretary)
    data = big_pdf(2 * MB)
    for url, extra in [
        (reverse("documents:paper-upload", args=[hanoi.meeting.pk]), {"HTTP_ACCEPT": "application/json"}),
        (f"/api/v1/meetings/{hanoi.meeting.pk}/papers/", {}),
    ]:
        response = client.post(url, {"file": SimpleUploadedFile("a.pdf", data), "title": "Tờ trình"}, **extra)
        assert response.status_code == 413, response.content
        assert response.json()["error"] == "paper_refused"
        assert "1 MB" in response.json()["detail"]
    assert counts() == (0, 0) and files_under(papers_root) == []
    assert refused_reasons() == ["too_large", "too_large"]


def test_a_body_that_runs_past_the_limit_is_stopped_while_read(hanoi: World, papers_root: Path) -> None:
    # given: the file is over the limit, the whole body still within the slack for the form's fields
    with tenant_context(hanoi.tenant):
        do_set_paper_settings(tenant=hanoi.tenant, max_upload_mb=1, grace_days=7, acting_user=hanoi.secretary)
    data = big_pdf(MB + 50_000)
    assert MB < len(data) < MB + 200_000
    client = hanoi.client(hanoi.secretary)
    for url, extra in [
        (reverse("documents:paper-upload", args=[hanoi.meeting.pk]), {"HTTP_ACCEPT": "application/json"}),
        (f"/api/v1/meetings/{hanoi.meeting.pk}/papers/", {}),
    ]:
        response = client.post(url, {"file": SimpleUploadedFile("a.pdf", data), "title": "Tờ trình"}, **extra)
        assert response.status_code == 413, response.content
        assert "1 MB" in response.json()["detail"]
    assert counts() == (0, 0) and files_under(papers_root) == []


def test_the_size_limit_handler_stops_the_parser_at_the_limit() -> None:
    body = encode_multipart(
        BOUNDARY, {"title": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"1" * 5000)}
    )
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    def parse(limit: int) -> tuple[SizeLimitHandler, Any]:
        handler = SizeLimitHandler(limit_bytes=limit)
        meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
        _post, files = MultiPartParser(meta, io.BytesIO(body), [handler, MemoryFileUploadHandler()]).parse()
        return handler, files

    stopped, files = parse(4000)
    assert stopped.too_large and "file" not in files
    passed, files = parse(10_000)
    assert not passed.too_large and files["file"].size == 5005


def test_check_pdf_reports_page_count_and_digest_without_keeping_anything() -> None:
    data = make_pdf(5)
    checked = check_pdf(pdf_upload(data), limit_bytes=MB)
    assert checked.page_count == 5 and checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    # pages with different text have different digests
    assert len(set(checked.page_digests)) == 5
