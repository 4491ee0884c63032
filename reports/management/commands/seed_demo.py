"""``manage.py seed_demo``: the demo tenants, accounts and meetings. Idempotent."""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from reports.demo import DEMO_TENANTS, ROLE_OF_KEY, DemoTenant
from ecabinet.models import Tenant, User
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_participant, do_create_meeting
from meetings.models import Meeting, Participant

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class Command(BaseCommand):
    help = "Create or refresh the demo tenants, accounts and meetings (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            admin = self._user(None, "admin", "Quản trị viên quốc gia", "Quản trị hệ thống", "", password)
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
            for demo in DEMO_TENANTS:
                tenant, _ = Tenant.objects.update_or_create(
                    slug=demo.slug,
                    defaults={"name": demo.name, "level": demo.level, "is_active": True, "merged_into": None},
                )
                with tenant_context(tenant):
                    users = {
                        key: self._user(tenant, f"{demo.slug}-{key}", name, title, unit, password)
                        for key, (name, title, unit) in demo.people.items()
                    }
                    users["secretary"].is_secretariat = True
                    users["secretary"].save(update_fields=["is_secretariat"])
                    self._meeting(tenant, demo, users)
        if not options["quiet"]:
            self._print_logins(password)

    def _user(
        self, tenant: Tenant | None, username: str, full_name: str, title: str, unit: str, password: str
    ) -> User:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "tenant": tenant,
                "full_name": full_name,
                "title": title,
                "unit": unit,
                "is_active": True,
                "is_superuser": tenant is None,
                "is_staff": tenant is None,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        return user

    def _meeting(self, tenant: Tenant, demo: DemoTenant, users: dict[str, User]) -> Meeting:
        start_day = timezone.localdate(timezone.now(), VIETNAM) + timedelta(days=3)
        if tenant.level == Tenant.Level.GOVERNMENT:
            title = "Phiên họp Chính phủ thường kỳ"
        else:
            title = f"Phiên họp thường kỳ {tenant.name}"
        meeting = Meeting.objects.filter(title=title).first()
        if meeting is None:
            meeting = do_create_meeting(
                tenant=tenant,
                title=title,
                scheduled_start=datetime.combine(start_day, time(8, 0), tzinfo=VIETNAM),
                acting_user=users["secretary"],
            )
        present = set(Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        for key, user in users.items():
            if user.pk in present:
                continue
            role = ROLE_OF_KEY.get(key, "member")
            do_add_participant(meeting, user=user, role=role, acting_user=users["secretary"])
        return meeting

    def _print_logins(self, password: str) -> None:
        domain = settings.ECABINET_BASE_DOMAIN
        port = os.environ.get("PORT", "8000")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Every demo password: {password}")
        for demo in DEMO_TENANTS:
            self.stdout.write(f"\n{demo.name}: http://{demo.slug}.{domain}:{port}/")
            for key, (name, title, _unit) in demo.people.items():
                self.stdout.write(f"  {demo.slug}-{key:<10} {name} — {title}")
        self.stdout.write(f"\nNational administrator: admin  (http://{domain}:{port}/admin/)")
