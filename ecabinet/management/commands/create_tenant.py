"""``manage.py create_tenant SLUG "NAME" --level province --secretary USERNAME``."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from ecabinet.actions import do_create_tenant, do_create_user
from ecabinet.errors import Invalid
from ecabinet.models import Tenant


class Command(BaseCommand):
    help = "Create a tenant (a People's Committee or the Government) with its first secretary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the host label, e.g. 'haiphong' for haiphong.<domain>")
        parser.add_argument("name", help="the full name, e.g. 'UBND thành phố Hải Phòng'")
        parser.add_argument("--level", choices=Tenant.Level.values, default=Tenant.Level.PROVINCE)
        parser.add_argument(
            "--parent", help="slug of the parent tenant (required for districts and communes)"
        )
        parser.add_argument("--secretary", required=True, help="username of the first secretary")
        parser.add_argument("--secretary-name", default="", help="the secretary's full name")
        parser.add_argument(
            "--password",
            help="the secretary's password; without it a random one is made and printed once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parent = None
        if options["parent"]:
            parent = Tenant.objects.filter(slug=options["parent"]).first()
            if parent is None:
                raise CommandError(_("No tenant has the address “%(slug)s”.") % {"slug": options["parent"]})
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            with transaction.atomic():
                tenant = do_create_tenant(
                    slug=options["slug"], name=options["name"], level=options["level"], parent=parent
                )
                secretary = do_create_user(
                    tenant=tenant,
                    username=options["secretary"],
                    full_name=options["secretary_name"] or options["secretary"],
                    title="Chuyên viên Văn phòng",
                    unit=f"Văn phòng {tenant.name}",
                    password=password,
                    is_secretariat=True,
                )
        except Invalid as exc:
            raise CommandError(str(exc.detail)) from exc
        host = f"{tenant.slug}.{settings.ECABINET_BASE_DOMAIN}"
        self.stdout.write(
            self.style.SUCCESS(_("Created %(name)s at %(host)s") % {"name": tenant.name, "host": host})
        )
        self.stdout.write(_("Secretary: %(username)s") % {"username": secretary.username})
        if not options["password"]:
            self.stdout.write(
                _("Password (shown once, change it at first login): %(password)s") % {"password": password}
            )
