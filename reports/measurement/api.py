"""Measurement over the API: the same figures as the pages.

- ``GET /api/v1/reports/dashboard/?by=month|quarter&year=2026`` — the tenant's
  series and meetings, for the secretariat and whoever chairs the tenant's
  meetings (others 403, refused and audited like the page); a fixed number of
  queries however many meetings.
- ``GET /api/v1/reports/national/?quarter=2026-Q4`` — the national figures
  (``reports.measurement.national``), for national administrators only:
  anyone else gets 404, as on the page; eight queries however many tenants.
- ``GET``/``PUT /api/v1/reports/settings/`` — the tenant's yardsticks, for the
  secretariat.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet.api import Input, Serializer, errors, parse_request
from ecabinet.errors import Invalid
from ecabinet.models import User
from ecabinet.roles import TenantCapability, access_tenant
from ecabinet.tenancy import current_tenant
from reports.measurement import selectors as measurement
from reports.measurement.actions import MAX_PRICE, MAX_REMINDER_DAYS, MAX_REMINDERS, do_set_report_settings
from reports.measurement.national import Quarter, national_figures
from reports.measurement.selectors import report_settings
from reports.measurement.views import FIRST_YEAR, LAST_YEAR
from reports.models import ReportSettings


def _user(request: Request) -> User:
    return cast(User, request.user)


class PeriodSerializer(Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field here, not Field.label
    start = serializers.DateField()
    end = serializers.DateField()
    meetings_held = serializers.IntegerField()
    actual_minutes = serializers.FloatField()
    planned_minutes = serializers.FloatField()
    baseline_minutes = serializers.IntegerField(
        help_text="Paper-era minutes of the held meetings that have one."
    )
    compared_minutes = serializers.FloatField(help_text="Actual minutes of those same meetings.")
    saved_minutes = serializers.FloatField(allow_null=True)
    saved_percent = serializers.FloatField(allow_null=True)
    on_target = serializers.BooleanField(allow_null=True)
    baseline_is_assumption = serializers.BooleanField(help_text="A demo assumption, not measured.")
    target_low_percent = serializers.IntegerField()
    target_high_percent = serializers.IntegerField()
    consent_saved_minutes = serializers.IntegerField()
    voting_minutes = serializers.FloatField()
    papers = serializers.IntegerField()
    pages = serializers.IntegerField(help_text="Pages × recipients of every distributed version.")
    sheets = serializers.IntegerField(help_text="A4 sheets printed on both sides.")
    money = serializers.IntegerField(help_text="Pages × the price per page, in VND.")
    price_per_page = serializers.IntegerField()
    price_is_assumption = serializers.BooleanField(help_text="A demo assumption, not measured.")
    papers_received = serializers.IntegerField()
    papers_read_before = serializers.IntegerField()
    read_before_percent = serializers.FloatField(allow_null=True)
    slips_issued = serializers.IntegerField()
    slip_answers_asked = serializers.IntegerField()
    slip_answers_on_time = serializers.IntegerField()
    slips_on_time_percent = serializers.FloatField(allow_null=True)
    slips_replacing_meeting = serializers.IntegerField()


class MeetingRowSerializer(Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    planned_minutes = serializers.FloatField()
    planned_from = serializers.ChoiceField(choices=["schedule", "agenda"])
    actual_minutes = serializers.FloatField()
    baseline_minutes = serializers.IntegerField(allow_null=True)
    baseline_is_assumption = serializers.BooleanField()
    saved_minutes = serializers.FloatField(allow_null=True)
    saved_percent = serializers.FloatField(allow_null=True)
    items_over = serializers.IntegerField()
    consent_saved_minutes = serializers.IntegerField()
    voting_minutes = serializers.FloatField()
    pages = serializers.IntegerField()
    sheets = serializers.IntegerField()
    money = serializers.IntegerField()
    read_before_percent = serializers.FloatField(allow_null=True)


class DashboardSerializer(Serializer):
    year = serializers.IntegerField()
    by = serializers.ChoiceField(choices=["month", "quarter"])
    periods = PeriodSerializer(many=True)
    meetings = MeetingRowSerializer(many=True)


class DashboardApi(APIView):
    """A tenant's year: per month or quarter, and every meeting held."""

    class QuerySerializer(Serializer):
        by = serializers.ChoiceField(choices=["month", "quarter"], required=False, default="month")
        year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)

    @extend_schema(
        summary="The tenant's time and paper saved in a year, by month or quarter (secretariat and chair)",
        parameters=[
            OpenApiParameter("by", str, enum=["month", "quarter"], required=False),
            OpenApiParameter(
                "year", int, required=False, description=f"{FIRST_YEAR}–{LAST_YEAR}; this year by default."
            ),
        ],
        responses={200: DashboardSerializer, **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.SEE_DASHBOARD, request=request._request)
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year: int = query.validated_data.get("year") or timezone.localdate().year
        report = measurement.tenant_report(
            current_tenant(),
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            by=query.validated_data["by"],
        )
        body: dict[str, Any] = {
            "year": year,
            "by": report.by,
            "periods": [period.as_dict() for period in report.periods],
            "meetings": report.meetings,
        }
        return Response(DashboardSerializer(body).data)


# --- national figures ----------------------------------------------------------------------------


class TenantRowSerializer(Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    held = serializers.BooleanField(help_text="Held a meeting through the system in the quarter.")
    meetings_held = serializers.IntegerField()
    actual_minutes = serializers.FloatField()
    baseline_minutes = serializers.IntegerField(
        help_text="Paper-era minutes of the held meetings that have one."
    )
    compared_minutes = serializers.FloatField(help_text="Actual minutes of those same meetings.")
    saved_minutes = serializers.FloatField(allow_null=True)
    saved_percent = serializers.FloatField(allow_null=True)
    baseline_is_assumption = serializers.BooleanField(help_text="A demo assumption, not measured.")
    papers = serializers.IntegerField()
    pages = serializers.IntegerField(help_text="Pages × recipients of every distributed version.")
    sheets = serializers.IntegerField()
    money = serializers.IntegerField(help_text="Pages × the tenant's price per page, in VND.")
    price_per_page = serializers.IntegerField()
    price_is_assumption = serializers.BooleanField(help_text="A demo assumption, not measured.")


class ShareSerializer(Serializer):
    level = serializers.ChoiceField(choices=["province", "district"])
    tenants = serializers.IntegerField()
    held = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    target_percent = serializers.IntegerField()
    met = serializers.BooleanField(allow_null=True)


class TotalsSerializer(Serializer):
    tenants = serializers.IntegerField()
    tenants_held = serializers.IntegerField()
    meetings_held = serializers.IntegerField()
    actual_minutes = serializers.FloatField()
    baseline_minutes = serializers.IntegerField()
    compared_minutes = serializers.FloatField()
    saved_minutes = serializers.FloatField(allow_null=True)
    saved_percent = serializers.FloatField(allow_null=True)
    baseline_is_assumption = serializers.BooleanField()
    papers = serializers.IntegerField()
    pages = serializers.IntegerField()
    sheets = serializers.IntegerField()
    money = serializers.IntegerField()
    price_is_assumption = serializers.BooleanField()


class NationalSerializer(Serializer):
    quarter = serializers.CharField(help_text="Like 2026-Q4.")
    start = serializers.DateField()
    end = serializers.DateField()
    tenants = TenantRowSerializer(many=True)
    shares = ShareSerializer(many=True)
    totals = TotalsSerializer()


class NationalApi(APIView):
    """Every tenant's quarter, the shares against the targets, and the totals."""

    @extend_schema(
        summary="Meetings through the system nationwide in a quarter (national administrators)",
        parameters=[
            OpenApiParameter(
                "quarter", str, required=False, description="Like 2026-Q4; the current one by default."
            )
        ],
        responses={200: NationalSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.SEE_NATIONAL_FIGURES, request=request._request)
        try:
            quarter = Quarter.parse(request.query_params.get("quarter"))
        except ValueError as exc:
            raise Invalid(_("The quarter must be written like 2026-Q4.")) from exc
        figures = national_figures(quarter)
        body: dict[str, Any] = {
            "quarter": quarter.code,
            "start": quarter.start,
            "end": quarter.end,
            "tenants": [row.as_dict() for row in figures.rows],
            "shares": [share.as_dict() for share in figures.shares],
            "totals": figures.totals,
        }
        return Response(NationalSerializer(body).data)


class ReportSettingsSerializer(Serializer):
    price_per_page = serializers.IntegerField(
        min_value=0, max_value=MAX_PRICE, help_text="VND a printed page."
    )
    price_source = serializers.CharField(max_length=300, allow_blank=True)
    price_is_assumption = serializers.BooleanField()
    target_low_percent = serializers.IntegerField(min_value=0, max_value=100)
    target_high_percent = serializers.IntegerField(min_value=0, max_value=100)
    task_reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_REMINDER_DAYS),
        max_length=MAX_REMINDERS,
        help_text="Days before a task's due date when its assignees are reminded.",
    )


class ReportSettingsInput(ReportSettingsSerializer, Input):
    class Meta:
        ref_name = "ReportSettingsInput"


def _settings_payload(found: ReportSettings) -> dict[str, Any]:
    return {
        "price_per_page": found.price_per_page,
        "price_source": found.price_source,
        "price_is_assumption": found.price_is_assumption,
        "target_low_percent": found.target_low_percent,
        "target_high_percent": found.target_high_percent,
        "task_reminder_days": list(found.task_reminder_days),
    }


class ReportSettingsApi(APIView):
    @extend_schema(
        summary="The tenant's report settings (secretariat)",
        responses={200: ReportSettingsSerializer, **errors(401, 403)},
    )
    def get(self, request: Request) -> Response:
        access_tenant(
            request.user, TenantCapability.SET_RULES, request=request._request, area="report_settings"
        )
        return Response(_settings_payload(report_settings(current_tenant())))

    @extend_schema(
        summary="Change the price of a page, the target and the task reminders (secretariat)",
        request=ReportSettingsInput,
        responses={200: ReportSettingsSerializer, **errors(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        access_tenant(
            request.user, TenantCapability.SET_RULES, request=request._request, area="report_settings"
        )
        data = parse_request(ReportSettingsInput, request)
        found = do_set_report_settings(tenant=current_tenant(), acting_user=_user(request), **data)
        return Response(_settings_payload(found))
