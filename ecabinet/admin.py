"""Django admin, for national administrators only."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecabinet.collation import by_name
from ecabinet.generics import BaseUserAdmin, ModelAdmin
from ecabinet.models import AuditEvent, Tenant, User


class AllTenantsAdmin(ModelAdmin):
    """The admin reads across tenants on purpose: only national administrators get in."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return cast(QuerySet[Any], self.model.all_tenants.all())


@admin.register(Tenant)
class TenantAdmin(ModelAdmin):
    list_display = ["name", "slug", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "slug"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "title", "tenant", "is_secretariat", "is_active"]
    list_filter = ["tenant", "is_secretariat", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "title", "unit"]
    ordering = ["tenant", by_name("full_name")]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "unit", "email")}),
        (_("Tenant and role"), {"fields": ("tenant", "is_secretariat", "is_active")}),
        (_("National administration"), {"fields": ("is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "tenant", "password1", "password2"),
            },
        ),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdmin):
    list_display = ["at", "kind", "tenant", "user", "ip", "seq"]
    list_filter = ["kind", "tenant"]
    search_fields = ["user__username", "ip"]
    readonly_fields = [
        "at",
        "kind",
        "tenant",
        "user",
        "ip",
        "user_agent",
        "detail",
        "chain",
        "seq",
        "prev_hash",
        "hash",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
