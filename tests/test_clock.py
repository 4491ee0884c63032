"""The suite's clock: the forms TEST_CLOCK takes, and the servers it starts follow it."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime

import pytest

from tests.clock import HANOI, SHIFT_ENV, clock_shift, manage_py, real_time

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("+1y", 365 * 86400),
        ("+400d", 400 * 86400),
        ("-3h", -3 * 3600),
        ("+90m", 90 * 60),
        ("@2030-01-01 09:00:00", datetime(2030, 1, 1, 9, 0, tzinfo=HANOI).timestamp() - NOW),
        ("2030-01-01T09:00+00:00", datetime(2030, 1, 1, 9, 0, tzinfo=UTC).timestamp() - NOW),
    ],
)
def test_the_forms_of_test_clock(text: str, seconds: float) -> None:
    assert clock_shift(text, now=NOW) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["tomorrow", "+1w", "1y", ""])
def test_a_form_it_does_not_know_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="give an offset"):
        clock_shift(text, now=NOW)


def test_a_process_started_through_manage_py_runs_on_the_suites_clock(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # given a shift of ten years handed to the child, as the suite hands its own
    script = tmp_path / "now.py"
    script.write_text("import time\nprint(time.time())\n")
    env = {**os.environ, SHIFT_ENV: str(10 * 365 * 86400)}
    # when the child reads its clock
    command = [*manage_py()[:-1], str(script)]  # the launcher, with a script for manage.py
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    # then it is ten years ahead of the machine's
    assert float(out.stdout.strip()) - real_time() == pytest.approx(10 * 365 * 86400, abs=120)
