"""Papers fixtures: real PDFs made with reportlab, and a private papers root per test."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from documents.actions import do_upload_paper
from documents.models import Paper
from ecabinet.tenancy import tenant_context
from tests.conftest import World

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "NotoSans-Regular.ttf"


def make_pdf(pages: int = 3, *, first_line: str = "ỦY BAN NHÂN DÂN", text: str = "Nội dung trang") -> bytes:
    """A real PDF with Vietnamese text on every page."""
    if "NotoSansTest" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSansTest", str(FONT)))
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(595.27, 841.89))
    for number in range(1, pages + 1):
        drawing.setFont("NotoSansTest", 13)
        if number == 1:
            drawing.drawString(72, 780, first_line)
        drawing.drawString(72, 740, f"{text} {number}: quyết định về đầu tư công năm 2027.")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def padded_pdf(pages: int, size: int, *, first_line: str = "ỦY BAN NHÂN DÂN") -> bytes:
    """A real PDF of about ``size`` bytes more than its pages: an incompressible block of application data.

    (Not an attachment: attached files are taken out before a paper is kept.)
    """
    import os

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(make_pdf(pages, first_line=first_line)))
    private = pikepdf.Dictionary(Private=pdf.make_stream(os.urandom(size)))
    pdf.Root.PieceInfo = pikepdf.Dictionary(Ecabinet=private)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_upload(
    data: bytes | None = None, *, name: str = "to-trinh.pdf", pages: int = 3
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else make_pdf(pages), "application/pdf")


@pytest.fixture(autouse=True)
def papers_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "papers"
    settings.ECABINET_PAPERS_ROOT = root
    return root


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def upload_paper() -> Callable[..., Paper]:
    """Upload a real PDF as the world's secretary; keywords go to ``do_upload_paper``."""

    def upload(world: World, *, item_index: int | None = 0, pages: int = 3, **kwargs: object) -> Paper:
        with tenant_context(world.tenant):
            item = world.items[item_index] if item_index is not None else None
            return do_upload_paper(
                world.meeting,
                upload=kwargs.pop("upload", None) or pdf_upload(pages=pages),
                title=kwargs.pop("title", "Tờ trình về kế hoạch đầu tư công"),
                item=item,
                acting_user=world.secretary,
                **kwargs,  # type: ignore[arg-type]
            )

    return upload
