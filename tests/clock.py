"""The suite's clock: tests own it, so they pass on any day.

- A test runs on the process clock: the machine's, or the one that
  ``make test TEST_CLOCK=+1y`` moved with faketime (CI runs its second pass
  more than a year ahead). What a test makes is placed relative to that
  clock: the shared world's meeting starts at ``session_start()``, four days
  on at 08:00 in Hà Nội.
- A test that needs a calendar month or year names it and holds the clock
  there, before any fixture is made:
  ``@pytest.mark.time_machine(HELD_AT, tick=False)`` (time-machine applies
  its marker ahead of every other fixture, so the world is placed relative to
  that moment too).
- The ``clock`` fixture holds the clock still and moves it by hand. It moves
  every reader of the time at once: ``timezone.now()``, a field's
  ``default=timezone.now`` bound at import, signed links' timestamps. Patching
  ``django.utils.timezone.now`` moves only the first, which is how a test
  comes to pass only in the week it was written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

# The world's meeting is this many days after the moment the world is made.
SESSION_LEAD_DAYS = 4


def session_start(now: datetime | None = None, *, days: int = SESSION_LEAD_DAYS) -> datetime:
    """08:00 in Hà Nội, ``days`` calendar days after ``now`` (the clock's now by default)."""
    local = (now or timezone.now()).astimezone(HANOI)
    day = local.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=HANOI).astimezone(UTC)


def in_days(days: float, *, hours: float = 0) -> datetime:
    """A moment relative to the clock's now: for deadlines, cutoffs and due dates."""
    return timezone.now() + timedelta(days=days, hours=hours)


class Clock:
    """The clock held still, moved on by hand (time-machine underneath)."""

    def __init__(self, machine: time_machine.TimeMachineFixture) -> None:
        self._machine = machine
        # Held from the moment the fixture is made, to the whole second, so
        # that times read back from the database compare equal.
        self.start = self.at(timezone.now().replace(microsecond=0))

    @property
    def now(self) -> datetime:
        return timezone.now()

    def at(self, moment: datetime) -> datetime:
        """Hold the clock at ``moment`` (aware)."""
        if timezone.is_naive(moment):
            raise ValueError("the suite's clock takes aware datetimes only")
        self._machine.move_to(moment, tick=False)
        return moment

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        """Move the held clock on by ``seconds`` (and ``timedelta`` keywords)."""
        self._machine.shift(timedelta(seconds=seconds, **delta))
        return self.now


def local_iso(moment: datetime) -> str:
    """``moment`` as a tablet sends it: ISO 8601 in Hà Nội time, with its offset."""
    return moment.astimezone(HANOI).isoformat()


def local_input(moment: datetime) -> str:
    """``moment`` as a page's ``datetime-local`` field sends it: Hà Nội time, no offset."""
    return moment.astimezone(HANOI).strftime("%Y-%m-%dT%H:%M")


# For tests about named calendar months: 27 November 2026, 10:00 in Hà Nội.
# Held there before any fixture is made, the world's session falls on
# 1 December 2026 at 08:00 (01:00 UTC), in the fourth quarter of 2026.
NOV_27_2026 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
held_before_the_december_2026_session = pytest.mark.time_machine(NOV_27_2026, tick=False)
