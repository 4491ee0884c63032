"""Hostile and awkward PDFs, built for real: bombs, active content, hidden markings, scans.

Each builder makes the file an attacker (or an honest scanner) would send;
nothing here is a stand-in for the checks it feeds.
"""

from __future__ import annotations

import functools
import io
import os
import zlib

import pikepdf
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.documents.conftest import FONT, make_pdf

A4 = (595.27, 841.89)
MB = 1024 * 1024


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # As written: saving must not decode (and so defuse) what was built.
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


@functools.cache
def _double_flate(decoded_mb: int) -> bytes:
    """Zeros, ``decoded_mb`` MB of them, compressed twice with Flate: a few kilobytes."""
    inner = zlib.compressobj(6)
    chunks = [inner.compress(bytes(MB)) for _ in range(decoded_mb)]
    chunks.append(inner.flush())
    return zlib.compress(b"".join(chunks), 9)


def flate_bomb(decoded_mb: int = 1536) -> bytes:
    """The attack of the issue: a page whose content decodes to ``decoded_mb`` MB from a few KB."""
    pdf = pikepdf.open(io.BytesIO(make_pdf(1)))
    bomb = pdf.make_stream(b"")
    bomb.write(_double_flate(decoded_mb), filter=[pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode])
    page = pdf.pages[0]
    page.obj.Contents = pikepdf.Array([page.obj.Contents, pdf.make_indirect(bomb)])
    return _saved(pdf)


def nested_filters(depth: int = 5) -> bytes:
    pdf = pikepdf.open(io.BytesIO(make_pdf(1)))
    data = b"q Q"
    for _ in range(depth):
        data = zlib.compress(data)
    stream = pdf.make_stream(b"")
    stream.write(data, filter=[pikepdf.Name.FlateDecode] * depth)
    pdf.Root.PieceInfo = pikepdf.Dictionary(Ecabinet=pikepdf.Dictionary(Private=pdf.make_indirect(stream)))
    return _saved(pdf)


def huge_page() -> bytes:
    pdf = pikepdf.open(io.BytesIO(make_pdf(2)))
    pdf.pages[1].obj.MediaBox = pikepdf.Array([0, 0, 200000, 200000])
    return _saved(pdf)


def active_content(pages: int = 2) -> bytes:
    """JavaScript run on opening, an automatic page action, a Launch link and an embedded ``invoice.exe``."""
    pdf = pikepdf.open(io.BytesIO(make_pdf(pages)))
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('pwned');"))
    pdf.Root.OpenAction = pdf.make_indirect(script)
    names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("init"), pdf.make_indirect(script)])
        )
    )
    pdf.Root.Names = names
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + os.urandom(2048))
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=launch)
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([72, 700, 300, 720]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    )
    web = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([72, 650, 300, 670]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://chinhphu.vn/")),
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(web)])
    return _saved(pdf)


def with_free_text(text: str, *, page: int = 1, pages: int = 2) -> bytes:
    """A note typed on the page with the viewer's text tool (a FreeText annotation)."""
    pdf = pikepdf.open(io.BytesIO(make_pdf(pages)))
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FreeText,
        Rect=pikepdf.Array([400, 780, 560, 810]),
        Contents=pikepdf.String(text),
        DA=pikepdf.String("/Helv 14 Tf 1 0 0 rg"),
    )
    pdf.pages[page - 1].obj.Annots = pikepdf.Array([pdf.make_indirect(note)])
    return _saved(pdf)


def with_form_field(value: str) -> bytes:
    pdf = pikepdf.open(io.BytesIO(make_pdf(1)))
    widget = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("do_mat"),
            V=pikepdf.String(value),
            Rect=pikepdf.Array([400, 780, 560, 810]),
            P=pdf.pages[0].obj,
        )
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([widget])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]))
    return _saved(pdf)


def marked_on_page(page: int, marking: str, *, pages: int = 3) -> bytes:
    """A paper whose page ``page`` (from 1) carries ``marking`` at its head."""
    pdf = pikepdf.open(io.BytesIO(make_pdf(pages)))
    marked = pikepdf.open(io.BytesIO(make_pdf(1, first_line=marking)))
    out = pikepdf.new()
    for number, source in enumerate(pdf.pages, start=1):
        out.pages.append(marked.pages[0] if number == page else source)
    return _saved(out)


# --- pictures ------------------------------------------------------------------


def _picture(lines: list[str], *, size: tuple[int, int], font_size: int, border: bool) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), font_size)
    y = 40
    for line in lines:
        draw.text((60, y), line, font=font, fill=0)
        y += font_size + 30
    if border:
        draw.rectangle([20, 20, size[0] - 20, y + 10], outline=0, width=6)
    return image


def _canvas() -> tuple[io.BytesIO, canvas.Canvas]:
    if "NotoSansTest" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSansTest", str(FONT)))
    buffer = io.BytesIO()
    return buffer, canvas.Canvas(buffer, pagesize=A4)


def stamped_as_picture(marking: str = "MẬT") -> bytes:
    """A typed paper with the marking stamped on as a picture, as a scanner of the stamp would leave it."""
    buffer, drawing = _canvas()
    drawing.setFont("NotoSansTest", 13)
    drawing.drawString(72, 600, "Tờ trình về kế hoạch đầu tư công năm 2027 của Ủy ban nhân dân")
    stamp = _picture([marking], size=(500, 160), font_size=80, border=True)
    drawing.drawImage(ImageReader(stamp), 380, 740, width=150, height=48)
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def scan(*pages: list[str]) -> bytes:
    """Pages that are only pictures of typed text, as a scanner makes them: no text layer."""
    buffer, drawing = _canvas()
    for lines in pages:
        picture = _picture(lines, size=(1240, 1754), font_size=40, border=False)
        drawing.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def unreadable_scan(pages: int = 1) -> bytes:
    """Pages that are pictures of nothing anyone can read (noise): no text layer, no words."""
    buffer, drawing = _canvas()
    for _ in range(pages):
        noise = Image.frombytes("L", (600, 800), os.urandom(600 * 800))
        drawing.drawImage(ImageReader(noise), 0, 0, width=A4[0], height=A4[1])
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


LETTER = ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "", "TỜ TRÌNH", "Về kế hoạch đầu tư công năm 2027"]
