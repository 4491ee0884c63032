"""Tenancy: which tenant a request or socket belongs to, and scoping by it.

The tenant comes from the host (``<slug>.<ECABINET_BASE_DOMAIN>``; the bare
host serves ``ECABINET_DEFAULT_TENANT``). Middleware sets it once per request,
``ecabinet.realtime.middleware`` once per socket, and code that runs outside
either (commands, background tasks) says it with ``tenant_context``. A
tenant-owned model's ``objects`` manager filters by that tenant and refuses to
run without one, so a query cannot silently read across tenants; the only
cross-tenant reads use ``all_tenants`` and live in the national statistics.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from ecabinet.models import Tenant

if TYPE_CHECKING:
    from ecabinet.models import User

_current_tenant: contextvars.ContextVar[Tenant | None] = contextvars.ContextVar(
    "ecabinet_tenant", default=None
)

# Set only by ``every_tenant()``: the backup reads and restores the rows of all tenants.
_every_tenant: contextvars.ContextVar[bool] = contextvars.ContextVar("ecabinet_every_tenant", default=False)

# Paths served whatever the host: the load balancer's probe and static files.
HOST_FREE_PATHS = ("/healthz", "/static/")


class TenantNotSet(RuntimeError):
    """A tenant-scoped query ran where no tenant was set: a programming error."""


class UnknownHost(LookupError):
    def __init__(self, host: str, merged_into: Tenant | None = None) -> None:
        super().__init__(host)
        self.host = host
        self.merged_into = merged_into


def current_tenant() -> Tenant:
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantNotSet(
            "No tenant is set here. Requests get one from their host; commands "
            "and tasks must wrap their work in tenant_context(tenant)."
        )
    return tenant


def current_tenant_or_none() -> Tenant | None:
    return _current_tenant.get()


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    token = _current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _current_tenant.reset(token)


@contextmanager
def every_tenant() -> Iterator[None]:
    """Tenant-scoped managers read every tenant's rows inside this block.

    For ``ecabinet.backup`` only: Django's serializers reach many-to-many
    rows through the related model's default manager, which is scoped.
    """
    token = _every_tenant.set(True)
    try:
        yield
    finally:
        _every_tenant.reset(token)


def _strip_port(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def slug_for_host(host: str) -> str | None:
    """The tenant slug a host names, or None when it names none."""
    name = _strip_port(host).rstrip(".")
    if name in {h.lower() for h in settings.ECABINET_BARE_HOSTS}:
        return str(settings.ECABINET_DEFAULT_TENANT)
    suffix = "." + settings.ECABINET_BASE_DOMAIN
    if name.endswith(suffix):
        label = name[: -len(suffix)]
        if label and "." not in label:
            return label
    return None


def tenant_for_host(host: str) -> Tenant:
    """The active tenant served at ``host``; raises UnknownHost otherwise."""
    slug = slug_for_host(host)
    if slug is None:
        raise UnknownHost(host)
    tenant = Tenant.objects.filter(slug=slug).select_related("merged_into").first()
    if tenant is None:
        raise UnknownHost(host)
    if not tenant.is_active:
        raise UnknownHost(host, merged_into=tenant.merged_into)
    return tenant


def tenant_url(tenant: Tenant, request: HttpRequest | None = None) -> str:
    """The root URL of a tenant, on the scheme and port of ``request``.

    Without a request (an e-mail sent by the worker): https behind the
    production proxy; in debug, the local server's port.
    """
    if settings.DEBUG:
        scheme, port = "http", f":{os.environ.get('PORT', '8000')}"
    else:
        scheme, port = "https", ""
    if request is not None:
        port = ""
        scheme = request.scheme or "http"
        host = request.get_host()
        if ":" in host and not host.endswith("]"):
            port = ":" + host.rsplit(":", 1)[1]
    return f"{scheme}://{tenant.slug}.{settings.ECABINET_BASE_DOMAIN}{port}/"


def belongs_here(user: Any, tenant: Tenant | None) -> bool:
    """Whether an authenticated ``user`` counts as logged in at ``tenant``.

    A user of another tenant is a stranger here: the same as not logged in.
    National administrators (no tenant) are recognised everywhere.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.tenant_id is None:
        return bool(user.is_superuser)
    return tenant is not None and user.tenant_id == tenant.id


class TenantMiddleware:
    """Resolves ``request.tenant`` from the host and sets it for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant: Tenant | None = None
        if request.path.startswith(HOST_FREE_PATHS):
            # The probe answers for the process, whatever the host, and
            # without a query of its own: it checks the database itself.
            request.tenant = None  # type: ignore[attr-defined]
            with tenant_context(None):
                return self.get_response(request)
        try:
            tenant = tenant_for_host(request.get_host())
        except UnknownHost as unknown:
            return unknown_host_response(request, unknown)
        request.tenant = tenant  # type: ignore[attr-defined]
        with tenant_context(tenant):
            return self.get_response(request)


class TenantUserMiddleware:
    """Treats an account of another tenant as not logged in at this host."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        original = request.user
        tenant = getattr(request, "tenant", None)

        def resolve() -> User | AnonymousUser:
            user = original
            if getattr(user, "is_authenticated", False) and not belongs_here(user, tenant):
                return AnonymousUser()
            return user

        request.user = SimpleLazyObject(resolve)  # type: ignore[assignment]
        return self.get_response(request)


def unknown_host_response(request: HttpRequest, unknown: UnknownHost) -> HttpResponse:
    if request.path.startswith("/api/"):
        from ecabinet.api import error_response

        return error_response(
            "unknown_tenant",
            _("There is no eCabinet tenant at this address."),
            status=404,
        )
    context = {
        "host": unknown.host,
        "base_domain": settings.ECABINET_BASE_DOMAIN,
        "merged_into": unknown.merged_into,
        "merged_url": tenant_url(unknown.merged_into, request) if unknown.merged_into else None,
    }
    return render(request, "ecabinet/unknown_host.html", context, status=404)


def tenant_context_processor(request: HttpRequest) -> dict[str, Any]:
    return {"tenant": getattr(request, "tenant", None)}


M = TypeVar("M", bound=models.Model)


class TenantManager(models.Manager[M], Generic[M]):
    """Rows of the current tenant only; refuses to run without a tenant."""

    def get_queryset(self) -> models.QuerySet[M]:
        if _every_tenant.get():
            return super().get_queryset()
        return super().get_queryset().filter(tenant=current_tenant())


class TenantOwned(models.Model):
    """A row that belongs to one tenant.

    ``objects`` is scoped to the current tenant. ``all_tenants`` reads across
    tenants and is for the national statistics module and the admin only.
    """

    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="+")

    objects = TenantManager()
    all_tenants = models.Manager()  # noqa: DJ012

    class Meta:
        abstract = True
