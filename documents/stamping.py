"""Every copy served carries its reader's name: the stamp, and the copies' cache.

The stamp is a line at the foot of every page (full name, unit, date and time,
trace code) and the same words faintly across the page, so that a printout,
a photo of a screen or a forwarded file names the person it was given to.
The text is Vietnamese, in the project's own Noto Sans, embedded with its
Unicode map so that it can be read back from the PDF (the tests do).

A stamp page is drawn once per page size with reportlab and laid over each
page with pikepdf (``Page.add_overlay``). A copy is made at most once per
(version, reader) and kept; the trace code printed on it is the key of its
``StampedCopy`` row, which ``manage.py trace_paper`` reads back.
"""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from documents.models import PaperVersion, StampedCopy

FONT = "NotoSans"
FONT_FILE = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSans-Regular.ttf"
# Crockford's base32 without I, L, O, U: nothing to misread off a photo.
TRACE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FOOT_SIZE = 7.5
WATERMARK_SIZE = 26


@cache
def _font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def new_trace_code() -> str:
    raw = "".join(secrets.choice(TRACE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_trace_code(code: str) -> str:
    """What a person types from a printout, as stored: ``k7q3 9xpd`` → ``K7Q3-9XPD``."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def stamp_line(reader: Any, when: datetime, trace_code: str) -> str:
    """The words printed on every page, in Vietnamese whatever the reader's language."""
    local = timezone.localtime(when)
    with translation.override(settings.LANGUAGE_CODE):
        return _("Copy for %(name)s — %(unit)s — %(date)s %(time)s — trace code %(code)s") % {
            "name": reader.full_name or reader.username,
            "unit": reader.unit or reader.title or reader.tenant.name,
            "date": local.strftime("%d/%m/%Y"),
            "time": local.strftime("%H:%M"),
            "code": trace_code,
        }


def _stamp_page(width: float, height: float, line: str, watermark: str) -> bytes:
    font = _font()
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


def stamp_pdf(source: Any, line: str, watermark: str) -> bytes:
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
                stamp = pikepdf.open(io.BytesIO(_stamp_page(size[0], size[1], line, watermark)))
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


def _stamp(version: PaperVersion, reader: Any, line: str, code: str) -> bytes:
    watermark = f"{reader.full_name or reader.username} · {code}"
    try:
        path = version.file.path
    except NotImplementedError:  # storage without local files: a local copy to read from
        with version.file.open("rb") as source, tempfile.NamedTemporaryFile(suffix=".pdf") as local:
            shutil.copyfileobj(source, local)
            local.flush()
            return stamp_pdf(local.name, line, watermark)
    return stamp_pdf(path, line, watermark)


def _unused_trace_code() -> str:
    code = new_trace_code()
    while StampedCopy.all_tenants.filter(trace_code=code).exists():
        code = new_trace_code()
    return code


def stamped_copy(version: PaperVersion, reader: Any) -> tuple[StampedCopy, bool]:
    """The reader's copy of the version, made now if it was never made; (copy, made_now).

    Stamping runs outside any lock (it can take a moment on a long paper);
    two requests racing for the same copy both stamp, the unique constraint
    on (version, reader) keeps the first row, and the other's file is
    deleted. A trace code drawn twice (one in 10¹² per pair) is drawn again.
    """
    existing = StampedCopy.objects.filter(version=version, reader=reader).first()
    if existing is not None and existing.file and existing.file.storage.exists(existing.file.name):
        return existing, False
    if existing is not None:
        # The row outlived its file (storage restored from a backup): the
        # same copy again, with the trace code already given out.
        data = _stamp(version, reader, existing.stamp_text, existing.trace_code)
        existing.file.save(f"{existing.trace_code}.pdf", ContentFile(data), save=False)
        existing.size = len(data)
        existing.save(update_fields=["file", "size"])
        return existing, True
    for _attempt in range(3):
        made_at = timezone.now()
        code = _unused_trace_code()
        line = stamp_line(reader, made_at, code)
        data = _stamp(version, reader, line, code)
        copy = StampedCopy(
            tenant_id=version.tenant_id,
            version=version,
            reader=reader,
            trace_code=code,
            stamp_text=line,
            made_at=made_at,
            size=len(data),
        )
        copy.file.save(f"{code}.pdf", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                copy.save()
        except IntegrityError:
            copy.file.delete(save=False)
            made_meanwhile = StampedCopy.objects.filter(version=version, reader=reader).first()
            if made_meanwhile is not None:
                return made_meanwhile, False
            continue  # the trace code was taken meanwhile: another code, another stamp
        return copy, True
    raise RuntimeError("no unused trace code after three attempts")
