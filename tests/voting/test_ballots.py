"""Ballots in session: open on the current item, vote once, close, count; secrecy."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ecabinet.errors import Invalid, NotAllowed, WrongState
from ecabinet.models import AuditEvent, Event
from meetings.actions import do_add_participant, do_conclude_item, do_name_substitute
from meetings.models import Participant
from voting.actions import do_cast_vote, do_close_ballot, do_open_ballot
from voting.models import Ballot, BallotVoter, SecretTally, Vote, VoteChange


def _open(session, **kwargs):
    return do_open_ballot(session.world.meeting, acting_user=session.world.chair, **kwargs)


def test_a_ballot_opens_on_the_current_item_with_its_voters_fixed(
    session, django_capture_on_commit_callbacks
):
    w = session.world
    ballot = _open(session, question="Thông qua tờ trình?")
    assert ballot.item_id == w.items[0].pk
    assert [o["key"] for o in ballot.options] == ["for", "against", "abstain"]
    voters = set(BallotVoter.objects.filter(ballot=ballot).values_list("member__user", flat=True))
    assert voters == {w.chair.pk, w.vice_chair.pk, w.member.pk}
    # who may vote is fixed when it opens: a member added later may not
    late = do_add_participant(w.meeting, user=w.other_member, role="member", acting_user=w.secretary)
    with pytest.raises(NotAllowed, match="may not vote"):
        do_cast_vote(ballot, participant=late, option="for")
    event = Event.objects.filter(type="ballot.opened").get()
    assert event.audience == {"item": w.items[0].pk}
    assert event.data["tally"] == {
        "ballot_id": ballot.pk,
        "eligible": 3,
        "voted": 0,
        "counts": {"for": 0, "against": 0, "abstain": 0},
    }


def test_only_in_session_on_an_open_item_and_one_at_a_time(session, in_hanoi):
    w = session.world
    _open(session)
    with pytest.raises(WrongState, match="Close the open ballot"):
        _open(session)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Ballot.objects.create(
            tenant=w.tenant,
            meeting=w.meeting,
            item=w.items[0],
            question="x",
            options=[],
            opened_at=timezone.now(),
            opened_by=w.chair,
        )


def test_no_ballot_without_an_open_item(session):
    w = session.world
    do_conclude_item(w.meeting, conclusion="Xong", acting_user=w.chair)
    with pytest.raises(WrongState, match="Open the item"):
        _open(session)


def test_bad_ballot_settings_are_refused(session):
    with pytest.raises(Invalid, match="secret vote cannot be changed"):
        _open(session, secret=True, allow_change=True)
    with pytest.raises(Invalid, match="countdown"):
        _open(session, countdown_seconds=3)
    with pytest.raises(Invalid, match="from 2 to"):
        _open(session, options=["Chỉ một"])
    with pytest.raises(Invalid, match="same name"):
        _open(session, options=["A", "a"])
    with pytest.raises(Invalid, match="majority"):
        _open(session, majority="most")


def test_a_named_vote_is_counted_once_and_each_wrong_vote_has_its_message(session):
    w = session.world
    ballot = _open(session)
    member = session.participant(w.member)
    do_cast_vote(ballot, participant=member, option="for")
    with pytest.raises(WrongState, match="already voted"):
        do_cast_vote(ballot, participant=member, option="against")
    with pytest.raises(Invalid, match="not on the ballot"):
        do_cast_vote(ballot, participant=session.participant(w.chair), option="maybe")
    with pytest.raises(NotAllowed, match="may not vote"):
        do_cast_vote(ballot, participant=session.participant(w.guest), option="for")
    with pytest.raises(NotAllowed, match="may not vote"):
        do_cast_vote(ballot, participant=session.participant(w.observer), option="for")
    do_close_ballot(ballot, acting_user=w.chair)
    with pytest.raises(WrongState, match="closed"):
        do_cast_vote(ballot, participant=session.participant(w.chair), option="for")
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_the_database_refuses_a_second_vote(session):
    w = session.world
    ballot = _open(session)
    voter = do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Vote.objects.create(
            tenant=w.tenant,
            ballot=ballot,
            voter=voter,
            option="against",
            cast_by=voter.member,
            cast_at=timezone.now(),
        )


def test_changing_a_vote_when_allowed_keeps_the_history(session):
    w = session.world
    ballot = _open(session, allow_change=True)
    member = session.participant(w.member)
    do_cast_vote(ballot, participant=member, option="for")
    do_cast_vote(ballot, participant=member, option="against")
    vote = Vote.objects.get(ballot=ballot)
    assert vote.option == "against" and vote.changed_at is not None
    assert list(VoteChange.objects.filter(vote=vote).values_list("option", flat=True)) == ["for"]
    closed = do_close_ballot(ballot, acting_user=w.chair)
    assert closed.result["counts"] == {"for": 0, "against": 1, "abstain": 0}


def test_the_result_says_passed_failed_or_no_quorum_with_the_numbers(session):
    w = session.world
    ballot = _open(session)
    do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    result = do_close_ballot(ballot, acting_user=w.chair).result
    assert result["outcome"] == "no_quorum"
    assert (result["eligible"], result["voted"], result["quorum_needed"]) == (3, 1, 2)

    from meetings.actions import do_open_item

    do_conclude_item(w.meeting, conclusion="Xong", acting_user=w.chair)
    do_open_item(w.meeting, item=w.items[1], acting_user=w.chair)
    ballot = _open(session)
    do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    do_cast_vote(ballot, participant=session.participant(w.chair), option="for")
    do_cast_vote(ballot, participant=session.participant(w.vice_chair), option="against")
    result = do_close_ballot(ballot, acting_user=w.chair).result
    assert result["outcome"] == "passed" and result["counts"] == {"for": 2, "against": 1, "abstain": 0}
    assert result["majority_needed"] == 2


def test_a_substitute_votes_for_the_member_and_is_recorded_as_such(session):
    w = session.world
    vice = session.participant(w.vice_chair)
    stand_in = do_name_substitute(vice, substitute=w.other_member, acting_user=w.secretary)
    ballot = _open(session)
    with pytest.raises(NotAllowed, match="substitute"):
        do_cast_vote(ballot, participant=Participant.objects.get(pk=vice.pk), option="for")
    voter = do_cast_vote(ballot, participant=stand_in, option="against")
    assert voter.member_id == vice.pk and voter.cast_by_id == stand_in.pk
    with pytest.raises(WrongState, match="already voted"):
        do_cast_vote(ballot, participant=stand_in, option="for")
    assert BallotVoter.objects.filter(ballot=ballot).count() == 3  # the substitute is not a fourth voter
    ballot = do_close_ballot(ballot, acting_user=w.chair)
    from voting.payloads import named_votes

    (vote,) = [v for v in named_votes(ballot) if v["member_id"] == vice.pk]
    assert vote["cast_by"] == w.other_member.full_name and vote["option"] == "against"
    audit = AuditEvent.objects.filter(kind="vote_cast").get()
    assert audit.detail["by_substitute"] is True and audit.user_id == w.other_member.pk


def test_the_countdown_ends_the_voting(session):
    w = session.world
    ballot = _open(session, countdown_seconds=60)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(WrongState, match="Time is up"):
        do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    from voting.tasks import close_ballot_at_countdown

    assert close_ballot_at_countdown.call(w.tenant.pk, ballot.pk) == "closed"
    ballot.refresh_from_db()
    assert ballot.status == "closed" and ballot.closed_by is None


def test_the_worker_does_not_close_before_the_countdown(session):
    ballot = _open(session, countdown_seconds=600)
    with pytest.raises(WrongState, match="not ended"):
        do_close_ballot(ballot, acting_user=None)


def test_tallies_are_counts_while_open_and_names_after_the_close(session, django_capture_on_commit_callbacks):
    w = session.world
    ballot = _open(session)
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    tally = Event.objects.filter(type="ballot.tally").get()
    assert tally.data == {
        "ballot_id": ballot.pk,
        "eligible": 3,
        "voted": 1,
        "counts": {"for": 0, "against": 1, "abstain": 0},
    }
    assert w.member.full_name not in json.dumps(tally.data, ensure_ascii=False)
    do_close_ballot(ballot, acting_user=w.chair)
    closed = Event.objects.filter(type="ballot.closed").get()
    assert closed.data["ballot"]["result"]["outcome"] == "no_quorum"
    assert closed.data["votes"] == [
        {
            "member_id": session.participant(w.member).pk,
            "name": w.member.full_name,
            "option": "against",
            "cast_by": None,
        }
    ]


# --- secrecy ---------------------------------------------------------------------------


def _secret_ballot_with_votes(session):
    w = session.world
    ballot = _open(session, secret=True)
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    do_cast_vote(ballot, participant=session.participant(w.chair), option="for")
    do_cast_vote(ballot, participant=session.participant(w.vice_chair), option="for")
    return ballot


def test_a_secret_ballot_keeps_has_voted_apart_from_the_answer(session):
    w = session.world
    ballot = _secret_ballot_with_votes(session)
    # no vote rows at all: the answers are three counters
    assert Vote.objects.filter(ballot=ballot).count() == 0
    assert dict(SecretTally.objects.filter(ballot=ballot).values_list("option", "count")) == {
        "for": 2,
        "against": 1,
        "abstain": 0,
    }
    # the counters carry nothing ordered and nothing of a person
    fields = {f.name for f in SecretTally._meta.get_fields()}
    assert fields == {"id", "tenant", "ballot", "option", "count"}
    assert SecretTally._meta.pk.get_internal_type() == "UUIDField"
    # the audit log says that someone voted, never who chose what
    for row in AuditEvent.objects.filter(kind="vote_cast"):
        assert row.user_id is None and "option" not in row.detail and "member_id" not in row.detail
    # the events while open: how many voted, not what
    for event in Event.objects.filter(type="ballot.tally"):
        assert event.data["counts"] is None
    result = do_close_ballot(ballot, acting_user=w.chair).result
    assert result["outcome"] == "passed" and result["counts"]["for"] == 2
    closed = Event.objects.filter(type="ballot.closed").get()
    assert closed.data["votes"] == []


def test_no_table_the_secretariat_can_read_joins_a_secret_answer_to_a_voter(session):
    """Every row of every voting table, read as the secretariat could read it
    (the API, the admin, a database dump): no row holds both a voter and an answer."""
    from django.apps import apps

    w = session.world
    ballot = _secret_ballot_with_votes(session)
    do_close_ballot(ballot, acting_user=w.chair)
    voter_ids = {str(p.pk) for p in Participant.objects.filter(meeting=w.meeting)}
    user_ids = {str(u.pk) for u in (w.member, w.chair, w.vice_chair)}
    for model in apps.get_app_config("voting").get_models():
        for row in model.all_tenants.all().values():
            values = {k: str(v) for k, v in row.items()}
            has_answer = any(v in {"for", "against"} for v in values.values())
            names_a_person = any(
                k in {"member_id", "cast_by_id", "user_id", "voter_id"} and (v in voter_ids or v in user_ids)
                for k, v in values.items()
            )
            assert not (has_answer and names_a_person), (model.__name__, row)


def test_the_rows_of_a_secret_tally_are_made_at_opening_and_never_added_to(session):
    ballot = _open(session, secret=True)
    before = set(SecretTally.objects.filter(ballot=ballot).values_list("id", flat=True))
    do_cast_vote(ballot, participant=session.participant(session.world.member), option="abstain")
    assert set(SecretTally.objects.filter(ballot=ballot).values_list("id", flat=True)) == before
    if connection.vendor == "sqlite":
        # nor can SQLite's hidden rowid order them by when they were voted on
        rows = (
            connection.cursor()
            .execute(
                "SELECT rowid, option FROM voting_secrettally WHERE ballot_id = %s ORDER BY rowid",
                [ballot.pk],
            )
            .fetchall()
        )
        assert [option for _rowid, option in rows] == ["for", "against", "abstain"]


# --- the rules a ballot is counted by ---------------------------------------------------


def _set_rules(w, *, quorum_percent=50, early_close=None):
    from meetings.actions import do_set_meeting_settings

    do_set_meeting_settings(
        tenant=w.tenant,
        quorum_percent=quorum_percent,
        speaking_limit_seconds=300,
        secret_ballot_early_close=early_close,
        acting_user=w.secretary,
    )


def test_lowering_the_quorum_under_an_open_ballot_changes_nothing_of_it(session):
    """The attack: one vote of three is no quorum at 50 %; the secretariat
    lowers the tenant's quorum to 20 % before the close to turn it into "passed"."""
    w = session.world
    ballot = _open(session, majority="voting")
    do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    _set_rules(w, quorum_percent=20)
    result = do_close_ballot(ballot, acting_user=w.chair).result
    assert (result["outcome"], result["quorum_percent"], result["quorum_needed"]) == ("no_quorum", 50, 2)
    # the change itself is in the audit, with what the rules were and became
    change = AuditEvent.objects.get(kind="rules_changed")
    assert change.user_id == w.secretary.pk
    assert change.detail["before"] == {"quorum_percent": 50}
    assert change.detail["after"] == {"quorum_percent": 20}
    opened = AuditEvent.objects.get(kind="ballot_opened")
    assert (opened.detail["quorum_percent"], opened.detail["majority"]) == (50, "voting")
    # the next ballot is counted by the new rules
    do_conclude_item(w.meeting, conclusion="Xong", acting_user=w.chair)
    from meetings.actions import do_open_item

    do_open_item(w.meeting, item=w.items[1], acting_user=w.chair)
    later = _open(session, majority="voting")
    do_cast_vote(later, participant=session.participant(w.member), option="for")
    assert do_close_ballot(later, acting_user=w.chair).result["outcome"] == "passed"


