import os
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ecabinet.actions import do_issue_signed_document
from ecabinet.errors import Invalid, NotFound, WrongState
from ecabinet.flushing import flushing
from ecabinet.models import AuditEvent, SignedDocument, Tenant
from ecabinet.signing import (
    SigningUnavailable,
    access_signed_document,
    make_self_signed_p12,
    register_signed_document_access,
    sign_pdf,
    verify_pdf,
)
from tests.clock import manage_py
from tests.conftest import World, is_postgres
from tests.ecabinet.pdf_helpers import pdf_text

ROOT = Path(__file__).resolve().parents[2]


def _tenant(name: str = "UBND thành phố Hà Nội", slug: str = "hanoi") -> Tenant:
    return Tenant(name=name, slug=slug, level=Tenant.Level.PROVINCE)


def _render(tenant: Tenant) -> bytes:
    from ecabinet.pdf import render_pdf

    return render_pdf(
        "pdf_test/sample.html", {"tenant": tenant, "title": "PHIẾU KẾT QUẢ", "paragraph": "Đồng ý: 12."}
    )


@pytest.fixture
def unsigned(pdf_templates) -> bytes:
    return _render(_tenant())


@pytest.fixture
def signed(signing_dir, unsigned) -> bytes:
    return sign_pdf(unsigned, tenant=_tenant(), reason="Kết quả biểu quyết", location="Hà Nội")


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


# --- certificates ------------------------------------------------------------------


def test_a_self_signed_certificate_names_the_tenant(signing_dir):
    path = make_self_signed_p12(_tenant())

    assert path == signing_dir / "hanoi.p12"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    _key, certificate, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), None)
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "UBND thành phố Hà Nội"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "UBND thành phố Hà Nội"
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
    assert certificate.public_key().key_size == 2048
    assert certificate.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment


def test_without_a_certificate_production_refuses_to_sign(signing_dir, settings, unsigned):
    settings.ECABINET_SIGNING_SELF_SIGNED = False

    with pytest.raises(SigningUnavailable, match="make_signing_cert"):
        sign_pdf(unsigned, tenant=_tenant(), reason="r", location="Hà Nội")
    assert not (signing_dir / "hanoi.p12").exists()


def test_one_shared_pkcs12_with_a_password_signs_for_every_tenant(signing_dir, settings, tmp_path, unsigned):
    settings.ECABINET_SIGNING_P12_PASSWORD = "mật-khẩu-p12"
    shared = make_self_signed_p12(_tenant("Văn phòng Chính phủ", "vpcp"), path=tmp_path / "shared.p12")
    settings.ECABINET_SIGNING_P12 = str(shared)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(shared.read_bytes(), None)  # it is encrypted

    data = sign_pdf(unsigned, tenant=_tenant("UBND thành phố Đà Nẵng", "danang"), reason="r", location="ĐN")

    result = verify_pdf(data)
    assert result.ok
    assert result.signer == "Văn phòng Chính phủ"
    assert not (signing_dir / "danang.p12").exists()


# --- sign and verify -----------------------------------------------------------------


def test_a_signed_pdf_verifies_with_signer_and_time(signed):
    result = verify_pdf(signed)

    assert result.ok
    assert (result.signed, result.intact, result.valid, result.trusted, result.covers_whole_file) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert result.signer == "UBND thành phố Hà Nội"
    assert result.signed_at is not None and result.signed_at.tzinfo is not None
    assert result.problem == ""
    assert "Đồng ý: 12." in pdf_text(signed)


def test_one_byte_changed_and_verification_fails(signed, unsigned):
    # a byte inside the signed content (the original document, before the signature's revision)
    altered = _flip(signed, len(unsigned) // 2)

    result = verify_pdf(altered)

    assert result.signed
    assert not result.intact
    assert not result.ok
    assert result.altered
    assert result.problem == "Tệp đã bị sửa đổi sau khi ký."


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9, 0.97])
def test_no_single_byte_change_anywhere_passes(signed, fraction):
    result = verify_pdf(_flip(signed, int(len(signed) * fraction)))
    assert not result.ok


def test_bytes_appended_after_signing_are_reported(signed):
    result = verify_pdf(signed + "\n1 0 obj\n(Tiền: 1.000.000 đồng)\nendobj\n".encode())

    assert not result.ok
    assert result.intact
    assert not result.covers_whole_file
    assert result.altered


