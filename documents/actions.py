"""Every write of the papers app: upload, new versions, distribution, ending reading.

Each action checks, writes its rows and its audit row in one transaction, and
tells the tablets through ``publish_on_commit``. An upload is checked in full
before anything is kept; a refused upload leaves no file and no row behind,
only the audit line saying it was refused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from documents.access import VIEW, PaperCopyAccess, meeting_papers, paper_settings
from documents.models import (
    MeetingPapers,
    Paper,
    PaperOpen,
    PaperSettings,
    PaperUserObjectPermission,
    PaperVersion,
    StampedCopy,
)
from documents.payloads import paper_audience, paper_payload
from documents.pdf_sandbox import SandboxFailed
from documents.stamping import stamped_copy
from documents.validation import CheckedPdf, Refused, check_pdf
from ecabinet import audit
from ecabinet.errors import ActionError, Invalid, WrongState
from ecabinet.models import Tenant, User
from ecabinet.realtime import publish_on_commit
from ecabinet.roles import Role
from meetings.models import AgendaItem, Meeting, Participant

logger = logging.getLogger(__name__)

MAX_TITLE = 500
MAX_UNIT = 300
MAX_NOTE = 500


def _clean(value: Any, *, limit: int, required: bool, message: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(message)
    value = value.strip()
    if required and not value:
        raise Invalid(message)
    if len(value) > limit:
        raise Invalid(_("At most %(limit)d characters.") % {"limit": limit})
    return str(value)


def _clean_kind(kind: Any) -> str:
    if kind not in Paper.Kind.values:
        raise Invalid(_("Choose the kind of paper: submission, draft, report or other."))
    return str(kind)


def _clean_item(meeting: Meeting, item: AgendaItem | None) -> AgendaItem | None:
    if item is not None and item.meeting_id != meeting.pk:
        raise Invalid(_("That item is not on this meeting's agenda."))
    return item


def _clean_recipients(
    meeting: Meeting, recipients: Iterable[User], *, item: AgendaItem | None = None
) -> list[User]:
    """Named recipients: participants of the meeting, each once; a guest only on an item given to them."""
    unique: dict[int, User] = {}
    for user in recipients:
        unique.setdefault(user.pk, user)
    if not unique:
        return []
    participants = {
        p.user_id: p
        for p in Participant.objects.filter(meeting=meeting, user_id__in=list(unique)).prefetch_related(
            "items"
        )
    }
    if any(pk not in participants for pk in unique):
        raise Invalid(_("A paper can only be given to people who take part in the meeting."))
    for pk, participant in participants.items():
        if (
            participant.role == Role.GUEST
            and item is not None
            and item.pk not in {i.pk for i in participant.items.all()}
        ):
            raise Invalid(
                _("%(name)s is a guest not invited to this item and cannot receive its papers.")
                % {"name": unique[pk].full_name or unique[pk].username}
            )
    return list(unique.values())


def _meeting_of(paper: Paper) -> Meeting:
    """The paper's meeting; a paper without one (a slip's) is not changed here."""
    if paper.meeting is None:
        raise WrongState(_("This paper belongs to no meeting; change it where it belongs."))
    return paper.meeting


def _lock_meeting_of(paper: Paper) -> None:
    """Lock the paper's meeting row, then the paper's (the meeting is a nullable
    join now, which PostgreSQL will not lock through ``select_related``)."""
    if paper.meeting_id is not None:
        Meeting.objects.select_for_update().filter(pk=paper.meeting_id).first()


def _require_editable(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CLOSED:
        raise WrongState(_("The meeting is closed; its papers can no longer be changed."))


def _grant(paper: Paper, state: MeetingPapers, *, restricted: bool, recipients: list[User]) -> None:
    """Everyone's paper: granted to the readers' group. Restricted: to the named users only."""
    PaperUserObjectPermission.objects.filter(content_object=paper).delete()
    if restricted:
        remove_perm(VIEW, state.group, paper)
        for user in recipients:
            assign_perm(VIEW, user, paper)
    else:
        assign_perm(VIEW, state.group, paper)


def recipient_ids(paper: Paper) -> list[int]:
    """The users who receive a restricted paper."""
    return list(
        PaperUserObjectPermission.objects.filter(content_object=paper, permission__codename=VIEW).values_list(
            "user_id", flat=True
        )
    )


def _checked(
    meeting: Meeting,
    upload: Any,
    *,
    declared_secret: bool,
    confirmed_unreadable: bool,
    acting_user: User | None,
    request: Any,
    title: str,
) -> CheckedPdf:
    return check_upload(
        meeting.tenant_id,
        upload,
        declared_secret=declared_secret,
        confirmed_unreadable=confirmed_unreadable,
        acting_user=acting_user,
        request=request,
        title=title,
        where={"meeting_id": meeting.pk},
    )


def check_upload(
    tenant_id: int,
    upload: Any,
    *,
    declared_secret: bool = False,
    confirmed_unreadable: bool = False,
    acting_user: User | None,
    request: Any,
    title: str,
    where: dict[str, Any],
) -> CheckedPdf:
    """``check_pdf`` against the tenant's limit; a refusal is audited with ``where`` it was meant for.

    ``confirmed_unreadable`` is the uploader's word that the pages eCabinet
    could not read carry no secret marking; when it was needed, that word is
    audited as ``PAPER_CONFIRMED`` with the pages it covers.
    """
    try:
        checked = check_pdf(
            upload,
            limit_bytes=upload_limit_bytes(tenant_id),
            declared_secret=declared_secret,
            confirmed_unreadable=confirmed_unreadable,
        )
    except Refused as exc:
        audit.record(
            audit.Kind.PAPER_UPLOAD_REFUSED,
            request=request,
            user=acting_user,
            reason=exc.reason,
            title=str(title)[:200],
            file_name=str(getattr(upload, "name", ""))[:200],
            **where,
        )
        raise
    if checked.unreadable_pages:
        audit.record(
            audit.Kind.PAPER_CONFIRMED,
            request=request,
            user=acting_user,
            title=str(title)[:200],
            file_name=str(getattr(upload, "name", ""))[:200],
            sha256=checked.sha256,
            pages=checked.unreadable_pages,
            **where,
        )
    return checked


def safety_detail(checked: CheckedPdf) -> dict[str, Any]:
    """What an upload's audit row says of what was removed and what was confirmed unread."""
    detail: dict[str, Any] = {}
    if checked.removed:
        detail["removed"] = checked.removed
    if checked.unreadable_pages:
        detail["unreadable_pages"] = checked.unreadable_pages
    return detail


