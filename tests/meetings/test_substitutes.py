"""Substitutes (ủy quyền): a member proposes from the secretariat's list, the chair or the
secretariat approves, nobody removed from the meeting comes back as one, every step audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ecabinet.errors import Invalid, NotAllowed, WrongState
from ecabinet.models import AuditEvent, Event
from meetings import actions
from meetings.models import Participant, RemovedPerson, SubstituteProposal
from tests.conftest import World

API = "/api/v1"


def post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def participant(w: World, user: Any) -> Participant:
    return Participant.objects.get(meeting=w.meeting, user=user)


def substitutes_url(w: World, suffix: str = "") -> str:
    return f"{API}/meetings/{w.meeting.pk}/substitutes/{suffix}"


def allow(w: World, *users: Any) -> None:
    actions.do_set_substitute_candidates(w.meeting, users=list(users), acting_user=w.secretary)


def audit_rows(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("id"))


# --- the attacks of the issue -----------------------------------------------------------


def test_a_member_cannot_name_anyone_of_the_tenant_at_will(in_hanoi: World) -> None:
    # the issue: the member's own naming took effect at once, with anyone of the directory
    w = in_hanoi
    before = Participant.objects.filter(meeting=w.meeting).count()
    response = post(
        w.client(w.member),
        f"{API}/meetings/{w.meeting.pk}/participants/{participant(w, w.member).pk}/substitute/",
        {"user_id": w.other_member.pk},
    )
    assert response.status_code == 400, response.content
    assert "Văn phòng cho phép" in response.json()["detail"]
    assert Participant.objects.filter(meeting=w.meeting).count() == before
    assert not participant(w, w.member).cannot_attend
    # and the person named still cannot open the meeting
    assert w.client(w.other_member).get(f"{API}/meetings/{w.meeting.pk}/").status_code == 404


def test_someone_removed_from_the_meeting_cannot_come_back_as_a_substitute(in_hanoi: World) -> None:
    # the issue: a person the secretariat removed was named and then saw every item and voted
    w = in_hanoi
    actions.do_remove_participant(participant(w, w.observer), acting_user=w.secretary)
    assert RemovedPerson.objects.filter(meeting=w.meeting, user=w.observer).exists()
    # not by the member
    response = post(w.client(w.member), substitutes_url(w), {"user_id": w.observer.pk})
    assert response.status_code == 400
    assert "đã rút" in response.json()["detail"] or "không thể dự thay" in response.json()["detail"]
    # not onto the secretariat's list
    with pytest.raises(Invalid):
        allow(w, w.observer)
    # not even by the secretariat naming directly
    with pytest.raises(Invalid):
        actions.do_name_substitute(participant(w, w.member), substitute=w.observer, acting_user=w.secretary)
    assert not Participant.objects.filter(meeting=w.meeting, user=w.observer).exists()
    assert w.client(w.observer).get(f"{API}/meetings/{w.meeting.pk}/").status_code == 404
    # the secretariat's explicit choice brings them back as a participant
    actions.do_add_participant(w.meeting, user=w.observer, role="observer", acting_user=w.secretary)
    assert not RemovedPerson.objects.filter(meeting=w.meeting, user=w.observer).exists()


# --- proposed, then approved --------------------------------------------------------------


def test_a_proposal_takes_effect_only_when_the_chair_approves(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposed = post(w.client(w.member), substitutes_url(w), {"user_id": w.other_member.pk})
    assert proposed.status_code == 202, proposed.content
    proposal = proposed.json()["proposal"]
    assert proposal["status"] == "proposed" and proposal["substitute_name"] == w.other_member.full_name
    # waiting: the substitute is not in the meeting, the member still is
    assert not Participant.objects.filter(meeting=w.meeting, user=w.other_member).exists()
    assert not participant(w, w.member).cannot_attend
    assert w.client(w.other_member).get(f"{API}/meetings/{w.meeting.pk}/").status_code == 404
    # the chair approves
    decided = post(w.client(w.chair), substitutes_url(w, f"{proposal['id']}/decision/"), {"approve": True})
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (
        body["proposal"]["status"] == "approved" and body["proposal"]["decided_by_name"] == w.chair.full_name
    )
    stand_in = participant(w, w.other_member)
    assert stand_in.substitute_for == participant(w, w.member) and stand_in.role == "member"
    assert body["participant"]["substitute_for_id"] == participant(w, w.member).pk
    assert participant(w, w.member).cannot_attend
    assert w.client(w.other_member).get(f"{API}/meetings/{w.meeting.pk}/").status_code == 200
    # every step audited, with who did it
    (proposed_row,) = audit_rows(AuditEvent.Kind.SUBSTITUTE_PROPOSED)
    assert proposed_row.user == w.member and proposed_row.detail["substitute_user_id"] == w.other_member.pk
    (decided_row,) = audit_rows(AuditEvent.Kind.SUBSTITUTE_DECIDED)
    assert decided_row.user == w.chair and decided_row.detail["decision"] == "approved"
    kinds = set(Event.objects.filter(stream_id=w.meeting.stream_id).values_list("type", flat=True))
    assert {"substitute.proposed", "substitute.decided", "participant.added"} <= kinds


def test_the_secretariat_refuses_with_a_note(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    decided, stand_in = actions.do_decide_substitute(
        proposal, approve=False, note="Đề nghị cử Phó Giám đốc", acting_user=w.secretary
    )
    assert stand_in is None and decided.status == SubstituteProposal.Status.REFUSED
    assert not Participant.objects.filter(meeting=w.meeting, user=w.other_member).exists()
    row = audit_rows(AuditEvent.Kind.SUBSTITUTE_DECIDED)[-1]
    assert row.user == w.secretary and row.detail["decision"] == "refused"
    assert row.detail["note"] == "Đề nghị cử Phó Giám đốc"
    # decided once: not again
    with pytest.raises(WrongState):
        actions.do_decide_substitute(proposal, approve=True, acting_user=w.chair)


@pytest.mark.parametrize("who", ["vice_chair", "member", "guest", "observer"])
def test_only_the_chair_or_the_secretariat_decides(in_hanoi: World, who: str) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    response = post(
        w.client(getattr(w, who)), substitutes_url(w, f"{proposal.pk}/decision/"), {"approve": True}
    )
    assert response.status_code == 403, response.content
    assert not Participant.objects.filter(meeting=w.meeting, user=w.other_member).exists()
    assert not audit_rows(AuditEvent.Kind.SUBSTITUTE_DECIDED)


def test_the_acting_chair_decides(in_hanoi: World) -> None:
    w = in_hanoi
    actions.do_set_acting_chair(w.meeting, participant=participant(w, w.vice_chair), acting_user=w.secretary)
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    response = post(w.client(w.vice_chair), substitutes_url(w, f"{proposal.pk}/decision/"), {"approve": True})
    assert response.status_code == 200, response.content


def test_approval_checks_again_what_changed_since(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    # meanwhile the secretariat invites the same person in their own right
    actions.do_add_participant(w.meeting, user=w.other_member, role="observer", acting_user=w.secretary)
    with pytest.raises(Invalid):
        actions.do_decide_substitute(proposal, approve=True, acting_user=w.chair)
    assert participant(w, w.other_member).substitute_for is None


def test_removing_a_person_refuses_the_proposals_that_name_them(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    # the person is invited, then removed: the open proposal naming them is closed
    added = actions.do_add_participant(
        w.meeting, user=w.other_member, role="observer", acting_user=w.secretary
    )
    actions.do_remove_participant(added, acting_user=w.secretary)
    proposal.refresh_from_db()
    assert proposal.status == SubstituteProposal.Status.REFUSED


def test_one_open_proposal_at_a_time_and_the_member_may_withdraw_it(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member, w.observer)
    actions.do_remove_participant(participant(w, w.observer), acting_user=w.secretary)  # off the list too
    allow(w, w.other_member)
    client = w.client(w.member)
    first = post(client, substitutes_url(w), {"user_id": w.other_member.pk}).json()["proposal"]
    again = post(client, substitutes_url(w), {"user_id": w.other_member.pk})
    assert again.status_code == 409
    # another member cannot withdraw it
    assert post(w.client(w.vice_chair), substitutes_url(w, f"{first['id']}/withdraw/")).status_code == 403
    withdrawn = post(client, substitutes_url(w, f"{first['id']}/withdraw/"))
    assert withdrawn.status_code == 200 and withdrawn.json()["proposal"]["status"] == "withdrawn"
    row = audit_rows(AuditEvent.Kind.SUBSTITUTE_DECIDED)[-1]
    assert row.user == w.member and row.detail["decision"] == "withdrawn"
    assert post(client, substitutes_url(w), {"user_id": w.other_member.pk}).status_code == 202


def test_members_propose_only_for_themselves(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    with pytest.raises(NotAllowed):
        actions.do_propose_substitute(
            participant(w, w.member), substitute=w.other_member, acting_user=w.vice_chair
        )


def test_the_list_the_member_sees(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    state = w.client(w.member).get(substitutes_url(w)).json()
    assert [c["id"] for c in state["choices"]] == [w.other_member.pk]
    assert state["candidate_ids"] == [w.other_member.pk] and state["proposals"] == []
    # the secretariat sets it through the API, audited
    response = w.client(w.secretary).put(
        substitutes_url(w), json.dumps({"candidate_ids": []}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["candidate_ids"] == []
    row = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PARTICIPANTS_CHANGED, detail__action="substitute_candidates"
    )
    assert row.count() == 2
    # a member cannot set it
    refused = w.client(w.member).put(
        substitutes_url(w),
        json.dumps({"candidate_ids": [w.other_member.pk]}),
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_another_tenant_gets_404(in_hanoi: World, danang: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    foreign = Client(HTTP_HOST=w.host)
    foreign.force_login(danang.secretary)
    assert post(foreign, substitutes_url(w, f"{proposal.pk}/decision/"), {"approve": True}).status_code in (
        401,
        404,
    )
    danang_client = danang.client(danang.secretary)
    path = f"{API}/meetings/{danang.meeting.pk}/substitutes/{proposal.pk}/decision/"
    assert post(danang_client, path, {"approve": True}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == SubstituteProposal.Status.PROPOSED


# --- the pages --------------------------------------------------------------------------------


def test_the_member_proposes_and_the_chair_approves_on_the_meeting_page(in_hanoi: World) -> None:
    w = in_hanoi
    page = reverse("meetings:meeting-detail", args=[w.meeting.pk])
    # the secretariat lists who may attend for a member, on the console
    secretary = w.client(w.secretary)
    saved = secretary.post(
        reverse("meetings:substitute-candidates", args=[w.meeting.pk]), {"users": [w.other_member.pk]}
    )
    assert saved.status_code == 302
    member = w.client(w.member)
    html = member.get(page).content.decode()
    assert 'id="substitutes"' in html and w.other_member.full_name in html
    member.post(
        reverse("meetings:substitute-propose", args=[w.meeting.pk]), {"substitute": w.other_member.pk}
    )
    proposal = SubstituteProposal.objects.get()
    assert "chưa quyết định" in member.get(page).content.decode()
    chair = w.client(w.chair)
    html = chair.get(page).content.decode()
    assert f'data-proposal-id="{proposal.pk}"' in html
    chair.post(
        reverse("meetings:substitute-decide", args=[w.meeting.pk, proposal.pk]), {"decision": "approve"}
    )
    assert participant(w, w.other_member).substitute_for == participant(w, w.member)


def test_a_member_of_another_meeting_cannot_decide_on_the_page(in_hanoi: World) -> None:
    w = in_hanoi
    allow(w, w.other_member)
    proposal = actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )
    url = reverse("meetings:substitute-decide", args=[w.meeting.pk, proposal.pk])
    assert w.client(w.other_member).post(url, {"decision": "approve"}).status_code == 404
    assert w.client(w.vice_chair).post(url, {"decision": "approve"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == SubstituteProposal.Status.PROPOSED
