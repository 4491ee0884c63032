"""``manage.py sweep_slips``: remind and close what is due, in every tenant.

The worker does this on its own at each slip's reminder times and deadline
(tasks enqueued with ``run_after`` when the slip is issued); this command is
the safety net for a cron line or after restoring a backup.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from voting.tasks import sweep_slips


class Command(BaseCommand):
    help = "Send the opinion-slip reminders that are due and close the slips whose deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        acted = sweep_slips.call(False)
        self.stdout.write(f"{acted} slip(s) reminded or closed")
