from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class NationalAdminSite(admin.AdminSite):
    site_header = _("eCabinet administration")
    site_title = _("eCabinet")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_national_admin", False))
