"""Quarterly report PDFs: one per tenant, and the national one.

The resolution asks for quarterly reporting. Each report is rendered from the
same figures and the same SVG charts as the dashboards
(``reports.measurement.tenant_series``, ``reports.charts``,
``reports.national``) through ``ecabinet.pdf.render_pdf``: an unsigned
report in the administrative layout, which says on every page that it was
drawn from the system's records, and marks the demo's baselines and prices
as assumptions wherever they are used.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecabinet.models import Tenant
from ecabinet.pdf import render_pdf
from reports.measurement import charts
from reports.measurement.national import NationalFigures, Quarter, national_figures, share_table, tenant_table
from reports.measurement.selectors import meeting_table, tenant_series, yardsticks

TENANT_TEMPLATE = "pdf/quarterly.html"
NATIONAL_TEMPLATE = "pdf/quarterly_national.html"


def tenant_report_context(tenant: Tenant, quarter: Quarter) -> dict[str, Any]:
    """What the tenant's quarterly report shows: the quarter, its months, charts and meetings."""
    months = tenant_series(tenant, start=quarter.start, end=quarter.end, by="month")
    (total,) = tenant_series(tenant, start=quarter.start, end=quarter.end, by="quarter")
    meetings = meeting_table(tenant, start=quarter.start, end=quarter.end)
    settings_row = yardsticks(tenant)
    return {
        "tenant": tenant,
        "quarter": quarter,
        "title": _("REPORT"),
        "subtitle": _("Paperless meetings in %(quarter)s: time and paper saved") % {"quarter": quarter.label},
        "months": months,
        "total": total,
        "charts": charts.dashboard_charts(months, prefix=f"q-{tenant.slug}"),
        "meetings": meetings,
        "settings": settings_row,
        "any_assumption": total.baseline_is_assumption or total.price_is_assumption,
        "generated_at": timezone.now(),
        "recipients": [_("The national administration of eCabinet")],
    }


def tenant_report_pdf(tenant: Tenant, quarter: Quarter) -> bytes:
    """The tenant's quarterly report as PDF bytes (in Vietnamese, like every administrative paper)."""
    with translation.override("vi"):
        context = tenant_report_context(tenant, quarter)
        return render_pdf(TENANT_TEMPLATE, context)


def national_charts(figures: NationalFigures, *, prefix: str = "national") -> dict[str, Any]:
    """The national page's and report's charts: shares against targets, time and pages per tenant."""
    rows = figures.rows
    labels = [row.name for row in rows]
    return {
        "shares": charts.bar_chart(
            title=_("Tenants meeting through the system"),
            labels=[share.label for share in figures.shares],
            series=[
                charts.Series(_("Share"), [share.percent for share in figures.shares]),
                charts.Series(
                    _("Target"),
                    [share.target_percent for share in figures.shares],
                    colour=charts.COLOURS[3],
                ),
            ],
            unit="%",
            y_max=100,
            decimals=1,
            chart_id=f"{prefix}-shares",
        ),
        "saving": charts.bar_chart(
            title=_("Meeting time saved per tenant"),
            labels=labels,
            series=[
                charts.Series(
                    _("Time saved"),
                    [row.saved_percent for row in rows],
                    assumed=[row.baseline_is_assumption for row in rows],
                )
            ],
            unit="%",
            y_max=100,
            band=(30, 50),
            decimals=1,
            chart_id=f"{prefix}-saving",
        ),
        "pages": charts.bar_chart(
            title=_("Pages saved per tenant"),
            labels=labels,
            series=[charts.Series(_("Pages (pages × recipients)"), [row.pages for row in rows])],
            unit=_("pages"),
            chart_id=f"{prefix}-pages",
        ),
    }


def national_report_context(quarter: Quarter) -> dict[str, Any]:
    figures = national_figures(quarter)
    header, body = tenant_table(figures)
    share_header, share_body = share_table(figures)
    return {
        "tenant": None,
        "issuer": _("eCabinet national administration"),
        "quarter": quarter,
        "title": _("REPORT"),
        "subtitle": _("Paperless meetings nationwide in %(quarter)s") % {"quarter": quarter.label},
        "figures": figures,
        "totals": figures.totals,
        "shares": figures.shares,
        "rows": figures.rows,
        "table_header": header,
        "table_body": body,
        "share_header": share_header,
        "share_body": share_body,
        "charts": national_charts(figures, prefix=f"national-{quarter.code.lower()}"),
        "generated_at": timezone.now(),
        "recipients": [_("The Government Office")],
    }


def national_report_pdf(quarter: Quarter) -> bytes:
    with translation.override("vi"):
        return render_pdf(NATIONAL_TEMPLATE, national_report_context(quarter))


def report_filename(quarter: Quarter, slug: str = "national") -> str:
    return f"bao-cao-{slug}-{quarter.code.lower()}.pdf"
