"""An opinion slip's papers: checked at upload, stamped per reader, served behind
signed links to the members asked and the secretariat only, every open kept,
traced by ``trace_paper``, and never shown with a meeting's papers."""

from __future__ import annotations

import io
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core import signing
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.access import access_any_paper, readable_papers
from documents.models import Paper, PaperOpen, PaperVersion, StampedCopy
from documents.serving import SALT, signed_link
from documents.tasks import stamp_meeting_papers
from ecabinet.errors import Invalid, NotAllowed, WrongState
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from meetings.access import access_meeting
from tests.conftest import World
from tests.documents.conftest import files_under, make_pdf, pdf_upload
from tests.documents.test_upload import encrypted_pdf
from voting.access import access_slip
from voting.actions import do_attach_slip_paper, do_close_slip, do_issue_slip
from voting.models import Slip, SlipPaper
from voting.selectors import slip_papers

pytestmark = pytest.mark.django_db

API = "/api/v1"
TITLE = "Dự thảo Nghị quyết phân bổ vốn đầu tư công"


@pytest.fixture(autouse=True)
def papers_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "papers"
    settings.ECABINET_PAPERS_ROOT = root
    return root


def issue(w: World) -> Slip:
    """A slip asking the chair and a member, not the vice-chair, guest or observer."""
    with tenant_context(w.tenant):
        return do_issue_slip(
            tenant=w.tenant,
            question="Ý kiến về dự thảo Nghị quyết phân bổ vốn?",
            deadline=timezone.now() + timedelta(hours=48),
            recipients=[w.chair, w.member],
            acting_user=w.secretary,
        )


def attach(w: World, slip: Slip, *, pages: int = 3, upload=None, **kwargs: object) -> Paper:  # type: ignore[no-untyped-def]
    with tenant_context(w.tenant):
        link = do_attach_slip_paper(
            slip,
            upload=upload or pdf_upload(pages=pages),
            title=kwargs.pop("title", TITLE),
            acting_user=kwargs.pop("acting_user", w.secretary),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        return link.paper


def body_of(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def text_of(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def open_as(w: World, user, paper: Paper):  # type: ignore[no-untyped-def]
    """Open the paper from the slip's page, as a person does: the reader page, then its signed link."""
    client = w.client(user)
    reader = client.get(f"/papers/{paper.pk}/")
    assert reader.status_code == 302
    assert reader["Location"].startswith(f"/papers/{paper.pk}/copy/")
    return client.get(reader["Location"])


def refused_reasons() -> list[tuple[str, object]]:
    return [
        (e.detail["reason"], e.detail.get("slip_id"))
        for e in AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_UPLOAD_REFUSED)
    ]


# --- a member asked reads the slip's paper, stamped for them -------------------------------------


def test_a_member_asked_reads_the_papers_stamped_with_their_name_and_trace_code(hanoi: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip, pages=3)
    assert paper.meeting_id is None and paper.item_id is None
    # the slip's page lists the paper with its reader page
    page = hanoi.client(hanoi.member).get(f"/slips/{slip.pk}/")
    assert page.status_code == 200
    assert TITLE in page.content.decode()
    assert "Tài liệu kèm phiếu" in page.content.decode() and "3 trang" in page.content.decode()
    assert f'href="/papers/{paper.pk}/"' in page.content.decode()
    # opening it serves the member's own stamped copy
    response = open_as(hanoi, hanoi.member, paper)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private, no-store")
    pages = text_of(body_of(response))
    with tenant_context(hanoi.tenant):
        copy = StampedCopy.objects.get(version=paper.current_version, reader=hanoi.member)
        opened = PaperOpen.objects.get(paper=paper)
    assert len(pages) == 3
    assert all(copy.trace_code in text and "Giám đốc Phạm" in text for text in pages)
    assert (opened.reader_id, opened.copy_id, opened.downloaded) == (hanoi.member.pk, copy.pk, False)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PAPER_OPENED)
    assert event.detail["trace_code"] == copy.trace_code and event.detail["paper"] == paper.pk


def test_the_secretariat_reads_it_too_with_its_own_copy(hanoi: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip)
    response = open_as(hanoi, hanoi.secretary, paper)
    assert response.status_code == 200
    body_of(response)
    with tenant_context(hanoi.tenant):
        assert StampedCopy.objects.filter(reader=hanoi.secretary).count() == 1


def test_members_asked_keep_reading_after_the_slip_closes(hanoi: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip)
    with tenant_context(hanoi.tenant):
        do_close_slip(slip, acting_user=hanoi.secretary)
    assert open_as(hanoi, hanoi.member, paper).status_code == 200


def test_the_api_lists_the_papers_to_whoever_reads_the_slip(hanoi: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip, pages=2)
    response = hanoi.client(hanoi.chair).get(f"{API}/slips/{slip.pk}/papers/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": paper.pk,
            "title": TITLE,
            "kind": "draft",
            "kind_label": "Dự thảo",
            "pages": 2,
            "version": 1,
            "url": f"/papers/{paper.pk}/",
        }
    ]
    detail = hanoi.client(hanoi.chair).get(f"{API}/slips/{slip.pk}/").json()
    assert [p["id"] for p in detail["papers"]] == [paper.pk]


