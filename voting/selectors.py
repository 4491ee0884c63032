"""Reads of opinions and votes, always tenant-scoped, shaped per reader.

What a reader gets depends on their place: the chair and the secretariat see
every member's position and who has voted; a member sees their own. Nobody
gets who voted what on a secret ballot — no function here can say it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from ecabinet.collation import by_name
from ecabinet.roles import Capability
from meetings.access import MeetingAccess
from meetings.models import AgendaItem, Participant
from voting.access import VOTING_ROLES, SlipAccess, manages_slips, member_for
from voting.actions import consent_items, position_round, positions_open, slip_counts, slip_result
from voting.models import (
    Ballot,
    BallotVoter,
    Position,
    Slip,
    SlipAnswer,
    SlipPaper,
    SlipRecipient,
    SlipReminder,
    Vote,
)
from voting.payloads import (
    answer_payload,
    ballot_payload,
    ballot_tally,
    named_votes,
    position_payload,
    slip_payload,
    voter_list,
)


def sees_everyones_answers(access: MeetingAccess) -> bool:
    """The chair (or acting chair) and the secretariat: they see everyone's answers."""
    return access.runs_session or access.allows(Capability.EDIT_MEETING)


# --- positions ------------------------------------------------------------------------------


def positions_state(access: MeetingAccess) -> dict[str, Any]:
    meeting = access.meeting
    round_ = position_round(meeting)
    me = member_for(access.participant)
    items = [
        i
        for i in AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")
        if access.sees_item(i.pk)
    ]
    positions = list(Position.objects.filter(item__meeting=meeting).select_related("member__user"))
    state: dict[str, Any] = {
        "cutoff": round_.cutoff.isoformat() if round_ and round_.cutoff else None,
        "open": positions_open(meeting, round_),
        "adopted_at": round_.adopted_at.isoformat() if round_ and round_.adopted_at else None,
        "can_give": me is not None and access.allows(Capability.VOTE),
        "oversees": sees_everyones_answers(access),
        "mine": {
            p.item_id: position_payload(p) for p in positions if me is not None and p.member_id == me.pk
        },
        "items": [],
        "consent_item_ids": [],
    }
    if not state["oversees"]:
        return state
    members = list(
        Participant.objects.filter(meeting=meeting, role__in=VOTING_ROLES, substitute_for__isnull=True)
        .select_related("user")
        .order_by(by_name("user__full_name"))
    )
    by_item: dict[int, dict[int, Position]] = {}
    for p in positions:
        by_item.setdefault(p.item_id, {})[p.member_id] = p
    for item in items:
        given = by_item.get(item.pk, {})
        counts = dict.fromkeys(Position.Kind.values, 0)
        for p in given.values():
            counts[p.kind] += 1
        state["items"].append(
            {
                "item_id": item.pk,
                "position": item.position,
                "title": item.title,
                "status": item.status,
                "counts": counts,
                "members": [
                    {
                        "member_id": m.pk,
                        "name": m.user.full_name,
                        "kind": given[m.pk].kind if m.pk in given else None,
                        "kind_label": str(given[m.pk].get_kind_display()) if m.pk in given else None,
                        "reason": given[m.pk].reason if m.pk in given else "",
                    }
                    for m in members
                ],
                "not_answered": sum(1 for m in members if m.pk not in given),
            }
        )
    state["consent_item_ids"] = [i.pk for i in consent_items(meeting)]
    return state


# --- ballots --------------------------------------------------------------------------------


def ballots_of(access: MeetingAccess) -> QuerySet[Ballot]:
    qs = Ballot.objects.filter(meeting=access.meeting).select_related("item").order_by("opened_at", "id")
    if access.item_ids is not None:
        qs = qs.filter(item_id__in=access.item_ids)
    return qs


def ballot_state(access: MeetingAccess, ballot: Ballot) -> dict[str, Any]:
    """A ballot as this reader may see it: counts while open (a secret one: how
    many voted), the reader's own standing, and for those who oversee, who has
    voted. Names with answers only once a named ballot is closed."""
    me = member_for(access.participant)
    voter = BallotVoter.objects.filter(ballot=ballot, member=me).first() if me else None
    mine: dict[str, Any] = {
        "may_vote": voter is not None and ballot.status == Ballot.Status.OPEN,
        "voted": False,
    }
    if voter is not None:
        mine["voted"] = voter.voted_at is not None
        if not ballot.secret:
            mine["option"] = Vote.objects.filter(voter=voter).values_list("option", flat=True).first()
    tally = ballot_tally(ballot)
    if ballot.status == Ballot.Status.CLOSED and ballot.result:
        tally["counts"] = ballot.result["counts"]
    return {
        "ballot": ballot_payload(ballot),
        "tally": tally,
        "mine": mine,
        "voters": voter_list(ballot) if sees_everyones_answers(access) else None,
        "votes": named_votes(ballot),
    }


