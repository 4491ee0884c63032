"""Quorum and majority: the numbers at their edges."""

import pytest

from voting.models import Majority
from voting.rules import count, majority_needed, quorum_needed

OPTIONS = [
    {"key": "for", "kind": "for"},
    {"key": "against", "kind": "against"},
    {"key": "abstain", "kind": "abstain"},
]


@pytest.mark.parametrize(
    ("eligible", "percent", "needed"),
    [(10, 50, 6), (9, 50, 5), (3, 50, 2), (1, 50, 1), (4, 100, 4), (0, 50, 1)],
)
def test_quorum_is_more_than_the_share(eligible, percent, needed):
    assert quorum_needed(eligible, percent) == needed


def test_majorities():
    assert majority_needed(Majority.OF_MEMBERS, eligible=10, voted=6) == 6
    assert majority_needed(Majority.OF_MEMBERS, eligible=9, voted=6) == 5
    assert majority_needed(Majority.OF_VOTING, eligible=10, voted=6) == 4
    assert majority_needed(Majority.OF_VOTING, eligible=10, voted=7) == 4
    assert majority_needed(Majority.TWO_THIRDS, eligible=9, voted=9) == 6
    assert majority_needed(Majority.TWO_THIRDS, eligible=10, voted=9) == 7


def test_half_of_all_members_is_not_enough():
    result = count(
        options=OPTIONS, counts={"for": 5, "against": 3, "abstain": 2}, eligible=10, rule=Majority.OF_MEMBERS
    )
    assert result["outcome"] == "failed"
    assert result["voted"] == 10 and result["majority_needed"] == 6
    result = count(options=OPTIONS, counts={"for": 6, "against": 0}, eligible=10, rule=Majority.OF_MEMBERS)
    assert result["outcome"] == "passed" and result["winner"] == "for"


def test_more_than_half_of_those_voting_passes_where_half_of_members_fails():
    counts = {"for": 4, "against": 2, "abstain": 0}
    assert count(options=OPTIONS, counts=counts, eligible=10, rule=Majority.OF_MEMBERS)["outcome"] == "failed"
    assert count(options=OPTIONS, counts=counts, eligible=10, rule=Majority.OF_VOTING)["outcome"] == "passed"


def test_two_thirds():
    assert (
        count(options=OPTIONS, counts={"for": 6, "against": 3}, eligible=9, rule=Majority.TWO_THIRDS)[
            "outcome"
        ]
        == "passed"
    )
    assert (
        count(options=OPTIONS, counts={"for": 5, "against": 4}, eligible=9, rule=Majority.TWO_THIRDS)[
            "outcome"
        ]
        == "failed"
    )


def test_no_quorum_whatever_the_votes():
    result = count(options=OPTIONS, counts={"for": 5}, eligible=10, rule=Majority.OF_VOTING)
    assert result["outcome"] == "no_quorum"
    assert result["quorum_needed"] == 6 and result["not_voted"] == 5


def test_a_majority_against_is_a_failure_and_an_alternative_can_win():
    assert (
        count(options=OPTIONS, counts={"against": 8}, eligible=10, rule=Majority.OF_MEMBERS)["winner"] is None
    )
    choices = [{"key": "o1", "kind": "choice"}, {"key": "o2", "kind": "choice"}]
    result = count(options=choices, counts={"o1": 2, "o2": 7}, eligible=10, rule=Majority.OF_MEMBERS)
    assert result["outcome"] == "passed" and result["winner"] == "o2"
