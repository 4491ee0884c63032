"""Who may read which paper: the one place that says so.

A paper is read through its meeting: the meeting's access check comes first
(tenant, then the user's place in the meeting), then the item (a guest reads
only the items given to them), then django-guardian's object permission
(``view_paper``: granted to the meeting's readers' group for a paper meant for
everyone, to named users for a restricted one), then time: after the meeting
closes and its grace period passes, or on the secretariat's word, only the
secretariat and the chair keep reading. Pages, the API, the signed links and
the background stamping all come through here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.core import ObjectPermissionChecker

from documents.models import (
    MeetingPapers,
    Paper,
    PaperGroupObjectPermission,
    PaperSettings,
    PaperUserObjectPermission,
    PaperVersion,
)
from ecabinet import audit
from ecabinet.cleaning import tenant_settings
from ecabinet.errors import Gone, Invalid, NotAllowed, NotFound
from ecabinet.models import Tenant
from ecabinet.roles import Capability, Role
from meetings.access import MAX_ID, MeetingAccess, access_meeting
from meetings.models import Meeting, Participant

VIEW = "view_paper"


class ReadingEnded(NotAllowed):
    """The paper was readable once and no longer is (the meeting is over)."""

    code = "reading_ended"
    default_detail = _(
        "This paper is no longer available: reading ended after the meeting. "
        "Ask the secretariat if you still need it."
    )


def paper_settings(tenant: Tenant | int) -> PaperSettings:
    return tenant_settings(PaperSettings, tenant, create=True)


def meeting_papers(meeting: Meeting) -> MeetingPapers:
    """The meeting's papers state and readers' group, made on first use."""
    found = MeetingPapers.objects.select_related("group").filter(meeting=meeting).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            group = Group.objects.create(name=f"papers:{meeting.tenant_id}:{meeting.pk}")
            state = MeetingPapers.objects.create(tenant_id=meeting.tenant_id, meeting=meeting, group=group)
    except IntegrityError:
        return MeetingPapers.objects.select_related("group").get(meeting=meeting)
    group.user_set.set(Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    return state


def sync_readers(meeting: Meeting) -> None:
    """Keep the readers' group equal to the meeting's participants.

    Registered as the meetings ``participants_changed`` hook: it runs in the
    same transaction as the change of participants.
    """
    state = meeting_papers(meeting)
    state.group.user_set.set(Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True))


def reading_ends_at(meeting: Meeting, state: MeetingPapers | None = None) -> datetime | None:
    """When reading ends for the participants, or None while it goes on."""
    if state is None:
        state = MeetingPapers.objects.filter(meeting=meeting).first()
    ends: list[datetime] = []
    if state is not None and state.revoked_at is not None:
        ends.append(state.revoked_at)
    if meeting.status == Meeting.Status.CLOSED and meeting.ended_at is not None:
        ends.append(meeting.ended_at + timedelta(days=paper_settings(meeting.tenant_id).grace_days))
    return min(ends) if ends else None


def reading_ended(
    meeting: Meeting, state: MeetingPapers | None = None, *, now: datetime | None = None
) -> bool:
    ends = reading_ends_at(meeting, state)
    return ends is not None and (now or timezone.now()) >= ends


def keeps_reading(access: MeetingAccess) -> bool:
    """The secretariat and the chair read on after reading ends for the others."""
    return access.allows(Capability.EDIT_MEETING) or access.role == Role.CHAIR


@dataclass(frozen=True)
class PaperAccess:
    """One user's access to one paper."""

    meeting: MeetingAccess
    paper: Paper

    @property
    def user(self) -> Any:
        return self.meeting.user

    @property
    def version(self) -> PaperVersion | None:
        return self.paper.current_version

    @property
    def can_edit(self) -> bool:
        return self.meeting.allows(Capability.EDIT_MEETING)

    @property
    def can_download(self) -> bool:
        return self.paper.downloadable or self.can_edit


def is_recipient(user: Any, paper: Paper, checker: ObjectPermissionChecker | None = None) -> bool:
    """Whether ``view_paper`` is granted to the user on the paper (directly or through a group)."""
    checker = checker or ObjectPermissionChecker(user)
    return bool(checker.has_perm(VIEW, paper))


