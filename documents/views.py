"""The tablet's pages for papers: the reader, and the reading report.

The reader shows the current version of a paper, stamped for its reader,
inside the page with PDF.js (``static/js/reader.js``), with thumbnails,
jump to page, the next and previous paper of the item, the reader's notes,
and a live "updated" banner from the meeting's stream. The file itself comes
from a short-lived signed link (``documents.serving.signed_link``), checked
again on every request. The reading report pages are the secretariat's and
the chair's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from documents import reading
from documents.access import OwnedPaperAccess, PaperAccess, readable_papers
from documents.http import any_paper_or_response
from documents.models import PaperOpen
from documents.notes import MAX_TEXT, sees_shared_notes, visible_notes
from ecabinet.roles import Capability
from meetings.models import SpeakRequest
from meetings.panels import READER, panels_for


def _reader_labels() -> dict[str, Any]:
    """Words the reader's JavaScript writes, in the person's language."""
    return {
        "loading": _("Opening the paper…"),
        "failed": _(
            "The paper could not be shown. Check the connection and open it again; "
            "if it still fails, ask the secretariat."
        ),
        "expired": _("The link to this paper has expired. Open the paper again."),
        "page_of": _("Page %(page)s of %(count)s"),
        "updated": _(
            "This paper was updated at %(time)s: version %(version)s, "
            "%(pages)s pages (was %(previous_pages)s)."
        ),
        "updated_note": _("What changed: %(note)s"),
        "removed": _("The secretariat has withdrawn this paper."),
        "changed_access": _(
            "Who receives this paper has changed. Open it again to see if you still have it."
        ),
        "reading_ended": _("Reading of this meeting's papers has ended."),
        "notes_on_page": _("Notes on page %(page)s"),
        "no_notes": _("No notes on this page."),
        "shared": _("Shared"),
        "private": _("Only you"),
        "page_changed": _("This page changed in the new version: read it again."),
        "page_missing": _("The new version has no page %(page)s."),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "share": _("Share with the participants"),
        "unshare": _("Make private"),
        "confirm_delete": _("Delete this note?"),
        "region_marked": _("A region of the page is marked."),
        "mark_region": _("Mark a region"),
        "marking": _("Draw on the page…"),
        "clear_region": _("Remove the region"),
        "offline": _("No connection to the server. Wait until it is back and try again."),
        "written_on": _("written on version %(version)s"),
        "note_on_region": _("Note on a marked region"),
        "notes_count": _("%(count)s notes"),
    }


def _neighbours(access: PaperAccess) -> tuple[dict[str, Any] | None, dict[str, Any] | None, int, int]:
    """The previous and next paper of the same item that this user receives, and this one's place."""
    paper = access.paper
    siblings = [
        {"id": pk, "title": title}
        for pk, title in readable_papers(access.meeting)
        .filter(item_id=paper.item_id)
        .order_by("position", "id")
        .values_list("id", "title")
    ]
    index = next((i for i, s in enumerate(siblings) if s["id"] == paper.pk), None)
    if index is None:  # the secretariat reading a paper readers no longer get
        return None, None, 0, len(siblings)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following, index + 1, len(siblings)


@login_required
@require_GET
def paper_reader(request: HttpRequest, paper_id: int) -> HttpResponse:
    """The reader: one paper, inside the page, on the tablet."""
    from documents.serving import signed_link

    found = any_paper_or_response(request, paper_id)
    if isinstance(found, HttpResponse):
        return found
    if isinstance(found, OwnedPaperAccess):
        # A paper without a meeting (an opinion slip's) has no meeting's
        # reader around it (neighbours, notes, reports): it opens as the
        # reader's stamped copy, behind a fresh signed link.
        if found.version is None:
            raise Http404
        return redirect(signed_link(found))
    access = found
    version = access.version
    if version is None:
        raise Http404

    paper = access.paper
    meeting = access.meeting.meeting
    previous, following, place, siblings = _neighbours(access)
    last_read = (
        PaperOpen.objects.filter(paper=paper, reader=access.user)
        .order_by("-at", "-id")
        .values_list("version__number", flat=True)
        .first()
    )
    file_url = signed_link(access)
    context = {
        "access": access,
        "paper": paper,
        "version": version,
        "meeting": meeting,
        "item": paper.item if paper.item_id else None,
        "file_url": file_url,
        "download_url": signed_link(access, download=True) if access.can_download else None,
        "previous": previous,
        "following": following,
        "place": place,
        "siblings": siblings,
        "pages": range(1, version.page_count + 1),
        "updated_since_read": last_read is not None and last_read < version.number,
        "last_read_version": last_read,
        "notes": visible_notes(access),
        "can_share": sees_shared_notes(access),
        "can_report": reading.sees_reading_report(access.meeting),
        "labels": _reader_labels(),
        "panels": panels_for(access.meeting, on=READER),
        "config": {
            "paper_id": paper.pk,
            "version": version.number,
            "page_count": version.page_count,
            "file_url": file_url,
            "pdfjs_url": static("vendor/pdfjs/pdf.min.mjs"),
            "worker_url": static("vendor/pdfjs/pdf.worker.min.mjs"),
            "notes_url": reverse("documents_api:paper-notes", args=[paper.pk]),
            "max_note": MAX_TEXT,
            "user_id": request.user.pk,
            "participant_id": access.meeting.participant.pk if access.meeting.participant else None,
        },
        "has_floor": _has_floor(access),
    }
    return render(request, "documents/reader.html", context)


def _has_floor(access: PaperAccess) -> bool:
    """Whether the reader is speaking now: the reader says so, with the way back to the session."""
    participant = access.meeting.participant
    return participant is not None and (
        SpeakRequest.objects.filter(participant=participant, status=SpeakRequest.Status.SPEAKING).exists()
    )


@login_required
@require_GET
def meeting_reading(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Before the session: which participant has not opened which paper."""
    access = reading.access_meeting_report(request.user, meeting_id, request=request)
    summary = reading.meeting_reading(access)
    return render(
        request,
        "documents/reading_meeting.html",
        {
            "meeting": access.meeting,
            "summary": summary,
            "can_edit": access.allows(Capability.EDIT_MEETING),
        },
    )


@login_required
@require_GET
def paper_reading(request: HttpRequest, paper_id: int) -> HttpResponse:
    """One paper: who receives it, who has opened it, when, which version."""
    access = reading.access_paper_report(request.user, paper_id, request=request)
    rows = reading.paper_reading(access)
    opened = sum(1 for row in rows if row.receives and row.status == reading.OPENED)
    receivers = sum(1 for row in rows if row.receives)
    return render(
        request,
        "documents/reading_paper.html",
        {
            "paper": access.paper,
            "version": access.version,
            "meeting": access.meeting.meeting,
            "rows": rows,
            "opened": opened,
            "receivers": receivers,
        },
    )


urlpatterns = [
    path("papers/<int:paper_id>/", paper_reader, name="paper-reader"),
    path("papers/<int:paper_id>/reading/", paper_reading, name="paper-reading"),
    path("meetings/<int:meeting_id>/papers/reading/", meeting_reading, name="meeting-papers-reading"),
]
