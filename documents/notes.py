"""A member's notes on a paper: writes and reads.

A note belongs to its author and to one page of a paper, optionally to a
region of that page. Only the author sees it, unless they share it with the
meeting's participants who receive the paper. Notes are written on a version
but belong to the paper: when a new version arrives they follow the member
to it, and a note whose page changed (its digest differs, or the page is
gone) is flagged so that the member reads the page again. Every note event
carries only ids and goes to those who may see the note; the others get a
redacted frame.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, TypedDict

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from documents.access import PaperAccess
from documents.models import Paper, PaperNote, PaperVersion
from documents.selectors import paper_readers
from ecabinet.errors import Invalid, NotAllowed, NotFound
from ecabinet.models import User
from ecabinet.realtime import publish_on_commit
from ecabinet.shapes import DATETIME, Doc, Range
from meetings.access import MAX_ID

MAX_TEXT = 5000
REGION_KEYS = ("x", "y", "w", "h")
# A region drawn to the page's very edge may round a hair past 1.
EDGE = 1e-6


class Unset:
    """An argument not given (``None`` is a value: no region)."""


UNSET = Unset()


# --- input --------------------------------------------------------------------------


def clean_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_("Write the note."))
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise Invalid(_("A note has at most %(limit)d characters.") % {"limit": MAX_TEXT})
    return text


def clean_page(page: Any, version: PaperVersion) -> int:
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= version.page_count:
        raise Invalid(
            _("Choose a page from 1 to %(count)d.") % {"count": version.page_count},
        )
    return page


def clean_region(region: Any) -> dict[str, float] | None:
    """``None``, or ``{"x", "y", "w", "h"}``: fractions of the page from its top left corner."""
    if region is None:
        return None
    message = _("A highlighted region is x, y, width and height, each between 0 and 1, inside the page.")
    if not isinstance(region, dict) or set(region) != set(REGION_KEYS):
        raise Invalid(message)
    values: dict[str, float] = {}
    for key in REGION_KEYS:
        value = region[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise Invalid(message)
        values[key] = round(float(value), 4)
    if not (
        0 <= values["x"] <= 1 and 0 <= values["y"] <= 1 and 0 < values["w"] <= 1 and 0 < values["h"] <= 1
    ):
        raise Invalid(message)
    if values["x"] + values["w"] > 1 + EDGE or values["y"] + values["h"] > 1 + EDGE:
        raise Invalid(message)
    return values


def clean_shared(shared: Any) -> bool:
    if not isinstance(shared, bool):
        raise Invalid(_("Say whether the note is shared: true or false."))
    return shared


# --- who sees what ------------------------------------------------------------------


def sees_shared_notes(access: PaperAccess) -> bool:
    """The meeting's participants who receive the paper read its shared notes.

    ``access_paper`` has already checked that a reader receives the paper;
    the secretariat reads every paper but, unless it takes part in the
    meeting, not the members' notes.
    """
    return access.meeting.participant is not None


def _may_share(access: PaperAccess) -> None:
    if not sees_shared_notes(access):
        raise NotAllowed(_("Only the meeting's participants can share a note."))


def note_audience(note: PaperNote, paper: Paper) -> dict[str, Any]:
    """Who may see an event of this note: its author; for a shared note, the readers too."""
    users = {note.author_id}
    if note.shared:
        users |= {reader.pk for reader in paper_readers(paper)}
    return {"users": sorted(users)}


def _publish(note: PaperNote, paper: Paper, type: str, *, also: dict[str, Any] | None = None) -> None:
    audience = note_audience(note, paper)
    if also is not None:
        audience = {"users": sorted(set(audience["users"]) | set(also["users"]))}
    if paper.meeting is None:  # notes are a meeting's; access_paper refuses the others
        return
    publish_on_commit(
        paper.meeting.stream,
        type,
        {"paper_id": paper.pk, "note_id": note.pk},
        audience=audience,
    )


def visible_notes_query(access: PaperAccess) -> QuerySet[PaperNote]:
    seen = Q(author=access.user)
    if sees_shared_notes(access):
        seen |= Q(shared=True)
    return PaperNote.objects.filter(paper=access.paper).filter(seen)


def access_note(access: PaperAccess, note_id: Any, *, editing: bool = False) -> PaperNote:
    """A note of this paper the user may see (``editing``: their own); NotFound otherwise."""
    if not isinstance(note_id, int) or isinstance(note_id, bool) or not 0 < note_id <= MAX_ID:
        raise NotFound()
    notes = visible_notes_query(access)
    if editing:
        notes = notes.filter(author=access.user)
    note = notes.select_related("version").filter(pk=note_id).first()
    if note is None:
        raise NotFound()
    return note


def page_changed(note: PaperNote, current: PaperVersion | None) -> bool:
    """Whether the page the note was written on is not the same in the current version."""
    if current is None or note.version_id == current.pk:
        return False
    if note.page > current.page_count:
        return True
    digests = current.page_digests or []
    if note.page > len(digests) or not note.page_digest:
        return True
    return bool(digests[note.page - 1] != note.page_digest)


class NoteRegionShape(TypedDict):
    """Fractions of the page from its top left corner."""

    x: Annotated[float, Range(0, 1)]
    y: Annotated[float, Range(0, 1)]
    w: Annotated[float, Range(0, 1)]
    h: Annotated[float, Range(0, 1)]


class NoteShape(TypedDict):
    id: int
    paper_id: int
    page: int
    region: Annotated[NoteRegionShape | None, Doc("Fractions of the page from its top left corner.")]
    text: str
    shared: bool
    mine: bool
    author_name: str
    version: Annotated[int, Doc("The version the note was last written on.")]
    page_changed: Annotated[bool, Doc("The page differs in the current version.")]
    page_missing: Annotated[bool, Doc("The current version has no such page.")]
    created_at: Annotated[datetime, DATETIME]
    updated_at: Annotated[datetime, DATETIME]


class NoteListShape(TypedDict):
    notes: list[NoteShape]


class NoteResultShape(TypedDict):
    note: NoteShape


def note_payload(note: PaperNote, *, viewer_id: int, current: PaperVersion | None) -> NoteShape:
    author = note.author
    return {
        "id": note.pk,
        "paper_id": note.paper_id,
        "page": note.page,
        "region": note.region,
        "text": note.text,
        "shared": note.shared,
        "mine": note.author_id == viewer_id,
        "author_name": author.full_name or author.username,
        "version": note.version.number,
        "page_changed": page_changed(note, current),
        "page_missing": current is not None and note.page > current.page_count,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def visible_notes(access: PaperAccess) -> list[NoteShape]:
    """The notes this user sees on the paper: their own, and shared ones where they may. One query."""
    notes = (
        visible_notes_query(access).select_related("author", "version").order_by("page", "created_at", "id")
    )
    current = access.version
    return [note_payload(note, viewer_id=access.user.pk, current=current) for note in notes]


# --- writes -------------------------------------------------------------------------


def _digest(version: PaperVersion, page: int) -> str:
    digests = version.page_digests or []
    return str(digests[page - 1]) if page <= len(digests) else ""


@transaction.atomic
def do_add_note(
    access: PaperAccess,
    *,
    page: int,
    text: str,
    region: dict[str, float] | None = None,
    shared: bool = False,
    acting_user: User,
) -> PaperNote:
    """A new note on a page of the current version."""
    version = access.version
    if version is None:
        raise NotFound()
    page = clean_page(page, version)
    text = clean_text(text)
    region = clean_region(region)
    shared = clean_shared(shared)
    if shared:
        _may_share(access)
    paper = access.paper
    note = PaperNote.objects.create(
        tenant_id=paper.tenant_id,
        paper=paper,
        version=version,
        author=acting_user,
        page=page,
        region=region,
        text=text,
        shared=shared,
        page_digest=_digest(version, page),
    )
    _publish(note, paper, "note.added")
    return note


@transaction.atomic
def do_edit_note(
    note: PaperNote,
    access: PaperAccess,
    *,
    text: str | Unset = UNSET,
    region: dict[str, float] | Unset | None = UNSET,
    shared: bool | Unset = UNSET,
    page: int | Unset = UNSET,
    acting_user: User,
) -> PaperNote:
    """Change the author's own note.

    An edit is made on the current version: the note moves to it, and the
    "page changed" flag clears, since the member has read the page again.
    """
    note = PaperNote.objects.select_for_update().get(pk=note.pk)
    if note.author_id != acting_user.pk:
        raise NotFound()
    version = access.version
    if version is None:
        raise NotFound()
    before = note_audience(note, access.paper) if note.shared else None
    if text is not UNSET:
        note.text = clean_text(text)
    if region is not UNSET:
        note.region = clean_region(region)
    if shared is not UNSET:
        note.shared = clean_shared(shared)
        if note.shared:
            _may_share(access)
    if page is not UNSET:
        note.page = clean_page(page, version)
    elif note.page > version.page_count:
        raise Invalid(_("That page is no longer in the paper: choose a page for the note."))
    note.version = version
    note.page_digest = _digest(version, note.page)
    note.save()
    # Unsharing tells those who saw it, so that their tablets drop it.
    _publish(note, access.paper, "note.changed", also=before)
    return note


@transaction.atomic
def do_delete_note(note: PaperNote, access: PaperAccess, *, acting_user: User) -> None:
    note = PaperNote.objects.select_for_update().get(pk=note.pk)
    if note.author_id != acting_user.pk:
        raise NotFound()
    audience_note = PaperNote(pk=note.pk, author_id=note.author_id, shared=note.shared)
    note.delete()
    _publish(audience_note, access.paper, "note.removed")
