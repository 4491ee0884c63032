"""A year of the demo's past sessions and opinion slips, written in bulk.

``seed_demo`` runs the upcoming session and the two before it through the
actions; running a year of sessions the same way would take minutes. Here
each remaining month's session is written directly, a few bulk inserts per
session, with the timings the actions would have left: the meeting's clock
is the sum of its items' clocks and the pauses between them, every speech
falls inside its item, members opened their papers before the session (more
of them month after month), and the baseline the meeting was measured
against is the tenant's, marked as a demo assumption. A slip a month is
issued, answered before its deadline and closed at it; its signed result
sheet is left to the worker, as after any close.

Idempotent: a session or slip whose title or question exists is skipped.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from demo.data import (
    DEMO_PRICE_PER_PAGE,
    DEMO_PRICE_SOURCE,
    PAST_SPEAKERS,
    ROLE_OF_KEY,
    VOTING_KEYS,
    DemoTenant,
    agenda_of,
    fill,
    history_items,
    history_pace,
    history_read_share,
    history_slip_question,
    session_place,
    session_title,
)
from demo.models import DemoMeeting, DemoSlip
from documents.models import Paper, PaperOpen, PaperVersion
from ecabinet.models import EventStream, Tenant, User
from meetings.models import AgendaItem, Baseline, Meeting, MeetingKind, Participant, SpeakRequest
from reports.models import ReportSettings
from voting.actions import slip_result
from voting.models import Slip, SlipAnswer, SlipRecipient

MEMBER_KEYS = ("chair", "vicechair", *(f"member{n}" for n in range(1, 9)))


def seed_history(
    tenant: Tenant, demo: DemoTenant, users: dict[str, User], *, sessions: list[tuple[int, int, datetime]]
) -> None:
    """The past year's sessions (``(month, year, scheduled start)``, oldest first) and slips."""
    ReportSettings.objects.get_or_create(
        tenant=tenant,
        defaults={
            "price_per_page": DEMO_PRICE_PER_PAGE,
            "price_source": DEMO_PRICE_SOURCE,
            "price_is_assumption": True,
        },
    )
    existing = set(Meeting.objects.filter(demo__isnull=False).values_list("title", flat=True))
    templates = _paper_templates(demo)
    baseline = Baseline.objects.filter(kind=MeetingKind.REGULAR).first()
    count = len(sessions)
    for index, (month, year, start) in enumerate(sessions):
        age = count - index  # months ago
        if session_title(demo, month, year) not in existing:
            _session(tenant, demo, users, month, year, start, age=age, baseline=baseline, templates=templates)
        _slip(tenant, users, month, year, start, age=age)


def _paper_templates(demo: DemoTenant) -> dict[tuple[int, int], PaperVersion]:
    """The upcoming session's paper files, by (agenda entry, paper): the same kind and page count."""
    upcoming = Meeting.objects.filter(demo__part=DemoMeeting.Part.UPCOMING).first()
    if upcoming is None:
        return {}
    positions = {
        item_id: index
        for index, item_id in enumerate(
            AgendaItem.objects.filter(meeting=upcoming).order_by("position").values_list("id", flat=True)
        )
    }
    found: dict[tuple[int, int], PaperVersion] = {}
    seen: dict[int, int] = defaultdict(int)
    for paper in (
        Paper.objects.filter(meeting=upcoming, item__isnull=False)
        .select_related("current_version")
        .order_by("item__position", "position", "id")
    ):
        entry = positions[paper.item_id]  # type: ignore[index]
        if paper.current_version is not None:
            found[(entry, seen[entry])] = paper.current_version
        seen[entry] += 1
    return found


