"""A member's notes on a paper: invisible to everyone but their author unless
shared — on the page, in the API and in socket frames; shared ones reach the
participants who receive the paper and nobody else; they follow the member
to a new version, flagged where the page changed."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from reportlab.pdfgen import canvas

from documents.access import access_paper
from documents.actions import do_end_reading, do_replace_paper
from documents.models import Paper, PaperNote
from documents.notes import do_add_note, do_edit_note
from ecabinet.models import Event
from ecabinet.realtime import frames_for
from ecabinet.tenancy import tenant_context
from meetings.access import access_meeting
from tests.conftest import World
from tests.documents.conftest import make_pdf, pdf_upload

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Ý kiến riêng: cần làm rõ nguồn vốn"


def notes_url(paper: Paper, note_id: int | None = None) -> str:
    return f"/api/v1/papers/{paper.pk}/notes/" + (f"{note_id}/" if note_id else "")


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def texts(client: Client, paper: Paper) -> list[str]:
    response = client.get(notes_url(paper))
    assert response.status_code == 200
    return [note["text"] for note in response.json()["notes"]]


def pages_pdf(*lines: str) -> bytes:
    """A PDF with one line of text per page, so that one page can change alone."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=(595.27, 841.89))
    for line in lines:
        drawing.drawString(72, 740, line)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def add(world: World, paper: Paper, user: Any, **kwargs: Any) -> PaperNote:
    with tenant_context(world.tenant):
        access = access_paper(user, paper.pk)
        return do_add_note(access, acting_user=user, **{"page": 1, "text": SECRET_TEXT, **kwargs})


# --- writing ------------------------------------------------------------------------------


