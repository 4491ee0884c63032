"""``minutes``: rendering and signing the minutes of a 40-item session.

The project: a closed session of 40 items (each opened and concluded, two
speakers on each, a named ballot on every fourth, attendance of 16 members)
drafted with ``reports.minutes.actions.do_draft_record``, then in rounds:

- **render + sign**: what issuing does to make the file — the facts read
  again from the record, put into words (``reports.minutes.rendering.record_context``),
  rendered in the administrative layout (``ecabinet.pdf.render_pdf``) and
  signed with the tenant's certificate (``ecabinet.signing.sign_pdf``);
- diagnostics: the rendering alone, and the whole action
  ``do_issue_record`` (number, render, sign, the SignedDocument and audit
  rows, the ``record.issued`` event) in a transaction rolled back after each
  round, so the same draft can be issued again.

The baseline, beside it: WeasyPrint rendering a plain page of the same length
— the text of the project's minutes as plain paragraphs in the same font, no
layout, no signature.

Variants run in interleaved rounds whose order rotates. Each run checks that
the signed minutes verify (``ecabinet.signing.verify_pdf``), that their text has
every item's title, and how many pages each side has.
Run by ``python -m bench`` in a process of its own, whose database comes from
the environment: ``python -m bench.minutes --out FILE``.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import BASE_DIR, VAR_DIR, figure, log, setup_django, summary_ms, write_json

ITEMS = 40
MEMBERS = 16


def _text_pages(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


class _Rollback(Exception):
    pass


def held_session(items: int, members: int) -> Any:
    """A closed meeting of ``items`` items, held through the actions, and its minutes' draft."""
    from ecabinet.actions import do_create_tenant, do_create_user
    from ecabinet.models import Tenant, User
    from ecabinet.roles import Role
    from ecabinet.tenancy import tenant_context
    from meetings import actions as m
    from meetings.models import Participant
    from reports.minutes.actions import do_draft_record
    from voting.actions import do_cast_vote, do_close_ballot, do_open_ballot

    tenant = Tenant.objects.filter(slug="hanoi").first() or do_create_tenant(
        slug="hanoi", name="UBND thành phố Hà Nội", level=Tenant.Level.PROVINCE
    )
    with tenant_context(tenant):

        def user(username: str, full_name: str, title: str, **extra: Any) -> User:
            return User.objects.filter(username=username).first() or do_create_user(
                tenant=tenant, username=username, full_name=full_name, title=title, password=None, **extra
            )

        secretary = user(
            "bench-secretary", "Chánh Văn phòng (đo hiệu năng)", "Chánh Văn phòng", is_secretariat=True
        )
        chair = user("bench-chair", "Nguyễn Văn Chủ Tịch", "Chủ tịch UBND thành phố")
        people = [
            user(f"bench-minutes-{i:02d}", f"Trần Thị Thành Viên {i + 1}", "Giám đốc Sở")
            for i in range(members)
        ]
        meeting = m.do_create_meeting(
            tenant=tenant,
            title="Phiên họp thường kỳ tháng 11 năm 2026 (đo hiệu năng biên bản)",
            scheduled_start=datetime.now(UTC),
            acting_user=secretary,
        )
        for n in range(items):
            m.do_add_item(
                meeting,
                title=f"Tờ trình số {n + 1} về kế hoạch đầu tư công và giải ngân vốn năm 2027 của thành phố",
                presenting_unit=f"Sở Kế hoạch và Đầu tư (nội dung {n + 1})",
                planned_minutes=10,
                acting_user=secretary,
            )
        m.do_add_participant(meeting, user=chair, role=Role.CHAIR, acting_user=secretary)
        for person in people:
            m.do_add_participant(meeting, user=person, role=Role.MEMBER, acting_user=secretary)
        meeting = m.do_publish_meeting(meeting, acting_user=secretary)
        participants = {p.user_id: p for p in Participant.objects.filter(meeting=meeting)}
        for person in [chair, *people]:
            m.do_check_in(participants[person.pk], attendance="room", acting_user=person)
        meeting = m.do_start_meeting(meeting, acting_user=chair)
        for n, item in enumerate(meeting.items.order_by("position")):
            m.do_open_item(meeting, item=item, acting_user=chair)
            for speaker in people[n % members : n % members + 2]:
                request = m.do_request_to_speak(meeting, participant=participants[speaker.pk], kind="speech")
                m.do_give_floor(meeting, request_id=request.pk, acting_user=chair)
            m.do_end_speech(meeting, acting_user=chair)
            if n % 4 == 0:
                ballot = do_open_ballot(
                    meeting, acting_user=chair, question=f"Thông qua Tờ trình số {n + 1}?"
                )
                for voter in people[: members // 2 + 2]:
                    do_cast_vote(ballot, participant=participants[voter.pk], option="for")
                do_close_ballot(ballot, acting_user=chair)
            m.do_conclude_item(
                meeting,
                conclusion=(
                    f"Thống nhất thông qua Tờ trình số {n + 1}; giao Sở Kế hoạch và Đầu tư hoàn thiện hồ sơ, "
                    "phối hợp với Sở Tài chính rà soát nguồn vốn, báo cáo Ủy ban nhân dân thành phố trước "
                    "ngày 15 tháng 12 năm 2026."
                ),
                acting_user=chair,
            )
        meeting = m.do_close_meeting(meeting, acting_user=chair)
        record = do_draft_record(meeting, kind="minutes", acting_user=secretary)
    return tenant, secretary, record


def plain_html(text: str) -> str:
    """The baseline's page: the same text as plain paragraphs, in the same font."""
    font = (BASE_DIR / "static" / "fonts" / "NotoSerif-Regular.ttf").as_uri()
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>'
        f'@font-face {{ font-family: "Plain Serif"; src: url("{font}"); }}'
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }"
        'html { font-family: "Plain Serif"; font-size: 13pt; line-height: 1.35; } p { margin: 0 0 6pt; }'
        f"</style></head><body>{paragraphs}</body></html>"
    )


