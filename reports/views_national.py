"""The national dashboard and the quarterly report PDFs.

The national pages are for national administrators only (accounts with no
tenant, recognised at every host, see docs/tenancy.md); anyone else gets the
same 404 as for a page that does not exist. A tenant's own quarterly report
is for those who see its dashboard (``reports.views_dashboard.sees_dashboard``):
its secretariat and the chairs of its meetings.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ecabinet.models import Tenant
from ecabinet.tenancy import current_tenant
from reports.national import Quarter, national_figures, share_table, tenant_table
from reports.quarterly import national_charts, national_report_pdf, report_filename, tenant_report_pdf
from reports.views_dashboard import sees_dashboard


def _quarter(request: HttpRequest) -> Quarter:
    try:
        return Quarter.parse(request.GET.get("quarter"))
    except ValueError as exc:
        raise BadRequest(_("The quarter must be written like 2026-Q4.")) from exc


def _national_admin(request: HttpRequest) -> None:
    if not getattr(request.user, "is_national_admin", False):
        raise Http404


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that spreadsheets read the diacritics right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_required
@require_GET
def national_dashboard(request: HttpRequest) -> HttpResponse:
    _national_admin(request)
    quarter = _quarter(request)
    figures = national_figures(quarter)
    return render(
        request,
        "reports/national.html",
        {
            "quarter": quarter,
            "figures": figures,
            "rows": figures.rows,
            "shares": figures.shares,
            "totals": figures.totals,
            "charts": national_charts(figures),
        },
    )


@login_required
@require_GET
def national_tenants_csv(request: HttpRequest) -> HttpResponse:
    _national_admin(request)
    quarter = _quarter(request)
    header, rows = tenant_table(national_figures(quarter))
    return csv_response(f"tenants-{quarter.code.lower()}.csv", header, rows)


@login_required
@require_GET
def national_shares_csv(request: HttpRequest) -> HttpResponse:
    _national_admin(request)
    quarter = _quarter(request)
    header, rows = share_table(national_figures(quarter))
    return csv_response(f"shares-{quarter.code.lower()}.csv", header, rows)


@login_required
@require_GET
def national_report(request: HttpRequest) -> HttpResponse:
    _national_admin(request)
    quarter = _quarter(request)
    return _pdf(national_report_pdf(quarter), report_filename(quarter))


@login_required
@require_GET
def national_tenant_report(request: HttpRequest, slug: str) -> HttpResponse:
    """A national administrator's copy of one tenant's quarterly report."""
    _national_admin(request)
    quarter = _quarter(request)
    tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
    if tenant is None:
        raise Http404
    return _pdf(tenant_report_pdf(tenant, quarter), report_filename(quarter, tenant.slug))


@login_required
@require_GET
def quarterly_report(request: HttpRequest) -> HttpResponse:
    """The tenant's own quarterly report, for its secretariat and chairs."""
    if not sees_dashboard(request.user):
        raise Http404
    quarter = _quarter(request)
    tenant = current_tenant()
    return _pdf(tenant_report_pdf(tenant, quarter), report_filename(quarter, tenant.slug))
