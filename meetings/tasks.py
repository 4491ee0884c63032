"""Background work of meetings (run by the django-tasks worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_tasks import task

from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context, tenant_url
from meetings.models import Meeting, Participant


@task()
def notify_published(tenant_id: int, meeting_id: int) -> int:
    """Tell every participant with an e-mail address that the agenda is out.

    Tablets that are connected already know (the ``meeting.published`` event);
    this reaches those who are not. Returns how many messages were sent.
    """
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant), translation.override(settings.LANGUAGE_CODE):
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            return 0
        link = f"{tenant_url(tenant).rstrip('/')}/meetings/{meeting.pk}/"
        when = date_format(localtime(meeting.scheduled_start), "SHORT_DATETIME_FORMAT")
        subject = _("Invitation: %(title)s") % {"title": meeting.title}
        messages = []
        for participant in Participant.objects.filter(meeting=meeting).select_related("user"):
            if not participant.user.email:
                continue
            body = _(
                "Dear %(name)s,\n\nThe agenda of “%(title)s” (%(when)s, %(place)s) has been published.\n"
                "Read it and its papers on eCabinet: %(link)s\n"
            ) % {
                "name": participant.user.full_name,
                "title": meeting.title,
                "when": when,
                "place": meeting.place or "—",
                "link": link,
            }
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [participant.user.email]))
        return send_mass_mail(messages, fail_silently=False) if messages else 0
