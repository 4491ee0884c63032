"""Voting pages: thin, through the same access checks and actions as the API.

The member's tablet: positions before the session, the slips they are asked
on (with reminders) and their answer. The chair: the positions as they come
in and the consent list. The secretariat: the cutoff, issuing slips, who
answered, the consolidated result, closing early. Ballots live on the meeting
page (``voting.panels``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from documents.validation import removed_sentence
from ecabinet.errors import NotAllowed
from ecabinet.models import User
from ecabinet.pages import attempt as _attempt
from ecabinet.pages import first_error
from ecabinet.pages import submit as _submit
from ecabinet.roles import Capability, TenantCapability, access_tenant
from ecabinet.tenancy import current_tenant
from meetings.access import MeetingAccess, access_item, access_meeting
from meetings.models import AgendaItem
from meetings.selectors import directory
from voting import actions, forms
from voting.access import SlipAccess, access_slip, manages_slips
from voting.models import Position, SlipAnswer
from voting.selectors import positions_state, reminders_for, slip_list_for_user, slip_rows, slip_state


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _meeting(
    request: HttpRequest, meeting_id: int, capability: Capability = Capability.VIEW_MEETING
) -> MeetingAccess:
    return access_meeting(request.user, meeting_id, capability=capability, request=request)


def _slip(request: HttpRequest, slip_id: int, *, manage: bool = False) -> SlipAccess:
    return access_slip(request.user, slip_id, manage=manage, request=request)


# --- positions and the consent list -----------------------------------------------------------


@login_required
@require_GET
def positions(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _meeting(request, meeting_id)
    state = positions_state(access)
    items = [
        i
        for i in AgendaItem.objects.filter(meeting=access.meeting).order_by("position", "id")
        if access.sees_item(i.pk)
    ]
    for item in items:
        item.mine = state["mine"].get(item.pk)  # type: ignore[attr-defined]
    context = {
        "meeting": access.meeting,
        "state": state,
        "items": items,
        "kinds": Position.Kind.choices,
        # the live table names positions by code in the reader's language
        "kind_labels": {code: str(label) for code, label in Position.Kind.choices},
        "can_set_cutoff": access.allows(Capability.EDIT_MEETING)
        and access.meeting.status in ("draft", "published"),
        "runs_session": access.runs_session,
        "cutoff_form": forms.CutoffForm(),
        "cutoff_at": round_.cutoff if (round_ := actions.position_round(access.meeting)) else None,
    }
    return render(request, "voting/positions.html", context)


@login_required
@require_POST
def position_give(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _meeting(request, meeting_id, Capability.VOTE)
    form = forms.PositionForm(request.POST)

    def write(data: dict[str, Any]) -> Any:
        item = access_item(access, data["item_id"])
        if access.participant is None:
            raise NotAllowed(_("Only members of the meeting give positions."))
        return actions.do_give_position(
            item, participant=access.participant, kind=data["kind"], reason=data["reason"]
        )

    _submit(request, form, write, _("Your position is recorded."))
    return redirect("voting:positions", meeting_id)


@login_required
@require_POST
def positions_cutoff(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _meeting(request, meeting_id, Capability.EDIT_MEETING)
    form = forms.CutoffForm(request.POST)
    _submit(
        request,
        form,
        lambda data: actions.do_set_positions_cutoff(
            access.meeting, cutoff=data["cutoff"], acting_user=_user(request)
        ),
        _("The cutoff is saved."),
    )
    return redirect("voting:positions", meeting_id)


@login_required
@require_POST
def consent_adopt(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _meeting(request, meeting_id)
    access.require(Capability.RUN_SESSION, request=request)
    _attempt(
        request,
        lambda: actions.do_adopt_consent_list(access.meeting, acting_user=request.user),  # type: ignore[arg-type]
        _("The consent list is adopted."),
    )
    return redirect("meetings:meeting-detail", meeting_id)


# --- opinion slips ----------------------------------------------------------------------------


@login_required
@require_GET
def slip_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "tenant_id", None) is None:
        raise Http404
    slips = list(slip_list_for_user(user)[:200])
    manages = manages_slips(user)
    context = {
        "rows": slip_rows(user, slips),
        "reminders": list(reminders_for(user)),
        "manages": manages,
        "reminder_hours": ", ".join(str(h) for h in actions.voting_settings(current_tenant()).reminder_hours),
    }
    return render(request, "voting/slip_list.html", context)


@login_required
def slip_create(request: HttpRequest) -> HttpResponse:
    access_tenant(request.user, TenantCapability.MANAGE_SLIPS, request=request)
    users = list(directory(current_tenant()).filter(is_secretariat=False))
    initial = {
        "deadline": timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    }
    form = forms.SlipForm(request.POST or None, users=users, initial=initial)
    if request.method == "POST":
        slip = _submit(
            request,
            form,
            lambda data: actions.do_issue_slip(tenant=current_tenant(), acting_user=_user(request), **data),
            _(
                "The opinion slip is issued. The members asked see it now"
                " and are reminded before the deadline."
            ),
        )
        if slip is not None:
            return redirect("voting:slip-detail", slip.pk)
    return render(request, "voting/slip_create.html", {"form": form})


@login_required
@require_GET
def slip_detail(request: HttpRequest, slip_id: int) -> HttpResponse:
    access = _slip(request, slip_id)
    state = slip_state(access)
    mine = state["mine"]
    form = forms.AnswerForm(initial={"choice": mine["choice"], "text": mine["text"]} if mine else None)
    labels = dict(SlipAnswer.Choice.choices)
    counts = [(labels[key], n) for key, n in (state["counts"] or {}).items()]
    return render(
        request,
        "voting/slip_detail.html",
        {
            "slip": access.slip,
            "state": state,
            "form": form,
            "counts": counts,
            "choices": SlipAnswer.Choice.choices,
            "paper_form": forms.SlipPaperForm() if access.manages and _open(access) else None,
            "may_answer": access.asked
            and access.slip.status == "open"
            and timezone.now() < access.slip.deadline
            and (mine is None or access.slip.allow_change),
        },
    )


def _open(access: SlipAccess) -> bool:
    return access.slip.status == "open" and timezone.now() < access.slip.deadline


@login_required
@require_POST
def slip_answer(request: HttpRequest, slip_id: int) -> HttpResponse:
    access = _slip(request, slip_id)
    _submit(
        request,
        forms.AnswerForm(request.POST),
        lambda data: actions.do_answer_slip(
            access.slip, user=_user(request), choice=data["choice"], text=data["text"]
        ),
        _("Your answer is recorded."),
    )
    return redirect("voting:slip-detail", slip_id)


@csrf_exempt
@login_required
@require_POST
def slip_paper_add(request: HttpRequest, slip_id: int) -> HttpResponse:
    """The secretariat gives an open slip a paper (a PDF, checked like a meeting's).

    Access first, then the body's length, then CSRF and the body: CSRF's
    check reads the form, so it runs once the size limit is in place.
    """
    from documents.actions import upload_limit_bytes
    from documents.validation import body_too_large, limit_uploads, too_large

    access = _slip(request, slip_id, manage=True)
    limit = upload_limit_bytes(access.slip.tenant_id)
    if body_too_large(request, limit_bytes=limit):
        return _paper_refused(request, access, str(too_large(limit).detail), title="")
    handler = limit_uploads(request, limit_bytes=limit)

    @csrf_protect
    def receive(request: HttpRequest) -> HttpResponse:
        if handler.too_large:
            return _paper_refused(
                request, access, str(too_large(limit).detail), title=request.POST.get("title", "")
            )
        form = forms.SlipPaperForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect("voting:slip-detail", slip_id)
        data = form.cleaned_data
        link = _attempt(
            request,
            lambda: actions.do_attach_slip_paper(
                access.slip,
                upload=data["file"],
                title=data["title"],
                kind=data["kind"],
                declared_secret=data["declared_secret"],
                confirmed_unreadable=data["confirmed_unreadable"],
                acting_user=_user(request),
                request=request,
            ),
            _("The paper is given to the slip. The members asked read it from the slip's page."),
        )
        removed = removed_sentence(link.paper.current_version.removed) if link is not None else ""
        if removed:
            messages.info(request, removed)
        return redirect("voting:slip-detail", slip_id)

    return receive(request)


def _paper_refused(request: HttpRequest, access: SlipAccess, detail: str, *, title: str) -> HttpResponse:
    """An upload over the tenant's limit: audited, and said on the slip's page."""
    from ecabinet import audit

    audit.record(
        audit.Kind.PAPER_UPLOAD_REFUSED,
        request=request,
        user=access.user,
        reason="too_large",
        slip_id=access.slip.pk,
        title=str(title)[:200],
    )
    messages.error(request, detail)
    return redirect("voting:slip-detail", access.slip.pk)


@login_required
@require_POST
def slip_close(request: HttpRequest, slip_id: int) -> HttpResponse:
    access = _slip(request, slip_id, manage=True)
    _attempt(
        request,
        lambda: actions.do_close_slip(access.slip, acting_user=request.user),  # type: ignore[arg-type]
        _("The slip is closed. The signed result sheet is being prepared."),
    )
    return redirect("voting:slip-detail", slip_id)


@login_required
@require_POST
def slip_rules(request: HttpRequest) -> HttpResponse:
    access_tenant(request.user, TenantCapability.MANAGE_SLIPS, request=request)
    _submit(
        request,
        forms.ReminderHoursForm(request.POST),
        lambda data: actions.do_set_voting_settings(
            tenant=current_tenant(),
            reminder_hours=data["reminder_hours"],
            acting_user=request.user,  # type: ignore[arg-type]
        ),
        _("The reminder times are saved."),
    )
    return redirect(reverse("voting:slip-list"))
