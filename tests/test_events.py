"""Every event type, sent for real by its action: its data fits the shape its app
declared, and exactly the right people get it in full (the others a redacted
frame with the same number).

In the world, the guest is invited to the second item only; the secretariat
takes no part in the meeting but holds the secretary's rights in all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from documents import notes
from documents.access import access_paper
from documents.actions import (
    do_end_reading,
    do_replace_paper,
    do_set_distribution,
    do_update_paper,
    do_upload_paper,
    do_withdraw_paper,
)
from ecabinet.errors import ActionError
from ecabinet.models import Event
from ecabinet.realtime import event_shapes
from ecabinet.shapes import problems
from meetings import actions
from meetings.access import access_meeting
from meetings.models import Meeting, Participant
from reports.minutes.actions import do_draft_record, do_issue_record
from tests.conftest import EventCapture, World
from tests.documents.conftest import make_pdf, pdf_upload
from voting.actions import (
    do_adopt_consent_list,
    do_cast_vote,
    do_close_ballot,
    do_give_position,
    do_open_ballot,
    do_set_positions_cutoff,
)

PEOPLE = ("chair", "vice_chair", "member", "guest", "observer", "secretary")
ALL = set(PEOPLE)
NOT_THE_GUEST = ALL - {"guest"}


def part(w: World, user: Any) -> Participant:
    return Participant.objects.get(meeting=w.meeting, user=user)


def in_session(w: World, item: int = 1) -> Meeting:
    meeting = actions.do_start_meeting(w.meeting, acting_user=w.chair)
    actions.do_open_item(meeting, item=w.items[item], acting_user=w.chair)
    meeting.refresh_from_db()
    return meeting


def paper(w: World, *, item: int = 1, **kwargs: Any) -> Any:
    return do_upload_paper(
        w.meeting,
        upload=pdf_upload(pages=2),
        title="Tờ trình",
        item=w.items[item],
        acting_user=w.secretary,
        **kwargs,
    )


def closed_ballot(w: World) -> None:
    meeting = in_session(w)
    ballot = do_open_ballot(meeting, acting_user=w.chair, question="Thông qua?")
    do_cast_vote(ballot, participant=part(w, w.member), option="for")
    do_close_ballot(ballot, acting_user=w.chair)


def issued_minutes(w: World) -> None:
    meeting = in_session(w)
    actions.do_conclude_item(meeting, conclusion="Thông qua.", acting_user=w.chair)
    actions.do_close_meeting(meeting, acting_user=w.chair)
    record = do_draft_record(meeting, kind="minutes", acting_user=w.secretary)
    do_issue_record(record, acting_user=w.secretary)


def note(w: World, *, shared: bool) -> Any:
    found = paper(w)
    access = access_paper(w.member, found.pk)
    return notes.do_add_note(access, page=1, text="Ghi chú", shared=shared, acting_user=w.member), access


def _copied_and_published(w: World) -> Meeting:
    copy = actions.do_copy_meeting(
        w.meeting, scheduled_start=w.meeting.scheduled_start + timedelta(days=30), acting_user=w.secretary
    )
    return actions.do_publish_meeting(copy, acting_user=w.secretary)


def _position(w: World) -> None:
    do_give_position(w.items[0], participant=part(w, w.member), kind="no_objection")


def _consent(w: World) -> None:
    for user in (w.chair, w.vice_chair, w.member):
        do_give_position(w.items[2], participant=part(w, user), kind="no_objection")
    meeting = actions.do_start_meeting(w.meeting, acting_user=w.chair)
    do_adopt_consent_list(meeting, acting_user=w.chair)


def _comment(w: World, visibility: str = "all") -> Any:
    in_session(w)
    return actions.do_add_comment(w.items[1], author=w.member, text="Đồng ý", visibility=visibility)


def _edited_note(w: World) -> None:
    found, access = note(w, shared=False)
    notes.do_edit_note(found, access, text="Ghi chú đã sửa", acting_user=w.member)


def _removed_note(w: World) -> None:
    found, access = note(w, shared=False)
    notes.do_delete_note(found, access, acting_user=w.member)


# case -> (the event type, what makes it, who gets it in full, a fact its data must carry)
Case = tuple[str, Callable[[World], Any], set[str], Callable[[World, dict[str, Any]], bool]]
CASES: dict[str, Case] = {
    "meeting.updated": (
        "meeting.updated",
        lambda w: actions.do_update_meeting(w.meeting, changes={"place": "Hội trường"}, acting_user=None),
        ALL,
        lambda w, d: d["meeting"]["place"] == "Hội trường",
    ),
    "meeting.published": (
        "meeting.published",
        _copied_and_published,
        ALL,
        lambda w, d: d["meeting"]["status"] == "published",
    ),
    "item.added": (
        "item.added",
        lambda w: actions.do_add_item(w.meeting, title="Nội dung mới", acting_user=w.secretary),
        NOT_THE_GUEST,
        lambda w, d: d["item"]["title"] == "Nội dung mới",
    ),
    "item.updated": (
        "item.updated",
        lambda w: actions.do_update_item(w.items[1], changes={"title": "Đổi tên"}, acting_user=None),
        ALL,
        lambda w, d: (d["item"]["id"], d["item"]["title"]) == (w.items[1].pk, "Đổi tên"),
    ),
    "item.opened": (
        "item.opened",
        in_session,
        ALL,
        lambda w, d: d["item"]["status"] == "open",
    ),
    "item.closed": (
        "item.closed",
        lambda w: actions.do_conclude_item(in_session(w), conclusion="Thông qua.", acting_user=w.chair),
        ALL,
        lambda w, d: d["item"]["conclusion"] == "Thông qua.",
    ),
    "item.removed": (
        "item.removed",
        lambda w: actions.do_remove_item(w.items[2], acting_user=w.secretary),
        NOT_THE_GUEST,
        lambda w, d: d["item_id"] == w.items[2].pk,
    ),
    "agenda.reordered": (
        "agenda.reordered",
        lambda w: actions.do_reorder_items(
            w.meeting, order=[i.pk for i in reversed(w.items)], acting_user=w.secretary
        ),
        NOT_THE_GUEST,  # the whole order would tell a guest what else is on the agenda
        lambda w, d: d["order"] == [i.pk for i in reversed(w.items)] and d["changed"] is True,
    ),
    "queue.changed": (
        "queue.changed",
        lambda w: actions.do_request_to_speak(in_session(w), participant=part(w, w.member), kind="speech"),
        ALL,
        lambda w, d: [r["full_name"] for r in d["queue"]] == [w.member.full_name],
    ),
    "comment.added": (
        "comment.added",
        _comment,
        ALL,
        lambda w, d: d["comment"]["text"] == "Đồng ý",
    ),
    "comment.added, for the secretariat": (
        "comment.added",
        lambda w: _comment(w, "secretariat"),
        {"chair", "secretary", "member"},  # who sees the secretariat's comments, and the author
        lambda w, d: d["comment"]["visibility"] == "secretariat",
    ),
    "comment.edited": (
        "comment.edited",
        lambda w: actions.do_edit_comment(_comment(w), author=w.member, text="Đồng ý, bổ sung"),
        ALL,
        lambda w, d: d["comment"]["edited_at"] is not None,
    ),
    "comment.withdrawn": (
        "comment.withdrawn",
        lambda w: actions.do_withdraw_comment(_comment(w), author=w.member),
        ALL,
        lambda w, d: d["comment"]["text"] == "" and d["comment"]["withdrawn_at"] is not None,
    ),
    "participant.added": (
        "participant.added",
        lambda w: actions.do_add_participant(w.meeting, user=w.other_member, role="member", acting_user=None),
        ALL | {"other_member"},
        lambda w, d: d["participant"]["user_id"] == w.other_member.pk and d["quorum"]["members"] == 4,
    ),
    "participant.changed": (
        "participant.changed",
        lambda w: actions.do_change_participant(part(w, w.observer), role="member", acting_user=None),
        ALL,
        lambda w, d: d["participant"]["role"] == "member",
    ),
    "participant.removed": (
        "participant.removed",
        lambda w: actions.do_remove_participant(part(w, w.observer), acting_user=None),
        ALL - {"observer"},
        lambda w, d: d["user_id"] == w.observer.pk,
    ),
    "attendance.changed": (
        "attendance.changed",
        lambda w: actions.do_check_in(part(w, w.member), attendance="room", acting_user=w.member),
        ALL,
        lambda w, d: d["participant"]["attendance"] == "room" and d["quorum"]["present"] == 1,
    ),
    "paper.added": (
        "paper.added",
        paper,
        ALL,
        lambda w, d: d["paper"]["title"] == "Tờ trình" and d["paper"]["version"] == 1,
    ),
    "paper.added, restricted": (
        "paper.added",
        lambda w: paper(w, item=0, restricted=True, recipients=[w.member]),
        {"member", "secretary"},
        lambda w, d: d["paper"]["restricted"] is True,
    ),
    "paper.updated": (
        "paper.updated",
        lambda w: do_replace_paper(paper(w), upload=pdf_upload(make_pdf(4)), acting_user=w.secretary),
        ALL,
        lambda w, d: (d["paper"]["version"], d["previous_version"], d["previous_page_count"]) == (2, 1, 2),
    ),
    "paper.changed": (
        "paper.changed",
        lambda w: do_update_paper(paper(w), changes={"title": "Báo cáo"}, acting_user=w.secretary),
        ALL,
        lambda w, d: "order" not in d,
    ),
    "paper.distribution, between named people": (
        "paper.distribution",
        lambda w: do_set_distribution(
            paper(w, item=0, restricted=True, recipients=[w.member]),
            restricted=True,
            recipients=[w.vice_chair],
            downloadable=False,
            acting_user=None,
        ),
        {"member", "vice_chair", "secretary"},  # who lost it, who gained it, who sees every paper
        lambda w, d: isinstance(d["paper_id"], int),
    ),
    "paper.distribution": (
        "paper.distribution",
        lambda w: do_set_distribution(
            paper(w, item=0), restricted=True, recipients=[w.member], downloadable=False, acting_user=None
        ),
        # it was everyone's: everyone who sees its item learns it is now restricted
        NOT_THE_GUEST,
        lambda w, d: isinstance(d["paper_id"], int),
    ),
    "paper.removed": (
        "paper.removed",
        lambda w: do_withdraw_paper(paper(w), acting_user=w.secretary),
        ALL,
        lambda w, d: isinstance(d["paper_id"], int),
    ),
    "papers.reading_ended": (
        "papers.reading_ended",
        lambda w: do_end_reading(w.meeting, acting_user=w.secretary),
        ALL,
        lambda w, d: d["meeting_id"] == w.meeting.pk,
    ),
    "note.added, private": (
        "note.added",
        lambda w: note(w, shared=False),
        {"member"},  # a private note travels to its author's tablets only
        lambda w, d: isinstance(d["note_id"], int),
    ),
    "note.added, shared": (
        "note.added",
        lambda w: note(w, shared=True),
        ALL - {"secretary"},  # the paper's readers: the secretariat reads every paper, not the notes
        lambda w, d: isinstance(d["note_id"], int),
    ),
    "note.changed": ("note.changed", _edited_note, {"member"}, lambda w, d: isinstance(d["paper_id"], int)),
    "note.removed": ("note.removed", _removed_note, {"member"}, lambda w, d: isinstance(d["paper_id"], int)),
    "positions.cutoff": (
        "positions.cutoff",
        lambda w: do_set_positions_cutoff(
            w.meeting, cutoff=timezone.now() + timedelta(hours=1), acting_user=w.secretary
        ),
        ALL,
        lambda w, d: d["meeting_id"] == w.meeting.pk and d["cutoff"] is not None,
    ),
    "positions.changed": (
        "positions.changed",
        _position,
        {"chair", "secretary"},  # positions are seen as they come in by the chair and the secretariat
        lambda w, d: d["position"]["kind"] == "no_objection",
    ),
    "consent.adopted": (
        "consent.adopted",
        _consent,
        ALL,
        lambda w, d: d["item_ids"] == [w.items[2].pk],
    ),
    "ballot.opened": (
        "ballot.opened",
        lambda w: do_open_ballot(in_session(w), acting_user=w.chair, question="Thông qua?"),
        ALL,
        lambda w, d: d["ballot"]["question"] == "Thông qua?" and d["tally"]["voted"] == 0,
    ),
    "ballot.tally": (
        "ballot.tally",
        closed_ballot,
        ALL,
        lambda w, d: d["voted"] == 1 and d["counts"] == {"for": 1, "against": 0, "abstain": 0},
    ),
    "ballot.tally, secret": (
        "ballot.tally",
        lambda w: do_cast_vote(
            do_open_ballot(in_session(w), acting_user=w.chair, secret=True),
            participant=part(w, w.member),
            option="for",
        ),
        ALL,
        lambda w, d: d["voted"] == 1 and d["counts"] is None,  # no per-option count while open
    ),
    "ballot.closed": (
        "ballot.closed",
        closed_ballot,
        ALL,
        lambda w, d: [v["name"] for v in d["votes"]] == [w.member.full_name],
    ),
    "record.issued": (
        "record.issued",
        issued_minutes,
        NOT_THE_GUEST,  # the record covers every item
        lambda w, d: d["record"]["status"] == "issued" and d["record"]["number"],
    ),
}


def receivers(w: World, event: Event) -> set[str]:
    """Who of the world gets this event in full on the meeting's socket or in replay."""
    got = set()
    for key in (*PEOPLE, "other_member"):
        try:
            access = access_meeting(getattr(w, key), Meeting.objects.get(stream_id=event.stream_id).pk)
        except ActionError:  # not (or no longer) in the meeting: no frame at all
            continue
        if event.audience is None or access.can_see(event.audience):
            got.add(key)
    return got


def test_every_declared_event_type_has_a_case_and_every_case_a_declared_type() -> None:
    assert {type_ for type_, *_ in CASES.values()} == set(event_shapes())


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_event_carries_its_shape_to_exactly_its_receivers(
    in_hanoi: World, capture_events: EventCapture, signing_dir: Any, case: str
) -> None:
    # given the world, its tenant set; when the action runs
    type_, act, expected, fact = CASES[case]
    act(in_hanoi)
    # then its event is there, fits its shape, says what happened, and reaches exactly its readers
    events = capture_events.events(type_)
    assert events, f"no {type_} event"
    event = events[-1]
    assert problems(event.data, event_shapes()[type_]) == []
    assert fact(in_hanoi, event.data), event.data
    assert receivers(in_hanoi, event) == expected


def test_a_payload_that_does_not_fit_its_shape_is_caught() -> None:
    # the check the capture runs on every event, shown failing
    shape = event_shapes()["item.removed"]
    assert problems({"item_id": 3}, shape) == []
    assert problems({"item_id": "3"}, shape) == ["item_id: not a whole number"]
    assert problems({}, shape) == ["the value: no 'item_id'"]
    assert problems({"item_id": 3, "title": "x"}, shape) == ["the value: unknown key 'title'"]
