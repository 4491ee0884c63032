"""The one moment rows of the append-only tables may go: ``manage.py flush``.

The audit log and the signed documents refuse UPDATE and DELETE in the
database itself. Flushing empties the whole database on purpose (the test
suite between transactional tests, a developer starting over): PostgreSQL
does it with TRUNCATE, which row triggers do not see; SQLite's triggers ask
the function registered here, which says yes only inside ``flushing()``. A
connection opened by anything else (the ``sqlite3`` shell) has no such
function, and its DELETE fails.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

_flushing: contextvars.ContextVar[bool] = contextvars.ContextVar("ecabinet_flushing", default=False)

# The names the SQLite triggers call: signed documents (migration 0005), the audit log (0008).
SQL_FUNCTIONS = ("ecabinet_signed_purge", "ecabinet_flushing")


@contextmanager
def flushing() -> Iterator[None]:
    """Let SQLite's triggers allow DELETE on the append-only tables: for ``manage.py flush`` only."""
    token = _flushing.set(True)
    try:
        yield
    finally:
        _flushing.reset(token)


@receiver(connection_created, dispatch_uid="ecabinet.flushing.sqlite_functions")
def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        for name in SQL_FUNCTIONS:
            connection.connection.create_function(name, 0, lambda: int(_flushing.get()))
