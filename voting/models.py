"""Opinions and votes: positions before the session, opinion slips, ballots.

Three ways the Government decides, each counted once (database constraints,
not only checks in code), each provable afterwards (a history of changes and
a signed result sheet).

Secret ballots keep "has voted" (``BallotVoter``) apart from the answers,
which are only counters (``SecretTally``): no row per answer, so there is no
id, timestamp or insertion order that could join an answer to a voter.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecabinet.tenancy import TenantOwned
from meetings.models import AgendaItem, Meeting, Participant


class Majority(models.TextChoices):
    OF_MEMBERS = "members", _("More than half of all members")
    OF_VOTING = "voting", _("More than half of those voting")
    TWO_THIRDS = "two_thirds", _("Two thirds of all members")


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NO_QUORUM = "no_quorum", _("No quorum")
    # A secret ballot with too few votes: any count would tell who chose what.
    WITHHELD = "withheld", _("Not enough votes to publish")


class VotingSettings(TenantOwned):
    """A tenant's rules for opinion slips."""

    # Hours before a slip's deadline at which those who have not answered are reminded.
    reminder_hours = models.JSONField(_("reminders (hours before the deadline)"), default=list)

    class Meta:
        verbose_name = _("voting settings")
        verbose_name_plural = _("voting settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="voting_settings_once_per_tenant")]

    def __str__(self) -> str:
        return str(self.tenant)


DEFAULT_REMINDER_HOURS = [24, 2]


# --- 1. positions before the session --------------------------------------------------


class PositionRound(TenantOwned):
    """Positions on a published meeting's items, until the cutoff."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="position_round"
    )
    cutoff = models.DateTimeField(_("cutoff for positions"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("consent list adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("positions before the session")
        verbose_name_plural = _("positions before the session")

    def __str__(self) -> str:
        return str(self.meeting)


class Position(TenantOwned):
    class Kind(models.TextChoices):
        NO_OBJECTION = "no_objection", _("No objection")
        OBJECTION = "objection", _("Objection")
        WISH_TO_SPEAK = "wish_to_speak", _("Wish to speak")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="positions")
    # The member whose position it is; ``given_by`` differs when a substitute gave it.
    member = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="positions")
    given_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("position"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    given_at = models.DateTimeField(_("given at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["item", "member"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_position_per_member_and_item"),
            models.CheckConstraint(
                condition=~Q(kind="objection") | ~Q(reason=""), name="objection_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.kind}"


class PositionChange(TenantOwned):
    """What a position said before it was changed."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Position.Kind.choices)
    reason = models.TextField(blank=True)
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["position", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.position_id}: {self.kind}"


class ConsentAdoption(TenantOwned):
    """One item adopted on the consent list, with the positions it was adopted on."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="consent_adoption")
    adopted_at = models.DateTimeField()
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # [{"member": name, "member_id": participant id, "position": kind}] at the moment of adoption.
    positions = models.JSONField(default=list)

    class Meta:
        ordering = ["adopted_at", "item"]

    def __str__(self) -> str:
        return str(self.item)


# --- 2. written opinion slips ----------------------------------------------------------


class Slip(TenantOwned):
    """A written opinion slip (phiếu lấy ý kiến thành viên)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    number = models.PositiveIntegerField(_("number"))
    question = models.CharField(_("question"), max_length=500)
    draft = models.TextField(_("draft"), blank=True)
    deadline = models.DateTimeField(_("deadline"))
    majority = models.CharField(
        _("majority"), max_length=20, choices=Majority.choices, default=Majority.OF_MEMBERS
    )
    allow_change = models.BooleanField(_("answers may be changed before the close"), default=True)
    # The tenant's quorum when the slip was issued: a later change of the rules
    # does not change how an open slip is counted.
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percentage), fixed at issue"), default=50)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    result_document_id = models.BigIntegerField(_("signed result sheet"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion slip")
        verbose_name_plural = _("opinion slips")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="slip_number_unique_per_tenant"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="closed_slip_has_closing_time"
            ),
        ]

    def __str__(self) -> str:
        return self.question


