"""The counting rules: quorum and majority, the same for slips and ballots.

Pure functions of the numbers, so the result sheet, the page and the API say
the same thing and the tests can check every edge.

- Quorum: more than the tenant's share (``MeetingSettings.quorum_percent``,
  default 50 %) of those who may answer must have answered.
- Majority, counted for one option:
  ``members``  more than half of all who may answer;
  ``voting``   more than half of those who answered (an abstention is an
               answer: whoever pressed "không biểu quyết" took part);
  ``two_thirds`` at least two thirds of all who may answer.
- A secret ballot's counts are published only when at least
  ``SECRET_COUNTS_FROM`` votes were cast: with one or two, a count (or even
  "passed") tells those who know who voted what each of them chose. The
  outcome is then ``withheld`` and nothing of the answers is kept.
"""

from __future__ import annotations

from typing import Any

from voting.models import Majority, Outcome

SECRET_COUNTS_FROM = 3


def quorum_needed(eligible: int, percent: int = 50) -> int:
    """How many answers make the quorum: strictly more than ``percent`` of ``eligible``."""
    if eligible <= 0:
        return 1
    return min(eligible * percent // 100 + 1, eligible)


def majority_needed(rule: str, *, eligible: int, voted: int) -> int:
    """The smallest count of one option that carries it under ``rule``."""
    if rule == Majority.OF_MEMBERS:
        return eligible // 2 + 1
    if rule == Majority.OF_VOTING:
        return voted // 2 + 1
    if rule == Majority.TWO_THIRDS:
        return -(-2 * eligible // 3)  # ceiling of 2/3
    raise ValueError(rule)


def count(
    *,
    options: list[dict[str, str]],
    counts: dict[str, int],
    eligible: int,
    rule: str,
    quorum_percent: int = 50,
    secret: bool = False,
) -> dict[str, Any]:
    """The result of a slip or ballot.

    ``options`` name the kinds: ``for`` (the proposal), ``against``,
    ``abstain``, or ``choice`` (one of several alternatives). It passes when a
    ``for`` or ``choice`` option reaches the majority; that option is the
    ``winner``.
    """
    voted = sum(counts.get(o["key"], 0) for o in options)
    needed_quorum = quorum_needed(eligible, quorum_percent)
    needed = majority_needed(rule, eligible=eligible, voted=voted)
    winner = None
    shown: dict[str, int] | None = {o["key"]: counts.get(o["key"], 0) for o in options}
    if secret and voted < SECRET_COUNTS_FROM:
        outcome, shown = Outcome.WITHHELD, None
    elif voted < needed_quorum:
        outcome = Outcome.NO_QUORUM
    else:
        carrying = [
            o["key"]
            for o in options
            if o.get("kind") in ("for", "choice") and counts.get(o["key"], 0) >= needed
        ]
        # At most one option can carry a strict majority or two thirds; with
        # "more than half of those voting" too, since the counts add up to ``voted``.
        winner = carrying[0] if carrying else None
        outcome = Outcome.PASSED if winner else Outcome.FAILED
    return {
        "outcome": str(outcome),
        "eligible": eligible,
        "voted": voted,
        "not_voted": max(eligible - voted, 0),
        "counts": shown,
        "quorum_percent": quorum_percent,
        "quorum_needed": needed_quorum,
        "majority": rule,
        "majority_needed": needed,
        "winner": winner,
    }