def test_a_signature_from_a_certificate_we_do_not_know_is_not_trusted(
    signing_dir, settings, tmp_path, unsigned
):
    stranger = make_self_signed_p12(_tenant("UBND giả mạo", "fake"), path=tmp_path / "elsewhere" / "fake.p12")
    settings.ECABINET_SIGNING_P12 = str(stranger)
    data = sign_pdf(unsigned, tenant=_tenant(), reason="r", location="Hà Nội")
    settings.ECABINET_SIGNING_P12 = ""
    make_self_signed_p12(_tenant())  # the directory holds only Hà Nội's certificate

    result = verify_pdf(data)

    assert result.signed and result.intact
    assert not result.trusted
    assert not result.ok
    assert result.signer == "UBND giả mạo"


def test_a_pem_certificate_beside_the_tenants_is_trusted(signing_dir, settings, tmp_path, unsigned):
    from cryptography.hazmat.primitives.serialization import Encoding

    other = make_self_signed_p12(_tenant("UBND tỉnh Lào Cai", "laocai"), path=tmp_path / "laocai.p12")
    settings.ECABINET_SIGNING_P12 = str(other)
    data = sign_pdf(unsigned, tenant=_tenant(), reason="r", location="Lào Cai")
    settings.ECABINET_SIGNING_P12 = ""
    signing_dir.mkdir(parents=True, exist_ok=True)
    _key, certificate, _chain = pkcs12.load_key_and_certificates(other.read_bytes(), None)
    (signing_dir / "laocai.pem").write_bytes(certificate.public_bytes(Encoding.PEM))

    assert verify_pdf(data).ok


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "Tệp rỗng."),
        (b"just some text, not a document", "Đây không phải là tệp PDF."),
        (bytes(range(256)) * 40, "Đây không phải là tệp PDF."),
        (b"%PDF-1.7\n%garbage with no trailer\n", "Tệp bị hỏng: không đọc được như một tệp PDF."),
        (b"%PDF-1.7\n" + os.urandom(5000), "Tệp bị hỏng: không đọc được như một tệp PDF."),
    ],
)
def test_garbage_gets_a_clear_answer(signing_dir, data, problem):
    result = verify_pdf(data)

    assert not result.signed
    assert not result.ok
    assert result.problem == problem


def test_an_unsigned_pdf_is_said_to_be_unsigned(signing_dir, unsigned):
    result = verify_pdf(unsigned)

    assert (result.signed, result.ok) == (False, False)
    assert result.problem == "Tệp không có chữ ký số."


