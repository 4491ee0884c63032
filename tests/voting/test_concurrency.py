"""Sixty members vote at the same moment, each on a connection of its own."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ecabinet.actions import do_create_user
from ecabinet.errors import WrongState
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_participant, do_open_item, do_start_meeting
from meetings.models import Participant
from tests.conftest import PASSWORD, requires_postgres
from voting.actions import do_cast_vote, do_close_ballot, do_open_ballot
from voting.models import BallotVoter, SecretTally, Vote

VOTERS = 60


@requires_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_sixty_voters_at_once_are_counted_exactly_once(hanoi, secret):
    # given: a meeting of the three members of the world plus 57 more
    w = hanoi
    with tenant_context(w.tenant):
        for n in range(VOTERS - 3):
            user = do_create_user(
                tenant=w.tenant,
                username=f"hanoi-v{n}",
                full_name=f"Thành viên {n}",
                password=PASSWORD,
                check_password=False,
            )
            do_add_participant(w.meeting, user=user, role="member", acting_user=w.secretary)
        meeting = do_start_meeting(w.meeting, acting_user=w.chair)
        do_open_item(meeting, item=w.items[0], acting_user=w.chair)
        ballot = do_open_ballot(meeting, acting_user=w.chair, secret=secret)
        members = list(
            Participant.objects.filter(meeting=meeting, role__in=["chair", "vice_chair", "member"])
        )
    assert len(members) == VOTERS
    options = ["for", "against", "abstain"]
    start = threading.Barrier(VOTERS)
    errors: list[BaseException] = []
    second_refused: list[bool] = []

    def vote(index: int, participant: Participant) -> None:
        try:
            with tenant_context(w.tenant):
                start.wait(timeout=30)
                do_cast_vote(ballot, participant=participant, option=options[index % 3])
                # and at once a second time, which must be refused
                try:
                    do_cast_vote(ballot, participant=participant, option="for")
                except WrongState:
                    second_refused.append(True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when: everyone presses at once
    threads = [threading.Thread(target=vote, args=(i, p)) for i, p in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then: exactly sixty votes, none lost, none doubled
    assert errors == []
    assert len(second_refused) == VOTERS
    with tenant_context(w.tenant):
        assert BallotVoter.objects.filter(ballot=ballot, voted_at__isnull=False).count() == VOTERS
        if secret:
            assert sum(SecretTally.objects.filter(ballot=ballot).values_list("count", flat=True)) == VOTERS
            assert Vote.objects.filter(ballot=ballot).count() == 0
        else:
            assert Vote.objects.filter(ballot=ballot).count() == VOTERS
        result = do_close_ballot(ballot, acting_user=w.chair).result
    assert result["voted"] == VOTERS
    assert result["counts"] == {"for": 20, "against": 20, "abstain": 20}
    assert result["outcome"] == "failed"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_every_counter_of_a_secret_ballot_is_rewritten_by_every_vote(hanoi):
    """A row's xmin names the transaction that wrote it last: were only the
    chosen counter written, the last voter for each option could be found by
    matching it with the voter list's rows."""
    w = hanoi
    with tenant_context(w.tenant):
        meeting = do_start_meeting(w.meeting, acting_user=w.chair)
        do_open_item(meeting, item=w.items[0], acting_user=w.chair)
        ballot = do_open_ballot(meeting, acting_user=w.chair, secret=True)
        for user, option in ((w.member, "for"), (w.chair, "against"), (w.vice_chair, "for")):
            do_cast_vote(
                ballot, participant=Participant.objects.get(meeting=meeting, user=user), option=option
            )
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM voting_secrettally WHERE ballot_id = %s", [ballot.pk])
        assert len(cursor.fetchall()) == 1
