"""Document 5, the project phasing plan: phases, work items and why each sits where it
is, pilots, the critical path and a Gantt chart, all read from ``planning.plan``.

Plan positions are exact month offsets from the start of the horizon (month 0) and may be
fractions (``effort 6 weeks`` is about 1.38 months). They become calendar dates with
:func:`month_date`: whole months count calendar months, the fraction is that share of the
days of the calendar month it falls in, rounded down to a whole day. Starts and ends use
the same conversion, and ends are exclusive (an item ending at month 2 is live from the
first day of month 2), so adjacent items share a date and never overlap.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from fractions import Fraction

import attrs

from blueprintc.documents.charts import Gantt, Task, drawable_gantt
from blueprintc.documents.context import Context, Where
from blueprintc.model import elements as m
from blueprintc.solve import phasing as ph

KIND_TITLES = {
    "component": "component",
    "channel": "channel launch",
    "migration": "migration",
    "practice": "practice",
}


def month_date(ctx: Context, offset: Fraction) -> str:
    """``YYYY-MM-DD`` of a month offset: whole calendar months, then the fraction of the
    days of the month it falls in, rounded down (month 2.5 from January is March 16)."""
    whole = math.floor(offset)
    grid = ctx.outcome.grid
    assert grid is not None
    year, month = grid.year_month(whole)
    days = calendar.monthrange(year, month)[1]
    day = math.floor((offset - whole) * days)
    return (dt.date(year, month, 1) + dt.timedelta(days=day)).isoformat()


def item_label(item_id: str) -> str:
    """What a reader calls a work item: ``acd``, ``balance_enquiry: voice to ivr``."""
    kind, _, name = item_id.partition(":")
    if kind == "migration":
        process, _, channels = name.partition(":")
        source, _, target = channels.partition("-")
        return f"{process}: {source} to {target}"
    return name


def item_title(item_id: str) -> str:
    """A label that tells items of different kinds apart (charts, chains): ``ivr launch``."""
    kind = item_kind(item_id)
    label = item_label(item_id)
    if kind == "channel":
        return f"{label} launch"
    if kind in ("migration", "practice"):
        return f"{kind} {label}"
    return label


def item_kind(item_id: str) -> str:
    return item_id.partition(":")[0]


def item_where(ctx: Context, item_id: str) -> Where | None:
    """The line that declares a work item (a migration: its ``migrate`` line)."""
    kind, _, name = item_id.partition(":")
    if kind == "migration":
        process_name, _, channels = name.partition(":")
        process = ctx.element("process", process_name)
        if isinstance(process, m.Process):
            for migration in process.migrations:
                if f"{migration.source.name}-{migration.target.name}" == channels:
                    return ctx.where_span(migration.span)
            return ctx.where(process)
        return None
    element = ctx.element(kind, name)
    return ctx.where(element) if element is not None else None


@attrs.frozen
class PhaseRow:
    """One phase: dates (end exclusive), length, money, and its critical chain."""

    name: str
    start: str
    end: str
    start_month: Fraction
    end_month: Fraction
    months: Fraction
    declared_months: Fraction | None
    overrun_months: Fraction
    after: tuple[str, ...]
    items: int
    cost: Fraction
    budget: Fraction | None
    budget_left: Fraction | None
    critical_chain: tuple[str, ...]
    chain_months: Fraction
    where: Where | None
    budget_where: Where | None


@attrs.frozen
class ItemRow:
    """One work item: where and when it is done and why it is in that phase.

    ``cause`` is the solver's (fixed, earliest, dependency, budget); ``held_by`` the item
    (dependency) or phase (budget) that held it back; ``end`` the go-live date (exclusive),
    after the pilot when there is one.
    """

    id: str
    name: str
    kind: str
    phase: str
    start: str
    end: str
    start_month: Fraction
    end_month: Fraction
    months: Fraction
    cost: Fraction
    cause: str
    held_by: str | None
    reason: str
    critical: bool
    where: Where | None


@attrs.frozen
class PhaseItems:
    """A phase's items, by start then name."""

    phase: str
    items: tuple[ItemRow, ...]


@attrs.frozen
class PilotRow:
    """Trial then roll-out: launched to ``share`` on ``launch``, fully rolled out on
    ``rollout``; ``until_phase_end`` when the pilot has no duration and runs to the phase
    end."""

    channel: str
    phase: str
    share: Fraction
    launch: str
    rollout: str
    months: Fraction
    until_phase_end: bool
    where: Where | None


