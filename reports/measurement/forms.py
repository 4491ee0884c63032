"""The form of the tenant's report settings: it parses the input's shape; the
rules stay in ``reports.measurement.actions``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.measurement.actions import MAX_PRICE, MAX_SOURCE


class ReportSettingsForm(forms.Form):
    price_per_page = forms.IntegerField(
        label=_("Cost of a printed page (VND)"), min_value=0, max_value=MAX_PRICE
    )
    price_source = forms.CharField(label=_("Source of the price"), max_length=MAX_SOURCE, required=False)
    price_is_assumption = forms.BooleanField(label=_("The price is an assumption"), required=False)
    target_low_percent = forms.IntegerField(
        label=_("Target: meetings shorter by at least (%)"), min_value=0, max_value=100
    )
    target_high_percent = forms.IntegerField(
        label=_("Target: meetings shorter by up to (%)"), min_value=0, max_value=100
    )
    task_reminder_days = forms.CharField(
        label=_("Task reminders (days before the due date, separated by commas)"), max_length=100
    )
