"""Voting's panel on the meeting page: the ballot on the current item, the
chair's ballot controls and the consent list, and a way to the positions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ecabinet.roles import Capability
from meetings.access import MeetingAccess
from meetings.models import Meeting
from voting.access import member_for
from voting.actions import consent_items, position_round
from voting.models import Ballot, Majority, Outcome
from voting.payloads import DEFAULT_OPTION_LABELS
from voting.rules import SECRET_COUNTS_FROM
from voting.selectors import ballot_state, ballots_of, sees_everyones_answers


def panel_labels() -> dict[str, Any]:
    """Words voting.js writes, in the reader's language."""
    return {
        "voted": _("Your vote is recorded."),
        "voted_secret": _("Your vote is recorded. It is secret: nobody can see what you chose."),
        "can_change": _("You may change it until the ballot closes."),
        "tally": _("%(voted)s of %(eligible)s members have voted."),
        "closes_in": _("Closes in %(time)s"),
        "time_up": _("Time is up"),
        "outcome": {
            "passed": _("Passed"),
            "failed": _("Failed"),
            "no_quorum": _("No quorum"),
            "withheld": _("Not enough votes to publish"),
        },
        "result_numbers": _(
            "%(voted)s of %(eligible)s voted; %(needed)s needed to pass, %(quorum)s for a quorum."
        ),
        "withheld_why": _(
            "Fewer than %(n)s votes were cast in this secret ballot: the counts would tell who chose "
            "what, so they are not published."
        )
        % {"n": SECRET_COUNTS_FROM},
        "no_ballot": _("No ballot is open."),
        "secret": _("Secret ballot"),
        "named": _("Named ballot"),
        "substitute": _("by substitute"),
        "not_voted": _("has not voted"),
        "has_voted": _("has voted"),
        "offline": _("No connection to the server. Wait until it is back and try again."),
        "held": _("Not sent yet: it will be sent by itself as soon as the connection is back."),
        # what arrives live is named by code, in this reader's language
        "options": {key: str(label) for key, label in DEFAULT_OPTION_LABELS.items()},
        "majority": {code: str(label) for code, label in Majority.choices},
    }


def ballot_panel(access: MeetingAccess) -> dict[str, Any] | None:
    meeting = access.meeting
    if meeting.status == Meeting.Status.DRAFT:
        return None
    ballots = list(ballots_of(access))
    current = next((b for b in ballots if b.status == Ballot.Status.OPEN), None)
    if current is None:
        current = next(
            (b for b in reversed(ballots) if b.item_id == meeting.current_item_id),
            ballots[-1] if ballots else None,
        )
    runs = access.runs_session
    in_session = meeting.status == Meeting.Status.IN_SESSION
    # Drawn for the chair from before the start, hidden until the session is
    # under way: voting.js shows it when the meeting starts and redraws it as
    # positions change, without a reload.
    consent = []
    consent_possible = False
    if runs and meeting.status in {Meeting.Status.PUBLISHED, Meeting.Status.IN_SESSION}:
        round_ = position_round(meeting)
        if not (round_ and round_.adopted_at):
            consent_possible = True
            consent = consent_items(meeting)
    return {
        "template": "voting/_session_panel.html",
        "stylesheet": "css/voting.css",
        "script": "js/voting.js",
        "context": {
            "meeting_id": meeting.pk,
            "state": ballot_state(access, current) if current else None,
            "runs_session": runs,
            "in_session": in_session,
            "can_open": runs and in_session and meeting.current_item_id is not None,
            "may_vote": member_for(access.participant) is not None and access.allows(Capability.VOTE),
            "oversees": sees_everyones_answers(access),
            "majorities": Majority.choices,
            "consent_items": consent,
            "consent_possible": consent_possible,
            "countdowns": [30, 60, 120, 300],
            "meeting_status": meeting.status,
            "past": [
                {
                    "question": b.question,
                    "outcome": (b.result or {}).get("outcome", ""),
                    "outcome_label": str(dict(Outcome.choices).get((b.result or {}).get("outcome", ""), "")),
                    "document_id": b.result_document_id,
                }
                for b in ballots
                if b.status == Ballot.Status.CLOSED
            ][-5:],
            "positions_open": meeting.status == Meeting.Status.PUBLISHED,
            "labels": panel_labels(),
        },
    }


def reader_ballot_panel(access: MeetingAccess) -> dict[str, Any] | None:
    """On the paper reader: the ballot open now, to vote in without leaving the paper.

    Drawn (hidden while no ballot is open) whenever a ballot may open, so that
    one opened while the member reads shows at once.
    """
    meeting = access.meeting
    if meeting.status not in {Meeting.Status.PUBLISHED, Meeting.Status.IN_SESSION, Meeting.Status.ADJOURNED}:
        return None
    current = next((b for b in ballots_of(access) if b.status == Ballot.Status.OPEN), None)
    return {
        "template": "voting/_reader_ballot.html",
        "stylesheet": "css/voting.css",
        "script": "js/reader_ballot.js",
        "context": {
            "meeting_id": meeting.pk,
            "state": ballot_state(access, current) if current else None,
            "labels": {
                **panel_labels(),
                "open_now": _("A vote is open"),
                "to_meeting": _("Go to the meeting"),
                "wait_for_result": _("You do not vote in this ballot; the result shows on the meeting page."),
            },
        },
    }


def display_ballot_panel(access: MeetingAccess) -> dict[str, Any] | None:
    """On the hall display: the ballot open now, or the last one closed — the
    question, how many have voted and, once closed, the outcome with the counts
    as published (never who voted, nor how)."""
    meeting = access.meeting
    if meeting.status == Meeting.Status.DRAFT:
        return None
    ballots = list(ballots_of(access))
    current = next((b for b in ballots if b.status == Ballot.Status.OPEN), ballots[-1] if ballots else None)
    state = None
    if current is not None:
        shown = ballot_state(access, current)
        state = {"ballot": shown["ballot"], "tally": shown["tally"]}
    return {
        "template": "voting/_display_ballot.html",
        "script": "js/display_ballot.js",
        "context": {"state": state, "labels": panel_labels()},
    }


def register_panels() -> None:
    from meetings.panels import DISPLAY, READER, register_panel
    from voting.results import register_result_access

    register_panel(ballot_panel)
    register_panel(reader_ballot_panel, on=READER)
    register_panel(display_ballot_panel, on=DISPLAY)
    register_result_access()
