"""``manage.py recover_work``: take back the tasks of dead workers and enqueue missing work now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ecabinet.recovery import recover_work


class Command(BaseCommand):
    help = (
        "Put back to run the tasks whose worker stopped beating, and enqueue what should exist "
        "and does not (result sheets, stamped copies). Workers do this when they start and every "
        "two minutes; this runs it at once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = recover_work()
        for task_id in done["requeued"]:
            self.stdout.write(f"requeued {task_id}")
        for what in done["enqueued"]:
            self.stdout.write(f"enqueued {what}")
        self.stdout.write(f"{len(done['requeued'])} task(s) requeued, {len(done['enqueued'])} enqueued.")