def run(items: int, rounds: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import translation
    from weasyprint import HTML

    from ecabinet import pdf, signing
    from ecabinet.tenancy import tenant_context
    from reports import minutes
    from reports.minutes.actions import do_issue_record

    began = time.perf_counter()
    tenant, secretary, record = held_session(items, MEMBERS)
    log(f"minutes: a session of {items} items held and drafted in {time.perf_counter() - began:.1f} s")

    def render() -> bytes:
        with translation.override("vi"):
            context = minutes.record_context(record, minutes.refreshed_content(record))
            context |= {"title": minutes.document_title(record), "number_symbol": "01/BB-UBND"}
            return pdf.render_pdf(minutes.TEMPLATES["minutes"], context)

    def render_and_sign() -> bytes:
        return signing.sign_pdf(render(), tenant=tenant, reason="01/BB-UBND", location=pdf.place_of(tenant))

    with tenant_context(tenant):
        signed = render_and_sign()  # warm-up, not timed: fonts, templates, the certificate
    pages = _text_pages(signed)
    baseline_html = plain_html("\n".join(pages))
    baseline_pdf = HTML(string=baseline_html).write_pdf()
    assert baseline_pdf is not None  # write_pdf returns bytes without a target
    issued: list[bytes] = []

    def project(i: int) -> None:
        with tenant_context(tenant):
            render_and_sign()

    def render_only(i: int) -> None:
        with tenant_context(tenant):
            render()

    def issue(i: int) -> None:
        try:
            with tenant_context(tenant), transaction.atomic():
                done = do_issue_record(record, acting_user=secretary)
                if not issued and done.document is not None:
                    issued.append(bytes(done.document.content))
                raise _Rollback
        except _Rollback:
            pass

    def baseline(i: int) -> None:
        HTML(string=baseline_html).write_pdf()

    variants: list[tuple[str, Callable[[int], None]]] = [
        ("render_sign", project),
        ("render_only", render_only),
        ("issue", issue),
        ("baseline", baseline),
    ]
    times: dict[str, list[float]] = {name: [] for name, _ in variants}
    for i in range(rounds):
        shift = i % len(variants)
        for name, function in variants[shift:] + variants[:shift]:
            started = time.perf_counter()
            function(i)
            times[name].append(time.perf_counter() - started)

    verification = signing.verify_pdf(issued[0])
    issued_text = " ".join(" ".join(_text_pages(issued[0])).split())
    with tenant_context(tenant):
        titles = [i["title"] for i in record.content["facts"]["items"]]
    checks = {
        "items": len(titles),
        "titles_in_text": sum(" ".join(t.split()) in issued_text for t in titles),
        "signature_ok": verification.ok,
        "signature_problem": verification.problem,
        "project_pages": len(pages),
        "baseline_pages": len(_text_pages(baseline_pdf)),
        "project_bytes": len(issued[0]),
        "baseline_bytes": len(baseline_pdf),
    }
    s = {name: summary_ms(values) for name, values in times.items()}
    seconds = {
        name: {k: (v / 1000 if k != "n" else v) for k, v in summary.items()} for name, summary in s.items()
    }
    base = seconds["baseline"]["p50"]
    return {
        "items": items,
        "rounds": rounds,
        "seconds": seconds,
        "checks": checks,
        "figures": [
            figure(
                f"minutes of {items} items: render + sign, p50",
                "s",
                seconds["render_sign"]["p50"],
                base,
                "lower",
            ),
            figure("minutes: rendering alone, p50", "s", seconds["render_only"]["p50"], base, "lower"),
            figure(
                "minutes: the whole issue action (rolled back), p50",
                "s",
                seconds["issue"]["p50"],
                base,
                "lower",
            ),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.minutes")
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    # A certificate of the benchmark's own, self-signed, removed afterwards.
    signing_dir = Path(tempfile.mkdtemp(prefix="bench-signing-", dir=VAR_DIR))
    os.environ["ECABINET_SIGNING_DIR"] = str(signing_dir)
    os.environ["ECABINET_SIGNING_P12"] = ""
    os.environ["ECABINET_SIGNING_SELF_SIGNED"] = "true"
    try:
        setup_django()
        log(
            f"minutes: {args.items} items, {args.rounds} rounds, "
            f"certificate in {signing_dir.relative_to(BASE_DIR)}"
        )
        result = run(args.items, args.rounds)
    finally:
        shutil.rmtree(signing_dir, ignore_errors=True)
    write_json(Path(args.out), result)


if __name__ == "__main__":
    main()
