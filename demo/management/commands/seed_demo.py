"""``manage.py seed_demo``: the demo tenants, accounts, baselines, meetings and papers. Idempotent.

Per tenant: the next regular monthly session, published, with about ten items,
their presenters and papers; and the two sessions before it, closed, with
recorded times, speakers and conclusions. Meetings are made through the
meetings actions, as the secretariat and the chair would make them; only the
past sessions' timestamps are moved back afterwards.

Then the rest of a year of monthly sessions (``demo.data.HISTORY_MONTHS``)
and an opinion slip a month, written directly in a few bulk inserts per
session with consistent timings (clocks, items, speakers, who read which
paper before the session), so that the dashboards have a year to show and the
command stays fast. Their papers reuse the files of the upcoming session's
papers of the same agenda entry (same kind and page count). The baselines
and the price of a page are marked as demo assumptions.

Running the command again finds what it made (``demo.models`` keeps it, by
identity: a secretary's copy of a demo meeting keeps its title) and adds
nothing. ``--reset`` first removes what a rehearsal left (``demo.reset``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from demo.data import (
    DEMO_BASELINE_SOURCE,
    DEMO_BASELINES,
    DEMO_TENANTS,
    HISTORY_MONTHS,
    PAST_PACE,
    PAST_SPEAKERS,
    ROLE_OF_KEY,
    DemoItem,
    DemoTenant,
    agenda_of,
    fill,
    history_slip_question,
    months_before,
    seed_voting,
    session_place,
    session_title,
    session_title_prefix,
)
from demo.history import seed_history, seed_reading
from demo.models import DemoMeeting
from demo.papers import paper_pdf
from demo.reset import adopt_earlier_demo, reset_tenant
from documents.actions import do_upload_paper
from documents.models import PaperVersion
from ecabinet.models import Tenant, User
from ecabinet.tenancy import tenant_context
from meetings import actions
from meetings.models import AgendaItem, Baseline, Meeting, MeetingKind, Participant, SpeakRequest

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PAST_SESSIONS = 2
PAST_ITEMS = len(PAST_PACE)


@dataclass
class Session:
    month: int
    year: int
    day: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, time(8, 0), tzinfo=VIETNAM)


def session_day(month: int, year: int) -> date:
    """Regular sessions meet early in the month: the 3rd, or the next working day."""
    day = date(year, month, 3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def monthly_session(month: int, year: int) -> Session:
    return Session(month, year, session_day(month, year))


def upcoming_session(now: datetime) -> Session:
    """The session still to hold: this month's unless its day is past, else next month's.

    Placed from ``now`` alone, so the demo has a session ahead and a year behind
    it whatever the date it is loaded on. On the session's own day it is the
    day's session, not yet opened, even after 08:00: the sessions before it
    then all ended on earlier days.
    """
    local = timezone.localtime(now, VIETNAM)
    this_month = monthly_session(local.month, local.year)
    if this_month.day >= local.date():
        return this_month
    month, year = months_before(local.month, local.year, -1)
    return monthly_session(month, year)


def sessions_before(upcoming: Session, count: int) -> list[Session]:
    """The ``count`` monthly sessions before ``upcoming``, most recent first."""
    return [
        monthly_session(*months_before(upcoming.month, upcoming.year, back)) for back in range(1, count + 1)
    ]


def _rotated(values: list[Any], by: int) -> list[Any]:
    by %= len(values)
    return values[by:] + values[:by]


class Command(BaseCommand):
    help = "Create or refresh the demo tenants, accounts and meetings (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="put the demo back to its first state after a rehearsal: the upcoming session "
            "published and not started, nothing voted, no extra meetings (the server may keep running)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.DEMO_PASSWORD
        upcoming = self._upcoming = upcoming_session(timezone.now())
        with transaction.atomic():
            admin = self._user(None, "admin", "Quản trị viên quốc gia", "Quản trị hệ thống", "", None)
            admin.is_staff = admin.is_superuser = True
            # Hashing is slow by design: check and hash once, then every demo
            # account shares the admin's hash (all have the same password).
            if not admin.check_password(password):
                admin.set_password(password)
            admin.save(update_fields=["is_staff", "is_superuser", "password"])
            for demo in DEMO_TENANTS:
                tenant, _ = Tenant.objects.update_or_create(
                    slug=demo.slug,
                    defaults={"name": demo.name, "level": demo.level, "is_active": True, "merged_into": None},
                )
                with tenant_context(tenant):
                    users = {
                        key: self._user(tenant, f"{demo.slug}-{key}", name, title, unit, admin.password)
                        for key, (name, title, unit) in demo.people.items()
                    }
                    users["secretary"].is_secretariat = True
                    users["secretary"].save(update_fields=["is_secretariat"])
                    past_year = self._past_year(upcoming)
                    adopt_earlier_demo(
                        session_title_prefix(demo) + " ",
                        [
                            history_slip_question(month, year, len(past_year) - n)
                            for n, (month, year, _start) in enumerate(past_year)
                        ],
                    )
                    if options["reset"]:
                        removed = reset_tenant(acting_user=None)
                        if not options["quiet"]:
                            self.stdout.write(f"{demo.slug}: removed {removed}")
                    self._baselines(tenant)
                    self._sessions(tenant, demo, users, upcoming)
                    seed_history(tenant, demo, users, sessions=past_year)
                    seed_voting(tenant, users)
        if not options["quiet"]:
            self._print_logins(password)

    def _user(
        self, tenant: Tenant | None, username: str, full_name: str, title: str, unit: str, hashed: str | None
    ) -> User:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "tenant": tenant,
                "full_name": full_name,
                "title": title,
                "unit": unit,
                "is_active": True,
                "is_superuser": tenant is None,
                "is_staff": tenant is None,
            },
        )
        if hashed is not None and user.password != hashed:
            user.password = hashed
            user.save(update_fields=["password"])
        return user

    def _baselines(self, tenant: Tenant) -> None:
        # Assumed figures so the time-saved pages have something to compare
        # with; marked as assumptions wherever they are shown.
        for kind, minutes in DEMO_BASELINES[tenant.level].items():
            Baseline.objects.update_or_create(
                tenant=tenant,
                kind=kind,
                defaults={"minutes": minutes, "source": DEMO_BASELINE_SOURCE, "is_assumption": True},
            )

    # --- sessions ---------------------------------------------------------------------------

    def _sessions(self, tenant: Tenant, demo: DemoTenant, users: dict[str, User], upcoming: Session) -> None:
        # The demo's own meetings, by identity: a copy keeps its original's title.
        ours = Meeting.objects.filter(demo__isnull=False)
        ahead = ours.filter(demo__part=DemoMeeting.Part.UPCOMING).first()
        if ahead is None:
            meeting = self._prepare(tenant, demo, users, upcoming, agenda_of(demo))
            DemoMeeting.objects.create(meeting=meeting, part=DemoMeeting.Part.UPCOMING)
        else:
            self._ensure_participants(ahead, users)
        missing = PAST_SESSIONS - ours.filter(demo__part=DemoMeeting.Part.PAST).count()
        if missing <= 0:
            return
        titles = set(ours.values_list("title", flat=True))
        past = [s for s in sessions_before(upcoming, 5) if session_title(demo, s.month, s.year) not in titles]
        for session in past[:missing]:
            meeting = self._prepare(tenant, demo, users, session, agenda_of(demo)[:PAST_ITEMS])
            self._hold(meeting, demo, users, session, variant=session.month)
            DemoMeeting.objects.create(meeting=meeting, part=DemoMeeting.Part.PAST)

    def _past_year(self, upcoming: Session) -> list[tuple[int, int, datetime]]:
        """The monthly sessions of the past year: (month, year, scheduled start), oldest first."""
        return [(s.month, s.year, s.start) for s in reversed(sessions_before(upcoming, HISTORY_MONTHS))]

    def _prepare(
        self,
        tenant: Tenant,
        demo: DemoTenant,
        users: dict[str, User],
        session: Session,
        agenda: list[DemoItem],
    ) -> Meeting:
        """A published session: its agenda, papers and participants, as the secretariat makes it."""
        secretary = users["secretary"]
        planned = sum(item.minutes for item in agenda) + 30
        meeting = actions.do_create_meeting(
            tenant=tenant,
            title=session_title(demo, session.month, session.year),
            kind=MeetingKind.REGULAR,
            place=session_place(demo),
            scheduled_start=session.start,
            planned_end=session.start + timedelta(minutes=planned),
            acting_user=secretary,
        )
        guest_items = []
        number = 0
        for entry in agenda:
            item = actions.do_add_item(
                meeting,
                title=fill(entry.title, session.month, session.year),
                summary=entry.summary,
                presenting_unit=entry.unit,
                presenter=users[entry.presenter],
                planned_minutes=entry.minutes,
                acting_user=secretary,
            )
            for paper in entry.papers:
                title = fill(paper.title, session.month, session.year)
                number += 1
                pdf = paper_pdf(
                    title=title,
                    kind=paper.kind,
                    unit=entry.unit,
                    issuer=tenant.name,
                    pages=paper.pages,
                    number=number,
                    when=session.day - timedelta(days=7),
                )
                do_upload_paper(
                    meeting,
                    upload=SimpleUploadedFile(f"{paper.kind}-{number}.pdf", pdf, "application/pdf"),
                    title=title,
                    kind=paper.kind,
                    presenting_unit=entry.unit,
                    item=item,
                    acting_user=secretary,
                )
            if entry.presenter == "guest":
                guest_items.append(item)
        self._ensure_participants(meeting, users)
        Participant.objects.get(meeting=meeting, user=users["guest"]).items.set(guest_items)
        return actions.do_publish_meeting(meeting, acting_user=secretary)

    def _ensure_participants(self, meeting: Meeting, users: dict[str, User]) -> None:
        present = set(Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        for key, user in users.items():
            if user.pk not in present:
                role = ROLE_OF_KEY.get(key, "member")
                actions.do_add_participant(meeting, user=user, role=role, acting_user=users["secretary"])

    def _hold(
        self, meeting: Meeting, demo: DemoTenant, users: dict[str, User], session: Session, *, variant: int
    ) -> None:
        """Run the session through the actions, then move its recorded times back to its day."""
        chair = users["chair"]
        people = {
            key: Participant.objects.get(meeting=meeting, user=user)
            for key, user in users.items()
            if key not in {"guest", "secretary"}
        }
        for key, participant in people.items():
            attendance = "remote" if key == "member8" else "room"
            actions.do_check_in(participant, attendance=attendance, acting_user=users[key])
        actions.do_start_meeting(meeting, acting_user=chair)
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
        agenda = agenda_of(demo)[:PAST_ITEMS]
        for item, entry, speakers in zip(items, agenda, _rotated(PAST_SPEAKERS, variant), strict=True):
            actions.do_open_item(meeting, item=item, acting_user=chair)
            for n, key in enumerate(speakers):
                kind = "question" if n % 2 else "speech"
                request = actions.do_request_to_speak(meeting, participant=people[key], kind=kind)
                actions.do_give_floor(meeting, request_id=request.pk, acting_user=chair)
            actions.do_end_speech(meeting, acting_user=chair)
            actions.do_conclude_item(
                meeting, conclusion=fill(entry.conclusion, session.month, session.year), acting_user=chair
            )
        actions.do_close_meeting(meeting, acting_user=chair)
        self._backdate(meeting, items, session, variant=variant)
        meeting.refresh_from_db()
        upcoming_index = self._upcoming.year * 12 + self._upcoming.month
        seed_reading(meeting, age=upcoming_index - (session.year * 12 + session.month))

    def _backdate(self, meeting: Meeting, items: list[AgendaItem], session: Session, *, variant: int) -> None:
        scheduled = session.start
        started = scheduled + timedelta(minutes=5)
        at = started
        paces = _rotated(PAST_PACE, variant)
        for item, pace, speakers in zip(items, paces, _rotated(PAST_SPEAKERS, variant), strict=True):
            elapsed = int(item.planned_minutes * 60 * pace)
            opened = at
            # the presenting unit takes the first 40 %, the members share half of the rest
            share = elapsed * 0.5 / len(speakers)
            start = opened + timedelta(seconds=int(elapsed * 0.4))
            requests = SpeakRequest.objects.filter(item=item).order_by("id")
            for n, request in enumerate(requests):
                speech = int(share * (0.8, 1.2, 1.0)[n % 3])
                SpeakRequest.objects.filter(pk=request.pk).update(
                    requested_at=opened + timedelta(seconds=60 + 30 * n),
                    started_at=start,
                    ended_at=start + timedelta(seconds=speech),
                    spoken_seconds=speech,
                )
                start += timedelta(seconds=speech + 15)
            at = opened + timedelta(seconds=elapsed)
            AgendaItem.objects.filter(pk=item.pk).update(
                first_opened_at=opened, closed_at=at, elapsed_seconds=elapsed, running_since=None
            )
            at += timedelta(minutes=1)
        ended = at + timedelta(minutes=4)
        Meeting.objects.filter(pk=meeting.pk).update(
            published_at=scheduled - timedelta(days=5),
            started_at=started,
            ended_at=ended,
            elapsed_seconds=int((ended - started).total_seconds()),
            running_since=None,
        )
        Participant.objects.filter(meeting=meeting, checked_in_at__isnull=False).update(
            checked_in_at=scheduled - timedelta(minutes=10)
        )
        # the papers were uploaded before the session was published
        PaperVersion.objects.filter(paper__meeting=meeting).update(uploaded_at=scheduled - timedelta(days=6))

    def _print_logins(self, password: str) -> None:
        domain = settings.ECABINET_BASE_DOMAIN
        port = os.environ.get("PORT", "8000")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Every demo password: {password}")
        for demo in DEMO_TENANTS:
            self.stdout.write(f"\n{demo.name}: http://{demo.slug}.{domain}:{port}/")
            for key, (name, title, _unit) in demo.people.items():
                self.stdout.write(f"  {demo.slug}-{key:<10} {name} — {title}")
        self.stdout.write(f"\nNational administrator: admin  (http://{domain}:{port}/admin/)")
