"""Minutes and conclusion notices: drafted from the session's record, edited,
issued as a signed PDF in Vietnamese, immutable once issued; who may do what."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation

from ecabinet.errors import Invalid, NotAllowed, NotFound, WrongState
from ecabinet.models import AuditEvent, Event, SignedDocument
from ecabinet.signing import verify_pdf
from ecabinet.tenancy import tenant_context
from meetings.actions import (
    do_check_in,
    do_close_meeting,
    do_conclude_item,
    do_end_speech,
    do_give_floor,
    do_name_substitute,
    do_open_item,
    do_request_to_speak,
    do_start_meeting,
)
from meetings.models import Meeting, Participant
from reports.minutes.access import access_record
from reports.minutes.actions import do_draft_record, do_issue_record, do_update_record
from reports.minutes.selectors import record_facts
from reports.models import MeetingRecord
from tests.conftest import World
from tests.ecabinet.pdf_helpers import pdf_text
from voting.actions import (
    do_adopt_consent_list,
    do_cast_vote,
    do_close_ballot,
    do_give_position,
    do_open_ballot,
)

CONCLUSION_1 = "Thống nhất thông qua Tờ trình; giao Sở Tài chính hoàn thiện trước ngày 15/12/2026."
CONCLUSION_2 = "Ghi nhận báo cáo; các sở tiếp tục theo dõi tiến độ giải ngân."


def _p(world: World, user) -> Participant:  # type: ignore[no-untyped-def]
    return Participant.objects.get(meeting=world.meeting, user=user)


def hold_session(w: World, *, close: bool = True) -> Meeting:
    """Hà Nội's meeting held: check-ins, the third item on the consent list, a speaker
    and a named ballot on the first, conclusions; closed unless asked not to."""
    meeting = w.meeting
    for user in (w.chair, w.vice_chair, w.member):
        do_give_position(w.items[2], participant=_p(w, user), kind="no_objection")
    do_check_in(_p(w, w.chair), attendance="room", acting_user=w.chair)
    do_check_in(_p(w, w.member), attendance="remote", acting_user=w.member)
    meeting = do_start_meeting(meeting, acting_user=w.chair)
    do_adopt_consent_list(meeting, acting_user=w.chair)
    do_open_item(meeting, item=w.items[0], acting_user=w.chair)
    request = do_request_to_speak(meeting, participant=_p(w, w.member), kind="speech")
    do_give_floor(meeting, request_id=request.pk, acting_user=w.chair)
    do_end_speech(meeting, acting_user=w.chair)
    ballot = do_open_ballot(meeting, acting_user=w.chair, question="Thông qua kế hoạch đầu tư công?")
    do_cast_vote(ballot, participant=_p(w, w.member), option="for")
    do_cast_vote(ballot, participant=_p(w, w.chair), option="for")
    do_close_ballot(ballot, acting_user=w.chair)
    do_conclude_item(meeting, conclusion=CONCLUSION_1, acting_user=w.chair)
    do_open_item(meeting, item=w.items[1], acting_user=w.chair)
    do_conclude_item(meeting, conclusion=CONCLUSION_2, acting_user=w.chair)
    if close:
        meeting = do_close_meeting(meeting, acting_user=w.chair)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def held(in_hanoi: World) -> World:
    hold_session(in_hanoi)
    return in_hanoi


# --- the draft --------------------------------------------------------------------------


def test_the_draft_holds_the_record_of_the_session(held):
    w = held
    record = do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    facts = record.content["facts"]
    assert facts["chair"]["name"] == "Chủ tịch Nguyễn"
    assert facts["members_total"] == 3 and facts["members_present"] == 2
    states = {row["name"]: (row["role"], row["attendance"]) for row in facts["attendance"]}
    assert states["Giám đốc Phạm"] == ("member", "remote")
    assert states["Phó Chủ tịch Trần"] == ("vice_chair", "")
    first, second, third = facts["items"]
    assert [first["title"], first["presenting_unit"], first["planned_minutes"]] == [
        "Tờ trình về kế hoạch đầu tư công năm 2027",
        "Sở Tài chính",
        30,
    ]
    assert first["conclusion"] == CONCLUSION_1 and first["status"] == "concluded"
    assert [s["name"] for s in first["speakers"]] == ["Giám đốc Phạm"]
    assert first["ballots"][0]["counts"] == {"for": 2, "against": 0, "abstain": 0}
    assert first["ballots"][0]["outcome"] == "passed" and first["ballots"][0]["winner"] == "for"
    assert third["consent_adopted_at"] and third["positions"] == {"no_objection": 3}
    assert second["speakers"] == [] and second["ballots"] == []
    # the texts start from the chair's conclusions
    assert [i["conclusion"] for i in record.content["items"]][:2] == [CONCLUSION_1, CONCLUSION_2]
    assert AuditEvent.objects.filter(kind="minutes_drafted").count() == 1


def test_substitutes_are_in_the_attendance(in_hanoi):
    w = in_hanoi
    do_name_substitute(_p(w, w.vice_chair), substitute=w.other_member, acting_user=w.secretary)
    do_check_in(_p(w, w.other_member), attendance="room", acting_user=w.other_member)
    facts = record_facts(w.meeting)
    rows = {row["name"]: row for row in facts["attendance"]}
    assert (
        rows["Phó Chủ tịch Trần"]["cannot_attend"]
        and rows["Phó Chủ tịch Trần"]["substitute"] == "Giám đốc Hoàng"
    )
    assert rows["Giám đốc Hoàng"]["substitute_for"] == "Phó Chủ tịch Trần"
    # the substitute counts for the vice-chair, never both
    assert facts["members_total"] == 3 and facts["members_present"] == 1


def test_editing_keeps_texts_when_drafted_again_and_refuses_bad_input(held):
    w = held
    record = do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    item_id = w.items[0].pk
    record = do_update_record(
        record,
        changes={
            "attendance_note": "Vắng: Phó Chủ tịch Trần (đi công tác).",
            "items": [{"item_id": item_id, "discussion": "Các thành viên thống nhất cao."}],
        },
        acting_user=w.secretary,
    )
    record = do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    assert record.content["attendance_note"] == "Vắng: Phó Chủ tịch Trần (đi công tác)."
    assert record.content["items"][0]["discussion"] == "Các thành viên thống nhất cao."
    assert record.content["items"][0]["conclusion"] == CONCLUSION_1
    with pytest.raises(Invalid):
        do_update_record(record, changes={"title": "x"}, acting_user=w.secretary)
    with pytest.raises(Invalid):
        do_update_record(
            record, changes={"items": [{"item_id": 999999, "conclusion": "x"}]}, acting_user=w.secretary
        )
    with pytest.raises(Invalid):
        do_update_record(record, changes={"opening": 5}, acting_user=w.secretary)
    with pytest.raises(Invalid):
        do_update_record(record, changes={"opening": "x" * 20_001}, acting_user=w.secretary)
    notice = do_draft_record(w.meeting, kind="notice", acting_user=w.secretary)
    with pytest.raises(Invalid):  # a notice has no discussion
        do_update_record(
            notice, changes={"items": [{"item_id": item_id, "discussion": "x"}]}, acting_user=w.secretary
        )


def test_a_record_is_drafted_once_the_session_started_and_issued_once_closed(in_hanoi, signing_dir):
    w = in_hanoi
    with pytest.raises(WrongState):
        do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    meeting = hold_session(w, close=False)
    record = do_draft_record(meeting, kind="minutes", acting_user=w.secretary)
    with pytest.raises(WrongState):
        do_issue_record(record, acting_user=w.secretary)
    assert not SignedDocument.objects.exists()


# --- issuing ----------------------------------------------------------------------------


def test_the_minutes_pdf_is_in_vietnamese_signed_and_sent_to_the_tablets(held, signing_dir):
    w = held
    with translation.override("en"):  # whoever issues, the document is in Vietnamese
        record = do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
        record = do_update_record(
            record,
            changes={"general_conclusion": "Giao Văn phòng UBND theo dõi, đôn đốc."},
            acting_user=w.secretary,
        )
        last_seq = w.meeting.stream.__class__.objects.get(pk=w.meeting.stream_id).last_seq
        record = do_issue_record(record, acting_user=w.secretary)
    assert record.status == "issued" and record.issued_at is not None
    document = record.document
    assert document.kind == "meeting_minutes" and document.number_symbol == "01/BB-UBND"
    data = bytes(document.content)
    text = " ".join(pdf_text(data).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN",
        "01/BB-UBND",
        "THÀNH PHẦN",
        "Chủ tịch Nguyễn",
        "Giám đốc Phạm",
        "Trực tuyến",
        "có mặt: 2/3",
        "Tờ trình về kế hoạch đầu tư công năm 2027",
        "Báo cáo tình hình kinh tế - xã hội tháng 11",
        "Dự thảo quy chế làm việc",
        "Thông qua kế hoạch đầu tư công?",
        "Đồng ý 2",
        "Thông qua",
        "danh sách thông qua không cần thảo luận",
        CONCLUSION_1,
        CONCLUSION_2,
        "Giao Văn phòng UBND theo dõi, đôn đốc.",
    ):
        assert expected in text, expected
    verification = verify_pdf(data)
    assert verification.ok, verification.problem
    assert "Hà Nội" in verification.signer
    # one event to the meeting's stream, for those who see every item
    event = Event.objects.get(stream=w.meeting.stream, seq=last_seq + 1)
    assert event.type == "record.issued"
    assert event.data["record"] == {
        "id": record.pk,
        "meeting_id": w.meeting.pk,
        "kind": "minutes",
        "status": "issued",
        "drafted_at": record.drafted_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "issued_at": record.issued_at.isoformat(),
        "document_id": document.pk,
        "number": "01/BB-UBND",
    }
    assert event.audience == {"capability": "see_all_items"}
    assert AuditEvent.objects.filter(kind="minutes_issued").count() == 1
    assert AuditEvent.objects.filter(kind="document_signed").count() == 1


def test_the_conclusion_notice_pdf_has_the_conclusions(held, signing_dir):
    w = held
    record = do_draft_record(w.meeting, kind="notice", acting_user=w.secretary)
    record = do_update_record(
        record,
        changes={
            "items": [
                {"item_id": w.items[1].pk, "conclusion": "Yêu cầu các sở báo cáo trước ngày 05 hằng tháng."}
            ]
        },
        acting_user=w.secretary,
    )
    record = do_issue_record(record, acting_user=w.secretary)
    data = bytes(record.document.content)
    text = " ".join(pdf_text(data).split())
    assert "THÔNG BÁO" in text and "01/TB-UBND" in text
    assert CONCLUSION_1 in text and "Yêu cầu các sở báo cáo trước ngày 05 hằng tháng." in text
    assert CONCLUSION_2 not in text
    assert "Sở Tài chính" in text  # a presenting unit among the recipients
    assert verify_pdf(data).ok


def test_an_issued_record_can_no_longer_be_edited(held, signing_dir):
    w = held
    record = do_issue_record(
        do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary), acting_user=w.secretary
    )
    before = dict(record.content)
    with pytest.raises(WrongState):
        do_update_record(record, changes={"general_conclusion": "sửa sau khi ký"}, acting_user=w.secretary)
    with pytest.raises(WrongState):
        do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    with pytest.raises(WrongState):
        do_issue_record(record, acting_user=w.secretary)
    record.refresh_from_db()
    assert record.content == before and SignedDocument.objects.count() == 1


# --- pages -------------------------------------------------------------------------------


def _url(w: World, kind: str = "minutes", action: str = "") -> str:
    return f"/reports/meetings/{w.meeting.pk}/records/{kind}/{action}"


def test_the_secretariat_drafts_edits_previews_and_issues_in_the_browser(held, signing_dir):
    w = held
    client = w.client(w.secretary)
    response = client.get(f"/reports/meetings/{w.meeting.pk}/records/")
    assert response.status_code == 200 and "Lập dự thảo" in response.content.decode()
    response = client.post(_url(w, action="draft/"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="item-{w.items[0].pk}-discussion"' in page and "Giám đốc Phạm" in page
    assert CONCLUSION_1 in page
    record = MeetingRecord.objects.get(kind="minutes")
    response = client.post(
        _url(w),
        {
            "opening": "Mở đầu",
            "attendance_note": "Ghi chú thành phần",
            f"item-{w.items[0].pk}-discussion": "Thảo luận sôi nổi",
            f"item-{w.items[0].pk}-conclusion": "Kết luận đã biên tập",
            "general_conclusion": "Kết luận chung",
        },
        follow=True,
    )
    assert "Đã lưu dự thảo." in response.content.decode()
    record.refresh_from_db()
    assert record.content["items"][0] == {
        "item_id": w.items[0].pk,
        "conclusion": "Kết luận đã biên tập",
        "discussion": "Thảo luận sôi nổi",
    }
    preview = client.get(_url(w, action="preview/"))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    preview_text = " ".join(pdf_text(preview.content).split())
    assert "Kết luận đã biên tập" in preview_text and "DỰ THẢO" in preview_text
    assert not SignedDocument.objects.exists()  # a preview is never kept
    response = client.post(_url(w, action="issue/"), follow=True)
    page = response.content.decode()
    assert "Đã ban hành và ký số" in page
    record.refresh_from_db()
    assert record.status == "issued" and 'id="signed-pdf"' in page
    # the issued record shows no form, and a post changes nothing
    assert "<textarea" not in page
    response = client.post(_url(w), {"general_conclusion": "sửa sau khi ký"}, follow=True)
    assert "không thể sửa" in response.content.decode()
    record.refresh_from_db()
    assert record.content["general_conclusion"] == "Kết luận chung"
    # participants read the signed PDF; the meeting page lists it
    for user in (w.member, w.chair, w.observer):
        assert w.client(user).get(f"/signed/{record.document_id}/").status_code == 200
        meeting_page = w.client(user).get(f"/meetings/{w.meeting.pk}/").content.decode()
        assert f"/signed/{record.document_id}/" in meeting_page
    assert w.client(w.guest).get(f"/signed/{record.document_id}/").status_code == 404
    # in the replay a tablet fetches after a gap: the event for members, redacted for a guest
    seq = Event.objects.get(stream=w.meeting.stream, type="record.issued").seq
    replay = f"/api/v1/meetings/{w.meeting.pk}/events/?since={seq - 1}"
    frame = w.client(w.member).get(replay).json()["events"][0]
    assert frame["type"] == "record.issued" and frame["data"]["record"]["document_id"] == record.document_id
    frame = w.client(w.guest).get(replay).json()["events"][0]
    assert frame["type"] == "redacted" and frame["seq"] == seq
    assert str(record.document_id) not in json.dumps(frame.get("data") or {})
    assert (
        f"/signed/{record.document_id}/"
        not in w.client(w.guest).get(f"/meetings/{w.meeting.pk}/").content.decode()
    )


def test_pages_refuse_by_role_and_tenant(held, danang):
    w = held
    with tenant_context(w.tenant):
        do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    # the chair reads the draft it will sign, but does not edit it
    chair = w.client(w.chair)
    assert chair.get(_url(w)).status_code == 200
    assert chair.get(_url(w, action="preview/")).status_code == 200
    assert chair.post(_url(w), {"general_conclusion": "x"}).status_code == 403
    assert chair.post(_url(w, action="issue/")).status_code == 403
    # members see drafts of nobody; issued records only
    for user in (w.member, w.vice_chair, w.observer):
        client = w.client(user)
        assert client.get(_url(w)).status_code == 404
        assert client.get(_url(w, action="preview/")).status_code == 404
        assert client.post(_url(w, action="draft/")).status_code == 403
    # a guest, someone not in the meeting, another tenant: not found
    for client in (w.client(w.guest), w.client(w.other_member), danang.client(danang.secretary)):
        for url in (_url(w), _url(w, action="preview/"), f"/reports/meetings/{w.meeting.pk}/records/"):
            assert client.get(url).status_code == 404
        assert client.post(_url(w, action="draft/")).status_code == 404
    # anonymous: to the login
    assert w.client().get(_url(w)).status_code == 302
    # an unknown kind or meeting
    secretary = w.client(w.secretary)
    assert secretary.get(_url(w, kind="report")).status_code == 404
    assert secretary.get("/reports/meetings/999999/records/minutes/").status_code == 404


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_take_a_fixed_number_of_queries_however_many_records(held, signing_dir):
    w = held
    member, secretary = w.client(w.member), w.client(w.secretary)
    meeting_page, list_page = f"/meetings/{w.meeting.pk}/", f"/reports/meetings/{w.meeting.pk}/records/"
    member.get(meeting_page), secretary.get(list_page)  # warm up sessions and caches
    before = (_queries(member, meeting_page), _queries(secretary, list_page))
    with tenant_context(w.tenant):
        for kind in ("minutes", "notice"):
            do_issue_record(
                do_draft_record(w.meeting, kind=kind, acting_user=w.secretary), acting_user=w.secretary
            )
    after = (_queries(member, meeting_page), _queries(secretary, list_page))
    assert after == before
    assert before[1] <= 12


# --- API ---------------------------------------------------------------------------------


def _api(w: World, kind: str = "minutes", action: str = "") -> str:
    return f"/api/v1/reports/meetings/{w.meeting.pk}/records/{kind}/{action}"


def test_the_api_drafts_edits_issues_and_then_refuses_edits(held, signing_dir):
    w = held
    client = w.client(w.secretary)
    response = client.post(_api(w, action="draft/"), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft" and response.json()["content"]["facts"]["members_total"] == 3
    assert client.post(_api(w, action="draft/"), content_type="application/json").status_code == 200
    body = {
        "general_conclusion": "Kết luận chung",
        "items": [{"item_id": w.items[1].pk, "conclusion": "Mới"}],
    }
    response = client.patch(_api(w), json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["content"]["items"][1]["conclusion"] == "Mới"
    for bad in (
        {"title": "x"},
        {"items": "x"},
        {"items": [{"item_id": "x"}]},
        {"items": [{"item_id": 999999}]},
        [],
    ):
        response = client.patch(_api(w), json.dumps(bad), content_type="application/json")
        assert response.status_code == 400, (bad, response.content)
        assert response.json()["error"]
    response = client.post(_api(w, action="issue/"), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["number"] == "01/BB-UBND" and response.json()["document_id"]
    response = client.patch(
        _api(w), json.dumps({"general_conclusion": "sửa"}), content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["error"] == "wrong_state"
    assert client.post(_api(w, action="issue/"), content_type="application/json").status_code == 409
    listed = w.client(w.member).get(f"/api/v1/reports/meetings/{w.meeting.pk}/records/")
    assert [r["kind"] for r in listed.json()] == ["minutes"]


def test_the_api_refuses_by_role_and_tenant(held, danang):
    w = held
    with tenant_context(w.tenant):
        do_draft_record(w.meeting, kind="notice", acting_user=w.secretary)
    body = json.dumps({"general_conclusion": "x"})
    assert w.client(w.chair).get(_api(w, kind="notice")).status_code == 200
    assert (
        w.client(w.chair).patch(_api(w, kind="notice"), body, content_type="application/json").status_code
        == 403
    )
    assert w.client(w.member).get(_api(w, kind="notice")).status_code == 404
    assert w.client(w.member).get(f"/api/v1/reports/meetings/{w.meeting.pk}/records/").json() == []
    for client in (w.client(w.guest), w.client(w.other_member), danang.client(danang.secretary)):
        assert client.get(_api(w, kind="notice")).status_code == 404
        assert client.patch(_api(w, kind="notice"), body, content_type="application/json").status_code == 404
        assert (
            client.post(_api(w, kind="notice", action="issue/"), content_type="application/json").status_code
            == 404
        )
    assert w.client().get(_api(w, kind="notice")).status_code in (401, 403)
    assert w.client(w.secretary).get(_api(w, kind="bogus")).status_code == 404


def test_access_record_is_one_answer_for_missing_and_forbidden(held, danang):
    w = held
    with pytest.raises(NotFound):
        access_record(w.guest, w.meeting.pk, "minutes")
    with pytest.raises(NotFound):
        access_record(w.secretary, w.meeting.pk, "other")
    with pytest.raises(NotAllowed):
        access_record(w.member, w.meeting.pk, "minutes", manage=True)
    assert access_record(w.secretary, w.meeting.pk, "minutes", manage=True).manages


# --- live -------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_issued_minutes_reach_every_tablet_at_once(hanoi, signing_dir):
    from tests.meetings.test_socket import in_tenant, join

    def prepare():  # type: ignore[no-untyped-def]
        hold_session(hanoi)
        return do_draft_record(hanoi.meeting, kind="minutes", acting_user=hanoi.secretary)

    record = await in_tenant(hanoi, prepare)
    member, _ = await join(hanoi, hanoi.member)
    guest, _ = await join(hanoi, hanoi.guest)
    try:
        record = await in_tenant(hanoi, do_issue_record, record, acting_user=hanoi.secretary)
        seen = await member.receive_json_from(timeout=5)
        assert seen["type"] == "record.issued"
        assert seen["data"]["record"]["document_id"] == record.document_id
        assert seen["data"]["record"]["number"] == "01/BB-UBND"
        redacted = await guest.receive_json_from(timeout=5)
        assert redacted["type"] == "redacted" and redacted["seq"] == seen["seq"] and redacted["data"] == {}
    finally:
        for communicator in (member, guest):
            await communicator.disconnect()


def test_the_meeting_page_keeps_a_place_for_the_records(in_hanoi):
    w = in_hanoi
    url = f"/meetings/{w.meeting.pk}/"
    assert 'id="records"' not in w.client(w.member).get(url).content.decode()  # published, not yet held
    hold_session(w, close=False)
    page = w.client(w.member).get(url).content.decode()
    assert re.search(r'<section[^>]*id="records"[^>]*\shidden>', page)  # out of sight in session
    assert "/static/js/records.js" in page
    chair_page = w.client(w.chair).get(url).content.decode()
    assert f"/reports/meetings/{w.meeting.pk}/records/" in chair_page  # the chair reads the drafts
    assert 'id="records"' not in w.client(w.guest).get(url).content.decode()
    do_close_meeting(w.meeting, acting_user=w.chair)
    page = w.client(w.member).get(url).content.decode()
    assert "Chưa ban hành." in page and f"/reports/meetings/{w.meeting.pk}/records/" not in page


def test_the_minutes_print_the_hash_of_the_sessions_last_event(held, signing_dir):
    """Anyone holding the signed minutes can prove what the session's record
    was: the hash printed is that of the last event kept, and the chain of
    events up to it still fits."""
    from ecabinet.models import EventStream
    from ecabinet.realtime import verify_stream

    w = held
    record = do_draft_record(w.meeting, kind="minutes", acting_user=w.secretary)
    before = EventStream.objects.get(pk=w.meeting.stream_id)
    record = do_issue_record(record, acting_user=w.secretary)
    text = "".join(pdf_text(bytes(record.document.content)).split())
    assert before.last_hash in text and len(before.last_hash) == 64
    assert f"{before.last_seq}sựkiện" in text
    last = Event.objects.get(stream_id=w.meeting.stream_id, seq=before.last_seq)
    assert last.hash == before.last_hash
    count, broken = verify_stream(EventStream.objects.get(pk=w.meeting.stream_id))
    assert broken is None and count == before.last_seq + 1  # and record.issued after it
