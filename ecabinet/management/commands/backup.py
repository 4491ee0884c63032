"""``manage.py backup FILE``: the database and every stored file in one archive (``ecabinet.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecabinet.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the papers into one .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the archive, e.g. ecabinet-2026-12-04.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = make_backup(Path(options["file"]))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {summary.rows} rows and {summary.files} files to {summary.path} "
            f"(SHA-256 {summary.sha256})."
        )
