"""Follow-up (giao việc): the tasks a meeting's conclusions assign, who sees
them, and the reminders before their due dates.

A task comes from a conclusion: an item's (the chair's conclusion of a
concluded item), the conclusion notice's, or the meeting's as a whole once it
has met. It goes to a member of the tenant, to a unit (every active person of
that unit sees it and is reminded), or to both, with a due date.

Who may do what is decided here, once, for pages, the API and the worker:
- the secretariat and the chair of the task's meeting oversee it: they assign,
  edit, cancel and reopen, and see every task's status and what is overdue;
- the assignee (or a person of the assigned unit) sees the task, reports
  progress and marks it done;
- anyone else gets the same ``NotFound`` as for a task that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.errors import Invalid, NotAllowed, NotFound, WrongState
from ecabinet.models import Tenant, User
from ecabinet.roles import Capability, Role, capabilities
from ecabinet.tenancy import belongs_here, current_tenant
from meetings.access import MAX_ID, access_meeting
from meetings.models import AgendaItem, Meeting, Participant
from meetings.selectors import directory
from reports.models import FollowUpTask, MeetingRecord, TaskReminder
from reports.report_settings import report_settings

Status = FollowUpTask.Status
OVERDUE = -1  # TaskReminder.days_before of the reminder sent once a task is overdue
MAX_TITLE = 500
MAX_TEXT = 5000
MAX_UNIT = 300
MAX_YEARS_AHEAD = 5
# The hour of the day (local time) at which the worker sends a day's reminders.
REMINDER_HOUR = 8
HELD = {Meeting.Status.IN_SESSION, Meeting.Status.ADJOURNED, Meeting.Status.CLOSED}
EDITABLE_FIELDS = {"title", "detail", "due_date", "assignee", "assignee_unit"}


# --- who oversees, who is assigned ------------------------------------------------------------


def is_secretariat(user: Any) -> bool:
    return Capability.EDIT_MEETING in capabilities(user, None)


def chaired_meetings(user: Any) -> QuerySet[Participant, Any]:
    """The ids of the meetings this user chairs, as a subquery."""
    return Participant.objects.filter(user=user, role=Role.CHAIR).values("meeting_id")


def _assigned_q(user: Any) -> Q:
    q = Q(assignee=user)
    if getattr(user, "unit", ""):
        q |= Q(assignee_unit=user.unit)
    return q


def is_assigned(task: FollowUpTask, user: Any) -> bool:
    if task.assignee_id is not None and task.assignee_id == user.pk:
        return True
    return bool(task.assignee_unit) and task.assignee_unit == getattr(user, "unit", "")


def oversees_meeting(user: Any, meeting: Meeting) -> bool:
    """The secretariat, or the chair of this meeting."""
    if is_secretariat(user):
        return True
    return Participant.objects.filter(meeting=meeting, user=user, role=Role.CHAIR).exists()


def _in_this_tenant(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "tenant_id", None) is not None
        and belongs_here(user, current_tenant())
    )


# --- selectors -----------------------------------------------------------------------------


def _with_relations(tasks: QuerySet[FollowUpTask]) -> QuerySet[FollowUpTask]:
    return tasks.select_related("meeting", "item", "assignee", "record")


def my_tasks(user: Any) -> QuerySet[FollowUpTask]:
    """The tasks given to this person or to their unit."""
    if not _in_this_tenant(user):
        return FollowUpTask.objects.none()
    return _with_relations(FollowUpTask.objects.filter(_assigned_q(user))).order_by("due_date", "id")


def overseen_tasks(user: Any) -> QuerySet[FollowUpTask]:
    """Every task the secretariat oversees (all of the tenant's), or a chair's (their meetings')."""
    if not _in_this_tenant(user):
        return FollowUpTask.objects.none()
    tasks = FollowUpTask.objects.all()
    if not is_secretariat(user):
        tasks = tasks.filter(meeting_id__in=chaired_meetings(user))
    return _with_relations(tasks).order_by("due_date", "id")


def oversees_any(user: Any) -> bool:
    return _in_this_tenant(user) and (is_secretariat(user) or chaired_meetings(user).exists())


def meeting_tasks(user: Any, meeting: Meeting) -> QuerySet[FollowUpTask]:
    """A meeting's tasks as this user may see them: all for its overseers, else their own."""
    tasks = FollowUpTask.objects.filter(meeting=meeting)
    if not oversees_meeting(user, meeting):
        tasks = tasks.filter(_assigned_q(user))
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
    from django.db.models import Count

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
    if not _in_this_tenant(user):
        return TaskReminder.objects.none()
    return (
        TaskReminder.objects.filter(
            task__in=FollowUpTask.objects.filter(_assigned_q(user), status=Status.OPEN)
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


# --- access ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskAccess:
    task: FollowUpTask
    user: Any
    oversees: bool  # the secretariat or the meeting's chair
    assigned: bool  # the assignee, or a person of the assigned unit

    def require_oversight(self, *, request: Any = None) -> None:
        if self.oversees:
            return
        audit.record(
            audit.Kind.PERMISSION_REFUSED, request=request, user=self.user, task_id=self.task.pk, area="tasks"
        )
        raise NotAllowed(_("Only the secretariat and the meeting's chair may do this."))


def access_task(user: Any, task_id: Any, *, request: Any = None) -> TaskAccess:
    """A task this user may see; ``NotFound`` for one missing, foreign or not theirs."""
    if not _in_this_tenant(user):
        raise NotFound()
    if not isinstance(task_id, int) or isinstance(task_id, bool) or not 0 < task_id <= MAX_ID:
        raise NotFound()
    task = _with_relations(FollowUpTask.objects.filter(pk=task_id)).first()
    if task is None:
        raise NotFound()
    oversees = oversees_meeting(user, task.meeting)
    assigned = is_assigned(task, user)
    if not (oversees or assigned):
        audit.record(audit.Kind.PERMISSION_REFUSED, request=request, user=user, task_id=task_id, area="tasks")
        raise NotFound()
    return TaskAccess(task=task, user=user, oversees=oversees, assigned=assigned)


def access_meeting_tasks(user: Any, meeting_id: Any, *, assign: bool = False, request: Any = None) -> Meeting:
    """A meeting whose tasks this user may read (any participant), or assign (its overseers)."""
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        raise NotFound()
    meeting = access_meeting(user, meeting_id, request=request).meeting
    if assign and not oversees_meeting(user, meeting):
        audit.record(
            audit.Kind.PERMISSION_REFUSED, request=request, user=user, meeting_id=meeting.pk, area="tasks"
        )
        raise NotAllowed(_("Only the secretariat and the meeting's chair may assign tasks."))
    return meeting


# --- cleaning input --------------------------------------------------------------------------


def _clean_text(value: Any, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("“%(field)s” must be text.") % {"field": field})
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise Invalid(_("“%(field)s” must not be empty.") % {"field": field})
    if len(value) > limit:
        raise Invalid(
            _("“%(field)s” is longer than %(limit)s characters.") % {"field": field, "limit": limit}
        )
    return value


def _clean_due_date(value: Any) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise Invalid(_("Give the due date as a date, e.g. 31/12/2026."))
    today = timezone.localdate()
    if value < today:
        raise Invalid(_("The due date cannot be in the past."))
    if value > today.replace(year=today.year + MAX_YEARS_AHEAD, day=min(today.day, 28)):
        raise Invalid(_("The due date is more than %(years)s years away.") % {"years": MAX_YEARS_AHEAD})
    return value


def _clean_assignee(tenant: Tenant, assignee: Any) -> User | None:
    if assignee is None:
        return None
    pk = assignee.pk if isinstance(assignee, User) else assignee
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise Invalid(_("Choose the person from the list."))
    found = directory(tenant).filter(pk=pk).first()
    if found is None:
        raise Invalid(_("Choose an active person of this tenant."))
    return found


def _clean_source(
    meeting: Meeting, item: AgendaItem | None, record: MeetingRecord | None
) -> tuple[AgendaItem | None, MeetingRecord | None]:
    if meeting.status not in HELD:
        raise WrongState(_("Tasks are assigned from the meeting's conclusions, once it has met."))
    if item is not None:
        if item.meeting_id != meeting.pk:
            raise Invalid(_("The item is not on this meeting's agenda."))
        if item.status != AgendaItem.Status.CONCLUDED:
            raise WrongState(_("Only an item the chair has concluded can assign tasks."))
    if record is not None and (record.meeting_id != meeting.pk or record.kind != MeetingRecord.Kind.NOTICE):
        raise Invalid(_("Tasks come from this meeting's conclusion notice."))
    return item, record


def _require_open(task: FollowUpTask) -> None:
    if task.status != Status.OPEN:
        raise WrongState(_("The task is no longer in progress."))


def _locked(task: FollowUpTask) -> FollowUpTask:
    return FollowUpTask.objects.select_for_update().get(pk=task.pk)


# --- actions ---------------------------------------------------------------------------------


@transaction.atomic
def do_assign_task(
    meeting: Meeting,
    *,
    title: Any,
    due_date: Any,
    detail: Any = "",
    assignee: Any = None,
    assignee_unit: Any = "",
    item: AgendaItem | None = None,
    record: MeetingRecord | None = None,
    acting_user: User,
) -> FollowUpTask:
    """Assign a task from a conclusion, to a person and/or a unit, by a date."""
    item, record = _clean_source(meeting, item, record)
    person = _clean_assignee(meeting.tenant, assignee)
    unit = _clean_text(assignee_unit, field=_("unit"), required=False, limit=MAX_UNIT)
    if person is None and not unit:
        raise Invalid(_("Assign the task to a person or to a unit."))
    task = FollowUpTask.objects.create(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        item=item,
        record=record,
        title=_clean_text(title, field=_("task"), limit=MAX_TITLE),
        detail=_clean_text(detail, field=_("detail"), required=False),
        assignee=person,
        assignee_unit=unit,
        due_date=_clean_due_date(due_date),
        created_by=acting_user,
    )
    audit.record(
        audit.Kind.TASK_ASSIGNED,
        user=acting_user,
        task_id=task.pk,
        meeting_id=meeting.pk,
        item_id=item.pk if item else None,
        assignee_id=person.pk if person else None,
        assignee_unit=unit,
        due_date=task.due_date.isoformat(),
    )
    schedule_reminders(task)
    return task


@transaction.atomic
def do_update_task(task: FollowUpTask, *, changes: dict[str, Any], acting_user: User) -> FollowUpTask:
    """Edit an open task: title, detail, due date, assignee. A new due date starts
    its reminders afresh."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Invalid(_("Unknown field."))
    task = _locked(task)
    _require_open(task)
    if "title" in changes:
        task.title = _clean_text(changes["title"], field=_("task"), limit=MAX_TITLE)
    if "detail" in changes:
        task.detail = _clean_text(changes["detail"], field=_("detail"), required=False)
    if "assignee" in changes:
        task.assignee = _clean_assignee(task.meeting.tenant, changes["assignee"])
    if "assignee_unit" in changes:
        task.assignee_unit = _clean_text(
            changes["assignee_unit"], field=_("unit"), required=False, limit=MAX_UNIT
        )
    if task.assignee_id is None and not task.assignee_unit:
        raise Invalid(_("Assign the task to a person or to a unit."))
    moved = False
    if "due_date" in changes:
        due = _clean_due_date(changes["due_date"])
        moved = due != task.due_date
        task.due_date = due
    task.save(update_fields=["title", "detail", "assignee", "assignee_unit", "due_date"])
    if moved:
        # Reminders counted down to the old date; the new one gets its own.
        TaskReminder.objects.filter(task=task).delete()
        schedule_reminders(task)
    audit.record(
        audit.Kind.TASK_UPDATED,
        user=acting_user,
        task_id=task.pk,
        change="edited",
        fields=sorted(changes),
        due_date=task.due_date.isoformat(),
    )
    return task


@transaction.atomic
def do_report_progress(task: FollowUpTask, *, note: Any, acting_user: User) -> FollowUpTask:
    """The assignee (or an overseer) says how far the task has come."""
    task = _locked(task)
    _require_open(task)
    task.progress_note = _clean_text(note, field=_("progress"))
    task.save(update_fields=["progress_note"])
    audit.record(audit.Kind.TASK_UPDATED, user=acting_user, task_id=task.pk, change="progress")
    return task


def _finish(task: FollowUpTask, status: str, note: Any, acting_user: User) -> FollowUpTask:
    task = _locked(task)
    _require_open(task)
    note = _clean_text(note, field=_("progress"), required=False)
    if note:
        task.progress_note = note
    task.status = status
    task.completed_at = timezone.now()
    task.completed_by = acting_user
    task.save(update_fields=["status", "progress_note", "completed_at", "completed_by"])
    audit.record(audit.Kind.TASK_UPDATED, user=acting_user, task_id=task.pk, change=status)
    return task


@transaction.atomic
def do_complete_task(task: FollowUpTask, *, note: Any = "", acting_user: User) -> FollowUpTask:
    """The task is done (by its assignee or an overseer); no more reminders."""
    return _finish(task, Status.DONE, note, acting_user)


@transaction.atomic
def do_cancel_task(task: FollowUpTask, *, note: Any = "", acting_user: User) -> FollowUpTask:
    """The task is withdrawn (by an overseer); no more reminders."""
    return _finish(task, Status.CANCELLED, note, acting_user)


@transaction.atomic
def do_reopen_task(task: FollowUpTask, *, acting_user: User) -> FollowUpTask:
    """A task done or cancelled by mistake is in progress again."""
    task = _locked(task)
    if task.status == Status.OPEN:
        raise WrongState(_("The task is already in progress."))
    task.status = Status.OPEN
    task.completed_at = None
    task.completed_by = None
    task.save(update_fields=["status", "completed_at", "completed_by"])
    audit.record(audit.Kind.TASK_UPDATED, user=acting_user, task_id=task.pk, change="reopened")
    schedule_reminders(task)
    return task


# --- reminders -------------------------------------------------------------------------------


def reminder_marks(task: FollowUpTask, today: dt.date) -> list[int]:
    """The marks (days before the due date) whose day has come; ``OVERDUE`` once it has passed."""
    if today > task.due_date:
        return [OVERDUE]
    left = (task.due_date - today).days
    return [d for d in report_settings(task.tenant_id).task_reminder_days if left <= d]


def reminder_times(task: FollowUpTask) -> list[dt.datetime]:
    """When the worker should look at a task: each reminder day and the day after the due date,
    at ``REMINDER_HOUR`` local time."""
    tz = timezone.get_current_timezone()
    days = {task.due_date - dt.timedelta(days=d) for d in report_settings(task.tenant_id).task_reminder_days}
    days.add(task.due_date + dt.timedelta(days=1))
    return sorted(dt.datetime.combine(day, dt.time(REMINDER_HOUR), tzinfo=tz) for day in days)


def schedule_reminders(task: FollowUpTask) -> None:
    """After commit: the worker runs ``remind_task`` on each reminder day still to come.
    The sweep (``reports.tasks.send_task_reminders``) is the safety net."""
    from reports.tasks import remind_task

    tenant_id, task_id = task.tenant_id, task.pk
    now = timezone.now()
    times = [when for when in reminder_times(task) if when > now]

    def enqueue() -> None:
        for when in times:
            remind_task.using(run_after=when).enqueue(tenant_id, task_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def do_remind_task(task: FollowUpTask, *, today: dt.date | None = None) -> TaskReminder | None:
    """Remind the assignees of an open task, once per mark that has come.

    Only the latest mark that has come is sent: nobody gets three reminders at
    once because the worker was down. The task's row is locked so that the
    sweep and a scheduled run never both send the same mark.
    """
    task = _locked(task)
    if task.status != Status.OPEN:
        return None
    marks = reminder_marks(task, today or timezone.localdate())
    if not marks:
        return None
    mark = min(marks)
    if TaskReminder.objects.filter(task=task, days_before__lte=mark).exists():
        return None  # this mark, or a later one, went out already
    try:
        with transaction.atomic():
            reminder = TaskReminder.objects.create(
                tenant_id=task.tenant_id, task=task, days_before=mark, sent_at=timezone.now()
            )
    except IntegrityError:  # SQLite has no row lock: the unique constraint keeps it to one
        return None
    from reports.tasks import email_task_reminder

    tenant_id, reminder_id = task.tenant_id, reminder.pk
    transaction.on_commit(lambda: email_task_reminder.enqueue(tenant_id, reminder_id))
    return reminder


def tasks_to_remind(today: dt.date | None = None) -> QuerySet[FollowUpTask]:
    """The current tenant's open tasks whose first reminder day has come."""
    today = today or timezone.localdate()
    days = report_settings(current_tenant()).task_reminder_days
    horizon = today + dt.timedelta(days=max(days, default=0))
    return FollowUpTask.objects.filter(status=Status.OPEN, due_date__lte=horizon).order_by("due_date", "id")
