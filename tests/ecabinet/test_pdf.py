import unicodedata
from datetime import UTC, date, datetime

import pytest

from ecabinet.models import Tenant
from ecabinet.pdf import (
    STATIC_DIR,
    ResourceRefused,
    StaticOnlyFetcher,
    place_of,
    render_pdf,
    static_base_url,
    vietnamese_date,
)
from tests.ecabinet.pdf_helpers import pdf_fonts, pdf_text

HANOI = Tenant(name="UBND thành phố Hà Nội", slug="hanoi", level=Tenant.Level.PROVINCE)
GOVERNMENT = Tenant(name="Chính phủ", slug="chinhphu", level=Tenant.Level.GOVERNMENT)
PARAGRAPH = "Các thành viên đã biểu quyết về Tờ trình kế hoạch đầu tư công; Quyết định được thông qua."


def sample(**context):  # type: ignore[no-untyped-def]
    base = {
        "tenant": HANOI,
        "title": "PHIẾU KẾT QUẢ BIỂU QUYẾT",
        "subtitle": "Về kế hoạch đầu tư công năm 2027",
        "number_symbol": "07/KQBQ-UBND",
        "issued_at": datetime(2026, 11, 27, 7, 5, tzinfo=UTC),
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Minh",
        "recipients": ["Các thành viên UBND thành phố"],
        "paragraph": PARAGRAPH,
    }
    base.update(context)
    return render_pdf("pdf_test/sample.html", base)


def test_vietnamese_text_extracts_from_the_rendered_pdf_in_the_administrative_layout(pdf_templates):
    # given / when
    data = sample()

    # then
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for line in [
        "UBND THÀNH PHỐ HÀ NỘI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 07/KQBQ-UBND",
        "Hà Nội, ngày 27 tháng 11 năm 2026",
        "PHIẾU KẾT QUẢ BIỂU QUYẾT",
        "Về kế hoạch đầu tư công năm 2027",
        "Nơi nhận:",
        "Các thành viên UBND thành phố",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Minh",
    ]:
        assert line in text, line
    assert "Quyết định được thông qua" in text.replace("\n", " ")


def test_the_shipped_noto_fonts_are_embedded(pdf_templates):
    fonts = pdf_fonts(sample())
    assert {"eCabinet-Serif", "eCabinet-Serif-Bold"} <= fonts


def test_text_typed_with_combining_marks_is_normalised_to_nfc(pdf_templates):
    decomposed = unicodedata.normalize("NFD", "Ý kiến khác: đề nghị bổ sung")
    assert decomposed != unicodedata.normalize("NFC", decomposed)

    text = pdf_text(sample(paragraph=decomposed))

    assert "Ý kiến khác: đề nghị bổ sung" in text


def test_the_fetcher_serves_static_files_only():
    fetcher = StaticOnlyFetcher()
    font = fetcher.fetch(static_base_url() + "fonts/NotoSerif-Regular.ttf")
    assert font.read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")

    for url in [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://127.0.0.1/x.css",
        "ftp://example.com/x",
        "data:text/plain,hello",
        static_base_url() + "../manage.py",
        static_base_url() + "fonts/not-there.ttf",
        "file://evil.example/" + str(STATIC_DIR / "fonts/NotoSerif-Regular.ttf"),
    ]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_a_document_asking_for_other_files_renders_without_them(pdf_templates, caplog):
    data = sample(hostile=True)

    text = pdf_text(data)
    assert "root:" not in text
    assert b"root:x:0:0" not in data
    refused = [r.getMessage() for r in caplog.records if "ResourceRefused" in r.getMessage()]
    assert any("/etc/passwd" in message for message in refused)
    assert any("http://127.0.0.1:9/x.png" in message for message in refused)


def test_place_and_date_follow_the_decree():
    assert place_of(HANOI) == "Hà Nội"
    assert place_of(Tenant(name="UBND thành phố Đà Nẵng", level="province")) == "Đà Nẵng"
    assert place_of(Tenant(name="Ủy ban nhân dân tỉnh Lào Cai", level="province")) == "Lào Cai"
    assert place_of(GOVERNMENT) == "Hà Nội"
    assert vietnamese_date(date(2026, 11, 27)) == "ngày 27 tháng 11 năm 2026"
    assert vietnamese_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert vietnamese_date(date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    # 23:30 UTC is already the next day in Hà Nội
    assert vietnamese_date(datetime(2026, 11, 27, 23, 30, tzinfo=UTC)) == "ngày 28 tháng 11 năm 2026"


def test_the_government_issues_in_its_own_name(pdf_templates):
    text = pdf_text(sample(tenant=GOVERNMENT, number_symbol="03/KQ-CP"))
    assert "CHÍNH PHỦ" in text
    assert "Hà Nội, ngày 27 tháng 11 năm 2026" in text
