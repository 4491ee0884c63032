"""Every write of opinions and votes: one action, one transaction, its audit
row, its event after commit.

Who may call an action is decided before, in ``voting.access`` and
``meetings.access``; actions check the state (open, before the deadline,
eligible, not twice) and refuse with a message for a person. One answer per
person is also a database constraint, so a race that slips past the checks
still cannot count twice: the actions lock the slip's or ballot's row first,
and an ``IntegrityError`` becomes the same "already answered" refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.cleaning import clean_text, tenant_settings
from ecabinet.collation import by_name
from ecabinet.errors import Invalid, NotAllowed, WrongState
from ecabinet.models import Tenant, User
from ecabinet.realtime import publish_on_commit
from ecabinet.roles import Capability, Role
from meetings.actions import meeting_settings
from meetings.models import AgendaItem, Meeting, Participant
from meetings.payloads import item_payload
from voting import rules
from voting.access import VOTING_ROLES, manages_slips, member_for
from voting.models import (
    DEFAULT_REMINDER_HOURS,
    Ballot,
    BallotVoter,
    ConsentAdoption,
    Majority,
    Position,
    PositionChange,
    PositionRound,
    SecretTally,
    Slip,
    SlipAnswer,
    SlipAnswerChange,
    SlipPaper,
    SlipRecipient,
    SlipReminder,
    Vote,
    VoteChange,
    VotingSettings,
)
from voting.payloads import (
    DEFAULT_OPTION_LABELS,
    ballot_counts,
    ballot_payload,
    ballot_tally,
    named_votes,
    position_payload,
)

MAX_TEXT = 5000
MAX_OPTIONS = 10
MAX_COUNTDOWN = 3600
MAX_REMINDERS = 6


def _clean_text(value: Any, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    return clean_text(value, field=field, required=required, limit=limit)


def _clean_majority(value: Any) -> str:
    if value not in Majority.values:
        raise Invalid(_("Unknown majority rule."))
    return str(value)


def _aware(value: Any, message: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise Invalid(message)
    return value


def voting_settings(tenant: Tenant) -> VotingSettings:
    return tenant_settings(VotingSettings, tenant, reminder_hours=list(DEFAULT_REMINDER_HOURS))


@transaction.atomic
def do_set_voting_settings(
    *, tenant: Tenant, reminder_hours: list[int], acting_user: User | None
) -> VotingSettings:
    if not isinstance(reminder_hours, list) or len(reminder_hours) > MAX_REMINDERS:
        raise Invalid(_("Give at most %(n)s reminder times.") % {"n": MAX_REMINDERS})
    hours = set()
    for value in reminder_hours:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 30:
            raise Invalid(_("Each reminder is a whole number of hours from 1 to 720."))
        hours.add(value)
    found = VotingSettings.all_tenants.select_for_update().filter(tenant=tenant).first()
    found = found or VotingSettings(tenant=tenant, reminder_hours=list(DEFAULT_REMINDER_HOURS))
    before, after = list(found.reminder_hours or []), sorted(hours, reverse=True)
    found.reminder_hours = after
    found.save()
    audit.record_change(
        audit.Kind.RULES_CHANGED,
        before={"reminder_hours": before},
        after={"reminder_hours": after},
        user=acting_user,
        tenant=tenant,
        rules="voting",
    )
    return found


def _refuse_if_substituted(participant: Participant) -> None:
    """A member who named a substitute answers through them, not as well."""
    if (
        participant.substitute_for_id is None
        and participant.cannot_attend
        and Participant.objects.filter(substitute_for=participant).exists()
    ):
        raise NotAllowed(_("Your substitute answers for you in this meeting."))


# --- 1. positions before the session ------------------------------------------------------


def _position_watchers(meeting: Meeting) -> list[int]:
    """Users who see positions as they come in beside the secretariat: the chair and the acting chair."""
    chairs = list(
        Participant.objects.filter(meeting=meeting, role=Role.CHAIR).values_list("user_id", flat=True)
    )
    if meeting.acting_chair_id:
        chairs += list(
            Participant.objects.filter(pk=meeting.acting_chair_id).values_list("user_id", flat=True)
        )
    return chairs


def _positions_audience(meeting: Meeting) -> dict[str, Any]:
    return {"capability": Capability.EDIT_MEETING.value, "users": _position_watchers(meeting)}


def position_round(meeting: Meeting) -> PositionRound | None:
    return PositionRound.objects.filter(meeting=meeting).first()


def positions_open(meeting: Meeting, round_: PositionRound | None, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if meeting.status != Meeting.Status.PUBLISHED:
        return False
    return round_ is None or round_.cutoff is None or now < round_.cutoff


@transaction.atomic
def do_set_positions_cutoff(
    meeting: Meeting, *, cutoff: datetime | None, acting_user: User | None
) -> PositionRound:
    """The secretariat sets until when members may give positions (null: until the session starts)."""
    meeting = Meeting.objects.select_for_update().select_related("stream").get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise WrongState(_("Positions are given before the session; it has started."))
    if cutoff is not None:
        cutoff = _aware(cutoff, _("The cutoff must carry a time zone."))
        if cutoff > meeting.scheduled_start:
            raise Invalid(_("The cutoff must come before the session starts."))
    round_, _created = PositionRound.objects.get_or_create(
        meeting=meeting, defaults={"tenant_id": meeting.tenant_id}
    )
    round_.cutoff = cutoff
    round_.save(update_fields=["cutoff"])
    audit.record(
        audit.Kind.POSITIONS_CUTOFF_SET,
        user=acting_user,
        tenant=meeting.tenant,
        meeting_id=meeting.pk,
        cutoff=cutoff.isoformat() if cutoff else None,
    )
    publish_on_commit(
        meeting.stream,
        "positions.cutoff",
        {"meeting_id": meeting.pk, "cutoff": cutoff.isoformat() if cutoff else None},
    )
    return round_


@transaction.atomic
def do_give_position(item: AgendaItem, *, participant: Participant, kind: str, reason: str = "") -> Position:
    """A member's position on an item before the cutoff; a change keeps the old one."""
    meeting = Meeting.objects.select_for_update().select_related("stream").get(pk=item.meeting_id)
    member = member_for(participant)
    if member is None:
        raise NotAllowed(_("Only members of the meeting give positions."))
    _refuse_if_substituted(participant)
    if not positions_open(meeting, position_round(meeting)):
        raise WrongState(
            _("Positions can no longer be given: the cutoff has passed or the session has started.")
        )
    if item.status != AgendaItem.Status.PENDING:
        raise WrongState(_("This item has already been dealt with."))
    if kind not in Position.Kind.values:
        raise Invalid(_("Choose no objection, objection or wish to speak."))
    reason = _clean_text(reason, field=_("reason"), required=kind == Position.Kind.OBJECTION)
    now = timezone.now()
    position = Position.objects.select_for_update().filter(item=item, member=member).first()
    if position is None:
        try:
            with transaction.atomic():
                position = Position.objects.create(
                    tenant_id=item.tenant_id,
                    item=item,
                    member=member,
                    given_by=participant,
                    kind=kind,
                    reason=reason,
                    given_at=now,
                )
        except IntegrityError as exc:
            raise WrongState(
                _("Your position was just given from another device; reload and try again.")
            ) from exc
    else:
        PositionChange.objects.create(
            tenant_id=item.tenant_id,
            position=position,
            kind=position.kind,
            reason=position.reason,
            replaced_at=now,
            replaced_by=participant,
        )
        position.kind, position.reason, position.given_by, position.changed_at = (
            kind,
            reason,
            participant,
            now,
        )
        position.save(update_fields=["kind", "reason", "given_by", "changed_at"])
    audit.record(
        audit.Kind.POSITION_GIVEN,
        user=participant.user,
        tenant=meeting.tenant,
        meeting_id=meeting.pk,
        item_id=item.pk,
        member_id=member.pk,
        position=kind,
    )
    publish_on_commit(
        meeting.stream,
        "positions.changed",
        {"item_id": item.pk, "position": position_payload(position)},
        audience=_positions_audience(meeting),
    )
    return position


