"""Nothing lost when the worker dies: heartbeats, a reaper and a sweep for missing work.

django-tasks marks a task RUNNING when a worker claims it and never looks
back: a worker killed mid-task (``kill -9``, a lost machine, an OOM kill)
leaves the task RUNNING for ever, and the ballot it was issuing a result
sheet for never gets one. So here:

- **Heartbeats.** Every worker of this project (``manage.py db_worker``, the
  server's worker thread) writes a ``WorkerBeat`` row every ``BEAT_SECONDS``
  from a thread of its own, also while a long task runs, and removes it when
  it stops cleanly.
- **The reaper.** A RUNNING task whose last worker has not beaten for
  ``dead_after()`` is put back to READY, to be run again by a live worker;
  each one is audited (``work_recovered``). Every task of this project can
  run twice: stamping makes a copy at most once per (version, reader), a
  result sheet is issued once per ballot or slip.
- **The sweep for missing work.** Apps register finders
  (``register_missing``) for what should exist and does not — a closed
  ballot's or slip's result sheet, the stamped copies of a published
  meeting's papers — and the sweep enqueues the task that makes it, unless
  one is already waiting.

``recover_work()`` does both; it runs when a worker starts, every
``SWEEP_EVERY`` as a sweep of its own (``recover_work_sweep``), and on demand
as ``manage.py recover_work``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker

from ecabinet import audit

logger = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
SWEEP_EVERY = timedelta(minutes=2)


def dead_after() -> timedelta:
    """How long a worker may stay silent before its running tasks are taken back."""
    return timedelta(seconds=float(getattr(settings, "ECABINET_WORKER_DEAD_AFTER", 60)))


def new_worker_id(kind: str) -> str:
    """Unique across machines and restarts: host, process, and a random part."""
    return f"{kind}-{socket.gethostname()[:20]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def beat(worker_id: str, *, started_at: datetime | None = None) -> None:
    from ecabinet.models import WorkerBeat

    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now, "host": socket.gethostname()[:100], "pid": os.getpid()},
        create_defaults={
            "beat_at": now,
            "started_at": started_at or now,
            "host": socket.gethostname()[:100],
            "pid": os.getpid(),
        },
    )


class Heart(threading.Thread):
    """Beats for ``worker_id`` until stopped, whatever the worker's own thread is doing."""

    def __init__(self, worker_id: str, *, every: float = BEAT_SECONDS) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self._stopped = threading.Event()

    def run(self) -> None:
        started = timezone.now()
        try:
            while not self._stopped.is_set():
                try:
                    beat(self.worker_id, started_at=started)
                except Exception:
                    # The database is away: the next beat tries again. A worker
                    # silent for dead_after() has its tasks taken back, which
                    # is right if the database stays away that long.
                    logger.exception("heartbeat of %s failed", self.worker_id)
                finally:
                    connection.close()
                self._stopped.wait(self.every)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopped.set()


class BeatingWorker(Worker):
    """django-tasks' database worker with a heartbeat, and the recovery pass when it starts."""

    def run(self) -> None:
        beat(self.worker_id)  # alive before the first claim
        heart = Heart(self.worker_id)
        heart.start()
        try:
            try:
                recover_work()
            except Exception:
                logger.exception("recovering work at start-up failed; the worker goes on")
            finally:
                close_old_connections()
            super().run()
        finally:
            heart.stop()
            heart.join(timeout=BEAT_SECONDS + 1)
            _forget(self.worker_id)


def _forget(worker_id: str) -> None:
    from ecabinet.models import WorkerBeat

    try:
        WorkerBeat.objects.filter(worker_id=worker_id).delete()
    except Exception:
        logger.exception("could not remove the heartbeat of %s", worker_id)
    finally:
        close_old_connections()


def _tenant_of(args_kwargs: Any) -> int | None:
    """The project's tasks take the tenant's id first: the chain the audit row belongs to."""
    args = (args_kwargs or {}).get("args") or []
    first = args[0] if args else None
    return first if isinstance(first, int) and not isinstance(first, bool) else None


def reap(now: datetime | None = None) -> list[str]:
    """Put back to READY every RUNNING task whose worker is dead; the ids of those taken back."""
    from django_tasks_db.models import DBTaskResult

    from ecabinet.models import WorkerBeat

    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=now - dead_after()).values_list("worker_id", flat=True)
    )
    taken: list[str] = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at"):
        last = result.worker_ids[-1] if result.worker_ids else None
        if last in alive:
            continue
        if result.started_at is not None and result.started_at >= now - dead_after():
            continue  # just claimed: its worker may not have beaten yet
        with transaction.atomic():
            moved = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            if not moved:
                continue  # finished or taken back meanwhile
            audit.record(
                audit.Kind.WORK_RECOVERED,
                tenant_id=_tenant_of(result.args_kwargs),
                task=result.task_path,
                task_id=str(result.pk),
                worker_id=last or "",
                started_at=result.started_at.isoformat() if result.started_at else None,
                how="requeued",
            )
        taken.append(str(result.pk))
        logger.warning(
            "task %s (%s) of dead worker %s put back to run again", result.pk, result.task_path, last
        )
    # Beats of workers long gone are only noise.
    WorkerBeat.objects.filter(beat_at__lt=now - 10 * dead_after()).delete()
    return taken


# What should exist and may not: each finder yields (task, args) to enqueue.
Finder = Callable[[], Iterable[tuple[Any, tuple[Any, ...]]]]
_finders: list[Finder] = []


def register_missing(finder: Finder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def _waiting(task_path: str, args: tuple[Any, ...]) -> bool:
    from django_tasks_db.models import DBTaskResult

    return any(
        list(r.get("args") or []) == list(args)
        for r in DBTaskResult.objects.filter(
            task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("args_kwargs", flat=True)
    )


def sweep_missing() -> list[str]:
    """Enqueue the task for every missing piece of work no task is already on; what was enqueued."""
    enqueued: list[str] = []
    for finder in _finders:
        for work, args in finder():
            if _waiting(work.module_path, args):
                continue
            with transaction.atomic():
                work.enqueue(*args)
                audit.record(
                    audit.Kind.WORK_RECOVERED,
                    tenant_id=_tenant_of({"args": list(args)}),
                    task=work.module_path,
                    args=list(args),
                    how="missing",
                )
            enqueued.append(f"{work.module_path}{list(args)}")
    return enqueued


def recover_work(now: datetime | None = None) -> dict[str, list[str]]:
    """The reaper, then the sweep for missing work."""
    return {"requeued": reap(now), "enqueued": sweep_missing()}


@task()
def recover_work_sweep(repeat: bool = True) -> dict[str, list[str]]:
    done = recover_work()
    if repeat:
        recover_work_sweep.using(run_after=timezone.now() + SWEEP_EVERY).enqueue(True)
    return done
