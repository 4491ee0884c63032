"""What comes after the session: its minutes and conclusion notice, the tasks it
assigns, and the tenant's yardsticks for measuring what the system saves.

Time and paper saved are computed from the meetings, papers and votes
themselves (``reports/measurement.py``); nothing here stores a result that
could be typed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecabinet.models import SignedDocument
from ecabinet.tenancy import TenantOwned
from meetings.models import AgendaItem, Meeting


def default_task_reminders() -> list[int]:
    return [3, 1]


class ReportSettings(TenantOwned):
    """A tenant's yardsticks: the price of a printed page, the target, reminders."""

    # What one printed page of a dossier costs (paper, printing, copying,
    # delivery), in đồng. Demo tenants mark theirs as an assumption.
    price_per_page = models.PositiveIntegerField(_("cost of a printed page (VND)"), default=1000)
    price_source = models.CharField(_("source of the price"), max_length=300, blank=True)
    price_is_assumption = models.BooleanField(_("the price is an assumption"), default=True)
    # Resolution 17/NQ-CP: meetings 30–50 % shorter.
    target_low_percent = models.PositiveSmallIntegerField(_("target: shorter by at least (%)"), default=30)
    target_high_percent = models.PositiveSmallIntegerField(_("target: shorter by up to (%)"), default=50)
    # Days before a task's due date when its assignee is reminded.
    task_reminder_days = models.JSONField(
        _("task reminders (days before due)"), default=default_task_reminders
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="report_settings_once_per_tenant"),
            models.CheckConstraint(
                condition=Q(
                    target_low_percent__lte=models.F("target_high_percent"), target_high_percent__lte=100
                ),
                name="report_targets_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.tenant)


class MeetingRecord(TenantOwned):
    """The minutes (biên bản) or the conclusion notice (thông báo kết luận) of a meeting.

    Drafted from the session's record, edited by the secretariat, then issued:
    rendered, signed and kept as an immutable ``SignedDocument``. Once issued
    it is never edited again (the actions refuse; the signed PDF is
    append-only in the database).
    """

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        NOTICE = "notice", _("Conclusion notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="records"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The draft as the secretariat edits it: sections of text and the record's
    # facts (attendance, items, speakers, ballots) as drafted from the session.
    content = models.JSONField(_("content"), default=dict)
    drafted_at = models.DateTimeField(_("drafted at"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        SignedDocument,
        verbose_name=_("signed document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_record",
    )

    class Meta:
        verbose_name = _("minutes or conclusion notice")
        verbose_name_plural = _("minutes and conclusion notices")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="one_record_of_each_kind_per_meeting"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(document__isnull=False, issued_at__isnull=False),
                name="issued_record_has_its_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"


class FollowUpTask(TenantOwned):
    """A task a conclusion assigns (giao việc): to a member, or to a unit, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="tasks"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    record = models.ForeignKey(
        MeetingRecord,
        verbose_name=_("conclusion notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField(_("task"), max_length=500)
    detail = models.TextField(_("detail"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up_tasks",
    )
    assignee_unit = models.CharField(_("assigned to (unit)"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField(_("progress"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["tenant", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | ~Q(assignee_unit=""), name="task_has_an_assignee"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskReminder(TenantOwned):
    """A reminder sent for a task, so that each is sent once (``days_before`` < 0: overdue)."""

    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.IntegerField()
    sent_at = models.DateTimeField()
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [
            models.UniqueConstraint(fields=["task", "days_before"], name="one_reminder_per_task_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.days_before}"


class SessionCount(TenantOwned):
    """What the secretariat said of a session for the figures (``reports.measurement``).

    Without a word a held session counts, unless it was far shorter than its
    agenda planned (a trial, a test): that one is flagged and left out until
    the secretariat confirms it. A session marked as a trial or rehearsal is
    left out of every figure, the national ones included.
    """

    class Verdict(models.TextChoices):
        TRIAL = "trial", _("Trial or rehearsal: left out of the figures")
        COUNTED = "counted", _("A real session: counted in the figures")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("counted in the figures"), max_length=20, choices=Verdict.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("session in the figures")
        verbose_name_plural = _("sessions in the figures")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.verdict}"
