"""The verification page and the download of a signed document."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecabinet import signing
from ecabinet.actions import do_issue_signed_document
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from tests.conftest import World


def _issue(world: World):  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        return do_issue_signed_document(
            tenant=world.tenant,
            kind="test_result",
            title="Kết quả biểu quyết về quy chế làm việc",
            template_name="pdf_test/sample.html",
            context={"paragraph": "Đồng ý: 4.", "signer_position": "CHỦ TỊCH", "signer_name": "Nguyễn"},
            acting_user=world.secretary,
            symbol="KQBQ",
        )


@pytest.fixture
def document(hanoi, signing_dir, pdf_templates):  # type: ignore[no-untyped-def]
    return _issue(hanoi)


def _main(body: bytes) -> bytes:
    """The page's own content, without the header (whose forms carry the path and a token)."""
    found = re.search(rb"<main.*</main>", body, re.S)
    assert found is not None
    return found.group(0)


def _upload(world: World, user, data: bytes, name: str = "ket-qua.pdf"):  # type: ignore[no-untyped-def]
    return world.client(user).post(
        "/verify/", {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}
    )


def test_the_page_asks_for_a_file(hanoi):
    response = hanoi.client(hanoi.member).get("/verify/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Kiểm tra văn bản ký số" in body
    assert 'type="file"' in body
    assert 'enctype="multipart/form-data"' in body


def test_a_genuine_document_is_reported_with_signer_time_and_its_number(hanoi, document):
    response = _upload(hanoi, hanoi.member, bytes(document.content))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Hợp lệ: tệp đúng nguyên như khi được ký." in body
    assert "UBND thành phố Hà Nội" in body
    assert document.signed_at.astimezone().strftime("%Y") in body
    assert "01/KQBQ-UBND" in body
    assert "Kết quả biểu quyết về quy chế làm việc" in body
    # the member may not open the kept copy (no check registered: secretariat only)
    assert f"/signed/{document.pk}/" not in body
    secretary_view = _upload(hanoi, hanoi.secretary, bytes(document.content)).content.decode()
    assert f"/signed/{document.pk}/" in secretary_view


def test_an_altered_document_is_reported_as_altered(hanoi, document):
    altered = bytearray(bytes(document.content))
    altered[len(altered) // 4] ^= 0x01

    response = _upload(hanoi, hanoi.member, bytes(altered))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Đã bị sửa đổi: tệp đã bị thay đổi sau khi ký." in body
    assert "Hợp lệ:" not in body
    assert "01/KQBQ-UBND" not in body


def test_garbage_gets_a_readable_answer(hanoi, signing_dir):
    response = _upload(hanoi, hanoi.member, b"\x00\x01 not a pdf at all", name="anh.png")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Không xác nhận được tệp này là văn bản đã ký số." in body
    assert "Đây không phải là tệp PDF." in body


def test_an_unsigned_pdf_is_said_to_be_unsigned(hanoi, signing_dir, pdf_templates):
    from ecabinet.pdf import render_pdf

    data = render_pdf("pdf_test/sample.html", {"tenant": hanoi.tenant, "paragraph": "x"})
    body = _upload(hanoi, hanoi.member, data).content.decode()

    assert "Tệp không có chữ ký số." in body


def test_a_file_too_big_is_refused_before_it_is_read(hanoi, settings, signing_dir):
    settings.ECABINET_VERIFY_MAX_BYTES = 1024

    response = _upload(hanoi, hanoi.member, b"%PDF-1.7\n" + b"0" * 2048)

    assert response.status_code == 413
    assert "không kiểm tra được tại đây" in response.content.decode()


def test_no_file_is_a_clear_400(hanoi):
    response = hanoi.client(hanoi.member).post("/verify/", {})

    assert response.status_code == 400
    assert "Hãy chọn một tệp PDF để kiểm tra." in response.content.decode()


def test_a_user_of_another_tenant_or_nobody_is_sent_to_log_in(hanoi, danang, document):
    for client in [hanoi.client(), hanoi.client(danang.member)]:
        page = client.get("/verify/")
        upload = client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", bytes(document.content))})
        for response in (page, upload):
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")


def test_other_methods_are_refused(hanoi):
    assert hanoi.client(hanoi.member).put("/verify/").status_code == 405


# --- the download ----------------------------------------------------------------


def test_the_download_is_inline_private_and_the_very_bytes(hanoi, document):
    response = hanoi.client(hanoi.secretary).get(f"/signed/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="01-KQBQ-UBND-{document.year}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == bytes(document.content)
    assert signing.verify_pdf(response.content).ok


def test_the_download_follows_the_owning_apps_check(hanoi, danang, document):
    member = hanoi.client(hanoi.member)
    refused = member.get(f"/signed/{document.pk}/")
    missing = member.get(f"/signed/{document.pk + 999}/")
    assert refused.status_code == missing.status_code == 404
    assert _main(refused.content) == _main(missing.content)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PERMISSION_REFUSED, user=hanoi.member, detail__signed_document_id=document.pk
    ).exists()

    signing.register_signed_document_access("test_result", lambda user, doc: user.pk == hanoi.member.pk)
    try:
        assert member.get(f"/signed/{document.pk}/").status_code == 200
        assert hanoi.client(hanoi.secretary).get(f"/signed/{document.pk}/").status_code == 404
        assert member.get(f"/signed/{document.pk + 999}/").status_code == 404
    finally:
        signing._ACCESS_CHECKS.pop("test_result", None)


def test_another_tenant_never_sees_the_document(hanoi, danang, document):
    signing.register_signed_document_access("test_result", lambda user, doc: True)
    try:
        # their own host: not found (scoped to their tenant)
        assert danang.client(danang.secretary).get(f"/signed/{document.pk}/").status_code == 404
        # our host with their account: a stranger, sent to log in
        response = hanoi.client(danang.secretary).get(f"/signed/{document.pk}/")
        assert response.status_code == 302
        # and nobody
        assert hanoi.client().get(f"/signed/{document.pk}/").status_code == 302
    finally:
        signing._ACCESS_CHECKS.pop("test_result", None)


def test_a_broken_upload_is_a_400_never_a_500(hanoi):
    client = hanoi.client(hanoi.member)

    broken = client.post(
        "/verify/",
        data=b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n',
        content_type="multipart/form-data; boundary=xyz",
    )
    json_body = client.post("/verify/", data=b'{"file": "JVBERi0xLjc="}', content_type="application/json")

    assert broken.status_code == 400
    assert json_body.status_code == 400


def test_the_home_page_leads_to_the_verification_page(hanoi):
    html = hanoi.client(hanoi.member).get("/").content.decode()
    assert 'href="/verify/"' in html