@attrs.frozen
class PathStep:
    """One item of the critical path; ``phase`` None when the item could not be placed."""

    id: str
    name: str
    kind: str
    months: Fraction
    cumulative_months: Fraction
    phase: str | None
    where: Where | None


@attrs.frozen
class Issue:
    """Something the plan cannot honour (the solver's kind and message)."""

    kind: str
    message: str
    where: Where | None


@attrs.frozen
class PhasingView:
    """The phasing plan; ``declared`` is False when the blueprint has no phase."""

    declared: bool
    start: str
    end: str | None
    end_month: Fraction | None
    beyond_horizon: bool
    total_cost: Fraction
    total_budget: Fraction | None
    phases: tuple[PhaseRow, ...]
    items: tuple[PhaseItems, ...]
    pilots: tuple[PilotRow, ...]
    critical_path: tuple[PathStep, ...]
    critical_months: Fraction
    phase_months_added: Fraction | None
    unplaced: tuple[str, ...]
    issues: tuple[Issue, ...]
    gantt: Gantt | None


def placement_reason(schedule: ph.ItemSchedule, plan: ph.Plan) -> tuple[str | None, str]:
    """Why an item is in its phase, in words, and what held it back (None if nothing)."""
    held = schedule.held_by
    if schedule.cause == "fixed":
        return None, f"included in phase {schedule.phase} by the blueprint"
    if schedule.cause == "dependency" and held is not None:
        try:
            where = f" (phase {plan.item(held).phase})"
        except KeyError:
            where = ""
        label = f"{item_kind(held)} {item_label(held)}"
        return label, f"waits for {label}{where}"
    if schedule.cause == "budget" and held is not None:
        return held, f"the budget left in phase {held} could not take its cost"
    return None, "earliest phase: nothing holds it back"


def _phase_where(ctx: Context, name: str, field: str | None = None) -> Where | None:
    element = ctx.element("phase", name)
    return ctx.where(element, field) if element is not None else None


def _item_row(ctx: Context, plan: ph.Plan, schedule: ph.ItemSchedule) -> ItemRow:
    held_by, reason = placement_reason(schedule, plan)
    where = (
        _phase_where(ctx, schedule.phase, "includes")
        if schedule.cause == "fixed"
        else item_where(ctx, schedule.name)
    )
    return ItemRow(
        schedule.name,
        item_label(schedule.name),
        KIND_TITLES.get(schedule.kind, schedule.kind),
        schedule.phase,
        month_date(ctx, schedule.start),
        month_date(ctx, schedule.end),
        schedule.start,
        schedule.end,
        schedule.end - schedule.start,
        schedule.cost,
        schedule.cause,
        held_by,
        reason,
        schedule.name in plan.critical_path,
        where,
    )


def _phase_row(ctx: Context, phase: ph.PhaseSchedule) -> PhaseRow:
    element = ctx.element("phase", phase.name)
    after = tuple(r.name for r in element.after) if isinstance(element, m.Phase) else ()
    return PhaseRow(
        phase.name,
        month_date(ctx, phase.start),
        month_date(ctx, phase.end),
        phase.start,
        phase.end,
        phase.end - phase.start,
        phase.duration,
        phase.overrun,
        after,
        len(phase.items),
        phase.cost,
        phase.budget,
        phase.left,
        tuple(item_title(name) for name in phase.critical_chain),
        phase.chain_length,
        _phase_where(ctx, phase.name),
        _phase_where(ctx, phase.name, "budget") if phase.budget is not None else None,
    )


def _pilot_where(ctx: Context, phase: str, channel: str) -> Where | None:
    element = ctx.element("phase", phase)
    if isinstance(element, m.Phase):
        for pilot in element.pilots:
            if pilot.channel.name == channel:
                return ctx.where_span(pilot.span)
    return None


def _pilots(ctx: Context, plan: ph.Plan) -> tuple[PilotRow, ...]:
    rows = []
    for item in plan.items:
        if item.pilot_share is None or item.pilot_start is None or item.pilot_end is None:
            continue
        name = item_label(item.name)
        element = ctx.element("phase", item.phase)
        open_ended = isinstance(element, m.Phase) and any(
            p.channel.name == name and p.duration is None for p in element.pilots
        )
        rows.append(
            PilotRow(
                name,
                item.phase,
                item.pilot_share,
                month_date(ctx, item.pilot_start),
                month_date(ctx, item.pilot_end),
                item.pilot_end - item.pilot_start,
                open_ended,
                _pilot_where(ctx, item.phase, name),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.launch, r.channel)))


