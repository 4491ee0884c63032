"""``manage.py send_task_reminders``: remind the assignees of the follow-up tasks due, in every tenant.

The worker does this on its own on each task's reminder days (runs enqueued
when the task is assigned); this command is the safety net for a cron line or
after restoring a backup. ``--schedule`` hands the worker the sweep that
re-enqueues itself every half hour.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports.followup.tasks import send_task_reminders


class Command(BaseCommand):
    help = "Send the follow-up task reminders that are due, and those of overdue tasks, once each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also enqueue the sweep that repeats itself in the background worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_task_reminders.call(False)
        self.stdout.write(f"{sent} task reminder(s) sent")
        if options["schedule"]:
            send_task_reminders.enqueue(True)
            self.stdout.write("the reminder sweep is scheduled in the background worker")
