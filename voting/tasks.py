"""Background work of voting (run by the django-tasks worker).

A slip's reminders and its closing at the deadline are tasks enqueued with
``run_after`` when the slip is issued (``voting.actions._schedule_slip``);
``sweep_slips`` is the safety net that does the same for every open slip of
every tenant and re-enqueues itself, so nothing waits on a task that was lost.
Result sheets are rendered and signed here, off the request.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_tasks import task

from ecabinet.errors import WrongState
from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context, tenant_url
from voting import actions
from voting.models import Ballot, Slip, SlipReminder

logger = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(minutes=5)


def _slip_due(slip: Slip) -> str:
    if slip.status != Slip.Status.OPEN:
        return "closed already"
    if timezone.now() >= slip.deadline:
        # Those who never answered are told the slip closed without them.
        actions.do_remind_slip(slip)
        actions.do_close_slip(slip, acting_user=None)
        return "closed"
    return f"reminded {len(actions.do_remind_slip(slip))}"


@task()
def slip_due(tenant_id: int, slip_id: int) -> str:
    """A slip's reminder time or deadline has come: remind, or close."""
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant):
        slip = Slip.objects.filter(pk=slip_id).first()
        if slip is None:
            return "gone"
        try:
            return _slip_due(slip)
        except WrongState as exc:  # closed by the secretariat meanwhile
            return str(exc.detail)


@task()
def sweep_slips(repeat: bool = True) -> int:
    """Every open slip of every tenant: reminders due and deadlines passed.
    Returns how many slips it acted on; re-enqueues itself when ``repeat``."""
    done = 0
    for tenant in Tenant.objects.filter(is_active=True):
        with tenant_context(tenant):
            for slip in Slip.objects.filter(status=Slip.Status.OPEN):
                try:
                    if _slip_due(slip) != "reminded 0":
                        done += 1
                except WrongState:
                    continue
    if repeat:
        sweep_slips.using(run_after=timezone.now() + SWEEP_EVERY).enqueue(True)
    return done


@task()
def email_slip_reminders(tenant_id: int, slip_id: int, reminder_ids: list[int]) -> int:
    """The e-mail copy of in-app reminders, through Django's mail settings."""
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant), translation.override(settings.LANGUAGE_CODE):
        slip = Slip.objects.filter(pk=slip_id).first()
        if slip is None:
            return 0
        link = f"{tenant_url(tenant).rstrip('/')}/slips/{slip.pk}/"
        deadline = date_format(localtime(slip.deadline), "SHORT_DATETIME_FORMAT")
        messages = []
        reminders = list(
            SlipReminder.objects.filter(pk__in=reminder_ids, emailed=False).select_related("user")
        )
        for reminder in reminders:
            user = reminder.user
            if not user.email:
                continue
            if reminder.hours_before == SlipReminder.OVERDUE:
                subject = _("Overdue: opinion slip no. %(number)s") % {"number": slip.number}
                lead = _("The deadline of this opinion slip (%(deadline)s) has passed without your answer.")
            else:
                subject = _("Reminder: opinion slip no. %(number)s") % {"number": slip.number}
                lead = _("Please answer this opinion slip before %(deadline)s.")
            body = _("Dear %(name)s,\n\n%(lead)s\n\n“%(question)s”\n\nAnswer on eCabinet: %(link)s\n") % {
                "name": user.full_name,
                "lead": lead % {"deadline": deadline},
                "question": slip.question,
                "link": link,
            }
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        sent = send_mass_mail(messages, fail_silently=False) if messages else 0
        SlipReminder.objects.filter(pk__in=[r.pk for r in reminders if r.user.email]).update(emailed=True)
        return sent


@task()
def close_ballot_at_countdown(tenant_id: int, ballot_id: int) -> str:
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant):
        ballot = Ballot.objects.filter(pk=ballot_id).first()
        if ballot is None or ballot.status != Ballot.Status.OPEN:
            return "closed already"
        try:
            actions.do_close_ballot(ballot, acting_user=None)
        except WrongState as exc:
            return str(exc.detail)
        return "closed"


@task()
def issue_slip_result(tenant_id: int, slip_id: int) -> int | None:
    from voting.results import issue_slip_result_sheet

    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant), translation.override(settings.LANGUAGE_CODE):
        slip = Slip.objects.filter(pk=slip_id).first()
        if slip is None:
            return None
        return issue_slip_result_sheet(slip).pk


@task()
def issue_ballot_result(tenant_id: int, ballot_id: int) -> int | None:
    from voting.results import issue_ballot_result_sheet

    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant), translation.override(settings.LANGUAGE_CODE):
        ballot = Ballot.objects.filter(pk=ballot_id).first()
        if ballot is None:
            return None
        return issue_ballot_result_sheet(ballot).pk


def missing_result_sheets() -> list[tuple[Any, tuple[int, int]]]:
    """Closed ballots and slips of every tenant without their signed result sheet (``ecabinet.recovery``)."""
    found: list[tuple[Any, tuple[int, int]]] = []
    for tenant in Tenant.objects.filter(is_active=True):
        with tenant_context(tenant):
            for ballot_id in Ballot.objects.filter(
                status=Ballot.Status.CLOSED, result_document_id__isnull=True
            ).values_list("pk", flat=True):
                found.append((issue_ballot_result, (tenant.pk, ballot_id)))
            for slip_id in Slip.objects.filter(
                status=Slip.Status.CLOSED, result_document_id__isnull=True
            ).values_list("pk", flat=True):
                found.append((issue_slip_result, (tenant.pk, slip_id)))
    return found
