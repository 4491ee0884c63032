"""Real PDF papers for the demo, set in Vietnamese from the Government's own text.

Each demo paper is an A4 document of exactly the pages the agenda says: the
issuing body and the national motto, number and date, the paper's title, then
the body, taken in turn from Resolution 17/NQ-CP (``../shared/reference`` or
the copy in ``demo/text.txt``), with a page number at the foot. The
text is only there to be read and stamped; the demo's figures are invented.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import pikepdf
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
TEXT = Path(__file__).resolve().parent / "text.txt"
SERIF, SERIF_BOLD = "DemoSerif", "DemoSerifBold"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 85, 57, 57, 57  # points: 30/20/20/20 mm
BODY_SIZE, LEADING = 13, 18
BODY_PAGES = 12

KIND_HEADING = {
    "submission": "TỜ TRÌNH",
    "draft": "DỰ THẢO",
    "report": "BÁO CÁO",
    "other": "PHỤ LỤC",
}
KIND_SYMBOL = {"submission": "TTr", "draft": "DT", "report": "BC", "other": "PL"}


@cache
def _fonts() -> tuple[str, str]:
    pdfmetrics.registerFont(TTFont(SERIF, str(FONTS / "NotoSerif-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(SERIF_BOLD, str(FONTS / "NotoSerif-Bold.ttf")))
    return SERIF, SERIF_BOLD


@cache
def _paragraphs() -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", TEXT.read_text(encoding="utf-8"))
    paragraphs = []
    for block in text.split("\n"):
        block = block.strip().replace("**", "")
        if len(block) > 60:  # the body, not the headings of the resolution
            paragraphs.append(block)
    return tuple(paragraphs)


@cache
def _lines(index: int, width: float) -> tuple[str, ...]:
    """A paragraph of the body broken into lines (the same for every paper)."""
    regular, _bold = _fonts()
    return tuple(simpleSplit(_paragraphs()[index], regular, BODY_SIZE, width))


def _centred(drawing: canvas.Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    drawing.setFont(font, size)
    drawing.drawCentredString(x, y, text)


def _body(drawing: canvas.Canvas, y: float, cursor: int, text_width: float) -> int:
    """Fill the page from ``y`` down with paragraphs from ``cursor``; the next cursor."""
    regular, _bold = _fonts()
    paragraphs = _paragraphs()
    drawing.setFont(regular, BODY_SIZE)
    while True:
        lines = _lines(cursor, text_width - 28)
        if y - LEADING * min(len(lines), 3) < MARGIN_BOTTOM + 20:
            return cursor
        for n, line in enumerate(lines):
            if y < MARGIN_BOTTOM + 20:
                break
            drawing.drawString(MARGIN_LEFT + (28 if n == 0 else 0), y, line)
            y -= LEADING
        y -= 6
        cursor = (cursor + 1) % len(paragraphs)


@cache
def _body_pages() -> bytes:
    """Pages of body text, drawn once and shared by every demo paper."""
    width, height = A4
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    cursor = 0
    for _page in range(BODY_PAGES):
        cursor = _body(drawing, height - MARGIN_TOP, cursor, width - MARGIN_LEFT - MARGIN_RIGHT)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def paper_pdf(*, title: str, kind: str, unit: str, issuer: str, pages: int, number: int, when: date) -> bytes:
    """A paper of exactly ``pages`` A4 pages: its own first page, then body pages."""
    regular, bold = _fonts()
    width, height = A4
    text_width = width - MARGIN_LEFT - MARGIN_RIGHT
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    drawing.setTitle(title)
    drawing.setAuthor(unit)
    y = height - MARGIN_TOP
    left, right = MARGIN_LEFT + 95, width - MARGIN_RIGHT - 130
    _centred(drawing, left, y, issuer.upper()[:40], regular, 12)
    _centred(drawing, left, y - 15, unit.upper()[:40], bold, 12)
    _centred(drawing, right, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, 11.5)
    _centred(drawing, right, y - 15, "Độc lập - Tự do - Hạnh phúc", bold, 12.5)
    drawing.line(right - 75, y - 19, right + 75, y - 19)
    _centred(drawing, left, y - 38, f"Số: {number}/{KIND_SYMBOL.get(kind, 'TL')}", regular, 12)
    dated = f"ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"
    _centred(drawing, right, y - 38, dated, regular, 12)
    y -= 80
    _centred(drawing, width / 2, y, KIND_HEADING.get(kind, "TÀI LIỆU"), bold, 14)
    y -= 20
    for line in simpleSplit(title, bold, 13, text_width - 40):
        _centred(drawing, width / 2, y, line, bold, 13)
        y -= 18
    _body(drawing, y - 14, (number * 7) % len(_paragraphs()), text_width)
    drawing.showPage()
    drawing.save()
    with (
        pikepdf.open(io.BytesIO(buffer.getvalue())) as paper,
        pikepdf.open(io.BytesIO(_body_pages())) as body,
    ):
        for n in range(pages - 1):
            paper.pages.append(body.pages[(number + n) % BODY_PAGES])
        out = io.BytesIO()
        paper.save(out, compress_streams=True)
    return out.getvalue()
