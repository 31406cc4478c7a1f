"""Document 3, facility design: sites, seats needed against seats declared, the occupancy
of seats by shift, and the fit-out and running cost of the buildings.

Seats are the sizing's (docs/sizing.md §4.6): agents logged in at the busiest interval of
the peak month plus the support staff, split over the sites by their shares. Occupancy by
shift looks at the same peak month's representative week, cut into four fixed six-hour
shifts (``SHIFTS``). Costs are the financial design's facility lines (docs/finance.md §3.5).
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.documents.charts import LineChart, Series
from blueprintc.documents.context import Context, Where, names
from blueprintc.model import elements as m
from blueprintc.outcome import DAY_NAMES
from blueprintc.solve import finance as fin
from blueprintc.solve import staffing as st

SHIFTS: tuple[tuple[str, int, int], ...] = (
    ("night", 0, 360),
    ("early", 360, 720),
    ("day", 720, 1080),
    ("late", 1080, 1440),
)
"""Shift name, first and end minute of the day: four six-hour shifts from midnight."""


@attrs.frozen
class Site:
    name: str
    location: str | None
    existing: bool
    channels: tuple[str, ...]
    share: float  # share of the staff on site, as the sizing splits them
    area_per_seat: Fraction | None  # square feet
    area: Fraction | None  # square feet, declared seats × area per seat
    where: Where | None


@attrs.frozen
class SeatRow:
    site: str
    seats_declared: int
    seats_needed: int  # at the busiest interval of the peak month
    spare: int  # declared − needed (negative: short)
    utilisation: float | None  # needed ÷ declared
    where: Where | None  # the `seats` line


@attrs.frozen
class SupportRow:
    role: str
    people: int


@attrs.frozen
class SeatNeed:
    """What the seats hold at the peak: agents logged in plus every support person."""

    peak_month: str
    agents_logged_in: int
    support: tuple[SupportRow, ...]
    on_site: int
    agent_headcount: int  # agents employed in the peak month
    staff_per_seat: float | None  # (agent headcount + support) ÷ declared seats


@attrs.frozen
class ShiftRow:
    """Seats occupied in one shift at one site (``site`` None: all sites)."""

    shift: str
    start: str  # HH:MM
    end: str  # HH:MM
    site: str | None
    busiest_at: str | None  # "Mon 10:00": the interval with the most agents logged in
    agents_busiest: int
    agents_average: float  # over every interval of the shift in the week
    seats: int
    occupancy_busiest: float | None  # agents_busiest ÷ seats
    occupancy_average: float | None


@attrs.frozen
class SiteCost:
    site: str
    existing: bool
    seats: int
    fitout_per_seat: Fraction | None
    fitout: Fraction  # capex, month 0, from the statement
    rent: Fraction  # opex over the horizon
    running: Fraction  # opex over the horizon
    rent_per_year: Fraction  # first project year
    running_per_year: Fraction
    total: Fraction  # fit-out + rent + running over the horizon
    where: Where | None  # the `fitout` line, else the site


@attrs.frozen
class BudgetRow:
    """A budget that covers sites, against the capital the design spends on them."""

    budget: str
    amount: Fraction
    year: int | None
    covers: tuple[str, ...]
    capex: Fraction
    headroom: Fraction  # amount − capex (negative: over budget)
    where: Where | None


@attrs.frozen
class FacilityDesign:
    sites: tuple[Site, ...]
    seats: tuple[SeatRow, ...]
    need: SeatNeed
    shifts: tuple[ShiftRow, ...]
    busiest_day_chart: LineChart | None
    costs: tuple[SiteCost, ...]
    cost_total: SiteCost | None
    budgets: tuple[BudgetRow, ...]


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def logged_in(ctx: Context) -> NDArray[np.int64]:
    """(7, n): agents logged in per interval of the peak month's week, all queues."""
    center = ctx.outcome.center
    assert center is not None
    return center.peak_week


def _sites(ctx: Context, shares: dict[str, float]) -> tuple[Site, ...]:
    return tuple(
        Site(
            s.name,
            s.location,
            s.existing,
            names(s.channels),
            shares[s.name],
            s.area_per_seat,
            s.area_per_seat * s.seats if s.area_per_seat is not None else None,
            ctx.where(s),
        )
        for s in ctx.of(m.Site)
    )


def _seats(ctx: Context) -> tuple[SeatRow, ...]:
    rows = []
    for s in ctx.of(m.Site):
        site = ctx.outcome.site(s.name)
        needed = site.needed if site is not None else 0
        rows.append(
            SeatRow(
                s.name,
                s.seats,
                needed,
                s.seats - needed,
                needed / s.seats if s.seats else None,
                ctx.where(s, "seats"),
            )
        )
    return tuple(rows)


def _need(ctx: Context) -> SeatNeed:
    outcome = ctx.outcome
    peak = outcome.key.peak_month
    support = tuple(SupportRow(x.role, int(x.people[peak])) for x in outcome.support)
    center = outcome.center
    agents = int(center.peak_concurrent[peak]) if center is not None and outcome.months else 0
    headcount = sum(int(q.headcount[peak]) for q in outcome.queues)
    declared = sum(s.seats for s in ctx.of(m.Site))
    people = headcount + sum(r.people for r in support)
    return SeatNeed(
        ctx.month(peak),
        agents,
        support,
        agents + sum(r.people for r in support),
        headcount,
        people / declared if declared else None,
    )


