"""The pages of measurement.

- The tenant's dashboard: meeting time and paper saved, month by month or by
  quarter, for the secretariat and the tenant's chair (whoever chairs its
  meetings). Every figure comes from ``reports.measurement.selectors``; every
  chart from ``reports.measurement.charts``; every table behind a chart
  downloads as CSV with the same numbers. A fixed number of queries however
  many meetings the year holds.
- The national dashboard and the quarterly report PDFs. The national pages are
  for national administrators only (accounts with no tenant, recognised at
  every host, see docs/tenancy.md); anyone else gets the same 404 as for a
  page that does not exist. A tenant's own quarterly report is for those who
  see its dashboard: its secretariat and the chairs of its meetings.
- The secretariat's page for its tenant's report settings: the price of a
  printed page (and whether it is an assumption), the 30–50 % target, the
  days of task reminders. Linked from the meeting rules page.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecabinet.models import Tenant, User
from ecabinet.pages import attempt as _attempt
from ecabinet.pages import submit as _submit
from ecabinet.roles import TenantCapability, access_tenant, tenant_allows
from ecabinet.tenancy import current_tenant
from ecabinet.views import message_page
from meetings.models import Meeting
from reports.measurement import charts
from reports.measurement import selectors as measurement
from reports.measurement.actions import do_set_report_settings, do_set_session_count, parse_reminder_days
from reports.measurement.forms import ReportSettingsForm
from reports.measurement.national import Quarter, national_figures, share_table, tenant_table
from reports.measurement.quarterly import (
    national_charts,
    national_report_pdf,
    report_filename,
    tenant_report_pdf,
)
from reports.measurement.selectors import report_settings
from reports.models import ReportSettings, SessionCount

FIRST_YEAR = 2000
LAST_YEAR = 2100


def _require(request: HttpRequest) -> None:
    access_tenant(request.user, TenantCapability.SEE_DASHBOARD, request=request, path=request.path)


class BadQuery(ValueError):
    """A query string the dashboard cannot read; the person is told what to change."""


def _by(request: HttpRequest) -> measurement.By:
    value = request.GET.get("by", "month")
    if value not in ("month", "quarter"):
        raise BadQuery(_("Choose a view by month or by quarter."))
    return value  # type: ignore[return-value]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or ""
    if not raw:
        return timezone.localdate().year
    # ASCII digits only: "²" and "٢" are digits to str.isdigit, and int() refuses the first
    if not (raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise BadQuery(
            _("The year must be a number from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return int(raw)


def _bad_query(request: HttpRequest, problem: BadQuery) -> HttpResponse:
    return message_page(request, _("The dashboard cannot show this"), str(problem), status=400)


def _report(request: HttpRequest) -> measurement.TenantReport:
    year = _year(request)
    return measurement.tenant_report(
        current_tenant(), start=date(year, 1, 1), end=date(year, 12, 31), by=_by(request)
    )


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request)
        try:
            return view(request, *args, **kwargs)
        except BadQuery as problem:
            return _bad_query(request, problem)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(require_GET(wrapped))


# --- tables: the same rows for the page and for CSV ------------------------------------


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _cell(value: Any, decimals: int = 0) -> str:
    return charts.fmt(value, decimals) if value is not None else "—"


def period_columns() -> list[tuple[str, Callable[[measurement.Period], Any]]]:
    return [
        (_("Period"), lambda p: p.label),
        (_("From"), lambda p: p.start.strftime("%d/%m/%Y")),
        (_("To"), lambda p: p.end.strftime("%d/%m/%Y")),
        (_("Meetings held"), lambda p: p.meetings_held),
        (_("Actual minutes"), lambda p: p.actual_minutes),
        (_("Planned minutes"), lambda p: p.planned_minutes),
        (_("Baseline minutes (on paper)"), lambda p: p.baseline_minutes),
        (_("Actual minutes of the meetings with a baseline"), lambda p: p.compared_minutes),
        (_("Minutes saved"), lambda p: p.saved_minutes),
        (_("Time saved (%)"), lambda p: p.saved_percent),
        (_("Target low (%)"), lambda p: p.target_low_percent),
        (_("Target high (%)"), lambda p: p.target_high_percent),
        (_("Baseline is a demo assumption, not measured"), lambda p: _yes(p.baseline_is_assumption)),
        (_("Minutes saved by the consent list"), lambda p: p.consent_saved_minutes),
        (_("Minutes spent voting"), lambda p: p.voting_minutes),
        (_("Papers"), lambda p: p.papers),
        (_("Pages saved (pages × recipients)"), lambda p: p.pages),
        (_("A4 sheets (double-sided)"), lambda p: p.sheets),
        (_("Price per page (VND)"), lambda p: p.price_per_page),
        (_("Money saved (VND)"), lambda p: p.money),
        (_("Price is a demo assumption, not measured"), lambda p: _yes(p.price_is_assumption)),
        (_("Papers received by members"), lambda p: p.papers_received),
        (_("Opened before the session"), lambda p: p.papers_read_before),
        (_("Read before the session (%)"), lambda p: p.read_before_percent),
        (_("Opinion slips issued"), lambda p: p.slips_issued),
        (_("Answers asked"), lambda p: p.slip_answers_asked),
        (_("Answers by the deadline"), lambda p: p.slip_answers_on_time),
        (_("Answered on time (%)"), lambda p: p.slips_on_time_percent),
        (_("Slips that replaced a meeting"), lambda p: p.slips_replacing_meeting),
    ]


def counted_cell(row: dict[str, Any]) -> str:
    if row["trial"]:
        return _("No: a trial or rehearsal")
    if row["to_confirm"]:
        return _("Not yet: far shorter than planned, to be confirmed")
    return _("Yes") if row["counted"] else _("No")


def meeting_columns() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    return [
        (_("Date"), lambda m: m["date"].strftime("%d/%m/%Y")),
        (_("Meeting"), lambda m: m["title"]),
        (_("Counted in the figures"), counted_cell),
        (_("Planned minutes"), lambda m: m["planned_minutes"]),
        (_("Actual minutes"), lambda m: m["actual_minutes"]),
        (_("Baseline minutes (on paper)"), lambda m: m["baseline_minutes"]),
        (_("Baseline is a demo assumption, not measured"), lambda m: _yes(m["baseline_is_assumption"])),
        (_("Minutes saved"), lambda m: m["saved_minutes"]),
        (_("Time saved (%)"), lambda m: m["saved_percent"]),
        (_("Items over time"), lambda m: m["items_over"]),
        (_("Minutes saved by the consent list"), lambda m: m["consent_saved_minutes"]),
        (_("Minutes spent voting"), lambda m: m["voting_minutes"]),
        (_("Pages saved (pages × recipients)"), lambda m: m["pages"]),
        (_("A4 sheets (double-sided)"), lambda m: m["sheets"]),
        (_("Money saved (VND)"), lambda m: m["money"]),
        (_("Read before the session (%)"), lambda m: m["read_before_percent"]),
    ]


def item_columns() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    return [
        (_("No."), lambda i: i["number"]),
        (_("Agenda item"), lambda i: i["title"]),
        (_("Planned minutes"), lambda i: i["planned_minutes"]),
        (_("Actual minutes"), lambda i: i["actual_minutes"]),
        (_("Over time (minutes)"), lambda i: i["overrun_minutes"]),
        (_("Adopted on the consent list"), lambda i: _yes(i["by_consent"])),
    ]


def reading_columns() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    return [
        (_("Member"), lambda r: r["name"]),
        (_("Job title"), lambda r: r["title"]),
        (_("Papers received"), lambda r: r["papers"]),
        (_("Opened before the session"), lambda r: r["opened_before"]),
        (_("Read before the session (%)"), lambda r: r["percent"]),
    ]


# A cell a spreadsheet would read as a formula: text typed by a user (a
# meeting's title, a unit) must never run as one (``=HYPERLINK(…)``).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell: plain numbers (a dot for decimals) so that spreadsheets and
    programs read them alike; text that a spreadsheet would take for a
    formula, behind an apostrophe, which shows it as the text it is."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(
    filename: str, columns: Sequence[tuple[str, Callable[[Any], Any]]], rows: Iterable[Any]
) -> HttpResponse:
    return csv_response(
        filename, [name for name, _get in columns], [[get(row) for _name, get in columns] for row in rows]
    )


def _table(columns: Sequence[tuple[str, Callable[[Any], Any]]], rows: Iterable[Any]) -> dict[str, Any]:
    """Headers and formatted cells for a page table."""
    body = []
    for row in rows:
        cells = []
        for _name, get in columns:
            value = get(row)
            if isinstance(value, float):
                cells.append(_cell(value, 1))
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(_cell(value))
            else:
                cells.append("—" if value is None else value)
        body.append(cells)
    return {"headers": [name for name, _get in columns], "rows": body}


# --- pages -----------------------------------------------------------------------------


def _totals(report: measurement.TenantReport) -> dict[str, Any]:
    periods = report.periods
    baseline = sum(p.baseline_minutes for p in periods)
    compared = sum(p.compared_minutes for p in periods)
    received = sum(p.papers_received for p in periods)
    asked = sum(p.slip_answers_asked for p in periods)
    saved_percent = round((baseline - compared) * 100 / baseline, 1) if baseline else None
    return {
        "meetings_held": sum(p.meetings_held for p in periods),
        "saved_percent": saved_percent,
        "on_target": None if saved_percent is None else saved_percent >= report.yardsticks.target_low_percent,
        "pages": sum(p.pages for p in periods),
        "sheets": sum(p.sheets for p in periods),
        "money": sum(p.money for p in periods),
        "read_before_percent": round(sum(p.papers_read_before for p in periods) * 100 / received, 1)
        if received
        else None,
        "slips_on_time_percent": round(sum(p.slip_answers_on_time for p in periods) * 100 / asked, 1)
        if asked
        else None,
        "slips_replacing_meeting": sum(p.slips_replacing_meeting for p in periods),
    }


@_guarded
def dashboard(request: HttpRequest) -> HttpResponse:
    """Monthly or quarterly charts, the tables behind them, and every meeting held in the year."""
    report = _report(request)
    year = report.start.year
    totals = _totals(report)
    context = {
        "report": report,
        "year": year,
        "by": report.by,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "totals": {
            **totals,
            "saved_percent_text": _cell(totals["saved_percent"], 1),
            "pages_text": _cell(totals["pages"]),
            "sheets_text": _cell(totals["sheets"]),
            "money_text": _cell(totals["money"]),
            "read_before_text": _cell(totals["read_before_percent"], 1),
            "slips_on_time_text": _cell(totals["slips_on_time_percent"], 1),
        },
        "charts": charts.dashboard_charts(report.periods, prefix=f"dashboard-{report.by}"),
        "periods_table": _table(period_columns(), report.periods),
        "meetings": [
            {"id": row["id"], "cells": cells}
            for row, cells in zip(
                report.meetings, _table(meeting_columns(), report.meetings)["rows"], strict=True
            )
        ],
        "meeting_headers": [name for name, _get in meeting_columns()],
        "yardsticks": report.yardsticks,
        "price_text": _cell(report.yardsticks.price_per_page),
    }
    return render(request, "measurement/dashboard.html", context)


@_guarded
def dashboard_periods_csv(request: HttpRequest) -> HttpResponse:
    """The table behind every chart: one row per month or quarter."""
    report = _report(request)
    return _csv(f"dashboard-{report.start.year}-{report.by}.csv", period_columns(), report.periods)


@_guarded
def dashboard_meetings_csv(request: HttpRequest) -> HttpResponse:
    """Every meeting held in the year, with its figures."""
    report = _report(request)
    return _csv(f"meetings-{report.start.year}.csv", meeting_columns(), report.meetings)


def _meeting(meeting_id: int) -> Meeting:
    # The tenant-scoped manager: another tenant's meeting is not found, like a missing one.
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


def _items(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [row | {"number": index} for index, row in enumerate(figures["items"], start=1)]


@_guarded
def dashboard_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting's figures: each item planned against actual, and each member's reading."""
    meeting = _meeting(meeting_id)
    figures = measurement.meeting_figures(meeting)
    reading = measurement.reading_figures(meeting)
    items = _items(figures)
    context = {
        "meeting": meeting,
        "figures": figures,
        "may_count": tenant_allows(_user(request), TenantCapability.CREATE_MEETINGS),
        "figures_text": {
            "actual": _cell(figures["actual_minutes"], 1),
            "planned": _cell(figures["planned_minutes"], 1),
            "baseline": _cell(figures["baseline_minutes"]),
            "saved": _cell(figures["saved_minutes"], 1),
            "saved_percent": _cell(figures["saved_percent"], 1),
            "voting": _cell(figures["voting_minutes"], 1),
        },
        "item_headers": [name for name, _get in item_columns()],
        "item_rows": [
            {"over": row["over"], "cells": cells}
            for row, cells in zip(items, _table(item_columns(), items)["rows"], strict=True)
        ],
        "reading_table": _table(reading_columns(), reading),
        "item_chart": charts.bar_chart(
            title=_("Each item: planned against actual"),
            labels=[str(row["number"]) for row in items],
            series=[
                charts.Series(
                    _("Planned"), [row["planned_minutes"] for row in items], colour=charts.COLOURS[1]
                ),
                charts.Series(
                    _("Actual"), [row["actual_minutes"] for row in items], colour=charts.COLOURS[0]
                ),
            ],
            unit=_("minutes"),
            decimals=1,
            chart_id="meeting-items",
        ),
    }
    return render(request, "measurement/dashboard_meeting.html", context)