def consent_items(meeting: Meeting) -> list[AgendaItem]:
    """Pending items that someone cleared and nobody objected to or wants to speak on."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.PENDING).order_by(
            "position", "id"
        )
    )
    kinds: dict[int, set[str]] = {}
    for item_id, kind in Position.objects.filter(item__meeting=meeting).values_list("item_id", "kind"):
        kinds.setdefault(item_id, set()).add(kind)
    return [i for i in items if kinds.get(i.pk) == {Position.Kind.NO_OBJECTION}]


@transaction.atomic
def do_adopt_consent_list(meeting: Meeting, *, acting_user: User) -> list[AgendaItem]:
    """The chair adopts every item of the consent list in one step; each is
    recorded as adopted, with the positions it was adopted on."""
    meeting = Meeting.objects.select_for_update().select_related("stream").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.IN_SESSION:
        raise WrongState(_("The consent list is adopted in session."))
    round_ = position_round(meeting)
    if round_ is not None and round_.adopted_at is not None:
        raise WrongState(_("The consent list has already been adopted."))
    items = consent_items(meeting)
    if not items:
        raise WrongState(_("No item is on the consent list."))
    now = timezone.now()
    if round_ is None:
        round_ = PositionRound.objects.create(tenant_id=meeting.tenant_id, meeting=meeting)
    round_.adopted_at, round_.adopted_by = now, acting_user
    round_.save(update_fields=["adopted_at", "adopted_by"])
    snapshot: dict[int, list[dict[str, Any]]] = {}
    for p in (
        Position.objects.filter(item__in=items)
        .select_related("member__user")
        .order_by(by_name("member__user__full_name"))
    ):
        snapshot.setdefault(p.item_id, []).append(
            {"member_id": p.member_id, "member": p.member.user.full_name, "position": p.kind}
        )
    conclusion = _("Adopted on the consent list.")
    for item in items:
        ConsentAdoption.objects.create(
            tenant_id=meeting.tenant_id,
            item=item,
            adopted_at=now,
            adopted_by=acting_user,
            positions=snapshot.get(item.pk, []),
        )
        item.status, item.closed_at = AgendaItem.Status.CONCLUDED, now
        item.conclusion = conclusion if not item.conclusion else item.conclusion
        item.save(update_fields=["status", "closed_at", "conclusion"])
        publish_on_commit(
            meeting.stream,
            "item.updated",
            {"item": item_payload(AgendaItem.objects.select_related("presenter").get(pk=item.pk))},
            audience={"item": item.pk},
        )
    audit.record(
        audit.Kind.CONSENT_LIST_ADOPTED,
        user=acting_user,
        tenant=meeting.tenant,
        meeting_id=meeting.pk,
        item_ids=[i.pk for i in items],
    )
    publish_on_commit(
        meeting.stream, "consent.adopted", {"item_ids": [i.pk for i in items], "adopted_at": now.isoformat()}
    )
    return items


# --- 2. written opinion slips -------------------------------------------------------------


SLIP_OPTIONS = [
    {"key": SlipAnswer.Choice.AGREE.value, "kind": "for"},
    {"key": SlipAnswer.Choice.DISAGREE.value, "kind": "against"},
    {"key": SlipAnswer.Choice.OTHER.value, "kind": "against"},
]


def _schedule_slip(slip: Slip) -> None:
    """After commit: the worker runs ``slip_due`` at every reminder time and at the deadline."""
    from voting.tasks import slip_due

    marks = sorted(
        {slip.deadline - timedelta(hours=h) for h in voting_settings(slip.tenant).reminder_hours}
        | {slip.deadline}
    )
    tenant_id, slip_id = slip.tenant_id, slip.pk
    now = timezone.now()

    def enqueue() -> None:
        for when in marks:
            if when > now:
                slip_due.using(run_after=when).enqueue(tenant_id, slip_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def do_issue_slip(
    *,
    tenant: Tenant,
    question: str,
    deadline: datetime,
    recipients: Iterable[User],
    acting_user: User,
    draft: str = "",
    majority: str = Majority.OF_MEMBERS,
    allow_change: bool = True,
) -> Slip:
    question = _clean_text(question, field=_("question"), limit=500)
    draft = _clean_text(draft, field=_("draft"), required=False, limit=50_000)
    deadline = _aware(deadline, _("The deadline must carry a time zone."))
    now = timezone.now()
    if deadline <= now + timedelta(minutes=5):
        raise Invalid(_("The deadline must be at least five minutes from now."))
    if deadline > now + timedelta(days=90):
        raise Invalid(_("The deadline must be within 90 days."))
    users = {u.pk: u for u in recipients}
    if not users:
        raise Invalid(_("Choose at least one member to ask."))
    if any(u.tenant_id != tenant.pk or not u.is_active for u in users.values()):
        raise Invalid(_("Only active users of this tenant can be asked."))
    # Numbers are per tenant; the tenant's row lock keeps two issuers from taking the same one.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    number = (Slip.all_tenants.filter(tenant=tenant).aggregate(n=Max("number"))["n"] or 0) + 1
    slip = Slip.objects.create(
        tenant=tenant,
        number=number,
        question=question,
        draft=draft,
        deadline=deadline,
        majority=_clean_majority(majority),
        allow_change=bool(allow_change),
        quorum_percent=meeting_settings(tenant).quorum_percent,
        issued_at=now,
        issued_by=acting_user,
    )
    SlipRecipient.objects.bulk_create(
        SlipRecipient(tenant=tenant, slip=slip, user_id=pk) for pk in sorted(users)
    )
    audit.record(
        audit.Kind.SLIP_ISSUED,
        user=acting_user,
        tenant=tenant,
        slip_id=slip.pk,
        recipients=sorted(users),
        majority=slip.majority,
        quorum_percent=slip.quorum_percent,
    )
    _schedule_slip(slip)
    return slip


def _locked_slip(slip: Slip) -> Slip:
    return Slip.objects.select_for_update().get(pk=slip.pk)


@transaction.atomic
def do_answer_slip(slip: Slip, *, user: User, choice: str, text: str = "") -> SlipAnswer:
    """A member's answer. Locks the slip: an answer and the close are served one after the other."""
    slip = _locked_slip(slip)
    if slip.status != Slip.Status.OPEN:
        raise WrongState(_("The slip is closed; answers are no longer accepted."))
    now = timezone.now()
    if now >= slip.deadline:
        raise WrongState(_("The deadline has passed; answers are no longer accepted."))
    if not SlipRecipient.objects.filter(slip=slip, user=user).exists():
        raise NotAllowed(_("You are not among the members asked on this slip."))
    if choice not in SlipAnswer.Choice.values:
        raise Invalid(_("Choose agree, disagree or other opinion."))
    text = _clean_text(text, field=_("opinion"), required=choice == SlipAnswer.Choice.OTHER)
    answer = SlipAnswer.objects.filter(slip=slip, user=user).first()
    if answer is not None:
        if not slip.allow_change:
            raise WrongState(_("You have already answered this slip; answers cannot be changed."))
        SlipAnswerChange.objects.create(
            tenant_id=slip.tenant_id, answer=answer, choice=answer.choice, text=answer.text, replaced_at=now
        )
        answer.choice, answer.text, answer.changed_at = choice, text, now
        answer.save(update_fields=["choice", "text", "changed_at"])
        changed = True
    else:
        try:
            with transaction.atomic():
                answer = SlipAnswer.objects.create(
                    tenant_id=slip.tenant_id, slip=slip, user=user, choice=choice, text=text, answered_at=now
                )
        except IntegrityError as exc:
            raise WrongState(_("You have already answered this slip.")) from exc
        changed = False
    audit.record(
        audit.Kind.SLIP_ANSWERED,
        user=user,
        tenant=slip.tenant,
        slip_id=slip.pk,
        choice=choice,
        changed=changed,
    )
    return answer


