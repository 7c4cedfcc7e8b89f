"""Bar and column charts drawn as SVG by a template (templates/network/_chart.html).

This module only measures: where each bar and label goes in a 400-unit-wide view box, which the
page scales to its width (so a chart reads the same at 390 px as on a desktop). The numbers are
also given to the template as a table, and ``summary`` is the chart's text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 400
COLUMN_HEIGHT = 180
ROW_HEIGHT = 26
LABEL_WIDTH = 118
# USWDS blue 60v and orange 50v: both at least 3:1 against white, and apart from each other.
COLOURS = ("#005ea2", "#c05600")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    colour: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    series: list[str]
    rows: list[tuple[str, list[int]]]
    row_heading: str = ""
    horizontal: bool = False
    height: int = COLUMN_HEIGHT
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def legend(self) -> list[tuple[str, str]]:
        return list(zip(self.series, COLOURS, strict=False))

    @property
    def paths(self) -> list[tuple[str, str]]:
        """Each series' bars as one SVG path (colour, outline): two elements for a year of
        weeks instead of a hundred, which the template engine draws several times faster."""
        outlines: dict[str, list[str]] = {}
        for bar in self.bars:
            if bar.height > 0 and bar.width > 0:
                outlines.setdefault(bar.colour, []).append(
                    f"M{bar.x:.1f} {bar.y:.1f}h{bar.width:.1f}v{bar.height:.1f}h{-bar.width:.1f}z"
                )
        return [(colour, "".join(parts)) for colour, parts in outlines.items()]

    @property
    def texts(self) -> list[tuple[str, str, str, str]]:
        """Labels with their coordinates written out (x, y, anchor, text)."""
        return [(f"{t.x:.1f}", f"{t.y:.1f}", t.anchor, t.text) for t in self.labels]


def columns(id: str, title: str, summary: str, series: list[str], rows, heading: str) -> Chart:
    """Vertical columns, one group per row (a week, an event), a few row labels underneath."""
    chart = Chart(id, title, summary, series, list(rows), heading)
    top = max((max(values) for _, values in chart.rows), default=0) or 1
    left, bottom, plot_height = 34, COLUMN_HEIGHT - 22, COLUMN_HEIGHT - 34
    group = (WIDTH - left - 4) / max(len(chart.rows), 1)
    bar = group * 0.8 / len(series)
    every = max(1, round(len(chart.rows) / 5))
    for i, (label, values) in enumerate(chart.rows):
        for s, value in enumerate(values):
            height = plot_height * value / top
            x = left + i * group + s * bar
            chart.bars.append(Bar(x, bottom - height, bar, height, value, COLOURS[s]))
        if i % every == 0:
            chart.labels.append(Label(left + i * group, COLUMN_HEIGHT - 6, label))
    chart.labels += [Label(left - 4, 16, f"{top:,}", "end"), Label(left - 4, bottom, "0", "end")]
    return chart


def bars(id: str, title: str, summary: str, series: list[str], rows, heading: str) -> Chart:
    """Horizontal bars, one row per category, its name on the left and its value at the end."""
    chart = Chart(id, title, summary, series, list(rows), heading, horizontal=True)
    chart.height = ROW_HEIGHT * len(chart.rows) + 6
    top = max((max(values) for _, values in chart.rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 44
    thickness = (ROW_HEIGHT - 8) / len(series)
    for i, (label, values) in enumerate(chart.rows):
        y = 4 + i * ROW_HEIGHT
        chart.labels.append(Label(LABEL_WIDTH - 6, y + ROW_HEIGHT / 2 + 1, label[:18], "end"))
        for s, value in enumerate(values):
            width = room * value / top
            bar_y = y + s * thickness
            chart.bars.append(Bar(LABEL_WIDTH, bar_y, width, thickness, value, COLOURS[s]))
            chart.labels.append(Label(LABEL_WIDTH + width + 4, bar_y + thickness - 3, f"{value:,}"))
    return chart
