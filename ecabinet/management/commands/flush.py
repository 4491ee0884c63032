"""Django's flush, which may also empty the append-only tables (``ecabinet.flushing``)."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from ecabinet.flushing import flushing


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with flushing():
            super().handle(**options)
