"""Roles and what each may do: the one place that says so.

A user's role comes from their place in a meeting (``meetings.Participant``);
the tenant's secretariat (``User.is_secretariat``) holds the secretary's
capabilities in every meeting of its tenant. Views, the API and socket actions
all ask ``require``/``allows`` here, through each app's ``access.py``.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecabinet import audit
from ecabinet.errors import NotAllowed


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")
    OBSERVER = "observer", _("Observer")


class Capability(enum.Enum):
    VIEW_MEETING = "view_meeting"
    SEE_ALL_ITEMS = "see_all_items"  # a guest sees only the items given to them
    EDIT_MEETING = "edit_meeting"  # agenda, participants, papers, publishing
    RUN_SESSION = "run_session"  # open items, give the floor, open ballots
    ACT_AS_CHAIR = "act_as_chair"  # run the session when named acting chair
    REQUEST_TO_SPEAK = "request_to_speak"
    COMMENT = "comment"
    VOTE = "vote"
    SEE_SECRETARIAT_COMMENTS = "see_secretariat_comments"


C = Capability

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CHAIR: frozenset(
        {
            C.VIEW_MEETING,
            C.SEE_ALL_ITEMS,
            C.RUN_SESSION,
            C.REQUEST_TO_SPEAK,
            C.COMMENT,
            C.VOTE,
            C.SEE_SECRETARIAT_COMMENTS,
        }
    ),
    Role.VICE_CHAIR: frozenset(
        {C.VIEW_MEETING, C.SEE_ALL_ITEMS, C.ACT_AS_CHAIR, C.REQUEST_TO_SPEAK, C.COMMENT, C.VOTE}
    ),
    Role.SECRETARY: frozenset(
        {C.VIEW_MEETING, C.SEE_ALL_ITEMS, C.EDIT_MEETING, C.COMMENT, C.SEE_SECRETARIAT_COMMENTS}
    ),
    Role.MEMBER: frozenset({C.VIEW_MEETING, C.SEE_ALL_ITEMS, C.REQUEST_TO_SPEAK, C.COMMENT, C.VOTE}),
    Role.GUEST: frozenset({C.VIEW_MEETING, C.REQUEST_TO_SPEAK, C.COMMENT}),
    Role.OBSERVER: frozenset({C.VIEW_MEETING, C.SEE_ALL_ITEMS}),
}


def capabilities(user: Any, role: str | None) -> frozenset[Capability]:
    """Everything ``user`` may do in a meeting where their role is ``role``."""
    granted: frozenset[Capability] = frozenset()
    if role:
        granted = CAPABILITIES[role]
    if getattr(user, "is_secretariat", False):
        granted = granted | CAPABILITIES[Role.SECRETARY]
    return granted


def effective_role(user: Any, participant_role: str | None) -> str | None:
    """The role a user acts in: their participant role, else secretariat's."""
    if participant_role:
        return participant_role
    if getattr(user, "is_secretariat", False):
        return Role.SECRETARY
    return None


def allows(user: Any, role: str | None, capability: Capability) -> bool:
    return capability in capabilities(user, role)


def require(
    user: Any, role: str | None, capability: Capability, *, request: Any = None, **context: Any
) -> None:
    """Raise NotAllowed (and audit it) unless the role grants ``capability``."""
    if allows(user, role, capability):
        return
    audit.record(
        audit.Kind.PERMISSION_REFUSED,
        request=request,
        user=user,
        capability=capability.value,
        role=role or "",
        **context,
    )
    raise NotAllowed()
