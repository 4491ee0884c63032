"""``{% load dashboard %}``: whether to offer the tenant's dashboard to a user."""

from __future__ import annotations

from typing import Any

from django import template

from reports.measurement.views import sees_dashboard as _sees_dashboard

register = template.Library()


@register.filter
def sees_dashboard(user: Any) -> bool:
    """The secretariat (no query) or a chair of the tenant's meetings (one EXISTS)."""
    return _sees_dashboard(user)
