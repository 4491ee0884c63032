"""``manage.py verify_pdf FILE``: who signed a PDF, when, and whether it was altered.

Exit code 0 when the signature is intact, covers the whole file and comes
from a trusted certificate; 1 otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.signing import verify_pdf


class Command(BaseCommand):
    help = "Check the digital signature of a PDF: signer, time, intact or altered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the PDF to check")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=1)
        if path.stat().st_size > settings.ECABINET_VERIFY_MAX_BYTES:
            raise CommandError(_("The file is too large to check."), returncode=1)
        result = verify_pdf(path.read_bytes())
        yes, no = _("yes"), _("no")
        self.stdout.write(_("File: %(path)s") % {"path": path})
        self.stdout.write(_("Signed: %(answer)s") % {"answer": yes if result.signed else no})
        if result.signed:
            when = "—"
            if result.signed_at:
                when = timezone.localtime(result.signed_at).strftime("%d/%m/%Y %H:%M")
            self.stdout.write(_("Signed by: %(signer)s") % {"signer": result.signer or "—"})
            self.stdout.write(_("Signed at: %(when)s") % {"when": when})
            state = _("intact") if result.intact and result.covers_whole_file else _("ALTERED")
            self.stdout.write(_("Content: %(state)s") % {"state": state})
            trusted = yes if result.trusted else no
            self.stdout.write(_("Certificate trusted: %(answer)s") % {"answer": trusted})
        self.stdout.write(_("SHA-256: %(digest)s") % {"digest": result.sha256})
        if not result.ok:
            raise CommandError(result.problem or _("The signature is not valid."), returncode=1)
        self.stdout.write(self.style.SUCCESS(_("Valid: the file is exactly as it was signed.")))
