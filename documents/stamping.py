"""Every copy served carries its reader's name: the stamp, and the copies' cache.

The stamp is a line at the foot of every page (full name, unit, date and time,
trace code) and the same words faintly across the page, so that a printout,
a photo of a screen or a forwarded file names the person it was given to.
The text is Vietnamese, in the project's own Noto Sans, embedded with its
Unicode map so that it can be read back from the PDF (the tests do).

A stamp page is drawn once per page size with reportlab and laid over each
page with pikepdf (``documents.pdf_stamp``, run in the sandbox). A copy is made at most once per
(version, reader) and kept; the trace code printed on it is the key of its
``StampedCopy`` row, which ``manage.py trace_paper`` reads back.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents import pdf_sandbox
from documents.models import PaperVersion, StampedCopy
from documents.pdf_inspect import Caps

FONT_FILE = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSans-Regular.ttf"
# Crockford's base32 without I, L, O, U: nothing to misread off a photo.
TRACE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# A stamped copy is the paper plus a few kilobytes per page size; room for
# a rewritten cross-reference table besides.
STAMP_ROOM = 64 * 1024 * 1024


def stamp_pdf(source: str | Path, line: str, watermark: str) -> bytes:
    """The paper at ``source`` (a path) with the stamp on every page, made in the sandbox.

    The kept paper was checked within the caps when it was uploaded; it is
    still opened only under the child's limits (``documents.pdf_sandbox``),
    for a paper kept before the caps existed, or a cap lowered since.
    """
    caps = Caps(**getattr(settings, "ECABINET_PDF_CAPS", {}))
    size = Path(source).stat().st_size
    answer = pdf_sandbox.run(
        "stamp",
        {"source": str(source), "line": line, "watermark": watermark, "font": str(FONT_FILE)},
        caps=caps,
        file_bytes=2 * size + STAMP_ROOM,
    )
    if not answer.get("ok"):
        raise pdf_sandbox.SandboxFailed(str(answer.get("reason")), str(answer.get("error", "")))
    data: bytes = answer["data"]
    return data


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
