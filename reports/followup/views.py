"""Follow-up task pages: thin, through the same access checks and actions as the API.

- ``/reports/tasks/``: my tasks and their reminders; for the secretariat and
  chairs, every task they oversee with its status and what is overdue;
- ``/reports/meetings/<id>/tasks/``: a meeting's tasks, and the form that
  assigns one from a conclusion;
- ``/reports/tasks/<id>/``: one task: progress, done, and for its overseers
  edit, cancel and reopen.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecabinet.errors import Invalid
from ecabinet.models import User
from ecabinet.pages import attempt as _attempt
from ecabinet.pages import submit as _submit
from ecabinet.tenancy import current_tenant
from meetings.models import AgendaItem, Meeting
from meetings.selectors import directory
from reports.followup import access as task_access
from reports.followup import actions as followup
from reports.followup import selectors as task_selectors
from reports.followup.forms import FinishForm, ProgressForm, TaskAssignForm, TaskEditForm
from reports.models import FollowUpTask, MeetingRecord

LIST_LIMIT = 500


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _rows(tasks: list[FollowUpTask]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"task": t, "overdue": task_selectors.is_overdue(t, today)} for t in tasks]


def _people() -> Any:
    return directory(current_tenant())


# --- lists ----------------------------------------------------------------------------------


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.tenant_id is None:
        raise Http404
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    context: dict[str, Any] = {
        "mine": _rows(list(task_selectors.my_tasks(user)[:LIST_LIMIT])),
        "reminders": list(task_selectors.reminders_for(user)),
        "oversees": task_selectors.oversees_any(user),
        "status": status,
        "overdue_only": overdue,
        "statuses": FollowUpTask.Status.choices,
    }
    if context["oversees"]:
        overseen = task_selectors.overseen_tasks(user)
        try:
            shown = task_selectors.only(overseen, status=status, overdue=overdue)
        except Invalid as exc:
            raise BadRequest(str(exc.detail)) from exc
        context["counts"] = task_selectors.task_counts(overseen)
        context["overseen"] = _rows(list(shown[:LIST_LIMIT]))
    return render(request, "followup/tasks_list.html", context)


def _assign_form(meeting: Meeting, data: Any = None) -> TaskAssignForm:
    items = list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.CONCLUDED).order_by("position")
    )
    notice = MeetingRecord.objects.filter(meeting=meeting, kind=MeetingRecord.Kind.NOTICE).first()
    return TaskAssignForm(data, items=items, notice=notice, people=_people())


@login_required
def meeting_task_list(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
    assigning = request.method == "POST"
    meeting = task_access.access_meeting_tasks(user, meeting_id, assign=assigning, request=request)
    oversees = task_access.oversees_meeting(user, meeting)
    form = _assign_form(meeting, request.POST if assigning else None) if oversees else None
    if assigning and form is not None:
        task = _submit(
            request,
            form,
            lambda data: followup.do_assign_task(
                meeting,
                title=data["title"],
                detail=data["detail"],
                assignee=data["assignee"],
                assignee_unit=data["assignee_unit"],
                due_date=data["due_date"],
                acting_user=user,
                **form.source_of(),
            ),
            _("The task is assigned. Its assignees see it now and are reminded before the due date."),
        )
        if task is not None:
            return redirect("reports:meeting-tasks", meeting.pk)
    context = {
        "meeting": meeting,
        "rows": _rows(list(task_selectors.meeting_tasks(user, meeting)[:LIST_LIMIT])),
        "oversees": oversees,
        "form": form,
        "held": meeting.status in followup.HELD,
        "units": task_selectors.unit_names(current_tenant()) if oversees else [],
    }
    return render(request, "followup/tasks_meeting.html", context, status=400 if assigning else 200)


# --- one task -------------------------------------------------------------------------------


def _task(request: HttpRequest, task_id: int) -> task_access.TaskAccess:
    return task_access.access_task(_user(request), task_id, request=request)


def _overseeing(request: HttpRequest, task_id: int) -> task_access.TaskAccess:
    access = _task(request, task_id)
    access.require_oversight(request=request)
    return access


@login_required
@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    access = _task(request, task_id)
    task = access.task
    context: dict[str, Any] = {
        "task": task,
        "access": access,
        "overdue": task_selectors.is_overdue(task),
        "progress_form": ProgressForm(initial={"note": task.progress_note}),
        "finish_form": FinishForm(),
    }
    if access.oversees:
        context["edit_form"] = TaskEditForm(
            initial={
                "title": task.title,
                "detail": task.detail,
                "assignee": task.assignee_id,
                "assignee_unit": task.assignee_unit,
                "due_date": task.due_date,
            },
            people=_people(),
        )
        context["units"] = task_selectors.unit_names(current_tenant())
        context["reminders"] = list(task.reminders.order_by("sent_at", "id"))
    return render(request, "followup/tasks_detail.html", context)


@login_required
@require_POST
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    access = _overseeing(request, task_id)
    _submit(
        request,
        TaskEditForm(request.POST, people=_people()),
        lambda data: followup.do_update_task(access.task, changes=data, acting_user=_user(request)),
        _("The task is saved."),
    )
    return redirect("reports:task-detail", task_id)


@login_required
@require_POST
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    access = _task(request, task_id)
    _submit(
        request,
        ProgressForm(request.POST),
        lambda data: followup.do_report_progress(access.task, note=data["note"], acting_user=_user(request)),
        _("The progress is saved."),
    )
    return redirect("reports:task-detail", task_id)


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    access = _task(request, task_id)
    _submit(
        request,
        FinishForm(request.POST),
        lambda data: followup.do_complete_task(access.task, note=data["note"], acting_user=_user(request)),
        _("The task is reported done."),
    )
    return redirect("reports:task-detail", task_id)


@login_required
@require_POST
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    access = _overseeing(request, task_id)
    _submit(
        request,
        FinishForm(request.POST),
        lambda data: followup.do_cancel_task(access.task, note=data["note"], acting_user=_user(request)),
        _("The task is cancelled."),
    )
    return redirect("reports:task-detail", task_id)


@login_required
@require_POST
def task_reopen(request: HttpRequest, task_id: int) -> HttpResponse:
    access = _overseeing(request, task_id)
    _attempt(
        request,
        lambda: followup.do_reopen_task(access.task, acting_user=_user(request)),
        _("The task is in progress again."),
    )
    return redirect("reports:task-detail", task_id)
