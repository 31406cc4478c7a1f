"""The months of the horizon and the interval grid of a representative week."""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.model import elements as m

DAYS_PER_MONTH = Fraction(365, 12)  # the average month, as the model's units use


@attrs.frozen
class Grid:
    """Months of the horizon and intervals of the day."""

    start_year: int
    start_month: int
    months: int
    interval: int  # seconds

    @property
    def per_day(self) -> int:
        return 86_400 // self.interval

    def month_of_year(self, index: int) -> int:
        """1-12: the calendar month of the horizon's month ``index`` (0-based)."""
        return (self.start_month - 1 + index) % 12 + 1

    def year_month(self, index: int) -> tuple[int, int]:
        total = self.start_year * 12 + self.start_month - 1 + index
        return total // 12, total % 12 + 1

    def label(self, index: int) -> str:
        year, month = self.year_month(index)
        return f"{year}-{month:02d}"

    def index_of(self, year: int, month: int) -> int:
        """Months from the start to (year, month); negative before the start."""
        return (year * 12 + month - 1) - (self.start_year * 12 + self.start_month - 1)

    def interval_starts(self) -> NDArray[np.int64]:
        """Minute of the day at which each interval starts."""
        return np.arange(self.per_day, dtype=np.int64) * (self.interval // 60)


def grid_of(blueprint: m.Blueprint) -> Grid:
    return Grid(
        blueprint.start_year,
        blueprint.start_month,
        blueprint.horizon_months,
        int(blueprint.interval),
    )


def open_mask(grid: Grid, hours: tuple[m.Opening, ...]) -> NDArray[np.bool_]:
    """(7, n): an interval is open when it starts inside an opening range of that day."""
    starts = grid.interval_starts()
    mask = np.zeros((7, grid.per_day), dtype=bool)
    for opening in hours:
        inside = (starts >= opening.start) & (starts < opening.end)
        for day in opening.days:
            mask[day] |= inside
    return mask
