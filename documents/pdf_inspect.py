"""What an uploaded PDF holds, read without trusting it: caps, active content, markings.

This module runs in the sandbox's child process (``documents.pdf_sandbox``)
and knows nothing of Django: it gets a path and limits, and answers with a
plain dict that the server turns into a clerk's sentence
(``documents.validation``).

Three things are done, in this order:

1. **Caps.** Before anything decodes the file, every stream's decoded size is
   counted with a bounded decoder (Flate, the filter every bomb uses, is
   decoded chunk by chunk and the output thrown away), filter chains are
   limited in depth, and the page count and page size are checked. A paper
   over a cap is refused; the child's memory, CPU and wall-clock limits catch
   whatever the counting cannot (another filter, a parser loop).
2. **Active content** — opening actions, automatic actions, JavaScript,
   launching programs, submitting forms, embedded files, XFA forms, media —
   is removed, and the file is saved again with what was removed listed.
3. **Markings.** Every page's text, its annotations and the form fields are
   searched for the markings of the law on protecting state secrets; pages
   with no text layer, and pages that carry images (a marking stamped as a
   picture), are read with Tesseract (Vietnamese) as far as the budget goes.
   A page that carries no text and cannot be read is reported unreadable.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pikepdf

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Caps:
    """What a paper may demand of the machine that checks and stamps it."""

    max_pages: int = 3000
    # PDF's own limit on a page side is 14,400 units (200 inches): A0 is 3,370.
    max_page_side: float = 14400.0
    max_stream_bytes: int = 256 * 1024 * 1024
    max_decoded_bytes: int = 1024 * 1024 * 1024
    max_filters: int = 3
    max_objects: int = 2_000_000
    max_image_pixels: int = 200_000_000
    # The child process's limits: address space, CPU seconds, and the
    # parent's wall clock (documents.pdf_sandbox).
    memory_bytes: int = 1536 * 1024 * 1024
    cpu_seconds: int = 120
    wall_seconds: float = 180.0
    # Optical reading: how many pages, at what resolution, each how long.
    ocr_pages: int = 40
    # Of the pages that have text, those with pictures read too (a stamped
    # marking stands at the head of a paper): a logo on every page of a long
    # paper must not cost a reading of every page.
    ocr_pictured_pages: int = 3
    ocr_dpi: int = 150
    ocr_page_seconds: float = 30.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Over(Exception):
    """A cap was passed; ``reason`` and ``detail`` say which, for the clerk's sentence."""

    def __init__(self, reason: str, **detail: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


# --- 1. caps -----------------------------------------------------------------

FLATE = {"/FlateDecode", "/Fl"}
# Filters that only the viewer decodes (images): counted by their pixels.
IMAGE_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}


def _filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)]


def _flate_size(raw: bytes, depth: int, cap: int) -> int:
    """The size of ``raw`` decoded by ``depth`` Flate filters in turn, never holding more than a chunk.

    Raises ``Over`` past ``cap``. A damaged stream counts what decoded before
    the damage: viewers are as lenient, and the rest cannot be drawn.
    """
    decoders = [zlib.decompressobj() for _ in range(depth)]
    total = 0

    def feed(level: int, data: bytes) -> None:
        nonlocal total
        decoder = decoders[level]
        while True:
            out = decoder.decompress(data, CHUNK)
            data = decoder.unconsumed_tail
            if level + 1 < depth:
                if out:
                    feed(level + 1, out)
            else:
                total += len(out)
                if total > cap:
                    raise Over("stream_too_large", limit=cap)
            if not out and not data:
                return

    try:
        feed(0, raw)
    except zlib.error:
        pass
    return total


def _image_pixels(stream: pikepdf.Stream) -> int:
    try:
        return int(stream.get("/Width", 0)) * int(stream.get("/Height", 0))
    except (TypeError, ValueError):
        return 0