# --- slips ----------------------------------------------------------------------------------


def slip_list_for_user(user: Any) -> QuerySet[Slip]:
    qs = Slip.objects.all().order_by("-issued_at", "-id")
    if not manages_slips(user):
        qs = qs.filter(pk__in=SlipRecipient.objects.filter(user=user).values("slip_id"))
    return qs


def slip_rows(user: Any, slips: list[Slip]) -> list[dict[str, Any]]:
    """The list page's rows: counts for the secretariat, the member's own answer otherwise; three queries."""
    ids = [s.pk for s in slips]
    asked: dict[int, int] = {}
    for slip_id in SlipRecipient.objects.filter(slip_id__in=ids).values_list("slip_id", flat=True):
        asked[slip_id] = asked.get(slip_id, 0) + 1
    answers: dict[int, list[tuple[int, str]]] = {}
    for slip_id, user_id, choice in SlipAnswer.objects.filter(slip_id__in=ids).values_list(
        "slip_id", "user_id", "choice"
    ):
        answers.setdefault(slip_id, []).append((user_id, choice))
    labels = dict(SlipAnswer.Choice.choices)
    rows = []
    for slip in slips:
        mine = next((c for u, c in answers.get(slip.pk, []) if u == user.pk), None)
        rows.append(
            {
                "slip": slip,
                "asked": asked.get(slip.pk, 0),
                "answered": len(answers.get(slip.pk, [])),
                "mine": mine,
                "mine_label": str(labels[mine]) if mine else None,
            }
        )
    return rows


def slip_state(access: SlipAccess) -> dict[str, Any]:
    slip = access.slip
    mine = SlipAnswer.objects.filter(slip=slip, user=access.user).first()
    state: dict[str, Any] = {
        "slip": slip_payload(slip),
        "asked": access.asked,
        "manages": access.manages,
        "mine": answer_payload(mine) if mine else None,
        "answers": None,
        "counts": None,
        "result": slip.result,
        "papers": slip_papers(access),
    }
    if access.manages:
        answers = {a.user_id: a for a in SlipAnswer.objects.filter(slip=slip)}
        state["answers"] = [
            {
                "user_id": r.user_id,
                "name": r.user.full_name,
                "title": r.user.title,
                "answer": answer_payload(answers[r.user_id]) if r.user_id in answers else None,
            }
            for r in SlipRecipient.objects.filter(slip=slip)
            .select_related("user")
            .order_by(by_name("user__full_name"))
        ]
        state["counts"] = slip_counts(slip)
        if slip.status == Slip.Status.OPEN:
            state["result"] = slip_result(slip)
    return state


def slip_papers(access: SlipAccess) -> list[dict[str, Any]]:
    """The slip's papers, each with its reader page (which opens the reader's
    stamped copy behind a fresh signed link). One query."""
    links = SlipPaper.objects.filter(slip=access.slip).select_related("paper__current_version")
    if not access.manages:
        links = links.filter(paper__withdrawn_at__isnull=True, paper__current_version__isnull=False)
    return [
        {
            "id": link.paper.pk,
            "title": link.paper.title,
            "kind": link.paper.kind,
            "kind_label": str(link.paper.get_kind_display()),
            "pages": link.paper.page_count,
            "version": link.paper.current_version.number if link.paper.current_version else None,
            "url": reverse("documents:paper-reader", args=[link.paper.pk]),
        }
        for link in links.order_by("paper__position", "id")
    ]


def reminders_for(user: Any, *, limit: int = 20) -> QuerySet[SlipReminder]:
    """The member's in-app reminders of slips still open and not yet answered."""
    answered = SlipAnswer.objects.filter(user=user).values("slip_id")
    return (
        SlipReminder.objects.filter(user=user, slip__status=Slip.Status.OPEN)
        .exclude(slip_id__in=answered)
        .select_related("slip")
        .order_by("-sent_at", "-id")[:limit]
    )
