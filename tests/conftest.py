"""Fixtures: two provinces and the Government, a user per role and tenant, and
clients bound to a tenant's host, so a no-access test is one line."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from ecabinet.actions import do_create_tenant, do_create_user
from ecabinet.models import Tenant, User
from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_item, do_add_participant, do_create_meeting, do_publish_meeting
from meetings.models import AgendaItem, Meeting
from tests.clock import CLOCK_ENV, SHIFT_ENV, Clock, clock_shift, move_the_clock, real_time, session_start

PASSWORD = "correct-horse-battery-staple"


def host_of(tenant: Tenant) -> str:
    return f"{tenant.slug}.localhost"


@dataclass
class World:
    tenant: Tenant
    chair: User
    vice_chair: User
    secretary: User  # the tenant's secretariat, not a participant
    member: User
    other_member: User  # a member of the tenant who is not in the meeting
    guest: User
    observer: User
    meeting: Meeting  # published, at 08:00 in Hà Nội four days after the world was made
    items: list[AgendaItem]  # three items; the guest is invited to the second only

    @property
    def host(self) -> str:
        return host_of(self.tenant)

    def client(self, user: User | None = None) -> Client:
        client = Client(HTTP_HOST=self.host)
        if user is not None:
            client.force_login(user)
        return client


def build_world(slug: str, name: str) -> World:
    tenant = do_create_tenant(slug=slug, name=name, level=Tenant.Level.PROVINCE)

    def user(key: str, full_name: str, **extra: object) -> User:
        return do_create_user(
            tenant=tenant,
            username=f"{slug}-{key}",
            full_name=full_name,
            title=f"Chức danh {key}",
            password=PASSWORD,
            check_password=False,
            **extra,  # type: ignore[arg-type]
        )

    with tenant_context(tenant):
        world_users = {
            "chair": user("chair", "Chủ tịch Nguyễn"),
            "vice_chair": user("vicechair", "Phó Chủ tịch Trần"),
            "secretary": user("secretary", "Chánh Văn phòng Lê", is_secretariat=True),
            "member": user("member1", "Giám đốc Phạm"),
            "other_member": user("member2", "Giám đốc Hoàng"),
            "guest": user("guest", "Khách mời Vũ"),
            "observer": user("observer", "Quan sát viên Đặng"),
        }
        meeting = do_create_meeting(
            tenant=tenant,
            title=f"Phiên họp thường kỳ {name}",
            scheduled_start=session_start(),
            acting_user=world_users["secretary"],
        )
        items = [
            do_add_item(
                meeting,
                title=title,
                summary=f"Tóm tắt: {title}",
                presenting_unit=unit,
                planned_minutes=minutes,
                acting_user=world_users["secretary"],
            )
            for title, unit, minutes in [
                ("Tờ trình về kế hoạch đầu tư công năm 2027", "Sở Tài chính", 30),
                ("Báo cáo tình hình kinh tế - xã hội tháng 11", "Văn phòng UBND", 20),
                ("Dự thảo quy chế làm việc", "Sở Nội vụ", 15),
            ]
        ]
        participants = {}
        for key, role in [
            ("chair", Role.CHAIR),
            ("vice_chair", Role.VICE_CHAIR),
            ("member", Role.MEMBER),
            ("guest", Role.GUEST),
            ("observer", Role.OBSERVER),
        ]:
            participants[key] = do_add_participant(
                meeting, user=world_users[key], role=role, acting_user=None
            )
        participants["guest"].items.set([items[1]])
        meeting = do_publish_meeting(meeting, acting_user=world_users["secretary"])
    return World(tenant=tenant, meeting=meeting, items=items, **world_users)


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> Clock:
    """The clock held still from now on, moved by hand (``tests/clock.py``)."""
    return Clock(time_machine)


@pytest.fixture
def hanoi(db: None) -> World:
    return build_world("hanoi", "UBND thành phố Hà Nội")


@pytest.fixture
def danang(db: None) -> World:
    return build_world("danang", "UBND thành phố Đà Nẵng")


@pytest.fixture
def national_admin(db: None) -> User:
    return do_create_user(
        tenant=None,
        username="admin",
        full_name="Quản trị viên",
        password=PASSWORD,
        check_password=False,
        is_national_admin=True,
    )


@pytest.fixture
def in_hanoi(hanoi: World):  # type: ignore[no-untyped-def]
    with tenant_context(hanoi.tenant):
        yield hanoi


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: runs in the second CI pass with DATABASE_URL set",
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs Redis: runs in the second CI pass with REDIS_URL set",
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # The real hasher is slow by design; the tests check who may log in, not its cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The real-browser tests run last: Playwright's event loop lives in the
    # test thread while they run, and nothing after them should share it.
    items.sort(key=lambda item: "tests/e2e/" in str(item.path).replace(os.sep, "/"))


@pytest.fixture(autouse=True)
def _private_papers_root(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    # Papers written by any test (seed_demo's, say) go to a temporary folder, never to var/.
    settings.ECABINET_PAPERS_ROOT = tmp_path_factory.mktemp("papers")


@pytest.fixture
def signing_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Certificates of this test only: a fresh directory, self-signed on first use."""
    settings.ECABINET_SIGNING_DIR = tmp_path / "signing"
    settings.ECABINET_SIGNING_P12 = ""
    settings.ECABINET_SIGNING_P12_PASSWORD = ""
    settings.ECABINET_SIGNING_SELF_SIGNED = True
    return settings.ECABINET_SIGNING_DIR


