"""PDF rendering: a Django template to PDF bytes through WeasyPrint.

Documents carry text people typed (a question, an objection), so the renderer
must not reach out of the project: ``StaticOnlyFetcher`` serves files under
the project's ``static/`` and refuses everything else (``file:///etc/passwd``,
``http://…``, ``data:``), and fonts come from ``static/fonts`` so the output is
the same on every machine. Text is normalised to NFC first: a diacritic typed
as a combining mark is otherwise drawn beside its letter rather than on it.
"""

from __future__ import annotations

import logging
import mimetypes
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError, path2url

logger = logging.getLogger(__name__)

# Where the rendering may read from: the project's own static files.
STATIC_DIR = Path(settings.BASE_DIR) / "static"

# The capital the Government's documents are dated at (Nghị định 30/2020/NĐ-CP,
# Phụ lục I: "địa danh" is where the issuing body sits).
GOVERNMENT_PLACE = "Hà Nội"
_PLACE_PREFIXES = (
    "ủy ban nhân dân thành phố",
    "uỷ ban nhân dân thành phố",
    "ủy ban nhân dân tỉnh",
    "uỷ ban nhân dân tỉnh",
    "ủy ban nhân dân huyện",
    "ủy ban nhân dân xã",
    "ủy ban nhân dân",
    "ubnd thành phố",
    "ubnd tỉnh",
    "ubnd huyện",
    "ubnd xã",
    "ubnd",
)


class ResourceRefused(URLFetchingError):  # type: ignore[misc]  # an untyped library's class
    """A document asked for something outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # an untyped library's class
    """Serves ``file:`` URLs inside ``static/``; refuses every other URL.

    WeasyPrint catches the error, logs it and leaves the resource out, so a
    hostile ``<img src=…>`` costs a warning, never a read or a request.
    """

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = (root or STATIC_DIR).resolve()

    def resolve(self, url: str) -> Path:
        """The file under ``static/`` that ``url`` names; ResourceRefused otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"refused (only the project's static files may be used): {url[:200]}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ResourceRefused(f"refused (not a static file of the project): {url[:200]}")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in {".ttf", ".otf", ".woff", ".woff2"}:
            mime_type = f"font/{path.suffix[1:]}"
        return URLFetcherResponse(path2url(str(path)), path.read_bytes(), {"Content-Type": mime_type})


def static_base_url() -> str:
    """The base URL that relative references in a PDF template resolve against."""
    return str(path2url(str(STATIC_DIR))).rstrip("/") + "/"


def nfc(value: Any) -> Any:
    """``value`` with every string normalised to NFC (lists and dicts too)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: nfc(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(nfc(item) for item in value)
    return value


def render_html(template_name: str, context: dict[str, Any]) -> str:
    html = render_to_string(template_name, {**pdf_defaults(context), **nfc(context)})
    return unicodedata.normalize("NFC", html)


def render_pdf(template_name: str, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` as PDF bytes.

    Templates extend ``pdf/document.html``. Relative URLs (fonts, a seal
    image) resolve against ``static/`` unless ``base_url`` is given; either way
    only files under ``static/`` are read.
    """
    # An administrative document is in Vietnamese whoever issues it.
    with translation.override("vi"):
        html = render_html(template_name, context)
    document = HTML(string=html, base_url=base_url or static_base_url(), url_fetcher=StaticOnlyFetcher())
    data = document.write_pdf()
    assert data is not None  # noqa: S101 - write_pdf returns bytes when no target is given
    return bytes(data)


# --- the administrative layout's wording -------------------------------------


def place_of(tenant: Any) -> str:
    """The place name a tenant dates its documents at: "Hà Nội", "Đà Nẵng"."""
    if tenant is None or getattr(tenant, "level", "") == "government":
        return GOVERNMENT_PLACE
    name = unicodedata.normalize("NFC", str(getattr(tenant, "name", "")).strip())
    lowered = name.lower()
    for prefix in _PLACE_PREFIXES:
        if lowered.startswith(prefix + " "):
            return name[len(prefix) + 1 :].strip()
    return name


def vietnamese_date(value: date | datetime) -> str:
    """ "ngày 27 tháng 11 năm 2026" (days and months below 10 with a leading zero,
    as Nghị định 30/2020/NĐ-CP asks for 01, 02 and the first two months)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


def pdf_defaults(context: dict[str, Any]) -> dict[str, Any]:
    """What the base layout needs and can work out itself from the tenant."""
    tenant = context.get("tenant")
    issued_at = context.get("issued_at") or timezone.now()
    place = context.get("place") or place_of(tenant)
    return {
        "issuer_name": (str(tenant.name) if tenant is not None else "").upper(),
        "place": place,
        "place_and_date": f"{place}, {vietnamese_date(issued_at)}",
        "issued_at": issued_at,
    }
