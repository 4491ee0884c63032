"""``manage.py trace_paper CODE``: whose copy a leaked printout or photo is.

Every copy served carries a trace code on every page; this reads it back to
the reader (name, unit, tenant), the paper and its version, when the copy was
made, and every time that copy was opened or downloaded. A code comes from a
printout found anywhere, so the search runs across tenants — for the people
who run the installation, never through a page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents.access import paper_owner
from documents.models import PaperOpen, StampedCopy
from documents.stamping import normalise_trace_code
from ecabinet.tenancy import tenant_context


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S") if value else "—"


class Command(BaseCommand):
    help = "Find who a stamped copy of a paper was made for, from the trace code printed on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "code",
            nargs="+",
            help="the trace code on the page, e.g. K7Q3-9XPD (any case; spaces and dashes are ignored)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        typed = " ".join(options["code"])
        code = normalise_trace_code(typed)
        copy = (
            StampedCopy.all_tenants.select_related("tenant", "reader", "reader__tenant")
            .filter(trace_code=code)
            .first()
        )
        if copy is None:
            raise CommandError(
                _("No stamped copy has the trace code “%(code)s”. Check the code on the page and try again.")
                % {"code": typed.strip()}
            )
        with tenant_context(copy.tenant):
            self._report(copy)

    def _report(self, copy: StampedCopy) -> None:
        version = copy.version
        paper = version.paper
        meeting = paper.meeting
        reader = copy.reader
        current = paper.current_version
        out = self.stdout.write
        out(self.style.SUCCESS(_("Trace code %(code)s") % {"code": copy.trace_code}))
        rows = [
            (_("Reader"), reader.full_name or reader.username),
            (_("Account"), reader.username),
            (_("Job title"), reader.title or "—"),
            (_("Unit"), reader.unit or "—"),
            (_("Tenant"), f"{copy.tenant.name} ({copy.tenant.slug})"),
            (_("Paper"), f"{paper.title} (#{paper.pk})"),
            (
                (_("Meeting"), f"{meeting.title} (#{meeting.pk})")
                if meeting is not None
                else (_("Belongs to"), paper_owner(paper) or "—")
            ),
            (_("Agenda item"), paper.item.title if paper.item is not None else "—"),
            (
                _("Version"),
                _("%(number)s of %(latest)s, uploaded %(when)s, SHA-256 %(sha)s")
                % {
                    "number": version.number,
                    "latest": current.number if current else version.number,
                    "when": _when(version.uploaded_at),
                    "sha": version.sha256,
                },
            ),
            (_("Copy made"), _when(copy.made_at)),
            (_("Stamp"), copy.stamp_text),
        ]
        width = max(len(label) for label, _value in rows)
        for label, value in rows:
            out(f"{label.ljust(width)}  {value}")
        reads = list(PaperOpen.objects.filter(copy=copy).order_by("at", "pk"))
        out("")
        if reads:
            out(ngettext("Opened once:", "Opened %(count)s times:", len(reads)) % {"count": len(reads)})
        else:
            out(_("Never opened."))
        for read in reads:
            kind = _("downloaded") if read.downloaded else _("opened")
            out(f"  {_when(read.at)}  {kind:<10}  {read.ip or '—':<15}  {read.user_agent or '—'}")