def upload_limit_bytes(tenant_id: int) -> int:
    """The tenant's largest paper, in bytes."""
    return paper_settings(tenant_id).max_upload_mb * 1024 * 1024


def record_refused_upload(
    meeting: Meeting,
    *,
    reason: str,
    title: str,
    file_name: str,
    acting_user: User | None,
    request: HttpRequest | None = None,
) -> None:
    """The audit line of a refused upload.

    Kept apart from the upload's transaction, which never starts: a refused
    (perhaps secret) paper is a security event worth a line. Also used when
    a body is refused by its length before it is read.
    """
    audit.record(
        audit.Kind.PAPER_UPLOAD_REFUSED,
        request=request,
        user=acting_user,
        meeting_id=meeting.pk,
        reason=reason,
        title=str(title)[:200],
        file_name=file_name[:200],
    )


def _store_version(
    paper: Paper, *, upload: Any, checked: CheckedPdf, number: int, change_note: str, acting_user: User | None
) -> PaperVersion:
    version = PaperVersion(
        tenant_id=paper.tenant_id,
        paper=paper,
        number=number,
        sha256=checked.sha256,
        size=checked.size,
        page_count=checked.page_count,
        page_digests=checked.page_digests,
        removed=checked.removed or {},
        unreadable_pages=checked.unreadable_pages,
        original_name=str(getattr(upload, "name", ""))[:255],
        change_note=change_note,
        uploaded_by=acting_user,
    )
    if checked.defused is not None:
        # The file as kept: the upload with its active content taken out.
        version.file.save(f"v{number}.pdf", ContentFile(checked.defused), save=False)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        version.file.save(f"v{number}.pdf", upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    saved = _saved_files.get()
    if saved is not None:
        saved.append((version.file.storage, version.file.name))
    return version


_saved_files: ContextVar[list[tuple[Any, str]] | None] = ContextVar("documents_saved_files", default=None)


@contextmanager
def _dropping_files_on_failure() -> Iterator[None]:
    """Delete the files written inside the block if the block fails.

    Used outside the upload's transaction: when it rolls back, the rows go
    and so must the files, so that a refused upload leaves nothing behind.
    """
    saved: list[tuple[Any, str]] = []
    token = _saved_files.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise
    finally:
        _saved_files.reset(token)


# Public for the apps above documents that keep papers of their own (a slip's).
dropping_files_on_failure = _dropping_files_on_failure


def clean_paper_title(title: Any) -> str:
    return _clean(title, limit=MAX_TITLE, required=True, message=_("Give the paper a title."))


def clean_paper_kind(kind: Any) -> str:
    return _clean_kind(kind)


def create_paper_without_meeting(
    tenant_id: int,
    *,
    upload: Any,
    checked: CheckedPdf,
    title: str,
    kind: str,
    position: int,
    acting_user: User | None,
) -> Paper:
    """The rows and the file of a paper that belongs to no meeting.

    For an owner registered with ``documents.access.register_paper_owner``,
    which decides who reads it; nobody is granted ``view_paper`` on it, so no
    meeting list ever shows it. Call it inside ``dropping_files_on_failure()``
    and a transaction, with ``checked`` from ``check_upload``.
    """
    paper = Paper.objects.create(
        tenant_id=tenant_id,
        meeting=None,
        item=None,
        title=title,
        kind=kind,
        position=position,
        restricted=True,
        downloadable=False,
        created_by=acting_user,
    )
    version = _store_version(
        paper, upload=upload, checked=checked, number=1, change_note="", acting_user=acting_user
    )
    paper.current_version = version
    paper.page_count = version.page_count
    paper.updated_at = version.uploaded_at
    paper.save(update_fields=["current_version", "page_count", "updated_at"])
    return paper


def _queue_stamping(paper: Paper, version: PaperVersion) -> None:
    if _meeting_of(paper).status == Meeting.Status.DRAFT:
        return  # stamped when the agenda is published
    from documents.tasks import stamp_version

    tenant_id, version_id = paper.tenant_id, version.pk
    transaction.on_commit(lambda: stamp_version.enqueue(tenant_id, version_id))


def do_upload_paper(
    meeting: Meeting,
    *,
    upload: UploadedFile,
    title: str,
    kind: str = Paper.Kind.SUBMISSION,
    presenting_unit: str = "",
    item: AgendaItem | None = None,
    restricted: bool = False,
    recipients: Iterable[User] = (),
    downloadable: bool = False,
    declared_secret: bool = False,
    confirmed_unreadable: bool = False,
    acting_user: User | None,
    request: HttpRequest | None = None,
) -> Paper:
    """Attach a new paper to the meeting (or one of its items)."""
    title = _clean(title, limit=MAX_TITLE, required=True, message=_("Give the paper a title."))
    kind = _clean_kind(kind)
    presenting_unit = _clean(
        presenting_unit, limit=MAX_UNIT, required=False, message=_("Give the unit as text.")
    )
    _require_editable(meeting)
    item = _clean_item(meeting, item)
    recipients = _clean_recipients(meeting, recipients, item=item) if restricted else []
    if restricted and not recipients:
        raise Invalid(_("Name at least one person who receives this paper."))
    checked = _checked(
        meeting,
        upload,
        declared_secret=declared_secret,
        confirmed_unreadable=confirmed_unreadable,
        acting_user=acting_user,
        request=request,
        title=title,
    )
    with _dropping_files_on_failure(), transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_editable(meeting)
        last = Paper.objects.filter(meeting=meeting, item=item).order_by("-position").first()
        paper = Paper.objects.create(
            tenant_id=meeting.tenant_id,
            meeting=meeting,
            item=item,
            title=title,
            kind=kind,
            presenting_unit=presenting_unit,
            position=(last.position + 1) if last else 1,
            restricted=restricted,
            downloadable=bool(downloadable),
            created_by=acting_user,
        )
        version = _store_version(
            paper, upload=upload, checked=checked, number=1, change_note="", acting_user=acting_user
        )
        paper.current_version = version
        paper.page_count = version.page_count
        paper.updated_at = version.uploaded_at
        paper.save(update_fields=["current_version", "page_count", "updated_at"])
        state = meeting_papers(meeting)
        _grant(paper, state, restricted=restricted, recipients=recipients)
        audit.record(
            audit.Kind.PAPER_UPLOADED,
            request=request,
            user=acting_user,
            meeting_id=meeting.pk,
            paper_id=paper.pk,
            version=1,
            sha256=checked.sha256,
            pages=checked.page_count,
            **safety_detail(checked),
        )
        publish_on_commit(
            meeting.stream,
            "paper.added",
            {"paper": paper_payload(paper)},
            audience=paper_audience(paper, recipient_ids=[u.pk for u in recipients]),
        )
        _queue_stamping(paper, version)
    return paper


def do_replace_paper(
    paper: Paper,
    *,
    upload: UploadedFile,
    change_note: str = "",
    declared_secret: bool = False,
    confirmed_unreadable: bool = False,
    acting_user: User | None,
    request: HttpRequest | None = None,
) -> PaperVersion:
    """A new version: readers get it from now on; the old ones stay for the audit."""
    change_note = _clean(change_note, limit=MAX_NOTE, required=False, message=_("Say what changed, as text."))
    _require_editable(_meeting_of(paper))
    if paper.withdrawn_at is not None:
        raise WrongState(_("This paper has been withdrawn."))
    checked = _checked(
        _meeting_of(paper),
        upload,
        declared_secret=declared_secret,
        confirmed_unreadable=confirmed_unreadable,
        acting_user=acting_user,
        request=request,
        title=paper.title,
    )
    with _dropping_files_on_failure(), transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=_meeting_of(paper).pk)
        _require_editable(meeting)
        # Locked: a withdrawal or another new version waits for this one.
        paper = Paper.objects.select_related("meeting").select_for_update(of=("self",)).get(pk=paper.pk)
        if paper.withdrawn_at is not None:  # withdrawn while the file was being checked
            raise WrongState(_("This paper has been withdrawn."))
        previous = paper.current_version
        if previous is not None and previous.sha256 == checked.sha256:
            raise Invalid(_("This file is the same as the current version."))
        last = PaperVersion.objects.filter(paper=paper).order_by("-number").first()
        number = (last.number + 1) if last else 1
        version = _store_version(
            paper,
            upload=upload,
            checked=checked,
            number=number,
            change_note=change_note,
            acting_user=acting_user,
        )
        paper.current_version = version
        paper.page_count = version.page_count
        paper.updated_at = version.uploaded_at
        paper.save(update_fields=["current_version", "page_count", "updated_at"])
        audit.record(
            audit.Kind.PAPER_REPLACED,
            request=request,
            user=acting_user,
            meeting_id=meeting.pk,
            paper_id=paper.pk,
            version=number,
            previous_version=previous.number if previous else None,
            sha256=checked.sha256,
            pages=checked.page_count,
            **safety_detail(checked),
        )
        publish_on_commit(
            meeting.stream,
            "paper.updated",
            {
                "paper": paper_payload(paper),
                "previous_version": previous.number if previous else None,
                "previous_page_count": previous.page_count if previous else None,
            },
            audience=paper_audience(paper, recipient_ids=recipient_ids(paper)),
        )
        _queue_stamping(paper, version)
    return version


