"""The national administrators' admin speaks Vietnamese on every page: Django's
own Vietnamese catalogue lacks the strings added since it was made ("Skip to
main content"), mistranslates one ("Các mô models trong …"), and some apps
have no Vietnamese names; the project's catalogue gives them
(``ecabinet.third_party_strings``)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import World

# English that Django's admin or an app's name shows when nothing translates it.
ENGLISH = [
    "Skip to main content",
    "Toggle navigation",
    "Filter navigation items",
    "Sidebar",
    "Breadcrumbs",
    "Toggle theme",
    "Model name",
    "Add link",
    "Change or view list link",
    "Select all objects on this page",
    "Select this object for an action",
    "Hide counts",
    "Show counts",
    "Added:",
    "Changed:",
    "Deleted:",
    "View selected",
    "mô models",
    "Accounts",
    "Sessions",
    "Reports",
    "Minutes",
    "Followup",
    "Measurement",
    "Tasks Database Backend",
    "Auth Token",
    "Guardian",
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attributes)


def english_on(text: str) -> list[str]:
    return [words for words in ENGLISH if re.search(rf"(?<![\w/.]){re.escape(words)}", text)]


@pytest.mark.django_db
def test_every_admin_page_is_in_vietnamese(hanoi: World, national_admin) -> None:  # type: ignore[no-untyped-def]
    client = hanoi.client(national_admin)
    pages = [reverse("admin:index")]
    apps = {model._meta.app_label for model in admin.site._registry}
    pages += [reverse("admin:app_list", args=[app]) for app in sorted(apps)]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        english = english_on(visible_text(response.content.decode()))
        if english:
            found[url] = english
    assert found == {}
