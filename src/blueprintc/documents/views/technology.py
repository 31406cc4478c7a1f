"""Document 2, the technology design: components, capacity, interval staffing, integrations.

Every figure comes from the compiled results: agents, FTE and seats from ``sizing``, go-live
months from the plan's timing, licence counts from the cost builder of
``planning.costs`` (the same seats and users the cost lines were priced on) and cost
totals from the statement.
"""

from __future__ import annotations

import math
from fractions import Fraction

import attrs
import numpy as np

from blueprintc.documents import charts
from blueprintc.documents.context import Context, Where
from blueprintc.model import elements as m
from blueprintc.outcome import HOURS_PER_MONTH, Binding, QueueMonths, Unit
from blueprintc.solve import finance as fin
from blueprintc.solve.finance import CostKind as K
from blueprintc.solve.finance import OwnerKind as O

DIAGRAM_KEY = "technology-components"
INTERVAL_CHART_KEY = "technology-interval-agents"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Cost fields that can be priced per seat or per user, and the statement line each makes.
LICENSED_FIELDS = (
    ("licence", K.LICENCES),
    ("subscription", K.SUBSCRIPTION),
    ("hosting", K.HOSTING),
)


@attrs.frozen
class ComponentRow:
    """One technology component of the design."""

    name: str
    kind: str | None
    deployment: str | None  # the component's own deployment model (cloud, onprem, ...)
    options: tuple[str, ...]  # other deployment models it is priced for, differently
    vendor: str | None
    channels: tuple[str, ...]
    requires: tuple[str, ...]
    replaces: tuple[str, ...]
    live: str  # YYYY-MM the plan puts it live ("after the horizon" when later)
    description: str | None
    where: Where | None
    as_designed: tuple[str, ...] = ()  # options priced exactly as its own costs: no alternative


@attrs.frozen
class QueueCapacity:
    """Capacity of one queue (an assisted channel, or its outbound contacts)."""

    queue: str
    channel: str
    mode: str
    peak_agents: int  # most agents logged in at once over the horizon
    peak_agents_month: str
    concurrency: float
    sessions: int | None  # peak agents x concurrency, rounded up (None for deferred work)
    fte_peak: float  # FTE in the queue's busiest month (its most FTE)
    fte_average: float  # average FTE over the horizon's months
    headcount_peak: int  # the most people the queue employs in a month (FTE rounded up)
    where: Where | None
    set_by: Binding | None = None  # what sets the peak agents (None: never staffed)


@attrs.frozen
class SupportRole:
    role: str
    people_peak: int  # people in the role in the peak month
    where: Where | None


@attrs.frozen
class CapacityTotals:
    """The whole center in its peak month."""

    peak_month: str
    peak_concurrent: int  # agents logged in at the center's busiest interval
    fte_peak: float  # agent FTE of the peak month
    support_peak: int  # support staff of the peak month
    total_fte_peak: float  # agent FTE + support staff of the peak month
    fte_average: float  # agent FTE, average of the months
    seats_needed: int  # seats needed at the peak, all sites
    seats_declared: int
    seats_spare: int  # declared minus needed


@attrs.frozen
class SiteCapacity:
    """Seats of one site: what it has and what the peak needs of it."""

    name: str
    location: str | None
    channels: tuple[str, ...]
    existing: bool
    share: float  # the site's share of the on-site staff
    seats_declared: int
    seats_needed: int
    spare: int  # declared minus needed (negative: short)
    where: Where | None


@attrs.frozen
class LicenceRow:
    """A cost priced per seat or per user, with the count it was priced on."""

    component: str
    option: str | None  # None: the design's own costs; else the deployment option
    cost: str  # licence (one-time), subscription or hosting (monthly)
    basis: str  # seat or user
    unit_price: Fraction  # per seat or user, one-time or a month
    count: int  # seats or users priced: the highest month charged
    total: Fraction  # the cost line over the horizon
    where: Where | None
    same_as: tuple[str, ...] = ()  # options priced exactly like this row (design rows only)


@attrs.frozen
class IntervalColumn:
    queue: str
    where: Where | None