@transaction.atomic
def do_set_distribution(
    paper: Paper,
    *,
    restricted: bool,
    recipients: Iterable[User] = (),
    downloadable: bool,
    acting_user: User | None,
    request: HttpRequest | None = None,
) -> Paper:
    """Who receives the paper, and whether they may download it."""
    paper = Paper.objects.select_related("meeting", "item").select_for_update(of=("self",)).get(pk=paper.pk)
    if paper.withdrawn_at is not None:
        raise WrongState(_("This paper has been withdrawn."))
    recipients = _clean_recipients(_meeting_of(paper), recipients, item=paper.item) if restricted else []
    if restricted and not recipients:
        raise Invalid(_("Name at least one person who receives this paper."))
    before = recipient_ids(paper) if paper.restricted else None
    paper.restricted = bool(restricted)
    paper.downloadable = bool(downloadable)
    paper.save(update_fields=["restricted", "downloadable"])
    _grant(paper, meeting_papers(_meeting_of(paper)), restricted=paper.restricted, recipients=recipients)
    audit.record(
        audit.Kind.PAPER_DISTRIBUTION_CHANGED,
        request=request,
        user=acting_user,
        meeting_id=paper.meeting_id,
        paper_id=paper.pk,
        restricted=paper.restricted,
        recipients=sorted(u.pk for u in recipients),
        downloadable=paper.downloadable,
    )
    # Those who lost the paper and those who gained it both need to know, as
    # an id the client refetches. Where it was or now is everyone's, that is
    # everyone who sees its item; between named people, the union of both
    # lists (and the secretariat).
    audience: dict[str, Any] = {"item": paper.item_id} if paper.item_id else {}
    if paper.restricted and before is not None:
        union = set(before) | {u.pk for u in recipients}
        audience |= {"capability": "edit_meeting", "users": sorted(union)}
    publish_on_commit(
        _meeting_of(paper).stream, "paper.distribution", {"paper_id": paper.pk}, audience=audience or None
    )
    if paper.current_version_id and _meeting_of(paper).status != Meeting.Status.DRAFT:
        from documents.tasks import stamp_version

        tenant_id, version_id = paper.tenant_id, paper.current_version_id
        transaction.on_commit(lambda: stamp_version.enqueue(tenant_id, version_id))
    return paper