def check_caps(pdf: pikepdf.Pdf, caps: Caps) -> None:
    """Raise ``Over`` if the file asks for more than ``caps`` allow; decodes nothing in full."""
    if len(pdf.objects) > caps.max_objects:
        raise Over("too_many_objects", limit=caps.max_objects)
    page_count = len(pdf.pages)
    if page_count > caps.max_pages:
        raise Over("too_many_pages", limit=caps.max_pages, pages=page_count)
    for number, page in enumerate(pdf.pages, start=1):
        try:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        except (TypeError, ValueError) as exc:
            raise Over("damaged") from exc
        width, height = abs(x1 - x0), abs(y1 - y0)
        try:
            unit = float(page.obj.get("/UserUnit", 1))
        except (TypeError, ValueError):
            unit = 1.0
        if max(width, height) * unit > caps.max_page_side or min(width, height) <= 0:
            raise Over("page_size", page=number)
    decoded = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = _filters(obj)
        if len(filters) > caps.max_filters:
            raise Over("filters_nested", limit=caps.max_filters)
        if any(f in IMAGE_CODECS for f in filters):
            if _image_pixels(obj) > caps.max_image_pixels:
                raise Over("image_too_large")
            continue
        if filters and all(f in FLATE for f in filters):
            size = _flate_size(obj.read_raw_bytes(), len(filters), caps.max_stream_bytes)
        else:
            # Other filters (LZW, ASCII85, run length…) are rare in real
            # papers; decoded in full, under the child's memory limit.
            try:
                size = len(obj.read_bytes())
            except pikepdf.PdfError:
                size = 0
            if size > caps.max_stream_bytes:
                raise Over("stream_too_large", limit=caps.max_stream_bytes)
        decoded += size
        if decoded > caps.max_decoded_bytes:
            raise Over("decoded_too_large", limit=caps.max_decoded_bytes)


# --- 2. active content -------------------------------------------------------

# Actions that do more than move within the paper or open a web link.
RISKY_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit_form",
    "/ImportData": "import_data",
    "/ResetForm": "reset_form",
    "/GoToR": "remote_link",
    "/GoToE": "embedded_link",
    "/RichMediaExecute": "media",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/Hide": "hide",
}
RISKY_ANNOTATIONS = {
    "/FileAttachment": "embedded_files",
    "/RichMedia": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/Screen": "media",
    "/3D": "media",
}
SAFE_URI = re.compile(r"^(https?|mailto):", re.IGNORECASE)