def slip_counts(slip: Slip) -> dict[str, int]:
    counts = dict.fromkeys(SlipAnswer.Choice.values, 0)
    for choice in SlipAnswer.objects.filter(slip=slip).values_list("choice", flat=True):
        counts[choice] += 1
    return counts


def slip_result(slip: Slip) -> dict[str, Any]:
    return rules.count(
        options=SLIP_OPTIONS,
        counts=slip_counts(slip),
        eligible=SlipRecipient.objects.filter(slip=slip).count(),
        rule=slip.majority,
        quorum_percent=slip.quorum_percent,
    )


@transaction.atomic
def do_close_slip(slip: Slip, *, acting_user: User | None, early: bool = False) -> Slip:
    """Close a slip: by the worker at the deadline (``acting_user`` None), or
    earlier by the secretariat. The result is counted under the slip's lock,
    and the signed result sheet is issued after commit by the worker."""
    slip = _locked_slip(slip)
    if slip.status != Slip.Status.OPEN:
        raise WrongState(_("The slip is already closed."))
    now = timezone.now()
    if acting_user is None and now < slip.deadline:
        raise WrongState(_("The deadline has not come yet."))
    slip.status, slip.closed_at, slip.closed_by = Slip.Status.CLOSED, now, acting_user
    slip.result = slip_result(slip) | {"closed_early": bool(acting_user is not None and now < slip.deadline)}
    slip.save(update_fields=["status", "closed_at", "closed_by", "result"])
    audit.record(
        audit.Kind.SLIP_CLOSED,
        user=acting_user,
        tenant=slip.tenant,
        slip_id=slip.pk,
        outcome=slip.result["outcome"],
        by_worker=acting_user is None,
    )
    from voting.tasks import issue_slip_result

    tenant_id, slip_id = slip.tenant_id, slip.pk
    transaction.on_commit(lambda: issue_slip_result.enqueue(tenant_id, slip_id))
    return slip


