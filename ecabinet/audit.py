"""The append-only audit log: who did what, from where, when — in a chain.

``record`` is the only writer. It runs inside the caller's transaction so that
an action and its audit row are kept or lost together. Each row is the next
link of its tenant's chain: numbered after the one before and carrying its
hash (``row_hash``), so ``verify`` finds the first row removed, changed or
slipped in, and the database's triggers refuse UPDATE and DELETE outright.
See ``docs/audit.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.chains import GENESIS, digest, utc
from ecabinet.models import AuditChain, AuditEvent, Tenant
from ecabinet.tenancy import current_tenant_or_none

Kind = AuditEvent.Kind

NATIONAL_CHAIN = "national"


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What a change changed, for an audit row's detail: ``before`` and
    ``after`` of only the fields whose value is not the same."""
    changed = [k for k in after if before.get(k) != after[k]]
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after[k] for k in changed}}


def record_change(
    kind: str, *, before: dict[str, Any], after: dict[str, Any], **kwargs: Any
) -> AuditEvent | None:
    """The audit row of a change (``record`` with ``diff``), if anything changed."""
    change = diff(before, after)
    if not change["after"]:
        return None
    return record(kind, **kwargs, **change)


def chain_key(tenant_id: int | None) -> str:
    """The chain a row belongs to: its tenant's, or the national one."""
    return NATIONAL_CHAIN if tenant_id is None else f"t{tenant_id}"


def row_hash(
    *,
    chain: str,
    seq: int,
    prev_hash: str,
    kind: str,
    tenant_id: int | None,
    user_id: int | None,
    at: datetime,
    ip: str | None,
    user_agent: str,
    detail: Any,
) -> str:
    """SHA-256 of one row's content and the hash of the row before it
    (``ecabinet.chains``; migration 0008 links the rows written before by it)."""
    return digest([chain, seq, prev_hash, kind, tenant_id, user_id, utc(at), ip, user_agent, detail])


def hash_of(row: AuditEvent) -> str:
    """What ``row``'s hash must be, from what the row holds now."""
    return row_hash(
        chain=row.chain,
        seq=row.seq,
        prev_hash=row.prev_hash,
        kind=row.kind,
        tenant_id=row.tenant_id,
        user_id=row.user_id,
        at=row.at,
        ip=row.ip,
        user_agent=row.user_agent,
        detail=row.detail,
    )


def _next_link(key: str) -> tuple[int, str]:
    """Take the next number of chain ``key`` and the hash of its last row.

    The increment comes first: it locks the chain's head row until commit, so
    two writers of one chain are served one after the other, in any process.
    """
    if not AuditChain.objects.filter(key=key).update(last_seq=F("last_seq") + 1):
        try:
            with transaction.atomic():
                AuditChain.objects.create(key=key, last_seq=0, last_hash=GENESIS)
        except IntegrityError:  # made meanwhile by another writer
            pass
        AuditChain.objects.filter(key=key).update(last_seq=F("last_seq") + 1)
    seq, last_hash = AuditChain.objects.filter(key=key).values_list("last_seq", "last_hash").get()
    return int(seq), str(last_hash)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind the proxy, Django's own handling of
    ``X-Forwarded-For`` is not used: the proxy is expected to set REMOTE_ADDR
    (Daphne's ``--proxy-headers``)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    tenant: Tenant | None = None,
    tenant_id: int | None = None,
    ip: str | None = None,
    user_agent: str = "",
    **detail: Any,
) -> AuditEvent:
    if tenant is None and tenant_id is None and request is not None:
        tenant = getattr(request, "tenant", None)
    if tenant is None and tenant_id is None:
        tenant = current_tenant_or_none()
    if tenant is not None:
        tenant_id = tenant.pk
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if request is not None:
        ip = ip or client_ip(request)
        user_agent = user_agent or request.META.get("HTTP_USER_AGENT", "")
    row = AuditEvent(
        kind=kind,
        tenant_id=tenant_id,
        user=user,
        at=timezone.now(),
        ip=AuditEvent._meta.get_field("ip").get_prep_value(ip),
        user_agent=user_agent[:300],
        # as the database gives it back, so that the hash checks out when read
        detail=json.loads(json.dumps(detail, cls=DjangoJSONEncoder)),
    )
    with transaction.atomic(savepoint=False):
        row.chain = chain_key(row.tenant_id)
        row.seq, row.prev_hash = _next_link(row.chain)
        row.hash = hash_of(row)
        row.save(force_insert=True)
        AuditChain.objects.filter(key=row.chain).update(last_hash=row.hash)
    return row


# --- verifying the chains -----------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """Where a chain stops fitting: the first row that does not, and why."""

    chain: str
    seq: int
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        where = _("row #%(seq)s") % {"seq": self.seq}
        if self.row_id is not None:
            where += f" (id {self.row_id})"
        return f"{where}: {self.reason}"


def chains() -> list[str]:
    """Every chain, by its head and by its rows (a head may have been removed)."""
    keys = set(AuditChain.objects.values_list("key", flat=True))
    keys |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    return sorted(keys)


def _rows(key: str) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(chain=key).order_by("seq").iterator(chunk_size=2000)


def verify(key: str) -> tuple[int, Break | None]:
    """Walk chain ``key`` from its first row: how many rows fit, and the first break."""
    expected, prev, count = 1, GENESIS, 0
    for row in _rows(key):
        if row.seq != expected:
            reason = _("missing (the next row is #%(seq)s, id %(id)s)") % {"seq": row.seq, "id": row.pk}
            return count, Break(key, expected, None, reason)
        if row.prev_hash != prev:
            return count, Break(key, row.seq, row.pk, _("does not carry the hash of the row before it"))
        if hash_of(row) != row.hash:
            return count, Break(key, row.seq, row.pk, _("its content is not what was written"))
        if row.chain != chain_key(row.tenant_id):
            return count, Break(key, row.seq, row.pk, _("belongs to another chain"))
        prev, expected, count = row.hash, expected + 1, count + 1
    head = AuditChain.objects.filter(key=key).first()
    if head is None:
        return count, Break(key, expected, None, _("the chain's head is missing"))
    if head.last_seq != count or head.last_hash != prev:
        reason = _("missing: the chain's head says it has %(head)s rows, %(n)s are there")
        return count, Break(key, count + 1, None, reason % {"head": head.last_seq, "n": count})
    return count, None


@receiver(user_logged_in, dispatch_uid="ecabinet.audit.login")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="ecabinet.audit.logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="ecabinet.audit.login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The password is never kept; the username is, so that a secretariat can
    # see an account being guessed at.
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    record(Kind.LOGIN_FAILED, request=request, username=username)
