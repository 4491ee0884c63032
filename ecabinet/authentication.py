"""API authentication on the tenant's host: session cookie or token."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from ecabinet.tenancy import belongs_here


def _authenticated_here(request: Request, user: Any) -> bool:
    return belongs_here(user, getattr(request._request, "tenant", None))


class TenantSessionAuthentication(SessionAuthentication):
    """The session cookie, for accounts of this host's tenant only."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None or not _authenticated_here(request, result[0]):
            return None
        return result


class TenantTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; a token of another tenant's account is refused."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and not _authenticated_here(request, result[0]):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return result
