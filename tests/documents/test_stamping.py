"""Stamped copies: the reader on every page, in Vietnamese, made once and kept."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pikepdf
import pypdf
import pytest
from django.db import connection

from documents import stamping
from documents.models import StampedCopy
from documents.stamping import normalise_trace_code, stamp_line, stamped_copy
from ecabinet.models import User
from ecabinet.tenancy import tenant_context
from tests.conftest import requires_postgres
from tests.documents.conftest import files_under, make_pdf, pdf_upload

pytestmark = pytest.mark.django_db

TRACE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def copy_bytes(copy: StampedCopy) -> bytes:
    with copy.file.open("rb") as handle:
        return handle.read()


def test_every_page_names_the_reader_and_the_trace_code(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given a 12-page paper and a member whose unit is on record
    User.objects.filter(pk=hanoi.member.pk).update(unit="Sở Kế hoạch và Đầu tư")
    hanoi.member.refresh_from_db()
    paper = upload_paper(hanoi, pages=12)
    # when the member's copy is made
    with tenant_context(hanoi.tenant):
        copy, made_now = stamped_copy(paper.current_version, hanoi.member)
    # then every page says, in Vietnamese, whose copy it is
    assert made_now
    assert TRACE.match(copy.trace_code)
    texts = page_texts(copy_bytes(copy))
    assert len(texts) == 12
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert "Giám đốc Phạm" in flat, (number, flat)
        assert "Sở Kế hoạch và Đầu tư" in flat, (number, flat)
        assert copy.trace_code in flat, (number, flat)
        assert "mã truy vết" in flat.lower(), (number, flat)
        # the page's own text is still there, under the stamp
        assert f"Nội dung trang {number}" in flat
    assert copy.stamp_text in " ".join(texts[0].split())


def test_the_stamp_font_is_embedded(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=2)
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
    with pikepdf.open(io.BytesIO(copy_bytes(copy))) as pdf:
        fonts = [
            font
            for page in pdf.pages
            for font in page.Resources.get("/XObject", {}).values()
            for font in [*_fonts_of(font)]
        ]
        # then the stamp's Noto Sans travels inside the file, with its Unicode map
        stamp_fonts = [f for f in fonts if "NotoSans" in str(f.get("/BaseFont", ""))]
        assert len(stamp_fonts) >= 2  # Vietnamese needs more than one 256-glyph subset
        for font in stamp_fonts:
            assert "/FontFile2" in font.FontDescriptor
            assert "/ToUnicode" in font


def _fonts_of(xobject):  # type: ignore[no-untyped-def]
    resources = xobject.get("/Resources")
    if resources is None:
        return []
    fonts = list(resources.get("/Font", {}).values())
    for inner in resources.get("/XObject", {}).values():
        fonts.extend(_fonts_of(inner))
    return fonts


def test_the_stamp_line_is_vietnamese_whatever_the_language(hanoi) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from django.utils import translation

    with translation.override("en"):
        line = stamp_line(hanoi.member, datetime(2026, 11, 27, 7, 5, tzinfo=UTC), "K7Q3-9XPD")
    assert line.startswith("Bản cấp cho Giám đốc Phạm")
    assert "27/11/2026 14:05" in line  # Hà Nội time
    assert "K7Q3-9XPD" in line


def test_second_open_is_the_same_copy_not_a_second_stamp(
    hanoi, upload_paper, monkeypatch, papers_root
) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=4)
    stamps: list[str] = []
    real = stamping.stamp_pdf

    def counting(source, line, watermark):  # type: ignore[no-untyped-def]
        stamps.append(line)
        return real(source, line, watermark)

    monkeypatch.setattr(stamping, "stamp_pdf", counting)
    with tenant_context(hanoi.tenant):
        first, first_made = stamped_copy(paper.current_version, hanoi.member)
        second, second_made = stamped_copy(paper.current_version, hanoi.member)
        assert StampedCopy.objects.filter(version=paper.current_version, reader=hanoi.member).count() == 1
    assert (first_made, second_made) == (True, False)
    assert len(stamps) == 1
    assert second.pk == first.pk and second.file.name == first.file.name
    assert copy_bytes(second) == copy_bytes(first)
    assert len([p for p in files_under(papers_root) if "/stamped/" in str(p)]) == 1


def test_each_reader_gets_a_copy_of_their_own(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=2)
    with tenant_context(hanoi.tenant):
        mine, _ = stamped_copy(paper.current_version, hanoi.member)
        chairs, _ = stamped_copy(paper.current_version, hanoi.chair)
    assert mine.trace_code != chairs.trace_code
    assert "Chủ tịch Nguyễn" in " ".join(page_texts(copy_bytes(chairs))[1].split())
    assert "Giám đốc Phạm" not in " ".join(page_texts(copy_bytes(chairs))[1].split())


def test_a_copy_whose_file_was_lost_is_made_again_with_its_code(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=2)
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
        Path(copy.file.path).unlink()
        again, made_now = stamped_copy(paper.current_version, hanoi.member)
    assert made_now and again.pk == copy.pk and again.trace_code == copy.trace_code
    assert copy.trace_code in page_texts(copy_bytes(again))[0]


def test_a_race_of_two_makes_one_row_and_one_file(hanoi, upload_paper, monkeypatch, papers_root) -> None:  # type: ignore[no-untyped-def]
    # given another request that stamps the same copy while this one is stamping
    paper = upload_paper(hanoi, pages=2)
    version = paper.current_version
    real = stamping.stamp_pdf
    others: list[StampedCopy] = []
    calls: list[str] = []

    def racing(source, line, watermark):  # type: ignore[no-untyped-def]
        calls.append(line)
        data = real(source, line, watermark)
        if len(calls) == 1:
            others.append(stamped_copy(version, hanoi.member)[0])  # the other request wins
        return data

    monkeypatch.setattr(stamping, "stamp_pdf", racing)
    with tenant_context(hanoi.tenant):
        copy, made_now = stamped_copy(version, hanoi.member)
        rows = StampedCopy.objects.filter(version=version, reader=hanoi.member).count()
    # then both answer with the one row that was kept, and the loser's file is gone
    assert rows == 1
    assert len(calls) == 2
    assert not made_now and copy.pk == others[0].pk
    stamped_files = [p for p in files_under(papers_root) if "/stamped/" in str(p)]
    assert [p.name for p in stamped_files] == [f"{copy.trace_code}.pdf"]


def test_a_trace_code_drawn_twice_is_drawn_again(hanoi, upload_paper, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=1)
    with tenant_context(hanoi.tenant):
        taken, _ = stamped_copy(paper.current_version, hanoi.chair)
        codes = iter([taken.trace_code, "AAAA-BBBB"])
        monkeypatch.setattr(stamping, "new_trace_code", lambda: next(codes))
        copy, made_now = stamped_copy(paper.current_version, hanoi.member)
    assert made_now and copy.trace_code == "AAAA-BBBB"
    assert "AAAA-BBBB" in page_texts(copy_bytes(copy))[0]


def test_pages_of_different_sizes_are_each_stamped(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A3, A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for size in (A4, landscape(A4), A3):
        drawing.setPageSize(size)
        drawing.drawString(72, 72, "page")
        drawing.showPage()
    drawing.save()
    paper = upload_paper(hanoi, upload=pdf_upload(buffer.getvalue()))
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
    data = copy_bytes(copy)
    texts = page_texts(data)
    assert all(copy.trace_code in text for text in texts)
    sizes = [
        tuple(round(float(v)) for v in page.mediabox[2:]) for page in pypdf.PdfReader(io.BytesIO(data)).pages
    ]
    assert sizes == [(595, 842), (842, 595), (842, 1191)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("k7q3 9xpd", "K7Q3-9XPD"),
        ("K7Q3-9XPD", "K7Q3-9XPD"),
        (" k7q3.9xpd ", "K7Q3-9XPD"),
        ("O1IL-ABCD", "0111-ABCD"),
    ],
)
def test_trace_codes_as_people_type_them(typed: str, stored: str) -> None:
    assert normalise_trace_code(typed) == stored


def test_the_original_is_untouched(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    source = make_pdf(3)
    paper = upload_paper(hanoi, upload=pdf_upload(source))
    with tenant_context(hanoi.tenant):
        stamped_copy(paper.current_version, hanoi.member)
        with paper.current_version.file.open("rb") as handle:
            assert handle.read() == source


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_copy(hanoi, upload_paper, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # given two threads that both find no copy and stamp at the same time
    paper = upload_paper(hanoi, pages=3)
    version = paper.current_version
    real = stamping.stamp_pdf
    barrier = threading.Barrier(2, timeout=20)

    def together(source, line, watermark):  # type: ignore[no-untyped-def]
        data = real(source, line, watermark)
        barrier.wait()
        return data

    monkeypatch.setattr(stamping, "stamp_pdf", together)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def open_copy() -> None:
        try:
            with tenant_context(hanoi.tenant):
                copy, made_now = stamped_copy(version, hanoi.member)
                results.append((copy.pk, made_now))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    # then one row, both answered with it, one of them made it
    assert len({pk for pk, _ in results}) == 1
    assert sorted(made for _, made in results) == [False, True]
    with tenant_context(hanoi.tenant):
        assert StampedCopy.objects.filter(version=version, reader=hanoi.member).count() == 1


def test_storage_without_local_paths_is_stamped_from_a_local_copy(hanoi, upload_paper, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db.models.fields.files import FieldFile

    paper = upload_paper(hanoi, pages=2)

    def no_path(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError("This backend doesn't support absolute paths.")

    # as on object storage: files open and save, but have no path on this machine
    monkeypatch.setattr(FieldFile, "path", property(no_path))
    with tenant_context(hanoi.tenant):
        copy, made_now = stamped_copy(paper.current_version, hanoi.member)
    assert made_now
    assert all(copy.trace_code in text for text in page_texts(copy_bytes(copy)))


def test_the_stamp_is_in_the_file_once_not_once_per_page(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=20)
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
    with pikepdf.open(io.BytesIO(copy_bytes(copy))) as pdf:
        forms = {
            xobject.objgen
            for page in pdf.pages
            for xobject in page.Resources.get("/XObject", {}).values()
            if xobject.get("/Subtype") == "/Form"
        }
    assert len(forms) == 1


def _apply(matrix, x: float, y: float) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    a, b, c, d, e, f = (float(v) for v in matrix)
    return a * x + c * y + e, b * x + d * y + f


def _as_shown(page, x: float, y: float) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """A point of the page as a reader sees it (from the bottom left), with the shown width and height.

    PDF 32000 §7.7.3.3: /Rotate turns the page clockwise when it is shown.
    """
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    node, rotate = page.obj, 0
    while node is not None:  # /Rotate may come from the page tree
        if "/Rotate" in node:
            rotate = int(node.Rotate) % 360
            break
        node = node.get("/Parent")
    w, h = x1 - x0, y1 - y0
    return {
        0: (x - x0, y - y0, w, h),
        90: (y - y0, x1 - x, h, w),
        180: (x1 - x, y1 - y, w, h),
        270: (y1 - y, x - x0, h, w),
    }[rotate]


def foot_lines(data: bytes) -> list[tuple[float, float, float, float, float, float]]:
    """Per page: where the stamp's foot line starts and where it heads, as the page is shown."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            operations = pikepdf.parse_content_stream(page)
            draws = [
                (operations[i - 1][0], operands[0])
                for i, (operands, operator) in enumerate(operations)
                if str(operator) == "Do" and str(operations[i - 1][1]) == "cm"
            ]
            placed, name = draws[-1]  # the stamp is drawn last, over everything
            form = page.Resources.XObject[name]
            form_matrix = form.get("/Matrix", [1, 0, 0, 1, 0, 0])
            tm = next(ops for ops, op in pikepdf.parse_content_stream(form) if str(op) == "Tm")
            start = _as_shown(page, *_apply(placed, *_apply(form_matrix, float(tm[4]), float(tm[5]))))
            ahead = _as_shown(page, *_apply(placed, *_apply(form_matrix, float(tm[4]) + 100, float(tm[5]))))
            u, v, width, height = start
            found.append((u, v, ahead[0] - u, ahead[1] - v, width, height))
    return found


