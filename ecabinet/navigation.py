"""The ways from one app's pages to another's, filled by the apps.

A page of a lower app (the home page and the rules page of ``meetings``, the
meeting's page and console) shows the links that apps above it registered
for its place (``register_link`` in their ``ready()``), each with who may see
it, so no template links up the layers and a person sees only what they may
open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from ecabinet.roles import TenantCapability, tenant_allows

HOME = "home"  # the home page's entries
RULES = "rules"  # the tenant's rules page: every app's settings
MEETING = "meeting"  # a meeting's page, for those who prepare or chair it (args: the meeting's id)
CONSOLE = "console"  # the secretariat's console of a meeting (args: the meeting's id)


@dataclass(frozen=True)
class Link:
    key: str  # the link's id on the page
    label: Promise | str  # translated when the page is drawn (gettext_lazy)
    url_name: str  # a namespaced URL name
    capability: TenantCapability | None = None  # None: everyone who reaches the page
    order: int = 100
    primary: bool = False  # the one action the page stands for
    # For a meeting's places: whether this user's access to the meeting shows the link.
    shown: Callable[[Any], bool] | None = None


_links: dict[str, dict[str, Link]] = {}


def register_link(place: str, link: Link) -> None:
    _links.setdefault(place, {})[link.key] = link


def links(
    place: str, request: HttpRequest, *, access: Any = None, args: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    """The links of ``place`` this request's user may open, in their order, ready for the template."""
    user = request.user
    return [
        {
            "id": link.key,
            "label": str(link.label),
            "url": reverse(link.url_name, args=args),
            "primary": link.primary,
        }
        for link in sorted(_links.get(place, {}).values(), key=lambda link: (link.order, link.key))
        if (link.capability is None or tenant_allows(user, link.capability))
        and (link.shown is None or link.shown(access))
    ]


def home_links(request: HttpRequest) -> list[dict[str, Any]]:
    return links(HOME, request)
