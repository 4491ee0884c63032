"""``manage.py db_worker``: django-tasks' database worker, with this project's heartbeat.

The same command line as django-tasks' own (this app comes first, so its
command is the one Django runs), with ``BeatingWorker`` in place of
``Worker``: a heartbeat thread, and the recovery pass when it starts
(``ecabinet.recovery``). ``--reload`` is ignored: restart the worker instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management import CommandError
from django_tasks_db.management.commands.db_worker import Command as TasksCommand

from ecabinet.recovery import BeatingWorker, new_worker_id


class Command(TasksCommand):
    help = "Run background tasks, with a heartbeat; running tasks of dead workers are taken back."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options.get("exclude_queues") else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = BeatingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options.get("worker_id") or new_worker_id("process"),
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