def test_listing_a_slips_papers_is_one_query(hanoi: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    slip = issue(hanoi)
    for n in range(3):
        attach(hanoi, slip, pages=1, title=f"Phụ lục {n + 1}")
    with tenant_context(hanoi.tenant):
        access = access_slip(hanoi.member, slip.pk)
        with django_assert_num_queries(1):
            listed = slip_papers(access)
    assert [p["title"] for p in listed] == ["Phụ lục 1", "Phụ lục 2", "Phụ lục 3"]


# --- nobody else -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_member", "observer", "guest", "vice_chair"])
def test_anyone_not_asked_gets_404_on_page_api_and_link(hanoi: World, who: str) -> None:
    # the observer, guest and vice-chair take part in the meeting but were not asked
    slip = issue(hanoi)
    paper = attach(hanoi, slip)
    user = getattr(hanoi, who)
    client = hanoi.client(user)
    assert client.get(f"/papers/{paper.pk}/").status_code == 404
    assert client.get(f"/slips/{slip.pk}/").status_code == 404
    assert client.get(f"{API}/slips/{slip.pk}/papers/").status_code == 404
    assert client.get(f"{API}/papers/{paper.pk}/").status_code == 404
    # a link signed for them (as if made) is still checked against the slip
    token = signing.dumps({"p": paper.pk, "v": paper.current_version_id, "u": user.pk}, salt=SALT)
    response = client.get(f"/papers/{paper.pk}/copy/{token}/")
    assert response.status_code == 404
    # a member's own link passed on to them is refused too
    with tenant_context(hanoi.tenant):
        members_link = signed_link(access_any_paper(hanoi.member, paper.pk))
    assert client.get(members_link).status_code == 403
    with tenant_context(hanoi.tenant):
        assert not StampedCopy.objects.filter(reader=user).exists()
        assert not PaperOpen.objects.exists()


def test_another_tenant_gets_404_everywhere(hanoi: World, danang: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip)
    for user in (danang.secretary, danang.member):
        client = danang.client(user)
        assert client.get(f"/papers/{paper.pk}/").status_code == 404
        assert client.get(f"{API}/slips/{slip.pk}/papers/").status_code == 404
        token = signing.dumps({"p": paper.pk, "v": paper.current_version_id, "u": user.pk}, salt=SALT)
        assert client.get(f"/papers/{paper.pk}/copy/{token}/").status_code == 404


def test_the_meeting_never_shows_a_slips_paper(hanoi: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip)
    with tenant_context(hanoi.tenant):
        for user in (hanoi.secretary, hanoi.chair, hanoi.member, hanoi.guest):
            assert paper.pk not in readable_papers(access_meeting(user, hanoi.meeting.pk)).values_list(
                "pk", flat=True
            )
    for user in (hanoi.secretary, hanoi.member):
        client = hanoi.client(user)
        agenda = client.get(f"/meetings/{hanoi.meeting.pk}/")
        assert agenda.status_code == 200 and TITLE not in agenda.content.decode()
        listed = client.get(f"{API}/meetings/{hanoi.meeting.pk}/papers/")
        assert listed.status_code == 200 and paper.pk not in [p["id"] for p in listed.json()]
        # nor do the meeting's paper paths open it, even for the secretariat or a member asked
        assert client.get(f"{API}/papers/{paper.pk}/").status_code == 404
        assert client.get(f"/papers/{paper.pk}/reading/").status_code == 404
        assert client.get(f"{API}/papers/{paper.pk}/notes/").status_code == 404
    assert hanoi.client(hanoi.secretary).get(f"/papers/{paper.pk}/manage/").status_code == 404
    # and stamping the meeting's papers never touches it
    with tenant_context(hanoi.tenant):
        stamp_meeting_papers.call(hanoi.tenant.pk, hanoi.meeting.pk)
        assert not StampedCopy.objects.filter(version__paper=paper).exists()


def test_a_paper_without_a_meeting_cannot_have_an_item(hanoi: World) -> None:
    with tenant_context(hanoi.tenant), pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(tenant=hanoi.tenant, meeting=None, item=hanoi.items[0], title="x")


# --- only the secretariat, only while open, only a clean PDF ---------------------------------------


REFUSALS = [
    pytest.param(lambda: pdf_upload(b"PK\x03\x04 not a pdf", name="du-thao.docx"), {}, "not_pdf", id="word"),
    pytest.param(lambda: pdf_upload(b""), {}, "empty", id="empty"),
    pytest.param(lambda: pdf_upload(make_pdf(3)[:-700]), {}, "truncated", id="truncated"),
    pytest.param(lambda: pdf_upload(encrypted_pdf(user_password="mk")), {}, "encrypted", id="encrypted"),
    pytest.param(lambda: pdf_upload(make_pdf(2, first_line="TỐI MẬT")), {}, "marked_secret", id="toi-mat"),
    pytest.param(lambda: pdf_upload(), {"declared_secret": True}, "declared_secret", id="declared-secret"),
]


@pytest.mark.parametrize(("upload", "extra", "reason"), REFUSALS)
def test_a_refused_upload_leaves_no_file_and_no_row(
    hanoi: World, papers_root: Path, upload, extra, reason
) -> None:  # type: ignore[no-untyped-def]
    slip = issue(hanoi)
    with pytest.raises(Invalid) as refused:
        attach(hanoi, slip, upload=upload(), **extra)
    assert refused.value.code == "paper_refused"
    assert Paper.all_tenants.count() == 0 and PaperVersion.all_tenants.count() == 0
    assert SlipPaper.all_tenants.count() == 0
    assert files_under(papers_root) == []
    assert refused_reasons() == [(reason, slip.pk)]


def test_the_api_refuses_a_bad_file_with_a_4xx_and_keeps_nothing(hanoi: World, papers_root: Path) -> None:
    slip = issue(hanoi)
    response = hanoi.client(hanoi.secretary).post(
        f"{API}/slips/{slip.pk}/papers/",
        {"file": pdf_upload(make_pdf(2, first_line="MẬT")), "title": TITLE},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "paper_refused"
    assert Paper.all_tenants.count() == 0 and files_under(papers_root) == []


def test_a_file_that_fails_after_it_is_written_is_dropped(
    hanoi: World, papers_root: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    slip = issue(hanoi)

    def broken(*args: object, **kwargs: object) -> None:
        raise IntegrityError("link lost")

    monkeypatch.setattr(SlipPaper.objects, "create", broken)
    with pytest.raises(IntegrityError):
        attach(hanoi, slip)
    assert Paper.all_tenants.count() == 0 and files_under(papers_root) == []


def test_the_secretariat_attaches_through_the_api_and_the_page(hanoi: World) -> None:
    slip = issue(hanoi)
    client = hanoi.client(hanoi.secretary)
    response = client.post(
        f"{API}/slips/{slip.pk}/papers/", {"file": pdf_upload(pages=2), "title": "Báo cáo tổng hợp"}
    )
    assert response.status_code == 201
    assert response.json()["paper"]["title"] == "Báo cáo tổng hợp"
    assert response.json()["paper"]["pages"] == 2
    page = client.post(
        f"/slips/{slip.pk}/papers/add/", {"file": pdf_upload(pages=1), "title": TITLE, "kind": "draft"}
    )
    assert page.status_code == 302 and page["Location"] == f"/slips/{slip.pk}/"
    with tenant_context(hanoi.tenant):
        assert [link.paper.title for link in SlipPaper.objects.filter(slip=slip).order_by("id")] == [
            "Báo cáo tổng hợp",
            TITLE,
        ]
    assert TITLE in client.get(f"/slips/{slip.pk}/").content.decode()


def test_members_cannot_attach(hanoi: World, papers_root: Path) -> None:
    slip = issue(hanoi)
    with pytest.raises(NotAllowed):
        attach(hanoi, slip, acting_user=hanoi.member)
    response = hanoi.client(hanoi.member).post(
        f"{API}/slips/{slip.pk}/papers/", {"file": pdf_upload(), "title": TITLE}
    )
    assert response.status_code == 403
    page = hanoi.client(hanoi.member).post(
        f"/slips/{slip.pk}/papers/add/", {"file": pdf_upload(), "title": TITLE}
    )
    assert page.status_code == 403
    assert Paper.all_tenants.count() == 0 and files_under(papers_root) == []


def test_a_closed_slip_takes_no_papers(hanoi: World, papers_root: Path) -> None:
    slip = issue(hanoi)
    with tenant_context(hanoi.tenant):
        do_close_slip(slip, acting_user=hanoi.secretary)
    with pytest.raises(WrongState):
        attach(hanoi, slip)
    response = hanoi.client(hanoi.secretary).post(
        f"{API}/slips/{slip.pk}/papers/", {"file": pdf_upload(), "title": TITLE}
    )
    assert response.status_code == 409
    assert Paper.all_tenants.count() == 0 and files_under(papers_root) == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(hanoi: World, papers_root: Path) -> None:
    slip = issue(hanoi)
    response = hanoi.client(hanoi.secretary).post(
        f"{API}/slips/{slip.pk}/papers/",
        {"file": pdf_upload(), "title": TITLE},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["error"] == "paper_refused"
    assert Paper.all_tenants.count() == 0 and files_under(papers_root) == []


# --- the trace ---------------------------------------------------------------------------------


def test_trace_paper_finds_a_slip_copy(hanoi: World) -> None:
    slip = issue(hanoi)
    paper = attach(hanoi, slip)
    body_of(open_as(hanoi, hanoi.member, paper))
    with tenant_context(hanoi.tenant):
        copy = StampedCopy.objects.get(reader=hanoi.member)
    out = StringIO()
    call_command("trace_paper", copy.trace_code, stdout=out)
    text = out.getvalue()
    assert "Giám đốc Phạm" in text and "hanoi-member1" in text
    assert f"{TITLE} (#{paper.pk})" in text
    assert f"Opinion slip no. {slip.number}: {slip.question}" in text  # English here (conftest)
    assert "127.0.0.1" in text  # the open, from the PaperOpen row