def do_attach_slip_paper(
    slip: Slip,
    *,
    upload: UploadedFile,
    title: str,
    kind: str = "draft",
    declared_secret: bool = False,
    confirmed_unreadable: bool = False,
    acting_user: User,
    request: HttpRequest | None = None,
) -> SlipPaper:
    """Give an open slip a paper (its draft, a report): a PDF checked, kept and
    served like a meeting's paper, read by the members asked and the secretariat.

    The upload is checked in full before anything is kept (a refusal is
    audited and leaves no file and no row); the file is dropped if the rows
    roll back.
    """
    from documents import actions as papers

    if not manages_slips(acting_user):
        raise NotAllowed(_("Only the secretariat gives a slip its papers."))
    title = papers.clean_paper_title(title)
    kind = papers.clean_paper_kind(kind)
    _require_open_for_papers(slip)
    checked = papers.check_upload(
        slip.tenant_id,
        upload,
        declared_secret=declared_secret,
        confirmed_unreadable=confirmed_unreadable,
        acting_user=acting_user,
        request=request,
        title=title,
        where={"slip_id": slip.pk},
    )
    with papers.dropping_files_on_failure(), transaction.atomic():
        slip = _locked_slip(slip)
        _require_open_for_papers(slip)
        paper = papers.create_paper_without_meeting(
            slip.tenant_id,
            upload=upload,
            checked=checked,
            title=title,
            kind=kind,
            position=SlipPaper.objects.filter(slip=slip).count() + 1,
            acting_user=acting_user,
        )
        link = SlipPaper.objects.create(tenant_id=slip.tenant_id, slip=slip, paper=paper)
        audit.record(
            audit.Kind.PAPER_UPLOADED,
            request=request,
            user=acting_user,
            slip_id=slip.pk,
            paper_id=paper.pk,
            version=1,
            sha256=checked.sha256,
            pages=checked.page_count,
            **papers.safety_detail(checked),
        )
    return link


