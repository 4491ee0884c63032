"""The home page's ways in, filled by the apps.

Each app registers its own entry (``register_home_link`` in its ``ready()``)
with the tenant-wide capability it needs, so the home page (``meetings``)
links to the slips, the tasks and the dashboards without naming the apps
above it, and shows a person only what they may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from ecabinet.roles import TenantCapability, tenant_allows


@dataclass(frozen=True)
class HomeLink:
    key: str  # the link's id on the page
    label: Promise | str  # translated when the page is drawn (gettext_lazy)
    url_name: str  # a namespaced URL name
    capability: TenantCapability | None = None  # None: everyone who may log in here
    order: int = 100
    primary: bool = False  # the one action the page stands for


_links: dict[str, HomeLink] = {}


def register_home_link(link: HomeLink) -> None:
    _links[link.key] = link


def home_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The entries this request's user may open, in their order, ready for the template."""
    user = request.user
    return [
        {"id": link.key, "label": str(link.label), "url": reverse(link.url_name), "primary": link.primary}
        for link in sorted(_links.values(), key=lambda link: (link.order, link.key))
        if link.capability is None or tenant_allows(user, link.capability)
    ]