def test_saving_the_same_rules_again_leaves_no_audit_row(session):
    _set_rules(session.world, quorum_percent=50)
    assert not AuditEvent.objects.filter(kind="rules_changed").exists()


def test_a_secret_ballot_is_not_closed_by_hand_before_the_quorum(session):
    """The attack: one member votes, the voter list shows who; the chair closes
    at once and the result would say what that member chose."""
    w = session.world
    ballot = _open(session, secret=True)
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    with pytest.raises(WrongState, match=r"1 of 3 members have voted.*once 2 have"):
        do_close_ballot(ballot, acting_user=w.chair)
    ballot.refresh_from_db()
    assert ballot.status == "open" and ballot.result is None
    # allowing it now does not reach the ballot already open
    _set_rules(w, early_close=True)
    with pytest.raises(WrongState, match="do not allow"):
        do_close_ballot(ballot, acting_user=w.chair)


def test_closed_early_where_the_rules_allow_it_a_secret_ballot_publishes_no_count(session):
    w = session.world
    _set_rules(w, early_close=True)
    ballot = _open(session, secret=True)
    assert ballot.closes_before_quorum is True
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    result = do_close_ballot(ballot, acting_user=w.chair).result
    assert result["outcome"] == "withheld"
    assert result["counts"] is None and result["winner"] is None
    assert (result["voted"], result["eligible"]) == (1, 3)
    # the counters, the only place the answer was, are gone; nothing else tells it
    assert not SecretTally.objects.filter(ballot=ballot).exists()
    closed = AuditEvent.objects.get(kind="ballot_closed")
    assert closed.detail["counts"] is None and closed.detail["outcome"] == "withheld"
    event = Event.objects.get(type="ballot.closed")
    assert event.data["tally"]["counts"] is None and event.data["ballot"]["result"]["counts"] is None
    assert "against" not in json.dumps(event.data["ballot"]["result"])


