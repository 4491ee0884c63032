"""The foundation's schema: tenants, accounts, the audit log and the event streams."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

slug_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$",
    _("Use 3–50 lower-case letters, digits and hyphens, starting with a letter."),
)


# The largest id a row of a BigAutoField can have: a larger one in a URL or a frame is not found.
MAX_ID = 2**63 - 1


class Tenant(models.Model):
    """The Government or one People's Committee, reached at ``<slug>.<domain>``."""

    class Level(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, validators=[slug_validator])
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Provinces and communes merge (Resolution 202/2025/QH15): the old host then
    # points people to the tenant that carries on.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="government") | Q(parent__isnull=False) | Q(level="province"),
                name="tenant_below_province_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(is_active=False),
                name="tenant_merged_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EcabinetUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, username: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        return super().create_user(username, None, password, **extra_fields)


class User(AbstractUser):
    """An account of one tenant, or a national administrator (no tenant)."""

    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("tenant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. Minister of Finance"))
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    # The tenant's secretariat (Văn phòng) prepares every meeting of the tenant;
    # other roles are per meeting (meetings.Participant).
    is_secretariat = models.BooleanField(_("secretariat"), default=False)

    objects: ClassVar[EcabinetUserManager] = EcabinetUserManager()

    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Vietnamese order on either engine (ecabinet.collation; the ``vi`` collation)
        ordering = [Collate(F("full_name"), "vi").asc(), "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tenant__isnull=False) | Q(is_superuser=True),
                name="user_without_tenant_is_national_admin",
            ),
            models.CheckConstraint(
                condition=Q(is_secretariat=False) | Q(tenant__isnull=False),
                name="secretariat_belongs_to_tenant",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_national_admin(self) -> bool:
        return self.tenant_id is None and self.is_superuser

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class AuditEvent(models.Model):
    """One line of the append-only audit log.

    Rows are only ever inserted (``ecabinet.audit.record``); database triggers
    refuse UPDATE and DELETE on both engines (migration 0008). Each row is a
    link of its tenant's chain (``chain``: ``t<tenant id>``, or ``national``
    for what happens outside any tenant): numbered without gaps (``seq``) and
    carrying the hash of the row before it, so ``manage.py verify_audit``
    names the first row removed, changed or put in (``docs/audit.md``).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        PERMISSION_REFUSED = "permission_refused", _("Permission refused")
        TENANT_CREATED = "tenant_created", _("Tenant created")
        RULES_CHANGED = "rules_changed", _("Rules changed")
        USER_CREATED = "user_created", _("Account created")
        REMINDER_SENT = "reminder_sent", _("Reminder sent")
        # meetings
        MEETING_CREATED = "meeting_created", _("Meeting created")
        MEETING_CHANGED = "meeting_changed", _("Meeting changed")
        MEETING_STATUS_CHANGED = (
            "meeting_status_changed",
            _("Meeting published, started, adjourned, resumed or closed"),
        )
        AGENDA_CHANGED = "agenda_changed", _("Agenda changed")
        PARTICIPANTS_CHANGED = "participants_changed", _("Participants changed")
        SUBSTITUTE_PROPOSED = "substitute_proposed", _("Substitute proposed")
        SUBSTITUTE_DECIDED = "substitute_decided", _("Substitute approved, refused or withdrawn")
        ATTENDANCE_RECORDED = "attendance_recorded", _("Attendance recorded")
        ITEM_STATUS_CHANGED = "item_status_changed", _("Item opened, concluded or deferred")
        SPEAKING = "speaking", _("Request to speak or floor given")
        COMMENT_CHANGED = "comment_changed", _("Comment written, edited or withdrawn")
        # papers
        PAPER_UPLOADED = "paper_uploaded", _("Paper uploaded")
        PAPER_REPLACED = "paper_replaced", _("New version of a paper")
        PAPER_CHANGED = "paper_changed", _("Paper's title, kind, item or place changed")
        PAPER_UPLOAD_REFUSED = "paper_upload_refused", _("Paper refused at upload")
        PAPER_DISTRIBUTION_CHANGED = "paper_distribution_changed", _("Paper distribution changed")
        PAPER_OPENED = "paper_opened", _("Paper opened")
        PAPER_DOWNLOADED = "paper_downloaded", _("Paper downloaded")
        PAPER_REVOKED = "paper_revoked", _("Access to papers ended")
        PAPER_REMOVED = "paper_removed", _("Paper removed")
        PAPER_CONFIRMED = "paper_confirmed", _("Unreadable paper confirmed by the secretariat")
        # opinions and votes
        POSITIONS_CUTOFF_SET = "positions_cutoff_set", _("Cutoff for positions set")
        POSITION_GIVEN = "position_given", _("Position given")
        CONSENT_LIST_ADOPTED = "consent_list_adopted", _("Consent list adopted")
        SLIP_ISSUED = "slip_issued", _("Opinion slip issued")
        SLIP_ANSWERED = "slip_answered", _("Opinion slip answered")
        SLIP_CLOSED = "slip_closed", _("Opinion slip closed")
        BALLOT_OPENED = "ballot_opened", _("Ballot opened")
        VOTE_CAST = "vote_cast", _("Vote cast")
        BALLOT_CLOSED = "ballot_closed", _("Ballot closed")
        # signed documents, minutes and follow-up
        DOCUMENT_SIGNED = "document_signed", _("Document signed")
        MINUTES_DRAFTED = "minutes_drafted", _("Minutes drafted")
        MINUTES_ISSUED = "minutes_issued", _("Minutes issued")
        TASK_ASSIGNED = "task_assigned", _("Task assigned")
        TASK_UPDATED = "task_updated", _("Task updated")
        SESSION_COUNT_SET = "session_count_set", _("Session marked as a trial, or confirmed for the figures")
        # the system itself
        WORK_RECOVERED = "work_recovered", _("Interrupted or missing background work done again")
        BACKUP_MADE = "backup_made", _("Backup made")
        BACKUP_RESTORED = "backup_restored", _("Backup restored")
        # the demo
        DEMO_RESET = "demo_reset", _("Demo data reset")

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.PROTECT
    )
    user = models.ForeignKey(User, verbose_name=_("user"), null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    chain = models.CharField(_("chain"), max_length=24)
    seq = models.PositiveBigIntegerField(_("number in the chain"))
    prev_hash = models.CharField(_("hash of the row before"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["tenant", "kind", "at"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_row_per_link")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind}"


class AuditChain(models.Model):
    """The head of one audit chain: its last number and hash.

    Every ``audit.record`` of the chain increments ``last_seq`` first, which
    locks this row to the end of the transaction, so rows of one chain are
    numbered and linked in commit order from any process; ``verify_audit``
    compares the head with the last row, so rows cut from the end show too.
    """

    key = models.CharField(max_length=24, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.key} #{self.last_seq}"


class EventStream(models.Model):
    """The numbered stream of events of one live thing (a meeting).

    ``last_seq`` is the one counter every process increments inside the
    writing transaction, so numbers are gap-free across processes. The owner
    (``meetings.Meeting.stream``) decides who may read it. The events are a
    hash chain (``Event.hash``); ``last_hash`` is the hash of the last one,
    printed in the signed minutes (``docs/audit.md``).
    """

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event stream")

    def __str__(self) -> str:
        return f"stream {self.pk} @ {self.last_seq}"

    @property
    def group_name(self) -> str:
        return f"stream.{self.pk}"


class Event(models.Model):
    """An event as it was sent, kept so that a client can replay what it missed."""

    stream = models.ForeignKey(EventStream, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=80)
    at = models.DateTimeField()
    data = models.JSONField(default=dict)
    # Who may read it, as the stream's owner understands it (e.g. {"item": 7}
    # or {"capability": "see_secretariat_comments"}); null: every follower.
    # Others get the number only, as a "redacted" frame, so they see no gap.
    audience = models.JSONField(null=True, blank=True)
    # SHA-256 of this event and the hash of the one before (``ecabinet.realtime.event_hash``).
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("event")
        ordering = ["stream", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="event_seq_unique_per_stream"),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.seq}"

    def as_frame(self) -> dict[str, Any]:
        return {"type": self.type, "seq": self.seq, "at": self.at.isoformat(), "data": self.data}

    def as_redacted_frame(self) -> dict[str, Any]:
        return redacted_frame(self.seq, self.at.isoformat())


def redacted_frame(seq: int, at: str) -> dict[str, Any]:
    """What a follower who may not read an event gets: its number, nothing else."""
    return {"type": "redacted", "seq": seq, "at": at, "data": {}}


# --- signed documents -------------------------------------------------------------
# Imported here, after Tenant: ecabinet.tenancy itself imports Tenant from this module.
from ecabinet.tenancy import TenantOwned  # noqa: E402


class SignedDocument(TenantOwned):
    """A PDF as it was issued and signed: a result sheet, minutes.

    Kept byte for byte. Database triggers refuse UPDATE and DELETE (migration
    0005), so what was signed is what stays. The owning app names its thing in
    ``reference`` (e.g. ``ballot:42``) and decides who may read it through
    ``ecabinet.signing.register_signed_document_access``.
    """

    kind = models.CharField(_("kind"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=60, help_text=_("e.g. KQBQ-UBND"))
    title = models.CharField(_("title of the document"), max_length=500)
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    signed_at = models.DateTimeField(_("signed at"))
    signer_name = models.CharField(_("signed by (certificate)"), max_length=200)
    signer_position = models.CharField(_("position of the signer"), max_length=200, blank=True)
    signer_person = models.CharField(_("name of the signer"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "year", "number"], name="signed_document_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.title}"

    @property
    def number_symbol(self) -> str:
        """ "05/KQBQ-UBND": numbers below 10 with a leading zero (Nghị định 30/2020/NĐ-CP)."""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def filename(self) -> str:
        return f"{self.number:02d}-{self.symbol}-{self.year}.pdf"


class WorkerBeat(models.Model):
    """A background worker's last sign of life (``ecabinet.recovery``): not a tenant's."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self) -> str:
        return self.worker_id


class SocketReceipt(models.Model):
    """A socket action a client sent with a key, and the answer it got.

    A tablet that lost its socket before the answer came sends the action
    again with the same key; the receipt makes that do nothing a second time
    and answer what it answered the first (``ecabinet.realtime.receipts``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    stream = models.ForeignKey(EventStream, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=80)
    answer = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("socket receipt")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="socket_receipt_key_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"