@transaction.atomic
def _session(
    tenant: Tenant,
    demo: DemoTenant,
    users: dict[str, User],
    month: int,
    year: int,
    start: datetime,
    *,
    age: int,
    baseline: Baseline | None,
    templates: dict[tuple[int, int], PaperVersion],
) -> Meeting:
    rng = random.Random(f"{tenant.slug}-{year}-{month}")  # noqa: S311 - demo data, not secrets
    secretary = users["secretary"]
    agenda = agenda_of(demo)
    # each tenant leaves out different items in a month
    chosen = history_items(age + len(demo.slug), len(agenda))
    planned = sum(agenda[i].minutes for i in chosen)
    published = start - timedelta(days=5)
    started = start + timedelta(minutes=rng.randint(2, 8))
    meeting = Meeting.objects.create(
        tenant=tenant,
        title=session_title(demo, month, year),
        kind=MeetingKind.REGULAR,
        place=session_place(demo),
        scheduled_start=start,
        planned_end=start + timedelta(minutes=planned + 30),
        status=Meeting.Status.CLOSED,
        baseline_minutes=baseline.minutes if baseline else None,
        baseline_source=baseline.source if baseline else "",
        baseline_is_assumption=baseline.is_assumption if baseline else False,
        published_at=published,
        started_at=started,
        created_by=secretary,
        stream=EventStream.objects.create(),
    )
    # who took part: every member (one is away now and then), the guest for their items
    away = f"member{age % 8 + 1}" if age % 4 == 0 else None
    people = Participant.objects.bulk_create(
        [
            Participant(
                tenant=tenant,
                meeting=meeting,
                user=user,
                role=ROLE_OF_KEY.get(key, "member"),
                cannot_attend=key == away,
                attendance="" if key == away else ("remote" if key == "member8" else "room"),
                checked_in_at=None if key == away else start - timedelta(minutes=rng.randint(5, 20)),
            )
            for key, user in users.items()
            if key != "secretary"
        ]
    )
    by_key = dict(zip([k for k in users if k != "secretary"], people, strict=True))
    # the items, one after the other on the meeting's clock
    items: list[AgendaItem] = []
    speeches: list[SpeakRequest] = []
    at = started
    for position, entry_index in enumerate(chosen, 1):
        entry = agenda[entry_index]
        elapsed = int(entry.minutes * 60 * history_pace(age, position) * rng.uniform(0.93, 1.07))
        opened = at
        item = AgendaItem(
            tenant=tenant,
            meeting=meeting,
            position=position,
            title=fill(entry.title, month, year),
            summary=entry.summary,
            presenting_unit=entry.unit,
            presenter=users[entry.presenter],
            planned_minutes=entry.minutes,
            status=AgendaItem.Status.CONCLUDED,
            first_opened_at=opened,
            closed_at=opened + timedelta(seconds=elapsed),
            elapsed_seconds=elapsed,
            conclusion=fill(entry.conclusion, month, year),
        )
        items.append(item)
        # the presenting unit takes the first 40 %; the members share half of the rest
        speakers = [k for k in PAST_SPEAKERS[(position + age) % len(PAST_SPEAKERS)] if k != away]
        speakers = speakers or ["vicechair"]
        share = elapsed * 0.5 / len(speakers)
        talk = opened + timedelta(seconds=int(elapsed * 0.4))
        for n, key in enumerate(speakers):
            spoken = max(int(share * (0.8, 1.2, 1.0)[n % 3]), 30)
            speeches.append(
                SpeakRequest(
                    tenant=tenant,
                    item=item,
                    participant=by_key[key],
                    kind="question" if n % 2 else "speech",
                    status="done",
                    requested_at=opened + timedelta(seconds=60 + 30 * n),
                    started_at=talk,
                    ended_at=talk + timedelta(seconds=spoken),
                    spoken_seconds=spoken,
                )
            )
            talk += timedelta(seconds=spoken + 15)
        at = opened + timedelta(seconds=elapsed) + timedelta(minutes=1)
        if entry.presenter == "guest":
            item.guest_invited = True  # type: ignore[attr-defined]
    ended = at + timedelta(minutes=4)
    AgendaItem.objects.bulk_create(items)
    for speech in speeches:
        speech.item_id = speech.item.pk
    SpeakRequest.objects.bulk_create(speeches)
    by_key["guest"].items.set([i for i in items if getattr(i, "guest_invited", False)])
    Meeting.objects.filter(pk=meeting.pk).update(
        ended_at=ended, elapsed_seconds=int((ended - started).total_seconds()), running_since=None
    )
    _papers(tenant, meeting, items, chosen, agenda, templates, users, by_key, month, year, age, rng)
    DemoMeeting.objects.create(meeting=meeting, part=DemoMeeting.Part.HISTORY)
    return meeting


def _papers(
    tenant: Tenant,
    meeting: Meeting,
    items: list[AgendaItem],
    chosen: list[int],
    agenda: list[Any],
    templates: dict[tuple[int, int], PaperVersion],
    users: dict[str, User],
    by_key: dict[str, Participant],
    month: int,
    year: int,
    age: int,
    rng: random.Random,
) -> None:
    """Each item's papers (the upcoming session's files of the same entry), and who read them when."""
    secretary = users["secretary"]
    papers: list[Paper] = []
    sources: list[PaperVersion] = []
    position = 0
    for item, entry_index in zip(items, chosen, strict=True):
        for j, demo_paper in enumerate(agenda[entry_index].papers):
            source = templates.get((entry_index, j))
            if source is None or source.page_count != demo_paper.pages:
                continue
            position += 1
            papers.append(
                Paper(
                    tenant=tenant,
                    meeting=meeting,
                    item=item,
                    title=fill(demo_paper.title, month, year),
                    kind=demo_paper.kind,
                    presenting_unit=agenda[entry_index].unit,
                    page_count=source.page_count,
                    position=position,
                    created_by=secretary,
                )
            )
            sources.append(source)
    if not papers:
        return
    Paper.objects.bulk_create(papers)
    uploaded = meeting.published_at - timedelta(days=1)  # type: ignore[operator]
    versions = PaperVersion.objects.bulk_create(
        [
            PaperVersion(
                tenant=tenant,
                paper=paper,
                number=1,
                file=source.file.name,
                sha256=source.sha256,
                size=source.size,
                page_count=source.page_count,
                page_digests=source.page_digests,
                original_name=source.original_name,
                uploaded_by=secretary,
            )
            for paper, source in zip(papers, sources, strict=True)
        ]
    )
    # auto_now_add stamped them now: they were uploaded before the session was published
    PaperVersion.objects.filter(pk__in=[v.pk for v in versions]).update(uploaded_at=uploaded)
    for paper, version in zip(papers, versions, strict=True):
        paper.current_version = version
    Paper.objects.bulk_update(papers, ["current_version"])
    _opens(tenant, meeting, list(zip(papers, versions, strict=True)), by_key, age, rng)


