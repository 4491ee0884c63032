"""The secretariat's page for its tenant's report settings: the price of a
printed page (and whether it is an assumption), the 30–50 % target, the days
of task reminders. Linked from the meeting rules page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ecabinet.roles import Capability, require
from ecabinet.tenancy import current_tenant
from reports.forms_tasks import ReportSettingsForm
from reports.models import ReportSettings
from reports.report_settings import do_set_report_settings, parse_reminder_days, report_settings
from reports.views_tasks import _http, _submit, _user


def _save(data: dict[str, Any], request: HttpRequest) -> ReportSettings:
    return do_set_report_settings(
        tenant=current_tenant(),
        price_per_page=data["price_per_page"],
        price_source=data["price_source"],
        price_is_assumption=data["price_is_assumption"],
        target_low_percent=data["target_low_percent"],
        target_high_percent=data["target_high_percent"],
        task_reminder_days=parse_reminder_days(data["task_reminder_days"]),
        acting_user=_user(request),
    )


@login_required
def report_settings_page(request: HttpRequest) -> HttpResponse:
    """Only the secretariat: everyone else of the tenant gets 403 (and the refusal is audited)."""
    user = _user(request)
    _http(lambda: require(user, None, Capability.EDIT_MEETING, request=request, area="report_settings"))
    tenant = current_tenant()
    if request.method == "POST":
        _submit(
            request,
            ReportSettingsForm(request.POST),
            lambda data: _save(data, request),
            _("The report settings are saved."),
        )
        return redirect("report-settings")
    found = report_settings(tenant)
    form = ReportSettingsForm(
        initial={
            "price_per_page": found.price_per_page,
            "price_source": found.price_source,
            "price_is_assumption": found.price_is_assumption,
            "target_low_percent": found.target_low_percent,
            "target_high_percent": found.target_high_percent,
            "task_reminder_days": ", ".join(str(d) for d in found.task_reminder_days),
        }
    )
    return render(request, "reports/report_settings.html", {"form": form, "settings": found})
