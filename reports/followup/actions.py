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
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.cleaning import clean_text
from ecabinet.errors import Invalid, WrongState
from ecabinet.models import Tenant, User
from meetings.models import AgendaItem, Meeting
from meetings.selectors import directory
from reports.measurement.selectors import report_settings
from reports.models import FollowUpTask, MeetingRecord, TaskReminder

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


# --- cleaning input --------------------------------------------------------------------------


def _clean_text(value: Any, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    return clean_text(value, field=field, required=required, limit=limit)


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
    title: str,
    due_date: dt.date,
    detail: str = "",
    assignee: User | int | None = None,
    assignee_unit: str = "",
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
def do_report_progress(task: FollowUpTask, *, note: str, acting_user: User) -> FollowUpTask:
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
def do_complete_task(task: FollowUpTask, *, note: str = "", acting_user: User) -> FollowUpTask:
    """The task is done (by its assignee or an overseer); no more reminders."""
    return _finish(task, Status.DONE, note, acting_user)


@transaction.atomic
def do_cancel_task(task: FollowUpTask, *, note: str = "", acting_user: User) -> FollowUpTask:
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
    from reports.followup.tasks import remind_task

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
    audit.record(
        audit.Kind.REMINDER_SENT, tenant_id=task.tenant_id, task_id=task.pk, days_before=mark, by_worker=True
    )
    from reports.followup.tasks import email_task_reminder

    tenant_id, reminder_id = task.tenant_id, reminder.pk
    transaction.on_commit(lambda: email_task_reminder.enqueue(tenant_id, reminder_id))
    return reminder