@attrs.frozen
class IntervalRow:
    time: str  # HH:MM, the interval's start
    agents: tuple[int, ...]  # per queue, in the order of the columns
    total: int


@attrs.frozen
class IntervalStaffing:
    """Required agents per interval of the peak day of the peak month."""

    month: str
    day: str
    interval_minutes: int
    columns: tuple[IntervalColumn, ...]
    rows: tuple[IntervalRow, ...]  # intervals where a queue is open or staffed
    peak_total: int
    chart: charts.LineChart | None


@attrs.frozen
class Integration:
    """A ``requires`` dependency: ``component`` needs ``requires`` to work."""

    component: str
    requires: str
    declared: bool  # False when the required component is not in the blueprint
    channels: tuple[str, ...]  # channels both serve (else those the requiring one serves)
    processes: tuple[str, ...]  # processes and proactive contacts on those channels
    where: Where | None


@attrs.frozen
class SystemRow:
    """A current system and its fate."""

    name: str
    fate: str
    channels: tuple[str, ...]
    replaced_by: tuple[str, ...]
    cost_per_month: Fraction | None
    switched_off: str | None  # first month without its cost; None while it runs
    where: Where | None


@attrs.frozen
class TechnologyDesign:
    components: tuple[ComponentRow, ...]
    diagram: charts.Diagram | None
    capacity: tuple[QueueCapacity, ...]
    support: tuple[SupportRole, ...]
    totals: CapacityTotals
    sites: tuple[SiteCapacity, ...]
    licences: tuple[LicenceRow, ...]
    intervals: IntervalStaffing | None
    integrations: tuple[Integration, ...]
    systems: tuple[SystemRow, ...]


def build(ctx: Context) -> TechnologyDesign:
    """The technology design of a compiled blueprint."""
    components = ctx.of(m.Component)
    return TechnologyDesign(
        tuple(_component(ctx, c) for c in components),
        _diagram(ctx, components),
        tuple(_capacity(ctx, q) for q in ctx.outcome.queues),
        _support(ctx),
        _totals(ctx),
        _sites(ctx),
        _licences(ctx, components),
        _intervals(ctx),
        _integrations(ctx, components),
        _systems(ctx, components),
    )


# -- components ----------------------------------------------------------------------------


def _names(refs: tuple[m.Ref, ...]) -> tuple[str, ...]:
    return tuple(r.name for r in refs)


def _live(ctx: Context, ref: m.Ref) -> str:
    month = ctx.outcome.go_live(ref)
    return ctx.month(month) if month < len(ctx.outcome.months) else "after the horizon"


def as_designed(component: m.Component) -> tuple[str, ...]:
    """The component's options priced exactly as its own costs: the design again."""
    options = component.options
    return tuple(o for o in sorted(options) if options[o].same_prices(component.costs))


def _component(ctx: Context, component: m.Component) -> ComponentRow:
    same = as_designed(component)
    options = tuple(o for o in sorted(component.options) if o != component.model and o not in same)
    return ComponentRow(
        component.name,
        component.component_kind,
        component.model,
        options,
        component.vendor.name if component.vendor else None,
        _names(component.supports),
        _names(component.requires) + tuple(name for name, _ in component.missing_requires),
        _names(component.replaces),
        _live(ctx, component.ref),
        component.description,
        ctx.where(component),
        tuple(o for o in same if o != component.model),
    )


def _diagram(ctx: Context, components: tuple[m.Component, ...]) -> charts.Diagram | None:
    """Components grouped by deployment model, each labelled with the channels it serves;
    edges for what each requires and the current systems it replaces."""
    if not components:
        return None
    nodes: dict[str, charts.Node] = {}
    edges: list[charts.Edge] = []

    def node(kind: str, name: str, label: str, group: str) -> str:
        key = f"{kind}_{name}"
        nodes.setdefault(key, charts.Node(key, label, group))
        return key

    for component in components:
        served = ", ".join(_names(component.supports))
        label = f"{component.name} ({served})" if served else component.name
        node("component", component.name, label, component.model or "component")
    for component in components:
        source = f"component_{component.name}"
        for ref in component.requires:
            target = node("component", ref.name, ref.name, "component")
            edges.append(charts.Edge(source, target, "requires"))
        for ref in component.replaces:
            target = node("system", ref.name, ref.name, "current system")
            edges.append(charts.Edge(source, target, "replaces"))
    return charts.drawable(
        charts.Diagram(
            DIAGRAM_KEY, "Components and their dependencies", tuple(nodes.values()), tuple(edges)
        )
    )


