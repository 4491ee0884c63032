"""Roles and what each may do: the one place that says so.

Two tables:

- **In a meeting** (``CAPABILITIES``): a user's role comes from their place in
  the meeting (``meetings.Participant``); the tenant's secretariat
  (``User.is_secretariat``) holds the secretary's capabilities in every
  meeting of its tenant. Each app's ``access.py`` asks ``require``/``allows``.
- **In the tenant** (``TENANT_CAPABILITIES``): what a person may do across
  their tenant — create meetings, set the rules, manage opinion slips, oversee
  every task, see the dashboard, manage the directory — and, for national
  administrators, the national figures. Pages, the API and socket actions ask
  ``access_tenant`` (refusals audited) or ``tenant_allows`` (to offer a link).
  A role that needs the data of an app above (a chair of the tenant's
  meetings) is resolved by that app (``register_tenant_role``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecabinet import audit
from ecabinet.errors import NotAllowed, NotFound
from ecabinet.tenancy import belongs_here, current_tenant_or_none


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


# --- in the tenant ------------------------------------------------------------------------


class TenantRole(enum.Enum):
    SECRETARIAT = "secretariat"  # User.is_secretariat: the Government Office, the PC Office
    CHAIR = "chair"  # chairs a meeting of the tenant (resolved by meetings)
    NATIONAL_ADMIN = "national_admin"  # no tenant, recognised at every host


class TenantCapability(enum.Enum):
    CREATE_MEETINGS = "create_meetings"
    SET_RULES = "set_rules"  # quorum, speaking time, baselines, papers, votes, report yardsticks
    MANAGE_SLIPS = "manage_slips"  # issue opinion slips, see who answered, close early
    OVERSEE_TASKS = "oversee_tasks"  # every follow-up task of the tenant
    SEE_DASHBOARD = "see_dashboard"  # time and paper saved, the tenant's quarterly reports
    MANAGE_DIRECTORY = "manage_directory"  # the tenant's people and their roles
    READ_RECORDS = "read_records"  # every signed document of the tenant, whoever owns it
    SEE_NATIONAL_FIGURES = "see_national_figures"  # every tenant's figures: national only


T = TenantCapability

TENANT_CAPABILITIES: dict[TenantRole, frozenset[TenantCapability]] = {
    TenantRole.SECRETARIAT: frozenset(
        {
            T.CREATE_MEETINGS,
            T.SET_RULES,
            T.MANAGE_SLIPS,
            T.OVERSEE_TASKS,
            T.SEE_DASHBOARD,
            T.MANAGE_DIRECTORY,
            T.READ_RECORDS,
        }
    ),
    TenantRole.CHAIR: frozenset({T.SEE_DASHBOARD}),
    TenantRole.NATIONAL_ADMIN: frozenset({T.SEE_NATIONAL_FIGURES}),
}

# Refused as "not found": nobody learns that the national pages exist.
HIDDEN_CAPABILITIES = frozenset({T.SEE_NATIONAL_FIGURES})
# What a refused person reads, where there is more to say than "not allowed".
REFUSALS = {T.SEE_DASHBOARD: _("Only the secretariat and the chair see the dashboard.")}

_role_resolvers: dict[TenantRole, Callable[[Any], bool]] = {}


def register_tenant_role(role: TenantRole, holds: Callable[[Any], bool]) -> None:
    """An app above says who holds ``role`` in the current tenant (in its ``ready()``)."""
    _role_resolvers[role] = holds


def holds_role(user: Any, role: TenantRole) -> bool:
    """Whether ``user`` holds ``role`` in the current tenant (or, national, anywhere)."""
    if role is TenantRole.NATIONAL_ADMIN:
        return bool(getattr(user, "is_national_admin", False))
    if getattr(user, "tenant_id", None) is None or not belongs_here(user, current_tenant_or_none()):
        return False
    if role is TenantRole.SECRETARIAT:
        return bool(getattr(user, "is_secretariat", False))
    resolver = _role_resolvers.get(role)
    return bool(resolver and resolver(user))


def tenant_allows(user: Any, capability: TenantCapability) -> bool:
    """Whether ``user`` may do ``capability`` in the current tenant; the cheapest roles are asked
    first (the secretariat costs no query)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return any(
        capability in TENANT_CAPABILITIES[role] and holds_role(user, role)
        for role in (TenantRole.NATIONAL_ADMIN, TenantRole.SECRETARIAT, TenantRole.CHAIR)
    )


@dataclass(frozen=True)
class TenantAccess:
    user: Any
    capability: TenantCapability


def access_tenant(
    user: Any, capability: TenantCapability, *, request: Any = None, **context: Any
) -> TenantAccess:
    """Raise NotAllowed (NotFound for the national figures), audited, unless ``user`` may do
    ``capability`` here; a person of another tenant is refused as not found."""
    if tenant_allows(user, capability):
        return TenantAccess(user=user, capability=capability)
    audit.record(
        audit.Kind.PERMISSION_REFUSED,
        request=request,
        user=user,
        capability=capability.value,
        **context,
    )
    if capability in HIDDEN_CAPABILITIES or not belongs_here(user, current_tenant_or_none()):
        raise NotFound()
    raise NotAllowed(REFUSALS.get(capability))
