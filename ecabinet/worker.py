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
from typing import Any

from django.db import close_old_connections
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from ecabinet.recovery import BeatingWorker, new_worker_id

logger = logging.getLogger(__name__)


class WorkerThread(threading.Thread):
    def __init__(self, *, interval: float = 1.0) -> None:
        super().__init__(name="ecabinet-task-worker", daemon=True)
        self.worker = BeatingWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=new_worker_id("thread"),
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


# Sweeps: tasks that look over every tenant for work that came due (an
# opinion slip's deadline, a task's reminder) and enqueue themselves again.
# Each piece of work is also scheduled on its own when it is created; a sweep
# is the safety net for a worker that was down at the time. Apps register
# theirs in ``ready()``; ``manage.py serve`` starts each one that is not
# already waiting in the queue.
_sweeps: list[Any] = []


def register_sweep(task: Any) -> None:
    """``task`` takes one argument, ``repeat``: True makes it enqueue itself again."""
    if task not in _sweeps:
        _sweeps.append(task)


def start_sweeps() -> list[str]:
    """Enqueue every registered sweep that has no run waiting; the paths of those started."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    started = []
    for task in _sweeps:
        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )
        if not waiting.exists():
            task.enqueue(True)
            started.append(task.module_path)
    return started
