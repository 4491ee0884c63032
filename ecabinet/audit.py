"""The append-only audit log: who did what, from where, when.

``record`` is the only writer. It runs inside the caller's transaction so that
an action and its audit row are kept or lost together.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ecabinet.models import AuditEvent, Tenant
from ecabinet.tenancy import current_tenant_or_none

Kind = AuditEvent.Kind


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
    ip: str | None = None,
    user_agent: str = "",
    **detail: Any,
) -> AuditEvent:
    if tenant is None and request is not None:
        tenant = getattr(request, "tenant", None)
    if tenant is None:
        tenant = current_tenant_or_none()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if request is not None:
        ip = ip or client_ip(request)
        user_agent = user_agent or request.META.get("HTTP_USER_AGENT", "")
    return AuditEvent.objects.create(
        kind=kind,
        tenant=tenant,
        user=user,
        ip=ip,
        user_agent=user_agent[:300],
        detail=detail,
    )


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