def access_paper(
    user: Any,
    paper_id: Any,
    *,
    request: Any = None,
    editing: bool = False,
) -> PaperAccess:
    """The paper and the user's access to it; raises NotFound, NotAllowed or ReadingEnded.

    ``editing``: the secretariat's access, which sees withdrawn papers too.
    Whatever a reader may not read is NotFound, so nobody learns which
    papers exist; only a reader whose reading has ended is told so.
    """
    paper = _fetch(paper_id)
    if paper.meeting_id is None:
        # A paper of a slip (or another owner) is never read through a meeting:
        # every meeting path (lists, API, notes, reports, manage pages) refuses it.
        raise NotFound()
    meeting_access = access_meeting(
        user,
        paper.meeting_id,
        capability=Capability.EDIT_MEETING if editing else Capability.VIEW_MEETING,
        request=request,
    )
    access = PaperAccess(meeting=meeting_access, paper=paper)
    if editing or access.can_edit:
        return access
    if paper.withdrawn_at is not None or paper.current_version_id is None:
        raise NotFound()
    if not meeting_access.sees_item(paper.item_id) and paper.item_id is not None:
        raise NotFound()
    if not is_recipient(user, paper):
        raise NotFound()
    if not keeps_reading(meeting_access) and reading_ended(meeting_access.meeting):
        raise ReadingEnded()
    return access


def _fetch(paper_id: Any) -> Paper:
    if not isinstance(paper_id, int) or isinstance(paper_id, bool) or not 0 < paper_id <= MAX_ID:
        raise NotFound()
    paper = Paper.objects.select_related("current_version", "meeting").filter(pk=paper_id).first()
    if paper is None:
        raise NotFound()
    return paper


# --- papers without a meeting ----------------------------------------------------------------
# documents must not import the apps above it (voting → documents → meetings). A
# paper with no meeting belongs to an owner in such an app, which registers here
# the check that decides who reads it.


@dataclass(frozen=True)
class OwnedPaperAccess:
    """One user's access to a paper without a meeting, as its owner decided it.

    It has what serving needs (the paper, the user, the version, the
    secretariat's rights) and nothing of a meeting.
    """

    paper: Paper
    user: Any
    can_edit: bool  # the owner's managers (the secretariat)

    @property
    def version(self) -> PaperVersion | None:
        return self.paper.current_version

    @property
    def can_download(self) -> bool:
        return self.paper.downloadable or self.can_edit


# check(user, paper, request) -> None when the paper is not the owner's; else
# whether the user manages it (True) or reads it (False); NotFound / NotAllowed
# when the user may not read it.
OwnerCheck = Callable[[Any, Paper, Any], bool | None]
_owners: dict[str, OwnerCheck] = {}
_describers: dict[str, Callable[[Paper], str | None]] = {}


def register_paper_owner(
    kind: str, check: OwnerCheck, *, describe: Callable[[Paper], str | None] | None = None
) -> None:
    """Let an app above documents decide who reads its meeting-less papers.

    ``describe(paper)``: what the paper belongs to, in words, for
    ``trace_paper``; None when it is not the owner's.
    """
    _owners[kind] = check
    if describe is not None:
        _describers[kind] = describe


def paper_owner(paper: Paper) -> str | None:
    """What a paper without a meeting belongs to, in words, or None."""
    for describe in _describers.values():
        found = describe(paper)
        if found is not None:
            return found
    return None


def access_owned_paper(user: Any, paper: Paper, *, request: Any = None) -> OwnedPaperAccess:
    """A meeting-less paper, through the owner that claims it; NotFound if none does."""
    if paper.meeting_id is not None:
        raise NotFound()
    for check in _owners.values():
        manages = check(user, paper, request)
        if manages is None:
            continue
        if not manages and (paper.withdrawn_at is not None or paper.current_version_id is None):
            raise NotFound()
        return OwnedPaperAccess(paper=paper, user=user, can_edit=manages)
    raise NotFound()


def access_any_paper(user: Any, paper_id: Any, *, request: Any = None) -> PaperAccess | OwnedPaperAccess:
    """A meeting's paper (``access_paper``) or another owner's (``access_owned_paper``).

    Only the paths that work for both ask this: the signed link, the reader
    page (which sends an owned paper straight to its signed link) and the
    background stamping.
    """
    paper = _fetch(paper_id)
    if paper.meeting_id is None:
        return access_owned_paper(user, paper, request=request)
    return access_paper(user, paper_id, request=request)


# --- the signed link to a reader's copy ------------------------------------------------------
# documents.serving makes the links and serves the copies; what a link says
# and whether it still opens anything is decided here, with the rest of who
# reads what.

SALT = "documents.serving.copy"


def read_link(token: str, *, max_age: int | None = None) -> tuple[int, int, int]:
    """(paper id, version id, user id) from a link's token.

    Raises ``signing.SignatureExpired`` for an old link and
    ``signing.BadSignature`` for anything else that is not one of ours.
    """
    payload = signing.loads(
        token,
        salt=SALT,
        max_age=settings.ECABINET_PAPER_LINK_SECONDS if max_age is None else max_age,
    )
    if not isinstance(payload, dict):
        raise signing.BadSignature("not a paper link")
    values = (payload.get("p"), payload.get("v"), payload.get("u"))
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise signing.BadSignature("not a paper link")
    return values  # type: ignore[return-value]


