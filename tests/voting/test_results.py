"""Signed result sheets: a closed slip's and ballot's result as a PDF that verifies,
and fails verification with one byte changed; who may download it."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone, translation

from ecabinet.errors import WrongState
from ecabinet.models import AuditEvent, SignedDocument
from ecabinet.signing import verify_pdf
from ecabinet.tenancy import tenant_context
from voting.actions import (
    do_answer_slip,
    do_cast_vote,
    do_close_ballot,
    do_close_slip,
    do_issue_slip,
    do_open_ballot,
)
from voting.results import issue_ballot_result_sheet, issue_slip_result_sheet
from voting.tasks import issue_ballot_result, issue_slip_result


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _closed_slip(w):
    slip = do_issue_slip(
        tenant=w.tenant,
        question="Ý kiến về dự thảo Nghị quyết phân bổ vốn đầu tư công",
        deadline=timezone.now() + timedelta(days=1),
        recipients=[w.chair, w.vice_chair, w.member],
        acting_user=w.secretary,
    )
    do_answer_slip(slip, user=w.member, choice="agree")
    do_answer_slip(slip, user=w.chair, choice="other", text="Bổ sung đánh giá tác động")
    return do_close_slip(slip, acting_user=w.secretary)


def test_a_slip_result_sheet_verifies_and_one_byte_changed_fails(in_hanoi, signing_dir):
    w = in_hanoi
    slip = _closed_slip(w)
    with pytest.raises(WrongState):
        issue_slip_result_sheet(
            do_issue_slip(
                tenant=w.tenant,
                question="Mở",
                deadline=timezone.now() + timedelta(days=1),
                recipients=[w.member],
                acting_user=w.secretary,
            )
        )
    document_id = issue_slip_result.call(w.tenant.pk, slip.pk)
    slip.refresh_from_db()
    assert slip.result_document_id == document_id
    document = SignedDocument.objects.get(pk=document_id)
    assert document.number_symbol.split("/", 1)[1].startswith("KQLYK-")
    data = bytes(document.content)
    text = _text(data)
    assert "KẾT QUẢ LẤY Ý KIẾN" in text.upper() or "Ý KIẾN" in text.upper()
    assert "Giám đốc Phạm" in text and "Bổ sung đánh giá tác động" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    verification = verify_pdf(data)
    assert verification.signed and verification.intact and verification.valid, verification.problem
    assert "Hà Nội" in verification.signer
    # one byte changed in the signed content
    position = data.index(b"stream") + 40
    altered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
    assert not verify_pdf(altered).intact
    # issuing again returns the same sheet; it was audited once
    assert issue_slip_result_sheet(slip).pk == document_id
    assert AuditEvent.objects.filter(kind="document_signed").count() == 1


def test_a_ballot_result_sheet_names_votes_of_a_named_ballot_only(session, signing_dir):
    w = session.world
    ballot = do_open_ballot(w.meeting, acting_user=w.chair, question="Thông qua kế hoạch?")
    do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    do_cast_vote(ballot, participant=session.participant(w.chair), option="for")
    do_close_ballot(ballot, acting_user=w.chair)
    document = SignedDocument.objects.get(pk=issue_ballot_result.call(w.tenant.pk, ballot.pk))
    text = _text(bytes(document.content))
    assert "Thông qua kế hoạch?" in text and "Giám đốc Phạm" in text
    assert verify_pdf(bytes(document.content)).valid
    assert document.number_symbol.split("/", 1)[1].startswith("KQBQ-")


def test_a_secret_ballot_sheet_has_counts_and_no_names_with_answers(session, signing_dir):
    w = session.world
    ballot = do_open_ballot(w.meeting, acting_user=w.chair, question="Bầu kín", secret=True)
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    do_cast_vote(ballot, participant=session.participant(w.chair), option="for")
    do_cast_vote(ballot, participant=session.participant(w.vice_chair), option="for")
    do_close_ballot(ballot, acting_user=w.chair)
    with translation.override("vi"):  # as the worker issues it
        document = issue_ballot_result_sheet(ballot)
    text = " ".join(_text(bytes(document.content)).split())
    assert "Bầu kín" in text and "Giám đốc Phạm" not in text
    # the rules it was counted by, as fixed when it opened
    assert "Túc số: trên 50 % số thành viên được biểu quyết" in text
    assert "được xác định khi mở biểu quyết" in text


def test_a_secret_ballot_with_too_few_votes_prints_no_counts(session, signing_dir, clock):
    w = session.world
    ballot = do_open_ballot(
        w.meeting, acting_user=w.chair, question="Bầu kín", secret=True, countdown_seconds=10
    )
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    clock.advance(11)
    do_close_ballot(ballot, acting_user=None)  # the countdown closes it
    with translation.override("vi"):  # as the worker issues it
        document = issue_ballot_result_sheet(ballot)
    text = " ".join(_text(bytes(document.content)).split())
    assert "Không đủ số phiếu để công bố" in text
    assert "Không đồng ý" not in text  # no row of counts at all


def test_who_may_download_a_result_sheet(hanoi, danang, signing_dir):
    with tenant_context(hanoi.tenant):
        slip = _closed_slip(hanoi)
        document_id = issue_slip_result.call(hanoi.tenant.pk, slip.pk)
    url = f"/signed/{document_id}/"
    for user in (hanoi.secretary, hanoi.member, hanoi.chair):
        response = hanoi.client(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hanoi.client(hanoi.other_member).get(url).status_code == 404  # not asked on the slip
    assert danang.client(danang.secretary).get(url).status_code == 404


def test_ballot_sheet_access_follows_the_meeting(session, signing_dir):
    w = session.world
    ballot = do_open_ballot(w.meeting, acting_user=w.chair)
    do_close_ballot(ballot, acting_user=w.chair)
    document = issue_ballot_result_sheet(ballot)
    url = f"/signed/{document.pk}/"
    assert w.client(w.member).get(url).status_code == 200
    assert w.client(w.observer).get(url).status_code == 200
    assert w.client(w.guest).get(url).status_code == 404  # not invited to item 1
    assert w.client(w.other_member).get(url).status_code == 404
