"""The national figures over the API, for national administrators only.

``GET /api/v1/reports/national/?quarter=2026-Q4`` — the same figures as the
national dashboard (``reports.national``): every active tenant's quarter, the
shares of provinces and districts against their targets, and the totals.
Anyone else gets 404, as on the page; eight queries however many tenants.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet.errors import Invalid, NotFound
from meetings.api import errors
from reports.national import Quarter, national_figures


class TenantRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
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


class ShareSerializer(serializers.Serializer):  # type: ignore[type-arg]
    level = serializers.ChoiceField(choices=["province", "district"])
    tenants = serializers.IntegerField()
    held = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    target_percent = serializers.IntegerField()
    met = serializers.BooleanField(allow_null=True)


class TotalsSerializer(serializers.Serializer):  # type: ignore[type-arg]
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


class NationalSerializer(serializers.Serializer):  # type: ignore[type-arg]
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
        if not getattr(request.user, "is_national_admin", False):
            raise NotFound
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
