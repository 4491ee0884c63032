"""Reads of follow-up tasks, always as one user may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.errors import Invalid
from ecabinet.models import Tenant, User
from ecabinet.tenancy import current_tenant
from meetings.models import Meeting
from meetings.selectors import directory
from reports.followup.access import (
    TASK_RELATIONS,
    assigned_q,
    chaired_meetings,
    in_this_tenant,
    oversees_every_task,
    oversees_meeting,
)
from reports.measurement.selectors import report_settings
from reports.models import FollowUpTask, TaskReminder

Status = FollowUpTask.Status


def _with_relations(tasks: QuerySet[FollowUpTask]) -> QuerySet[FollowUpTask]:
    return tasks.select_related(*TASK_RELATIONS)


def my_tasks(user: Any) -> QuerySet[FollowUpTask]:
    """The tasks given to this person or to their unit."""
    if not in_this_tenant(user):
        return FollowUpTask.objects.none()
    return _with_relations(FollowUpTask.objects.filter(assigned_q(user))).order_by("due_date", "id")


def overseen_tasks(user: Any) -> QuerySet[FollowUpTask]:
    """Every task the secretariat oversees (all of the tenant's), or a chair's (their meetings')."""
    if not in_this_tenant(user):
        return FollowUpTask.objects.none()
    tasks = FollowUpTask.objects.all()
    if not oversees_every_task(user):
        tasks = tasks.filter(meeting_id__in=chaired_meetings(user))
    return _with_relations(tasks).order_by("due_date", "id")


def oversees_any(user: Any) -> bool:
    return in_this_tenant(user) and (oversees_every_task(user) or chaired_meetings(user).exists())


def meeting_tasks(user: Any, meeting: Meeting) -> QuerySet[FollowUpTask]:
    """A meeting's tasks as this user may see them: all for its overseers, else their own."""
    tasks = FollowUpTask.objects.filter(meeting=meeting)
    if not oversees_meeting(user, meeting):
        tasks = tasks.filter(assigned_q(user))
    return _with_relations(tasks).order_by("due_date", "id")


def only(tasks: QuerySet[FollowUpTask], *, status: str = "", overdue: bool = False) -> QuerySet[FollowUpTask]:
    """Filter a task list by status, or to what is overdue."""
    if overdue:
        return tasks.filter(status=Status.OPEN, due_date__lt=timezone.localdate())
    if status:
        if status not in Status.values:
            raise Invalid(_("Unknown status of a task."))
        return tasks.filter(status=status)
    return tasks


def task_counts(tasks: QuerySet[FollowUpTask]) -> dict[str, int]:
    """Open, overdue, done and cancelled, in one query."""
    today = timezone.localdate()
    counts = tasks.order_by().aggregate(
        open=Count("id", filter=Q(status=Status.OPEN)),
        overdue=Count("id", filter=Q(status=Status.OPEN, due_date__lt=today)),
        done=Count("id", filter=Q(status=Status.DONE)),
        cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def is_overdue(task: FollowUpTask, today: dt.date | None = None) -> bool:
    return task.status == Status.OPEN and task.due_date < (today or timezone.localdate())


def reminders_for(user: Any, *, limit: int = 20) -> QuerySet[TaskReminder]:
    """The in-app reminders of this person's tasks still open, latest first."""
    if not in_this_tenant(user):
        return TaskReminder.objects.none()
    return (
        TaskReminder.objects.filter(
            task__in=FollowUpTask.objects.filter(assigned_q(user), status=Status.OPEN)
        )
        .select_related("task")
        .order_by("-sent_at", "-id")[:limit]
    )


def task_recipients(task: FollowUpTask) -> list[User]:
    """Who is reminded of a task: its assignee and the active people of its unit."""
    q = Q(pk=task.assignee_id) if task.assignee_id is not None else Q(pk__in=[])
    if task.assignee_unit:
        q |= Q(unit=task.assignee_unit)
    return list(User.objects.filter(q, tenant_id=task.tenant_id, is_active=True).order_by("id"))


def unit_names(tenant: Tenant) -> list[str]:
    """The units of the tenant's people, for the assignment form's suggestions."""
    return sorted(set(directory(tenant).exclude(unit="").values_list("unit", flat=True)))


def tasks_to_remind(today: dt.date | None = None) -> QuerySet[FollowUpTask]:
    """The current tenant's open tasks whose first reminder day has come."""
    today = today or timezone.localdate()
    days = report_settings(current_tenant()).task_reminder_days
    horizon = today + dt.timedelta(days=max(days, default=0))
    return FollowUpTask.objects.filter(status=Status.OPEN, due_date__lte=horizon).order_by("due_date", "id")
