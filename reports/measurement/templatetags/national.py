"""``{% load national %}``: numbers on the national page and in the quarterly reports, as the charts do."""

from __future__ import annotations

from django import template

from reports.measurement.charts import fmt

register = template.Library()


@register.filter
def number(value: float | int | None, decimals: int = 0) -> str:
    """27.500 and 66,7 in Vietnamese (thousands grouped, the language's decimal mark); "—" for none."""
    return fmt(value, int(decimals))
