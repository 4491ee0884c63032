"""``manage.py restore FILE``: rebuild an empty database and storage from a backup (``ecabinet.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecabinet.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and empty storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive made by `manage.py backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(Path(options["file"]))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} files from {summary.path}. "
            "Run `manage.py verify_audit` to check the restored chains."
        )