@transaction.atomic
def do_withdraw_paper(paper: Paper, *, acting_user: User | None, request: HttpRequest | None = None) -> Paper:
    """Take a paper off the agenda; its versions and copies stay for the audit."""
    _lock_meeting_of(paper)
    paper = Paper.objects.select_related("meeting").select_for_update(of=("self",)).get(pk=paper.pk)
    _require_editable(_meeting_of(paper))
    if paper.withdrawn_at is not None:
        raise WrongState(_("This paper has already been withdrawn."))
    audience = paper_audience(paper, recipient_ids=recipient_ids(paper))
    paper.withdrawn_at = timezone.now()
    paper.save(update_fields=["withdrawn_at"])
    audit.record(
        audit.Kind.PAPER_REMOVED,
        request=request,
        user=acting_user,
        meeting_id=paper.meeting_id,
        paper_id=paper.pk,
    )
    publish_on_commit(_meeting_of(paper).stream, "paper.removed", {"paper_id": paper.pk}, audience=audience)
    return paper


@transaction.atomic
def do_end_reading(
    meeting: Meeting, *, acting_user: User | None, request: HttpRequest | None = None
) -> MeetingPapers:
    """The secretariat's word: reading ends now for all but the secretariat and the chair."""
    state = meeting_papers(meeting)
    state = MeetingPapers.objects.select_for_update().get(pk=state.pk)
    if state.revoked_at is not None:
        raise WrongState(_("Reading of this meeting's papers has already ended."))
    state.revoked_at = timezone.now()
    state.revoked_by = acting_user
    state.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(audit.Kind.PAPER_REVOKED, request=request, user=acting_user, meeting_id=meeting.pk)
    publish_on_commit(meeting.stream, "papers.reading_ended", {"meeting_id": meeting.pk})
    return state


