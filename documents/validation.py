"""What an uploaded paper must be before anything of it is kept.

A real, readable, unencrypted PDF within the tenant's size limit, and not a
secret paper: the law (Resolution 17/NQ-CP, and the law on protecting state
secrets) keeps papers marked Mật, Tối mật or Tuyệt mật off systems like this
one, so a paper whose first page carries such a marking is refused, whatever
the uploader says.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO, cast

import pikepdf
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from pypdf import PdfReader

from ecabinet.errors import Invalid

CHUNK = 1024 * 1024
# The marking is printed on its own, in capitals (Decree 26/2020/NĐ-CP):
# a line that is, or starts with, one of these words. "bảo mật" in a
# sentence is not a marking.
SECRET_MARKING = re.compile(r"^\W*(TUYỆT MẬT|TỐI MẬT|MẬT)(?![^\W\d_])", re.MULTILINE)


class Refused(Invalid):
    """An upload that is not kept; ``reason`` names the check for the audit log."""

    def __init__(self, detail: str, *, reason: str) -> None:
        super().__init__(detail, code="paper_refused")
        self.reason = reason


# Room for the form's other fields (title, unit, recipients…) beside the file.
FORM_OVERHEAD = 256 * 1024


def declared_length(request: Any) -> int | None:
    """The request's Content-Length, or None when absent or not a number."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def body_too_large(request: Any, *, limit_bytes: int) -> bool:
    """Whether the request says, before a byte of it is parsed, that it is over the limit."""
    length = declared_length(request)
    return length is not None and length > limit_bytes + FORM_OVERHEAD


class SizeLimitHandler(FileUploadHandler):
    """Stops an upload as soon as a file passes the limit, so nothing of it is kept.

    Put first in ``request.upload_handlers`` before the body is parsed. The
    Content-Length check catches an honest client early; this one catches a
    chunked body or a client that lies about its length.
    """

    def __init__(self, request: Any = None, *, limit_bytes: int) -> None:
        super().__init__(request)
        self.limit_bytes = limit_bytes
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_uploads(request: Any, *, limit_bytes: int) -> SizeLimitHandler:
    """Put a ``SizeLimitHandler`` in front of the request's upload handlers; returns it."""
    handler = SizeLimitHandler(request, limit_bytes=limit_bytes)
    request.upload_handlers.insert(0, handler)
    return handler


class TooLarge(Refused):
    """Over the tenant's limit: 413, whether told by the length or found reading."""

    status = 413

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(_too_large(limit_bytes), reason="too_large")
        self.limit_bytes = limit_bytes


def too_large(limit_bytes: int) -> TooLarge:
    return TooLarge(limit_bytes)


@dataclass(frozen=True)
class CheckedPdf:
    page_count: int
    sha256: str
    size: int
    page_digests: list[str] = field(default_factory=list)


def _secret_marking(text: str) -> str | None:
    text = unicodedata.normalize("NFC", text)
    match = SECRET_MARKING.search(text)
    return match.group(1) if match else None


def _page_digest(page: pikepdf.Page) -> str:
    digest = hashlib.sha256()
    digest.update(repr([float(v) for v in page.mediabox]).encode())
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    for stream in streams:
        try:
            digest.update(stream.read_bytes())
        except pikepdf.PdfError:
            digest.update(b"?")
    return digest.hexdigest()


def _read_all(upload: Any) -> tuple[IO[bytes], str, int]:
    """The upload as a seekable stream, its SHA-256 and its size."""
    digest = hashlib.sha256()
    size = 0
    stream: IO[bytes]
    path = getattr(upload, "temporary_file_path", None)
    if callable(path):
        stream = open(path(), "rb")  # noqa: SIM115 - closed by the caller
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
        stream.seek(0)
        return stream, digest.hexdigest(), size
    buffer = io.BytesIO()
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        buffer.write(chunk)
    buffer.seek(0)
    return buffer, digest.hexdigest(), size


def check_pdf(upload: Any, *, limit_bytes: int, declared_secret: bool = False) -> CheckedPdf:
    """Check an upload; raise ``Refused`` with a sentence for the person otherwise."""
    if declared_secret:
        raise Refused(
            _(
                "Papers marked secret (Mật, Tối mật, Tuyệt mật) may not be put on eCabinet. "
                "Send them through the channels for state secrets."
            ),
            reason="declared_secret",
        )
    declared_size = getattr(upload, "size", None)
    if declared_size is not None and declared_size > limit_bytes:
        raise TooLarge(limit_bytes)
    stream, sha256, size = _read_all(upload)
    try:
        if size == 0:
            raise Refused(_("The file is empty. Choose the paper's PDF file again."), reason="empty")
        if size > limit_bytes:
            raise TooLarge(limit_bytes)
        head = stream.read(1024)
        stream.seek(0)
        if b"%PDF-" not in head:
            raise Refused(
                _("This file is not a PDF. Export it to PDF (File → Save as → PDF) and upload that."),
                reason="not_pdf",
            )
        stream.seek(max(0, size - 2048))
        tail = stream.read()
        stream.seek(0)
        if b"%%EOF" not in tail:
            raise Refused(_damaged(), reason="truncated")
        try:
            with pikepdf.open(cast(BinaryIO, stream), attempt_recovery=False) as pdf:
                if pdf.is_encrypted:
                    raise Refused(_encrypted(), reason="encrypted")
                page_count = len(pdf.pages)
                if page_count == 0:
                    raise Refused(_("This PDF has no pages."), reason="no_pages")
                digests = [_page_digest(page) for page in pdf.pages]
        except pikepdf.PasswordError as exc:
            raise Refused(_encrypted(), reason="encrypted") from exc
        except pikepdf.PdfError as exc:
            raise Refused(_damaged(), reason="damaged") from exc
        stream.seek(0)
        try:
            first_page_text = PdfReader(stream).pages[0].extract_text() or ""
        # pypdf raises many kinds on a broken page (IndexError, AttributeError,
        # RecursionError…): a paper whose first page cannot be read is refused,
        # never a 500 and never let through unchecked for its marking.
        except Exception as exc:
            raise Refused(_damaged(), reason="damaged") from exc
        marking = _secret_marking(first_page_text)
        if marking is not None:
            raise Refused(
                _(
                    "This paper is marked “%(marking)s” on its first page. Secret papers may not be "
                    "put on eCabinet; send it through the channels for state secrets."
                )
                % {"marking": marking},
                reason="marked_secret",
            )
        return CheckedPdf(page_count=page_count, sha256=sha256, size=size, page_digests=digests)
    finally:
        stream.close()


def _too_large(limit_bytes: int) -> str:
    return _("The file is larger than this tenant's limit of %(mb)d MB. Compress it or split it.") % {
        "mb": limit_bytes // (1024 * 1024)
    }


def _encrypted() -> str:
    return _("This PDF is protected by a password. Save it again without protection and upload that.")


def _damaged() -> str:
    return _("This PDF is damaged or incomplete and cannot be read. Export it again and upload that.")