def test_two_votes_are_too_few_to_publish_even_with_the_quorum(session):
    w = session.world
    ballot = _open(session, secret=True)
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    do_cast_vote(ballot, participant=session.participant(w.chair), option="for")
    result = do_close_ballot(ballot, acting_user=w.chair).result  # 2 of 3: the quorum
    assert (result["outcome"], result["counts"]) == ("withheld", None)


def test_the_countdown_closes_a_secret_ballot_below_the_quorum_without_its_counts(session, clock):
    w = session.world
    ballot = _open(session, secret=True, countdown_seconds=30)
    do_cast_vote(ballot, participant=session.participant(w.member), option="for")
    clock.advance(31)
    result = do_close_ballot(ballot, acting_user=None).result
    assert (result["outcome"], result["counts"]) == ("withheld", None)


def test_a_named_ballot_is_counted_whatever_the_number_of_votes(session):
    w = session.world
    ballot = _open(session)
    do_cast_vote(ballot, participant=session.participant(w.member), option="against")
    result = do_close_ballot(ballot, acting_user=w.chair).result
    assert (result["outcome"], result["counts"]["against"]) == ("no_quorum", 1)


def test_a_secret_ballot_needs_three_who_may_vote(session):
    from meetings.actions import do_remove_participant

    w = session.world
    do_remove_participant(session.participant(w.vice_chair), acting_user=w.secretary)
    with pytest.raises(WrongState, match="at least 3 members"):
        _open(session, secret=True)
    assert _open(session).secret is False  # a named one opens
