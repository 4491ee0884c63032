"""Positions before the session and the consent list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ecabinet.errors import Invalid, NotAllowed, WrongState
from ecabinet.models import AuditEvent, Event
from meetings.actions import do_start_meeting
from meetings.models import AgendaItem, Participant
from voting.actions import consent_items, do_adopt_consent_list, do_give_position, do_set_positions_cutoff
from voting.models import ConsentAdoption, Position, PositionChange, PositionRound


def _p(world, user):
    return Participant.objects.get(meeting=world.meeting, user=user)


def test_members_give_positions_and_changes_are_kept(in_hanoi):
    w = in_hanoi
    item = w.items[0]
    do_give_position(item, participant=_p(w, w.member), kind="wish_to_speak")
    position = do_give_position(item, participant=_p(w, w.member), kind="objection", reason="Chưa đủ cơ sở")
    assert position.kind == "objection" and position.changed_at is not None
    assert list(PositionChange.objects.filter(position=position).values_list("kind", flat=True)) == [
        "wish_to_speak"
    ]
    assert Position.objects.filter(item=item).count() == 1
    event = Event.objects.filter(type="positions.changed").last()
    # the chair and the secretariat see them as they come in; other members do not
    assert event.audience == {"capability": "edit_meeting", "users": [w.chair.pk]}
    assert AuditEvent.objects.filter(kind="position_given").count() == 2


def test_wrong_positions_are_refused(in_hanoi):
    w = in_hanoi
    with pytest.raises(Invalid, match="must not be empty"):
        do_give_position(w.items[0], participant=_p(w, w.member), kind="objection", reason="  ")
    with pytest.raises(Invalid, match="Choose"):
        do_give_position(w.items[0], participant=_p(w, w.member), kind="maybe")
    with pytest.raises(NotAllowed, match="Only members"):
        do_give_position(w.items[0], participant=_p(w, w.observer), kind="no_objection")
    with pytest.raises(NotAllowed, match="Only members"):
        do_give_position(w.items[1], participant=_p(w, w.guest), kind="no_objection")


def test_no_positions_after_the_cutoff_or_once_the_session_started(in_hanoi):
    w = in_hanoi
    with pytest.raises(Invalid, match="before the session starts"):
        do_set_positions_cutoff(
            w.meeting, cutoff=w.meeting.scheduled_start + timedelta(hours=1), acting_user=w.secretary
        )
    with pytest.raises(Invalid, match="time zone"):
        naive = timezone.now().replace(tzinfo=None) + timedelta(hours=1)
        do_set_positions_cutoff(w.meeting, cutoff=naive, acting_user=w.secretary)
    do_set_positions_cutoff(w.meeting, cutoff=timezone.now() + timedelta(hours=1), acting_user=w.secretary)
    do_give_position(w.items[0], participant=_p(w, w.member), kind="no_objection")
    PositionRound.objects.update(cutoff=timezone.now() - timedelta(seconds=1))
    with pytest.raises(WrongState, match="cutoff has passed"):
        do_give_position(w.items[0], participant=_p(w, w.member), kind="objection", reason="Muộn")
    assert AuditEvent.objects.filter(kind="positions_cutoff_set").count() == 1
    PositionRound.objects.update(cutoff=None)
    do_start_meeting(w.meeting, acting_user=w.chair)
    with pytest.raises(WrongState):
        do_give_position(w.items[0], participant=_p(w, w.member), kind="no_objection")
    with pytest.raises(WrongState):
        do_set_positions_cutoff(w.meeting, cutoff=None, acting_user=w.secretary)


def test_the_consent_list(in_hanoi):
    w = in_hanoi
    one, two, three = w.items
    for user in (w.chair, w.vice_chair, w.member):
        do_give_position(one, participant=_p(w, user), kind="no_objection")
        do_give_position(three, participant=_p(w, user), kind="no_objection")
    do_give_position(two, participant=_p(w, w.chair), kind="no_objection")
    do_give_position(two, participant=_p(w, w.member), kind="no_objection")
    do_give_position(two, participant=_p(w, w.vice_chair), kind="objection", reason="Số liệu chưa khớp")
    assert [i.pk for i in consent_items(w.meeting)] == [one.pk, three.pk]
    # one wish to speak also keeps an item off
    do_give_position(three, participant=_p(w, w.member), kind="wish_to_speak")
    assert [i.pk for i in consent_items(w.meeting)] == [one.pk]


def test_an_item_nobody_answered_is_not_on_the_list(in_hanoi):
    assert consent_items(in_hanoi.meeting) == []


def test_adopting_the_list_records_each_item_with_its_positions(in_hanoi):
    w = in_hanoi
    one, two, three = w.items
    for item in (one, three):
        do_give_position(item, participant=_p(w, w.member), kind="no_objection")
        do_give_position(item, participant=_p(w, w.chair), kind="no_objection")
    do_give_position(two, participant=_p(w, w.member), kind="objection", reason="Cần thảo luận")
    with pytest.raises(WrongState, match="in session"):
        do_adopt_consent_list(w.meeting, acting_user=w.chair)
    meeting = do_start_meeting(w.meeting, acting_user=w.chair)
    adopted = do_adopt_consent_list(meeting, acting_user=w.chair)
    assert [i.pk for i in adopted] == [one.pk, three.pk]
    for item in (one, three):
        item.refresh_from_db()
        assert item.status == AgendaItem.Status.CONCLUDED and item.closed_at is not None
        record = ConsentAdoption.objects.get(item=item)
        assert sorted(p["member"] for p in record.positions) == sorted(
            [w.member.full_name, w.chair.full_name]
        )
        assert {p["position"] for p in record.positions} == {"no_objection"}
    two.refresh_from_db()
    assert two.status == AgendaItem.Status.PENDING
    assert not ConsentAdoption.objects.filter(item=two).exists()
    audit = AuditEvent.objects.filter(kind="consent_list_adopted").get()
    assert audit.detail["item_ids"] == [one.pk, three.pk]
    assert Event.objects.filter(type="consent.adopted").count() == 1
    with pytest.raises(WrongState, match="already been adopted"):
        do_adopt_consent_list(meeting, acting_user=w.chair)


def test_a_substitute_gives_the_members_position(in_hanoi):
    from meetings.actions import do_name_substitute

    w = in_hanoi
    member = _p(w, w.member)
    stand_in = do_name_substitute(member, substitute=w.other_member, acting_user=w.secretary)
    position = do_give_position(w.items[0], participant=stand_in, kind="no_objection")
    assert position.member_id == member.pk and position.given_by_id == stand_in.pk
    with pytest.raises(NotAllowed, match="substitute"):
        do_give_position(w.items[0], participant=Participant.objects.get(pk=member.pk), kind="no_objection")
