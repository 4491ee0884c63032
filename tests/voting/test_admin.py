"""The administration lists slips and ballots read-only; a secret ballot's
voters and counters are not there."""

from ecabinet.tenancy import tenant_context
from meetings.models import Participant
from voting.actions import do_cast_vote, do_open_ballot


def test_the_national_administrator_reads_ballots_but_cannot_change_them(session, national_admin):
    w = session.world
    ballot = do_open_ballot(w.meeting, acting_user=w.chair, question="Bầu kín", secret=True)
    with tenant_context(w.tenant):
        do_cast_vote(
            ballot, participant=Participant.objects.get(meeting=w.meeting, user=w.member), option="against"
        )
    client = w.client(national_admin)
    listing = client.get("/admin/voting/ballot/")
    assert listing.status_code == 200 and "Bầu kín" in listing.content.decode()
    detail = client.get(f"/admin/voting/ballot/{ballot.pk}/change/")
    assert detail.status_code == 200
    assert w.member.full_name not in detail.content.decode()
    assert client.post(f"/admin/voting/ballot/{ballot.pk}/delete/").status_code == 403
    assert client.get("/admin/voting/secrettally/").status_code == 404
    assert client.get("/admin/voting/ballotvoter/").status_code == 404
    assert client.get("/admin/voting/slip/").status_code == 200
