"""Chart geometry for the report, drawn on the server as inline SVG and CSS bars.

Pure functions of the report's numbers: the same numbers fill the tables beside the charts.
Plots use a 0-100 box (preserveAspectRatio="none") so they stretch to any width while the
text around them stays HTML, legible on a phone and crisp on paper.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from journal.vocabulary import Intensity

INTENSITY_MAX = max(Intensity.values)
PLOT_HEIGHT = 100


def nice_top(value: int) -> int:
    """The axis top for a count: the next of 2, 4, 6, 10, 20, 40, 60, 100... (even: a whole middle tick)."""
    if value <= 2:
        return 2
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 6, 10):
        top = step * magnitude
        if top >= value and top % 2 == 0:
            return top
    return 10 * magnitude


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    y: float
    height: float
    count: int
    mean_y: float | None

    @property
    def svg(self) -> tuple[str, str, str, str]:
        """x, y, width and height as SVG reads them: formatted here, not localized per number."""
        return f"{self.x:g}", f"{self.y:g}", f"{self.width:g}", f"{self.height:g}"


@dataclass(frozen=True)
class WeeklyChart:
    columns: list[Column]
    lines: list[str]
    top: int
    middle: int
    width: int
    intensity_top: int = INTENSITY_MAX
    intensity_middle: float = INTENSITY_MAX / 2


def weekly_chart(counts: Sequence[int], means: Sequence[float | None]) -> WeeklyChart:
    """Columns for the weekly counts and a broken line for the mean intensity (absent weeks break it)."""
    top = nice_top(max(counts, default=0))
    slot = 10
    columns = []
    for index, (count, mean) in enumerate(zip(counts, means, strict=True)):
        height = round(PLOT_HEIGHT * count / top, 2)
        mean_y = None if mean is None else round(PLOT_HEIGHT * (1 - mean / INTENSITY_MAX), 2)
        columns.append(Column(index * slot + 1.5, slot - 3, PLOT_HEIGHT - height, height, count, mean_y))
    lines: list[str] = []
    run: list[str] = []
    for column in columns:
        if column.mean_y is None:
            if run:
                lines.append(" ".join(run))
            run = []
            continue
        # Each week's mean spans its column, so a lone week still shows as a short line.
        run += [f"{column.x:g},{column.mean_y:g}", f"{column.x + column.width:g},{column.mean_y:g}"]
    if run:
        lines.append(" ".join(run))
    return WeeklyChart(columns, lines, top, top // 2, max(len(columns), 1) * slot)
