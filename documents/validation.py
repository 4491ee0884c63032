"""What an uploaded paper must be before anything of it is kept.

A real, readable, unencrypted PDF within the tenant's size limit and the
sandbox's caps, with nothing in it that acts by itself, and not a secret
paper: the law (Resolution 17/NQ-CP, and the law on protecting state
secrets) keeps papers marked Mật, Tối mật or Tuyệt mật off systems like this
one, so a paper that carries such a marking on any page, in a note or a
form field, or as a stamped picture, is refused, whatever the uploader says.
``docs/paper-safety.md`` says what is checked and why.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import pdf_inspect, pdf_sandbox
from documents.pdf_inspect import Caps
from ecabinet.errors import Invalid

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


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
    # What was taken out of the file ({"kinds": {...}, "files": [...]}), and
    # the file as kept then; None when the upload is kept as it came.
    removed: dict[str, Any] | None = None
    defused: bytes | None = None
    # Pages that are pictures nobody could read, kept on the uploader's word.
    unreadable_pages: list[int] = field(default_factory=list)


def pdf_caps() -> Caps:
    return Caps(**getattr(settings, "ECABINET_PDF_CAPS", {}))


_ocr: bool | None = None


def ocr_enabled() -> bool:
    """Whether pages without text are read with Tesseract here (checked once per process)."""
    global _ocr
    if not getattr(settings, "ECABINET_OCR", True):
        return False
    if _ocr is None:
        _ocr = pdf_inspect.ocr_available()
        if not _ocr:
            logger.warning(
                "Tesseract with Vietnamese (tesseract-ocr-vie) or pdftoppm is missing: "
                "scanned papers are held for the secretariat's confirmation"
            )
    return _ocr


@contextmanager
def _on_disk(upload: Any, stream: IO[bytes]) -> Iterator[str]:
    """A path to the upload's bytes: Django's temporary file, or one written now and removed after."""
    path = getattr(upload, "temporary_file_path", None)
    if callable(path):
        yield str(path())
        return
    with tempfile.NamedTemporaryFile(prefix="ecabinet-upload-", suffix=".pdf", dir=_private_tmp()) as local:
        stream.seek(0)
        shutil.copyfileobj(stream, local)
        local.flush()
        yield local.name


def _private_tmp() -> str | None:
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    return str(folder) if folder else None


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


def check_pdf(
    upload: Any, *, limit_bytes: int, declared_secret: bool = False, confirmed_unreadable: bool = False
) -> CheckedPdf:
    """Check an upload in the sandbox; raise ``Refused`` with a sentence for the person otherwise.

    The file is opened only in ``documents.pdf_sandbox``'s child: caps on
    what it decodes, its active content removed (the kept file is then the
    defused one), every page, annotation and form field read for a secret
    marking, and scanned pages read with OCR. ``confirmed_unreadable`` is the
    uploader's word that pages which could not be read carry no marking.
    """
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
        answer, defused = _inspected(upload, stream, size)
    finally:
        stream.close()
    marking = answer.get("marking")
    if marking:
        raise Refused(_marked(marking), reason="marked_secret")
    unreadable = [int(n) for n in answer.get("unreadable_pages", [])]
    if unreadable and not confirmed_unreadable:
        raise Refused(_unreadable(unreadable), reason="unreadable")
    if defused is not None:
        sha256, size = hashlib.sha256(defused).hexdigest(), len(defused)
    return CheckedPdf(
        page_count=int(answer["page_count"]),
        sha256=sha256,
        size=size,
        page_digests=list(answer["page_digests"]),
        removed=answer.get("removed"),
        defused=defused,
        unreadable_pages=unreadable,
    )


def _inspected(upload: Any, stream: IO[bytes], size: int) -> tuple[dict[str, Any], bytes | None]:
    """The sandbox's answer on the upload, and the defused file when something was removed."""
    caps = pdf_caps()
    with (
        _on_disk(upload, stream) as path,
        tempfile.TemporaryDirectory(prefix="ecabinet-check-", dir=_private_tmp()) as work,
    ):
        defused_path = os.path.join(work, "kept.pdf")
        try:
            answer = pdf_sandbox.run(
                "inspect",
                {"source": path, "defused": defused_path, "caps": caps.as_dict(), "ocr": ocr_enabled()},
                caps=caps,
                file_bytes=2 * size + 16 * 1024 * 1024,
            )
        except pdf_sandbox.SandboxFailed as exc:
            raise _over(exc.reason, {}, caps) from exc
        if not answer.get("ok"):
            if answer.get("error"):
                logger.info("paper refused as damaged: %s", answer["error"])
            raise _over(str(answer.get("reason")), answer.get("detail") or {}, caps)
        defused = Path(defused_path).read_bytes() if answer.get("defused") else None
    return answer, defused


