"""Meetings: the agenda, who takes part and how, and what happened in the session."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecabinet.models import EventStream
from ecabinet.roles import Role
from ecabinet.tenancy import TenantOwned


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly session")
    THEMATIC = "thematic", _("Thematic session")
    EXTRAORDINARY = "extraordinary", _("Extraordinary session")
    COMMITTEE = "committee", _("People's Committee meeting")


class MeetingSettings(TenantOwned):
    """A tenant's rules for its meetings."""

    # The quorum is met when strictly more than this share of the members
    # (chair, vice-chairs and members) are present, in the room or remote.
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum: more than this percentage of members"), default=50
    )
    speaking_limit_seconds = models.PositiveIntegerField(_("speaking-time limit (seconds)"), default=300)
    # Whether the chair may close a secret ballot before the quorum has voted.
    # Off by default: closing early, when few have voted, narrows who chose what.
    secret_ballot_early_close = models.BooleanField(
        _("the chair may close a secret ballot before the quorum"), default=False
    )

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="meeting_settings_once_per_tenant"),
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="quorum_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return str(self.tenant)


class Baseline(TenantOwned):
    """How long a meeting of this kind took on paper: the yardstick for time saved."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    minutes = models.PositiveIntegerField(_("minutes on paper"))
    source = models.CharField(_("source"), max_length=300, help_text=_("Where the figure comes from."))
    is_assumption = models.BooleanField(
        _("assumption"), default=False, help_text=_("An assumed figure (e.g. demo data), not a measured one.")
    )

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [models.UniqueConstraint(fields=["tenant", "kind"], name="baseline_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.minutes}"


class Clock(models.Model):
    """A clock that can pause: the time already run, and since when it runs
    now (null while paused, e.g. an adjourned meeting or a deferred item)."""

    elapsed_seconds = models.PositiveIntegerField(default=0)
    running_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def clock_seconds(self, now: datetime | None = None) -> int:
        running = self.running_since
        extra = int(((now or timezone.now()) - running).total_seconds()) if running else 0
        return self.elapsed_seconds + max(extra, 0)


class Meeting(TenantOwned, Clock):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_SESSION = "in_session", _("In session")
        ADJOURNED = "adjourned", _("Adjourned")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("meeting title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The paper-era duration, copied from the tenant's baseline when the
    # meeting is made, so later changes of the baseline do not rewrite history.
    baseline_minutes = models.PositiveIntegerField(_("baseline (minutes on paper)"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    baseline_is_assumption = models.BooleanField(_("baseline is an assumption"), default=False)
    speaking_limit_seconds = models.PositiveIntegerField(_("speaking-time limit (seconds)"), default=300)
    current_item = models.ForeignKey(
        "AgendaItem",
        verbose_name=_("current item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A vice-chair named to run the session in the chair's place.
    acting_chair = models.ForeignKey(
        "Participant",
        verbose_name=_("acting chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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


class AgendaItem(TenantOwned, Clock):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet discussed")
        OPEN = "open", _("Under discussion")
        CONCLUDED = "concluded", _("Concluded")
        DEFERRED = "deferred", _("Deferred")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("item title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    presenting_unit = models.CharField(_("presenting unit"), max_length=300, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presenter_name = models.CharField(_("presenter (if not in the directory)"), max_length=200, blank=True)
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), default=15)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # Set when the item changes after the agenda was published, so every
    # tablet can mark it as changed.
    changed_at = models.DateTimeField(_("changed after publishing"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(status="open"), name="one_open_item_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(planned_minutes__lte=24 * 60), name="item_planned_at_most_a_day"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Participant(TenantOwned):
    class Attendance(models.TextChoices):
        ROOM = "room", _("In the room")
        REMOTE = "remote", _("Remote")

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
    # A member who cannot attend names a substitute (ủy quyền): the substitute
    # is a participant of their own, attending for them.
    cannot_attend = models.BooleanField(_("cannot attend"), default=False)
    substitute_for = models.OneToOneField(
        "self",
        verbose_name=_("attending for"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="substitute",
    )
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Guests see only the items they are invited to.
    items = models.ManyToManyField(
        AgendaItem, verbose_name=_("invited to items"), blank=True, related_name="guests"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="participant_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class SubstituteCandidate(TenantOwned):
    """Someone the secretariat allows the members of a meeting to propose as their substitute."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="substitute_candidates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allowed substitute")
        verbose_name_plural = _("allowed substitutes")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="substitute_candidate_once"),
        ]


class RemovedPerson(TenantOwned):
    """Someone the secretariat removed from a meeting: they may not come back as anyone's substitute.

    Adding them again as a participant (the secretariat's explicit choice)
    deletes the row.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="removed_people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person removed from the meeting")
        verbose_name_plural = _("people removed from the meeting")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="removed_person_once"),
        ]


class SubstituteProposal(TenantOwned):
    """A member's proposal of who attends for them, in effect once the chair or the secretariat approves."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="substitute_proposals")
    participant = models.ForeignKey(
        Participant, verbose_name=_("member"), on_delete=models.CASCADE, related_name="substitute_proposals"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("substitute"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("substitute proposal")
        verbose_name_plural = _("substitute proposals")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=Q(status="proposed"), name="one_open_substitute_proposal"
            ),
        ]


class SpeakRequest(TenantOwned):
    class Kind(models.TextChoices):
        SPEECH = "speech", _("Speech")
        QUESTION = "question", _("Question")
        POINT_OF_ORDER = "point_of_order", _("Point of order")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Has the floor")
        DONE = "done", _("Spoke")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speak_requests")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="speak_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SPEECH)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    spoken_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("request to speak")
        verbose_name_plural = _("requests to speak")
        ordering = ["item", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant"],
                condition=Q(status__in=["waiting", "speaking"]),
                name="one_live_request_per_person_and_item",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="speaking"), name="one_speaker_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_kind_display()}"


class Comment(TenantOwned):
    class Visibility(models.TextChoices):
        ALL = "all", _("All participants")
        SECRETARIAT = "secretariat", _("Secretariat and chair only")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.ALL
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["item", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class CommentRevision(TenantOwned):
    """The trace of an edited or withdrawn comment: what it said before."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["comment", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.replaced_at:%H:%M}"