def _critical_path(ctx: Context, plan: ph.Plan) -> tuple[PathStep, ...]:
    steps = []
    total = Fraction(0)
    durations = {item.name: item.duration_months for item in ctx.outcome.work_items}
    for name in plan.critical_path:
        try:
            schedule: ph.ItemSchedule | None = plan.item(name)
        except KeyError:
            schedule = None
        # An unplaced item (only in plans the compiler rejects) counts its own duration.
        months = (
            schedule.end - schedule.start
            if schedule is not None
            else durations.get(name, Fraction(0))
        )
        total += months
        steps.append(
            PathStep(
                name,
                item_label(name),
                KIND_TITLES.get(item_kind(name), item_kind(name)),
                months,
                total,
                schedule.phase if schedule is not None else None,
                item_where(ctx, name),
            )
        )
    return tuple(steps)


def _gantt(ctx: Context, plan: ph.Plan, items: tuple[PhaseItems, ...]) -> Gantt | None:
    """One section per phase: the phase's bar, then its items; a piloted channel shows its
    launch work and its pilot as two bars."""
    tasks: list[Task] = []
    schedules = {s.name: s for s in plan.items}
    for phase, group in zip(plan.phases, items, strict=True):
        section = phase.name
        start, end = month_date(ctx, phase.start), month_date(ctx, phase.end)
        tasks.append(Task(f"p{len(tasks) + 1}", f"phase {phase.name}", section, start, end))
        for row in group.items:
            schedule = schedules[row.id]
            title = item_title(row.id)
            if schedule.pilot_start is not None and schedule.pilot_end is not None:
                launch = month_date(ctx, schedule.pilot_start)
                share = schedule.pilot_share or Fraction(1)
                tasks.append(
                    Task(f"t{len(tasks) + 1}", title, section, row.start, launch, row.critical)
                )
                pilot = f"{row.name} pilot ({float(share * 100):g}%)"
                rollout = month_date(ctx, schedule.pilot_end)
                tasks.append(
                    Task(f"t{len(tasks) + 1}", pilot, section, launch, rollout, row.critical)
                )
            else:
                tasks.append(
                    Task(f"t{len(tasks) + 1}", title, section, row.start, row.end, row.critical)
                )
    return drawable_gantt(Gantt("phasing-gantt", "Project phasing plan", tuple(tasks)))


def build(ctx: Context) -> PhasingView:
    """The phasing plan of the blueprint, or an empty view when it declares no phase."""
    start = month_date(ctx, Fraction(0))
    plan = ctx.outcome.plan
    if plan is None:
        return PhasingView(
            False, start, None, None, False, Fraction(0), None, (), (), (), (), Fraction(0),
            None, (), (), None,
        )  # fmt: skip
    phases = tuple(_phase_row(ctx, p) for p in plan.phases)
    schedules = {s.name: s for s in plan.items}
    items = tuple(
        PhaseItems(p.name, tuple(_item_row(ctx, plan, schedules[n]) for n in p.items))
        for p in plan.phases
    )
    budgets = [p.budget for p in plan.phases if p.budget is not None]
    issues = tuple(
        Issue(
            problem.kind,
            problem.message or problem.kind,
            item_where(ctx, problem.items[0]) if problem.items else None,
        )
        for problem in plan.infeasibilities
    )
    critical = _critical_path(ctx, plan)
    return PhasingView(
        declared=True,
        start=start,
        end=month_date(ctx, plan.end),
        end_month=plan.end,
        beyond_horizon=plan.end > len(ctx.outcome.months),
        total_cost=sum((p.cost for p in plan.phases), Fraction(0)),
        total_budget=sum(budgets, Fraction(0)) if len(budgets) == len(phases) else None,
        phases=phases,
        items=items,
        pilots=_pilots(ctx, plan),
        critical_path=critical,
        critical_months=plan.critical_length,
        phase_months_added=plan.end - plan.critical_length,
        unplaced=tuple(item_label(n) for n in plan.unplaced),
        issues=issues,
        gantt=_gantt(ctx, plan, items),
    )
