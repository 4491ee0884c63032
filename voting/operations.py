"""Voting's session operations by name, for the socket and the API alike.

As in ``meetings.operations``: each declares the capability it needs, reads a
plain dict, and calls one action; both the socket and the API go through
``run``, so a tablet and a program are held to the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ecabinet.errors import Invalid, NotAllowed
from ecabinet.roles import Capability
from meetings.access import MeetingAccess, access_item
from voting import actions
from voting.access import access_ballot
from voting.payloads import position_payload
from voting.selectors import ballot_state

C = Capability


@dataclass(frozen=True)
class Operation:
    capability: Capability
    run: Callable[[MeetingAccess, dict[str, Any]], dict[str, Any]]


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise Invalid(_("“%(field)s” must be true or false.") % {"field": name})
    return value


def _participant(access: MeetingAccess) -> Any:
    if access.participant is None:
        raise NotAllowed(_("Only participants of the meeting can do this."))
    return access.participant


def _open(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    ballot = actions.do_open_ballot(
        a.meeting,
        acting_user=a.user,
        question=d.get("question", ""),
        options=d.get("options"),
        secret=_flag(d, "secret"),
        allow_change=_flag(d, "allow_change"),
        majority=d.get("majority", "members"),
        countdown_seconds=d.get("countdown_seconds"),
    )
    return ballot_state(a, ballot)


def _vote(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    ballot = access_ballot(a, d.get("ballot_id"))
    actions.do_cast_vote(ballot, participant=_participant(a), option=d.get("option"))
    ballot.refresh_from_db()
    return ballot_state(a, ballot)


def _close(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    ballot = access_ballot(a, d.get("ballot_id"))
    return ballot_state(a, actions.do_close_ballot(ballot, acting_user=a.user))


def _position(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    item = access_item(a, d.get("item_id"))
    position = actions.do_give_position(
        item, participant=_participant(a), kind=d.get("kind"), reason=d.get("reason", "")
    )
    return {"position": position_payload(position)}


def _adopt(a: MeetingAccess, d: dict[str, Any]) -> dict[str, Any]:
    items = actions.do_adopt_consent_list(a.meeting, acting_user=a.user)
    return {"item_ids": [i.pk for i in items]}


OPERATIONS: dict[str, Operation] = {
    "ballot.open": Operation(C.RUN_SESSION, _open),
    "ballot.vote": Operation(C.VOTE, _vote),
    "ballot.close": Operation(C.RUN_SESSION, _close),
    "position.give": Operation(C.VOTE, _position),
    "consent.adopt": Operation(C.RUN_SESSION, _adopt),
}


def run(name: str, access: MeetingAccess, data: dict[str, Any], *, request: Any = None) -> dict[str, Any]:
    """Check the user may (refused attempts are audited), then do ``name`` with ``data``."""
    operation = OPERATIONS[name]
    access.require(operation.capability, request=request)
    return operation.run(access, data)
