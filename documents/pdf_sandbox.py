"""Uploaded PDFs are read and stamped in a child process with hard limits.

A PDF is a program of sorts: a few kilobytes can decode to gigabytes, and a
parser can be driven into a loop. So whatever opens an uploaded paper —
checking it, counting and reading its pages, stamping a reader's copy — runs
here, in a process of its own that:

- limits its own address space, CPU time and file size with
  ``resource.setrlimit`` before it touches the file, so that a bomb kills the
  child, not the server;
- is killed, with everything it started (pdftoppm, Tesseract), when the
  parent's wall clock runs out;
- starts from a small fork server that has loaded pikepdf, pypdf and
  reportlab once (``multiprocessing``'s "forkserver" start method), so a
  check costs a fork, not a new interpreter, and no child inherits the
  server's database connections or threads.

The child knows nothing of Django: it gets a request dict and answers with
one (``documents.pdf_inspect.inspect``, ``documents.pdf_stamp.stamp``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any

from documents import pdf_inspect, pdf_stamp
from documents.pdf_inspect import Caps

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_context: Any = None


def _ctx() -> Any:
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["documents.pdf_sandbox"])
            _context = context
        return _context


def _limits_in_force(request: dict[str, Any]) -> dict[str, Any]:
    """What the child runs under: for ``manage.py check``-style diagnostics and the tests."""
    return {
        "ok": True,
        "memory_bytes": resource.getrlimit(resource.RLIMIT_AS)[0],
        "cpu_seconds": resource.getrlimit(resource.RLIMIT_CPU)[0],
        "file_bytes": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
        "own_group": os.getpgid(0) == os.getpid(),
    }


OPERATIONS = {"inspect": pdf_inspect.inspect, "stamp": pdf_stamp.stamp, "limits": _limits_in_force}


def _limit(limits: dict[str, int]) -> None:
    memory = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    size = limits["file_bytes"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(conn: Connection, operation: str, request: dict[str, Any], limits: dict[str, int]) -> None:
    # Its own process group: the parent kills it with what it started.
    os.setsid()
    try:
        _limit(limits)
        answer = OPERATIONS[operation](request)
    except MemoryError:
        answer = {"ok": False, "reason": "too_complex"}
    except RecursionError:
        answer = {"ok": False, "reason": "too_complex"}
    except Exception as exc:  # whatever a hostile file does, the parent gets a reason
        answer = {"ok": False, "reason": "damaged", "error": f"{type(exc).__name__}: {exc}"[:300]}
    try:
        conn.send(answer)
    except (MemoryError, OSError, ValueError):
        conn.send({"ok": False, "reason": "too_complex"})
    conn.close()


class SandboxFailed(Exception):
    """The child ran out of time or was killed by one of its limits; ``reason`` says which."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def run(operation: str, request: dict[str, Any], *, caps: Caps, file_bytes: int) -> dict[str, Any]:
    """Run ``operation`` on ``request`` in a limited child; its answer, or ``SandboxFailed``.

    ``file_bytes`` bounds what the child may write (a defused or stamped copy).
    """
    limits = {"memory_bytes": caps.memory_bytes, "cpu_seconds": caps.cpu_seconds, "file_bytes": file_bytes}
    context = _ctx()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, operation, request, limits), daemon=True)
    process.start()
    sender.close()
    try:
        if receiver.poll(caps.wall_seconds):
            try:
                answer: dict[str, Any] = receiver.recv()
            except EOFError:
                answer = {}
        else:
            _kill(process)
            raise SandboxFailed("too_slow", f"over {caps.wall_seconds:.0f} s")
    finally:
        receiver.close()
    process.join(10)
    if process.is_alive():
        _kill(process)
    if not answer:
        code = process.exitcode
        # Killed by its CPU limit (SIGXCPU, then SIGKILL) or by the kernel for memory.
        reason = "too_slow" if code in (-signal.SIGXCPU, -signal.SIGKILL) else "too_complex"
        raise SandboxFailed(reason, f"exit code {code}")
    return answer


def _kill(process: Any) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.join(5)
