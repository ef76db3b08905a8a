"""Server-rendered charts: geometry for a small inline SVG bar chart (no JavaScript, no CDN).

The chart is drawn in a fixed 360 × 200 viewBox, so it scales down to a 360 px phone and up to a desk
screen alike. Every number is formatted here, so templates print strings and no locale setting can
turn a coordinate into "12,5".
"""

import math
from decimal import Decimal

VIEW_WIDTH, VIEW_HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 30, 6, 18, 26  # room for the axis labels, value labels and week labels


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ value (at least 1 学时, so an empty chart has a scale)."""
    if value <= 1:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude + 1e-9:
            return step * magnitude
    return 10 * magnitude


def format_hours(value) -> str:
    """Decimal 学时 without trailing zeros: 1.50 → "1.5", 10.00 → "10", 0 → "0"."""
    value = Decimal(value or 0)
    return f"{value.normalize():f}" if value else "0"


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def bar_chart(points: list[tuple[str, str, Decimal]]) -> dict:
    """Geometry of a bar chart of (short label, long label, value) points, oldest first."""
    plot_width = VIEW_WIDTH - LEFT - RIGHT
    plot_height = VIEW_HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    top_value = _nice_ceiling(max((float(v) for _s, _l, v in points), default=0))
    slot = plot_width / max(len(points), 1)
    bar_width = slot * 0.62
    bars = []
    for index, (short, long, value) in enumerate(points):
        height = plot_height * float(value) / top_value
        x = LEFT + slot * index + (slot - bar_width) / 2
        bars.append({
            "x": _n(x), "y": _n(baseline - height), "width": _n(bar_width), "height": _n(height),
            "center": _n(x + bar_width / 2), "value_y": _n(baseline - height - 4), "label_y": _n(baseline + 15),
            # Every other week is labelled (counting back from the latest), so labels never touch at 360 px.
            "label": short if (len(points) - 1 - index) % 2 == 0 else "",
            "title": long, "value": format_hours(value), "empty": not value,
        })
    grid = [
        {"y": _n(baseline - plot_height * fraction), "label": format_hours(Decimal(str(top_value * fraction)))}
        for fraction in (0, 0.5, 1)
    ]
    return {
        "view_box": f"0 0 {VIEW_WIDTH} {VIEW_HEIGHT}", "bars": bars, "grid": grid,
        "left": _n(LEFT), "right": _n(VIEW_WIDTH - RIGHT), "axis_x": _n(LEFT - 4),
        "total": format_hours(sum((Decimal(v) for _s, _l, v in points), Decimal("0"))),
        "peak": format_hours(max((Decimal(v) for _s, _l, v in points), default=Decimal("0"))),
    }


RATE_GRID = (0, 50, 100)
RATE_LABEL_EVERY = 7  # one date label a week (counting back from the latest day): never crowded at 360 px


def rate_chart(points: list[tuple[str, str, float, float]]) -> dict:
    """Geometry of a percentage trend, oldest first: each point is (short label, long label, bar rate,
    line rate), rates 0–100. Bars (e.g. 今日一课完成率) and a polyline (e.g. 参学率) share a fixed
    0–100 % scale, so two organisations' charts compare at a glance."""
    plot_width = VIEW_WIDTH - LEFT - RIGHT
    plot_height = VIEW_HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(points), 1)
    bar_width = slot * 0.62

    def y_of(rate: float) -> float:
        return baseline - plot_height * max(0.0, min(float(rate), 100.0)) / 100

    bars, line = [], []
    for index, (short, long, bar_rate, line_rate) in enumerate(points):
        x = LEFT + slot * index + (slot - bar_width) / 2
        center = x + bar_width / 2
        top = y_of(bar_rate)
        bars.append({
            "x": _n(x), "y": _n(top), "width": _n(bar_width), "height": _n(baseline - top), "center": _n(center),
            "label_y": _n(baseline + 15),
            "label": short if (len(points) - 1 - index) % RATE_LABEL_EVERY == 0 else "",
            # The latest day's label ends at its bar, so it is never cut off at the right edge.
            "anchor": "end" if index == len(points) - 1 and len(points) > 1 else "middle",
            "title": long, "bar_value": _n(float(bar_rate)), "line_value": _n(float(line_rate)),
            "empty": not bar_rate,
        })
        line.append(f"{_n(center)},{_n(y_of(line_rate))}")
    return {
        "view_box": f"0 0 {VIEW_WIDTH} {VIEW_HEIGHT}", "bars": bars, "line": " ".join(line),
        "dots": [{"x": p.split(",")[0], "y": p.split(",")[1]} for p in line],
        "grid": [{"y": _n(y_of(value)), "label": f"{value}%"} for value in RATE_GRID],
        "left": _n(LEFT), "right": _n(VIEW_WIDTH - RIGHT), "axis_x": _n(LEFT - 4),
    }