OVER_REASONS = frozenset(
    {
        "stream_too_large",
        "decoded_too_large",
        "filters_nested",
        "too_many_objects",
        "image_too_large",
        "too_complex",
    }
)


def _over(reason: str, detail: dict[str, Any], caps: Caps) -> Refused:
    """The clerk's sentence for a paper the sandbox refused or could not finish."""
    if reason == "encrypted":
        return Refused(_encrypted(), reason="encrypted")
    if reason == "no_pages":
        return Refused(_("This PDF has no pages."), reason="no_pages")
    if reason == "damaged":
        return Refused(_damaged(), reason="damaged")
    if reason == "too_many_pages":
        return Refused(
            _(
                "This PDF has %(pages)d pages, more than the %(limit)d one paper may have. "
                "Split it into parts."
            )
            % {"pages": detail.get("pages", 0), "limit": caps.max_pages},
            reason=reason,
        )
    if reason == "page_size":
        return Refused(
            _(
                "Page %(page)d of this PDF is larger than any paper can be printed. "
                "Export it again at a normal page size."
            )
            % {"page": detail.get("page", 1)},
            reason=reason,
        )
    if reason == "too_slow":
        return Refused(
            _(
                "Checking this PDF took longer than %(seconds)d seconds, so it was stopped. "
                "Export it again from the original document, or split it into parts."
            )
            % {"seconds": int(caps.wall_seconds)},
            reason=reason,
        )
    # Built to take far more of the machine than a paper needs.
    return Refused(
        _(
            "This PDF unpacks to far more than a paper needs when it is opened, which is how harmful "
            "files are built. Export it again from the original document (File → Save as → PDF) "
            "and upload that."
        ),
        reason=reason if reason in OVER_REASONS else "too_complex",
    )


def _marked(marking: dict[str, Any]) -> str:
    values = {"marking": marking.get("text", ""), "page": marking.get("page") or 1}
    where = marking.get("where")
    if where == "annotation":
        text = _("This paper is marked “%(marking)s” in a note or stamp on page %(page)d.") % values
    elif where == "form":
        text = _("This paper is marked “%(marking)s” in one of its form fields.") % values
    elif where == "ocr":
        text = _("This paper is marked “%(marking)s” on page %(page)d (read from its picture).") % values
    else:
        text = _("This paper is marked “%(marking)s” on page %(page)d.") % values
    return (
        text
        + " "
        + _("Secret papers may not be put on eCabinet; send it through the channels for state secrets.")
    )


def _unreadable(pages: list[int]) -> str:
    shown = ", ".join(str(n) for n in pages[:10]) + ("…" if len(pages) > 10 else "")
    return _(
        "Page(s) %(pages)s of this paper are pictures that could not be read, so eCabinet could not check "
        "them for a secret marking. Look at them yourself: if none is marked Mật, Tối mật or Tuyệt mật, "
        "tick “I have checked every page myself” and upload it again."
    ) % {"pages": shown}


REMOVED_WORDS = {
    "javascript": gettext_lazy("JavaScript code"),
    "open_action": gettext_lazy("an action run on opening"),
    "automatic_actions": gettext_lazy("automatic actions"),
    "launch": gettext_lazy("commands that start programs"),
    "submit_form": gettext_lazy("form sending"),
    "import_data": gettext_lazy("data import"),
    "reset_form": gettext_lazy("form resetting"),
    "remote_link": gettext_lazy("links to other files"),
    "embedded_link": gettext_lazy("links to other files"),
    "unsafe_link": gettext_lazy("links that are not web addresses"),
    "embedded_files": gettext_lazy("attached files"),
    "xfa": gettext_lazy("an XFA form"),
    "media": gettext_lazy("embedded media"),
    "hide": gettext_lazy("actions that hide content"),
}


def removed_sentence(removed: dict[str, Any] | None) -> str:
    """What the clerk is told was taken out of the paper, or ""."""
    if not removed or not removed.get("kinds"):
        return ""
    words: list[str] = []
    for kind in removed["kinds"]:
        word = str(REMOVED_WORDS.get(kind, kind))
        if word not in words:
            words.append(word)
    files = removed.get("files") or []
    text = _("For safety, eCabinet removed from this paper: %(what)s.") % {"what": ", ".join(words)}
    if files:
        text += " " + _("Attached files removed: %(files)s.") % {"files": ", ".join(files[:5])}
    return text


def _too_large(limit_bytes: int) -> str:
    return _("The file is larger than this tenant's limit of %(mb)d MB. Compress it or split it.") % {
        "mb": limit_bytes // (1024 * 1024)
    }


def _encrypted() -> str:
    return _("This PDF is protected by a password. Save it again without protection and upload that.")


def _damaged() -> str:
    return _("This PDF is damaged or incomplete and cannot be read. Export it again and upload that.")
