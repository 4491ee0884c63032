"""The secretariat's paper pages: upload, versions, distribution, order, ending reading,
and the tenant's paper settings.

Thin like the meeting console: a form parses, one action writes, the page
redirects and shows the action's refusal as a message. Uploads answer JSON
to ``static/js/upload.js`` (which shows the progress bar) and redirect a
browser without JavaScript. An upload is refused by its Content-Length
before a byte of it is parsed, and stopped by ``SizeLimitHandler`` if the
body runs past the limit all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from documents import actions, forms
from documents.access import PaperAccess, meeting_papers, paper_settings, reading_ends_at
from documents.http import paper_or_response
from documents.models import Paper, PaperVersion
from documents.selectors import paper_readers
from documents.validation import body_too_large, limit_uploads, removed_sentence, too_large
from ecabinet.api import error_body
from ecabinet.errors import ActionError
from ecabinet.pages import attempt as _attempt
from ecabinet.pages import first_error
from ecabinet.pages import submit as _submit
from ecabinet.roles import Capability, TenantCapability, access_tenant
from ecabinet.tenancy import current_tenant
from meetings.access import MeetingAccess, access_meeting
from meetings.forms import MoveForm
from meetings.models import AgendaItem, Meeting, Participant

# --- helpers ----------------------------------------------------------------------


def _editing(request: HttpRequest, meeting_id: int) -> MeetingAccess:
    return access_meeting(request.user, meeting_id, capability=Capability.EDIT_MEETING, request=request)


def _paper(request: HttpRequest, paper_id: int) -> PaperAccess:
    found = paper_or_response(request, paper_id, editing=True)
    if isinstance(found, HttpResponse):  # reading never ends for the secretariat
        raise PermissionDenied
    return found


def papers_url(meeting_id: int) -> str:
    return reverse("documents:papers-manage", args=[meeting_id])


def paper_url(paper_id: int) -> str:
    return reverse("documents:paper-manage", args=[paper_id])


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _upload_labels(limit_mb: int) -> dict[str, str]:
    """Words upload.js shows, in the person's language."""
    return {
        "sending": _("Uploading… %(percent)s%%"),
        "checking": _("Checking the paper…"),
        "too_large": _("The file is larger than this tenant's limit of %(mb)d MB. Compress it or split it.")
        % {"mb": limit_mb},
        "not_pdf": _("This file is not a PDF. Export it to PDF (File → Save as → PDF) and upload that."),
        "failed": _("The upload did not finish. Check the connection and try again."),
    }


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))


def _people(meeting: Meeting) -> list[Any]:
    """The meeting's participants' users, in the order of the participants list."""
    participants = Participant.objects.filter(meeting=meeting).select_related("user").order_by("role", "id")
    return [p.user for p in participants]


# --- the meeting's papers ---------------------------------------------------------------


