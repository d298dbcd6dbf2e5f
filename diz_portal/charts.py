"""Charts drawn on the server as SVG, for pages and PDFs alike: no JavaScript, nothing from a CDN.

A chart is a horizontal bar chart (a bar may be split into coloured segments, e.g. projects by
RAG), always shown with its data as a table (templates/components/chart.html), so screen readers
and print get the figures and colour is never the only way to read it. Horizontal bars because
the labels (organisation names) are long; a charting library would bring a JavaScript runtime or
a plotting stack for what is a few rectangles, so the geometry is worked out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 760
LABEL_WIDTH = 300
VALUE_WIDTH = 60
# Labels longer than this are cut short (with "…"): the table beside the chart has them whole.
LABEL_CHARACTERS = 38
BAR_HEIGHT = 20
GAP = 8
# GOV.UK colours; every segment also has its name in the legend and the table.
COLOURS = {
    "blue": "#1d70b8",
    "green": "#00703c",
    "amber": "#f47738",
    "red": "#d4351c",
    "grey": "#505a5f",
    "purple": "#4c2c92",
}


@dataclass
class Segment:
    value: float
    colour: str = "blue"
    name: str = ""


@dataclass
class BarChart:
    """`bars`: (label, value) or (label, [Segment, ...]); `columns` and `table` are the data table
    (one row per bar, after the label). `unit` is shown after each bar's total ("%" for rates)."""

    key: str
    title: str
    bars: list
    columns: list[str]
    table: list[list]
    unit: str = ""
    empty: str = "No data yet."
    maximum: float | None = None
    legend: list[Segment] = field(default_factory=list)

    def _segments(self, value) -> list[Segment]:
        return value if isinstance(value, list) else [Segment(value=value)]

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * (BAR_HEIGHT + GAP) + GAP

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def rows(self) -> list[dict]:
        """Each bar's geometry: its label, its segments' rectangles, its total's text and place."""
        totals = [sum(segment.value for segment in self._segments(value)) for _label, value in self.bars]
        top = self.maximum or max([*totals, 0]) or 1
        plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
        drawn = []
        for index, ((label, value), total) in enumerate(zip(self.bars, totals, strict=True)):
            y = GAP + index * (BAR_HEIGHT + GAP)
            x = LABEL_WIDTH
            rectangles = []
            for segment in self._segments(value):
                width = plot * segment.value / top
                rectangles.append(
                    {"x": round(x, 1), "width": round(width, 1), "fill": COLOURS.get(segment.colour, segment.colour)}
                )
                x += width
            shown = f"{total:g}{self.unit}"
            drawn.append(
                {
                    "label": label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…",
                    "label_x": LABEL_WIDTH - 8,
                    "y": y,
                    "text_y": y + BAR_HEIGHT - 5,
                    "rectangles": rectangles,
                    "total": shown,
                    "total_x": round(x + 6, 1),
                }
            )
        return drawn

    @property
    def table_rows(self) -> list[tuple[str, list]]:
        return [(label, cells) for (label, _value), cells in zip(self.bars, self.table, strict=True)]

    @property
    def legend_items(self) -> list[dict]:
        return [{"name": s.name, "fill": COLOURS.get(s.colour, s.colour)} for s in self.legend]