def _shifts(ctx: Context, shares: dict[str, float]) -> tuple[ShiftRow, ...]:
    sites = ctx.of(m.Site)
    if not sites:
        return ()
    week = logged_in(ctx)
    grid = ctx.outcome.grid
    assert grid is not None
    starts = grid.interval_starts()
    rows = []
    for shift, first, end in SHIFTS:
        band = week[:, (starts >= first) & (starts < end)]
        busiest = int(band.max(initial=0))
        average = float(band.mean()) if band.size else 0.0
        at = None
        if busiest > 0:
            day, slot = np.unravel_index(int(np.argmax(band)), band.shape)
            minute = first + int(slot) * (grid.interval // 60)
            at = f"{DAY_NAMES[int(day)]} {_clock(minute)}"
        split = st.seats(busiest, shares)
        declared = sum(s.seats for s in sites)
        rows.append(
            ShiftRow(
                shift,
                _clock(first),
                _clock(end),
                None,
                at,
                busiest,
                average,
                declared,
                busiest / declared if declared else None,
                average / declared if declared else None,
            )
        )
        for s in sites:
            agents = int(split[s.name])
            mean = average * shares[s.name]
            rows.append(
                ShiftRow(
                    shift,
                    _clock(first),
                    _clock(end),
                    s.name,
                    at,
                    agents,
                    mean,
                    s.seats,
                    agents / s.seats if s.seats else None,
                    mean / s.seats if s.seats else None,
                )
            )
    return tuple(rows)


def _busiest_day_chart(ctx: Context) -> LineChart | None:
    week = logged_in(ctx)
    if not week.any():
        return None
    day = int(np.argmax(week.max(axis=1)))
    declared = sum(s.seats for s in ctx.of(m.Site))
    grid = ctx.outcome.grid
    assert grid is not None
    labels = tuple(_clock(int(v)) for v in grid.interval_starts())
    peak = ctx.outcome.month(ctx.outcome.key.peak_month)
    series = [Series("agents logged in", tuple(float(v) for v in week[day]))]
    if declared:
        series.append(Series("seats declared", tuple(float(declared) for _ in labels)))
    return LineChart(
        "facility-busiest-day",
        f"Agents logged in on the busiest day ({DAY_NAMES[day]}, {peak})",
        "time of day",
        "agents",
        labels,
        tuple(series),
    )


def _line(statement: fin.Statement, site: str, kind: fin.CostKind) -> tuple[Fraction, ...]:
    line = statement.line(fin.LineId(fin.OwnerKind.SITE, site, kind))
    return line.months if line is not None else (Fraction(0),) * statement.horizon


def _costs(ctx: Context) -> tuple[tuple[SiteCost, ...], SiteCost | None]:
    statement = ctx.outcome.statement
    rows = []
    for s in ctx.of(m.Site):
        fitout = sum(_line(statement, s.name, fin.CostKind.FIT_OUT), Fraction(0))
        rent = _line(statement, s.name, fin.CostKind.RENT)
        running = _line(statement, s.name, fin.CostKind.RUNNING)
        rows.append(
            SiteCost(
                s.name,
                s.existing,
                s.seats,
                s.fitout.value if s.fitout is not None else None,
                fitout,
                sum(rent, Fraction(0)),
                sum(running, Fraction(0)),
                sum(rent[:12], Fraction(0)),
                sum(running[:12], Fraction(0)),
                fitout + sum(rent, Fraction(0)) + sum(running, Fraction(0)),
                ctx.where(s, "fitout") if s.fitout is not None else ctx.where(s),
            )
        )
    if not rows:
        return (), None
    zero = Fraction(0)
    total = SiteCost(
        "all sites",
        all(r.existing for r in rows),
        sum(r.seats for r in rows),
        None,
        sum((r.fitout for r in rows), zero),
        sum((r.rent for r in rows), zero),
        sum((r.running for r in rows), zero),
        sum((r.rent_per_year for r in rows), zero),
        sum((r.running_per_year for r in rows), zero),
        sum((r.total for r in rows), zero),
        None,
    )
    return tuple(rows), total


def _budgets(ctx: Context) -> tuple[BudgetRow, ...]:
    sites = {s.name for s in ctx.of(m.Site)}
    statement = ctx.outcome.statement
    rows = []
    for budget in ctx.of(m.Budget):
        covered = tuple(r.name for r in budget.covers if r.name in sites)
        if not covered:
            continue
        capex = Fraction(0)
        for line in statement.lines:
            if line.category == "capex" and line.id is not None and line.id.owner in covered:
                months = line.months
                if budget.year is not None:
                    months = months[(budget.year - 1) * 12 : budget.year * 12]
                capex += sum(months, Fraction(0))
        rows.append(
            BudgetRow(
                budget.name,
                budget.amount,
                budget.year,
                covered,
                capex,
                budget.amount - capex,
                ctx.where(budget, "amount"),
            )
        )
    return tuple(rows)


def build(ctx: Context) -> FacilityDesign:
    """The facility design of a compiled blueprint."""
    shares = {s.site: s.share for s in ctx.outcome.sites}
    costs, total = _costs(ctx)
    return FacilityDesign(
        _sites(ctx, shares),
        _seats(ctx),
        _need(ctx),
        _shifts(ctx, shares),
        _busiest_day_chart(ctx),
        costs,
        total,
        _budgets(ctx),
    )
