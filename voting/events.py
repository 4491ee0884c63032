"""The events voting sends, each with the shape of its ``data``.

A secret ballot's events never carry who voted what, nor per-option counts
while it is open (``docs/ballots.md``); positions go to the chair and the
secretariat only.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from ecabinet.shapes import DATETIME
from voting.payloads import BallotShape, NamedVoteShape, PositionShape, TallyShape


class CutoffShape(TypedDict):
    meeting_id: int
    cutoff: Annotated[str | None, DATETIME]


class PositionEventShape(TypedDict):
    item_id: int
    position: PositionShape


class ConsentAdoptedShape(TypedDict):
    item_ids: list[int]
    adopted_at: Annotated[str, DATETIME]


class BallotOpenedShape(TypedDict):
    ballot: BallotShape
    tally: TallyShape


class BallotClosedShape(TypedDict):
    ballot: BallotShape
    tally: TallyShape
    votes: list[NamedVoteShape]


EVENTS: dict[str, type] = {
    "positions.cutoff": CutoffShape,
    "positions.changed": PositionEventShape,
    "consent.adopted": ConsentAdoptedShape,
    "ballot.opened": BallotOpenedShape,
    "ballot.tally": TallyShape,
    "ballot.closed": BallotClosedShape,
}
