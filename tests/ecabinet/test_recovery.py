"""Nothing lost when the worker dies: the worker really killed, its task taken back and run again;
missing result sheets and stamped copies found and issued."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecabinet import recovery
from ecabinet.models import AuditEvent, WorkerBeat
from tests.clock import manage_py
from tests.ecabinet.held_task import held

REPO = Path(__file__).resolve().parents[2]


def run_queued() -> None:
    """Run what is waiting in the queue, here in the test's transaction (the worker process is
    tested above; a worker thread here would close the test's connection)."""
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def _worker_env() -> dict[str, str]:
    from tests.e2e.conftest import _server_env

    return _server_env()


def _start_worker(log: Path, *extra: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            manage_py("db_worker", "--interval", "0.1", *extra),
            cwd=REPO,
            env=_worker_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_for(path: Path, process: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"the worker did not get to {path.name}; its log:\n{log.read_text(errors='replace')}")


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_was_killed_is_run_again(tmp_path: Path) -> None:
    hold, done = tmp_path / "hold", tmp_path / "done"
    hold.write_text("")
    result = held.enqueue(str(hold), str(done))
    log = tmp_path / "worker.log"
    worker = _start_worker(log)
    try:
        _wait_for(Path(str(done) + ".started"), worker, log)
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == TaskResultStatus.RUNNING
        worker_id = row.worker_ids[-1]
        assert WorkerBeat.objects.filter(worker_id=worker_id).exists()  # it beats while it works
        # kill -9, mid-task
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    # the issue: the task stays RUNNING for a worker that no longer exists
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    # a worker silent for less than dead_after() may be busy, not dead: left alone
    assert recovery.reap() == []
    # past it, the task is taken back, and the audit says so
    later = timezone.now() + recovery.dead_after() + timedelta(seconds=1)
    assert recovery.reap(now=later) == [str(result.id)]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    taken = AuditEvent.objects.get(kind=AuditEvent.Kind.WORK_RECOVERED, detail__task_id=str(result.id))
    assert taken.detail["worker_id"] == worker_id and taken.detail["how"] == "requeued"
    # a new worker runs it to the end
    hold.unlink()
    again = _start_worker(log, "--batch")
    try:
        again.wait(60)
    finally:
        if again.poll() is None:
            os.killpg(again.pid, signal.SIGKILL)
    assert done.read_text() == "done", log.read_text(errors="replace")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL and len(row.worker_ids) == 2
    # and, stopping cleanly, it took its heartbeat with it
    assert not WorkerBeat.objects.filter(worker_id=row.worker_ids[-1]).exists()


@pytest.mark.django_db
def test_a_live_worker_keeps_its_task() -> None:
    result = held.enqueue("/nonexistent", "/nonexistent")
    recovery.beat("alive-worker")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["alive-worker"],
    )
    assert recovery.reap() == []
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def _closed_slip(w: Any) -> Any:
    from voting.actions import do_answer_slip, do_close_slip, do_issue_slip

    slip = do_issue_slip(
        tenant=w.tenant,
        question="Ý kiến về dự thảo Nghị quyết",
        deadline=timezone.now() + timedelta(days=1),
        recipients=[w.chair, w.member],
        acting_user=w.secretary,
    )
    do_answer_slip(slip, user=w.member, choice="agree")
    return do_close_slip(slip, acting_user=w.secretary)


def test_a_missing_result_sheet_is_found_and_issued(in_hanoi: Any, signing_dir: Any) -> None:
    from voting.models import Slip

    w = in_hanoi
    slip = _closed_slip(w)
    # the task that should issue its sheet was lost with its worker
    DBTaskResult.objects.filter(task_path="voting.tasks.issue_slip_result").delete()
    assert Slip.objects.get(pk=slip.pk).result_document_id is None
    enqueued = recovery.sweep_missing()
    assert f"voting.tasks.issue_slip_result{[w.tenant.pk, slip.pk]}" in enqueued
    assert recovery.sweep_missing() == []  # already waiting: not twice
    (queued,) = DBTaskResult.objects.filter(task_path="voting.tasks.issue_slip_result")
    assert queued.status == TaskResultStatus.READY
    # the worker runs what was enqueued: the slip has its signed sheet
    run_queued()
    assert Slip.objects.get(pk=slip.pk).result_document_id is not None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WORK_RECOVERED, detail__how="missing").exists()


def test_papers_without_any_stamped_copy_are_stamped(in_hanoi: Any) -> None:
    from documents.actions import do_upload_paper
    from documents.models import StampedCopy
    from tests.documents.conftest import pdf_upload

    w = in_hanoi
    paper = do_upload_paper(w.meeting, upload=pdf_upload(), title="Tờ trình", acting_user=w.secretary)
    DBTaskResult.objects.filter(task_path__startswith="documents.tasks.").delete()
    assert not StampedCopy.objects.filter(version=paper.current_version).exists()
    enqueued = recovery.sweep_missing()
    assert f"documents.tasks.stamp_version{[w.tenant.pk, paper.current_version_id]}" in enqueued
    run_queued()
    assert StampedCopy.objects.filter(version=paper.current_version).exists()
    assert recovery.sweep_missing() == []


def test_recover_work_says_what_it_did(db: None, capsys: Any) -> None:
    result = held.enqueue("/nonexistent", "/nonexistent")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["gone-worker"],
    )
    call_command("recover_work")
    out = capsys.readouterr().out
    assert f"requeued {result.id}" in out and "1 task(s) requeued" in out