def test_the_stamp_sits_level_at_the_foot_of_turned_and_cropped_pages(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    from reportlab.pdfgen import canvas

    # given a paper with a cropped page, pages turned 90° and 180°, and one turned 270° by its page tree
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(595, 842))
    for number in range(4):
        drawing.drawString(72, 760, f"trang {number + 1}")
        drawing.showPage()
    drawing.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        pdf.pages[0].obj.CropBox = pikepdf.Array([50, 100, 545, 800])
        pdf.pages[1].obj.Rotate = 90
        pdf.pages[2].obj.Rotate = 180
        if "/Rotate" in pdf.pages[3].obj:
            del pdf.pages[3].obj["/Rotate"]
        pdf.Root.Pages.Rotate = 270
        source = io.BytesIO()
        pdf.save(source)
    paper = upload_paper(hanoi, upload=pdf_upload(source.getvalue()))
    # when it is stamped
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
    data = copy_bytes(copy)
    # then on every page, as it is shown, the foot line is at the bottom, inside the page, level
    shown_sizes = []
    for u, v, du, dv, width, height in foot_lines(data):
        shown_sizes.append((round(width), round(height)))
        assert 4 < v < 20, (u, v)
        assert 0 < u < width / 2
        assert du == pytest.approx(100, abs=0.01) and dv == pytest.approx(0, abs=0.01)
    assert shown_sizes == [(495, 700), (842, 595), (595, 842), (842, 595)]
    assert all(copy.trace_code in text for text in page_texts(data))


def test_pages_sharing_their_resources_hold_the_stamp_once(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given a paper whose pages share one resources dictionary, as many writers make them
    with pikepdf.open(io.BytesIO(make_pdf(6))) as pdf:
        shared = pdf.make_indirect(pikepdf.Dictionary(pdf.pages[0].obj.Resources))
        for page in pdf.pages:
            fonts = page.obj.Resources.get("/Font", {})
            for key, font in fonts.items():
                shared.Font[key] = font
            page.obj.Resources = shared
        source = io.BytesIO()
        pdf.save(source)
    paper = upload_paper(hanoi, upload=pdf_upload(source.getvalue()))
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
    data = copy_bytes(copy)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        xobjects = pdf.pages[0].obj.Resources.XObject
        assert list(xobjects.keys()) == ["/EcabinetStamp"]
        assert len({page.obj.Resources.objgen for page in pdf.pages}) == 1
    texts = page_texts(data)
    assert all(copy.trace_code in text for text in texts)
    assert all(f"Nội dung trang {n}" in " ".join(t.split()) for n, t in enumerate(texts, start=1))
