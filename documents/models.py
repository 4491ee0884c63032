"""Papers attached to a meeting or an agenda item.

This is what the agenda lists; upload, versions, stamping per reader and
distribution by permission grow from here (see the papers issue). The direct
foreign-key permission models are in the first migration on purpose: moving
django-guardian's generic permissions to them later can lose grants silently.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ecabinet.tenancy import TenantOwned
from meetings.models import AgendaItem, Meeting


class Paper(TenantOwned):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        DRAFT = "draft", _("Draft")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="papers"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="papers",
    )
    title = models.CharField(_("paper title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUBMISSION)
    presenting_unit = models.CharField(_("presenting unit"), max_length=300, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["meeting", "item", "position", "id"]

    def __str__(self) -> str:
        return self.title


class PaperUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Paper, on_delete=models.CASCADE)


class PaperGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Paper, on_delete=models.CASCADE)
