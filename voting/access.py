"""Fetch slips and ballots with permission: tenant first, then role.

A ballot belongs to a meeting and is seen by whoever sees its item
(``meetings.access``). A slip is seen by the tenant's secretariat and by the
members it asks; anyone else — and anyone of another tenant — gets the same
``NotFound`` as for a slip that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecabinet import audit
from ecabinet.errors import NotFound
from ecabinet.roles import TenantCapability, access_tenant, tenant_allows
from ecabinet.tenancy import belongs_here, current_tenant
from meetings.access import MAX_ID, MeetingAccess
from meetings.models import Participant
from voting.models import Ballot, Slip, SlipPaper, SlipRecipient

VOTING_ROLES = frozenset({"chair", "vice_chair", "member"})


def manages_slips(user: Any) -> bool:
    """The tenant's secretariat: issues slips, sees who answered, closes early."""
    return tenant_allows(user, TenantCapability.MANAGE_SLIPS)


@dataclass(frozen=True)
class SlipAccess:
    slip: Slip
    user: Any
    manages: bool  # the secretariat
    asked: bool  # among the members asked


def access_slip(user: Any, slip_id: Any, *, manage: bool = False, request: Any = None) -> SlipAccess:
    """The slip and the user's place in it; ``manage`` asks for the secretariat's rights."""
    tenant = current_tenant()
    if not belongs_here(user, tenant) or user.tenant_id is None:
        raise NotFound()
    if not isinstance(slip_id, int) or isinstance(slip_id, bool) or not 0 < slip_id <= MAX_ID:
        raise NotFound()
    slip = Slip.objects.filter(pk=slip_id).first()
    if slip is None:
        raise NotFound()
    manages = manages_slips(user)
    asked = SlipRecipient.objects.filter(slip=slip, user=user).exists()
    if not manages and not asked:
        audit.record(audit.Kind.PERMISSION_REFUSED, request=request, user=user, slip_id=slip.pk)
        raise NotFound()
    if manage and not manages:
        access_tenant(user, TenantCapability.MANAGE_SLIPS, request=request, slip_id=slip.pk)
    return SlipAccess(slip=slip, user=user, manages=manages, asked=asked)


def access_ballot(access: MeetingAccess, ballot_id: Any) -> Ballot:
    """A ballot of the meeting on an item this user sees; NotFound otherwise."""
    if not isinstance(ballot_id, int) or isinstance(ballot_id, bool) or not 0 < ballot_id <= MAX_ID:
        raise NotFound()
    ballot = (
        Ballot.objects.select_related("item", "meeting__stream")
        .filter(meeting=access.meeting, pk=ballot_id)
        .first()
    )
    if ballot is None or not access.sees_item(ballot.item_id):
        raise NotFound()
    return ballot


def member_for(participant: Participant | None) -> Participant | None:
    """The member on whose behalf ``participant`` answers: a substitute answers
    for the member who named them; a member for themselves; others for nobody."""
    if participant is None:
        return None
    if participant.substitute_for_id is not None:
        return participant.substitute_for
    if participant.role in VOTING_ROLES:
        return participant
    return None


def slip_paper_check(user: Any, paper: Any, request: Any) -> bool | None:
    """documents' question for a paper without a meeting: is it a slip's, and may ``user`` read it?

    None when the paper is no slip's. The members asked read it, also after
    the slip closes (their answer stands on it); the secretariat manages it
    (True); anyone else — another tenant, a meeting's participant who was not
    asked — gets NotFound, as for a paper that does not exist.
    """
    link = SlipPaper.objects.filter(paper_id=paper.pk).values_list("slip_id", flat=True).first()
    if link is None:
        return None
    return access_slip(user, link, request=request).manages


def slip_paper_owner(paper: Any) -> str | None:
    """ "Opinion slip no. 3: question" for ``trace_paper``."""
    from django.utils.translation import gettext as _

    slip = Slip.objects.filter(papers__paper_id=paper.pk).first()
    if slip is None:
        return None
    return _("Opinion slip no. %(number)s: %(question)s") % {"number": slip.number, "question": slip.question}
