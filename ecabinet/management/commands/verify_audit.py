"""``manage.py verify_audit [--tenant SLUG]``: does every audit chain, and every
meeting's chain of events (without ``--tenant``), still fit?

Walks each chain (one per tenant, and the national one) from its first row:
numbers without gaps, each row carrying the hash of the one before, each row's
hash matching what it holds, the last row matching the chain's head. Prints
each chain's rows and last hash (keep it elsewhere: a later run proves nothing
before it was changed), or the first row that does not fit. Exit code 0 when
every chain fits, 1 otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.models import AuditChain, EventStream, Tenant
from ecabinet.realtime import verify_stream


class Command(BaseCommand):
    help = "Check the audit log's hash chains and name the first row that does not fit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="only this tenant's chain (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["tenant"]:
            tenant = Tenant.objects.filter(slug=options["tenant"]).first()
            if tenant is None:
                raise CommandError(_("No tenant %(slug)s.") % {"slug": options["tenant"]}, returncode=1)
            keys = [audit.chain_key(tenant.pk)]
        else:
            keys = audit.chains()
        broken = 0
        for key in keys:
            count, found = audit.verify(key)
            if found is None:
                head = AuditChain.objects.get(key=key)
                self.stdout.write(
                    _("%(chain)s: %(n)s rows, intact; last hash %(hash)s")
                    % {"chain": key, "n": count, "hash": head.last_hash}
                )
            else:
                broken += 1
                self.stdout.write(
                    _("%(chain)s: BROKEN after %(n)s rows that fit: %(why)s")
                    % {"chain": key, "n": count, "why": found}
                )
        if not options["tenant"]:
            broken += self._verify_streams()
        if broken:
            raise CommandError(_("%(n)s chain(s) do not fit.") % {"n": broken}, returncode=1)

    def _verify_streams(self) -> int:
        """Each meeting's events, chained the same way; the broken ones named."""
        intact = broken = 0
        for stream in EventStream.objects.order_by("pk").iterator():
            count, why = verify_stream(stream)
            if why is None:
                intact += 1
                continue
            broken += 1
            self.stdout.write(
                _("events of stream %(id)s: BROKEN after %(n)s events that fit: %(why)s")
                % {"id": stream.pk, "n": count, "why": why}
            )
        self.stdout.write(_("%(n)s event streams intact.") % {"n": intact})
        return broken
