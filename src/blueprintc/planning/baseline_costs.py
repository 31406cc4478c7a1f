"""The do-nothing case: today's operation (the ``baseline``) sized and costed over the
horizon, as the statement the business case subtracts the design from.

Monthly cost lines, in the design's conventions (docs/finance.md, "The do-nothing cost"):

- **Staff**: FTE x paid hours a month x the staffing block's loaded cost per paid hour.
  Stated FTE win over derived ones: today's stated total (``fte N``, else ``agents N``)
  grown with the volume is one ``agents`` line; otherwise one ``CHANNEL agents`` line per
  channel (its stated FTE grown with its volume, else the FTE its service level needs).
- **Support staff**: ceil(today's FTE / span) per role of the staffing block, at the
  role's yearly cost / 12.
- **Current systems**: every ``system`` at its running cost for the whole horizon (when
  nothing is done, nothing is replaced).
- **Sites**: rent and running costs of the sites today's operation runs in (the
  baseline's ``sites``, else every ``existing`` site) for the seats in use today (the
  baseline's ``seats`` split over them by their seats, else their seats).

When the baseline states today's ``cost``, the do-nothing operating cost is that cost / 12
a month grown with today's volume (:attr:`BaselineCenter.volume_index`), one line; the
bottom-up statement is kept beside it for comparison.
"""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.planning.costs import HOURS_PER_MONTH, WEEKS_PER_MONTH
from blueprintc.sizing.baseline import BaselineCenter, size_baseline
from blueprintc.sizing.size import Sizing
from blueprintc.solve import finance as fin
from blueprintc.solve import staffing as st
from blueprintc.source import Span

STATED_LINE = "operating cost (stated)"
STATED_GROUP = "current operation"


class CostBasis(enum.Enum):
    """Which figure the do-nothing operating cost is."""

    STATED = "stated"  # the baseline's `cost`, grown with the volume
    BOTTOM_UP = "bottom-up"  # staff, support staff, systems and sites, line by line


@attrs.frozen(eq=False, repr=False)
class DoNothing:
    """Today's operation sized and costed: the do-nothing case of the business case."""

    center: BaselineCenter
    statement: fin.Statement  # the do-nothing operating cost (by ``basis``)
    bottom_up: fin.Statement
    basis: CostBasis
    stated: Fraction | None  # the baseline's `cost`, a year
    stated_span: Span | None
    seats: dict[str, int]  # site -> seats in use today

    @property
    def first_year_bottom_up(self) -> Fraction:
        """The bottom-up cost of the first 12 months (of fewer, when the horizon is)."""
        return self.bottom_up.total.years[0] if self.bottom_up.total.years else Fraction(0)

    def __repr__(self) -> str:
        """One line: ``<DoNothing 36 months: stated cost, 74,123,456.00 over the
        horizon, 4 lines bottom-up>``."""
        return (
            f"<DoNothing {self.statement.horizon} months: {self.basis.value} cost, "
            f"{float(self.statement.total.total):,.2f} over the horizon, "
            f"{len(self.bottom_up.lines)} lines bottom-up>"
        )


def do_nothing(model: Model, sizing: Sizing, sink: DiagnosticSink) -> DoNothing | None:
    """Today's operation sized and costed over the design's horizon; None without a
    ``baseline``. Its comparisons with the design (CXB0610, CXB0612, CXB0613) go to
    ``sink``."""
    center = size_baseline(model, sizing, sink)
    baseline = model.baseline
    if center is None or baseline is None:
        return None
    seats = seats_today(model, baseline)
    bottom_up = bottom_up_statement(model, baseline, center, seats)
    if baseline.cost is None:
        return DoNothing(center, bottom_up, bottom_up, CostBasis.BOTTOM_UP, None, None, seats)
    stated = stated_statement(baseline.cost, center)
    return DoNothing(
        center,
        stated,
        bottom_up,
        CostBasis.STATED,
        baseline.cost * 8760,
        baseline.line("cost"),
        seats,
    )


def stated_statement(cost_per_hour: Fraction, center: BaselineCenter) -> fin.Statement:
    """Today's stated cost a month, grown with today's volume, as one opex line."""
    grid = center.grid
    monthly = cost_per_hour * HOURS_PER_MONTH
    amounts = [monthly * fin.exact(float(center.volume_index[t])) for t in range(grid.months)]
    line = fin.Line.of(STATED_LINE, "opex", STATED_GROUP, amounts)
    return fin.Statement([line], grid.start_year, grid.start_month, horizon=grid.months)


def seats_today(model: Model, baseline: m.Baseline) -> dict[str, int]:
    """Seats in use today per site: the baseline's ``seats`` split over today's sites in
    proportion to their seats (largest remainder), else each site's seats."""
    sites = today_sites(model, baseline)
    if not sites:
        return {}
    if baseline.seats is None:
        return {site.name: site.seats for site in sites}
    capacity = sum(site.seats for site in sites)
    shares = {s.name: (s.seats / capacity if capacity else 1 / len(sites)) for s in sites}
    return {name: int(n) for name, n in st.seats(baseline.seats, shares).items()}


def today_sites(model: Model, baseline: m.Baseline) -> list[m.Site]:
    """The sites today's operation runs in: the baseline's ``sites``, else the existing."""
    if baseline.sites:
        found = (model.get(ref) for ref in baseline.sites)
        return [s for s in found if isinstance(s, m.Site)]
    return [s for s in model.of(m.Site) if s.existing and not s.library]


def bottom_up_statement(
    model: Model, baseline: m.Baseline, center: BaselineCenter, seats: dict[str, int]
) -> fin.Statement:
    """Today's operation cost line by line: staff, support staff, systems, sites."""
    grid = center.grid
    lines: list[fin.Line] = []

    def add(name: str, group: str, amounts: list[Fraction]) -> None:
        if any(amounts):
            lines.append(fin.Line.of(name, "opex", group, amounts))

    staffing = model.staffing
    if staffing is not None:
        per_fte = staffing.paid_hours_per_week * WEEKS_PER_MONTH * staffing.loaded_cost
        if center.fte_total_stated.known:
            values = center.fte_total_stated.values
            add("agents", "staff", [fin.exact(float(f)) * per_fte for f in values])
        else:
            for queue in center.queues:
                if queue.channel.assisted and queue.fte.known:
                    values = queue.fte.values
                    amounts = [fin.exact(float(f)) * per_fte for f in values]
                    add(f"{queue.name} agents", "staff", amounts)
        for role, counts in center.support.items():
            cost = staffing.role_costs.get(role, Fraction(0)) / 12
            add(f"{role} staff", "staff", [cost * int(c) for c in counts])
    for system in model.of(m.System):
        if system.cost is not None and not system.library:
            cost = system.cost * HOURS_PER_MONTH
            add(f"{system.name} (current)", "current systems", [cost] * grid.months)
    for site in today_sites(model, baseline):
        count = seats.get(site.name, 0)
        if site.rent is not None and site.area_per_seat is not None:
            rent = site.rent.value * HOURS_PER_MONTH * site.area_per_seat * count
            add(f"{site.name} rent", "facility", [rent] * grid.months)
        if site.running is not None:
            per_month = site.running.value * HOURS_PER_MONTH * count
            add(f"{site.name} running", "facility", [per_month] * grid.months)
    return fin.Statement(lines, grid.start_year, grid.start_month, horizon=grid.months)
