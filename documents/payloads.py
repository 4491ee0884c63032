"""The shapes of papers in events and API answers (``ecabinet.shapes``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, NotRequired, TypedDict

from documents.models import Paper
from ecabinet.shapes import DATETIME, Doc, Enum

MaybeTime = Annotated[datetime | None, DATETIME]


class PaperPayloadShape(TypedDict):
    """A paper as a tablet lists it (the current version only), as its events carry it."""

    id: int
    item_id: Annotated[int | None, Doc("Null: a paper of the whole meeting.")]
    title: str
    kind: Annotated[str, Enum(Paper.Kind, "PaperKind")]
    kind_label: str
    presenting_unit: str
    page_count: int
    position: Annotated[int, Doc("Order among the papers of the same item.")]
    version: Annotated[int | None, Doc("The current version's number.")]
    updated_at: MaybeTime
    change_note: Annotated[str, Doc("What changed in the current version.")]
    restricted: Annotated[bool, Doc("Only for named people.")]
    downloadable: bool


class PaperEntryShape(PaperPayloadShape):
    available: Annotated[bool, Doc("False once reading has ended for this user.")]
    withdrawn_at: Annotated[datetime | None, DATETIME, Doc("Only the secretariat sees withdrawn papers.")]


class PaperVersionShape(TypedDict):
    number: int
    uploaded_at: Annotated[datetime, DATETIME]
    uploaded_by_id: int | None
    uploaded_by_name: str
    page_count: int
    size: Annotated[int, Doc("Bytes.")]
    sha256: str
    original_name: str
    change_note: str
    removed_for_safety: Annotated[
        list[str],
        Doc(
            "What eCabinet took out of the upload before keeping it: javascript, open_action, "
            "automatic_actions, launch, submit_form, embedded_files, xfa, media…; empty when nothing."
        ),
    ]
    removed_files: Annotated[list[str], Doc("The names of the attached files taken out.")]
    unreadable_pages: Annotated[
        list[int], Doc("Pages that were pictures eCabinet could not read, kept on the uploader's word.")
    ]
    current: bool
    link: Annotated[str, Doc("A short-lived signed link to the secretariat's stamped copy.")]


class PaperDetailShape(PaperEntryShape):
    link: Annotated[
        str | None, Doc("A short-lived signed link to this user's stamped copy of the current version.")
    ]
    download_link: Annotated[str | None, Doc("The same, as an attachment, where allowed.")]
    can_download: bool
    can_edit: bool
    versions: NotRequired[Annotated[list[PaperVersionShape], Doc("Every version; the secretariat only.")]]
    recipient_ids: NotRequired[Annotated[list[int], Doc("Named recipients; the secretariat only.")]]


class PaperResultShape(TypedDict):
    paper: PaperDetailShape


class PaperOrderShape(TypedDict):
    order: Annotated[list[int], Doc("Paper ids of the item, in order.")]


class ReadingShape(TypedDict):
    meeting_id: int
    ended_at: Annotated[datetime, DATETIME]


class PaperSettingsShape(TypedDict):
    max_upload_mb: int
    grace_days: int


def paper_payload(paper: Paper) -> PaperPayloadShape:
    """A paper as a tablet lists it (the current version only)."""
    version = paper.current_version
    return {
        "id": paper.pk,
        "item_id": paper.item_id,
        "title": paper.title,
        "kind": paper.kind,
        "kind_label": str(paper.get_kind_display()),
        "presenting_unit": paper.presenting_unit,
        "page_count": paper.page_count,
        "position": paper.position,
        "version": version.number if version else None,
        "updated_at": paper.updated_at,
        "change_note": version.change_note if version else "",
        "restricted": paper.restricted,
        "downloadable": paper.downloadable,
    }


def paper_audience(paper: Paper, *, recipient_ids: list[int]) -> dict[str, Any] | None:
    """Who may see an event about this paper: those who see its item and receive it.

    A restricted paper's events go to its recipients and the secretariat;
    everyone else gets a redacted frame with the same number.
    """
    audience: dict[str, Any] = {}
    if paper.item_id is not None:
        audience["item"] = paper.item_id
    if paper.restricted:
        audience["capability"] = "edit_meeting"
        audience["users"] = sorted(recipient_ids)
    return audience or None


def paper_entry(paper: Paper, *, available: bool) -> PaperEntryShape:
    """A paper as the papers list answers it: its payload, whether it may still be read, and
    (for the secretariat, who sees withdrawn papers) when it was withdrawn."""
    return {**paper_payload(paper), "available": available, "withdrawn_at": paper.withdrawn_at}