def _require_open_for_papers(slip: Slip) -> None:
    if slip.status != Slip.Status.OPEN or timezone.now() >= slip.deadline:
        raise WrongState(_("Papers are given to a slip only while it is open."))


def reminder_marks(slip: Slip, now: datetime) -> list[int]:
    """The reminder marks (hours before the deadline) whose time has come; 0: overdue."""
    if now >= slip.deadline:
        return [SlipReminder.OVERDUE]
    return [
        h for h in voting_settings(slip.tenant).reminder_hours if now >= slip.deadline - timedelta(hours=h)
    ]


@transaction.atomic
def do_remind_slip(slip: Slip, *, now: datetime | None = None) -> list[SlipReminder]:
    """Remind those who have not answered, once per reminder time that has come.

    Only the latest mark that has come is sent: a member is not reminded
    three times at once because the worker was down.
    """
    slip = _locked_slip(slip)
    now = now or timezone.now()
    if slip.status != Slip.Status.OPEN:
        return []
    marks = reminder_marks(slip, now)
    if not marks:
        return []
    mark = min(marks)
    answered = set(SlipAnswer.objects.filter(slip=slip).values_list("user_id", flat=True))
    reminded = set(
        SlipReminder.objects.filter(slip=slip, hours_before=mark).values_list("user_id", flat=True)
    )
    pending = [
        r.user_id
        for r in SlipRecipient.objects.filter(slip=slip).order_by("id")
        if r.user_id not in answered and r.user_id not in reminded
    ]
    made = SlipReminder.objects.bulk_create(
        SlipReminder(tenant_id=slip.tenant_id, slip=slip, user_id=pk, hours_before=mark, sent_at=now)
        for pk in pending
    )
    if made:
        audit.record(
            audit.Kind.REMINDER_SENT,
            tenant_id=slip.tenant_id,
            slip_id=slip.pk,
            hours_before=mark,
            recipients=[r.user_id for r in made],
            by_worker=True,
        )
        from voting.tasks import email_slip_reminders

        tenant_id, slip_id, ids = slip.tenant_id, slip.pk, [r.pk for r in made]
        transaction.on_commit(lambda: email_slip_reminders.enqueue(tenant_id, slip_id, ids))
    return made