def refuse_item_removal_with_papers(item: AgendaItem) -> None:
    """The meetings ``item_removing`` hook: an item's papers must go first."""
    if Paper.objects.filter(item=item, withdrawn_at__isnull=True).exists():
        raise WrongState(_("This item still has papers. Withdraw them or move them to another item first."))
    # Withdrawn papers are read by nobody but the secretariat: they may lose their item.
    Paper.objects.filter(item=item).update(item=None)


def _siblings(paper: Paper) -> list[Paper]:
    """The papers listed with this one (same meeting and item, not withdrawn), in order."""
    return list(
        Paper.objects.filter(
            meeting_id=_meeting_of(paper).pk, item_id=paper.item_id, withdrawn_at__isnull=True
        )
        .select_for_update()
        .order_by("position", "id")
    )


def _change_audience(paper: Paper, *, item_ids: set[int | None]) -> dict[str, Any] | None:
    """Who is told a paper changed: its readers; on a move between items, those of both.

    The event carries only the paper's id (clients refetch through the
    access-checked API), so a move may go to everyone who sees either item.
    """
    if paper.restricted:
        return {"capability": "edit_meeting", "users": sorted(recipient_ids(paper))}
    if len(item_ids) == 1 and None not in item_ids:
        return {"item": next(iter(item_ids))}
    return None


