"""``manage.py make_signing_cert [--tenant SLUG | --all] [--force]``: demo certificates.

A self-signed RSA 2048 certificate per tenant (CN = O = the tenant's name,
C = VN) in ``ECABINET_SIGNING_DIR/<slug>.p12``. Production installs a
certificate from a certification authority there instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ecabinet.models import Tenant
from ecabinet.signing import certificate_name, make_self_signed_p12, signing_dir, tenant_p12


class Command(BaseCommand):
    help = "Create a self-signed signing certificate for a tenant, or for every tenant (demo and tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--tenant", metavar="SLUG", help="the tenant's slug, e.g. hanoi")
        which.add_argument("--all", action="store_true", help="every active tenant")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "replace a certificate that exists (the old one is kept as a trusted .pem, "
                "so what it signed still verifies)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ECABINET_SIGNING_P12:
            raise CommandError(
                _("ECABINET_SIGNING_P12 is set: every tenant signs with that certificate, none is made here.")
            )
        if options["all"]:
            tenants = list(Tenant.objects.filter(is_active=True).order_by("slug"))
        else:
            tenant = Tenant.objects.filter(slug=options["tenant"]).first()
            if tenant is None:
                raise CommandError(_("No tenant has the address “%(slug)s”.") % {"slug": options["tenant"]})
            tenants = [tenant]
        for tenant in tenants:
            path = signing_dir() / f"{tenant.slug}.p12"
            existed = path.exists()
            make_self_signed_p12(tenant, path=path, overwrite=options["force"])
            name = certificate_name(tenant_p12(tenant).certificate)
            if existed and not options["force"]:
                message = _("Kept the certificate of %(name)s at %(path)s (--force replaces it)")
            else:
                message = _("Created a self-signed certificate for %(name)s at %(path)s")
            self.stdout.write(self.style.SUCCESS(message % {"name": name, "path": path}))