# --- 3. ballots in session ----------------------------------------------------------------


def default_options() -> list[dict[str, str]]:
    """Đồng ý / không đồng ý / không biểu quyết. Their labels are stored as
    said when the ballot opened; readers see them in their own language
    (``voting.payloads.option_label``)."""
    return [{"key": key, "label": str(label), "kind": key} for key, label in DEFAULT_OPTION_LABELS.items()]


def _clean_options(options: Any) -> list[dict[str, str]]:
    if options is None or options == []:
        return default_options()
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        raise Invalid(_("A ballot has from 2 to %(n)s options.") % {"n": MAX_OPTIONS})
    labels = [_clean_text(o, field=_("option"), limit=200) for o in options]
    if len({label.casefold() for label in labels}) != len(labels):
        raise Invalid(_("Two options have the same name."))
    return [{"key": f"o{n}", "label": label, "kind": "choice"} for n, label in enumerate(labels, start=1)]


@transaction.atomic
def do_open_ballot(
    meeting: Meeting,
    *,
    acting_user: User,
    question: str = "",
    options: list[str] | None = None,
    secret: bool = False,
    allow_change: bool = False,
    majority: str = Majority.OF_MEMBERS,
    countdown_seconds: int | None = None,
) -> Ballot:
    """The chair opens a ballot on the current item. Who may vote is fixed now:
    the meeting's members (chair, vice-chairs, members), each once, in person
    or through the substitute they named; so are the rules it is counted by
    (majority, the tenant's quorum, whether a secret ballot may close before
    the quorum)."""
    meeting = Meeting.objects.select_for_update().select_related("stream").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.IN_SESSION:
        raise WrongState(_("A ballot is opened in session."))
    item = meeting.current_item
    if item is None or item.status != AgendaItem.Status.OPEN:
        raise WrongState(_("Open the item to vote on first."))
    if Ballot.objects.filter(meeting=meeting, status=Ballot.Status.OPEN).exists():
        raise WrongState(_("Close the open ballot before opening another."))
    if secret and allow_change:
        raise Invalid(_("A secret vote cannot be changed: nothing records whose it was."))
    closes_at = None
    if countdown_seconds is not None:
        if (
            not isinstance(countdown_seconds, int)
            or isinstance(countdown_seconds, bool)
            or not 10 <= countdown_seconds <= MAX_COUNTDOWN
        ):
            raise Invalid(_("The countdown is from 10 seconds to one hour."))
        closes_at = timezone.now() + timedelta(seconds=countdown_seconds)
    question = _clean_text(question, field=_("question"), required=False, limit=500) or item.title[:500]
    members = list(
        Participant.objects.filter(
            meeting=meeting, role__in=VOTING_ROLES, substitute_for__isnull=True
        ).order_by("id")
    )
    if not members:
        raise WrongState(_("The meeting has no members who may vote."))
    if secret and len(members) < rules.SECRET_COUNTS_FROM:
        raise WrongState(
            _(
                "A secret ballot needs at least %(n)s members who may vote: "
                "with fewer, its count would tell who chose what."
            )
            % {"n": rules.SECRET_COUNTS_FROM}
        )
    the_rules = meeting_settings(meeting.tenant)
    ballot = Ballot.objects.create(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        item=item,
        question=question,
        options=_clean_options(options),
        secret=bool(secret),
        allow_change=bool(allow_change),
        majority=_clean_majority(majority),
        quorum_percent=the_rules.quorum_percent,
        closes_before_quorum=the_rules.secret_ballot_early_close,
        opened_at=timezone.now(),
        opened_by=acting_user,
        closes_at=closes_at,
    )
    BallotVoter.objects.bulk_create(
        BallotVoter(tenant_id=meeting.tenant_id, ballot=ballot, member=m) for m in members
    )
    if ballot.secret:
        SecretTally.objects.bulk_create(
            SecretTally(tenant_id=meeting.tenant_id, ballot=ballot, option=o["key"]) for o in ballot.options
        )
    audit.record(
        audit.Kind.BALLOT_OPENED,
        user=acting_user,
        tenant=meeting.tenant,
        meeting_id=meeting.pk,
        ballot_id=ballot.pk,
        item_id=item.pk,
        secret=ballot.secret,
        eligible=len(members),
        majority=ballot.majority,
        quorum_percent=ballot.quorum_percent,
        closes_before_quorum=ballot.closes_before_quorum,
    )
    publish_on_commit(
        meeting.stream,
        "ballot.opened",
        {"ballot": ballot_payload(ballot), "tally": ballot_tally(ballot)},
        audience={"item": item.pk},
    )
    if closes_at is not None:
        from voting.tasks import close_ballot_at_countdown

        tenant_id, ballot_id = meeting.tenant_id, ballot.pk
        transaction.on_commit(
            lambda: close_ballot_at_countdown.using(run_after=closes_at).enqueue(tenant_id, ballot_id)
        )
    return ballot


