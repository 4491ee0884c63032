"""The data a benchmark runs on, made with the same actions the tests use.

One tenant (``hanoi``), its secretary, and for each call a new meeting (so
each benchmark has a stream of its own) with one agenda item and ``members``
participants, each with an API token for ``?token=`` sockets, published (a
draft is not open to its members). Users are reused between calls. Call
after ``django.setup()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ecabinet.actions import do_create_tenant, do_create_user
from ecabinet.models import Tenant, User
from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings.actions import do_add_item, do_add_participant, do_create_meeting, do_publish_meeting
from meetings.models import Meeting

TENANT_SLUG = "hanoi"


@dataclass
class BenchWorld:
    tenant: Tenant
    meeting: Meeting
    tokens: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"{self.tenant.slug}.localhost"


def bench_world(title: str, *, members: int = 0) -> BenchWorld:
    from rest_framework.authtoken.models import Token

    tenant = Tenant.objects.filter(slug=TENANT_SLUG).first() or do_create_tenant(
        slug=TENANT_SLUG, name="UBND thành phố Hà Nội", level=Tenant.Level.PROVINCE
    )
    with tenant_context(tenant):
        secretary = User.objects.filter(username="bench-secretary").first() or do_create_user(
            tenant=tenant,
            username="bench-secretary",
            full_name="Chánh Văn phòng (đo hiệu năng)",
            password=None,  # no login: the benchmarks use tokens, and hashing is slow by design
            is_secretariat=True,
        )
        meeting = do_create_meeting(
            tenant=tenant,
            title=f"Phiên họp đo hiệu năng: {title}",
            scheduled_start=datetime.now(UTC),
            acting_user=secretary,
        )
        do_add_item(
            meeting,
            title="Tờ trình về kế hoạch đầu tư công năm 2027",
            presenting_unit="Sở Tài chính",
            acting_user=secretary,
        )
        existing = {u.username: u for u in User.objects.filter(username__startswith="bench-member-")}
        tokens = []
        for i in range(members):
            username = f"bench-member-{i:04d}"
            user = existing.get(username) or do_create_user(
                tenant=tenant,
                username=username,
                full_name=f"Thành viên số {i + 1}",
                title="Giám đốc Sở",
                password=None,
            )
            do_add_participant(meeting, user=user, role=Role.MEMBER, acting_user=None)
            tokens.append(Token.objects.get_or_create(user=user)[0].key)
        meeting = do_publish_meeting(meeting, acting_user=secretary)
    return BenchWorld(tenant=tenant, meeting=meeting, tokens=tokens)
