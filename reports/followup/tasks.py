"""Background work of reports (run by the django-tasks worker).

A follow-up task's reminders are runs of ``remind_task`` enqueued with
``run_after`` when the task is assigned (``reports.followup.actions.schedule_reminders``):
on each reminder day (``ReportSettings.task_reminder_days``) and on the day
after the due date. ``send_task_reminders`` is the safety net that does the
same for every open task of every tenant and re-enqueues itself, so nothing
waits on a run that was lost. Each reminder is sent once (``TaskReminder``),
in the app and by e-mail.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context, tenant_url
from reports.followup import actions as followup
from reports.followup import selectors as task_selectors
from reports.models import FollowUpTask, TaskReminder

logger = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(minutes=30)


@task()
def remind_task(tenant_id: int, task_id: int) -> str:
    """A reminder day of one task has come: remind its assignees, once."""
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant):
        found = FollowUpTask.objects.filter(pk=task_id).first()
        if found is None:
            return "gone"
        reminder = followup.do_remind_task(found)
        return "nothing due" if reminder is None else f"reminded {reminder.days_before}"


@task()
def send_task_reminders(repeat: bool = True) -> int:
    """Every open task of every tenant whose reminder day has come, or which is overdue.
    Returns how many reminders it sent; re-enqueues itself when ``repeat``."""
    sent = 0
    for tenant in Tenant.objects.filter(is_active=True):
        with tenant_context(tenant):
            for found in task_selectors.tasks_to_remind():
                if followup.do_remind_task(found) is not None:
                    sent += 1
    if repeat:
        send_task_reminders.using(run_after=timezone.now() + SWEEP_EVERY).enqueue(True)
    return sent


@task()
def email_task_reminder(tenant_id: int, reminder_id: int) -> int:
    """The e-mail copy of an in-app reminder, to each of the task's assignees with an address."""
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant), translation.override(settings.LANGUAGE_CODE):
        reminder = TaskReminder.objects.select_related("task__meeting").filter(pk=reminder_id).first()
        if reminder is None or reminder.emailed:
            return 0
        found = reminder.task
        link = tenant_url(tenant).rstrip("/") + reverse("reports:task-detail", args=[found.pk])
        due = date_format(found.due_date, "SHORT_DATE_FORMAT")
        if reminder.days_before == followup.OVERDUE:
            subject = _("Overdue task: %(title)s") % {"title": found.title[:80]}
            lead = _("The due date of this task (%(due)s) has passed and it is not yet reported done.")
        elif reminder.days_before == 0:
            subject = _("Task due today: %(title)s") % {"title": found.title[:80]}
            lead = _("This task is due today (%(due)s).")
        else:
            subject = _("Reminder: task due on %(due)s") % {"due": due}
            lead = _("This task is due on %(due)s.")
        messages = []
        for user in task_selectors.task_recipients(found):
            if not user.email:
                continue
            body = _(
                "Dear %(name)s,\n\n%(lead)s\n\n“%(title)s”\n(%(meeting)s)\n\n"
                "Report progress on eCabinet: %(link)s\n"
            ) % {
                "name": user.full_name or user.username,
                "lead": lead % {"due": due},
                "title": found.title,
                "meeting": found.meeting.title,
                "link": link,
            }
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        sent = send_mass_mail(messages, fail_silently=False) if messages else 0
        TaskReminder.objects.filter(pk=reminder.pk).update(emailed=True)
        return sent
