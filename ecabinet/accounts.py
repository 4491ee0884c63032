"""Login: only accounts of the host's tenant (and national administrators)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from ecabinet.models import User
from ecabinet.tenancy import belongs_here, current_tenant_or_none


class TenantModelBackend(ModelBackend):
    """Username and password, for accounts of the tenant of the request's host.

    An account of tenant A tried at tenant B's host fails exactly like a wrong
    password (same message, same timing through the password hasher), so a
    host does not reveal the accounts of another.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        tenant = getattr(request, "tenant", None) if request is not None else None
        if tenant is None:
            tenant = current_tenant_or_none()
        if not belongs_here(user, tenant):
            return None
        return user

    def get_user(self, user_id: int) -> User | None:
        try:
            user = User.objects.select_related("tenant").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # an untyped library's class
    """Accounts are created by the secretariat and administrators, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
