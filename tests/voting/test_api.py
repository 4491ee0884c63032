"""The voting API: role × route, other tenants, bad input, and secrecy as the secretariat reads it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_start_meeting
from tests.clock import in_days, local_iso
from tests.conftest import World
from voting.actions import do_cast_vote, do_issue_slip, do_open_ballot
from voting.models import Ballot, Slip

API = "/api/v1/"
# A deadline a month on and one a day ago, as a program sends them (read when the tests are collected).
LATER, EARLIER = local_iso(in_days(30)), local_iso(in_days(-1))


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _start(world: World) -> None:
    with tenant_context(world.tenant):
        meeting = do_start_meeting(world.meeting, acting_user=world.chair)
        do_open_item(meeting, item=world.items[0], acting_user=world.chair)


def _ballot(world: World, **kwargs) -> Ballot:
    _start(world)
    with tenant_context(world.tenant):
        return do_open_ballot(world.meeting, acting_user=world.chair, **kwargs)


def _slip(world: World) -> Slip:
    with tenant_context(world.tenant):
        return do_issue_slip(
            tenant=world.tenant,
            question="Ý kiến về dự thảo?",
            deadline=timezone.now() + timedelta(days=2),
            recipients=[world.chair, world.member],
            acting_user=world.secretary,
        )


def test_the_chair_opens_members_vote_the_chair_closes(hanoi: World) -> None:
    _start(hanoi)
    m = hanoi.meeting.pk
    opened = _post(
        hanoi.client(hanoi.chair), f"{API}meetings/{m}/ballots/", {"question": "Thông qua?", "secret": False}
    )
    assert opened.status_code == 201, opened.content
    ballot_id = opened.json()["ballot"]["id"]
    voted = _post(
        hanoi.client(hanoi.member), f"{API}meetings/{m}/ballots/{ballot_id}/vote/", {"option": "for"}
    )
    assert voted.status_code == 200
    assert voted.json()["mine"] == {"may_vote": True, "voted": True, "option": "for"}
    assert voted.json()["votes"] == []  # no names while open
    again = _post(
        hanoi.client(hanoi.member), f"{API}meetings/{m}/ballots/{ballot_id}/vote/", {"option": "for"}
    )
    assert again.status_code == 409 and again.json()["error"] == "wrong_state"
    closed = _post(hanoi.client(hanoi.chair), f"{API}meetings/{m}/ballots/{ballot_id}/close/")
    assert closed.status_code == 200
    assert closed.json()["ballot"]["result"]["outcome"] == "no_quorum"
    assert [v["name"] for v in closed.json()["votes"]] == [hanoi.member.full_name]
    late = _post(hanoi.client(hanoi.chair), f"{API}meetings/{m}/ballots/{ballot_id}/vote/", {"option": "for"})
    assert late.status_code == 409


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("vice_chair", 403),
        ("secretary", 403),
        ("guest", 403),
        ("observer", 403),
        ("other_member", 404),
    ],
)
def test_only_the_chair_opens_a_ballot(hanoi: World, who: str, status: int) -> None:
    _start(hanoi)
    response = _post(hanoi.client(getattr(hanoi, who)), f"{API}meetings/{hanoi.meeting.pk}/ballots/", {})
    # in the meeting without the right: 403; outside it: 404
    assert response.status_code == status
    assert Ballot.all_tenants.count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("secretary", 403), ("observer", 403), ("guest", 403), ("other_member", 404)]
)
def test_who_may_not_vote_is_refused(hanoi: World, who: str, status: int) -> None:
    ballot = _ballot(hanoi)
    response = _post(
        hanoi.client(getattr(hanoi, who)),
        f"{API}meetings/{hanoi.meeting.pk}/ballots/{ballot.pk}/vote/",
        {"option": "for"},
    )
    assert response.status_code == status


def test_another_tenant_gets_404_everywhere(hanoi: World, danang: World) -> None:
    ballot = _ballot(hanoi)
    slip = _slip(hanoi)
    m = hanoi.meeting.pk
    for user in (danang.chair, danang.secretary):
        client = danang.client(user)
        assert client.get(f"{API}meetings/{m}/ballots/{ballot.pk}/").status_code == 404
        assert (
            _post(client, f"{API}meetings/{m}/ballots/{ballot.pk}/vote/", {"option": "for"}).status_code
            == 404
        )
        assert client.get(f"{API}slips/{slip.pk}/").status_code == 404
        assert _post(client, f"{API}slips/{slip.pk}/close/").status_code == 404
        assert client.get(f"{API}meetings/{m}/positions/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"option": "maybe"},
        {"option": ""},
        {"option": 7},
        {},
        {"option": "for", "extra": 1},
        [],
        "x",
    ],
)
def test_bad_votes_are_4xx_with_a_message(hanoi: World, body) -> None:
    ballot = _ballot(hanoi)
    response = _post(
        hanoi.client(hanoi.member), f"{API}meetings/{hanoi.meeting.pk}/ballots/{ballot.pk}/vote/", body
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


def test_malformed_json_and_ids_are_4xx(hanoi: World) -> None:
    ballot = _ballot(hanoi)
    client = hanoi.client(hanoi.member)
    url = f"{API}meetings/{hanoi.meeting.pk}/ballots/{ballot.pk}/vote/"
    assert client.post(url, data="{not json", content_type="application/json").status_code == 400
    assert client.get(f"{API}meetings/{hanoi.meeting.pk}/ballots/{2**63}/").status_code == 404
    assert client.get(f"{API}slips/{2**63}/").status_code == 404
    bad_open = _post(
        hanoi.client(hanoi.chair), f"{API}meetings/{hanoi.meeting.pk}/ballots/", {"countdown_seconds": "soon"}
    )
    assert bad_open.status_code == 400


def test_a_secret_ballot_read_by_the_secretariat_names_nobodys_answer(hanoi: World) -> None:
    """Everything the secretariat's role can ask of the API about a secret
    ballot: who has voted, how many chose what — never the two together."""
    ballot = _ballot(hanoi, secret=True)
    with tenant_context(hanoi.tenant):
        from meetings.models import Participant

        p = {
            u: Participant.objects.get(meeting=hanoi.meeting, user=getattr(hanoi, u))
            for u in ("member", "chair", "vice_chair")
        }
        do_cast_vote(ballot, participant=p["member"], option="against")
        do_cast_vote(ballot, participant=p["chair"], option="for")
    secretariat = hanoi.client(hanoi.secretary)
    m = hanoi.meeting.pk
    reads = [
        secretariat.get(f"{API}meetings/{m}/ballots/"),
        secretariat.get(f"{API}meetings/{m}/ballots/{ballot.pk}/"),
        secretariat.get(f"{API}meetings/{m}/events/?since=0"),
    ]
    with tenant_context(hanoi.tenant):
        # the third vote: counts are published from three votes on
        do_cast_vote(ballot, participant=p["vice_chair"], option="abstain")
    reads.append(secretariat.get(f"{API}meetings/{m}/ballots/{ballot.pk}/"))
    _post(hanoi.client(hanoi.chair), f"{API}meetings/{m}/ballots/{ballot.pk}/close/")
    reads += [
        secretariat.get(f"{API}meetings/{m}/ballots/"),
        secretariat.get(f"{API}meetings/{m}/ballots/{ballot.pk}/"),
        secretariat.get(f"{API}meetings/{m}/events/?since=0"),
    ]
    for response in reads:
        assert response.status_code == 200
    detail = reads[-2].json()
    assert {v["name"]: v["voted"] for v in detail["voters"]} == {
        hanoi.member.full_name: True,
        hanoi.chair.full_name: True,
        hanoi.vice_chair.full_name: True,
    }
    assert detail["votes"] == [] and detail["ballot"]["result"]["counts"] == {
        "for": 1,
        "against": 1,
        "abstain": 1,
    }

    # nowhere an answer beside a voter: no object carries both a person and an option
    def walk(node):
        if isinstance(node, dict):
            keys = set(node)
            assert not (keys & {"member_id", "name", "user_id"} and keys & {"option", "choice"}), node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for response in reads:
        walk(response.json())


def test_slips_over_the_api(hanoi: World) -> None:
    secretariat = hanoi.client(hanoi.secretary)
    deadline = (timezone.now() + timedelta(days=2)).isoformat()
    issued = _post(
        secretariat,
        f"{API}slips/",
        {
            "question": "Ý kiến về dự thảo?",
            "deadline": deadline,
            "recipient_ids": [hanoi.chair.pk, hanoi.member.pk],
        },
    )
    assert issued.status_code == 201, issued.content
    slip_id = issued.json()["slip"]["id"]
    member = hanoi.client(hanoi.member)
    assert member.get(f"{API}slips/{slip_id}/").json()["answers"] is None  # a member sees only their own
    no_text = _post(member, f"{API}slips/{slip_id}/answer/", {"choice": "other"})
    assert no_text.status_code == 400 and no_text.json()["error"] == "invalid"
    answered = _post(member, f"{API}slips/{slip_id}/answer/", {"choice": "agree"})
    assert answered.status_code == 200 and answered.json()["mine"]["choice"] == "agree"
    outsider = _post(hanoi.client(hanoi.other_member), f"{API}slips/{slip_id}/answer/", {"choice": "agree"})
    assert outsider.status_code == 404
    assert _post(member, f"{API}slips/{slip_id}/close/").status_code == 403
    state = secretariat.get(f"{API}slips/{slip_id}/").json()
    assert [(a["name"], a["answer"] and a["answer"]["choice"]) for a in state["answers"]] == sorted(
        [(hanoi.chair.full_name, None), (hanoi.member.full_name, "agree")]
    )
    closed = _post(secretariat, f"{API}slips/{slip_id}/close/")
    assert closed.status_code == 200 and closed.json()["slip"]["status"] == "closed"
    assert _post(member, f"{API}slips/{slip_id}/answer/", {"choice": "disagree"}).status_code == 409
    listed = member.get(f"{API}slips/").json()
    assert [(s["id"], s["mine"]) for s in listed] == [(slip_id, "agree")]
    assert hanoi.client(hanoi.other_member).get(f"{API}slips/").json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"question": "Q", "deadline": LATER.replace("+07:00", ""), "recipient_ids": [1]},  # naive
        {"question": "Q", "deadline": "soon", "recipient_ids": [1]},
        {"question": "Q", "deadline": EARLIER, "recipient_ids": [1]},  # in the past
        {"question": "Q", "deadline": LATER, "recipient_ids": []},
        {"question": "", "deadline": LATER, "recipient_ids": [1]},
        {"question": "Q", "deadline": LATER, "recipient_ids": [999999]},
    ],
)
def test_bad_slips_are_400(hanoi: World, body) -> None:
    response = _post(hanoi.client(hanoi.secretary), f"{API}slips/", body)
    assert response.status_code == 400, response.content
    assert Slip.all_tenants.count() == 0


def test_only_the_secretariat_issues_slips(hanoi: World) -> None:
    body = {
        "question": "Q",
        "deadline": (timezone.now() + timedelta(days=1)).isoformat(),
        "recipient_ids": [hanoi.member.pk],
    }
    for user in (hanoi.chair, hanoi.member):
        assert _post(hanoi.client(user), f"{API}slips/", body).status_code == 403
    assert hanoi.client().get(f"{API}slips/").status_code == 401


def test_positions_over_the_api(hanoi: World) -> None:
    m = hanoi.meeting.pk
    member = hanoi.client(hanoi.member)
    given = _post(
        member, f"{API}meetings/{m}/positions/", {"item_id": hanoi.items[0].pk, "kind": "objection"}
    )
    assert given.status_code == 400  # an objection needs a reason
    given = _post(
        member, f"{API}meetings/{m}/positions/", {"item_id": hanoi.items[0].pk, "kind": "no_objection"}
    )
    assert given.status_code == 200
    assert member.get(f"{API}meetings/{m}/positions/").json()["items"] == []  # a member sees only their own
    chair_view = hanoi.client(hanoi.chair).get(f"{API}meetings/{m}/positions/").json()
    row = next(r for r in chair_view["items"] if r["item_id"] == hanoi.items[0].pk)
    assert row["not_answered"] == 2 and chair_view["consent_item_ids"] == [hanoi.items[0].pk]
    guest = _post(
        hanoi.client(hanoi.guest),
        f"{API}meetings/{m}/positions/",
        {"item_id": hanoi.items[0].pk, "kind": "no_objection"},
    )
    assert guest.status_code == 403
    cutoff = hanoi.client(hanoi.secretary).put(
        f"{API}meetings/{m}/positions/cutoff/",
        data=json.dumps({"cutoff": (timezone.now() + timedelta(hours=2)).isoformat()}),
        content_type="application/json",
    )
    assert cutoff.status_code == 200 and cutoff.json()["cutoff"]
    assert (
        hanoi.client(hanoi.member)
        .put(
            f"{API}meetings/{m}/positions/cutoff/",
            data=json.dumps({"cutoff": None}),
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_the_schema_lists_the_voting_routes(hanoi: World) -> None:
    schema = hanoi.client(hanoi.secretary).get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/meetings/{meeting_id}/ballots/{ballot_id}/vote/" in paths
    assert "/api/v1/slips/{slip_id}/answer/" in paths
