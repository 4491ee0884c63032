"""Papers: what the secretariat distributes, who may read it, and every copy served.

A paper (tờ trình, dự thảo, báo cáo) belongs to a meeting and usually to one
of its agenda items. Each upload is a ``PaperVersion``; readers only ever get
the current one, stamped for them (``StampedCopy``), and every open is kept
(``PaperOpen``) beside the audit row. The direct foreign-key permission models
have been here since the first migration on purpose: moving django-guardian's
generic permissions to them later can lose grants silently.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ecabinet.tenancy import TenantOwned
from meetings.models import AgendaItem, Meeting


class PaperStorage(FileSystemStorage):
    """Papers live outside any public path (``ECABINET_PAPERS_ROOT``).

    They have no URL: a paper leaves the server only through
    ``documents.serving``, stamped for its reader, behind a signed link.
    """

    def __init__(self) -> None:
        super().__init__()

    @cached_property
    def base_location(self) -> str:
        return str(settings.ECABINET_PAPERS_ROOT)

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("Papers have no public URL; serve them through documents.serving.")


paper_storage = PaperStorage()


@receiver(setting_changed, dispatch_uid="documents.paper_storage")
def _papers_root_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "ECABINET_PAPERS_ROOT":
        paper_storage.__dict__.pop("base_location", None)
        paper_storage.__dict__.pop("location", None)


def _storage() -> PaperStorage:
    return paper_storage


class PaperSettings(TenantOwned):
    """A tenant's rules for papers."""

    max_upload_mb = models.PositiveIntegerField(_("largest paper (MB)"), default=100)
    grace_days = models.PositiveIntegerField(
        _("days papers stay readable after the meeting closes"), default=7
    )

    class Meta:
        verbose_name = _("paper settings")
        verbose_name_plural = _("paper settings")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="paper_settings_once_per_tenant"),
            models.CheckConstraint(condition=Q(max_upload_mb__gte=1), name="paper_upload_limit_positive"),
        ]

    def __str__(self) -> str:
        return str(self.tenant)


class MeetingPapers(TenantOwned):
    """The papers side of one meeting: its readers' group and whether reading has ended.

    Every participant is in ``group``; a paper for everyone is granted to the
    group, a restricted one to named users. ``revoked_at`` is the
    secretariat's word that reading ends now, ahead of the grace period.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="papers_state"
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="meeting_papers")
    revoked_at = models.DateTimeField(_("reading ended at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("papers of a meeting")
        verbose_name_plural = _("papers of meetings")

    def __str__(self) -> str:
        return str(self.meeting)


class Paper(TenantOwned):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        # Not "Draft": that word is already a meeting's status ("Đang chuẩn bị").
        DRAFT = "draft", _("Draft text")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    # None for a paper of something other than a meeting (an opinion slip's):
    # its owner app decides who reads it (``documents.access.register_paper_owner``),
    # and no meeting page or list ever shows it.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="papers",
    )
    # PROTECT: removing an item must not turn its papers into the meeting's
    # own papers, which a guest may read; documents refuses the removal first.
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="papers",
    )
    title = models.CharField(_("paper title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUBMISSION)
    presenting_unit = models.CharField(_("presenting unit"), max_length=300, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    restricted = models.BooleanField(
        _("only for named people"),
        default=False,
        help_text=_("Otherwise every participant who sees the item receives it."),
    )
    downloadable = models.BooleanField(_("may be downloaded"), default=False)
    current_version = models.ForeignKey(
        "PaperVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["meeting", "item", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(item__isnull=True),
                name="paper_without_meeting_has_no_item",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def _version_path(version: PaperVersion, filename: str) -> str:
    paper = version.paper
    folder = paper.meeting_id if paper.meeting_id is not None else "other"
    return f"{paper.tenant_id}/{folder}/{paper.pk}/v{version.number}-{version.sha256[:12]}.pdf"


class PaperVersion(TenantOwned):
    """One upload of a paper. Versions are kept; readers get the current one."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(storage=_storage, upload_to=_version_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    page_count = models.PositiveIntegerField(_("pages"))
    # One digest per page, so a note can tell whether its page changed.
    page_digests = models.JSONField(default=list)
    # What was taken out of the upload before it was kept ({"kinds": [...],
    # "files": [...]}, see documents.pdf_inspect.Removed), and the pages that
    # were pictures nobody could read, kept on the uploader's confirmation.
    removed = models.JSONField(_("removed for safety"), default=dict, blank=True)
    unreadable_pages = models.JSONField(_("pages confirmed unread"), default=list, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper version")
        verbose_name_plural = _("paper versions")
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paper_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.paper} v{self.number}"


def _copy_path(copy: StampedCopy, filename: str) -> str:
    version = copy.version
    return f"{version.tenant_id}/stamped/{version.paper_id}/v{version.number}/{copy.trace_code}.pdf"


class StampedCopy(TenantOwned):
    """The copy of one version made for one reader, with their name on every page.

    Made at most once per (version, reader) and kept: the trace code printed
    on it names this row, so a leaked printout leads back to its reader.
    """

    version = models.ForeignKey(PaperVersion, on_delete=models.CASCADE, related_name="copies")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    trace_code = models.CharField(_("trace code"), max_length=16, unique=True)
    file = models.FileField(storage=_storage, upload_to=_copy_path, max_length=300)
    stamp_text = models.CharField(_("stamp"), max_length=500)
    made_at = models.DateTimeField(_("made at"))
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("stamped copy")
        verbose_name_plural = _("stamped copies")
        constraints = [
            models.UniqueConstraint(fields=["version", "reader"], name="one_stamped_copy_per_reader"),
        ]

    def __str__(self) -> str:
        return self.trace_code


class PaperOpen(TenantOwned):
    """One open or download of a paper by a reader (the audit log has it too)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="opens")
    version = models.ForeignKey(PaperVersion, on_delete=models.CASCADE, related_name="opens")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    copy = models.ForeignKey(StampedCopy, null=True, on_delete=models.SET_NULL, related_name="opens")
    at = models.DateTimeField(_("time"))
    downloaded = models.BooleanField(_("downloaded"), default=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("paper opened")
        verbose_name_plural = _("papers opened")
        indexes = [models.Index(fields=["paper", "reader"])]

    def __str__(self) -> str:
        return f"{self.paper_id} {self.reader_id} {self.at:%Y-%m-%d %H:%M}"


class PaperNote(TenantOwned):
    """A member's private note on one page of a paper, optionally on a region.

    Only its author sees it unless it is shared with the meeting's
    participants. It follows the paper to new versions; ``page_digest`` tells
    whether the page it was written on has changed since.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="notes")
    version = models.ForeignKey(PaperVersion, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    page = models.PositiveIntegerField(_("page"))
    # {"x", "y", "w", "h"} as fractions of the page, from its top left corner.
    region = models.JSONField(_("highlighted region"), null=True, blank=True)
    text = models.TextField(_("note"))
    shared = models.BooleanField(_("shared with the participants"), default=False)
    page_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["paper", "page", "id"]
        indexes = [models.Index(fields=["paper", "author"])]
        constraints = [models.CheckConstraint(condition=Q(page__gte=1), name="note_page_from_one")]

    def __str__(self) -> str:
        return f"{self.paper_id} p{self.page}"


class PaperUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Paper, on_delete=models.CASCADE)


class PaperGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Paper, on_delete=models.CASCADE)
