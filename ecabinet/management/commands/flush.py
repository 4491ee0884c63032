"""Django's flush, which may also empty the signed documents.

Signed documents refuse DELETE in the database (migration 0005). Flushing
empties the whole database on purpose (the test suite between transactional
tests, a developer starting over); on PostgreSQL it does so with TRUNCATE,
which row triggers do not see, and on SQLite it says so to the trigger here.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from ecabinet.signing import purging_signed_documents


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with purging_signed_documents():
            super().handle(**options)
