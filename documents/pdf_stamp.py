"""The stamp drawn on a reader's copy, laid over every page; run in the sandbox.

Knows nothing of Django (``documents.pdf_sandbox`` runs it in a child
process with hard limits): it gets the kept paper's path, the words and the
font, and gives back the stamped file. ``documents.stamping`` decides what
the words are and keeps the copy.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "NotoSans"
FOOT_SIZE = 7.5
WATERMARK_SIZE = 26
_registered: set[str] = set()


def _font(path: str) -> str:
    if path not in _registered:
        pdfmetrics.registerFont(TTFont(FONT, path))
        _registered.add(path)
    return FONT


def stamp(request: dict[str, Any]) -> dict[str, Any]:
    """The child's work: ``request`` has ``source``, ``line``, ``watermark`` and ``font``."""
    data = stamp_pdf(request["source"], request["line"], request["watermark"], font=request["font"])
    return {"ok": True, "data": data}


def _stamp_page(width: float, height: float, line: str, watermark: str, *, font_path: str) -> bytes:
    font = _font(font_path)
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    drawing.setTitle("")
    # The foot line: dark red on a white band, readable on any page.
    size = FOOT_SIZE
    text_width = pdfmetrics.stringWidth(line, font, size)
    while text_width > width - 24 and size > 4:
        size -= 0.5
        text_width = pdfmetrics.stringWidth(line, font, size)
    drawing.setFillColor(Color(1, 1, 1, alpha=0.85))
    drawing.rect((width - text_width) / 2 - 4, 6, text_width + 8, size + 6, stroke=0, fill=1)
    drawing.setFillColor(Color(0.6, 0.05, 0.05))
    drawing.setFont(font, size)
    drawing.drawCentredString(width / 2, 9, line)
    # The same reader across the page, faint, so a photo of the screen still names them.
    drawing.saveState()
    drawing.setFillColor(Color(0.6, 0.05, 0.05, alpha=0.09))
    drawing.translate(width / 2, height / 2)
    drawing.rotate(35)
    mark_size = WATERMARK_SIZE
    while pdfmetrics.stringWidth(watermark, font, mark_size) > max(width, height) * 0.9 and mark_size > 8:
        mark_size -= 1
    drawing.setFont(font, mark_size)
    drawing.drawCentredString(0, 0, watermark)
    drawing.restoreState()
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


STAMP_NAME = pikepdf.Name("/EcabinetStamp")


def _inherited(page: pikepdf.Page, key: str) -> Any:
    node: Any = page.obj
    for _depth in range(64):  # a page tree deeper than this is broken, not real
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _placement(page: pikepdf.Page) -> tuple[tuple[float, float], tuple[float, ...]]:
    """The page as the reader sees it: (width, height), and the matrix from there to the page.

    The visible area is the crop box (the media box where there is none);
    ``/Rotate`` turns it when shown, so the stamp is drawn for the page as
    shown and turned back, and its line stays at the foot, level.
    """
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    width, height = x1 - x0, y1 - y0
    try:
        rotate = int(_inherited(page, "/Rotate") or 0) % 360
    except (TypeError, ValueError):
        rotate = 0
    if rotate == 90:
        return (round(height, 2), round(width, 2)), (0, 1, -1, 0, x1, y0)
    if rotate == 180:
        return (round(width, 2), round(height, 2)), (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (round(height, 2), round(width, 2)), (0, -1, 1, 0, x0, y1)
    return (round(width, 2), round(height, 2)), (1, 0, 0, 1, x0, y0)


def _stamp_resource(page: pikepdf.Page, form: pikepdf.Object) -> pikepdf.Name:
    """The name under which this page's resources hold the stamp's form, added if needed.

    Pages often share one resources dictionary: the form is added to it once,
    not once per page.
    """
    xobjects = page.resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for key, value in xobjects.items():
            if value.is_indirect and value.objgen == form.objgen:
                return pikepdf.Name(key)
    try:
        return page.add_resource(form, pikepdf.Name.XObject, STAMP_NAME, replace_existing=False)
    except ValueError:  # the page has something of that name: another one
        return page.add_resource(form, pikepdf.Name.XObject, prefix="EcabinetStamp")


def stamp_pdf(source: Any, line: str, watermark: str, *, font: str) -> bytes:
    """``source`` (a path, or a binary stream) with the stamp on every page.

    The stamp page is drawn once per page size and put in the file once, as
    a form that every page of that size draws over its own content. Laying
    the page itself over each page (``add_overlay(page)``) copies it into
    the file once per page: on 100 pages that made the copy 40 % bigger and
    the stamping 60 % slower (``bench/stamping.py``). A path is much faster
    than a Python stream: pikepdf then reads the file itself.
    """
    stamps: dict[tuple[float, float], tuple[pikepdf.Pdf, pikepdf.Object]] = {}
    with pikepdf.open(source) as pdf:
        # The few bytes around each page's content are shared by every page
        # they fit: one object each, not two per page.
        save_state = pdf.make_stream(b"q\n")
        draws: dict[tuple[str, str], pikepdf.Stream] = {}
        for page in pdf.pages:
            size, matrix = _placement(page)
            if size not in stamps:
                drawn = _stamp_page(size[0], size[1], line, watermark, font_path=font)
                stamp = pikepdf.open(io.BytesIO(drawn))
                stamps[size] = (stamp, pdf.copy_foreign(stamp.pages[0].as_form_xobject()))
            name = _stamp_resource(page, stamps[size][1])
            # The page's own content in a saved graphics state, so whatever it
            # leaves set (a clip, a transform) cannot hide or move the stamp.
            placed = " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in matrix)
            key = (str(name), placed)
            if key not in draws:
                draws[key] = pdf.make_stream(f"\nQ q {placed} cm {name} Do Q\n".encode())
            page.contents_add(save_state, prepend=True)
            page.contents_add(draws[key], prepend=False)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for stamp, _form in stamps.values():
        stamp.close()
    return out.getvalue()