def seed_reading(meeting: Meeting, *, age: int) -> None:
    """Who opened the papers of a session run through the actions, and when (idempotent)."""
    if PaperOpen.objects.filter(paper__meeting=meeting).exists():
        return
    papers = [
        (paper, paper.current_version)
        for paper in Paper.objects.filter(meeting=meeting, current_version__isnull=False)
        .select_related("current_version")
        .order_by("position", "id")
    ]
    people = Participant.objects.filter(meeting=meeting).select_related("user")
    keys = {person.user.username.split("-", 1)[1]: person for person in people}
    rng = random.Random(f"{meeting.tenant_id}-{meeting.title}")  # noqa: S311 - demo data
    _opens(meeting.tenant, meeting, papers, keys, age, rng)  # type: ignore[arg-type]


def _opens(
    tenant: Tenant,
    meeting: Meeting,
    papers: list[tuple[Paper, PaperVersion]],
    by_key: dict[str, Participant],
    age: int,
    rng: random.Random,
) -> None:
    """Members open their papers: before the session more often month after month, else during it."""
    start = meeting.started_at or meeting.scheduled_start
    share = history_read_share(age)
    opens = []
    for key in MEMBER_KEYS:
        person = by_key.get(key)
        if person is None:
            continue
        for paper, version in papers:
            draw = rng.random()
            if draw < share:
                at = start - timedelta(hours=rng.randint(2, 96), minutes=rng.randint(0, 59))
            elif draw < share + (1 - share) / 2:
                at = start + timedelta(minutes=rng.randint(5, 120))
            else:
                continue
            opens.append(
                PaperOpen(tenant=tenant, paper=paper, version=version, reader_id=person.user_id, at=at)
            )
    PaperOpen.objects.bulk_create(opens)


@transaction.atomic
def _slip(
    tenant: Tenant, users: dict[str, User], month: int, year: int, start: datetime, *, age: int
) -> None:
    """An opinion slip issued after the session, answered by its deadline, closed at it."""
    question = history_slip_question(month, year, age)
    if Slip.objects.filter(question=question, demo__isnull=False).exists():
        return
    rng = random.Random(f"slip-{tenant.slug}-{year}-{month}")  # noqa: S311 - demo data
    issued = start + timedelta(days=10, hours=1)
    deadline = issued + timedelta(days=3)
    number = (Slip.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    slip = Slip.objects.create(
        tenant=tenant,
        number=number,
        question=question,
        draft="Dự thảo kèm theo phiếu; ý kiến gửi Văn phòng trước thời hạn.",
        deadline=deadline,
        issued_at=issued,
        issued_by=users["secretary"],
    )
    asked = [users[key] for key in VOTING_KEYS if key in users]
    SlipRecipient.objects.bulk_create([SlipRecipient(tenant=tenant, slip=slip, user=user) for user in asked])
    answer_rate = min(0.98, 0.7 + 0.025 * (12 - age))
    answers = []
    for user in asked:
        if rng.random() > answer_rate:
            continue
        choice = "disagree" if rng.random() < 0.12 else "agree"
        answers.append(
            SlipAnswer(
                tenant=tenant,
                slip=slip,
                user=user,
                choice=choice,
                answered_at=issued + timedelta(minutes=rng.randint(30, 3 * 24 * 60 - 30)),
            )
        )
    SlipAnswer.objects.bulk_create(answers)
    DemoSlip.objects.create(slip=slip, part=DemoSlip.Part.HISTORY)
    slip.status, slip.closed_at = Slip.Status.CLOSED, deadline
    slip.result = slip_result(slip) | {"closed_early": False}
    slip.save(update_fields=["status", "closed_at", "result"])
    from voting.tasks import issue_slip_result

    tenant_id, slip_id = tenant.pk, slip.pk
    transaction.on_commit(lambda: issue_slip_result.enqueue(tenant_id, slip_id))
