"""Django's classes that django-stubs makes generic, with their parameters, for
mypy only: at run time they are the plain classes (no stubs package needed in
production). Subclass these instead of writing ``# type: ignore[type-arg]``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
    BaseUserAdmin = DjangoUserAdmin[Any]
    ModelChoiceField = forms.ModelChoiceField[Any]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline
    BaseUserAdmin = DjangoUserAdmin
    ModelChoiceField = forms.ModelChoiceField