class SlipPaper(TenantOwned):
    """A paper of an opinion slip: a PDF kept, stamped and served by documents.

    The paper has no meeting; voting tells documents who reads it
    (``voting.access.slip_paper_check``): the members asked and the secretariat.
    """

    slip = models.ForeignKey(Slip, on_delete=models.CASCADE, related_name="papers")
    paper = models.OneToOneField(
        "documents.Paper", on_delete=models.CASCADE, related_name="slip_link", verbose_name=_("paper")
    )

    class Meta:
        verbose_name = _("paper of an opinion slip")
        verbose_name_plural = _("papers of opinion slips")
        ordering = ["slip", "id"]

    def __str__(self) -> str:
        return f"{self.slip_id}: {self.paper_id}"


class SlipRecipient(TenantOwned):
    """A member asked: fixed when the slip is issued."""

    slip = models.ForeignKey(Slip, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["slip", "id"]
        constraints = [models.UniqueConstraint(fields=["slip", "user"], name="slip_recipient_once")]

    def __str__(self) -> str:
        return f"{self.slip_id}: {self.user_id}"


class SlipAnswer(TenantOwned):
    class Choice(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")
        OTHER = "other", _("Other opinion")

    slip = models.ForeignKey(Slip, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("answer"), max_length=10, choices=Choice.choices)
    text = models.TextField(_("opinion"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["slip", "answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slip", "user"], name="one_answer_per_member_and_slip"),
            models.CheckConstraint(condition=~Q(choice="other") | ~Q(text=""), name="other_opinion_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.slip_id}: {self.choice}"


class SlipAnswerChange(TenantOwned):
    """What an answer said before it was changed."""

    answer = models.ForeignKey(SlipAnswer, on_delete=models.CASCADE, related_name="changes")
    choice = models.CharField(max_length=10, choices=SlipAnswer.Choice.choices)
    text = models.TextField(blank=True)
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["answer", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.choice}"


class SlipReminder(TenantOwned):
    """A reminder sent to one member; also what the member's page lists."""

    OVERDUE = 0  # ``hours_before`` of the reminder sent once the deadline has passed

    slip = models.ForeignKey(Slip, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hours_before = models.PositiveIntegerField()
    sent_at = models.DateTimeField()
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slip", "user", "hours_before"], name="slip_reminder_once_per_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slip_id} → {self.user_id} ({self.hours_before} h)"


# --- 3. ballots in session -------------------------------------------------------------


class Ballot(TenantOwned):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ballots")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    question = models.CharField(_("question"), max_length=500)
    # [{"key": "for", "label": "Đồng ý", "kind": "for|against|abstain|choice"}]
    options = models.JSONField(_("options"))
    secret = models.BooleanField(_("secret ballot"), default=False)
    allow_change = models.BooleanField(_("votes may be changed before the close"), default=False)
    majority = models.CharField(
        _("majority"), max_length=20, choices=Majority.choices, default=Majority.OF_MEMBERS
    )
    # The rules it is counted by, fixed when it opens (with its voters,
    # ``BallotVoter``): changing the tenant's rules under an open ballot
    # changes nothing of it.
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percentage), fixed at opening"), default=50)
    closes_before_quorum = models.BooleanField(
        _("a secret ballot may be closed before the quorum"), default=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closes_at = models.DateTimeField(_("countdown ends at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    result_document_id = models.BigIntegerField(_("signed result sheet"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["meeting", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(status="open"), name="one_open_ballot_per_meeting"
            ),
            # A secret answer cannot be changed: nothing remembers which answer was whose.
            models.CheckConstraint(
                condition=Q(secret=False) | Q(allow_change=False), name="secret_votes_are_final"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="ballot_quorum_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.question


class BallotVoter(TenantOwned):
    """A member who may vote: fixed when the ballot opens; and whether they have.

    For a secret ballot this is the only trace of the voter, and it says
    nothing of the answer.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(null=True, blank=True)
    # The participant who cast it: the member, or the substitute they named.
    cast_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["ballot", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="ballot_voter_once")]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.member_id}"


class Vote(TenantOwned):
    """A named ballot's vote. Secret ballots have none (see ``SecretTally``)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    voter = models.OneToOneField(BallotVoter, on_delete=models.CASCADE, related_name="vote")
    option = models.CharField(max_length=40)
    cast_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    cast_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ballot", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_voter_and_ballot")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.option}"


class VoteChange(TenantOwned):
    """What a named vote was before it was changed."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="changes")
    option = models.CharField(max_length=40)
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["vote", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.option}"


class SecretTally(TenantOwned):
    """How many chose one option of a secret ballot: a counter, nothing else.

    A random key and no timestamp: the rows are made when the ballot opens, one
    per option, and only their counts change.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tallies")
    option = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="one_tally_per_option")]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.option}"