def test_a_truncated_signed_pdf_is_not_valid(signed):
    assert not verify_pdf(signed[: len(signed) - 200]).ok
    assert not verify_pdf(signed[: len(signed) // 2]).ok


# --- the store ----------------------------------------------------------------------


def _issue(world: World, **extra):  # type: ignore[no-untyped-def]
    return do_issue_signed_document(
        tenant=world.tenant,
        kind="test_result",
        title="Kết quả lấy ý kiến về dự thảo quy chế",
        template_name="pdf_test/sample.html",
        context={
            "paragraph": "Đồng ý: 5; không đồng ý: 1; ý kiến khác: 0.",
            "signer_authority": "TL. CHỦ TỊCH",
            "signer_position": "CHÁNH VĂN PHÒNG",
            "signer_name": world.secretary.full_name,
            "recipients": ["Các thành viên UBND"],
        },
        acting_user=world.secretary,
        symbol="KQLYK",
        reference="slip:1",
        **extra,
    )


def test_issuing_numbers_renders_signs_stores_and_audits(in_hanoi, signing_dir, pdf_templates):
    first = _issue(in_hanoi)
    second = _issue(in_hanoi)

    assert (first.number, second.number) == (1, 2)
    assert first.number_symbol == "01/KQLYK-UBND"
    assert second.number_symbol == "02/KQLYK-UBND"
    data = bytes(first.content)
    assert first.size == len(data)
    result = verify_pdf(data)
    assert result.ok
    assert result.sha256 == first.sha256
    assert first.signer_name == "UBND thành phố Hà Nội"
    assert (first.signer_position, first.signer_person) == ("CHÁNH VĂN PHÒNG", "Chánh Văn phòng Lê")
    text = pdf_text(data)
    assert "Số: 01/KQLYK-UBND" in text
    assert "Kết quả lấy ý kiến về dự thảo quy chế" in text
    assert "Chánh Văn phòng Lê" in text
    audit = AuditEvent.objects.filter(kind=AuditEvent.Kind.DOCUMENT_SIGNED).order_by("id")
    assert [a.detail["number"] for a in audit] == ["01/KQLYK-UBND", "02/KQLYK-UBND"]
    assert audit[0].user == in_hanoi.secretary
    assert audit[0].tenant == in_hanoi.tenant
    assert audit[0].detail["document"] == first.pk


def test_numbers_run_per_tenant(hanoi, danang, signing_dir, pdf_templates):
    from ecabinet.tenancy import tenant_context

    with tenant_context(hanoi.tenant):
        _issue(hanoi)
        _issue(hanoi)
    with tenant_context(danang.tenant):
        theirs = _issue(danang)
    assert theirs.number == 1
    assert verify_pdf(bytes(theirs.content)).signer == "UBND thành phố Đà Nẵng"


def test_issuing_without_a_certificate_is_refused_and_leaves_nothing(
    in_hanoi, signing_dir, settings, pdf_templates
):
    settings.ECABINET_SIGNING_SELF_SIGNED = False

    with pytest.raises(WrongState):
        _issue(in_hanoi)
    assert not SignedDocument.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOCUMENT_SIGNED).exists()


def test_issuing_checks_its_input(in_hanoi, signing_dir, pdf_templates):
    with pytest.raises(Invalid):
        do_issue_signed_document(
            tenant=in_hanoi.tenant,
            kind="",
            title="x",
            template_name="pdf_test/sample.html",
            context={},
            acting_user=None,
        )
    with pytest.raises(Invalid):
        do_issue_signed_document(
            tenant=in_hanoi.tenant,
            kind="k",
            title="  ",
            template_name="pdf_test/sample.html",
            context={},
            acting_user=None,
        )


def test_the_database_refuses_to_change_a_signed_document(in_hanoi, signing_dir, pdf_templates):
    document = _issue(in_hanoi)

    with pytest.raises(DatabaseError), transaction.atomic():
        SignedDocument.objects.filter(pk=document.pk).update(title="Đã sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        SignedDocument.objects.filter(pk=document.pk).update(content=b"%PDF-1.7 forged")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ecabinet_signeddocument SET sha256 = 'x' WHERE id = %s", [document.pk])
    document.refresh_from_db()
    assert document.title == "Kết quả lấy ý kiến về dự thảo quy chế"
    assert verify_pdf(bytes(document.content)).ok


def test_the_database_refuses_to_delete_a_signed_document(in_hanoi, signing_dir, pdf_templates):
    document = _issue(in_hanoi)

    with pytest.raises(DatabaseError), transaction.atomic():
        SignedDocument.objects.filter(pk=document.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ecabinet_signeddocument")
    assert SignedDocument.objects.filter(pk=document.pk).exists()


def test_only_a_flush_may_empty_the_store_on_sqlite(in_hanoi, signing_dir, pdf_templates):
    if is_postgres():
        pytest.skip("PostgreSQL refuses every DELETE; its flush uses TRUNCATE")
    _issue(in_hanoi)

    with flushing():
        SignedDocument.objects.all().delete()

    assert not SignedDocument.objects.exists()


# --- who may read a document -------------------------------------------------------------


def test_reading_a_document_asks_the_owning_apps_check(hanoi, danang, signing_dir, pdf_templates):
    from ecabinet.tenancy import tenant_context

    with tenant_context(hanoi.tenant):
        document = _issue(hanoi)
        # without a registered check: the secretariat only
        assert access_signed_document(hanoi.secretary, document.pk) == document
        with pytest.raises(NotFound):
            access_signed_document(hanoi.member, document.pk)
        register_signed_document_access("test_result", lambda user, doc: user.pk == hanoi.member.pk)
        try:
            assert access_signed_document(hanoi.member, document.pk) == document
            with pytest.raises(NotFound):
                access_signed_document(hanoi.secretary, document.pk)
            with pytest.raises(NotFound):
                access_signed_document(hanoi.member, document.pk + 1000)
        finally:
            from ecabinet import signing

            signing._ACCESS_CHECKS.pop("test_result", None)
    with tenant_context(danang.tenant), pytest.raises(NotFound):
        access_signed_document(danang.secretary, document.pk)


# --- commands ------------------------------------------------------------------------------


def test_make_signing_cert_for_one_tenant_and_for_all(hanoi, danang, signing_dir, capsys):
    call_command("make_signing_cert", "--tenant", "hanoi")
    assert (signing_dir / "hanoi.p12").exists()
    assert not (signing_dir / "danang.p12").exists()
    first = (signing_dir / "hanoi.p12").read_bytes()

    call_command("make_signing_cert", "--all")
    assert (signing_dir / "danang.p12").exists()
    assert (signing_dir / "hanoi.p12").read_bytes() == first  # kept
    call_command("make_signing_cert", "--tenant", "hanoi", "--force")
    assert (signing_dir / "hanoi.p12").read_bytes() != first
    out = capsys.readouterr().out
    assert "Đã tạo chứng thư số tự ký cho UBND thành phố Đà Nẵng" in out
    assert "Giữ nguyên chứng thư số của UBND thành phố Hà Nội" in out


def test_make_signing_cert_refuses_an_unknown_tenant_and_a_shared_certificate(db, signing_dir, settings):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("make_signing_cert", "--tenant", "nowhere")
    settings.ECABINET_SIGNING_P12 = str(signing_dir / "shared.p12")
    with pytest.raises(CommandError, match="ECABINET_SIGNING_P12"):
        call_command("make_signing_cert", "--all")


def test_verify_pdf_command_prints_signer_time_and_state(signed, tmp_path, capsys):
    good = tmp_path / "ket-qua.pdf"
    good.write_bytes(signed)
    call_command("verify_pdf", str(good))
    out = capsys.readouterr().out
    assert "Người ký: UBND thành phố Hà Nội" in out
    assert "Nội dung: nguyên vẹn" in out
    assert "Hợp lệ" in out

    bad = tmp_path / "da-sua.pdf"
    bad.write_bytes(_flip(signed, len(signed) // 3))
    with pytest.raises(CommandError) as refused:
        call_command("verify_pdf", str(bad))
    assert refused.value.returncode == 1
    assert "ĐÃ BỊ SỬA ĐỔI" in capsys.readouterr().out

    with pytest.raises(CommandError):
        call_command("verify_pdf", str(tmp_path / "missing.pdf"))


def test_verify_pdf_command_exit_codes(signed, signing_dir, tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_flip(signed, len(signed) // 3))
    env = {**os.environ, "ECABINET_SIGNING_DIR": str(signing_dir), "ECABINET_SIGNING_P12": ""}

    def run(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            manage_py("verify_pdf", str(path)),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    ok = run(good)
    assert ok.returncode == 0, ok.stderr
    assert "Người ký: UBND thành phố Hà Nội" in ok.stdout
    refused = run(bad)
    assert refused.returncode == 1, refused.stderr
    assert "ĐÃ BỊ SỬA ĐỔI" in refused.stdout


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_issues_a_document_can_still_be_flushed(hanoi, signing_dir, pdf_templates):
    # The flush after this test empties the store (TRUNCATE on PostgreSQL,
    # DELETE allowed by manage.py flush on SQLite); if it could not, this test
    # would error at teardown and every later test would find rows left over.
    from ecabinet.tenancy import tenant_context

    with tenant_context(hanoi.tenant):
        _issue(hanoi)
        assert SignedDocument.objects.count() == 1
    with pytest.raises(DatabaseError), transaction.atomic():
        SignedDocument.all_tenants.all().delete()


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_store_is_empty():
    assert not SignedDocument.all_tenants.exists()


def test_a_replaced_certificate_still_verifies_what_it_signed(hanoi, signing_dir, pdf_templates):
    from ecabinet.tenancy import tenant_context

    with tenant_context(hanoi.tenant):
        before = _issue(hanoi)
        call_command("make_signing_cert", "--tenant", "hanoi", "--force")
        after = _issue(hanoi)

    assert verify_pdf(bytes(after.content)).ok
    assert verify_pdf(bytes(before.content)).ok
    retired = list(signing_dir.glob("hanoi-retired-*.pem"))
    assert len(retired) == 1
    assert b"PRIVATE KEY" not in retired[0].read_bytes()
    # without the retired certificate the old document is no longer trusted
    retired[0].unlink()
    assert not verify_pdf(bytes(before.content)).trusted


def test_a_byte_changed_inside_the_signature_itself_is_caught(signed):
    # /ByteRange [0 a b c]: the signature's hex string lies between a and b,
    # the one part of the file its digest does not cover.
    import re

    found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]", signed)
    assert found is not None
    start, end = int(found.group(1)), int(found.group(2))
    assert signed[start : start + 1] == b"<" and signed[end - 1 : end] == b">"
    hex_digits = end - start - 2
    for fraction in [0.0, 0.05, 0.3, 0.6, 0.8, 0.95, 0.999]:
        at = start + 1 + int(hex_digits * fraction)
        result = verify_pdf(_flip(signed, at))
        assert not result.ok, fraction
        assert result.problem, fraction
