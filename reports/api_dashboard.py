"""The tenant's dashboard figures over the API: the same series and meetings as the page.

``GET /api/v1/reports/dashboard/?by=month|quarter&year=2026`` — for the
secretariat and whoever chairs the tenant's meetings (others 403, refused and
audited like the page); a fixed number of queries however many meetings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet import audit
from ecabinet.errors import NotAllowed
from ecabinet.tenancy import current_tenant
from meetings.api import errors
from reports import measurement
from reports.views_dashboard import FIRST_YEAR, LAST_YEAR, sees_dashboard


class PeriodSerializer(serializers.Serializer):  # type: ignore[type-arg]
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


class MeetingRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
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


class DashboardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    by = serializers.ChoiceField(choices=["month", "quarter"])
    periods = PeriodSerializer(many=True)
    meetings = MeetingRowSerializer(many=True)


class DashboardApi(APIView):
    """A tenant's year: per month or quarter, and every meeting held."""

    class QuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
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
        if not sees_dashboard(request.user):
            audit.record(
                audit.Kind.PERMISSION_REFUSED,
                request=request,
                user=request.user,
                capability="view_dashboard",
                path=request.path,
            )
            raise NotAllowed(_("Only the secretariat and the chair see the dashboard."))
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