@transaction.atomic
def do_update_paper(
    paper: Paper, *, changes: dict[str, Any], acting_user: User | None, request: HttpRequest | None = None
) -> Paper:
    """Change a paper's title, kind, presenting unit or agenda item (not its file: that is a new version).

    ``changes`` holds any of ``title``, ``kind``, ``presenting_unit``,
    ``item`` (an AgendaItem of the meeting, or None for the whole meeting).
    A paper moved to another item goes to the end of that item's papers.
    """
    unknown = set(changes) - {"title", "kind", "presenting_unit", "item"}
    if unknown:
        raise Invalid(_("Unknown field."))
    _lock_meeting_of(paper)
    paper = Paper.objects.select_related("meeting").select_for_update(of=("self",)).get(pk=paper.pk)
    _require_editable(_meeting_of(paper))
    if paper.withdrawn_at is not None:
        raise WrongState(_("This paper has been withdrawn."))
    fields: list[str] = []
    before = {
        "title": paper.title,
        "kind": paper.kind,
        "presenting_unit": paper.presenting_unit,
        "item": paper.item_id,
    }
    if "title" in changes:
        paper.title = _clean(
            changes["title"], limit=MAX_TITLE, required=True, message=_("Give the paper a title.")
        )
        fields.append("title")
    if "kind" in changes:
        paper.kind = _clean_kind(changes["kind"])
        fields.append("kind")
    if "presenting_unit" in changes:
        paper.presenting_unit = _clean(
            changes["presenting_unit"], limit=MAX_UNIT, required=False, message=_("Give the unit as text.")
        )
        fields.append("presenting_unit")
    previous_item_id = paper.item_id
    if "item" in changes:
        item = _clean_item(_meeting_of(paper), changes["item"])
        new_item_id = item.pk if item is not None else None
        if new_item_id != previous_item_id:
            paper.item = item
            last = (
                Paper.objects.filter(meeting_id=_meeting_of(paper).pk, item_id=new_item_id)
                .exclude(pk=paper.pk)
                .order_by("-position")
                .first()
            )
            paper.position = (last.position + 1) if last else 1
            fields += ["item", "position"]
    if not fields:
        return paper
    paper.save(update_fields=fields)
    after = {
        "title": paper.title,
        "kind": paper.kind,
        "presenting_unit": paper.presenting_unit,
        "item": paper.item_id,
    }
    audit.record_change(
        audit.Kind.PAPER_CHANGED,
        before=before,
        after=after,
        request=request,
        user=acting_user,
        tenant_id=paper.tenant_id,
        paper_id=paper.pk,
        action="updated",
    )
    publish_on_commit(
        _meeting_of(paper).stream,
        "paper.changed",
        {"paper_id": paper.pk},
        audience=_change_audience(paper, item_ids={previous_item_id, paper.item_id}),
    )
    return paper


