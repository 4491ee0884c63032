"""Every action on a meeting leaves its audit row, in its transaction, with who,
what and the before and after of what changed (the finding: none of the
meetings' actions wrote one)."""

from __future__ import annotations

import hashlib

import pytest

from ecabinet import audit
from ecabinet.errors import WrongState
from ecabinet.models import AuditEvent
from meetings import actions
from meetings.models import Participant
from tests.clock import session_start


class Trail:
    """The rows written since the last look."""

    def __init__(self) -> None:
        self.seen = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def new(self) -> list[AuditEvent]:
        rows = list(AuditEvent.objects.filter(id__gt=self.seen).order_by("id"))
        if rows:
            self.seen = rows[-1].pk
        return rows

    def one(self, kind: str, action: str, user) -> dict:  # type: ignore[no-untyped-def]
        rows = self.new()
        assert [(r.kind, r.detail.get("action")) for r in rows] == [(kind, action)], rows
        row = rows[0]
        assert row.user_id == (user.pk if user else None)
        assert row.tenant_id is not None and row.detail["meeting_id"]
        return row.detail


def test_a_meeting_from_creation_to_close_leaves_a_row_for_every_step(in_hanoi) -> None:
    w = in_hanoi
    K = audit.Kind  # noqa: N806 - reads as the enum it is
    trail = Trail()
    meeting = actions.do_create_meeting(
        tenant=w.tenant,
        title="Phiên họp thường kỳ",
        scheduled_start=session_start(days=9),
        acting_user=w.secretary,
    )
    assert trail.one(K.MEETING_CREATED, "created", w.secretary)["title"] == "Phiên họp thường kỳ"
    later = session_start(days=10)
    actions.do_update_meeting(
        meeting, changes={"title": "Phiên họp tháng", "scheduled_start": later}, acting_user=w.secretary
    )
    changed = trail.one(K.MEETING_CHANGED, "updated", w.secretary)
    assert (
        changed["before"]["title"] == "Phiên họp thường kỳ" and changed["after"]["title"] == "Phiên họp tháng"
    )
    assert set(changed["after"]) == {"title", "scheduled_start"}
    first = actions.do_add_item(meeting, title="Tờ trình 1", acting_user=w.secretary)
    assert trail.one(K.AGENDA_CHANGED, "item_added", w.secretary)["item_id"] == first.pk
    second = actions.do_add_item(meeting, title="Tờ trình 2", acting_user=w.secretary)
    trail.new()
    actions.do_update_item(second, changes={"planned_minutes": 40}, acting_user=w.secretary)
    assert trail.one(K.AGENDA_CHANGED, "item_updated", w.secretary)["after"] == {"planned_minutes": 40}
    actions.do_move_item(second, offset=-1, acting_user=w.secretary)
    moved = trail.one(K.AGENDA_CHANGED, "reordered", w.secretary)
    assert (moved["before"], moved["after"]) == ([first.pk, second.pk], [second.pk, first.pk])
    third = actions.do_add_item(meeting, title="Tờ trình 3", acting_user=w.secretary)
    trail.new()
    actions.do_remove_item(third, acting_user=w.secretary)
    assert trail.one(K.AGENDA_CHANGED, "item_removed", w.secretary)["title"] == "Tờ trình 3"
    # participants
    actions.do_add_participant(meeting, user=w.chair, role="chair", acting_user=w.secretary)
    assert trail.one(K.PARTICIPANTS_CHANGED, "added", w.secretary)["role"] == "chair"
    member = actions.do_add_participant(meeting, user=w.member, role="member", acting_user=w.secretary)
    vice = actions.do_add_participant(meeting, user=w.vice_chair, role="vice_chair", acting_user=w.secretary)
    guest = actions.do_add_participant(meeting, user=w.guest, role="guest", acting_user=w.secretary)
    trail.new()
    actions.do_change_participant(guest, item_ids=[first.pk], acting_user=w.secretary)
    assert trail.one(K.PARTICIPANTS_CHANGED, "changed", w.secretary)["after"] == {"item_ids": [first.pk]}
    actions.do_remove_participant(guest, acting_user=w.secretary)
    assert trail.one(K.PARTICIPANTS_CHANGED, "removed", w.secretary)["user_id"] == w.guest.pk
    stand_in = actions.do_name_substitute(member, substitute=w.other_member, acting_user=w.member)
    named = trail.one(K.PARTICIPANTS_CHANGED, "substitute_named", w.member)
    assert (named["participant_id"], named["substitute_user_id"]) == (member.pk, w.other_member.pk)
    actions.do_set_acting_chair(meeting, participant=vice, acting_user=w.secretary)
    acting = trail.one(K.MEETING_CHANGED, "acting_chair", w.secretary)
    assert (acting["before"], acting["after"]) == ({"acting_chair_id": None}, {"acting_chair_id": vice.pk})
    actions.do_set_acting_chair(meeting, participant=None, acting_user=w.secretary)
    trail.new()
    # the session
    actions.do_publish_meeting(meeting, acting_user=w.secretary)
    assert trail.one(K.MEETING_STATUS_CHANGED, "published", w.secretary)["status"] == "published"
    actions.do_check_in(stand_in, attendance="room", acting_user=w.other_member)
    assert trail.one(K.ATTENDANCE_RECORDED, "checked_in", w.other_member)["after"] == {"attendance": "room"}
    actions.do_start_meeting(meeting, acting_user=w.chair)
    trail.one(K.MEETING_STATUS_CHANGED, "started", w.chair)
    actions.do_open_item(meeting, item=second, acting_user=w.chair)
    assert trail.one(K.ITEM_STATUS_CHANGED, "opened", w.chair)["item_id"] == second.pk
    request = actions.do_request_to_speak(meeting, participant=stand_in, kind="speech")
    assert trail.one(K.SPEAKING, "requested", w.other_member)["request_id"] == request.pk
    actions.do_give_floor(meeting, request_id=request.pk, acting_user=w.chair)
    trail.one(K.SPEAKING, "floor_given", w.chair)
    actions.do_end_speech(meeting, acting_user=w.chair)
    trail.one(K.SPEAKING, "speech_ended", w.chair)
    again = actions.do_request_to_speak(meeting, participant=stand_in, kind="speech")
    trail.new()
    actions.do_withdraw_request(meeting, participant=stand_in)
    assert trail.one(K.SPEAKING, "withdrawn", w.other_member)["request_id"] == again.pk
    comment = actions.do_add_comment(second, author=w.chair, text="Ý kiến riêng", visibility="all")
    written = trail.one(K.COMMENT_CHANGED, "written", w.chair)
    # a comment's words stay in the comment; the audit proves them by their digest
    assert "Ý kiến riêng" not in str(written)
    assert written["text_sha256"] == hashlib.sha256("Ý kiến riêng".encode()).hexdigest()
    actions.do_edit_comment(comment, author=w.chair, text="Ý kiến đã sửa")
    edited = trail.one(K.COMMENT_CHANGED, "edited", w.chair)
    assert edited["before"]["text_sha256"] == written["text_sha256"]
    actions.do_withdraw_comment(comment, author=w.chair)
    trail.one(K.COMMENT_CHANGED, "withdrawn", w.chair)
    actions.do_adjourn_meeting(meeting, acting_user=w.chair)
    trail.one(K.MEETING_STATUS_CHANGED, "adjourned", w.chair)
    actions.do_resume_meeting(meeting, acting_user=w.chair)
    trail.one(K.MEETING_STATUS_CHANGED, "resumed", w.chair)
    actions.do_conclude_item(meeting, conclusion="Thống nhất thông qua", acting_user=w.chair)
    assert trail.one(K.ITEM_STATUS_CHANGED, "concluded", w.chair)["conclusion"] == "Thống nhất thông qua"
    actions.do_open_item(meeting, item=first, acting_user=w.chair)
    trail.new()
    actions.do_defer_item(meeting, acting_user=w.chair, note="Chờ ý kiến Bộ")
    assert trail.one(K.ITEM_STATUS_CHANGED, "deferred", w.chair)["note"] == "Chờ ý kiến Bộ"
    actions.do_close_meeting(meeting, acting_user=w.chair)
    closed = trail.one(K.MEETING_STATUS_CHANGED, "closed", w.chair)
    assert closed["status"] == "closed" and closed["undiscussed"] == []
    copy = actions.do_copy_meeting(meeting, scheduled_start=session_start(days=40), acting_user=w.secretary)
    rows = trail.new()
    assert [(r.kind, r.detail["action"]) for r in rows] == [
        (K.MEETING_CREATED, "created"),
        (K.MEETING_CREATED, "copied"),
    ]
    assert rows[-1].detail == {"meeting_id": copy.pk, "action": "copied", "copied_from": meeting.pk}
    # and the chain of the tenant still fits
    assert audit.verify(audit.chain_key(w.tenant.pk))[1] is None
    assert Participant.objects.filter(meeting=copy).count() == 3


def test_a_refused_action_leaves_no_row(in_hanoi) -> None:
    w = in_hanoi
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    trail = Trail()
    with pytest.raises(WrongState):  # already in session
        actions.do_start_meeting(w.meeting, acting_user=w.chair)
    assert trail.new() == []


def test_the_baseline_and_the_rules_are_audited_with_before_and_after(in_hanoi) -> None:
    w = in_hanoi
    trail = Trail()
    actions.do_set_baseline(
        tenant=w.tenant,
        kind="regular",
        minutes=240,
        source="Báo cáo 2018",
        is_assumption=False,
        acting_user=w.secretary,
    )
    actions.do_set_baseline(
        tenant=w.tenant,
        kind="regular",
        minutes=200,
        source="Báo cáo 2018",
        is_assumption=False,
        acting_user=w.secretary,
    )
    rows = trail.new()
    assert [r.kind for r in rows] == ["rules_changed", "rules_changed"]
    assert (rows[1].detail["before"], rows[1].detail["after"]) == ({"minutes": 240}, {"minutes": 200})
    assert rows[1].detail["meeting_kind"] == "regular" and rows[1].user_id == w.secretary.pk
