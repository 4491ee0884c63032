"""A background task that holds its worker until told to go on: for the crash-recovery tests.

It lives in the tests package, which the worker process started by the
tests imports as the project's own tasks.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def held(hold: str, done: str) -> str:
    """Say it started; wait while the file ``hold`` exists; then say it finished."""
    Path(done + ".started").write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    Path(done).write_text("done")
    return "done"
