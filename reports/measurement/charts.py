"""Charts as SVG markup built on the server, so the page and the PDF show the same picture.

No JavaScript and no chart library: each function returns a self-contained
``<svg>`` (a ``SafeString``) with a ``<title>`` and a ``<desc>`` that reads
every value out, a text label on every bar or point, axis labels in the
active language, and a footnote where a figure rests on an assumption (the
demo's baselines and prices) rather than on a measurement. Assumed values
are drawn hatched and marked with an asterisk, so the difference shows in
print and in grey scale too.

``bar_chart`` and ``line_chart`` are the building blocks; ``time_chart``,
``saving_chart``, ``pages_chart``, ``reading_chart`` and ``slips_chart``
draw the dashboard's and the quarterly report's charts from
``reports.measurement.tenant_series``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 44, 64
FONT = "Noto Sans, DejaVu Sans, sans-serif"
COLOURS = ("#1f5f8b", "#9aa5b1", "#c0392b", "#2e7d32")
BAND = "#2e7d32"

_ids = itertools.count(1)


@dataclass
class Series:
    """One named row of values; ``None`` is "no figure" and is labelled as such."""

    name: str
    values: Sequence[float | int | None]
    # Per value: whether it rests on an assumption (drawn hatched, marked *).
    assumed: Sequence[bool] = field(default_factory=list)
    colour: str | None = None

    def is_assumed(self, index: int) -> bool:
        return index < len(self.assumed) and bool(self.assumed[index])


def fmt(value: float | int | None, decimals: int = 0) -> str:
    """A number as the active language writes it (27.500 in Vietnamese); "—" for none."""
    if value is None:
        return "—"
    if decimals == 0:
        value = round(value)
    return numberformat.format(
        value,
        str(get_format("DECIMAL_SEPARATOR")),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24] or "chart"


def _nice_max(value: float) -> float:
    """A round top for the axis, at or above ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def _text(x: float, y: float, content: str, *, size: int = 12, anchor: str = "middle", **extra: str) -> str:
    attrs = "".join(f' {key.replace("_", "-")}="{escape(val)}"' for key, val in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{attrs}>'
        f"{escape(content)}</text>"
    )