class EventCapture:
    """The events kept from the moment the fixture is made (as Zulip's
    ``capture_send_event_calls``); each is checked against the shape its app
    declared for its type (``ecabinet.realtime.register_events``)."""

    def __init__(self) -> None:
        from django.db.models import Max

        from ecabinet.models import Event

        self.since = Event.objects.aggregate(last=Max("id"))["last"] or 0

    def events(self, type: str | None = None) -> list[Any]:
        from ecabinet.models import Event

        found = Event.objects.filter(id__gt=self.since).order_by("id")
        return list(found.filter(type=type) if type else found)

    def check(self) -> None:
        """Every captured event is of a declared type and its data fits the type's shape."""
        from ecabinet.realtime import event_shapes
        from ecabinet.shapes import problems

        shapes = event_shapes()
        for event in self.events():
            assert event.type in shapes, f"{event.type}: no shape declared"
            found = problems(event.data, shapes[event.type])
            assert found == [], f"{event.type}: {found}"


@pytest.fixture
def capture_events(db: None) -> Iterator[EventCapture]:
    capture = EventCapture()
    yield capture
    capture.check()


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    # Login rate limits live in the cache; with Redis it outlives a test run.
    from django.core.cache import cache

    cache.clear()
    yield


# --- the suite's clock -------------------------------------------------------------------
# ``make test TEST_CLOCK=+1y`` (ECABINET_TEST_CLOCK) runs the whole suite with
# the wall clock moved; the servers the tests start follow (tests/clock.py).
# A moved clock that did not move stops the run rather than pass for a test
# at another date.


def pytest_configure(config: pytest.Config) -> None:
    asked = os.environ.get(CLOCK_ENV, "").strip()
    if not asked:
        os.environ.pop(SHIFT_ENV, None)
        return
    try:
        shift = clock_shift(asked)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    os.environ[SHIFT_ENV] = repr(shift)
    move_the_clock(shift)
    moved = time.time() - real_time()
    if abs(moved - shift) > 60:
        raise pytest.UsageError(f"{CLOCK_ENV}={asked} was asked for, but the clock moved {moved:.0f} s")


def pytest_report_header(config: pytest.Config) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    asked = os.environ.get(CLOCK_ENV, "").strip()
    if asked:
        days = (time.time() - real_time()) / 86400
        return f"clock: {now}, moved {days:+.1f} days from the machine's ({CLOCK_ENV}={asked})"
    return f"clock: {now} (the machine's)"