@login_required
@require_POST
def dashboard_meeting_count(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The secretariat says whether a session counts: a trial, a real session, or no word."""
    user = _user(request)
    access_tenant(user, TenantCapability.CREATE_MEETINGS, request=request, area="session_count")
    meeting = _meeting(meeting_id)
    verdict = request.POST.get("verdict") or None
    said: dict[str | None, str] = {
        SessionCount.Verdict.TRIAL.value: _(
            "The session is marked as a trial: it is left out of the figures."
        ),
        SessionCount.Verdict.COUNTED.value: _("The session is confirmed: it counts in the figures."),
        None: _("What was said of the session is taken back."),
    }
    done = said.get(verdict, "")
    _attempt(
        request,
        lambda: do_set_session_count(meeting, verdict=verdict, acting_user=user, request=request),
        done,
    )
    return redirect("reports:dashboard-meeting", meeting_id=meeting.pk)


@_guarded
def dashboard_meeting_items_csv(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(meeting_id)
    return _csv(
        f"meeting-{meeting.pk}-items.csv", item_columns(), _items(measurement.meeting_figures(meeting))
    )


@_guarded
def dashboard_meeting_reading_csv(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(meeting_id)
    return _csv(f"meeting-{meeting.pk}-reading.csv", reading_columns(), measurement.reading_figures(meeting))


# --- the national dashboard and the quarterly reports --------------------------------------------


def _quarter(request: HttpRequest) -> Quarter:
    try:
        return Quarter.parse(request.GET.get("quarter"))
    except ValueError as exc:
        raise BadRequest(_("The quarter must be written like 2026-Q4.")) from exc


def _national_admin(request: HttpRequest) -> None:
    access_tenant(request.user, TenantCapability.SEE_NATIONAL_FIGURES, request=request, path=request.path)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that spreadsheets read the diacritics
    (Vietnamese names) right; every cell through ``spreadsheet_cell``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([spreadsheet_cell(v) for v in header])
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
    return response


@login_required
@require_GET
def national_dashboard(request: HttpRequest) -> HttpResponse:
    _national_admin(request)
    quarter = _quarter(request)
    figures = national_figures(quarter)
    return render(
        request,
        "measurement/national.html",
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
    """The tenant's own quarterly report, for its secretariat and chairs (others 404)."""
    if not tenant_allows(request.user, TenantCapability.SEE_DASHBOARD):
        raise Http404
    quarter = _quarter(request)
    tenant = current_tenant()
    return _pdf(tenant_report_pdf(tenant, quarter), report_filename(quarter, tenant.slug))


# --- the tenant's report settings ----------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


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
    access_tenant(user, TenantCapability.SET_RULES, request=request, area="report_settings")
    tenant = current_tenant()
    if request.method == "POST":
        _submit(
            request,
            ReportSettingsForm(request.POST),
            lambda data: _save(data, request),
            _("The report settings are saved."),
        )
        return redirect("reports:report-settings")
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
    return render(request, "measurement/report_settings.html", {"form": form, "settings": found})
