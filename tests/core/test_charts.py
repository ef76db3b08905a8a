"""The server-rendered bar chart's geometry: inside its viewBox, scaled to a round maximum."""

from decimal import Decimal

import pytest

from core import charts


@pytest.mark.parametrize(("value", "expected"), [(0, 1), (0.75, 1), (1.2, 2), (2.25, 2.5), (4.5, 5), (7, 10),
                                                 (12, 20), (60, 100)])
def test_the_scale_rounds_up(value, expected):
    assert charts._nice_ceiling(value) == expected


@pytest.mark.parametrize(("value", "text"), [(Decimal("1.50"), "1.5"), (Decimal("10.00"), "10"), (0, "0"),
                                             (None, "0"), (Decimal("0.25"), "0.25")])
def test_hours_are_written_without_trailing_zeros(value, text):
    assert charts.format_hours(value) == text


def test_bars_stay_inside_the_view_box_and_scale_to_the_peak():
    points = [(f"{n}", f"第 {n} 周", Decimal(v)) for n, v in enumerate(["0", "1.25", "4.5", "0.25"])]
    chart = charts.bar_chart(points)
    assert chart["view_box"] == "0 0 360 200" and chart["total"] == "6" and chart["peak"] == "4.5"
    assert [g["label"] for g in chart["grid"]] == ["0", "2.5", "5"]
    bars = chart["bars"]
    assert bars[0]["height"] == "0" and bars[0]["empty"]
    for bar in bars:
        x, y, w, h = (float(bar[k]) for k in ("x", "y", "width", "height"))
        assert charts.LEFT <= x and x + w <= 360 - charts.RIGHT
        assert charts.TOP <= y and y + h == pytest.approx(200 - charts.BOTTOM, abs=0.1)
    assert float(bars[2]["height"]) == pytest.approx((200 - charts.TOP - charts.BOTTOM) * 4.5 / 5, abs=0.1)
    assert [b["label"] for b in bars] == ["", "1", "", "3"]  # every other week, counting back from the latest
