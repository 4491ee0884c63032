"""Charts drawn on the server: well-formed SVG, accessible, every value labelled,
assumptions marked, the target band drawn, and no text left unescaped."""

from __future__ import annotations

from datetime import date
from xml.dom import minidom

from django.utils import translation

from reports.measurement import charts
from reports.measurement.selectors import Period


def periods(**overrides: object) -> list[Period]:
    rows = []
    for month in (10, 11, 12):
        values: dict[str, object] = {
            "label": f"{month}/2026",
            "start": date(2026, month, 1),
            "end": date(2026, month, 28),
            "baseline_minutes": 240,
            "compared_minutes": 120.0 + month,
            "saved_percent": 45.5,
            "pages": 12_500 * month,
            "read_before_percent": 80.0,
            "slips_on_time_percent": None,
        }
        values.update(overrides)
        rows.append(Period(**values))  # type: ignore[arg-type]
    return rows


def parse(svg: str) -> minidom.Document:
    return minidom.parseString(svg)  # noqa: S318 - the charts' own markup, made in the test


def texts(svg: str) -> list[str]:
    return [node.firstChild.data for node in parse(svg).getElementsByTagName("text") if node.firstChild]


def test_every_chart_is_well_formed_and_accessible() -> None:
    with translation.override("vi"):
        drawn = charts.dashboard_charts(periods(), prefix="t")
    assert set(drawn) == {"time", "saving", "pages", "reading", "slips"}
    for name, svg in drawn.items():
        root = parse(svg).documentElement
        assert root.getAttribute("role") == "img"
        title = root.getElementsByTagName("title")[0]
        desc = root.getElementsByTagName("desc")[0]
        assert root.getAttribute("aria-labelledby") == f"{title.getAttribute('id')} {desc.getAttribute('id')}"
        assert root.getAttribute("id") == f"t-{name}"
        assert title.firstChild.data and desc.firstChild.data


def test_values_are_written_the_vietnamese_way_on_the_bars_and_in_the_description() -> None:
    with translation.override("vi"):
        svg = charts.pages_chart(periods())
    assert "150.000" in texts(svg)  # December: 12.500 × 12
    assert "12/2026: 150.000" in parse(svg).getElementsByTagName("desc")[0].firstChild.data
    assert "Số trang giấy tiết kiệm được" in texts(svg)


def test_the_target_band_is_drawn_at_the_tenants_target() -> None:
    with translation.override("en"):
        svg = charts.saving_chart(periods(target_low_percent=35, target_high_percent=55))
    band = [r for r in parse(svg).getElementsByTagName("rect") if r.getAttribute("class") == "chart-band"]
    assert len(band) == 1
    # the plot is 212 px high from y=44 with 0–100 %: 55 % at 139.4, 35 % at 181.8
    assert float(band[0].getAttribute("y")) == 139.4
    assert float(band[0].getAttribute("height")) == 42.4
    assert "target: 35–55 %" in texts(svg)


def test_assumed_values_are_hatched_and_marked() -> None:
    with translation.override("en"):
        assumed = charts.time_chart(periods(baseline_is_assumption=True))
        measured = charts.time_chart(periods(baseline_is_assumption=False))
    assert "240*" in texts(assumed)
    assert "* demo assumption, not measured" in texts(assumed)
    assert any("url(#" in r.getAttribute("fill") for r in parse(assumed).getElementsByTagName("rect"))
    assert "240" in texts(measured) and "240*" not in texts(measured)
    assert "* demo assumption, not measured" not in texts(measured)
    assert not any("url(#" in r.getAttribute("fill") for r in parse(measured).getElementsByTagName("rect"))


def test_a_chart_without_figures_says_so() -> None:
    with translation.override("en"):
        svg = charts.slips_chart(periods())
    assert "No figures for this period yet" in texts(svg)
    assert not parse(svg).getElementsByTagName("circle")


def test_text_is_escaped() -> None:
    svg = charts.bar_chart(
        title='<script>alert("x")</script>',
        labels=["<b>"],
        series=[charts.Series("a&b", [1])],
        unit="<i>",
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert '<script>alert("x")</script>' in texts(svg)
    parse(svg)