def _locked_ballot(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update(of=("self",)).select_related("meeting__stream").get(pk=ballot.pk)


@transaction.atomic
def do_cast_vote(ballot: Ballot, *, participant: Participant | None, option: str) -> BallotVoter:
    """One vote, counted once.

    The ballot's row is locked (``select_for_update``) for the rest of the
    transaction, so votes and the close are served one after the other and a
    vote never lands in a closed ballot. A named vote is one ``Vote`` row
    (unique per voter); a secret vote marks the voter as having voted and adds
    one to the option's counter, and nothing joins the two.
    """
    ballot = _locked_ballot(ballot)
    if ballot.status != Ballot.Status.OPEN:
        raise WrongState(_("The ballot is closed; votes are no longer accepted."))
    now = timezone.now()
    if ballot.closes_at is not None and now >= ballot.closes_at:
        raise WrongState(_("Time is up; votes are no longer accepted."))
    member = member_for(participant)
    voter = BallotVoter.objects.filter(ballot=ballot, member=member).first() if member else None
    if voter is None or participant is None:
        raise NotAllowed(_("You may not vote on this ballot."))
    _refuse_if_substituted(participant)
    if option not in {o["key"] for o in ballot.options}:
        raise Invalid(_("This option is not on the ballot."))
    if voter.voted_at is not None:
        if ballot.secret or not ballot.allow_change:
            raise WrongState(_("You have already voted on this ballot."))
        vote = Vote.objects.select_for_update().get(voter=voter)
        if vote.option != option:
            VoteChange.objects.create(
                tenant_id=ballot.tenant_id,
                vote=vote,
                option=vote.option,
                replaced_at=now,
                replaced_by=participant,
            )
            vote.option, vote.changed_at, vote.cast_by = option, now, participant
            vote.save(update_fields=["option", "changed_at", "cast_by"])
        changed = True
    else:
        # The conditional update is the guard against a second vote racing
        # past the check above on another connection.
        marked = BallotVoter.objects.filter(pk=voter.pk, voted_at__isnull=True).update(
            voted_at=now, cast_by=participant
        )
        if marked != 1:
            raise WrongState(_("You have already voted on this ballot."))
        voter.voted_at, voter.cast_by = now, participant
        if ballot.secret:
            # Every counter of the ballot is rewritten, the chosen one plus one
            # and the others plus nothing: the rows' versions (PostgreSQL's
            # xmin) then tell which transaction touched them last, never which
            # option that transaction chose.
            SecretTally.objects.filter(ballot=ballot).update(
                count=F("count") + Case(When(option=option, then=Value(1)), default=Value(0))
            )
        else:
            try:
                with transaction.atomic():
                    Vote.objects.create(
                        tenant_id=ballot.tenant_id,
                        ballot=ballot,
                        voter=voter,
                        option=option,
                        cast_by=participant,
                        cast_at=now,
                    )
            except IntegrityError as exc:
                raise WrongState(_("You have already voted on this ballot.")) from exc
        changed = False
    detail: dict[str, Any] = {"ballot_id": ballot.pk, "meeting_id": ballot.meeting_id, "changed": changed}
    if not ballot.secret:
        # A secret vote's audit row says that someone voted, not who or what:
        # the voter list already says who.
        detail |= {
            "member_id": voter.member_id,
            "option": option,
            "by_substitute": participant.pk != voter.member_id,
        }
    audit.record(
        audit.Kind.VOTE_CAST, user=None if ballot.secret else participant.user, tenant=ballot.tenant, **detail
    )
    publish_on_commit(
        ballot.meeting.stream, "ballot.tally", ballot_tally(ballot), audience={"item": ballot.item_id}
    )
    return voter


@transaction.atomic
def do_close_ballot(ballot: Ballot, *, acting_user: User | None) -> Ballot:
    """Close and count, under the ballot's lock, by the rules fixed when it
    opened; the result goes to every tablet at once (with names for a named
    ballot), and the signed result sheet follows.

    A secret ballot is not closed by hand before the quorum has voted unless
    its rules allowed it (closing early, when few have voted, narrows who
    chose what); the countdown, announced when it opened, still closes it.
    With fewer than ``rules.SECRET_COUNTS_FROM`` votes its counts are not
    published and its counters are emptied."""
    ballot = _locked_ballot(ballot)
    if ballot.status != Ballot.Status.OPEN:
        raise WrongState(_("The ballot is already closed."))
    now = timezone.now()
    countdown_over = ballot.closes_at is not None and now >= ballot.closes_at
    if acting_user is None and not countdown_over:
        raise WrongState(_("The countdown has not ended yet."))
    voters = list(BallotVoter.objects.filter(ballot=ballot).values_list("voted_at", flat=True))
    eligible, voted = len(voters), sum(1 for v in voters if v is not None)
    needed = rules.quorum_needed(eligible, ballot.quorum_percent)
    if ballot.secret and voted < needed and not countdown_over and not ballot.closes_before_quorum:
        raise WrongState(
            _(
                "%(voted)s of %(eligible)s members have voted; a secret ballot is closed once "
                "%(needed)s have (the quorum). The rules do not allow closing it earlier."
            )
            % {"voted": voted, "eligible": eligible, "needed": needed}
        )
    ballot.result = rules.count(
        options=ballot.options,
        counts=ballot_counts(ballot),
        eligible=eligible,
        rule=ballot.majority,
        quorum_percent=ballot.quorum_percent,
        secret=ballot.secret,
    )
    ballot.status, ballot.closed_at, ballot.closed_by = Ballot.Status.CLOSED, now, acting_user
    ballot.save(update_fields=["status", "closed_at", "closed_by", "result"])
    if ballot.result["counts"] is None:
        # Withheld: the counters are the only place the answers were; they go.
        SecretTally.objects.filter(ballot=ballot).delete()
    audit.record(
        audit.Kind.BALLOT_CLOSED,
        user=acting_user,
        tenant=ballot.tenant,
        meeting_id=ballot.meeting_id,
        ballot_id=ballot.pk,
        outcome=ballot.result["outcome"],
        counts=ballot.result["counts"],
    )
    publish_on_commit(
        ballot.meeting.stream,
        "ballot.closed",
        {
            "ballot": ballot_payload(ballot),
            "tally": ballot_tally(ballot) | {"counts": ballot.result["counts"]},
            "votes": named_votes(ballot),
        },
        audience={"item": ballot.item_id},
    )
    from voting.tasks import issue_ballot_result

    tenant_id, ballot_id = ballot.tenant_id, ballot.pk
    transaction.on_commit(lambda: issue_ballot_result.enqueue(tenant_id, ballot_id))
    return ballot