@dataclass(frozen=True)
class PaperCopyAccess:
    """What a signed link opens: whose access, which version, and whether as a download."""

    access: PaperAccess | OwnedPaperAccess
    version: PaperVersion  # its ``paper`` is ``access.paper``
    download: bool  # asked for, and allowed (a download refused is an error, not False)

    @property
    def paper(self) -> Paper:
        return self.access.paper

    @property
    def user(self) -> Any:
        return self.access.user


def _refused(request: HttpRequest | None, user: Any, paper_id: int, code: str) -> None:
    # A link passed on, tampered with, or to a paper no longer the user's is
    # what a leak looks like, so it is kept (never the token). Expired and
    # superseded links are everyday and are not.
    audit.record(audit.Kind.PERMISSION_REFUSED, request=request, user=user, paper=paper_id, refused=code)


def access_paper_copy(
    user: Any,
    paper_id: int,
    token: str,
    *,
    download: str = "",
    request: HttpRequest | None = None,
) -> PaperCopyAccess:
    """Steps 1–3 of ``documents.serving``: may ``user`` open what this link names, now?

    ``user``: the signed-in reader, or None. ``download``: the ``download``
    value of the link's query as given ("", "0" or "1"); it is checked only
    after the signature, so an expired link says so whatever else is wrong.

    Raises ``Gone`` (an expired link: ``link_expired``; a version no longer
    served to this user: ``paper_updated``), ``NotAllowed`` (``link_invalid``,
    ``link_not_yours``, ``view_only``, ``not_allowed``), ``ReadingEnded``,
    ``NotFound`` (``not_found``, whatever the reason) or ``Invalid`` (a bad
    ``download``), each with the sentence for the person.
    """
    try:
        link_paper, version_id, user_id = read_link(token)
    except signing.SignatureExpired:
        raise Gone(
            _("Links to papers last a few minutes. Open the paper again from the meeting page."),
            code="link_expired",
        ) from None
    except signing.BadSignature:
        # The link names nobody we can believe: kept under whoever holds the session.
        _refused(request, request.user if request is not None else user, paper_id, "link_invalid")
        raise NotAllowed(
            _(
                "The link to this paper is damaged or was not made by eCabinet. "
                "Open the paper from the meeting page."
            ),
            code="link_invalid",
        ) from None
    if download not in ("", "0", "1"):
        raise Invalid(_("“download” must be 1 or 0."))
    if link_paper != paper_id or user is None or user.pk != user_id:
        # A link passed on to somebody else, or opened after signing out.
        _refused(request, user or (request.user if request is not None else None), paper_id, "link_not_yours")
        raise NotAllowed(
            _(
                "A link to a paper works only for the person it was made for, while signed in. "
                "Open the paper from your own meeting page."
            ),
            code="link_not_yours",
        )
    try:
        access = access_any_paper(user, paper_id, request=request)
    except ReadingEnded as exc:
        _refused(request, user, paper_id, exc.code)
        raise
    except NotFound:
        # One answer for every reason, as everywhere: nobody learns which papers exist.
        _refused(request, user, paper_id, NotFound.code)
        raise NotFound() from None
    except NotAllowed as exc:
        _refused(request, user, paper_id, NotAllowed.code)
        raise NotAllowed(exc.detail) from exc
    version = PaperVersion.objects.filter(pk=version_id, paper_id=access.paper.pk).first()
    # Only the secretariat opens an older version; a reader's link to one is
    # superseded, not a leak.
    if version is None or (version.pk != access.paper.current_version_id and not access.can_edit):
        raise Gone(
            _("There is a newer version of this paper. Open it again from the meeting page."),
            code="paper_updated",
        )
    if download == "1" and not access.can_download:
        _refused(request, user, paper_id, "view_only")
        raise NotAllowed(
            _(
                "The secretariat has made this paper view-only: "
                "read it on the screen, it cannot be downloaded."
            ),
            code="view_only",
        )
    version.paper = access.paper  # the paper as checked, not a second read of it
    return PaperCopyAccess(access=access, version=version, download=download == "1")


def readable_papers(access: MeetingAccess) -> QuerySet[Paper]:
    """The papers of the meeting this user receives (current, not withdrawn).

    One query (guardian's permission filter is a subquery). Reading having
    ended is not applied here: lists show the papers and say so.
    """
    papers = Paper.objects.filter(
        meeting=access.meeting, withdrawn_at__isnull=True, current_version__isnull=False
    )
    if access.allows(Capability.EDIT_MEETING):
        return papers
    if access.item_ids is not None:
        papers = papers.filter(Q(item__isnull=True) | Q(item_id__in=access.item_ids))
    # guardian's get_objects_for_user costs three queries; with the direct
    # foreign-key tables the same filter is two EXISTS in one query.
    by_user = PaperUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=access.user, permission__codename=VIEW
    )
    by_group = PaperGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=access.user, permission__codename=VIEW
    )
    return papers.filter(Exists(by_user) | Exists(by_group))
