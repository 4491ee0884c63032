"""The shapes of voting data in events, the API and the pages.

What a payload may carry depends on who reads it and when: a ballot's counts
while it is open, names only after the close and only for a named ballot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypedDict, overload

from django.utils.translation import gettext_lazy as _

from ecabinet.collation import by_name
from ecabinet.shapes import DATETIME, Choice, Doc
from voting.models import Ballot, Majority, Position, Slip, SlipAnswer

MaybeTime = Annotated[str | None, DATETIME]


class OptionShape(TypedDict):
    key: str
    kind: str
    label: str


class BallotShape(TypedDict):
    id: int
    meeting_id: int
    item_id: int
    question: str
    options: list[OptionShape]
    secret: bool
    allow_change: bool
    majority: Annotated[str, Choice(Majority)]
    majority_label: str
    status: Annotated[str, Choice(Ballot.Status)]
    opened_at: MaybeTime
    closes_at: MaybeTime
    closed_at: MaybeTime
    result: Annotated[
        dict[str, Any] | None,
        Doc(
            "Once closed: outcome, eligible, voted, not_voted, counts (null for a secret ballot with "
            "fewer than 3 votes: outcome 'withheld'), quorum_percent, quorum_needed, majority, "
            "majority_needed, winner."
        ),
    ]
    quorum_percent: Annotated[int, Doc("The tenant's quorum when the ballot opened; it is counted by it.")]
    result_document_id: int | None


class TallyShape(TypedDict):
    ballot_id: int
    eligible: int
    voted: int
    counts: Annotated[dict[str, int] | None, Doc("Votes per option key; null while a secret ballot is open.")]


class NamedVoteShape(TypedDict):
    member_id: int
    name: str
    option: str
    cast_by: Annotated[str | None, Doc("The substitute who voted for the member.")]


class PositionShape(TypedDict):
    item_id: int
    member_id: int
    kind: Annotated[str, Choice(Position.Kind)]
    kind_label: str
    reason: str
    given_at: MaybeTime
    changed_at: MaybeTime


# The default options of a ballot, by key (which is also their kind).
DEFAULT_OPTION_LABELS = {"for": _("Agree"), "against": _("Disagree"), "abstain": _("Not voting")}


def option_label(option: dict[str, str]) -> str:
    """A default option in the reader's language; an option the chair wrote, as written."""
    if option.get("kind") == option.get("key") and option.get("key") in DEFAULT_OPTION_LABELS:
        return str(DEFAULT_OPTION_LABELS[option["key"]])
    return option.get("label", "")


@overload
def _time(value: datetime) -> str: ...
@overload
def _time(value: datetime | None) -> str | None: ...
def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def ballot_counts(ballot: Ballot) -> dict[str, int]:
    """Votes per option, from the named votes or the secret counters."""
    if ballot.secret:
        counts = dict(ballot.tallies.values_list("option", "count"))
    else:
        counts = {}
        for option in ballot.votes.values_list("option", flat=True):
            counts[option] = counts.get(option, 0) + 1
    return {o["key"]: counts.get(o["key"], 0) for o in ballot.options}


def ballot_tally(ballot: Ballot) -> TallyShape:
    """What every follower may see while the ballot is open.

    A secret ballot shows only how many have voted: counts per option that
    rise one at a time beside a list of who has voted would give the answers away.
    """
    voters = list(ballot.voters.values_list("voted_at", flat=True))
    tally: TallyShape = {
        "ballot_id": ballot.pk,
        "eligible": len(voters),
        "voted": sum(1 for v in voters if v is not None),
        "counts": None,
    }
    if not ballot.secret:
        tally["counts"] = ballot_counts(ballot)
    return tally


def ballot_payload(ballot: Ballot) -> BallotShape:
    return {
        "id": ballot.pk,
        "meeting_id": ballot.meeting_id,
        "item_id": ballot.item_id,
        "question": ballot.question,
        "options": ballot.options,
        "secret": ballot.secret,
        "allow_change": ballot.allow_change,
        "majority": ballot.majority,
        "majority_label": str(ballot.get_majority_display()),
        "quorum_percent": ballot.quorum_percent,
        "status": ballot.status,
        "opened_at": _time(ballot.opened_at),
        "closes_at": _time(ballot.closes_at),
        "closed_at": _time(ballot.closed_at),
        "result": ballot.result,
        "result_document_id": ballot.result_document_id,
    }


def named_votes(ballot: Ballot) -> list[NamedVoteShape]:
    """Who voted what: only for a named ballot, only once it is closed."""
    if ballot.secret or ballot.status != Ballot.Status.CLOSED:
        return []
    return [
        {
            "member_id": v.voter.member_id,
            "name": v.voter.member.user.full_name,
            "option": v.option,
            "cast_by": v.cast_by.user.full_name if v.cast_by_id != v.voter.member_id else None,
        }
        for v in ballot.votes.select_related("voter__member__user", "cast_by__user").order_by(
            "voter__member__user__full_name"
        )
    ]


def voter_list(ballot: Ballot) -> list[dict[str, Any]]:
    """Who may vote and whether they have — never what."""
    return [
        {
            "member_id": v.member_id,
            "name": v.member.user.full_name,
            "voted": v.voted_at is not None,
            "by_substitute": v.cast_by_id is not None and v.cast_by_id != v.member_id,
        }
        for v in ballot.voters.select_related("member__user").order_by(by_name("member__user__full_name"))
    ]


def position_payload(position: Position) -> PositionShape:
    return {
        "item_id": position.item_id,
        "member_id": position.member_id,
        "kind": position.kind,
        "kind_label": str(position.get_kind_display()),
        "reason": position.reason,
        "given_at": _time(position.given_at),
        "changed_at": _time(position.changed_at),
    }


def slip_payload(slip: Slip) -> dict[str, Any]:
    return {
        "id": slip.pk,
        "number": slip.number,
        "question": slip.question,
        "draft": slip.draft,
        "deadline": _time(slip.deadline),
        "majority": slip.majority,
        "majority_label": str(slip.get_majority_display()),
        "allow_change": slip.allow_change,
        "status": slip.status,
        "issued_at": _time(slip.issued_at),
        "closed_at": _time(slip.closed_at),
        "result": slip.result,
        "result_document_id": slip.result_document_id,
    }


def answer_payload(answer: SlipAnswer) -> dict[str, Any]:
    return {
        "choice": answer.choice,
        "choice_label": str(answer.get_choice_display()),
        "text": answer.text,
        "answered_at": _time(answer.answered_at),
        "changed_at": _time(answer.changed_at),
    }
