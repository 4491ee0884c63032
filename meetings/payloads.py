"""The shapes of meeting data in events, the API and the page's live state.

One ``TypedDict`` per kind of thing (``ecabinet.shapes``) and one function
that fills it, used by the event an action sends, the API's answer and the
state the page starts from, so the three never disagree; the API schema reads
the same ``TypedDict``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypedDict, overload

from ecabinet.roles import Role
from ecabinet.shapes import DATETIME, Choice, Doc, Enum
from meetings.models import (
    AgendaItem,
    Comment,
    Meeting,
    MeetingKind,
    Participant,
    SpeakRequest,
    SubstituteProposal,
)
from meetings.paper_registry import PaperShape

Time = Annotated[str, DATETIME]
MaybeTime = Annotated[str | None, DATETIME]


class ClockShape(TypedDict):
    elapsed_seconds: Annotated[int, Doc("Time run before `running_since`.")]
    running_since: Annotated[str | None, DATETIME, Doc("Null while the clock stands.")]


class MeetingShape(TypedDict):
    id: int
    title: str
    kind: Annotated[str, Enum(MeetingKind, "MeetingKind")]
    kind_label: str
    place: str
    scheduled_start: Time
    planned_end: MaybeTime
    status: str
    status_label: str
    speaking_limit_seconds: int
    current_item_id: int | None
    acting_chair_id: Annotated[int | None, Doc("A participant id.")]
    published_at: MaybeTime
    started_at: MaybeTime
    ended_at: MaybeTime
    clock: ClockShape
    baseline_minutes: int | None
    baseline_source: str
    baseline_is_assumption: bool


class ItemShape(TypedDict):
    id: int
    position: int
    title: str
    summary: str
    presenting_unit: str
    presenter_id: int | None
    presenter_name: str
    planned_minutes: int
    status: str
    status_label: str
    clock: ClockShape
    first_opened_at: MaybeTime
    closed_at: MaybeTime
    conclusion: str
    changed_at: Annotated[str | None, DATETIME, Doc("Changed after publishing.")]


class ParticipantShape(TypedDict):
    id: int
    user_id: int
    full_name: str
    title: str
    unit: str
    role: Annotated[str, Enum(Role, "Role")]
    role_label: str
    cannot_attend: bool
    substitute_for_id: int | None
    substitute_for_name: str | None
    attendance: Annotated[str | None, Choice(Participant.Attendance)]
    checked_in_at: MaybeTime


class SubstituteProposalShape(TypedDict):
    id: int
    participant_id: Annotated[int, Doc("The member who cannot attend.")]
    member_name: str
    substitute_user_id: int
    substitute_name: str
    substitute_title: str
    status: Annotated[str, Choice(SubstituteProposal.Status)]
    status_label: str
    proposed_at: Time
    decided_at: MaybeTime
    decided_by_name: str | None
    note: str


class SpeakRequestShape(TypedDict):
    id: int
    item_id: int
    participant_id: int
    full_name: str
    title: str
    kind: Annotated[str, Enum(SpeakRequest.Kind, "SpeakKind")]
    kind_label: str
    status: Annotated[str, Choice(SpeakRequest.Status)]
    requested_at: Time
    started_at: MaybeTime
    ended_at: MaybeTime
    spoken_seconds: int


class CommentShape(TypedDict):
    id: int
    item_id: int
    author_id: int
    author_name: str
    visibility: Annotated[str, Choice(Comment.Visibility)]
    text: Annotated[str, Doc("Empty once withdrawn.")]
    created_at: Time
    edited_at: MaybeTime
    withdrawn_at: MaybeTime


class ItemStateShape(ItemShape):
    papers: list[PaperShape]
    queue: Annotated[list[SpeakRequestShape], Doc("Waiting and speaking requests, in order.")]


class MeShape(TypedDict):
    user_id: int
    participant_id: int | None
    role: Annotated[str, Enum(Role, "Role")]
    capabilities: list[str]


class QuorumShape(TypedDict):
    members: int
    present: int
    needed: int
    percent: int
    met: bool


class MeetingStateShape(TypedDict):
    server_time: Time
    meeting: MeetingShape
    me: MeShape
    items: Annotated[list[ItemStateShape], Doc("Only the items this user may see.")]
    meeting_papers: list[PaperShape]
    participants: list[ParticipantShape]
    quorum: QuorumShape
    comments: list[CommentShape]


# --- what an action answers with, and what its event carries ----------------------------------


class MeetingResultShape(TypedDict):
    meeting: MeetingShape


class ItemResultShape(TypedDict):
    item: ItemShape


class ParticipantResultShape(TypedDict):
    participant: ParticipantShape


class SubstituteProposalResultShape(TypedDict):
    proposal: SubstituteProposalShape


class SubstituteDecisionShape(TypedDict):
    proposal: SubstituteProposalShape
    participant: Annotated[
        ParticipantShape | None, Doc("The substitute, attending from now on (when approved).")
    ]


class SubstitutesShape(TypedDict):
    proposals: Annotated[
        list[SubstituteProposalShape],
        Doc("Every proposal of the meeting for those who decide; a member's own otherwise."),
    ]
    candidate_ids: Annotated[list[int], Doc("The users the secretariat allows members to propose.")]
    choices: Annotated[
        list[DirectoryUserShape],
        Doc("Of those, whom a member may propose now (not taking part, not removed)."),
    ]


class SpeakRequestResultShape(TypedDict):
    request: SpeakRequestShape


class CommentResultShape(TypedDict):
    comment: CommentShape


class OrderResultShape(TypedDict):
    order: Annotated[list[int], Doc("Item ids in agenda order.")]


class DirectoryUserShape(TypedDict):
    id: int
    full_name: str
    title: str
    unit: str


@overload
def _time(value: datetime) -> str: ...
@overload
def _time(value: datetime | None) -> str | None: ...
def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def meeting_payload(meeting: Meeting) -> MeetingShape:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "place": meeting.place,
        "scheduled_start": _time(meeting.scheduled_start),
        "planned_end": _time(meeting.planned_end),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "speaking_limit_seconds": meeting.speaking_limit_seconds,
        "current_item_id": meeting.current_item_id,
        "acting_chair_id": meeting.acting_chair_id,
        "published_at": _time(meeting.published_at),
        "started_at": _time(meeting.started_at),
        "ended_at": _time(meeting.ended_at),
        "clock": {"elapsed_seconds": meeting.elapsed_seconds, "running_since": _time(meeting.running_since)},
        "baseline_minutes": meeting.baseline_minutes,
        "baseline_source": meeting.baseline_source,
        "baseline_is_assumption": meeting.baseline_is_assumption,
    }


def item_payload(item: AgendaItem, *, presenter_name: str | None = None) -> ItemShape:
    if presenter_name is None:
        presenter_name = (
            item.presenter.full_name if item.presenter_id and item.presenter else item.presenter_name
        )
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title,
        "summary": item.summary,
        "presenting_unit": item.presenting_unit,
        "presenter_id": item.presenter_id,
        "presenter_name": presenter_name,
        "planned_minutes": item.planned_minutes,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "clock": {"elapsed_seconds": item.elapsed_seconds, "running_since": _time(item.running_since)},
        "first_opened_at": _time(item.first_opened_at),
        "closed_at": _time(item.closed_at),
        "conclusion": item.conclusion,
        "changed_at": _time(item.changed_at),
    }


def participant_payload(participant: Participant) -> ParticipantShape:
    substitute_for = participant.substitute_for
    return {
        "id": participant.pk,
        "user_id": participant.user_id,
        "full_name": participant.user.full_name,
        "title": participant.user.title,
        "unit": participant.user.unit,
        "role": participant.role,
        "role_label": str(participant.get_role_display()),
        "cannot_attend": participant.cannot_attend,
        "substitute_for_id": participant.substitute_for_id,
        "substitute_for_name": substitute_for.user.full_name if substitute_for else None,
        "attendance": participant.attendance or None,
        "checked_in_at": _time(participant.checked_in_at),
    }


def substitute_proposal_payload(proposal: SubstituteProposal) -> SubstituteProposalShape:
    """Read with ``participant__user``, ``substitute`` and ``decided_by``."""
    return {
        "id": proposal.pk,
        "participant_id": proposal.participant_id,
        "member_name": proposal.participant.user.full_name,
        "substitute_user_id": proposal.substitute_id,
        "substitute_name": proposal.substitute.full_name,
        "substitute_title": proposal.substitute.title,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "proposed_at": _time(proposal.proposed_at),
        "decided_at": _time(proposal.decided_at),
        "decided_by_name": proposal.decided_by.full_name if proposal.decided_by else None,
        "note": proposal.note,
    }


def speak_request_payload(request: SpeakRequest) -> SpeakRequestShape:
    return {
        "id": request.pk,
        "item_id": request.item_id,
        "participant_id": request.participant_id,
        "full_name": request.participant.user.full_name,
        "title": request.participant.user.title,
        "kind": request.kind,
        "kind_label": str(request.get_kind_display()),
        "status": request.status,
        "requested_at": _time(request.requested_at),
        "started_at": _time(request.started_at),
        "ended_at": _time(request.ended_at),
        "spoken_seconds": request.spoken_seconds,
    }


def comment_payload(comment: Comment) -> CommentShape:
    withdrawn = comment.withdrawn_at is not None
    return {
        "id": comment.pk,
        "item_id": comment.item_id,
        "author_id": comment.author_id,
        "author_name": comment.author.full_name,
        "visibility": comment.visibility,
        "text": "" if withdrawn else comment.text,
        "created_at": _time(comment.created_at),
        "edited_at": _time(comment.edited_at),
        "withdrawn_at": _time(comment.withdrawn_at),
    }