class _Frame:
    """The axes, the grid, the title, the legend and the footnote common to every chart."""

    def __init__(
        self,
        *,
        title: str,
        labels: Sequence[str],
        series: Sequence[Series],
        unit: str,
        y_max: float | None,
        band: tuple[float, float] | None,
        decimals: int,
        chart_id: str | None,
    ) -> None:
        self.title = title
        self.labels = list(labels)
        self.series = list(series)
        self.unit = unit
        self.decimals = decimals
        self.band = band
        self.id = chart_id or f"chart-{_slug(title)}-{next(_ids)}"
        values = [v for s in self.series for v in s.values if v is not None]
        top = max([*values, band[1] if band else 0, 0])
        self.y_max = y_max if y_max is not None else _nice_max(top)
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM
        self.any_assumed = any(s.is_assumed(i) for s in self.series for i in range(len(s.values)))
        self.parts: list[str] = []

    def y(self, value: float) -> float:
        value = min(max(value, 0), self.y_max)
        return TOP + self.plot_h - value / self.y_max * self.plot_h

    def slot(self, index: int) -> tuple[float, float]:
        """The left edge and width of the ``index``-th period's slot."""
        width = self.plot_w / max(len(self.labels), 1)
        return LEFT + index * width, width

    def colour(self, index: int) -> str:
        return self.series[index].colour or COLOURS[index % len(COLOURS)]

    def value_text(self, value: float | int | None, assumed: bool) -> str:
        return fmt(value, self.decimals) + ("*" if assumed and value is not None else "")

    def axes(self) -> None:
        p = self.parts
        for step in range(5):
            value = self.y_max * step / 4
            y = self.y(value)
            p.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                f'stroke="#d9dde1" stroke-width="1"/>'
            )
            p.append(_text(LEFT - 6, y + 4, fmt(value, 0 if self.y_max >= 10 else 1), size=11, anchor="end"))
        p.append(
            f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + self.plot_h}" '
            f'stroke="#5f6b76" stroke-width="1"/>'
        )
        p.append(
            f'<line x1="{LEFT}" y1="{TOP + self.plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + self.plot_h}" '
            f'stroke="#5f6b76" stroke-width="1"/>'
        )
        p.append(
            _text(
                14,
                TOP + self.plot_h / 2,
                self.unit,
                size=11,
                transform=f"rotate(-90 14 {TOP + self.plot_h / 2:.1f})",
            )
        )
        step = max(1, math.ceil(len(self.labels) / 12))
        for index, label in enumerate(self.labels):
            if index % step:
                continue
            x, width = self.slot(index)
            p.append(_text(x + width / 2, TOP + self.plot_h + 16, label, size=11))

    def draw_band(self) -> None:
        if not self.band:
            return
        low, high = self.band
        y_high, y_low = self.y(high), self.y(low)
        self.parts.append(
            f'<rect class="chart-band" x="{LEFT}" y="{y_high:.1f}" width="{self.plot_w}" '
            f'height="{max(y_low - y_high, 0):.1f}" fill="{BAND}" fill-opacity="0.12" '
            f'stroke="{BAND}" stroke-dasharray="4 3" stroke-width="1"/>'
        )
        self.parts.append(
            _text(
                WIDTH - RIGHT,
                22,
                _("target: %(low)s–%(high)s %%") % {"low": fmt(low), "high": fmt(high)},
                size=12,
                anchor="end",
                fill=BAND,
            )
        )

    def legend(self) -> None:
        x = LEFT
        y = TOP + self.plot_h + 38
        entries = [(s.name, self.colour(i)) for i, s in enumerate(self.series)]
        for name, colour in entries:
            self.parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
            self.parts.append(_text(x + 18, y, name, size=11, anchor="start"))
            x += 30 + 7 * len(name)
        if self.band:
            self.parts.append(
                f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{BAND}" fill-opacity="0.2" '
                f'stroke="{BAND}" stroke-dasharray="3 2"/>'
            )
            self.parts.append(_text(x + 18, y, _("target band"), size=11, anchor="start"))

    def footnote(self) -> None:
        if self.any_assumed:
            self.parts.append(
                _text(
                    LEFT,
                    HEIGHT - 6,
                    _("* demo assumption, not measured"),
                    size=11,
                    anchor="start",
                    fill="#8a4b00",
                )
            )

    def description(self) -> str:
        lines = []
        for series in self.series:
            values = ", ".join(
                f"{label}: {self.value_text(v, series.is_assumed(i))}"
                for i, (label, v) in enumerate(zip(self.labels, series.values, strict=False))
            )
            lines.append(f"{series.name} ({self.unit}) — {values}.")
        if self.band:
            lines.append(
                _("Target: shorter by %(low)s–%(high)s %%.")
                % {"low": fmt(self.band[0]), "high": fmt(self.band[1])}
            )
        if self.any_assumed:
            lines.append(_("* demo assumption, not measured"))
        return " ".join(lines)

    def render(self, body: list[str]) -> SafeString:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(self.id)}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
            f'role="img" aria-labelledby="{escape(self.id)}-title {escape(self.id)}-desc" '
            f'font-family="{FONT}" fill="#1d2125">'
            f'<title id="{escape(self.id)}-title">{escape(self.title)}</title>'
            f'<desc id="{escape(self.id)}-desc">{escape(self.description())}</desc>'
            f"<defs>{self.hatches()}</defs>"
            f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
            + _text(LEFT, 22, self.title, size=15, anchor="start", font_weight="bold")
        )
        self.axes()
        self.draw_band()
        parts = self.parts + body
        if not any(v is not None for s in self.series for v in s.values):
            parts.append(
                _text(
                    LEFT + self.plot_w / 2,
                    TOP + self.plot_h / 2,
                    _("No figures for this period yet"),
                    size=14,
                    fill="#545450",
                )
            )
        self.parts = []
        self.legend()
        self.footnote()
        return mark_safe(head + "".join(parts) + "".join(self.parts) + "</svg>")  # noqa: S308 - every text is escaped above

    def hatch_id(self, index: int) -> str:
        return f"{self.id}-hatch-{index}"

    def hatches(self) -> str:
        return "".join(
            f'<pattern id="{escape(self.hatch_id(i))}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{self.colour(i)}" stroke-width="3"/></pattern>'
            for i in range(len(self.series))
        )


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    y_max: float | None = None,
    band: tuple[float, float] | None = None,
    decimals: int = 0,
    chart_id: str | None = None,
) -> SafeString:
    """Grouped bars, one group per label, one bar per series, each with its value written on it."""
    frame = _Frame(
        title=title,
        labels=labels,
        series=series,
        unit=unit,
        y_max=y_max,
        band=band,
        decimals=decimals,
        chart_id=chart_id,
    )
    body = []
    count = max(len(frame.series), 1)
    for index in range(len(frame.labels)):
        x, width = frame.slot(index)
        inner = width * 0.76
        bar_w = inner / count
        for s_index, row in enumerate(frame.series):
            value = row.values[index] if index < len(row.values) else None
            bx = x + width * 0.12 + s_index * bar_w
            assumed = row.is_assumed(index)
            if value is not None:
                top = frame.y(value)
                fill = f"url(#{frame.hatch_id(s_index)})" if assumed else frame.colour(s_index)
                body.append(
                    f'<rect class="chart-bar" x="{bx:.1f}" y="{top:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                    f'height="{TOP + frame.plot_h - top:.1f}" fill="{fill}" stroke="{frame.colour(s_index)}" '
                    f'stroke-width="1"/>'
                )
            else:
                top = frame.y(0)
            if value is not None and len(frame.labels) * count <= 36:
                body.append(
                    _text(
                        bx + bar_w / 2 - 1,
                        top - 4,
                        frame.value_text(value, assumed),
                        size=10 if count > 1 else 11,
                    )
                )
    return frame.render(body)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    y_max: float | None = None,
    band: tuple[float, float] | None = None,
    decimals: int = 0,
    chart_id: str | None = None,
) -> SafeString:
    """Lines through each series' values (broken where there is no figure), each point labelled."""
    frame = _Frame(
        title=title,
        labels=labels,
        series=series,
        unit=unit,
        y_max=y_max,
        band=band,
        decimals=decimals,
        chart_id=chart_id,
    )
    body = []
    for s_index, row in enumerate(frame.series):
        colour = frame.colour(s_index)
        run: list[str] = []
        points = []
        for index, value in enumerate(row.values[: len(frame.labels)]):
            x, width = frame.slot(index)
            cx = x + width / 2
            if value is None:
                if len(run) > 1:
                    body.append(_polyline(run, colour))
                run = []
                continue
            cy = frame.y(value)
            run.append(f"{cx:.1f},{cy:.1f}")
            points.append((cx, cy, value, row.is_assumed(index)))
        if len(run) > 1:
            body.append(_polyline(run, colour))
        for cx, cy, value, assumed in points:
            fill = "#ffffff" if assumed else colour
            body.append(
                f'<circle class="chart-point" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{fill}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            if len(frame.labels) <= 24:
                body.append(_text(cx, cy - 9, frame.value_text(value, assumed), size=11))
    return frame.render(body)


def _polyline(points: list[str], colour: str) -> str:
    return (
        f'<polyline class="chart-line" points="{" ".join(points)}" fill="none" '
        f'stroke="{colour}" stroke-width="2.5"/>'
    )


# --- the dashboard's charts ------------------------------------------------------------


def _labels(periods: Sequence[Any]) -> list[str]:
    return [period.label for period in periods]


def time_chart(periods: Sequence[Any], *, chart_id: str | None = None) -> SafeString:
    """Meeting time against the paper-era baseline, per period (minutes)."""
    return bar_chart(
        title=_("Meeting time against the baseline"),
        labels=_labels(periods),
        series=[
            Series(
                _("Baseline (on paper)"),
                [p.baseline_minutes if p.baseline_minutes else None for p in periods],
                assumed=[p.baseline_is_assumption for p in periods],
                colour=COLOURS[1],
            ),
            Series(
                _("Actual (same meetings)"),
                [p.compared_minutes if p.baseline_minutes else None for p in periods],
                colour=COLOURS[0],
            ),
        ],
        unit=_("minutes"),
        chart_id=chart_id,
    )


def saving_chart(periods: Sequence[Any], *, chart_id: str | None = None) -> SafeString:
    """Time saved against the baseline (%), with the resolution's 30–50 % target band."""
    band = (periods[0].target_low_percent, periods[0].target_high_percent) if periods else (30, 50)
    return bar_chart(
        title=_("Meeting time saved against the target"),
        labels=_labels(periods),
        series=[
            Series(
                _("Time saved"),
                [p.saved_percent for p in periods],
                assumed=[p.baseline_is_assumption for p in periods],
                colour=COLOURS[0],
            )
        ],
        unit="%",
        y_max=100,
        band=band,
        decimals=1,
        chart_id=chart_id,
    )


def pages_chart(periods: Sequence[Any], *, chart_id: str | None = None) -> SafeString:
    """Pages not printed (pages × recipients), per period."""
    return bar_chart(
        title=_("Pages saved"),
        labels=_labels(periods),
        series=[Series(_("Pages (pages × recipients)"), [p.pages for p in periods], colour=COLOURS[0])],
        unit=_("pages"),
        chart_id=chart_id,
    )


def reading_chart(periods: Sequence[Any], *, chart_id: str | None = None) -> SafeString:
    """The share of papers members opened before the session, per period (%)."""
    return line_chart(
        title=_("Papers read before the session"),
        labels=_labels(periods),
        series=[Series(_("Papers opened before the session"), [p.read_before_percent for p in periods])],
        unit="%",
        y_max=100,
        decimals=1,
        chart_id=chart_id,
    )


def slips_chart(periods: Sequence[Any], *, chart_id: str | None = None) -> SafeString:
    """The share of opinion-slip answers given by the deadline, per period (%)."""
    return line_chart(
        title=_("Opinion slips answered on time"),
        labels=_labels(periods),
        series=[Series(_("Answers by the deadline"), [p.slips_on_time_percent for p in periods])],
        unit="%",
        y_max=100,
        decimals=1,
        chart_id=chart_id,
    )


def dashboard_charts(periods: Sequence[Any], *, prefix: str = "chart") -> dict[str, SafeString]:
    """Every chart of the dashboard (and of the quarterly report), keyed by name."""
    return {
        "time": time_chart(periods, chart_id=f"{prefix}-time"),
        "saving": saving_chart(periods, chart_id=f"{prefix}-saving"),
        "pages": pages_chart(periods, chart_id=f"{prefix}-pages"),
        "reading": reading_chart(periods, chart_id=f"{prefix}-reading"),
        "slips": slips_chart(periods, chart_id=f"{prefix}-slips"),
    }