@login_required
@require_GET
def papers_manage(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Every paper of the meeting by agenda item, the upload form and reading's end."""
    access = _editing(request, meeting_id)
    meeting = access.meeting
    items = _items(meeting)
    papers = list(
        Paper.objects.filter(meeting=meeting)
        .select_related("current_version")
        .annotate(named=Count("paperuserobjectpermission", filter=Q(restricted=True)))
        .order_by("position", "id")
    )
    groups: list[dict[str, Any]] = []
    for item in [*items, None]:
        item_id = item.pk if item is not None else None
        current = [p for p in papers if p.item_id == item_id and p.withdrawn_at is None]
        groups.append({"item": item, "papers": current})
    withdrawn = [p for p in papers if p.withdrawn_at is not None]
    state = meeting_papers(meeting)
    upload = forms.PaperUploadForm(initial={"item": items[0].pk if items else ""})
    upload.set_items(items)
    upload.set_people(_people(meeting))
    limit_mb = paper_settings(meeting.tenant_id).max_upload_mb
    return render(
        request,
        "documents/manage_papers.html",
        {
            "meeting": meeting,
            "groups": groups,
            "withdrawn": withdrawn,
            "upload": upload,
            "limit_mb": limit_mb,
            "limit_bytes": limit_mb * 1024 * 1024,
            "upload_labels": _upload_labels(limit_mb),
            "state": state,
            "ends_at": reading_ends_at(meeting, state),
            "editable": meeting.status != Meeting.Status.CLOSED,
        },
    )


def _upload_refused(
    request: HttpRequest, access: MeetingAccess, *, detail: str, status: int, back: str
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            error_body("paper_refused", detail), status=status, json_dumps_params={"ensure_ascii": False}
        )
    messages.error(request, detail)
    return redirect(back)


def _guarded_upload(
    view: Callable[[HttpRequest, Any, int], HttpResponse],
    target: Callable[[HttpRequest, int], tuple[MeetingAccess, str]],
) -> Callable[..., HttpResponse]:
    """An upload view: access first, then the body's length, then CSRF and the body.

    CSRF's check reads the form, so it runs after the size limit is in place
    (Django's "modifying upload handlers on the fly").
    """

    protected = csrf_protect(view)

    @csrf_exempt
    @login_required
    @require_POST
    def guarded(request: HttpRequest, **kwargs: int) -> HttpResponse:
        object_id = next(iter(kwargs.values()))
        access, back = target(request, object_id)
        limit = actions.upload_limit_bytes(access.meeting.tenant_id)
        if body_too_large(request, limit_bytes=limit):
            actions.record_refused_upload(
                access.meeting,
                reason="too_large",
                title="",
                file_name="",
                acting_user=access.user,
                request=request,
            )
            return _upload_refused(
                request, access, detail=str(too_large(limit).detail), status=413, back=back
            )
        handler = limit_uploads(request, limit_bytes=limit)
        request.upload_limit = handler  # type: ignore[attr-defined]
        return protected(request, access, object_id)

    return guarded


def _upload_outcome(
    request: HttpRequest,
    access: MeetingAccess,
    form: Any,
    write: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    back: str,
    success: Callable[[Any], str],
) -> HttpResponse:
    handler = request.upload_limit  # type: ignore[attr-defined]
    limit = handler.limit_bytes
    if handler.too_large:
        actions.record_refused_upload(
            access.meeting,
            reason="too_large",
            title=str(request.POST.get("title", "")),
            file_name="",
            acting_user=access.user,
            request=request,
        )
        return _upload_refused(request, access, detail=str(too_large(limit).detail), status=413, back=back)
    if not form.is_valid():
        return _upload_refused(request, access, detail=first_error(form), status=400, back=back)
    try:
        result = write(form.cleaned_data)
    except ActionError as exc:
        return _upload_refused(request, access, detail=str(exc.detail), status=exc.status, back=back)
    url = success(result)
    version = result.current_version if isinstance(result, Paper) else result
    removed = removed_sentence(version.removed if version is not None else None)
    if removed:
        done = f"{done} {removed}"
    messages.success(request, done)  # shown by the page the browser goes to next
    if _wants_json(request):
        return JsonResponse({"redirect": url, "message": done}, json_dumps_params={"ensure_ascii": False})
    return redirect(url)


def _meeting_target(request: HttpRequest, meeting_id: int) -> tuple[MeetingAccess, str]:
    return _editing(request, meeting_id), papers_url(meeting_id)


def _paper_target(request: HttpRequest, paper_id: int) -> tuple[MeetingAccess, str]:
    return _paper(request, paper_id).meeting, paper_url(paper_id)


def _upload(request: HttpRequest, access: MeetingAccess, meeting_id: int) -> HttpResponse:
    meeting = access.meeting
    form = forms.PaperUploadForm(request.POST, request.FILES)
    form.set_items(_items(meeting))
    form.set_people(_people(meeting))

    def write(data: dict[str, Any]) -> Paper:
        return actions.do_upload_paper(
            meeting,
            upload=data["file"],
            title=data["title"],
            kind=data["kind"],
            presenting_unit=data["presenting_unit"],
            item=data["item"],
            restricted=data["restricted"],
            recipients=data["recipients"],
            downloadable=data["downloadable"],
            declared_secret=data["declared_secret"],
            confirmed_unreadable=data["confirmed_unreadable"],
            acting_user=access.user,
            request=request,
        )

    return _upload_outcome(
        request,
        access,
        form,
        write,
        done=(
            _("The paper is uploaded. Its readers receive it when the meeting is published.")
            if meeting.status == Meeting.Status.DRAFT
            else _("The paper is uploaded and sent to its readers.")
        ),
        back=papers_url(meeting_id),
        success=lambda paper: papers_url(meeting_id) + f"#paper-{paper.pk}",
    )


paper_upload = _guarded_upload(_upload, _meeting_target)


@login_required
@require_POST
def papers_end_reading(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    _attempt(
        request,
        lambda: actions.do_end_reading(access.meeting, acting_user=access.user, request=request),
        _("Reading has ended: only the secretariat and the chair can open these papers now."),
    )
    return redirect(papers_url(meeting_id))


# --- one paper ------------------------------------------------------------------------


@login_required
@require_GET
def paper_manage(request: HttpRequest, paper_id: int) -> HttpResponse:
    """One paper for the secretariat: every version, who receives it, and its forms."""
    access = _paper(request, paper_id)
    paper = access.paper
    meeting = access.meeting.meeting
    items = _items(meeting)
    people = _people(meeting)
    versions = list(
        PaperVersion.objects.filter(paper=paper).select_related("uploaded_by").order_by("-number")
    )
    for version in versions:
        version.safety_note = removed_sentence(version.removed)  # type: ignore[attr-defined]
    named = actions.recipient_ids(paper) if paper.restricted else []
    details = forms.PaperDetailsForm(
        initial={
            "title": paper.title,
            "kind": paper.kind,
            "presenting_unit": paper.presenting_unit,
            "item": paper.item_id or "",
        }
    )
    details.set_items(items)
    distribution = forms.DistributionForm(
        initial={"restricted": paper.restricted, "recipients": named, "downloadable": paper.downloadable}
    )
    distribution.set_people(people)
    limit_mb = paper_settings(meeting.tenant_id).max_upload_mb
    return render(
        request,
        "documents/manage_paper.html",
        {
            "meeting": meeting,
            "paper": paper,
            "versions": versions,
            "readers": paper_readers(paper) if paper.withdrawn_at is None else [],
            "details": details,
            "replace": forms.PaperReplaceForm(),
            "distribution": distribution,
            "limit_mb": limit_mb,
            "limit_bytes": limit_mb * 1024 * 1024,
            "upload_labels": _upload_labels(limit_mb),
            "editable": meeting.status != Meeting.Status.CLOSED and paper.withdrawn_at is None,
        },
    )


def _replace(request: HttpRequest, access: MeetingAccess, paper_id: int) -> HttpResponse:
    paper = Paper.objects.select_related("meeting").get(pk=paper_id)
    form = forms.PaperReplaceForm(request.POST, request.FILES)

    def write(data: dict[str, Any]) -> PaperVersion:
        return actions.do_replace_paper(
            paper,
            upload=data["file"],
            change_note=data["change_note"],
            declared_secret=data["declared_secret"],
            confirmed_unreadable=data["confirmed_unreadable"],
            acting_user=access.user,
            request=request,
        )

    return _upload_outcome(
        request,
        access,
        form,
        write,
        done=(
            _("The new version is uploaded. Its readers receive it when the meeting is published.")
            if paper.meeting is not None and paper.meeting.status == Meeting.Status.DRAFT
            else _("The new version is uploaded; readers get it from now on.")
        ),
        back=paper_url(paper_id),
        success=lambda version: paper_url(paper_id),
    )


paper_replace = _guarded_upload(_replace, _paper_target)


@login_required
@require_POST
def paper_details(request: HttpRequest, paper_id: int) -> HttpResponse:
    access = _paper(request, paper_id)
    form = forms.PaperDetailsForm(request.POST)
    form.set_items(_items(access.meeting.meeting))
    _submit(
        request,
        form,
        lambda data: actions.do_update_paper(
            access.paper, changes=data, acting_user=access.user, request=request
        ),
        _("The paper is saved."),
    )
    return redirect(paper_url(paper_id))


@login_required
@require_POST
def paper_distribution(request: HttpRequest, paper_id: int) -> HttpResponse:
    access = _paper(request, paper_id)
    form = forms.DistributionForm(request.POST)
    form.set_people(_people(access.meeting.meeting))
    _submit(
        request,
        form,
        lambda data: actions.do_set_distribution(
            access.paper,
            restricted=data["restricted"],
            recipients=data["recipients"],
            downloadable=data["downloadable"],
            acting_user=access.user,
            request=request,
        ),
        _("Who receives the paper is saved."),
    )
    return redirect(paper_url(paper_id) + "#distribution")


@login_required
@require_POST
def paper_move(request: HttpRequest, paper_id: int) -> HttpResponse:
    access = _paper(request, paper_id)
    form = MoveForm(request.POST)
    _submit(
        request,
        form,
        lambda data: actions.do_move_paper(
            access.paper, offset=form.offset, acting_user=access.user, request=request
        ),
        _("The order of the papers is saved."),
    )
    return redirect(papers_url(access.meeting.meeting.pk) + f"#paper-{paper_id}")


@login_required
@require_POST
def paper_withdraw(request: HttpRequest, paper_id: int) -> HttpResponse:
    access = _paper(request, paper_id)
    _attempt(
        request,
        lambda: actions.do_withdraw_paper(access.paper, acting_user=access.user, request=request),
        _("The paper is withdrawn: nobody receives it any more; its versions stay in the record."),
    )
    return redirect(papers_url(access.meeting.meeting.pk))


# --- the tenant's settings --------------------------------------------------------------


@login_required
def paper_settings_page(request: HttpRequest) -> HttpResponse:
    """The secretariat sets its tenant's largest paper and the days of reading after a meeting."""
    user = access_tenant(request.user, TenantCapability.SET_RULES, request=request).user
    tenant = current_tenant()
    if request.method == "POST":
        _submit(
            request,
            forms.PaperSettingsForm(request.POST),
            lambda data: actions.do_set_paper_settings(tenant=tenant, acting_user=user, **data),  # type: ignore[arg-type]
            _("The paper settings are saved."),
        )
        return redirect("documents:paper-settings")
    found = paper_settings(tenant)
    form = forms.PaperSettingsForm(
        initial={"max_upload_mb": found.max_upload_mb, "grace_days": found.grace_days}
    )
    return render(request, "documents/manage_settings.html", {"form": form, "settings": found})


P = "papers/<int:paper_id>/manage/"
M = "meetings/<int:meeting_id>/papers/manage/"

urlpatterns = [
    path("meetings/rules/papers/", paper_settings_page, name="paper-settings"),
    path(M, papers_manage, name="papers-manage"),
    path(M + "upload/", paper_upload, name="paper-upload"),
    path(M + "end-reading/", papers_end_reading, name="papers-end-reading"),
    path(P, paper_manage, name="paper-manage"),
    path(P + "replace/", paper_replace, name="paper-replace"),
    path(P + "details/", paper_details, name="paper-details"),
    path(P + "distribution/", paper_distribution, name="paper-distribution"),
    path(P + "move/", paper_move, name="paper-move"),
    path(P + "withdraw/", paper_withdraw, name="paper-withdraw"),
]