# -- capacity ------------------------------------------------------------------------------


def _capacity(ctx: Context, queue: QueueMonths) -> QueueCapacity:
    busiest = int(np.argmax(queue.peak_agents)) if len(queue.peak_agents) else 0
    agents = int(queue.peak_agents.max(initial=0))
    concurrency = queue.concurrency
    sessions = None if queue.mode == "deferred" else math.ceil(agents * concurrency)
    return QueueCapacity(
        queue.name,
        queue.id.channel,
        queue.mode,
        agents,
        ctx.month(busiest),
        concurrency,
        sessions,
        queue.fte_peak,
        float(queue.fte.mean()) if len(queue.fte) else 0.0,
        int(queue.headcount.max(initial=0)),
        ctx.where(queue.channel),
        queue.binding.binding if queue.binding is not None else None,
    )


def _support(ctx: Context) -> tuple[SupportRole, ...]:
    peak = ctx.outcome.key.peak_month
    return tuple(
        SupportRole(x.role, int(x.people[peak]), ctx.where_role(x.role, "span"))
        for x in ctx.outcome.support
    )


def _totals(ctx: Context) -> CapacityTotals:
    outcome = ctx.outcome
    key, center = outcome.key, outcome.center
    peak = key.peak_month
    months = len(outcome.months) if center is not None else 0
    needed = key.seats
    declared = sum(s.seats for s in ctx.of(m.Site))
    return CapacityTotals(
        ctx.month(peak),
        int(center.peak_concurrent[peak]) if center is not None and months else 0,
        key.agent_fte_at_peak,
        int(center.support_people[peak]) if center is not None and months else 0,
        float(center.total_fte[peak]) if center is not None and months else 0.0,
        float(center.agent_fte.mean()) if center is not None and months else 0.0,
        needed,
        declared,
        declared - needed,
    )


def _sites(ctx: Context) -> tuple[SiteCapacity, ...]:
    rows = []
    for site in ctx.of(m.Site):
        computed = ctx.outcome.site(site.name)
        share, needed = (computed.share, computed.needed) if computed is not None else (1.0, 0)
        rows.append(
            SiteCapacity(
                site.name,
                site.location,
                _names(site.channels),
                site.existing,
                share,
                site.seats,
                needed,
                site.seats - needed,
                ctx.where(site, "seats"),
            )
        )
    return tuple(rows)


# -- licences ------------------------------------------------------------------------------


def _licences(ctx: Context, components: tuple[m.Component, ...]) -> tuple[LicenceRow, ...]:
    """Costs per seat or per user on the outcome's licence quantities (the busiest month
    from the component's go-live), which the cost lines count too."""
    rows = []
    for component in components:
        same = as_designed(component)  # priced as the design: its rows say so, no rows
        priced: list[tuple[str | None, m.Costs]] = [(None, component.costs)]
        priced += [(o, component.options[o]) for o in sorted(component.options) if o not in same]
        for option, costs in priced:
            statement = (
                ctx.outcome.statement
                if option is None
                else ctx.outcome.option_statements.get(option)
            )
            for field, kind in LICENSED_FIELDS:
                amount: m.Amount | None = getattr(costs, field)
                basis = _basis(amount)
                if amount is None or basis is None:
                    continue
                quantity = ctx.outcome.licence(component.name, Unit(basis))
                count = int(quantity.bought) if quantity is not None else 0
                price = amount.value * HOURS_PER_MONTH if amount.per_time else amount.value
                line = fin.LineId(O.COMPONENT, component.name, kind)
                total = statement.line_total(line) if statement is not None else Fraction(0)
                where = ctx.where(component, "option" if option else field)
                rows.append(
                    LicenceRow(
                        component.name,
                        option,
                        "licence" if field == "licence" else field,
                        basis,
                        fin.to_cents(price),
                        count,
                        total,
                        where,
                        same if option is None else (),
                    )
                )
    return tuple(rows)


