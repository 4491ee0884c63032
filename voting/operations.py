"""Voting's session operations by name, for the socket and the API alike.

As in ``meetings.operations``: each declares the capability it needs and the
serializer that parses its input (a socket frame's ``data`` and an API body,
with the ids the API takes from its path), and calls one action; both the
socket and the API go through ``run``, so a tablet and a program are held to
the same rules.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ecabinet.api import Flag, Id, Input, NoInput
from ecabinet.roles import Capability
from meetings.access import MeetingAccess, access_item
from meetings.operations import Operation, participant_of, run_operation
from voting import actions
from voting.access import access_ballot
from voting.models import Majority, Position
from voting.payloads import position_payload
from voting.selectors import ballot_state

C = Capability


# --- the inputs ---------------------------------------------------------------------------


class PositionInput(Input):
    item_id = Id()
    kind = serializers.ChoiceField(choices=Position.Kind.choices)
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    class Meta:
        ref_name = "PositionInput"


class BallotOpenInput(Input):
    question = serializers.CharField(max_length=500, required=False, allow_blank=True)
    options = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=10
    )
    secret = Flag(required=False, default=False)
    allow_change = Flag(required=False, default=False)
    majority = serializers.ChoiceField(choices=Majority.choices, required=False, default=Majority.OF_MEMBERS)
    countdown_seconds = serializers.IntegerField(
        required=False, allow_null=True, min_value=10, max_value=3600
    )

    class Meta:
        ref_name = "BallotOpenInput"


class BallotRefInput(Input):
    """A ballot of the meeting (the API takes its id from the path)."""

    ballot_id = Id()


class VoteInput(BallotRefInput):
    option = serializers.CharField(max_length=40)

    class Meta:
        ref_name = "VoteInput"


# --- the operations -----------------------------------------------------------------------


def _open(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    ballot = actions.do_open_ballot(
        a.meeting,
        acting_user=a.user,
        question=d.get("question", ""),
        options=d.get("options"),
        secret=d["secret"],
        allow_change=d["allow_change"],
        majority=d["majority"],
        countdown_seconds=d.get("countdown_seconds"),
    )
    return ballot_state(a, ballot)


def _vote(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    ballot = access_ballot(a, d["ballot_id"])
    actions.do_cast_vote(ballot, participant=participant_of(a), option=d["option"])
    ballot.refresh_from_db()
    return ballot_state(a, ballot)


def _close(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    ballot = access_ballot(a, d["ballot_id"])
    return ballot_state(a, actions.do_close_ballot(ballot, acting_user=a.user))


def _position(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    item = access_item(a, d["item_id"])
    position = actions.do_give_position(
        item, participant=participant_of(a), kind=d["kind"], reason=d.get("reason", "")
    )
    return {"position": position_payload(position)}


def _adopt(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    items = actions.do_adopt_consent_list(a.meeting, acting_user=a.user)
    return {"item_ids": [i.pk for i in items]}


OPERATIONS: dict[str, Operation] = {
    "ballot.open": Operation(C.RUN_SESSION, BallotOpenInput, _open),
    "ballot.vote": Operation(C.VOTE, VoteInput, _vote),
    "ballot.close": Operation(C.RUN_SESSION, BallotRefInput, _close),
    "position.give": Operation(C.VOTE, PositionInput, _position),
    "consent.adopt": Operation(C.RUN_SESSION, NoInput, _adopt),
}


def run(name: str, access: MeetingAccess, data: Any, *, request: Any = None) -> dict[str, Any]:
    return dict(run_operation(OPERATIONS[name], access, data, request=request))