@transaction.atomic
def do_move_paper(
    paper: Paper, *, offset: int, acting_user: User | None, request: HttpRequest | None = None
) -> list[int]:
    """Move a paper up (-1) or down (1) among its item's papers; returns their ids in the new order.

    The siblings' rows are locked so that two moves at once cannot give two
    papers the same place.
    """
    if offset not in (-1, 1):
        raise Invalid(_("Move a paper up or down by one place."))
    paper = Paper.objects.select_related("meeting").get(pk=paper.pk)
    _require_editable(_meeting_of(paper))
    if paper.withdrawn_at is not None:
        raise WrongState(_("This paper has been withdrawn."))
    siblings = _siblings(paper)
    index = next(i for i, p in enumerate(siblings) if p.pk == paper.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        raise WrongState(
            _("This paper is already first.") if offset < 0 else _("This paper is already last.")
        )
    before = [p.pk for p in siblings]
    siblings[index], siblings[target] = siblings[target], siblings[index]
    audit.record(
        audit.Kind.PAPER_CHANGED,
        request=request,
        user=acting_user,
        tenant_id=paper.tenant_id,
        paper_id=paper.pk,
        action="moved",
        before=before,
        after=[p.pk for p in siblings],
    )
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    publish_on_commit(
        _meeting_of(paper).stream,
        "paper.changed",
        {"paper_id": paper.pk, "order": [p.pk for p in siblings]},
        audience=_change_audience(paper, item_ids={paper.item_id}),
    )
    return [p.pk for p in siblings]


MAX_GRACE_DAYS = 365


def upload_ceiling_mb() -> int:
    """The most a tenant may allow for one paper: the server's ceiling (``ECABINET_MAX_UPLOAD_MB``)."""
    return int(settings.ECABINET_MAX_UPLOAD_MB)


def _whole_number(value: Any, *, low: int, high: int, message: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(message)
    return value


@transaction.atomic
def do_set_paper_settings(
    *, tenant: Tenant, max_upload_mb: int, grace_days: int, acting_user: User | None
) -> PaperSettings:
    """The tenant's largest paper and how long papers stay readable after a meeting closes."""
    ceiling = upload_ceiling_mb()
    max_upload_mb = _whole_number(
        max_upload_mb,
        low=1,
        high=ceiling,
        message=_("The largest paper is a whole number of MB from 1 to %(max)d.") % {"max": ceiling},
    )
    grace_days = _whole_number(
        grace_days,
        low=0,
        high=MAX_GRACE_DAYS,
        message=_("Days of reading after the meeting is a whole number from 0 to %(max)d.")
        % {"max": MAX_GRACE_DAYS},
    )
    found = paper_settings(tenant)
    found = PaperSettings.objects.select_for_update().get(pk=found.pk)
    before = {"max_upload_mb": found.max_upload_mb, "grace_days": found.grace_days}
    found.max_upload_mb = max_upload_mb
    found.grace_days = grace_days
    found.save(update_fields=["max_upload_mb", "grace_days"])
    audit.record_change(
        audit.Kind.RULES_CHANGED,
        before=before,
        after={"max_upload_mb": found.max_upload_mb, "grace_days": found.grace_days},
        user=acting_user,
        tenant=tenant,
        rules="papers",
    )
    return found


# --- opening a reader's copy -----------------------------------------------------------------


class CopyUnavailable(ActionError):
    """The reader's copy could not be made (the kept file missing or unreadable): the server's fault."""

    status = 503
    code = "copy_unavailable"
    default_detail = gettext_lazy(
        "Your copy of this paper could not be prepared. "
        "Try again in a moment; if it still fails, tell the secretariat."
    )


@dataclass(frozen=True)
class OpenedCopy:
    """One open of a paper: the stamped copy that goes out, and the row that says so."""

    copy: StampedCopy
    opened: PaperOpen


def do_open_paper_copy(access: PaperCopyAccess, *, request: HttpRequest | None = None) -> OpenedCopy:
    """The reader's stamped copy, fetched or made now, and one ``PaperOpen`` row with its audit row.

    ``access`` from ``documents.access.access_paper_copy``: the reader is its
    user, the download its ``download``. Stamping runs before the
    transaction, not in it: it can take a moment on a long paper, and on
    SQLite (``BEGIN IMMEDIATE``) a transaction holds the database's one write
    lock from its start. ``stamped_copy`` settles two opens racing for the
    same copy by the unique constraint. The open row and its audit row are
    kept or lost together. Raises ``CopyUnavailable``.
    """
    version, reader = access.version, access.user
    try:
        copy, made_now = stamped_copy(version, reader)
    except (OSError, SandboxFailed) as exc:
        logger.exception(
            "paper %s v%s could not be stamped for user %s", access.paper.pk, version.number, reader.pk
        )
        raise CopyUnavailable() from exc
    ip = audit.client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    with transaction.atomic():
        opened = PaperOpen.objects.create(
            tenant_id=access.paper.tenant_id,
            paper=access.paper,
            version=version,
            reader=reader,
            copy=copy,
            at=timezone.now(),
            downloaded=access.download,
            ip=ip,
            user_agent=user_agent,
        )
        audit.record(
            audit.Kind.PAPER_DOWNLOADED if access.download else audit.Kind.PAPER_OPENED,
            request=request,
            user=reader,
            ip=ip,
            user_agent=user_agent,
            paper=access.paper.pk,
            meeting=access.paper.meeting_id,
            version=version.pk,
            version_number=version.number,
            trace_code=copy.trace_code,
            open=opened.pk,
        )
    if made_now:
        logger.info("paper %s v%s stamped on open for user %s", access.paper.pk, version.number, reader.pk)
    return OpenedCopy(copy=copy, opened=opened)
