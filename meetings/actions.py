"""Every write to meetings: one action, one transaction, its event after commit.

Actions check the meeting's state; who may call them is decided before, in
``meetings.access`` (pages, API and socket alike). Actions that change the
session lock the meeting's row first (``_locked``), so two tablets pressing
at once are served one after the other against fresh state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.cleaning import clean_text, tenant_settings
from ecabinet.errors import Invalid, NotAllowed, NotFound, WrongState
from ecabinet.models import EventStream, Tenant, User
from ecabinet.realtime import publish_on_commit
from ecabinet.roles import Capability, Role
from meetings import hooks
from meetings.models import (
    AgendaItem,
    Baseline,
    Comment,
    CommentRevision,
    Meeting,
    MeetingKind,
    MeetingSettings,
    Participant,
    RemovedPerson,
    SpeakRequest,
    SubstituteCandidate,
    SubstituteProposal,
)
from meetings.payloads import (
    QuorumShape,
    comment_payload,
    item_payload,
    meeting_payload,
    participant_payload,
    speak_request_payload,
    substitute_proposal_payload,
)

S = Meeting.Status
EDITABLE = {S.DRAFT, S.PUBLISHED, S.IN_SESSION, S.ADJOURNED}

# A start this far in the past is taken for a mistyped date, not a meeting
# that is starting now.
PAST_START_GRACE = timedelta(minutes=10)


def check_new_start(value: datetime | None, *, unchanged_from: datetime | None = None) -> None:
    """What the secretariat types as a new (or moved) start must not be already past;
    a start left as it was may be (today's session is under way). The forms and the
    API ask it; the actions do not, so that a year of history can be recorded."""
    if value is None or (unchanged_from is not None and abs(value - unchanged_from) < timedelta(minutes=1)):
        return
    if value < timezone.now() - PAST_START_GRACE:
        raise Invalid(
            _("This start is already past (%(when)s). Check the date and the time.")
            % {"when": date_format(timezone.localtime(value), "H:i d/m/Y")}
        )


FOLLOWED = {S.PUBLISHED, S.IN_SESSION, S.ADJOURNED}
MAX_TEXT = 5000
MAX_TITLE = 500

# (action) -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({S.DRAFT}), S.PUBLISHED),
    "start": (frozenset({S.PUBLISHED}), S.IN_SESSION),
    "adjourn": (frozenset({S.IN_SESSION}), S.ADJOURNED),
    "resume": (frozenset({S.ADJOURNED}), S.IN_SESSION),
    "close": (frozenset({S.IN_SESSION, S.ADJOURNED}), S.CLOSED),
}

VOTING_ROLES = {Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER}


# --- helpers ------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    """The meeting re-read under a row lock, for the rest of the transaction."""
    return Meeting.objects.select_for_update().select_related("stream").get(pk=meeting.pk)


def _require_state(meeting: Meeting, allowed: Iterable[str], message: str) -> None:
    if meeting.status not in set(allowed):
        raise WrongState(message)


def _wrong_state_message(action: str, meeting: Meeting) -> str:
    messages = {
        "publish": _("Only a meeting in preparation can be published."),
        "start": _("The meeting can start only once it is published and not yet started."),
        "adjourn": _("Only a meeting in session can be adjourned."),
        "resume": _("Only an adjourned meeting can be resumed."),
        "close": _("Only a meeting in session or adjourned can be closed."),
    }
    if meeting.status == S.CLOSED:
        return _("The meeting is closed.")
    return messages[action]


def _clean_text(value: Any, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    return clean_text(value, field=field, required=required, limit=limit)


def _stop_clock(thing: Meeting | AgendaItem, now: datetime) -> None:
    if thing.running_since is not None:
        thing.elapsed_seconds += max(int((now - thing.running_since).total_seconds()), 0)
        thing.running_since = None


def _audit(kind: str, meeting: Meeting, user: User | None, action: str, **detail: Any) -> None:
    """The action's audit row, in its transaction: who, which meeting, what was done."""
    audit.record(kind, user=user, tenant_id=meeting.tenant_id, meeting_id=meeting.pk, action=action, **detail)


def _fields(row: Any, names: Iterable[str]) -> dict[str, Any]:
    """A row's values of ``names``, as the audit keeps them (a related row by its id)."""
    values = {}
    for name in sorted(names):
        value = getattr(row, f"{name}_id") if hasattr(row, f"{name}_id") else getattr(row, name)
        values[name] = value
    return values


def _digest(text: str) -> str:
    """A comment's text in the audit: its SHA-256, which proves it without repeating it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _invited(participant: Participant) -> list[int]:
    return sorted(participant.items.values_list("pk", flat=True))


def _publish_meeting_state(meeting: Meeting, event: str = "meeting.updated") -> None:
    publish_on_commit(meeting.stream, event, {"meeting": meeting_payload(meeting)})


def _publish_item(item: AgendaItem, event: str) -> None:
    item = AgendaItem.objects.select_related("presenter").get(pk=item.pk)
    publish_on_commit(item.meeting.stream, event, {"item": item_payload(item)}, audience={"item": item.pk})


def _publish_queue(meeting: Meeting, item: AgendaItem) -> None:
    queue = [
        speak_request_payload(r)
        for r in SpeakRequest.objects.filter(item=item, status__in=["waiting", "speaking"])
        .select_related("participant__user")
        .order_by("requested_at", "id")
    ]
    publish_on_commit(
        meeting.stream, "queue.changed", {"item_id": item.pk, "queue": queue}, audience={"item": item.pk}
    )


def _publish_comment(comment: Comment, event: str) -> None:
    audience: dict[str, Any] = {"item": comment.item_id}
    if comment.visibility == Comment.Visibility.SECRETARIAT:
        audience |= {
            "capability": Capability.SEE_SECRETARIAT_COMMENTS.value,
            "users": [comment.author_id],
        }
    publish_on_commit(
        comment.item.meeting.stream, event, {"comment": comment_payload(comment)}, audience=audience
    )


def _mark_changed(meeting: Meeting, item: AgendaItem) -> None:
    if meeting.status != S.DRAFT:
        item.changed_at = timezone.now()


def meeting_settings(tenant: Tenant) -> MeetingSettings:
    return tenant_settings(MeetingSettings, tenant)


def quorum(meeting: Meeting) -> QuorumShape:
    """Members (chair, vice-chairs, members) and how many of them are present.

    A member who named a substitute counts as present when the substitute
    has checked in. The quorum needs strictly more than the tenant's share.
    """
    participants = list(
        Participant.objects.filter(meeting=meeting).values(
            "id", "role", "substitute_for_id", "checked_in_at", "cannot_attend"
        )
    )
    present_by_member = {
        p["substitute_for_id"]: p["checked_in_at"] is not None for p in participants if p["substitute_for_id"]
    }
    members = [p for p in participants if p["role"] in VOTING_ROLES and not p["substitute_for_id"]]
    present = sum(
        1
        for p in members
        if (p["checked_in_at"] is not None and not p["cannot_attend"])
        or present_by_member.get(p["id"], False)
    )
    percent = meeting_settings(meeting.tenant).quorum_percent
    # "More than 100 %" cannot be met: a tenant that asks for everyone gets everyone.
    needed = min(len(members) * percent // 100 + 1, len(members)) if members else 1
    return {
        "members": len(members),
        "present": present,
        "needed": needed,
        "percent": percent,
        "met": present >= needed,
    }


# --- meetings -----------------------------------------------------------------


@transaction.atomic
def do_create_meeting(
    *,
    tenant: Tenant,
    title: str,
    scheduled_start: datetime,
    acting_user: User | None,
    kind: str = MeetingKind.REGULAR,
    place: str = "",
    planned_end: datetime | None = None,
) -> Meeting:
    title = _clean_text(title, field=_("meeting title"), limit=300)
    if kind not in MeetingKind.values:
        raise Invalid(_("Unknown kind of meeting."))
    if scheduled_start.tzinfo is None or (planned_end is not None and planned_end.tzinfo is None):
        raise Invalid(_("The start time must carry a time zone."))
    if planned_end is not None and planned_end <= scheduled_start:
        raise Invalid(_("The planned end must come after the start."))
    baseline = Baseline.all_tenants.filter(tenant=tenant, kind=kind).first()
    meeting = Meeting.objects.create(
        tenant=tenant,
        title=title,
        kind=kind,
        place=_clean_text(place, field=_("place"), required=False, limit=300),
        scheduled_start=scheduled_start,
        planned_end=planned_end,
        baseline_minutes=baseline.minutes if baseline else None,
        baseline_source=baseline.source if baseline else "",
        baseline_is_assumption=baseline.is_assumption if baseline else False,
        speaking_limit_seconds=meeting_settings(tenant).speaking_limit_seconds,
        stream=EventStream.objects.create(),
        created_by=acting_user,
    )
    _audit(
        audit.Kind.MEETING_CREATED,
        meeting,
        acting_user,
        "created",
        title=meeting.title,
        meeting_kind=meeting.kind,
        scheduled_start=meeting.scheduled_start,
    )
    return meeting


MEETING_FIELDS = {"title", "kind", "place", "scheduled_start", "planned_end", "speaking_limit_seconds"}


@transaction.atomic
def do_update_meeting(meeting: Meeting, *, changes: dict[str, Any], acting_user: User | None) -> Meeting:
    meeting = _locked(meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    before = _fields(meeting, MEETING_FIELDS)
    unknown = set(changes) - MEETING_FIELDS
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "title" in changes:
        meeting.title = _clean_text(changes["title"], field=_("meeting title"), limit=300)
    if "place" in changes:
        meeting.place = _clean_text(changes["place"], field=_("place"), required=False, limit=300)
    if "kind" in changes:
        if changes["kind"] not in MeetingKind.values:
            raise Invalid(_("Unknown kind of meeting."))
        meeting.kind = changes["kind"]
    for name in ("scheduled_start", "planned_end"):
        if name in changes:
            value = changes[name]
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise Invalid(_("The start time must carry a time zone."))
            setattr(meeting, name, value)
    if meeting.scheduled_start is None:
        raise Invalid(_("A meeting needs a start time."))
    if meeting.planned_end is not None and meeting.planned_end <= meeting.scheduled_start:
        raise Invalid(_("The planned end must come after the start."))
    if "speaking_limit_seconds" in changes:
        limit = changes["speaking_limit_seconds"]
        if not isinstance(limit, int) or isinstance(limit, bool) or not 15 <= limit <= 3600:
            raise Invalid(_("The speaking-time limit must be between 15 seconds and one hour."))
        meeting.speaking_limit_seconds = limit
    meeting.save()
    _publish_meeting_state(meeting)
    _audit(
        audit.Kind.MEETING_CHANGED,
        meeting,
        acting_user,
        "updated",
        **audit.diff(before, _fields(meeting, MEETING_FIELDS)),
    )
    return meeting


def _transition(meeting: Meeting, action: str) -> Meeting:
    meeting = _locked(meeting)
    allowed, target = TRANSITIONS[action]
    if meeting.status not in allowed:
        raise WrongState(_wrong_state_message(action, meeting))
    meeting.status = target
    return meeting


@transaction.atomic
def do_publish_meeting(meeting: Meeting, *, acting_user: User | None) -> Meeting:
    """Publish the agenda: every participant now sees it, and is told."""
    meeting = _transition(meeting, "publish")
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise WrongState(_("Add at least one agenda item before publishing."))
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    _publish_meeting_state(meeting, "meeting.published")
    hooks.run("published", meeting)
    from meetings.tasks import notify_published

    meeting_id, tenant_id = meeting.pk, meeting.tenant_id
    transaction.on_commit(lambda: notify_published.enqueue(tenant_id, meeting_id))
    _audit(audit.Kind.MEETING_STATUS_CHANGED, meeting, acting_user, "published", status=meeting.status)
    return meeting


@transaction.atomic
def do_start_meeting(meeting: Meeting, *, acting_user: User | None) -> Meeting:
    meeting = _transition(meeting, "start")
    now = timezone.now()
    meeting.started_at = now
    meeting.running_since = now
    meeting.save(update_fields=["status", "started_at", "running_since"])
    _publish_meeting_state(meeting)
    _audit(audit.Kind.MEETING_STATUS_CHANGED, meeting, acting_user, "started", status=meeting.status)
    return meeting


@transaction.atomic
def do_adjourn_meeting(meeting: Meeting, *, acting_user: User | None) -> Meeting:
    """Pause the session: the meeting's and the current item's clocks stop,
    and whoever has the floor ends their turn."""
    meeting = _transition(meeting, "adjourn")
    now = timezone.now()
    _stop_clock(meeting, now)
    meeting.save(update_fields=["status", "elapsed_seconds", "running_since"])
    item = meeting.current_item
    if item is not None:
        if _end_speech(meeting, item, now) is not None:
            _publish_queue(meeting, item)
        _stop_clock(item, now)
        item.save(update_fields=["elapsed_seconds", "running_since"])
        _publish_item(item, "item.updated")
    _publish_meeting_state(meeting)
    _audit(audit.Kind.MEETING_STATUS_CHANGED, meeting, acting_user, "adjourned", status=meeting.status)
    return meeting


@transaction.atomic
def do_resume_meeting(meeting: Meeting, *, acting_user: User | None) -> Meeting:
    meeting = _transition(meeting, "resume")
    now = timezone.now()
    meeting.running_since = now
    meeting.save(update_fields=["status", "running_since"])
    item = meeting.current_item
    if item is not None and item.status == AgendaItem.Status.OPEN:
        item.running_since = now
        item.save(update_fields=["running_since"])
        _publish_item(item, "item.updated")
    _publish_meeting_state(meeting)
    _audit(audit.Kind.MEETING_STATUS_CHANGED, meeting, acting_user, "resumed", status=meeting.status)
    return meeting


@transaction.atomic
def do_close_meeting(meeting: Meeting, *, acting_user: User | None) -> Meeting:
    meeting = _transition(meeting, "close")
    if meeting.current_item_id is not None:
        raise WrongState(_("Conclude or defer the current item before closing the meeting."))
    now = timezone.now()
    _stop_clock(meeting, now)
    meeting.ended_at = now
    meeting.save(update_fields=["status", "elapsed_seconds", "running_since", "ended_at"])
    _publish_meeting_state(meeting)
    _audit(
        audit.Kind.MEETING_STATUS_CHANGED,
        meeting,
        acting_user,
        "closed",
        status=meeting.status,
        undiscussed=list(
            AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.PENDING).values_list(
                "pk", flat=True
            )
        ),
    )
    return meeting


@transaction.atomic
def do_copy_meeting(
    meeting: Meeting, *, scheduled_start: datetime, acting_user: User | None, title: str | None = None
) -> Meeting:
    """A new meeting in preparation with the agenda and participants of ``meeting``."""
    copy = do_create_meeting(
        tenant=meeting.tenant,
        title=title or meeting.title,
        scheduled_start=scheduled_start,
        planned_end=scheduled_start + (meeting.planned_end - meeting.scheduled_start)
        if meeting.planned_end
        else None,
        kind=meeting.kind,
        place=meeting.place,
        acting_user=acting_user,
    )
    copy.copied_from = meeting
    copy.speaking_limit_seconds = meeting.speaking_limit_seconds
    copy.save(update_fields=["copied_from", "speaking_limit_seconds"])
    item_map: dict[int, AgendaItem] = {}
    for item in AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"):
        item_map[item.pk] = AgendaItem.objects.create(
            tenant_id=copy.tenant_id,
            meeting=copy,
            position=item.position,
            title=item.title,
            summary=item.summary,
            presenting_unit=item.presenting_unit,
            presenter_id=item.presenter_id,
            presenter_name=item.presenter_name,
            planned_minutes=item.planned_minutes,
        )
    originals = Participant.objects.filter(meeting=meeting, substitute_for__isnull=True).prefetch_related(
        "items"
    )
    for participant in originals:
        new = Participant.objects.create(
            tenant_id=copy.tenant_id, meeting=copy, user_id=participant.user_id, role=participant.role
        )
        invited = [item_map[i.pk] for i in participant.items.all() if i.pk in item_map]
        if invited:
            new.items.set(invited)
    hooks.run("participants_changed", copy)
    _audit(audit.Kind.MEETING_CREATED, copy, acting_user, "copied", copied_from=meeting.pk)
    return copy


# --- agenda -----------------------------------------------------------------------


def _clean_minutes(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 60:
        raise Invalid(_("Planned minutes must be a whole number from 1 to 1440."))
    return value


def _clean_presenter(meeting: Meeting, presenter: Any) -> User | None:
    if presenter is None:
        return None
    if not isinstance(presenter, User) or presenter.tenant_id != meeting.tenant_id:
        raise Invalid(_("The presenter must be someone of this tenant's directory."))
    return presenter


@transaction.atomic
def do_add_item(
    meeting: Meeting,
    *,
    title: str,
    acting_user: User | None,
    summary: str = "",
    presenting_unit: str = "",
    presenter: User | None = None,
    presenter_name: str = "",
    planned_minutes: int = 15,
) -> AgendaItem:
    meeting = _locked(meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        position=last + 1,
        title=_clean_text(title, field=_("item title"), limit=MAX_TITLE),
        summary=_clean_text(summary, field=_("summary"), required=False),
        presenting_unit=_clean_text(presenting_unit, field=_("presenting unit"), required=False, limit=300),
        presenter=_clean_presenter(meeting, presenter),
        presenter_name=_clean_text(presenter_name, field=_("presenter"), required=False, limit=200),
        planned_minutes=_clean_minutes(planned_minutes),
    )
    _mark_changed(meeting, item)
    item.save()
    _publish_item(item, "item.added")
    _audit(audit.Kind.AGENDA_CHANGED, meeting, acting_user, "item_added", item_id=item.pk, title=item.title)
    return item


ITEM_FIELDS = {"title", "summary", "presenting_unit", "presenter", "presenter_name", "planned_minutes"}


@transaction.atomic
def do_update_item(item: AgendaItem, *, changes: dict[str, Any], acting_user: User | None) -> AgendaItem:
    meeting = _locked(item.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    unknown = set(changes) - ITEM_FIELDS
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    item = AgendaItem.objects.get(pk=item.pk)
    before = _fields(item, ITEM_FIELDS)
    if "title" in changes:
        item.title = _clean_text(changes["title"], field=_("item title"), limit=MAX_TITLE)
    if "summary" in changes:
        item.summary = _clean_text(changes["summary"], field=_("summary"), required=False)
    if "presenting_unit" in changes:
        item.presenting_unit = _clean_text(
            changes["presenting_unit"], field=_("presenting unit"), required=False, limit=300
        )
    if "presenter" in changes:
        item.presenter = _clean_presenter(meeting, changes["presenter"])
    if "presenter_name" in changes:
        item.presenter_name = _clean_text(
            changes["presenter_name"], field=_("presenter"), required=False, limit=200
        )
    if "planned_minutes" in changes:
        item.planned_minutes = _clean_minutes(changes["planned_minutes"])
    _mark_changed(meeting, item)
    item.save()
    _publish_item(item, "item.updated")
    _audit(
        audit.Kind.AGENDA_CHANGED,
        meeting,
        acting_user,
        "item_updated",
        item_id=item.pk,
        **audit.diff(before, _fields(item, ITEM_FIELDS)),
    )
    return item


@transaction.atomic
def do_remove_item(item: AgendaItem, *, acting_user: User | None) -> None:
    meeting = _locked(item.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    item = AgendaItem.objects.get(pk=item.pk)
    if item.status != AgendaItem.Status.PENDING:
        raise WrongState(_("An item that has been discussed stays on the agenda; defer it instead."))
    hooks.run("item_removing", item)
    item_id, title = item.pk, item.title
    item.delete()
    _renumber(meeting, [i.pk for i in AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")])
    publish_on_commit(meeting.stream, "item.removed", {"item_id": item_id}, audience={"item": item_id})
    _publish_order(meeting)
    _audit(audit.Kind.AGENDA_CHANGED, meeting, acting_user, "item_removed", item_id=item_id, title=title)


def _renumber(meeting: Meeting, order: list[int]) -> None:
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
    changed = []
    for position, item_id in enumerate(order, start=1):
        item = items[item_id]
        if item.position != position:
            item.position = position
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["position"])


def _publish_order(meeting: Meeting) -> None:
    order = list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position", "id").values_list("pk", flat=True)
    )
    # Guests see only their items: the whole order would tell them what else is on the agenda.
    publish_on_commit(
        meeting.stream,
        "agenda.reordered",
        {"order": order, "changed": meeting.status != S.DRAFT},
        audience={"capability": Capability.SEE_ALL_ITEMS.value},
    )


@transaction.atomic
def do_reorder_items(meeting: Meeting, *, order: list[int], acting_user: User | None) -> list[int]:
    """Put the agenda in ``order`` (every item id once, e.g. after a drag)."""
    meeting = _locked(meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    current = set(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True))
    if (
        not isinstance(order, list)
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in order)
        or len(order) != len(set(order))
        or set(order) != current
    ):
        raise Invalid(_("The new order must list every item of the agenda exactly once."))
    before = list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position", "id").values_list("pk", flat=True)
    )
    _renumber(meeting, order)
    _publish_order(meeting)
    _audit(audit.Kind.AGENDA_CHANGED, meeting, acting_user, "reordered", before=before, after=order)
    return order


@transaction.atomic
def do_move_item(item: AgendaItem, *, offset: int, acting_user: User | None) -> list[int]:
    """Move an item up (-1) or down (+1) the agenda."""
    if offset not in (-1, 1):
        raise Invalid(_("An item moves up or down by one place."))
    order = list(
        AgendaItem.objects.filter(meeting=item.meeting)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    target = index + offset
    if not 0 <= target < len(order):
        raise WrongState(_("The item is already at the end of the agenda."))
    order[index], order[target] = order[target], order[index]
    return do_reorder_items(item.meeting, order=order, acting_user=acting_user)


# --- participants ---------------------------------------------------------------------


@transaction.atomic
def do_add_participant(meeting: Meeting, *, user: User, role: str, acting_user: User | None) -> Participant:
    meeting = _locked(meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    if user.tenant_id != meeting.tenant_id:
        raise Invalid(_("Only people of this tenant's directory can take part."))
    if role not in Role.values:
        raise Invalid(_("Unknown role."))
    if Participant.objects.filter(meeting=meeting, user=user).exists():
        raise Invalid(_("This person already takes part in the meeting."))
    participant = Participant.objects.create(
        tenant_id=meeting.tenant_id, meeting=meeting, user=user, role=role
    )
    # The secretariat's explicit choice: a person removed earlier is back.
    RemovedPerson.objects.filter(meeting=meeting, user=user).delete()
    hooks.run("participants_changed", meeting)
    publish_on_commit(
        meeting.stream,
        "participant.added",
        {"participant": participant_payload(participant), "quorum": quorum(meeting)},
    )
    _audit(
        audit.Kind.PARTICIPANTS_CHANGED,
        meeting,
        acting_user,
        "added",
        participant_id=participant.pk,
        user_id=user.pk,
        role=role,
    )
    return participant


@transaction.atomic
def do_change_participant(
    participant: Participant,
    *,
    acting_user: User | None,
    role: str | None = None,
    item_ids: list[int] | None = None,
) -> Participant:
    """Change a participant's role, or the items a guest is invited to."""
    meeting = _locked(participant.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    participant = Participant.objects.select_related("user", "substitute_for__user").get(pk=participant.pk)
    before = {"role": participant.role, "item_ids": _invited(participant)}
    if role is not None:
        if role not in Role.values:
            raise Invalid(_("Unknown role."))
        participant.role = role
        participant.save(update_fields=["role"])
    if item_ids is not None:
        if not isinstance(item_ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in item_ids
        ):
            raise Invalid(_("Give the invited items as a list of item ids."))
        items = list(AgendaItem.objects.filter(meeting=meeting, pk__in=item_ids))
        if len(items) != len(set(item_ids)):
            raise Invalid(_("Some of those items are not on this agenda."))
        participant.items.set(items)
    publish_on_commit(
        meeting.stream,
        "participant.changed",
        {"participant": participant_payload(participant), "quorum": quorum(meeting)},
    )
    _audit(
        audit.Kind.PARTICIPANTS_CHANGED,
        meeting,
        acting_user,
        "changed",
        participant_id=participant.pk,
        **audit.diff(before, {"role": participant.role, "item_ids": _invited(participant)}),
    )
    return participant


@transaction.atomic
def do_remove_participant(participant: Participant, *, acting_user: User | None) -> None:
    meeting = _locked(participant.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    if (
        Comment.objects.filter(item__meeting=meeting, author_id=participant.user_id).exists()
        or SpeakRequest.objects.filter(participant=participant).exists()
    ):
        raise WrongState(_("This person has already taken part; mark them as unable to attend instead."))
    participant_id, user_id, role = participant.pk, participant.user_id, participant.role
    participant.delete()
    # Removed is removed: not back as anyone's substitute, not on the list of those allowed.
    RemovedPerson.objects.get_or_create(
        tenant_id=meeting.tenant_id, meeting=meeting, user_id=user_id, defaults={"removed_by": acting_user}
    )
    SubstituteCandidate.objects.filter(meeting=meeting, user_id=user_id).delete()
    for proposal in SubstituteProposal.objects.filter(
        meeting=meeting, substitute_id=user_id, status=SubstituteProposal.Status.PROPOSED
    ):
        _close_proposal(proposal, SubstituteProposal.Status.REFUSED, acting_user, note=_removed_note())
    hooks.run("participants_changed", meeting)
    publish_on_commit(
        meeting.stream,
        "participant.removed",
        {"participant_id": participant_id, "user_id": user_id, "quorum": quorum(meeting)},
    )
    _audit(
        audit.Kind.PARTICIPANTS_CHANGED,
        meeting,
        acting_user,
        "removed",
        participant_id=participant_id,
        user_id=user_id,
        role=role,
    )


def _removed_note() -> str:
    return str(_("The secretariat removed this person from the meeting."))


def _check_substitute(meeting: Meeting, participant: Participant, substitute: User) -> None:
    """Refuse a substitute who cannot attend for ``participant``; the same rules for naming and approving."""
    if participant.role not in {Role.MEMBER, Role.VICE_CHAIR} or participant.substitute_for_id:
        raise Invalid(_("Only a member or vice-chair can name a substitute."))
    if Participant.objects.filter(substitute_for=participant).exists():
        raise WrongState(_("A substitute is already named."))
    if substitute.tenant_id != meeting.tenant_id or not substitute.is_active:
        raise Invalid(_("Only people of this tenant's directory can take part."))
    if RemovedPerson.objects.filter(meeting=meeting, user=substitute).exists():
        raise Invalid(
            _("The secretariat removed this person from the meeting: they cannot attend for anyone.")
        )
    if Participant.objects.filter(meeting=meeting, user=substitute).exists():
        raise Invalid(_("This person already takes part in the meeting."))


def _install_substitute(meeting: Meeting, participant: Participant, substitute: User) -> Participant:
    """The substitute's own participant row, attending for ``participant``, and the events that say so."""
    participant.cannot_attend = True
    participant.attendance = ""
    participant.checked_in_at = None
    participant.save(update_fields=["cannot_attend", "attendance", "checked_in_at"])
    stand_in = Participant.objects.create(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        user=substitute,
        role=participant.role,
        substitute_for=participant,
    )
    stand_in = Participant.objects.select_related("user", "substitute_for__user").get(pk=stand_in.pk)
    hooks.run("participants_changed", meeting)
    # Both events carry the quorum: a member who had checked in and now
    # cannot attend leaves it until their substitute checks in.
    the_quorum = quorum(meeting)
    publish_on_commit(
        meeting.stream,
        "participant.changed",
        {"participant": participant_payload(participant), "quorum": the_quorum},
    )
    publish_on_commit(
        meeting.stream,
        "participant.added",
        {"participant": participant_payload(stand_in), "quorum": the_quorum},
    )
    return stand_in


def _proposal(proposal_id: int) -> SubstituteProposal:
    return SubstituteProposal.objects.select_related("participant__user", "substitute", "decided_by").get(
        pk=proposal_id
    )


def _close_proposal(
    proposal: SubstituteProposal, status: str, acting_user: User | None, *, note: str = ""
) -> SubstituteProposal:
    proposal.status = status
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.note = note[:500]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "note"])
    proposal = _proposal(proposal.pk)
    meeting = proposal.meeting
    audit.record(
        audit.Kind.SUBSTITUTE_DECIDED,
        user=acting_user,
        tenant_id=meeting.tenant_id,
        meeting_id=meeting.pk,
        proposal_id=proposal.pk,
        participant_id=proposal.participant_id,
        substitute_user_id=proposal.substitute_id,
        decision=status,
        note=proposal.note,
    )
    publish_on_commit(
        meeting.stream, "substitute.decided", {"proposal": substitute_proposal_payload(proposal)}
    )
    return proposal


@transaction.atomic
def do_name_substitute(
    participant: Participant, *, substitute: User, acting_user: User | None
) -> Participant:
    """The secretariat names who attends for a member who cannot (ủy quyền): in effect at once.

    A member proposes with ``do_propose_substitute`` instead; a proposal of
    theirs still open is closed, refused, by this naming.
    """
    meeting = _locked(participant.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    participant = Participant.objects.select_related("user").get(pk=participant.pk)
    _check_substitute(meeting, participant, substitute)
    for open_one in SubstituteProposal.objects.filter(
        participant=participant, status=SubstituteProposal.Status.PROPOSED
    ):
        _close_proposal(
            open_one,
            SubstituteProposal.Status.REFUSED,
            acting_user,
            note=str(_("The secretariat named another substitute.")),
        )
    stand_in = _install_substitute(meeting, participant, substitute)
    _audit(
        audit.Kind.PARTICIPANTS_CHANGED,
        meeting,
        acting_user,
        "substitute_named",
        participant_id=participant.pk,
        substitute_participant_id=stand_in.pk,
        substitute_user_id=substitute.pk,
    )
    return stand_in


@transaction.atomic
def do_set_substitute_candidates(
    meeting: Meeting, *, users: Iterable[User], acting_user: User | None
) -> list[int]:
    """Whom the members of this meeting may propose as their substitute (the secretariat's list)."""
    meeting = _locked(meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    chosen = {u.pk: u for u in users}
    for user in chosen.values():
        if user.tenant_id != meeting.tenant_id or not user.is_active:
            raise Invalid(_("Only people of this tenant's directory can take part."))
    removed = set(
        RemovedPerson.objects.filter(meeting=meeting, user_id__in=chosen).values_list("user_id", flat=True)
    )
    if removed:
        raise Invalid(
            _("The secretariat removed this person from the meeting: they cannot attend for anyone.")
        )
    before = sorted(SubstituteCandidate.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    SubstituteCandidate.objects.filter(meeting=meeting).exclude(user_id__in=chosen).delete()
    for user_id in sorted(set(chosen) - set(before)):
        SubstituteCandidate.objects.create(
            tenant_id=meeting.tenant_id, meeting=meeting, user_id=user_id, added_by=acting_user
        )
    after = sorted(chosen)
    _audit(
        audit.Kind.PARTICIPANTS_CHANGED,
        meeting,
        acting_user,
        "substitute_candidates",
        **audit.diff({"user_ids": before}, {"user_ids": after}),
    )
    return after


@transaction.atomic
def do_propose_substitute(
    participant: Participant, *, substitute: User, acting_user: User
) -> SubstituteProposal:
    """A member who cannot attend proposes who attends for them; it waits for the chair or the secretariat.

    Only from the secretariat's list for this meeting, never someone removed
    from it; one open proposal at a time.
    """
    meeting = _locked(participant.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    participant = Participant.objects.select_related("user").get(pk=participant.pk)
    if participant.user_id != acting_user.pk:
        raise NotAllowed(_("Members propose a substitute for themselves only."))
    _check_substitute(meeting, participant, substitute)
    if not SubstituteCandidate.objects.filter(meeting=meeting, user=substitute).exists():
        raise Invalid(_("Choose one of the people the secretariat allows as substitutes for this meeting."))
    if SubstituteProposal.objects.filter(
        participant=participant, status=SubstituteProposal.Status.PROPOSED
    ).exists():
        raise WrongState(_("Your proposal is awaiting approval; withdraw it to propose someone else."))
    proposal = SubstituteProposal.objects.create(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        participant=participant,
        substitute=substitute,
        proposed_by=acting_user,
    )
    proposal = _proposal(proposal.pk)
    _audit(
        audit.Kind.SUBSTITUTE_PROPOSED,
        meeting,
        acting_user,
        "proposed",
        proposal_id=proposal.pk,
        participant_id=participant.pk,
        substitute_user_id=substitute.pk,
    )
    publish_on_commit(
        meeting.stream, "substitute.proposed", {"proposal": substitute_proposal_payload(proposal)}
    )
    return proposal


@transaction.atomic
def do_decide_substitute(
    proposal: SubstituteProposal, *, approve: bool, note: str = "", acting_user: User
) -> tuple[SubstituteProposal, Participant | None]:
    """The chair or the secretariat approves (the substitute attends from now on) or refuses a proposal.

    The caller checks who may decide (``MeetingAccess.decides_substitutes``).
    Approving checks again what proposing checked: the person may have been
    removed, or added to the meeting, since.
    """
    note = _clean_text(note, field=str(_("note")), required=False, limit=500)
    meeting = _locked(proposal.meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    proposal = SubstituteProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != SubstituteProposal.Status.PROPOSED:
        raise WrongState(_("This proposal has already been decided or withdrawn."))
    if not approve:
        return _close_proposal(proposal, SubstituteProposal.Status.REFUSED, acting_user, note=note), None
    participant = Participant.objects.select_related("user").get(pk=proposal.participant_id)
    substitute = User.objects.get(pk=proposal.substitute_id)
    _check_substitute(meeting, participant, substitute)
    stand_in = _install_substitute(meeting, participant, substitute)
    return _close_proposal(proposal, SubstituteProposal.Status.APPROVED, acting_user, note=note), stand_in


@transaction.atomic
def do_withdraw_substitute(proposal: SubstituteProposal, *, acting_user: User) -> SubstituteProposal:
    """The member takes back a proposal not yet decided."""
    meeting = _locked(proposal.meeting)
    proposal = (
        SubstituteProposal.objects.select_related("participant")
        .select_for_update(of=("self",))
        .get(pk=proposal.pk)
    )
    if proposal.participant.user_id != acting_user.pk:
        raise NotAllowed(_("Only the member who proposed it can withdraw it."))
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    if proposal.status != SubstituteProposal.Status.PROPOSED:
        raise WrongState(_("This proposal has already been decided or withdrawn."))
    return _close_proposal(proposal, SubstituteProposal.Status.WITHDRAWN, acting_user)


@transaction.atomic
def do_check_in(participant: Participant, *, attendance: str, acting_user: User | None) -> Participant:
    """Present in the room or remotely; the quorum follows."""
    meeting = _locked(participant.meeting)
    _require_state(
        meeting, FOLLOWED, _("Check-in opens when the meeting is published and ends when it closes.")
    )
    if attendance not in Participant.Attendance.values:
        raise Invalid(_("Say whether you attend in the room or remotely."))
    participant = Participant.objects.select_related("user", "substitute_for__user").get(pk=participant.pk)
    if participant.cannot_attend:
        raise WrongState(_("A substitute attends for this member."))
    was = participant.attendance
    participant.attendance = attendance
    participant.checked_in_at = participant.checked_in_at or timezone.now()
    participant.save(update_fields=["attendance", "checked_in_at"])
    publish_on_commit(
        meeting.stream,
        "attendance.changed",
        {"participant": participant_payload(participant), "quorum": quorum(meeting)},
    )
    _audit(
        audit.Kind.ATTENDANCE_RECORDED,
        meeting,
        acting_user,
        "checked_in",
        participant_id=participant.pk,
        **audit.diff({"attendance": was}, {"attendance": attendance}),
    )
    return participant


@transaction.atomic
def do_set_acting_chair(
    meeting: Meeting, *, participant: Participant | None, acting_user: User | None
) -> Meeting:
    """Name a vice-chair to run the session in the chair's place (None: the chair runs it)."""
    meeting = _locked(meeting)
    _require_state(meeting, EDITABLE, _("A closed meeting can no longer be changed."))
    if participant is not None and (
        participant.meeting_id != meeting.pk or participant.role != Role.VICE_CHAIR
    ):
        raise Invalid(_("Only a vice-chair of this meeting can act as chair."))
    was = meeting.acting_chair_id
    meeting.acting_chair = participant
    meeting.save(update_fields=["acting_chair"])
    _publish_meeting_state(meeting)
    _audit(
        audit.Kind.MEETING_CHANGED,
        meeting,
        acting_user,
        "acting_chair",
        **audit.diff({"acting_chair_id": was}, {"acting_chair_id": meeting.acting_chair_id}),
    )
    return meeting


# --- the session: items ----------------------------------------------------------------


@transaction.atomic
def do_open_item(meeting: Meeting, *, item: AgendaItem | None, acting_user: User | None) -> AgendaItem:
    """Open ``item`` (or, given None, the next item not yet discussed)."""
    meeting = _locked(meeting)
    _require_state(meeting, {S.IN_SESSION}, _("Items are opened only while the meeting is in session."))
    if meeting.current_item_id is not None:
        raise WrongState(_("Conclude or defer the current item first."))
    if item is None:
        item = (
            AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.PENDING)
            .order_by("position")
            .first()
        )
        if item is None:
            raise WrongState(_("Every item of the agenda has been dealt with."))
    item = AgendaItem.objects.filter(pk=item.pk, meeting=meeting).first()
    if item is None:
        raise NotFound()
    if item.status not in {AgendaItem.Status.PENDING, AgendaItem.Status.DEFERRED}:
        raise WrongState(_("This item has already been concluded."))
    now = timezone.now()
    item.status = AgendaItem.Status.OPEN
    item.running_since = now
    item.first_opened_at = item.first_opened_at or now
    item.closed_at = None  # a deferred item taken up again is open, not closed
    item.save(update_fields=["status", "running_since", "first_opened_at", "closed_at"])
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    _publish_item(item, "item.opened")
    _publish_meeting_state(meeting)
    _audit(audit.Kind.ITEM_STATUS_CHANGED, meeting, acting_user, "opened", item_id=item.pk)
    return item


def _close_current_item(meeting: Meeting, status: str, conclusion: str) -> AgendaItem:
    item = meeting.current_item
    if item is None:
        raise WrongState(_("No item is open."))
    now = timezone.now()
    _end_speech(meeting, item, now)
    SpeakRequest.objects.filter(item=item, status=SpeakRequest.Status.WAITING).update(
        status=SpeakRequest.Status.WITHDRAWN, ended_at=now
    )
    _stop_clock(item, now)
    item.status = status
    item.closed_at = now
    if conclusion:
        item.conclusion = conclusion
    item.save(update_fields=["status", "closed_at", "conclusion", "elapsed_seconds", "running_since"])
    meeting.current_item = None
    meeting.save(update_fields=["current_item"])
    _publish_queue(meeting, item)
    _publish_item(item, "item.closed")
    _publish_meeting_state(meeting)
    return item


@transaction.atomic
def do_conclude_item(meeting: Meeting, *, conclusion: str, acting_user: User | None) -> AgendaItem:
    """Close the current item with the chair's conclusion (kết luận)."""
    meeting = _locked(meeting)
    _require_state(meeting, {S.IN_SESSION}, _("Items are concluded only while the meeting is in session."))
    text = _clean_text(conclusion, field=_("conclusion"))
    item = _close_current_item(meeting, AgendaItem.Status.CONCLUDED, text)
    _audit(
        audit.Kind.ITEM_STATUS_CHANGED, meeting, acting_user, "concluded", item_id=item.pk, conclusion=text
    )
    return item


@transaction.atomic
def do_defer_item(meeting: Meeting, *, acting_user: User | None, note: str = "") -> AgendaItem:
    """Put the current item off; it can be opened again later."""
    meeting = _locked(meeting)
    _require_state(meeting, {S.IN_SESSION}, _("Items are deferred only while the meeting is in session."))
    note = _clean_text(note, field=_("note"), required=False)
    item = _close_current_item(meeting, AgendaItem.Status.DEFERRED, note)
    _audit(audit.Kind.ITEM_STATUS_CHANGED, meeting, acting_user, "deferred", item_id=item.pk, note=note)
    return item


# --- the session: speakers -------------------------------------------------------------


def _speaker(meeting: Meeting, item: AgendaItem, participant: Participant) -> Participant:
    """``participant`` read again (the caller's copy may be stale), if they may speak on ``item``."""
    fresh = Participant.objects.filter(pk=participant.pk, meeting=meeting).first()
    if fresh is None:
        raise NotAllowed(_("Only participants of the meeting can do this."))
    if fresh.cannot_attend:
        raise WrongState(_("A substitute attends for this member."))
    if fresh.role == Role.GUEST and not fresh.items.filter(pk=item.pk).exists():
        raise NotAllowed(_("You are invited to other items of this meeting."))
    return fresh


def _current_open_item(meeting: Meeting) -> AgendaItem:
    _require_state(
        meeting, {S.IN_SESSION}, _("Requests to speak are taken only while the meeting is in session.")
    )
    item = meeting.current_item
    if item is None or item.status != AgendaItem.Status.OPEN:
        raise WrongState(_("No item is open for discussion."))
    return item


@transaction.atomic
def do_request_to_speak(meeting: Meeting, *, participant: Participant, kind: str) -> SpeakRequest:
    meeting = _locked(meeting)
    item = _current_open_item(meeting)
    if kind not in SpeakRequest.Kind.values:
        raise Invalid(_("Ask for a speech, a question or a point of order."))
    participant = _speaker(meeting, item, participant)
    if SpeakRequest.objects.filter(
        item=item, participant=participant, status__in=["waiting", "speaking"]
    ).exists():
        raise WrongState(_("You are already in the queue for this item."))
    try:
        with transaction.atomic():
            request = SpeakRequest.objects.create(
                tenant_id=meeting.tenant_id, item=item, participant=participant, kind=kind
            )
    except IntegrityError as exc:  # the same tablet pressing twice at once
        raise WrongState(_("You are already in the queue for this item.")) from exc
    _publish_queue(meeting, item)
    _audit(
        audit.Kind.SPEAKING,
        meeting,
        participant.user,
        "requested",
        request_id=request.pk,
        request_kind=kind,
        item_id=item.pk,
    )
    return request


@transaction.atomic
def do_withdraw_request(meeting: Meeting, *, participant: Participant) -> SpeakRequest:
    meeting = _locked(meeting)
    item = _current_open_item(meeting)
    participant = _speaker(meeting, item, participant)
    request = SpeakRequest.objects.filter(item=item, participant=participant, status="waiting").first()
    if request is None:
        raise WrongState(_("You have no waiting request on this item."))
    request.status = SpeakRequest.Status.WITHDRAWN
    request.ended_at = timezone.now()
    request.save(update_fields=["status", "ended_at"])
    _publish_queue(meeting, item)
    _audit(
        audit.Kind.SPEAKING, meeting, participant.user, "withdrawn", request_id=request.pk, item_id=item.pk
    )
    return request


def _end_speech(meeting: Meeting, item: AgendaItem, now: datetime) -> SpeakRequest | None:
    speaking = SpeakRequest.objects.filter(item=item, status=SpeakRequest.Status.SPEAKING).first()
    if speaking is None:
        return None
    speaking.status = SpeakRequest.Status.DONE
    speaking.ended_at = now
    started = speaking.started_at or now
    speaking.spoken_seconds = max(int((now - started).total_seconds()), 0)
    speaking.save(update_fields=["status", "ended_at", "spoken_seconds"])
    return speaking


@transaction.atomic
def do_give_floor(meeting: Meeting, *, request_id: int | None, acting_user: User | None) -> SpeakRequest:
    """Give the floor to a waiting request; whoever spoke before ends their turn.

    The meeting's row lock serialises the queue: two chairs' tablets cannot
    give the floor twice at once.
    """
    meeting = _locked(meeting)
    item = _current_open_item(meeting)
    if request_id is None:
        raise Invalid(_("Choose who gets the floor."))
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        raise Invalid(_("Choose who gets the floor."))
    request = (
        SpeakRequest.objects.select_related("participant__user").filter(item=item, pk=request_id).first()
    )
    if request is None or request.status != SpeakRequest.Status.WAITING:
        raise WrongState(_("That request is no longer waiting."))
    now = timezone.now()
    _end_speech(meeting, item, now)
    request.status = SpeakRequest.Status.SPEAKING
    request.started_at = now
    request.save(update_fields=["status", "started_at"])
    _publish_queue(meeting, item)
    _audit(
        audit.Kind.SPEAKING,
        meeting,
        acting_user,
        "floor_given",
        request_id=request.pk,
        item_id=request.item_id,
    )
    return request


@transaction.atomic
def do_end_speech(meeting: Meeting, *, acting_user: User | None) -> SpeakRequest:
    meeting = _locked(meeting)
    item = _current_open_item(meeting)
    ended = _end_speech(meeting, item, timezone.now())
    if ended is None:
        raise WrongState(_("Nobody has the floor."))
    _publish_queue(meeting, item)
    _audit(
        audit.Kind.SPEAKING,
        meeting,
        acting_user,
        "speech_ended",
        request_id=ended.pk,
        item_id=ended.item_id,
        spoken_seconds=ended.spoken_seconds,
    )
    return ended


# --- comments ---------------------------------------------------------------------------


@transaction.atomic
def do_add_comment(item: AgendaItem, *, author: User, text: str, visibility: str) -> Comment:
    meeting = _locked(item.meeting)
    _require_state(meeting, FOLLOWED, _("Comments are open from publication until the meeting closes."))
    if visibility not in Comment.Visibility.values:
        raise Invalid(_("A comment is visible to all participants or to the secretariat only."))
    comment = Comment.objects.create(
        tenant_id=meeting.tenant_id,
        item=item,
        author=author,
        text=_clean_text(text, field=_("comment")),
        visibility=visibility,
    )
    comment = Comment.objects.select_related("author", "item__meeting__stream").get(pk=comment.pk)
    _publish_comment(comment, "comment.added")
    _audit(
        audit.Kind.COMMENT_CHANGED,
        meeting,
        author,
        "written",
        comment_id=comment.pk,
        item_id=item.pk,
        visibility=visibility,
        text_sha256=_digest(comment.text),
    )
    return comment


def _own_comment(comment: Comment, author: User) -> Comment:
    if comment.author_id != author.pk:
        raise NotAllowed(_("Only the author can change a comment."))
    if comment.withdrawn_at is not None:
        raise WrongState(_("This comment has been withdrawn."))
    return comment


@transaction.atomic
def do_edit_comment(comment: Comment, *, author: User, text: str) -> Comment:
    meeting = _locked(comment.item.meeting)
    _require_state(meeting, FOLLOWED, _("Comments are open from publication until the meeting closes."))
    comment = _own_comment(
        Comment.objects.select_related("author", "item__meeting__stream").get(pk=comment.pk), author
    )
    new_text = _clean_text(text, field=_("comment"))
    if new_text == comment.text:
        return comment
    was = comment.text
    CommentRevision.objects.create(tenant_id=meeting.tenant_id, comment=comment, text=comment.text)
    comment.text = new_text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    _publish_comment(comment, "comment.edited")
    _audit(
        audit.Kind.COMMENT_CHANGED,
        meeting,
        author,
        "edited",
        comment_id=comment.pk,
        before={"text_sha256": _digest(was)},
        after={"text_sha256": _digest(comment.text)},
    )
    return comment


@transaction.atomic
def do_withdraw_comment(comment: Comment, *, author: User) -> Comment:
    meeting = _locked(comment.item.meeting)
    _require_state(meeting, FOLLOWED, _("Comments are open from publication until the meeting closes."))
    comment = _own_comment(
        Comment.objects.select_related("author", "item__meeting__stream").get(pk=comment.pk), author
    )
    CommentRevision.objects.create(
        tenant_id=meeting.tenant_id, comment=comment, text=comment.text, withdrawn=True
    )
    comment.withdrawn_at = timezone.now()
    comment.save(update_fields=["withdrawn_at"])
    _publish_comment(comment, "comment.withdrawn")
    _audit(audit.Kind.COMMENT_CHANGED, meeting, author, "withdrawn", comment_id=comment.pk)
    return comment


# --- the tenant's rules for its meetings -------------------------------------------------


@transaction.atomic
def do_set_meeting_settings(
    *,
    tenant: Tenant,
    quorum_percent: int,
    speaking_limit_seconds: int,
    acting_user: User | None,
    secret_ballot_early_close: bool | None = None,
) -> MeetingSettings:
    """The tenant's quorum, default speaking-time limit and whether a secret
    ballot may close before the quorum: for meetings made, and ballots and
    slips opened, from now on (those open keep the rules they opened with).
    ``secret_ballot_early_close`` None keeps it as it is. The audit row keeps
    what the rules were and what they became."""
    if (
        not isinstance(quorum_percent, int)
        or isinstance(quorum_percent, bool)
        or not 1 <= quorum_percent <= 100
    ):
        raise Invalid(_("The quorum is a percentage of the members from 1 to 100."))
    if (
        not isinstance(speaking_limit_seconds, int)
        or isinstance(speaking_limit_seconds, bool)
        or not 15 <= speaking_limit_seconds <= 3600
    ):
        raise Invalid(_("The speaking-time limit must be between 15 seconds and one hour."))
    if secret_ballot_early_close is not None and not isinstance(secret_ballot_early_close, bool):
        raise Invalid(_("Say yes or no to closing a secret ballot before the quorum."))
    found, _created = MeetingSettings.all_tenants.select_for_update().get_or_create(tenant=tenant)
    fields = ["quorum_percent", "speaking_limit_seconds", "secret_ballot_early_close"]
    before = {f: getattr(found, f) for f in fields}
    found.quorum_percent = quorum_percent
    found.speaking_limit_seconds = speaking_limit_seconds
    if secret_ballot_early_close is not None:
        found.secret_ballot_early_close = secret_ballot_early_close
    after = {f: getattr(found, f) for f in fields}
    found.save(update_fields=fields)
    audit.record_change(
        audit.Kind.RULES_CHANGED,
        before=before,
        after=after,
        user=acting_user,
        tenant=tenant,
        rules="meetings",
    )
    return found


@transaction.atomic
def do_set_baseline(
    *, tenant: Tenant, kind: str, minutes: int, source: str, is_assumption: bool, acting_user: User | None
) -> Baseline:
    """How long a meeting of this kind took on paper, and where that figure comes from.

    Meetings copy the baseline when they are made, so a later change does not
    rewrite the measurement of meetings already held.
    """
    if kind not in MeetingKind.values:
        raise Invalid(_("Unknown kind of meeting."))
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 24 * 60:
        raise Invalid(_("Planned minutes must be a whole number from 1 to 1440."))
    source = _clean_text(source, field=_("source"), limit=300)
    baseline = Baseline.all_tenants.select_for_update().filter(tenant=tenant, kind=kind).first()
    fields = ["minutes", "source", "is_assumption"]
    before = {f: getattr(baseline, f) for f in fields} if baseline else {}
    if baseline is None:
        baseline = Baseline(tenant=tenant, kind=kind)
    baseline.minutes = minutes
    baseline.source = source
    baseline.is_assumption = bool(is_assumption)
    baseline.save()
    audit.record_change(
        audit.Kind.RULES_CHANGED,
        before=before,
        after={f: getattr(baseline, f) for f in fields},
        user=acting_user,
        tenant=tenant,
        rules="baseline",
        meeting_kind=kind,
    )
    return baseline
