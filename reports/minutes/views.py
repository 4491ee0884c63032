"""Pages of the minutes and the conclusion notice: thin, through ``access_record``
and the actions the API calls too.

The secretariat drafts from the session's record, edits the texts in the
browser (per item, the attendance note, the general conclusion), previews the
PDF as it will look, and issues it; the chair reads the draft it will sign.
Once issued, the page shows the signed PDF and no form. The meeting page
lists the issued records (``records_panel``), and every tablet adds the link
the moment one is issued (``record.issued``, static/js/records.js).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecabinet import pdf
from ecabinet.errors import Invalid
from ecabinet.models import User
from ecabinet.pages import attempt as _attempt
from meetings.access import MeetingAccess
from meetings.models import Meeting
from reports.minutes import actions, rendering, selectors
from reports.minutes.access import RecordAccess, access_record
from reports.models import MeetingRecord


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _access(request: HttpRequest, meeting_id: int, kind: str, *, manage: bool = False) -> RecordAccess:
    return access_record(request.user, meeting_id, kind, manage=manage, request=request)


def _record(access: RecordAccess) -> MeetingRecord | None:
    record = (
        MeetingRecord.objects.select_related("document")
        .defer("document__content")
        .filter(meeting=access.meeting, kind=access.kind)
        .first()
    )
    if record is not None and record.status == MeetingRecord.Status.DRAFT and not access.reads_drafts:
        return None
    return record


def _kind_label(kind: str) -> str:
    return str(dict(MeetingRecord.Kind.choices)[kind])


@login_required
@require_GET
def record_list(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _access(request, meeting_id, MeetingRecord.Kind.MINUTES)
    records = {r.kind: r for r in selectors.visible_records(access)}
    rows = [
        {"kind": kind, "label": label, "record": records.get(kind)}
        for kind, label in MeetingRecord.Kind.choices
    ]
    return render(
        request,
        "minutes/record_list.html",
        {
            "meeting": access.meeting,
            "rows": rows,
            "manages": access.manages,
            "may_draft": access.manages and access.meeting.status in actions.DRAFTABLE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    access = _access(request, meeting_id, kind, manage=request.method == "POST")
    record = _record(access)
    if request.method == "POST":
        if record is None:
            raise Http404
        _attempt(
            request,
            lambda: actions.do_update_record(
                record, changes=_changes(request, record), acting_user=_user(request)
            ),
            _("The draft is saved."),
        )
        return redirect("reports:record-detail", meeting_id, kind)
    if record is None and not access.manages:
        raise Http404
    context: dict[str, Any] = {
        "meeting": access.meeting,
        "kind": kind,
        "kind_label": _kind_label(kind),
        "record": record,
        "manages": access.manages,
        "editable": record is not None and record.status == MeetingRecord.Status.DRAFT and access.manages,
        "may_draft": access.manages
        and access.meeting.status in actions.DRAFTABLE
        and (record is None or record.status == MeetingRecord.Status.DRAFT),
        "may_issue": access.manages
        and record is not None
        and record.status == MeetingRecord.Status.DRAFT
        and access.meeting.status == Meeting.Status.CLOSED,
        "item_fields": actions.ITEM_FIELDS[kind],
    }
    if record is not None:
        context["doc"] = rendering.record_context(record)
    return render(request, "minutes/record_detail.html", context)


def _changes(request: HttpRequest, record: MeetingRecord) -> dict[str, Any]:
    """The form's fields as the action's changes: ``item-<id>-<field>`` per item."""
    changes: dict[str, Any] = {f: request.POST.get(f, "") for f in actions.TEXT_FIELDS if f in request.POST}
    items = []
    for entry in record.content.get("items", []):
        values = {
            field: request.POST[f"item-{entry['item_id']}-{field}"]
            for field in actions.ITEM_FIELDS[record.kind]
            if f"item-{entry['item_id']}-{field}" in request.POST
        }
        if values:
            items.append({"item_id": entry["item_id"], **values})
    if items:
        changes["items"] = items
    if not changes:
        raise Invalid(_("Nothing to save."))
    return changes


@login_required
@require_POST
def record_draft(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    access = _access(request, meeting_id, kind, manage=True)
    _attempt(
        request,
        lambda: actions.do_draft_record(access.meeting, kind=kind, acting_user=_user(request)),
        _("The draft is made from the session's record."),
    )
    return redirect("reports:record-detail", meeting_id, kind)


@login_required
@require_POST
def record_issue(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    access = _access(request, meeting_id, kind, manage=True)
    record = _record(access)
    if record is None:
        raise Http404
    _attempt(
        request,
        lambda: actions.do_issue_record(record, acting_user=_user(request)),
        _("Issued and signed. The participants see it now."),
    )
    return redirect("reports:record-detail", meeting_id, kind)


@login_required
@require_GET
def record_preview(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    """The draft as its PDF will look, unsigned and unnumbered; never kept."""
    access = _access(request, meeting_id, kind)
    record = _record(access)
    if record is None or record.status != MeetingRecord.Status.DRAFT or not access.reads_drafts:
        raise Http404
    with translation.override("vi"):
        context = rendering.record_context(record, selectors.refreshed_content(record))
        context["title"] = rendering.document_title(record)
        data = pdf.render_pdf(rendering.TEMPLATES[kind], context | {"number_symbol": _("…/DRAFT")})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{kind}-{meeting_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the meeting page's panel -------------------------------------------------------------


def records_panel(access: MeetingAccess) -> dict[str, Any] | None:
    """The issued minutes and notice on the meeting page, and the way to the drafts."""
    meeting = access.meeting
    if meeting.status == Meeting.Status.DRAFT or access.item_ids is not None:
        return None
    record_access = RecordAccess(access=access, kind=MeetingRecord.Kind.MINUTES)
    # Records are issued once the meeting is closed: the live session page pays no query for them.
    issued = []
    if meeting.status == Meeting.Status.CLOSED:
        issued = [
            {
                "kind": r.kind,
                "label": _kind_label(r.kind),
                "document_id": r.document_id,
                "number": r.document.number_symbol if r.document else "",
            }
            for r in MeetingRecord.objects.filter(meeting=meeting, status=MeetingRecord.Status.ISSUED)
            .select_related("document")
            .defer("document__content")
            .order_by("kind")
        ]
    shows_drafts = record_access.reads_drafts and meeting.status in actions.DRAFTABLE
    if meeting.status not in actions.DRAFTABLE:
        return None
    return {
        "template": "minutes/record_panel.html",
        "script": "js/records.js",
        "context": {
            "meeting_id": meeting.pk,
            "issued": issued,
            "shows_drafts": shows_drafts,
            # kept out of sight in session, so a tablet open since then can show the record once issued
            "hidden": not issued and not shows_drafts and meeting.status != Meeting.Status.CLOSED,
            "labels": {kind: str(label) for kind, label in MeetingRecord.Kind.choices},
        },
    }


def register_records_panel() -> None:
    from meetings.panels import register_panel

    register_panel(records_panel)