class Removed:
    """What was taken out, by kind, with the names of embedded files."""

    def __init__(self) -> None:
        self.kinds: dict[str, int] = {}
        self.files: list[str] = []

    def add(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def as_dict(self) -> dict[str, Any]:
        return {"kinds": dict(sorted(self.kinds.items())), "files": sorted(set(self.files))[:20]}


def _file_name(spec: Any) -> str:
    for key in ("/UF", "/F"):
        try:
            value = spec.get(key)
        except (AttributeError, pikepdf.PdfError):
            return ""
        if value is not None and not isinstance(value, pikepdf.Dictionary):
            return str(value)[:120]
    return ""


def _risky_action(action: Any) -> str | None:
    """The kind of a risky action (or of the first one in its ``/Next`` chain), else None."""
    seen = 0
    while isinstance(action, pikepdf.Dictionary) and seen < 64:
        kind = str(action.get("/S", ""))
        if kind in RISKY_ACTIONS:
            return RISKY_ACTIONS[kind]
        if kind == "/URI" and not SAFE_URI.match(str(action.get("/URI", ""))):
            return "unsafe_link"
        if "/JS" in action:
            return "javascript"
        action = action.get("/Next")
        seen += 1
    if isinstance(action, pikepdf.Array):
        for each in list(action)[:64]:
            found = _risky_action(each)
            if found:
                return found
    return None


def _defuse_dictionary(node: pikepdf.Dictionary, removed: Removed) -> None:
    if "/AA" in node:
        del node["/AA"]
        removed.add("automatic_actions")
    if "/OpenAction" in node:
        del node["/OpenAction"]
        removed.add("open_action")
    for key in ("/A", "/Next", "/PA"):
        if key in node:
            kind = _risky_action(node[key])
            if kind:
                del node[key]
                removed.add(kind)
    if "/JS" in node:
        del node["/JS"]
        removed.add("javascript")
    if "/EF" in node:  # a file specification with the file inside it
        removed.files.append(_file_name(node))
        del node["/EF"]
        removed.add("embedded_files")
    if "/AF" in node:  # "associated files" (PDF 2.0): the same attachments, named again
        del node["/AF"]
        removed.add("embedded_files")
    if "/RichMediaContent" in node:
        del node["/RichMediaContent"]
        removed.add("media")


def _walk(root: Any, visit: Any) -> None:
    """Every dictionary reachable inside ``root`` without following indirect references."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
            visit(node)
            for value in node.values():
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                    stack.append(value)
        elif isinstance(node, pikepdf.Array):
            for value in node:
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                    stack.append(value)


def defuse(pdf: pikepdf.Pdf) -> Removed:
    """Remove what a paper could do by itself when opened; returns what was removed."""
    removed = Removed()
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            del names["/JavaScript"]
            removed.add("javascript")
        if "/EmbeddedFiles" in names:
            tree = pikepdf.NameTree(names["/EmbeddedFiles"])
            for name, spec in list(tree.items())[:200]:
                removed.files.append(_file_name(spec) or str(name)[:120])
            del names["/EmbeddedFiles"]
            removed.add("embedded_files")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        del form["/XFA"]
        removed.add("xfa")
    if "/Collection" in root:  # a portfolio: the paper is a wrapper for other files
        del root["/Collection"]
        removed.add("embedded_files")
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = pikepdf.Array()
            for annot in annots:
                subtype = str(annot.get("/Subtype", "")) if isinstance(annot, pikepdf.Dictionary) else ""
                if subtype in RISKY_ANNOTATIONS:
                    removed.add(RISKY_ANNOTATIONS[subtype])
                    attached = annot.get("/FS")
                    if attached is not None:
                        removed.files.append(_file_name(attached))
                    continue
                kept.append(annot)
            if len(kept) != len(annots):
                page.obj["/Annots"] = kept
    for obj in pdf.objects:
        _walk(obj, lambda node: _defuse_dictionary(node, removed))
    _walk(root, lambda node: _defuse_dictionary(node, removed))
    removed.files = [name for name in removed.files if name]
    return removed


# --- 3. markings ---------------------------------------------------------------

# The markings of the law on protecting state secrets (29/2018/QH14) and the
# stamp forms of Circular 24/2020/TT-BCA: "MẬT", "TỐI MẬT", "TUYỆT MẬT", in
# capitals. In running text the word is also part of "BẢO MẬT" (security),
# "BÍ MẬT" (secret, as in a law's title), "ĐỘ MẬT" (the level), "MẬT MÃ",
# "MẬT KHẨU", "MẬT ĐỘ"…: a capital MẬT counts unless such a word is next to it.
_NOT_AFTER = ("BẢO", "BÍ", "ĐỘ", "TÍNH", "GIỮ")
_CAPITAL_MARKING = re.compile(r"(?<![^\W\d_])(TUYỆT MẬT|TỐI MẬT|MẬT)(?![^\W\d_])")
_UPPER_WORD = re.compile(r"\s+([^\W\d_]{2,})")
# A line that is only a marking, in any case, with or without diacritics: a
# typed stamp, or what optical reading makes of one.
_LINE_MARKING = re.compile(r"^\W*(tuyet mat|toi mat|mat)\W*$", re.IGNORECASE)
_PLAIN = str.maketrans({"đ": "d", "Đ": "D"})


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_PLAIN))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_upper_word(word: str) -> bool:
    return word.isupper()


def find_marking(text: str) -> str | None:
    """The secret marking in ``text``, as printed (NFC), or None.

    "bảo mật" in a sentence is not a marking, nor "BẢO MẬT" in a title;
    "MẬT" alone, after "Số: …" on the same line, or "Tối mật" on its own
    line, is.
    """
    text = unicodedata.normalize("NFC", text)
    for match in _CAPITAL_MARKING.finditer(text):
        before = text[: match.start()].rstrip()
        previous = re.search(r"([^\W\d_]+)$", before)
        if previous and previous.group(1) in _NOT_AFTER:
            continue
        following = _UPPER_WORD.match(text, match.end())
        same_line = following is not None and "\n" not in text[match.end() : following.start(1)]
        if following and same_line and _is_upper_word(following.group(1)):
            continue  # a capital word follows: "MẬT MÃ", "MẬT ĐỘ" — part of a title
        return match.group(1)
    for line in text.splitlines():
        stripped = line.strip()
        letters = [ch for ch in stripped if ch.isalpha()]
        # A stamp starts with a capital ("Mật", "MẬT", "Tối mật"); "mật)." alone
        # on a line is the end of a sentence that wrapped.
        if not letters or not letters[0].isupper():
            continue
        if len(stripped) <= 16 and _LINE_MARKING.match(_plain(stripped)):
            return stripped.strip(" .:-–—*\"'“”()[]").upper()
    return None


def _text_of_value(value: Any) -> str:
    if isinstance(value, pikepdf.String):
        return str(value)
    if isinstance(value, pikepdf.Stream):  # rich text (/RC) or an XFA packet kept as text
        try:
            return value.read_bytes()[:200_000].decode("utf-8", "replace")
        except pikepdf.PdfError:
            return ""
    return ""


def annotation_texts(page: pikepdf.Page) -> list[str]:
    """What a page's annotations say: comments, free text, stamps' names."""
    texts: list[str] = []
    annots = page.obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return texts
    for annot in list(annots)[:2000]:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        for key in ("/Contents", "/RC", "/T", "/Subj", "/V", "/TU"):
            if key in annot:
                texts.append(_text_of_value(annot[key]))
        if str(annot.get("/Subtype", "")) == "/Stamp" and "/Name" in annot:
            texts.append(str(annot["/Name"]).lstrip("/"))
    return texts


def form_texts(pdf: pikepdf.Pdf) -> list[str]:
    """The values, names and tooltips of the paper's form fields."""
    texts: list[str] = []
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return texts
    stack = list(form.get("/Fields", pikepdf.Array()))[:5000]
    seen = 0
    while stack and seen < 20000:
        field = stack.pop()
        seen += 1
        if not isinstance(field, pikepdf.Dictionary):
            continue
        for key in ("/V", "/TU", "/T", "/DV"):
            if key in field:
                texts.append(_text_of_value(field[key]))
        kids = field.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            stack.extend(list(kids)[:5000])
    return texts


def page_has_images(page: pikepdf.Page) -> bool:
    def has(resources: Any, depth: int) -> bool:
        if depth > 8 or not isinstance(resources, pikepdf.Dictionary):
            return False
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            return False
        for xobject in xobjects.values():
            subtype = str(xobject.get("/Subtype", ""))
            if subtype == "/Image":
                return True
            if subtype == "/Form" and has(xobject.get("/Resources"), depth + 1):
                return True
        return False

    try:
        return has(page.obj.get("/Resources"), 0) or b"BI" in _content_head(page)
    except pikepdf.PdfError:
        return True


def _content_head(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    data = b""
    for stream in streams:
        data += stream.read_bytes()
        if b"\nBI" in data or data.startswith(b"BI"):
            return b"BI"
    return b""


def page_digest(page: pikepdf.Page) -> str:
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


def ocr_available() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None or shutil.which("pdftoppm") is None:
        return False
    try:
        listed = subprocess.run(  # noqa: S603 - a fixed program, no shell
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in listed.stdout.split()


@dataclass(frozen=True)
class Reading:
    """What optical reading made of a page: its words line by line, and how many it is sure of."""

    text: str
    sure_words: int


# Tesseract's confidence (0-100) in a word: above SURE, a word a person
# would read there too; below HEARD, noise. Measured on this project's test
# scans: typed words score 90-97, words "read" in a picture of noise 30-78.
SURE = 85.0
HEARD = 60.0
# A scanned page is read when this many words are sure.
MIN_SURE_WORDS = 4


def _reading(tsv: str) -> Reading:
    lines: dict[tuple[str, str, str], list[str]] = {}
    sure = 0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
        except ValueError:
            continue
        word = cells[11].strip()
        if confidence >= HEARD:
            lines.setdefault((cells[2], cells[3], cells[4]), []).append(word)
        if confidence >= SURE and _meaningful(word) >= 2:
            sure += 1
    return Reading("\n".join(" ".join(words) for words in lines.values()), sure)


def ocr_page(path: str, number: int, caps: Caps) -> Reading | None:
    """What Tesseract reads on page ``number`` (from 1), or None when it could not run.

    Page segmentation mode 11 ("sparse text") finds words wherever they
    stand, so a stamp beside the text is read as well as the text.
    """
    pdftoppm, tesseract = shutil.which("pdftoppm"), shutil.which("tesseract")
    if pdftoppm is None or tesseract is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ecabinet-ocr-") as folder:
        image = Path(folder) / "page"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1"}
        try:
            subprocess.run(  # noqa: S603 - fixed programs, no shell, the path is ours
                [
                    pdftoppm,
                    "-r",
                    str(caps.ocr_dpi),
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-gray",
                    "-png",
                    "-singlefile",
                    path,
                    str(image),
                ],
                capture_output=True,
                timeout=caps.ocr_page_seconds,
                check=True,
                env=env,
            )
            read = subprocess.run(  # noqa: S603
                [tesseract, f"{image}.png", "stdout", "-l", "vie", "--psm", "11", "tsv"],
                capture_output=True,
                timeout=caps.ocr_page_seconds,
                check=True,
                env=env,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return _reading(read.stdout.decode("utf-8", "replace"))


def _meaningful(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


# A page with fewer letters and digits than this has no text layer to speak of.
MIN_PAGE_TEXT = 12


def page_texts(path: str, count: int, caps: Caps) -> list[str]:
    """Every page's text: poppler's ``pdftotext`` (fast, and already here for OCR), else pypdf."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program, no shell, the path is ours
                [pdftotext, "-q", "-enc", "UTF-8", path, "-"],
                capture_output=True,
                timeout=caps.wall_seconds,
                check=True,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            )
            pages = done.stdout.decode("utf-8", "replace").split("\f")
            if len(pages) >= count:
                return pages[:count]
        except (OSError, subprocess.SubprocessError):
            pass
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def inspect(request: dict[str, Any]) -> dict[str, Any]:
    """The child's work: ``request`` has ``source``, ``defused`` (a path to write), ``caps``, ``ocr``."""
    caps = Caps(**request.get("caps", {}))
    source, defused_path = request["source"], request["defused"]
    try:
        pdf = pikepdf.open(source, attempt_recovery=False)
    except pikepdf.PasswordError:
        return {"ok": False, "reason": "encrypted"}
    except pikepdf.PdfError:
        return {"ok": False, "reason": "damaged"}
    with pdf:
        if pdf.is_encrypted:
            return {"ok": False, "reason": "encrypted"}
        if len(pdf.pages) == 0:
            return {"ok": False, "reason": "no_pages"}
        try:
            check_caps(pdf, caps)
        except Over as over:
            return {"ok": False, "reason": over.reason, "detail": over.detail}
        removed = defuse(pdf)
        kept = source
        if removed:
            # Streams kept as they came: nothing decoded again, nothing recompressed.
            pdf.save(defused_path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
            kept = defused_path
        digests = [page_digest(page) for page in pdf.pages]
        annotations = [annotation_texts(page) for page in pdf.pages]
        images = [page_has_images(page) for page in pdf.pages]
        fields = form_texts(pdf)
    result: dict[str, Any] = {
        "ok": True,
        "page_count": len(digests),
        "page_digests": digests,
        "removed": removed.as_dict() if removed else None,
        "defused": kept == defused_path,
        "marking": None,
        "unreadable_pages": [],
        "ocr_pages": [],
    }
    for text in fields:
        marking = find_marking(text)
        if marking:
            result["marking"] = {"text": marking, "page": None, "where": "form"}
            return result
    texts = page_texts(kept, len(digests), caps)
    textless: list[int] = []
    pictured: list[int] = []
    for number, text in enumerate(texts, start=1):
        for where, candidate in [("text", text)] + [("annotation", t) for t in annotations[number - 1]]:
            marking = find_marking(candidate)
            if marking:
                result["marking"] = {"text": marking, "page": number, "where": where}
                return result
        if _meaningful(text) < MIN_PAGE_TEXT:
            textless.append(number)
        elif images[number - 1]:
            pictured.append(number)
    # Pages without text first (they can hide anything), then pages with
    # pictures, each in page order: a marking stands on the first page.
    # A page with no text and no picture is blank (or drawn lines); one with
    # a picture and no text is a scan, and a scan nobody could read is
    # unreadable.
    scans = {number for number in textless if images[number - 1]}
    to_read = (textless + pictured[: caps.ocr_pictured_pages])[: caps.ocr_pages] if request.get("ocr") else []
    for number in to_read:
        read = ocr_page(kept, number, caps)
        result["ocr_pages"].append(number)
        if read is not None:
            marking = find_marking(read.text)
            if marking:
                result["marking"] = {"text": marking, "page": number, "where": "ocr"}
                return result
        if number in scans and (read is None or read.sure_words < MIN_SURE_WORDS):
            result["unreadable_pages"].append(number)
    tried = set(to_read)
    result["unreadable_pages"] += [n for n in scans if n not in tried]
    result["unreadable_pages"].sort()
    return result