def test_a_member_adds_a_note_with_a_region_and_reads_it_back(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    paper = upload_paper(hanoi, pages=3)
    client = hanoi.client(hanoi.member)

    # when
    response = post(
        client,
        notes_url(paper),
        {"page": 2, "text": "  Xem lại số liệu  ", "region": {"x": 0.1, "y": 0.2, "w": 0.5, "h": 0.25}},
    )

    # then
    assert response.status_code == 201, response.content
    note = response.json()["note"]
    assert note["page"] == 2
    assert note["text"] == "Xem lại số liệu"
    assert note["region"] == {"x": 0.1, "y": 0.2, "w": 0.5, "h": 0.25}
    assert note["shared"] is False and note["mine"] is True and note["page_changed"] is False
    assert texts(client, paper) == ["Xem lại số liệu"]
    with tenant_context(hanoi.tenant):
        stored = PaperNote.objects.get(pk=note["id"])
        assert stored.version_id == paper.current_version_id
        assert stored.page_digest == paper.current_version.page_digests[1]


@pytest.mark.parametrize(
    "body",
    [
        {"page": 0, "text": "x"},
        {"page": 4, "text": "x"},
        {"page": "hai", "text": "x"},
        {"page": 1, "text": ""},
        {"page": 1, "text": "   "},
        {"page": 1, "text": "x" * 5001},
        {"page": 1},
        {"text": "x"},
        {"page": 1, "text": "x", "region": {"x": 0.6, "y": 0.1, "w": 0.5, "h": 0.1}},
        {"page": 1, "text": "x", "region": {"x": 0.1, "y": 0.1, "w": 0, "h": 0.1}},
        {"page": 1, "text": "x", "region": {"x": -0.1, "y": 0.1, "w": 0.1, "h": 0.1}},
        {"page": 1, "text": "x", "region": {"x": 0.1, "y": 0.1, "w": 0.1}},
        {"page": 1, "text": "x", "region": {"x": 0.1, "y": 0.1, "w": 0.1, "h": 0.1, "z": 1}},
        {"page": 1, "text": "x", "region": [0.1, 0.1, 0.1, 0.1]},
        {"page": 1, "text": "x", "region": {"x": "NaN", "y": 0.1, "w": 0.1, "h": 0.1}},
        {"page": 1, "text": "x", "shared": "perhaps"},
        {"page": 1, "text": "x", "colour": "yellow"},
        ["page", 1],
    ],
)
def test_bad_notes_are_refused_with_a_clear_400(
    hanoi: World, upload_paper: Callable[..., Paper], body: Any
) -> None:
    paper = upload_paper(hanoi, pages=3)
    response = post(hanoi.client(hanoi.member), notes_url(paper), body)
    assert response.status_code == 400, response.content
    assert response.json()["error"] and response.json()["detail"]
    with tenant_context(hanoi.tenant):
        assert not PaperNote.objects.exists()


def test_a_body_that_is_not_json_is_a_400(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    paper = upload_paper(hanoi)
    response = hanoi.client(hanoi.member).post(
        notes_url(paper), data="{page", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_author_edits_shares_and_deletes_a_note(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    # given
    paper = upload_paper(hanoi)
    note = add(hanoi, paper, hanoi.member)
    author = hanoi.client(hanoi.member)
    colleague = hanoi.client(hanoi.vice_chair)

    # when: edited
    response = patch(author, notes_url(paper, note.pk), {"text": "Đã sửa"})
    # then
    assert response.status_code == 200 and response.json()["note"]["text"] == "Đã sửa"
    assert texts(colleague, paper) == []

    # when: shared
    assert patch(author, notes_url(paper, note.pk), {"shared": True}).status_code == 200
    # then
    assert texts(colleague, paper) == ["Đã sửa"]
    shared = colleague.get(notes_url(paper)).json()["notes"][0]
    assert shared["mine"] is False and shared["author_name"] == hanoi.member.full_name

    # when: made private again, then deleted
    assert patch(author, notes_url(paper, note.pk), {"shared": False}).status_code == 200
    assert texts(colleague, paper) == []
    assert author.delete(notes_url(paper, note.pk)).status_code == 204
    assert texts(author, paper) == []
    assert author.delete(notes_url(paper, note.pk)).status_code == 404


# --- who sees what ------------------------------------------------------------------------


def test_a_private_note_is_seen_by_its_author_only(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    # given
    paper = upload_paper(hanoi)
    note = add(hanoi, paper, hanoi.member)

    # then: the author
    assert texts(hanoi.client(hanoi.member), paper) == [SECRET_TEXT]
    assert json.dumps(SECRET_TEXT)[1:-1] in _reader_html(hanoi, hanoi.member, paper)
    # and nobody else: not in the list, not by id, not on the page, not to change
    for user in (hanoi.chair, hanoi.vice_chair, hanoi.observer, hanoi.secretary):
        client = hanoi.client(user)
        assert texts(client, paper) == [], user
        assert client.get(notes_url(paper, note.pk)).status_code == 404
        assert patch(client, notes_url(paper, note.pk), {"text": "x"}).status_code == 404
        assert client.delete(notes_url(paper, note.pk)).status_code == 404
        html = _reader_html(hanoi, user, paper)
        assert json.dumps(SECRET_TEXT)[1:-1] not in html and SECRET_TEXT not in html
    with tenant_context(hanoi.tenant):
        assert PaperNote.objects.get(pk=note.pk).text == SECRET_TEXT


def _reader_html(world: World, user: Any, paper: Paper) -> str:
    response = world.client(user).get(f"/papers/{paper.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_shared_note_reaches_the_participants_who_receive_the_paper_only(
    hanoi: World, danang: World, upload_paper: Callable[..., Paper]
) -> None:
    # given: a shared note on a paper of the first item, one restricted to the chair and the member
    paper = upload_paper(hanoi)
    restricted = upload_paper(hanoi, restricted=True, recipients=[hanoi.chair, hanoi.member])
    add(hanoi, paper, hanoi.member, shared=True)
    add(hanoi, restricted, hanoi.member, shared=True)

    # then: the participants who receive each paper
    for user in (hanoi.chair, hanoi.vice_chair, hanoi.observer):
        assert texts(hanoi.client(user), paper) == [SECRET_TEXT]
    assert texts(hanoi.client(hanoi.chair), restricted) == [SECRET_TEXT]
    # not a participant who does not receive it, a guest without the item, another tenant
    assert hanoi.client(hanoi.vice_chair).get(notes_url(restricted)).status_code == 404
    assert hanoi.client(hanoi.guest).get(notes_url(paper)).status_code == 404
    assert hanoi.client(hanoi.other_member).get(notes_url(paper)).status_code == 404
    assert danang.client(danang.member).get(notes_url(paper)).status_code == 404
    # the secretariat reads the paper but takes no part: members' notes are theirs
    assert texts(hanoi.client(hanoi.secretary), paper) == []


def test_only_participants_may_share(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.secretary)
    assert post(client, notes_url(paper), {"page": 1, "text": "Ghi chú", "shared": True}).status_code == 403
    assert post(client, notes_url(paper), {"page": 1, "text": "Ghi chú"}).status_code == 201


def test_after_reading_ends_a_member_no_longer_reaches_the_notes(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    paper = upload_paper(hanoi)
    add(hanoi, paper, hanoi.member)
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    response = hanoi.client(hanoi.member).get(notes_url(paper))
    assert response.status_code == 403
    assert response.json()["error"] == "reading_ended"


def test_note_events_are_redacted_for_everyone_the_note_is_not_for(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        start = hanoi.meeting.stream.__class__.objects.get(pk=hanoi.meeting.stream_id).last_seq

    # when: a private note, then a shared one
    post(hanoi.client(hanoi.member), notes_url(paper), {"page": 1, "text": SECRET_TEXT})
    post(hanoi.client(hanoi.member), notes_url(paper), {"page": 1, "text": "Chia sẻ", "shared": True})

    # then: no note's text travels in any event
    with tenant_context(hanoi.tenant):
        events = list(Event.objects.filter(stream_id=hanoi.meeting.stream_id, seq__gt=start).order_by("seq"))
        assert [e.type for e in events] == ["note.added", "note.added"]
        assert all(SECRET_TEXT not in json.dumps(e.data) for e in events)

        def seen_by(user: Any) -> list[str]:
            access = access_meeting(user, hanoi.meeting.pk)
            return [frame["type"] for frame in frames_for(events, access.can_see)]

        assert seen_by(hanoi.member) == ["note.added", "note.added"]
        assert seen_by(hanoi.vice_chair) == ["redacted", "note.added"]
        assert seen_by(hanoi.chair) == ["redacted", "note.added"]
        assert seen_by(hanoi.guest) == ["redacted", "redacted"]  # not its item
        assert seen_by(hanoi.secretary) == ["redacted", "redacted"]
    # and the replay API redacts the same way
    replay = hanoi.client(hanoi.vice_chair).get(f"/api/v1/meetings/{hanoi.meeting.pk}/events/?since={start}")
    assert [f["type"] for f in replay.json()["events"]] == ["redacted", "note.added"]


def test_unsharing_tells_those_who_saw_the_note(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    paper = upload_paper(hanoi)
    note = add(hanoi, paper, hanoi.member, shared=True)
    with tenant_context(hanoi.tenant):
        do_edit_note(note, access_paper(hanoi.member, paper.pk), shared=False, acting_user=hanoi.member)
        event = Event.objects.filter(stream_id=hanoi.meeting.stream_id).order_by("-seq").first()
        assert event is not None and event.type == "note.changed"
        assert hanoi.vice_chair.pk in event.audience["users"]
        # a later private edit is the author's alone
        do_edit_note(note, access_paper(hanoi.member, paper.pk), text="Riêng", acting_user=hanoi.member)
        event = Event.objects.filter(stream_id=hanoi.meeting.stream_id).order_by("-seq").first()
        assert event is not None and event.audience == {"users": [hanoi.member.pk]}


# --- following a new version --------------------------------------------------------------


def test_notes_follow_the_member_to_a_new_version_flagged_where_the_page_changed(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given: notes on pages 1, 2 and 3 of version 1
    paper = upload_paper(
        hanoi, upload=pdf_upload(pages_pdf("Trang một", "Trang hai", "Trang ba")), title="Dự thảo"
    )
    for page in (1, 2, 3):
        add(hanoi, paper, hanoi.member, page=page, text=f"Ghi chú trang {page}")

    # when: version 2 changes page 2 and drops page 3
    with tenant_context(hanoi.tenant):
        do_replace_paper(
            paper, upload=pdf_upload(pages_pdf("Trang một", "Trang hai, đã sửa")), acting_user=hanoi.secretary
        )

    # then
    notes = {n["page"]: n for n in hanoi.client(hanoi.member).get(notes_url(paper)).json()["notes"]}
    assert set(notes) == {1, 2, 3}
    assert notes[1]["page_changed"] is False and notes[1]["version"] == 1
    assert notes[2]["page_changed"] is True and notes[2]["page_missing"] is False
    assert notes[3]["page_changed"] is True and notes[3]["page_missing"] is True

    # when: the member edits the note of the changed page, having read it again
    response = patch(hanoi.client(hanoi.member), notes_url(paper, notes[2]["id"]), {"text": "Đã đọc lại"})
    # then: it now belongs to version 2 and the flag is gone
    assert response.json()["note"]["page_changed"] is False and response.json()["note"]["version"] == 2
    # a note whose page is gone must be moved to a page that exists
    assert (
        patch(hanoi.client(hanoi.member), notes_url(paper, notes[3]["id"]), {"text": "x"}).status_code == 400
    )
    moved = patch(hanoi.client(hanoi.member), notes_url(paper, notes[3]["id"]), {"page": 2})
    assert moved.status_code == 200 and moved.json()["note"]["page"] == 2


def test_a_new_version_with_the_same_pages_flags_nothing(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    paper = upload_paper(hanoi, upload=pdf_upload(make_pdf(2, first_line="Bản 1")))
    add(hanoi, paper, hanoi.member, page=2)
    with tenant_context(hanoi.tenant):
        do_replace_paper(
            paper, upload=pdf_upload(make_pdf(2, first_line="Bản 2")), acting_user=hanoi.secretary
        )
    (note,) = hanoi.client(hanoi.member).get(notes_url(paper)).json()["notes"]
    assert note["page"] == 2 and note["page_changed"] is False


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_socket_frames_carry_a_private_note_to_its_author_only(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    from asgiref.sync import sync_to_async

    from tests.meetings.test_socket import join

    # given: the member and the vice-chair follow the meeting
    paper = await sync_to_async(upload_paper)(hanoi)
    author, _ = await join(hanoi, hanoi.member)
    colleague, _ = await join(hanoi, hanoi.vice_chair)
    try:
        # when: a private note, then a shared one
        client = await sync_to_async(hanoi.client)(hanoi.member)
        for body in ({"page": 1, "text": SECRET_TEXT}, {"page": 1, "text": "Chia sẻ", "shared": True}):
            response = await sync_to_async(post)(client, notes_url(paper), body)
            assert response.status_code == 201

        # then
        mine = [await author.receive_json_from(timeout=5) for _ in range(2)]
        theirs = [await colleague.receive_json_from(timeout=5) for _ in range(2)]
        assert [f["type"] for f in mine] == ["note.added", "note.added"]
        assert mine[0]["data"]["paper_id"] == paper.pk
        assert [f["type"] for f in theirs] == ["redacted", "note.added"]
        assert theirs[0]["data"] == {} and theirs[0]["seq"] == mine[0]["seq"]
        assert all(SECRET_TEXT not in json.dumps(frame) for frame in mine + theirs)
    finally:
        await author.disconnect()
        await colleague.disconnect()


def test_the_notes_list_costs_the_same_whatever_the_number_of_notes(
    hanoi: World, upload_paper: Callable[..., Paper], django_assert_num_queries: Any
) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # given
    paper = upload_paper(hanoi, pages=3)
    add(hanoi, paper, hanoi.member)
    client = hanoi.client(hanoi.vice_chair)
    client.get(notes_url(paper))
    reset_queries()  # a request clears the log mid-way: start it empty
    with CaptureQueriesContext(connection) as one:
        assert client.get(notes_url(paper)).status_code == 200
    expected = len(one)  # now: the captured list is a live view of the log

    # when: many notes, private and shared, by several members
    for n in range(6):
        add(hanoi, paper, hanoi.member, page=1 + n % 3, shared=n % 2 == 0)
        add(hanoi, paper, hanoi.chair, page=1 + n % 3, shared=True, text=f"Chủ tịch {n}")

    # then
    reset_queries()  # a request clears the log mid-way: start it empty
    with django_assert_num_queries(expected):
        response = client.get(notes_url(paper))
    assert len(response.json()["notes"]) == 9
