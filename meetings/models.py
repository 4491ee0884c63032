"""Meetings and who takes part in them, with which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecabinet.models import EventStream
from ecabinet.roles import Role
from ecabinet.tenancy import TenantOwned


class Meeting(TenantOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_SESSION = "in_session", _("In session")
        ADJOURNED = "adjourned", _("Adjourned")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=300)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Every live change of the meeting is an event of this stream.
    stream = models.OneToOneField(
        EventStream, on_delete=models.PROTECT, related_name="meeting", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-scheduled_start", "-id"]
        indexes = [models.Index(fields=["tenant", "scheduled_start"])]

    def __str__(self) -> str:
        return self.title


class Participant(TenantOwned):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="participant_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
