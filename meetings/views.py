"""Meeting pages: thin, through the same access checks as the API.

The live page renders from ``meeting_state`` (the same dict the tablet's
JavaScript keeps and the events update); the secretariat's forms parse their
input with ``meetings.forms``, call one action and redirect, showing an
action's refusal as a message on the page.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecabinet.errors import NotAllowed
from ecabinet.navigation import CONSOLE, MEETING, RULES, home_links, links
from ecabinet.pages import attempt as _attempt
from ecabinet.pages import submit as _submit
from ecabinet.roles import Capability, Role, TenantCapability, TenantRole, access_tenant, holds_role
from ecabinet.tenancy import current_tenant
from meetings import actions, forms
from meetings.access import MeetingAccess, access_meeting
from meetings.models import (
    AgendaItem,
    Comment,
    Meeting,
    Participant,
    RemovedPerson,
    SpeakRequest,
    SubstituteCandidate,
    SubstituteProposal,
)
from meetings.panels import DISPLAY, panels_for
from meetings.paper_registry import reader_url
from meetings.payloads import MeetingStateShape
from meetings.selectors import (
    meeting_list_for_user,
    meeting_state,
    participant_list,
    substitute_choices,
    substitute_proposals,
    tenant_rules,
)

# --- helpers ----------------------------------------------------------------------


def _access(request: HttpRequest, meeting_id: int, capability: Capability) -> MeetingAccess:
    return access_meeting(request.user, meeting_id, capability=capability, request=request)


def _editing(request: HttpRequest, meeting_id: int) -> MeetingAccess:
    return _access(request, meeting_id, Capability.EDIT_MEETING)


def _manage_url(meeting_id: int) -> str:
    return reverse("meetings:meeting-manage", args=[meeting_id])


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _page_labels() -> dict[str, Any]:
    """Words the page's JavaScript writes, in the person's language.

    ``choices`` names every status, kind and role by its code, so that what
    arrives live is shown in this person's language whoever caused it.
    """
    return {
        "choices": {
            "meeting_status": {code: str(label) for code, label in Meeting.Status.choices},
            "item_status": {code: str(label) for code, label in AgendaItem.Status.choices},
            "speak_kind": {code: str(label) for code, label in SpeakRequest.Kind.choices},
            "speak_status": {code: str(label) for code, label in SpeakRequest.Status.choices},
            "role": {code: str(label) for code, label in Role.choices},
        },
        "changed": _("Changed"),
        "current": _("Under discussion"),
        "no_item": _("No item is under discussion."),
        "nobody": _("Nobody has the floor."),
        "queue_empty": _("Nobody is waiting to speak."),
        "no_comments": _("No comments on this item yet."),
        "no_papers": _("No papers are attached to this item yet."),
        "pages": _("%(count)s pages"),
        "presenter": _("Presenter"),
        "planned": _("planned %(minutes)s min"),
        "over": _("over by %(time)s"),
        "left": _("%(time)s left"),
        "give_floor": _("Give the floor"),
        "edited": _("edited"),
        "withdrawn": _("withdrawn"),
        "edit": _("Edit"),
        "withdraw": _("Withdraw"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "secretariat_only": _("Secretariat and chair only"),
        "present_room": _("In the room"),
        "present_remote": _("Remote"),
        "absent": _("Not checked in"),
        "attending_for": _("attending for %(name)s"),
        "cannot_attend": _("Cannot attend"),
        "quorum_met": _("Quorum met: %(present)s of %(members)s members present (%(needed)s needed)."),
        "quorum_not_met": _(
            "Quorum not met: %(present)s of %(members)s members present (%(needed)s needed)."
        ),
        "open_this": _("Open this item"),
        "offline": _("No connection to the server. Wait until it is back and try again."),
        "held": _("Not sent yet: it will be sent by itself as soon as the connection is back."),
        "held_refused": _("Sent after the connection came back, but refused: %(detail)s"),
        "reload": _("Your place in this meeting changed. The page is reloading."),
        "go_back": _("Go back"),
        "not_invited": _(
            "The session is now on an item you are not invited to. Its papers and comments are "
            "not shown to you; your items appear here when the chair opens them."
        ),
        "your_items": _("The items you are invited to:"),
        "nothing_here": _("Choose an item of the agenda."),
        "close_title": _("Close the meeting?"),
        "close_left": _("Not yet dealt with:"),
        "close_text_left": _(
            "Closing ends the session on every tablet and cannot be undone. These items stay "
            "in the record as not discussed or deferred; they can be put on a later meeting."
        ),
        "close_text": _("Closing ends the session on every tablet and cannot be undone."),
        "close_yes": _("Close the meeting"),
        "defer_title": _("Defer “%(title)s”?"),
        "defer_text": _(
            "The item leaves the floor without a conclusion and is recorded as deferred, with the "
            "note you wrote. You can open it again later in this session."
        ),
        "defer_yes": _("Defer the item"),
        "you": _("you"),
        "conclusion": _("Conclusion"),
        "papers": _("Papers"),
        "meeting_papers": _("Papers of the whole meeting"),
        "item_n": _("Item %(n)s"),
        "has_floor": _("Has the floor"),
        "you_have_floor": _("You have the floor"),
        "waiting": _("Waiting for the floor"),
    }


def _page_context(request: HttpRequest, access: MeetingAccess, shape: MeetingStateShape) -> dict[str, Any]:
    """The state dict plus what the template needs to show it without logic (marks added in place:
    the page's copy, not the state it sends as JSON)."""
    pristine = copy.deepcopy(shape)
    state = cast(dict[str, Any], shape)
    meeting = state["meeting"]
    me = state["me"]
    current_id = meeting["current_item_id"]
    items = state["items"]
    for paper in [*state["meeting_papers"], *(p for item in items for p in item["papers"])]:
        paper["url"] = reader_url(paper["id"])
    for item in items:
        item["is_current"] = item["id"] == current_id
    selected = next((i for i in items if i["is_current"]), None) or next(
        (i for i in items if i["status"] in ("pending", "deferred")), items[0] if items else None
    )
    current = next((i for i in items if i["is_current"]), None)
    speaking = next((r for r in (current or {}).get("queue", []) if r["status"] == "speaking"), None)
    comments = [c for c in state["comments"] if selected and c["item_id"] == selected["id"]]
    for comment in comments:
        created = _when(comment["created_at"])
        comment["time_label"] = timezone.localtime(created).strftime("%H:%M") if created else ""
    me_participant = next((p for p in state["participants"] if p["id"] == me["participant_id"]), None)
    capabilities = set(me["capabilities"])
    return {
        "meeting": access.meeting,
        "state": state,
        "state_json": pristine,
        "m": meeting,
        "scheduled_start": _when(meeting["scheduled_start"]),
        "items": items,
        "selected": selected,
        "current": current,
        "speaking": speaking,
        "comments": comments,
        "me_participant": me_participant,
        "runs_session": access.runs_session,
        "can_edit": Capability.EDIT_MEETING.value in capabilities,
        "can_speak": Capability.REQUEST_TO_SPEAK.value in capabilities and me["participant_id"] is not None,
        "can_comment": Capability.COMMENT.value in capabilities,
        "can_check_in": me_participant is not None and not me_participant["cannot_attend"],
        "speak_kinds": SpeakRequest.Kind.choices,
        "comment_visibilities": Comment.Visibility.choices,
        "attendance_choices": Participant.Attendance.choices,
        "labels": _page_labels(),
        "role_labels": {value: str(label) for value, label in Role.choices},
        "panels": panels_for(access),
        "reader_url": reader_url(0) or "",
        "meeting_links": links(MEETING, request, access=access, args=(access.meeting.pk,)),
    }


# --- pages --------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    meetings = [] if user.tenant_id is None else list(meeting_list_for_user(user))  # type: ignore[union-attr]
    return render(
        request,
        "meetings/home.html",
        {
            "meetings": meetings,
            "links": home_links(request),
            "national_admin": holds_role(user, TenantRole.NATIONAL_ADMIN),
        },
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _access(request, meeting_id, Capability.VIEW_MEETING)
    state = meeting_state(access)
    context = _page_context(request, access, state)
    context["substitutes"] = _substitutes_context(access, context["me_participant"])
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_GET
def meeting_display(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting room's big screen, opened by the secretariat (or the chair):
    the session as the room should see it, read-only, live all day."""
    access = _access(request, meeting_id, Capability.VIEW_MEETING)
    if not access.shows_hall_display:
        raise NotAllowed(_("The hall display is opened by the secretariat or the chair."))
    state = meeting_state(access)
    context = _page_context(request, access, state)
    context["panels"] = panels_for(access, on=DISPLAY)
    return render(request, "meetings/meeting_display.html", context)


def _substitutes_context(access: MeetingAccess, me: dict[str, Any] | None) -> dict[str, Any]:
    """The meeting page's substitutes card: proposals to decide, or the member's own."""
    meeting = access.meeting
    if meeting.status not in actions.EDITABLE:
        return {"shown": False}
    decides = access.decides_substitutes
    may_propose = (
        me is not None
        and me["role"] in (Role.MEMBER, Role.VICE_CHAIR)
        and me["substitute_for_id"] is None
        and not me["cannot_attend"]
        and not access.allows(Capability.EDIT_MEETING)
    )
    if not decides and not may_propose:
        return {"shown": False}
    proposals = list(substitute_proposals(access))
    pending = [p for p in proposals if p.status == SubstituteProposal.Status.PROPOSED]
    mine = next((p for p in pending if p.participant.user_id == access.user.pk), None)
    choices = list(substitute_choices(meeting)) if may_propose and mine is None else []
    return {
        "shown": bool(pending) or may_propose,
        "decides": decides,
        "pending": pending if decides else [],
        "may_propose": may_propose,
        "mine": mine,
        "choices": choices,
        "me_participant_id": me["id"] if me else None,
    }


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = access_tenant(request.user, TenantCapability.CREATE_MEETINGS, request=request).user
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        meeting = _submit(
            request,
            form,
            lambda data: actions.do_create_meeting(
                tenant=current_tenant(),
                acting_user=user,  # type: ignore[arg-type]
                **data,
            ),
            _("The meeting is created. Add its agenda and participants, then publish it."),
        )
        if meeting is not None:
            return redirect(_manage_url(meeting.pk))
    return render(request, "meetings/meeting_create.html", {"form": form})


@login_required
def meeting_rules(request: HttpRequest) -> HttpResponse:
    """The secretariat sets its tenant's quorum, speaking-time limit and paper-era baselines."""
    user = access_tenant(request.user, TenantCapability.SET_RULES, request=request).user
    tenant = current_tenant()
    if request.method == "POST":
        if request.POST.get("form") == "baseline":
            _submit(
                request,
                forms.BaselineForm(request.POST),
                lambda data: actions.do_set_baseline(tenant=tenant, acting_user=user, **data),  # type: ignore[arg-type]
                _("The baseline is saved. Meetings made from now on use it."),
            )
        else:
            _submit(
                request,
                forms.MeetingRulesForm(request.POST),
                lambda data: actions.do_set_meeting_settings(tenant=tenant, acting_user=user, **data),  # type: ignore[arg-type]
                _("The rules are saved."),
            )
        return redirect("meetings:meeting-rules")
    return render(
        request, "meetings/rules.html", {"rules": tenant_rules(tenant), "rules_links": links(RULES, request)}
    )


@login_required
@require_GET
def meeting_manage(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    meeting = access.meeting
    tenant_id = meeting.tenant_id
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("presenter").order_by("position"))
    participants = list(participant_list(meeting).prefetch_related("items"))
    directory = list(forms.directory(tenant_id))
    taken = {p.user_id for p in participants}
    item_forms = []
    for item in items:
        form = forms.ItemForm(
            tenant_id=tenant_id,
            initial={
                "title": item.title,
                "summary": item.summary,
                "presenting_unit": item.presenting_unit,
                "presenter": item.presenter_id,
                "presenter_name": item.presenter_name,
                "planned_minutes": item.planned_minutes,
            },
            prefix=f"item-{item.pk}",
        )
        _choices(form, "presenter", _user_choices(directory, blank=True))
        item_forms.append((item, form))
    rows = []
    for participant in participants:
        change = forms.ParticipantChangeForm(
            meeting_id=meeting.pk,
            initial={"role": participant.role, "items": [i.pk for i in participant.items.all()]},
            prefix=f"p-{participant.pk}",
        )
        _choices(change, "items", [(i.pk, f"{i.position}. {i.title}") for i in items])
        rows.append({"participant": participant, "form": change})
    add_item = forms.ItemForm(tenant_id=tenant_id, initial={"planned_minutes": 15}, prefix="new-item")
    _choices(add_item, "presenter", _user_choices(directory, blank=True))
    add_participant = forms.ParticipantAddForm(tenant_id=tenant_id, prefix="new-p")
    _choices(add_participant, "user", _user_choices([u for u in directory if u.pk not in taken], blank=True))
    removed = set(RemovedPerson.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    substitutes = _user_choices([u for u in directory if u.pk not in taken | removed], blank=True)
    candidate_ids = set(SubstituteCandidate.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    candidate_choices = _user_choices([u for u in directory if u.pk not in taken | removed], blank=False)
    pending_substitutes = SubstituteProposal.objects.filter(
        meeting=meeting, status=SubstituteProposal.Status.PROPOSED
    ).count()
    local = timezone.localtime
    edit_meeting = forms.MeetingEditForm(
        initial={
            "title": meeting.title,
            "kind": meeting.kind,
            "place": meeting.place,
            "scheduled_start": local(meeting.scheduled_start),
            "planned_end": local(meeting.planned_end) if meeting.planned_end else None,
            "speaking_limit_seconds": meeting.speaking_limit_seconds,
        }
    )
    vice_chairs = [p for p in participants if p.role == Role.VICE_CHAIR]
    return render(
        request,
        "meetings/manage.html",
        {
            "meeting": meeting,
            "access": access,
            "items": item_forms,
            "rows": rows,
            "add_item": add_item,
            "add_participant": add_participant,
            "substitutes": substitutes,
            "candidate_ids": candidate_ids,
            "candidate_choices": candidate_choices,
            "pending_substitutes": pending_substitutes,
            "edit_meeting": edit_meeting,
            "copy_form": forms.CopyForm(initial={"title": meeting.title}),
            "vice_chairs": vice_chairs,
            "editable": meeting.status in actions.EDITABLE,
            "is_draft": meeting.status == meeting.Status.DRAFT,
            "role_choices": Role.choices,
            "console_links": links(CONSOLE, request, access=access, args=(meeting.pk,)),
        },
    )


def _choices(form: Any, name: str, choices: list[tuple[Any, str]]) -> None:
    """Choices from lists already read, so the console's pickers cost no query each."""
    form.fields[name].choices = choices


def _user_choices(users: list[Any], *, blank: bool) -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [("", "—")] if blank else []
    for user in users:
        name = user.full_name or user.username
        choices.append((user.pk, f"{name} — {user.title}" if user.title else name))
    return choices


# --- the secretariat's writes ---------------------------------------------------------


@login_required
@require_POST
def meeting_update(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    form = forms.MeetingEditForm(request.POST, initial={"scheduled_start": access.meeting.scheduled_start})
    _submit(
        request,
        form,
        lambda data: actions.do_update_meeting(access.meeting, changes=data, acting_user=access.user),
        _("The meeting is saved."),
    )
    return redirect(_manage_url(meeting_id))


@login_required
@require_POST
def meeting_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    _attempt(
        request,
        lambda: actions.do_publish_meeting(access.meeting, acting_user=access.user),
        _("The agenda is published; every participant has been told."),
    )
    return redirect(_manage_url(meeting_id))


@login_required
@require_POST
def meeting_copy(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    copy = _submit(
        request,
        forms.CopyForm(request.POST),
        lambda data: actions.do_copy_meeting(
            access.meeting,
            scheduled_start=data["scheduled_start"],
            title=data["title"] or None,
            acting_user=access.user,
        ),
        _("The copy is ready for preparation."),
    )
    return redirect(_manage_url(copy.pk if copy is not None else meeting_id))


@login_required
@require_POST
def meeting_acting_chair(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    form = forms.ActingChairForm(request.POST, meeting_id=meeting_id)
    _submit(
        request,
        form,
        lambda data: actions.do_set_acting_chair(
            access.meeting, participant=data["participant"], acting_user=access.user
        ),
        _("The acting chair is saved."),
    )
    return redirect(_manage_url(meeting_id))


def _item(access: MeetingAccess, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting=access.meeting, pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _participant(access: MeetingAccess, participant_id: int) -> Participant:
    participant = (
        Participant.objects.filter(meeting=access.meeting, pk=participant_id).select_related("user").first()
    )
    if participant is None:
        raise Http404
    return participant


@login_required
@require_POST
def item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    form = forms.ItemForm(request.POST, tenant_id=access.meeting.tenant_id, prefix="new-item")
    _submit(
        request,
        form,
        lambda data: actions.do_add_item(access.meeting, acting_user=access.user, **data),
        _("The item is added to the agenda."),
    )
    return redirect(_manage_url(meeting_id) + "#agenda")


@login_required
@require_POST
def item_update(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    item = _item(access, item_id)
    form = forms.ItemForm(request.POST, tenant_id=access.meeting.tenant_id, prefix=f"item-{item.pk}")
    _submit(
        request,
        form,
        lambda data: actions.do_update_item(item, changes=data, acting_user=access.user),
        _("The item is saved."),
    )
    return redirect(_manage_url(meeting_id) + f"#item-{item_id}")


@login_required
@require_POST
def item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    item = _item(access, item_id)
    _attempt(
        request,
        lambda: actions.do_remove_item(item, acting_user=access.user),
        _("The item is removed from the agenda."),
    )
    return redirect(_manage_url(meeting_id) + "#agenda")


@login_required
@require_POST
def item_move(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    item = _item(access, item_id)
    form = forms.MoveForm(request.POST)
    _submit(
        request,
        form,
        lambda data: actions.do_move_item(item, offset=form.offset, acting_user=access.user),
        _("The agenda order is saved."),
    )
    return redirect(_manage_url(meeting_id) + f"#item-{item_id}")


@login_required
@require_POST
def item_reorder(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    form = forms.ReorderForm(request.POST)
    _submit(
        request,
        form,
        lambda data: actions.do_reorder_items(access.meeting, order=data["order"], acting_user=access.user),
        _("The agenda order is saved."),
    )
    return redirect(_manage_url(meeting_id) + "#agenda")


@login_required
@require_POST
def participant_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    form = forms.ParticipantAddForm(request.POST, tenant_id=access.meeting.tenant_id, prefix="new-p")
    _submit(
        request,
        form,
        lambda data: actions.do_add_participant(
            access.meeting,
            user=data["user"],
            role=data["role"],
            acting_user=access.user,
        ),
        _("The participant is added."),
    )
    return redirect(_manage_url(meeting_id) + "#participants")


@login_required
@require_POST
def participant_change(request: HttpRequest, meeting_id: int, participant_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    participant = _participant(access, participant_id)
    form = forms.ParticipantChangeForm(request.POST, meeting_id=meeting_id, prefix=f"p-{participant.pk}")
    _submit(
        request,
        form,
        lambda data: actions.do_change_participant(
            participant,
            role=data["role"],
            # Only a guest is limited to named items; any other role sees all.
            item_ids=[i.pk for i in data["items"]] if data["role"] == Role.GUEST else [],
            acting_user=access.user,
        ),
        _("The participant is saved."),
    )
    return redirect(_manage_url(meeting_id) + "#participants")


@login_required
@require_POST
def participant_remove(request: HttpRequest, meeting_id: int, participant_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    participant = _participant(access, participant_id)
    _attempt(
        request,
        lambda: actions.do_remove_participant(participant, acting_user=access.user),
        _("The participant is removed."),
    )
    return redirect(_manage_url(meeting_id) + "#participants")


@login_required
@require_POST
def substitute_propose(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A member proposes who attends for them; the chair or the secretariat approves it."""
    access = _access(request, meeting_id, Capability.VIEW_MEETING)
    if access.participant is None:
        raise Http404
    participant = _participant(access, access.participant.pk)
    form = forms.SubstituteProposalForm(request.POST, meeting=access.meeting)
    _submit(
        request,
        form,
        lambda data: actions.do_propose_substitute(
            participant, substitute=data["substitute"], acting_user=access.user
        ),
        _("Your proposal is sent. Your substitute attends once the chair or the secretariat approves."),
    )
    return redirect(reverse("meetings:meeting-detail", args=[meeting_id]) + "#substitutes")


def _pending_proposal(access: MeetingAccess, proposal_id: int) -> SubstituteProposal:
    """A proposal of this meeting; who may act on it is checked by the view and the action."""
    proposal = SubstituteProposal.objects.filter(meeting=access.meeting, pk=proposal_id).first()
    if proposal is None:
        raise Http404
    return proposal


@login_required
@require_POST
def substitute_decide(request: HttpRequest, meeting_id: int, proposal_id: int) -> HttpResponse:
    access = _access(request, meeting_id, Capability.VIEW_MEETING)
    proposal = _pending_proposal(access, proposal_id)
    if not access.decides_substitutes:
        raise PermissionDenied(_("Only the chair or the secretariat approves a substitute."))
    approve = request.POST.get("decision") == "approve"
    _attempt(
        request,
        lambda: actions.do_decide_substitute(
            proposal, approve=approve, note=request.POST.get("note", ""), acting_user=access.user
        ),
        _("The substitute is approved and attends from now on.")
        if approve
        else _("The proposal is refused."),
    )
    return redirect(reverse("meetings:meeting-detail", args=[meeting_id]) + "#substitutes")


@login_required
@require_POST
def substitute_withdraw(request: HttpRequest, meeting_id: int, proposal_id: int) -> HttpResponse:
    access = _access(request, meeting_id, Capability.VIEW_MEETING)
    proposal = _pending_proposal(access, proposal_id)
    _attempt(
        request,
        lambda: actions.do_withdraw_substitute(proposal, acting_user=access.user),
        _("Your proposal is withdrawn."),
    )
    return redirect(reverse("meetings:meeting-detail", args=[meeting_id]) + "#substitutes")


@login_required
@require_POST
def substitute_candidates(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    form = forms.SubstituteCandidatesForm(request.POST, tenant_id=access.meeting.tenant_id)
    _submit(
        request,
        form,
        lambda data: actions.do_set_substitute_candidates(
            access.meeting, users=data["users"], acting_user=access.user
        ),
        _("The list of allowed substitutes is saved."),
    )
    return redirect(_manage_url(meeting_id) + "#participants")


@login_required
@require_POST
def participant_substitute(request: HttpRequest, meeting_id: int, participant_id: int) -> HttpResponse:
    access = _editing(request, meeting_id)
    participant = _participant(access, participant_id)
    form = forms.SubstituteForm(request.POST, tenant_id=access.meeting.tenant_id)
    _submit(
        request,
        form,
        lambda data: actions.do_name_substitute(
            participant, substitute=data["substitute"], acting_user=access.user
        ),
        _("The substitute is named."),
    )
    return redirect(_manage_url(meeting_id) + "#participants")
