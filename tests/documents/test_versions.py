"""New versions of a paper: readers get the current one only, the record keeps
every one, and the tablets are told live what changed (time, pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from documents.actions import do_replace_paper, do_withdraw_paper
from documents.models import Paper, PaperVersion
from documents.serving import read_link
from ecabinet.errors import Invalid, WrongState
from ecabinet.models import AuditEvent, Event
from ecabinet.tenancy import tenant_context
from meetings import actions as meeting_actions
from tests.conftest import World
from tests.documents.conftest import make_pdf, pdf_upload


def replace(
    world: World, paper: Paper, *, pages: int = 5, note: str = "Bổ sung phụ lục số liệu"
) -> PaperVersion:
    with tenant_context(world.tenant):
        return do_replace_paper(
            paper,
            upload=pdf_upload(make_pdf(pages, text="Bản sửa đổi trang")),
            change_note=note,
            acting_user=world.secretary,
        )


def test_a_new_version_becomes_current_and_the_old_one_is_kept(hanoi: World, upload_paper) -> None:
    # given
    paper = upload_paper(hanoi, pages=3)
    first = paper.current_version
    # when
    version = replace(hanoi, paper, pages=5)
    # then
    with tenant_context(hanoi.tenant):
        paper = Paper.objects.select_related("current_version").get(pk=paper.pk)
        assert paper.current_version == version and version.number == 2
        assert paper.page_count == 5 and paper.updated_at == version.uploaded_at
        kept = list(PaperVersion.objects.filter(paper=paper).order_by("number"))
        assert [v.number for v in kept] == [1, 2]
        assert Path(kept[0].file.path).exists() and kept[0] == first
        assert version.change_note == "Bổ sung phụ lục số liệu"
        assert kept[0].file.name != version.file.name


def test_the_audit_keeps_every_version(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, pages=3)
    replace(hanoi, paper, pages=4)
    replace(hanoi, paper, pages=6)
    rows = AuditEvent.objects.filter(detail__paper_id=paper.pk).order_by("at", "id")
    assert [(r.kind, r.detail["version"], r.detail["pages"]) for r in rows] == [
        (AuditEvent.Kind.PAPER_UPLOADED, 1, 3),
        (AuditEvent.Kind.PAPER_REPLACED, 2, 4),
        (AuditEvent.Kind.PAPER_REPLACED, 3, 6),
    ]
    assert [r.detail.get("previous_version") for r in rows] == [None, 1, 2]
    assert all(r.user_id == hanoi.secretary.pk for r in rows)


def test_members_see_the_current_version_only(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, pages=3)
    version = replace(hanoi, paper, pages=5)
    body = hanoi.client(hanoi.member).get(f"/api/v1/papers/{paper.pk}/").json()
    assert body["version"] == 2 and body["page_count"] == 5
    assert body["change_note"] == "Bổ sung phụ lục số liệu"
    assert "versions" not in body
    # the link is to the current version, for this member
    token = body["link"].rstrip("/").split("/")[-1]
    assert read_link(token) == (paper.pk, version.pk, hanoi.member.pk)
    listed = hanoi.client(hanoi.member).get(f"/api/v1/meetings/{hanoi.meeting.pk}/papers/").json()
    assert [(p["id"], p["version"]) for p in listed] == [(paper.pk, 2)]


def test_the_secretariat_sees_every_version(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, pages=3)
    replace(hanoi, paper, pages=5)
    body = hanoi.client(hanoi.secretary).get(f"/api/v1/papers/{paper.pk}/").json()
    assert [(v["number"], v["page_count"], v["current"]) for v in body["versions"]] == [
        (2, 5, True),
        (1, 3, False),
    ]
    assert all(v["link"] for v in body["versions"])
    page = hanoi.client(hanoi.secretary).get(reverse("documents:paper-manage", args=[paper.pk]))
    assert page.status_code == 200
    assert 'id="version-1"' in page.content.decode() and 'id="version-2"' in page.content.decode()


def test_the_paper_updated_event_says_what_changed(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, pages=3)
    replace(hanoi, paper, pages=5)
    event = Event.objects.filter(stream_id=hanoi.meeting.stream_id, type="paper.updated").get()
    assert event.data["previous_version"] == 1 and event.data["previous_page_count"] == 3
    assert event.data["paper"]["version"] == 2 and event.data["paper"]["page_count"] == 5
    assert event.data["paper"]["change_note"] == "Bổ sung phụ lục số liệu"
    assert event.data["paper"]["updated_at"]
    assert event.audience == {"item": hanoi.items[0].pk}  # a guest without the item is not told


def test_the_same_file_again_is_not_a_new_version(hanoi: World, upload_paper) -> None:
    data = make_pdf(3)
    paper = upload_paper(hanoi, upload=pdf_upload(data))
    with tenant_context(hanoi.tenant), pytest.raises(Invalid, match="giống hệt phiên bản hiện hành"):
        do_replace_paper(paper, upload=pdf_upload(data), acting_user=hanoi.secretary)
    with tenant_context(hanoi.tenant):
        assert PaperVersion.objects.filter(paper=paper).count() == 1


def test_a_withdrawn_paper_or_a_closed_meeting_takes_no_new_version(hanoi: World, upload_paper) -> None:
    withdrawn = upload_paper(hanoi)
    kept = upload_paper(hanoi, item_index=1)
    with tenant_context(hanoi.tenant):
        do_withdraw_paper(withdrawn, acting_user=hanoi.secretary)
        with pytest.raises(WrongState):
            do_replace_paper(withdrawn, upload=pdf_upload(make_pdf(4)), acting_user=hanoi.secretary)
        meeting = meeting_actions.do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        meeting_actions.do_close_meeting(meeting, acting_user=hanoi.chair)
        with pytest.raises(WrongState):
            do_replace_paper(kept, upload=pdf_upload(make_pdf(4)), acting_user=hanoi.secretary)
        assert PaperVersion.objects.count() == 2


def test_the_page_uploads_a_new_version_with_its_note(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, pages=3)
    client = hanoi.client(hanoi.secretary)
    response = client.post(
        reverse("documents:paper-replace", args=[paper.pk]),
        {"file": pdf_upload(make_pdf(7, text="Bản mới")), "change_note": "Sửa số liệu trang 4"},
        follow=True,
    )
    assert response.status_code == 200
    with tenant_context(hanoi.tenant):
        version = Paper.objects.select_related("current_version").get(pk=paper.pk).current_version
        assert version is not None and (version.number, version.page_count) == (2, 7)
        assert version.change_note == "Sửa số liệu trang 4"


def test_the_api_uploads_a_new_version(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi, pages=3)
    response = hanoi.client(hanoi.secretary).post(
        f"/api/v1/papers/{paper.pk}/versions/",
        {"file": pdf_upload(make_pdf(2, text="Bản API")), "change_note": "Rút gọn"},
    )
    assert response.status_code == 201, response.content
    body = response.json()["paper"]
    assert (body["version"], body["page_count"], body["change_note"]) == (2, 2, "Rút gọn")


# --- live -------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_tablets_are_told_live_and_a_guest_without_the_item_is_not(hanoi: World, upload_paper) -> None:
    from tests.meetings.test_socket import join, until_seq

    # given
    paper = await sync_to_async(upload_paper)(hanoi, pages=3)
    member, _ = await join(hanoi, hanoi.member)
    guest, _ = await join(hanoi, hanoi.guest)
    # when
    version = await sync_to_async(replace)(hanoi, paper, pages=5)
    seq = await sync_to_async(lambda: Event.objects.get(type="paper.updated").seq)()
    # then
    frames: list[dict[str, Any]] = await until_seq(member, seq)
    updated = frames[-1]
    assert updated["type"] == "paper.updated"
    assert updated["data"]["paper"]["id"] == paper.pk
    assert updated["data"]["paper"]["version"] == version.number == 2
    assert (updated["data"]["previous_page_count"], updated["data"]["paper"]["page_count"]) == (3, 5)
    hidden = (await until_seq(guest, seq))[-1]
    assert hidden["type"] == "redacted" and hidden["data"] == {}
    await member.disconnect()
    await guest.disconnect()
