"""The background worker, as a thread of the server process.

The in-memory channel layer lives inside one process; a worker in another
process could not reach the sockets with what it publishes. So in the
embedded default (no REDIS_URL) ``manage.py serve`` runs django-tasks'
database worker loop in a thread beside Daphne; with Redis it runs as a
process of its own (``manage.py db_worker``).
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger(__name__)


class WorkerThread(threading.Thread):
    def __init__(self, *, interval: float = 1.0) -> None:
        super().__init__(name="ecabinet-task-worker", daemon=True)
        self.worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"thread-{threading.get_native_id()}",
            excluded_queue_names=[],
        )

    def run(self) -> None:
        # The worker's own signal handling is for a process of its own; here
        # the server owns the signals and the thread dies with the process.
        try:
            self.worker.run()
        except Exception:
            logger.exception("the background worker thread stopped")
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.worker.running = False
