from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecabinet.roles import TenantRole, holds_role


class NationalAdminSite(admin.AdminSite):
    site_header = _("eCabinet administration")
    site_title = _("eCabinet")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active) and holds_role(user, TenantRole.NATIONAL_ADMIN)
