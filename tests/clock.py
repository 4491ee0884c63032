"""The suite's clock: tests own it, so they pass on any day.

- A test runs on the suite's clock: the machine's, or the machine's moved by
  ``make test TEST_CLOCK=+1y`` (``ECABINET_TEST_CLOCK``; CI runs its second
  pass more than a year ahead). The whole run travels, the servers it starts
  too (``manage_py``); only the wall clock moves, so sleeps and timeouts keep
  their length. What a test makes is placed relative to that clock: the shared
  world's meeting starts at ``session_start()``, four days on at 08:00 in Hà
  Nội.
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

import os
import re
import runpy
import sys
import time
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


# --- the whole run at another date ----------------------------------------------------------

# What ``make test TEST_CLOCK=…`` sets, and what the suite hands to the processes it starts.
CLOCK_ENV = "ECABINET_TEST_CLOCK"
SHIFT_ENV = "ECABINET_TEST_CLOCK_SHIFT"  # seconds ahead of the machine's clock
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400}
_OFFSET = re.compile(r"^([+-])(\d+)([smhdy])$")


def real_time() -> float:
    """The machine's clock, whatever the suite's clock says."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def clock_shift(text: str, *, now: float | None = None) -> float:
    """Seconds from the machine's clock to ``text``: ``+1y``, ``+400d``, ``-3h``, or a moment
    (``2030-01-01``, ``2030-01-01 09:00``, ISO 8601; Hà Nội time unless it says otherwise)."""
    now = real_time() if now is None else now
    text = text.strip().removeprefix("@")
    offset = _OFFSET.match(text)
    if offset:
        sign, amount, unit = offset.groups()
        return (1 if sign == "+" else -1) * int(amount) * _UNITS[unit]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{CLOCK_ENV}={text!r}: give an offset (+1y, +400d, -3h) or a moment (2030-01-01 09:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HANOI)
    return moment.timestamp() - now


def move_the_clock(shift: float) -> time_machine.travel:
    """Travel ``shift`` seconds from the machine's clock, the clock running on."""
    traveller = time_machine.travel(real_time() + shift, tick=True)
    traveller.start()
    return traveller


def manage_py(*args: str) -> list[str]:
    """The command line of ``manage.py args`` in a process on the suite's clock."""
    return [sys.executable, "-m", "tests.clock", "manage.py", *args]


if __name__ == "__main__":  # python -m tests.clock manage.py …: run it on the suite's clock
    if os.environ.get(SHIFT_ENV):
        move_the_clock(float(os.environ[SHIFT_ENV]))
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
