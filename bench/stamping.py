"""``stamping``: a reader's stamped copy of a 100-page paper, cold and cached.

The project: ``documents.stamping.stamped_copy(version, reader)`` as the
signed link calls it — cold (a reader with no copy yet: the stamp page drawn
with reportlab in Noto Sans, laid over every page with pikepdf, the file
written to the private papers storage, the ``StampedCopy`` row inserted) and
cached (the copy already made: one query and a file check). Two diagnostic
rows: the stamping alone, in process, with no database or storage; and a
whole open through the signed link with the copy cached (the access check
again, the read row and its audit row, the 100-page file read out), through
Django's test client.

The baseline: Debian's ``qpdf --overlay`` of the same stamp page (the same
words, the same font) on the same 100 pages, as a process of its own — the
command a shell script would run.

All variants run in interleaved rounds whose order rotates, so that drift of
this shared machine falls on all alike. Each run checks that the stamp's
trace code is in the text of every page of a cold copy and of qpdf's output.
Run by ``python -m bench`` in a process of its own, whose database comes from
the environment: ``python -m bench.stamping --out FILE``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import BASE_DIR, VAR_DIR, figure, log, setup_django, summary_ms, write_json

QPDF_HINT = "apt-get install qpdf (Debian's package; the baseline of the stamping benchmark)"

# From Resolution 17/NQ-CP (2019), the yardstick of this project; repeated to fill the pages.
TEXT = (
    "Nghị quyết về một số nhiệm vụ, giải pháp trọng tâm phát triển Chính phủ điện tử giai đoạn "
    "2019 - 2020, định hướng đến 2025. Rút ngắn từ 30% - 50% thời gian họp, giảm tối đa việc sử "
    "dụng tài liệu giấy thông qua Hệ thống thông tin phục vụ họp và xử lý công việc của Chính phủ. "
    "90% văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử (trừ văn bản mật theo quy "
    "định của pháp luật). 100% các tỉnh, thành phố trực thuộc trung ương và 80% các đơn vị cấp "
    "huyện thực hiện họp Ủy ban nhân dân thông qua Hệ thống thông tin phục vụ họp và xử lý công "
    "việc. Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố "
    "trực thuộc trung ương bảo đảm an toàn, an ninh thông tin, không để lộ, lọt bí mật nhà nước. "
)


def make_paper(pages: int) -> bytes:
    """A real paper: ``pages`` A4 pages of Vietnamese text in Noto Serif."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "BenchNotoSerif"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(BASE_DIR / "static" / "fonts" / "NotoSerif-Regular.ttf")))
    lines = textwrap.wrap(TEXT * 6, width=92)
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(595.27, 841.89))
    for number in range(1, pages + 1):
        drawing.setFont(font, 14)
        drawing.drawCentredString(297.6, 790, f"TỜ TRÌNH VỀ CHÍNH PHỦ ĐIỆN TỬ — TRANG {number}")
        drawing.setFont(font, 11)
        y = 760.0
        for line in lines[(number * 7) % 20 :][:44]:
            drawing.drawString(56, y, line)
            y -= 15.5
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _texts(data: bytes) -> list[str]:
    import pypdf

    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def run(pages: int, rounds: int, qpdf: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.utils import timezone

    from bench.world import bench_world
    from documents import pdf_stamp, stamping
    from documents.access import access_paper
    from documents.actions import do_upload_paper
    from documents.serving import signed_link
    from ecabinet.models import User
    from ecabinet.tenancy import tenant_context

    world = bench_world("stamping", members=rounds + 1)
    source = make_paper(pages)
    with tenant_context(world.tenant):
        secretary = User.objects.get(username="bench-secretary")
        paper = do_upload_paper(
            world.meeting,
            upload=SimpleUploadedFile("to-trinh-100-trang.pdf", source, "application/pdf"),
            title="Tờ trình về Chính phủ điện tử (100 trang)",
            item=world.meeting.items.first(),
            acting_user=secretary,
        )
        version = paper.current_version
        assert version is not None
        readers = list(
            User.objects.filter(participations__meeting=world.meeting, username__startswith="bench-member-")
            .select_related("tenant")
            .order_by("username")
        )
        cached_reader, cold_readers = readers[0], readers[1:]
        # Warm-up, not timed: the font registered, the modules loaded, the cached reader's copy made.
        stamping.stamped_copy(version, secretary)
        cached_copy, _ = stamping.stamped_copy(version, cached_reader)
        link_access = access_paper(cached_reader, paper.pk)

    work = Path(tempfile.mkdtemp(prefix="stamping-", dir=VAR_DIR))
    source_path = work / "paper.pdf"
    source_path.write_bytes(source)
    # The baseline lays the very page the project draws for a reader: the same words, the same font.
    code = "BNCH-QPDF"
    line = stamping.stamp_line(cached_reader, timezone.now(), code)
    stamp_path = work / "stamp.pdf"
    stamp_path.write_bytes(
        pdf_stamp._stamp_page(
            595.27, 841.89, line, f"{cached_reader.full_name} · {code}", font_path=str(stamping.FONT_FILE)
        )
    )
    out_path = work / "out.pdf"
    qpdf_command = [qpdf, str(source_path), "--overlay", str(stamp_path), "--repeat=1", "--", str(out_path)]
    subprocess.run(qpdf_command, check=True, capture_output=True, timeout=60)  # noqa: S603 - fixed arguments

    client = Client(HTTP_HOST=world.host, HTTP_USER_AGENT="bench")
    client.force_login(cached_reader)
    times: dict[str, list[float]] = {
        "cold": [],
        "cached": [],
        "stamp_only": [],
        "open_cached": [],
        "qpdf": [],
    }
    cold_made: list[Any] = []

    def cold(i: int) -> None:
        with tenant_context(world.tenant):
            copy, made_now = stamping.stamped_copy(version, cold_readers[i])
        assert made_now
        cold_made.append(copy)

    def cached(i: int) -> None:
        with tenant_context(world.tenant):
            copy, made_now = stamping.stamped_copy(version, cached_reader)
        assert not made_now and copy.pk == cached_copy.pk

    def stamp_only(i: int) -> None:
        stamping.stamp_pdf(str(source_path), line, f"{cached_reader.full_name} · {code}")

    def open_cached(i: int) -> None:
        with tenant_context(world.tenant):
            url = signed_link(link_access)
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content)
        assert response.status_code == 200 and size == cached_copy.size, (response.status_code, size)

    def baseline(i: int) -> None:
        subprocess.run(qpdf_command, check=True, capture_output=True, timeout=60)  # noqa: S603

    variants: list[tuple[str, Callable[[int], None]]] = [
        ("cold", cold),
        ("cached", cached),
        ("stamp_only", stamp_only),
        ("open_cached", open_cached),
        ("qpdf", baseline),
    ]
    for i in range(rounds):
        shift = i % len(variants)
        for name, function in variants[shift:] + variants[:shift]:
            began = time.perf_counter()
            function(i)
            times[name].append(time.perf_counter() - began)

    # Checks: the stamp is in the text of every page, on both sides.
    with tenant_context(world.tenant):
        sample = cold_made[0]
        with sample.file.open("rb") as handle:
            project_texts = _texts(handle.read())
    qpdf_texts = _texts(out_path.read_bytes())
    checks = {
        "project_pages": len(project_texts),
        "project_stamped_pages": sum(sample.trace_code in t for t in project_texts),
        "baseline_pages": len(qpdf_texts),
        "baseline_stamped_pages": sum(code in t for t in qpdf_texts),
        "source_bytes": len(source),
        "project_copy_bytes": sample.size,
        "baseline_copy_bytes": out_path.stat().st_size,
    }
    shutil.rmtree(work, ignore_errors=True)
    version_line = subprocess.run([qpdf, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    qpdf_version = (version_line.stdout.splitlines() or ["qpdf"])[0]
    ms = {name: summary_ms(values) for name, values in times.items()}
    base = ms["qpdf"]["p50"]
    return {
        "pages": pages,
        "rounds": rounds,
        "qpdf": qpdf_version,
        "ms": ms,
        "checks": checks,
        "figures": [
            figure(f"stamped copy of {pages} pages, cold, p50", "ms", ms["cold"]["p50"], base, "lower"),
            figure(f"stamped copy of {pages} pages, cached, p50", "ms", ms["cached"]["p50"], base, "lower"),
            figure(
                "stamping alone, in process (no database, no storage), p50",
                "ms",
                ms["stamp_only"]["p50"],
                base,
                "lower",
            ),
            figure(
                "open through the signed link, cached copy, p50",
                "ms",
                ms["open_cached"]["p50"],
                base,
                "lower",
            ),
        ],
        "baseline_mean_ms": round(statistics.fmean(times["qpdf"]) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stamping")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        write_json(Path(args.out), {"skipped": f"qpdf not found: {QPDF_HINT}"})
        return
    # The copies go to a private papers root of the benchmark's own, removed afterwards.
    root = Path(tempfile.mkdtemp(prefix="bench-papers-", dir=VAR_DIR))
    os.environ["ECABINET_PAPERS_ROOT"] = str(root)
    try:
        setup_django()
        log(f"stamping: {args.pages} pages, {args.rounds} rounds, papers in {root.relative_to(BASE_DIR)}")
        result = run(args.pages, args.rounds, qpdf)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    write_json(Path(args.out), result)


if __name__ == "__main__":
    sys.exit(main())