def _basis(amount: m.Amount | None) -> str | None:
    if amount is None:
        return None
    if "seat" in amount.per:
        return "seat"
    if "user" in amount.per:
        return "user"
    return None


# -- interval staffing ---------------------------------------------------------------------


def _intervals(ctx: Context) -> IntervalStaffing | None:
    """The peak month's busiest day: the day of the center's busiest interval."""
    outcome = ctx.outcome
    queues, grid = outcome.queues, outcome.grid
    if not queues or grid is None or not grid.months:
        return None
    peak = outcome.key.peak_month
    assert outcome.center is not None
    total = outcome.center.peak_week
    day = int(np.unravel_index(int(np.argmax(total)), total.shape)[0])
    minutes = grid.interval // 60
    rows = []
    for slot in range(grid.per_day):
        agents = tuple(int(q.intervals.agents[peak, day, slot]) for q in queues)
        if sum(agents) or any(bool(q.open[day, slot]) for q in queues):
            start = slot * minutes
            rows.append(IntervalRow(f"{start // 60:02d}:{start % 60:02d}", agents, sum(agents)))
    columns = tuple(IntervalColumn(q.name, ctx.where(q.channel)) for q in queues)
    chart = charts.LineChart(
        INTERVAL_CHART_KEY,
        f"Required agents per interval, {DAY_NAMES[day]} of {ctx.month(peak)}",
        "interval",
        "agents",
        tuple(r.time for r in rows),
        charts.fewest_series(
            [
                charts.Series(q.name, tuple(float(r.agents[i]) for r in rows))
                for i, q in enumerate(queues)
            ],
            "{count} other queues",
        ),
    )
    return IntervalStaffing(
        ctx.month(peak),
        DAY_NAMES[day],
        minutes,
        columns,
        tuple(rows),
        max((r.total for r in rows), default=0),
        chart if rows else None,
    )


# -- integrations and current systems ------------------------------------------------------


def _channels_used(process: m.Process) -> set[str]:
    return {r.name for r in process.mix} | {g.target.name for g in process.migrations}


def _processes_on(ctx: Context, channels: tuple[str, ...]) -> tuple[str, ...]:
    """Processes, then proactive contacts, that use any of ``channels``, as declared."""
    wanted = set(channels)
    found = [p.name for p in ctx.of(m.Process) if _channels_used(p) & wanted]
    found += [o.name for o in ctx.of(m.Outbound) if o.channel.name in wanted]
    return tuple(found)


def _integrations(ctx: Context, components: tuple[m.Component, ...]) -> tuple[Integration, ...]:
    """One row per ``requires``: the channels both components serve carry its traffic."""
    rows = []
    for component in components:
        own = _names(component.supports)
        where = ctx.where(component, "requires")
        required = [(r.name, ctx.model.get(r), where) for r in component.requires]
        required += [(n, None, ctx.where_span(span)) for n, span in component.missing_requires]
        for name, other, place in required:
            channels = own
            if isinstance(other, m.Component):
                theirs = set(_names(other.supports))
                channels = tuple(c for c in own if c in theirs) or own
            rows.append(
                Integration(
                    component.name,
                    name,
                    other is not None,
                    channels,
                    _processes_on(ctx, channels),
                    place,
                )
            )
    return tuple(rows)


def _systems(ctx: Context, components: tuple[m.Component, ...]) -> tuple[SystemRow, ...]:
    statement = ctx.outcome.statement
    rows = []
    for system in ctx.of(m.System):
        replaced_by = tuple(c.name for c in components if system.ref in c.replaces)
        line = statement.line(fin.LineId(O.SYSTEM, system.name, K.CURRENT_SYSTEM))
        cost = line.months[0] if line is not None and line.months else None
        off = None
        if line is not None:
            paid = [i for i, v in enumerate(line.months) if v]
            if paid and paid[-1] + 1 < len(line.months):
                off = ctx.month(paid[-1] + 1)
        rows.append(
            SystemRow(
                system.name,
                system.fate,
                _names(system.supports),
                replaced_by,
                cost,
                off,
                ctx.where(system, "fate"),
            )
        )
    return tuple(rows)
