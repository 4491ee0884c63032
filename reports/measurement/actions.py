"""The writes of measurement: the tenant's yardsticks for its reports — the
price of a printed page (and whether it is an assumption), the 30–50 % target,
the days of task reminders — and whether a session counts in the figures,
for the secretariat's pages and the API.

``reports.measurement.selectors.report_settings`` reads them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.errors import Invalid
from ecabinet.models import Tenant, User
from meetings.models import Meeting
from reports.measurement.selectors import report_settings
from reports.models import ReportSettings, SessionCount

MAX_PRICE = 1_000_000  # đồng a page: far above any real cost, below any typing slip
MAX_REMINDER_DAYS = 90
MAX_REMINDERS = 5
MAX_SOURCE = 300


def _whole(value: Any, *, low: int, high: int, message: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(message)
    return value


def clean_reminder_days(value: Any) -> list[int]:
    """Days before the due date, each from 0 to 90, at most five, largest first."""
    message = _(
        "Reminders are up to %(count)s whole numbers of days before the due date, from 0 to %(max)s."
    ) % {"count": MAX_REMINDERS, "max": MAX_REMINDER_DAYS}
    if not isinstance(value, list | tuple) or len(value) > MAX_REMINDERS:
        raise Invalid(message)
    days = {_whole(d, low=0, high=MAX_REMINDER_DAYS, message=message) for d in value}
    return sorted(days, reverse=True)


def parse_reminder_days(text: str) -> list[int]:
    """“7, 3, 1” as typed on the page: the list ``clean_reminder_days`` checks."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise Invalid(
            _("Reminders are up to %(count)s whole numbers of days before the due date, from 0 to %(max)s.")
            % {"count": MAX_REMINDERS, "max": MAX_REMINDER_DAYS}
        ) from None


@transaction.atomic
def do_set_report_settings(
    *,
    tenant: Tenant,
    price_per_page: int,
    price_source: str,
    price_is_assumption: bool,
    target_low_percent: int,
    target_high_percent: int,
    task_reminder_days: list[int],
    acting_user: User | None,
) -> ReportSettings:
    """Change every yardstick at once; a price with no source is an assumption."""
    price = _whole(
        price_per_page,
        low=0,
        high=MAX_PRICE,
        message=_("The cost of a printed page is a whole number of đồng from 0 to %(max)s.")
        % {"max": f"{MAX_PRICE:,}".replace(",", ".")},
    )
    if price_source is None:
        price_source = ""
    if not isinstance(price_source, str) or len(price_source.strip()) > MAX_SOURCE:
        raise Invalid(
            _("The source of the price is text of at most %(max)s characters.") % {"max": MAX_SOURCE}
        )
    source = price_source.replace("\x00", "").strip()
    if not isinstance(price_is_assumption, bool):
        raise Invalid(_("Say whether the price is an assumption."))
    if not source and not price_is_assumption:
        raise Invalid(_("A price that is not an assumption needs its source."))
    low = _whole(target_low_percent, low=0, high=100, message=_("The targets are percentages from 0 to 100."))
    high = _whole(
        target_high_percent, low=0, high=100, message=_("The targets are percentages from 0 to 100.")
    )
    if low > high:
        raise Invalid(_("The lower target cannot be above the upper one."))
    days = clean_reminder_days(task_reminder_days)
    found = ReportSettings.objects.select_for_update().get(pk=report_settings(tenant).pk)
    fields = [
        "price_per_page",
        "price_source",
        "price_is_assumption",
        "target_low_percent",
        "target_high_percent",
        "task_reminder_days",
    ]
    before = {f: getattr(found, f) for f in fields}
    found.price_per_page = price
    found.price_source = source
    found.price_is_assumption = price_is_assumption
    found.target_low_percent = low
    found.target_high_percent = high
    found.task_reminder_days = days
    found.save()
    audit.record_change(
        audit.Kind.RULES_CHANGED,
        before=before,
        after={f: getattr(found, f) for f in fields},
        user=acting_user,
        tenant=tenant,
        rules="reports",
    )
    return found


@transaction.atomic
def do_set_session_count(
    meeting: Meeting, *, verdict: Any, acting_user: User | None, request: Any = None
) -> SessionCount | None:
    """Mark a session as a trial (left out of the figures), confirm it as a real
    session (counted, however short), or take back what was said (``None``)."""
    if verdict is not None and verdict not in SessionCount.Verdict.values:
        raise Invalid(_("Say whether the session is a trial or a real session."))
    found = SessionCount.objects.select_for_update().filter(meeting=meeting).first()
    before = found.verdict if found is not None else None
    if verdict is None:
        if found is not None:
            found.delete()
        result = None
    else:
        result = found or SessionCount(meeting=meeting, tenant_id=meeting.tenant_id)
        result.verdict = verdict
        result.decided_by = acting_user
        result.decided_at = timezone.now()
        result.save()
    audit.record_change(
        audit.Kind.SESSION_COUNT_SET,
        before={"verdict": before},
        after={"verdict": verdict},
        request=request,
        user=acting_user,
        tenant_id=meeting.tenant_id,
        meeting_id=meeting.pk,
    )
    return result
