"""The sizing pass: agents per interval, FTE per month, support staff and seats.

Each assisted channel is a queue (its outbound contacts a queue of their own); the
numerical work is done by :mod:`blueprintc.solve.staffing` on arrays. This module turns the
model into those arrays, and the results into figures and diagnostics.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import partial
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.diagnostics import DiagnosticSink, Label
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import number
from blueprintc.model.model import Model
from blueprintc.sizing.calendar import Grid, grid_of
from blueprintc.sizing.kept import kept_cells
from blueprintc.sizing.timeline import Timeline, always_live, migration_id, opening_month
from blueprintc.sizing.workload import ChannelWork, Workload, build_workload, rebuild_workload
from blueprintc.solve import staffing as st
from blueprintc.source import Span

DEFAULT_PAID_HOURS = 37.5  # a common full-time week; used only without a `staffing` block
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_AGENTS_PER_INTERVAL = 1_000_000
"""The most agents one interval's work may keep busy; the queueing models stop there."""
MAX_SIZED_INTERVALS = 30_000_000
"""Queues x months x intervals of a week sized in one compilation (memory: about 55 bytes
each for every array of a queue's result)."""


@attrs.frozen(eq=False, repr=False)
class QueueSizing:
    """One queue's work, policy and staffing."""

    work: ChannelWork
    spec: st.QueueSpec
    intervals: st.Intervals
    monthly: st.MonthlyStaff
    _memo: dict[str, st.Bound | None] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def binding(self) -> st.Bound | None:
        """What sets the queue's agents at its busiest interval over the horizon (the first
        of the most agents), or None when it never has an agent; found on first use."""
        if "binding" not in self._memo:
            self._memo["binding"] = _binding(self)
        return self._memo["binding"]

    def __repr__(self) -> str:
        """One line: ``<QueueSizing voice: peak 180 agents, 243.1 FTE at most>``."""
        peak = int(self.monthly.peak_agents.max(initial=0))
        fte = float(self.monthly.fte.max(initial=0))
        return f"<QueueSizing {self.name}: peak {peak} agents, {fte:.1f} FTE at most>"


@attrs.frozen(eq=False, repr=False)
class Sizing:
    """The sized center: per queue, per month, and the totals."""

    grid: Grid
    workload: Workload
    queues: tuple[QueueSizing, ...]
    paid_hours_per_week: float
    timeline: Timeline
    agent_fte: NDArray[np.float64]  # (months,)
    support: dict[str, NDArray[np.int64]]  # role -> (months,)
    peak_concurrent: NDArray[np.int64]  # (months,) agents logged in at the busiest interval
    seats: dict[str, int]  # site -> seats needed at the peak of the horizon
    peak_month: int
    site_seats: dict[str, NDArray[np.int64]] = attrs.field(factory=dict)  # site -> (months,)
    concurrent: NDArray[np.int64] = attrs.field(factory=lambda: np.zeros((0, 7, 0), np.int64))
    """(months, 7, n): agents logged in at each interval of the representative weeks."""
    headcount: NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, np.int64))
    """(months,): agents employed, the queues' headcounts together."""
    agent_fte_exact: tuple[Fraction, ...] = ()
    """The queues' FTE together per month, exact (``agent_fte`` rounds it to floats)."""
    _by_channel: dict[tuple[str, bool], tuple[int, QueueSizing]] = attrs.field(
        factory=dict, init=False
    )

    @property
    def support_total(self) -> NDArray[np.int64]:
        total = np.zeros(self.grid.months, dtype=np.int64)
        for counts in self.support.values():
            total = total + counts
        return total

    @property
    def total_fte(self) -> NDArray[np.float64]:
        return self.agent_fte + self.support_total

    def __repr__(self) -> str:
        """One line: ``<Sizing 36 months from 2027-01: 5 queues, peak month 2027-11,
        420.5 FTE, 310 seats>`` (FTE and seats at the peak)."""
        grid, peak = self.grid, self.peak_month
        fte = float(self.total_fte[peak]) if grid.months else 0.0
        return (
            f"<Sizing {grid.months} months from {grid.label(0)}: {len(self.queues)} queues, "
            f"peak month {grid.label(peak)}, {fte:.1f} FTE, {sum(self.seats.values())} seats>"
        )

    def queue(self, channel: str, outbound: bool = False) -> QueueSizing | None:
        """The queue of a channel (its outbound queue with ``outbound``), if it has one."""
        found = self._index().get((channel, outbound))
        return found[1] if found is not None else None

    def queues_on(self, channels: set[str]) -> list[QueueSizing]:
        """The queues (inbound and outbound) of the channels named, in sizing order."""
        index = self._index()
        found = (index.get((name, way)) for name in channels for way in (False, True))
        return [queue for _, queue in sorted(f for f in found if f is not None)]

    def _index(self) -> dict[tuple[str, bool], tuple[int, QueueSizing]]:
        if not self._by_channel and self.queues:
            for position, queue in enumerate(self.queues):
                key = (queue.work.channel.name, queue.work.outbound)
                self._by_channel.setdefault(key, (position, queue))
        return self._by_channel


def queue_spec(channel: m.Channel, work: ChannelWork, grid: Grid, model: Model) -> st.QueueSpec:
    """The staffing policy of one queue, from its channel and the staffing block."""
    staffing = model.staffing
    minimum = max(channel.minimum_agents, staffing.minimum_agents if staffing else 0)
    target = channel.response if channel.mode == "deferred" else channel.target
    mode = "outbound" if work.outbound else channel.mode
    return st.QueueSpec(
        name=f"{channel.name} (outbound)" if work.outbound else channel.name,
        mode=mode,
        interval=float(grid.interval),
        target_level=float(target.level) if target and mode != "outbound" else None,
        target_time=float(target.within) if target and mode != "outbound" else None,
        definition=target.definition if target else "offered",
        patience=_float(channel.patience) if mode == "realtime" else None,
        max_abandon=_float(channel.max_abandon) if mode == "realtime" else None,
        max_asa=_float(channel.max_asa) if mode == "realtime" else None,
        max_occupancy=_float(channel.occupancy),  # every mode: an agent-side limit
        concurrency=float(channel.concurrency) if mode == "realtime" else 1.0,
        minimum_agents=minimum if not work.outbound else 0,
        shrinkage=float(channel.shrinkage or 0),
    )


def _span(element: m.Element, field: str) -> Span:
    origin = element.origin(field)
    return origin.span if origin is not None and origin.span is not None else element.span


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def size(
    model: Model,
    sink: DiagnosticSink,
    timeline: Timeline | None = None,
    reuse: Sizing | None = None,
) -> Sizing:
    """Size every assisted channel of the model month by month, as the ``timeline`` puts
    the design in operation (everything from the first month without one); problems go to
    ``sink``. A queue of ``reuse`` whose policy and work are unchanged keeps its result."""
    grid = grid_of(model.blueprint)
    timeline = timeline or always_live(grid.months)
    staffing = model.staffing
    paid_hours = float(staffing.paid_hours_per_week) if staffing else DEFAULT_PAID_HOURS
    if not _within_interval_limit(model, grid, sink):
        return _totals(model, grid, Workload(grid, ()), (), paid_hours, timeline, sink)
    workload = build_workload(model, grid, timeline)
    _report_early_migrations(model, grid, timeline, sink)
    for gap in workload.missing_handle_times:
        sink.report(
            C.MISSING_HANDLE_TIME,
            f"`{gap.process.name}` sends contacts to `{gap.channel.name}` but gives no handle "
            "time for it",
            _span(gap.process, "mix" if isinstance(gap.process, m.Process) else "channel"),
            labels=(Label(gap.channel.span, "an assisted channel"),),
        )
    queues = _size_queues(model, grid, timeline, workload.channels, sink, reuse)
    if queues and staffing is None:
        source = model.blueprint.span
        sink.report(C.NO_STAFFING_POLICY, "the blueprint has no `staffing` block", source)
    return _totals(model, grid, workload, tuple(queues), paid_hours, timeline, sink)


@attrs.frozen(eq=False)
class _Pending:
    """A queue to size: its work, policy and load."""

    work: ChannelWork
    spec: st.QueueSpec
    load: st.QueueLoad


def _size_queues(
    model: Model,
    grid: Grid,
    timeline: Timeline,
    works: tuple[ChannelWork, ...] | list[ChannelWork],
    sink: DiagnosticSink,
    reuse: Sizing | None,
) -> tuple[QueueSizing, ...]:
    """The queues of ``works`` sized, in their order (the realtime ones in batches:
    `staffing.interval_agents_many`); a queue of ``reuse`` with the same policy and work
    keeps its result."""
    found = [_prepare(model, grid, work, sink, reuse) for work in works]
    pending = [(index, p) for index, p in enumerate(found) if isinstance(p, _Pending)]
    staffing = model.staffing
    paid_hours = float(staffing.paid_hours_per_week) if staffing else DEFAULT_PAID_HOURS
    done: dict[int, QueueSizing] = {}
    loads = [(p.spec, p.load) for _, p in pending]

    def reduced(position: int, result: st.IntervalResult) -> _Reduced:
        """What a queue keeps, made where it was sized (this process, a sizing thread or
        a child process: `staffing.interval_agents_many`)."""
        queue = pending[position][1]
        live = timeline.availability(queue.work.channel.ref)
        result = _in_operation(result, live)
        monthly = st.monthly_staff(queue.spec, result, paid_hours)
        return _reduced(queue.spec, queue.work, result, monthly)

    for position, kept in st.interval_agents_many(loads, reduced, kept_cells(model)):
        index, queue = pending[position]
        live = timeline.availability(queue.work.channel.ref)
        intervals = _intervals(queue.spec, queue.work, live, kept)
        _report_infeasible(queue.spec, queue.work.channel, intervals.infeasible, grid, sink)
        done[index] = QueueSizing(queue.work, queue.spec, intervals, kept.monthly)
    return tuple(
        done[index] if isinstance(p, _Pending) else p
        for index, p in enumerate(found)
        if p is not None
    )


def _prepare(
    model: Model, grid: Grid, work: ChannelWork, sink: DiagnosticSink, reuse: Sizing | None
) -> QueueSizing | _Pending | None:
    """A channel's queue to size, the queue of ``reuse`` it keeps, or None when it is not an
    agents' queue, has no work or is too large to size (reported)."""
    channel = work.channel
    if not channel.assisted:
        return None
    _report_lost(model, work, sink)
    if work.monthly.sum() <= 0 and channel.minimum_agents == 0:
        return None
    if channel.shrinkage is None and not work.outbound:
        sink.report(C.NO_SHRINKAGE, f"the channel `{channel.name}` has no shrinkage", channel.span)
    spec = queue_spec(channel, work, grid, model)
    kept = _unchanged(reuse, spec, work)
    if kept is not None:
        return kept
    load = st.QueueLoad(work.contacts, _handle_times(work), work.open)
    if not _within_agent_limit(spec, channel, load, grid, sink):
        return None
    return _Pending(work, spec, load)


@attrs.frozen
class _Reduced:
    """What a sized queue keeps of its intervals and months, in plain arrays (it may come
    back from a child process): `_intervals` makes its `staffing.Intervals`."""

    agents: NDArray[np.integer[Any]]
    contacts: NDArray[np.float64] | None  # None: the same bits as the work's contacts
    infeasible: NDArray[np.bool_] | None  # None: no interval is
    sums: Mapping[str, tuple[float, float]]
    monthly: st.MonthlyStaff
    result: st.IntervalResult | None  # a deferred or outbound queue's, kept whole


def _reduced(
    spec: st.QueueSpec, work: ChannelWork, result: st.IntervalResult, monthly: st.MonthlyStaff
) -> _Reduced:
    """What a queue keeps (`staffing.Intervals`): a realtime queue's figures of a month
    are computed again on request (each interval's staffing depends on that interval
    alone); deferred and outbound queues, cheap and few, keep theirs."""
    contacts = None if _same_bits(result.contacts, work.contacts) else result.contacts
    infeasible = result.infeasible if result.infeasible.any() else None
    whole = None if spec.mode == "realtime" else result
    agents = _narrow(result.agents)
    return _Reduced(agents, contacts, infeasible, st.weighted_sums(result), monthly, whole)


def _intervals(
    spec: st.QueueSpec, work: ChannelWork, live: NDArray[np.float64], kept: _Reduced
) -> st.Intervals:
    """A queue's `staffing.Intervals` from what it keeps (`_reduced`)."""
    contacts = work.contacts if kept.contacts is None else kept.contacts  # one array, not two
    infeasible = kept.infeasible
    if infeasible is None:
        infeasible = np.broadcast_to(np.False_, kept.agents.shape)  # no memory
    detail = (
        partial(st.month_of, kept.result)
        if kept.result is not None
        else partial(_realtime_month, spec, work, live)
    )
    return st.Intervals(kept.agents, contacts, infeasible, kept.sums, detail)


def _same_bits(a: NDArray[np.float64], b: NDArray[np.float64]) -> bool:
    """Whether two float arrays hold the same bits (0.0 is not -0.0), without copies."""
    return a.shape == b.shape and np.array_equal(
        np.ascontiguousarray(a).view(np.uint64), np.ascontiguousarray(b).view(np.uint64)
    )


def _narrow(agents: NDArray[np.int64]) -> NDArray[np.integer[Any]]:
    """The same whole numbers in the narrowest of 16 or 32 bits that holds them (a large
    center keeps one such array a queue: a quarter or half of the memory)."""
    top = int(agents.max(initial=0))
    for dtype in (np.int16, np.int32):
        if top <= np.iinfo(dtype).max:
            return agents.astype(dtype)
    return agents


def _binding(queue: QueueSizing) -> st.Bound | None:
    """`QueueSizing.binding`: the busiest interval's month sized again, limit by limit."""
    agents = queue.intervals.agents
    if not agents.size or int(agents.max()) <= 0:
        return None
    month, day, interval = (int(v) for v in np.unravel_index(int(np.argmax(agents)), agents.shape))
    work, span = queue.work, slice(month, month + 1)
    contacts = work.contacts[span]
    handle = np.broadcast_to(work.handle_time[span, None, None], contacts.shape)
    found = st.binding(queue.spec, st.QueueLoad(contacts, handle, work.open), day, interval)
    return attrs.evolve(found, month=month)


def _realtime_month(
    spec: st.QueueSpec, work: ChannelWork, live: NDArray[np.float64], month: int
) -> st.IntervalResult:
    """One month of a realtime queue sized again: the figures sizing found for it."""
    if not 0 <= month < work.contacts.shape[0]:
        raise IndexError(f"month {month} is outside the horizon")
    span = slice(month, month + 1)
    contacts = work.contacts[span]
    handle = np.broadcast_to(work.handle_time[span, None, None], contacts.shape)
    load = st.QueueLoad(contacts, handle, work.open)
    return st.month_of(_in_operation(st.interval_agents(spec, load), live[span]), 0)


def resize(model: Model, sizing: Sizing, changed: frozenset[m.Ref]) -> Sizing:
    """``model``, a variant of the model ``sizing`` sized in which only the processes
    ``changed`` differ (the design without one lever), sized under the same timeline.

    Incremental: only the channels those processes send contacts to get their work built
    again, only their queues are sized again, and the center's totals are the sized
    center's with those queues' figures taken out and the new ones put in (in whole agents
    and exact FTE, so the result is the one a full sizing gives). Its diagnostics are
    dropped."""
    grid, sink = sizing.grid, DiagnosticSink()
    workload = rebuild_workload(model, grid, sizing.timeline, sizing.workload, changed)
    before = {id(work) for work in sizing.workload.channels}
    old = {id(queue.work): queue for queue in sizing.queues}
    queues: list[QueueSizing] = []
    gone: list[QueueSizing] = []
    new: list[QueueSizing] = []
    for work in workload.channels:
        if id(work) in before:  # unchanged work: the sized queue (if any) stands
            if id(work) in old:
                queues.append(old[id(work)])
            continue
        previous = sizing.queue(work.channel.name, work.outbound)
        if previous is not None:
            gone.append(previous)
        for sized in _size_queues(model, grid, sizing.timeline, [work], sink, sizing):
            queues.append(sized)
            new.append(sized)
    return _totals(
        model,
        grid,
        workload,
        tuple(queues),
        sizing.paid_hours_per_week,
        sizing.timeline,
        sink,
        (sizing, tuple(gone), tuple(new)),
    )


def _unchanged(reuse: Sizing | None, spec: st.QueueSpec, work: ChannelWork) -> QueueSizing | None:
    """The queue of ``reuse`` with this policy and exactly this work, if there is one."""
    found = reuse.queue(work.channel.name, work.outbound) if reuse is not None else None
    if found is None or found.spec != spec:
        return None
    same = (
        np.array_equal(found.work.contacts, work.contacts)
        and np.array_equal(found.work.handle_time, work.handle_time)
        and np.array_equal(found.work.open, work.open)
    )
    return found if same else None


def _report_early_migrations(
    model: Model, grid: Grid, timeline: Timeline, sink: DiagnosticSink
) -> None:
    """Migrations whose ``by`` month comes before the plan can start them (CXB0608)."""
    if not timeline.live:
        return
    for process in model.of(m.Process):
        for migration in process.migrations:
            begin = timeline.live.get(migration_id(process, migration))
            if migration.by is None or begin is None or grid.index_of(*migration.by) >= begin:
                continue
            target = migration.target
            launch = (
                f"`{target.name}` goes live in {grid.label(timeline.go_live(target))} and "
                if target in timeline.launched
                else ""
            )
            by = f"{migration.by[0]}-{migration.by[1]:02d}"
            sink.report(
                C.MIGRATION_BEFORE_LAUNCH,
                f"the move from `{migration.source.name}` to `{target.name}` is due by {by} "
                f"but {launch}the plan does it in {grid.label(begin)}; the volume moves from then",
                migration.span,
                help="move the `by` month after the launch, or launch the target channel in an "
                "earlier phase",
            )


def _in_operation(result: st.IntervalResult, live: NDArray[np.float64]) -> st.IntervalResult:
    """No agents (not even the channel's minimum) in the months before its launch."""
    waiting = live <= 0
    if not waiting.any():
        return result
    agents = np.where(waiting[:, None, None], 0, result.agents).astype(np.int64)
    return attrs.evolve(
        result, agents=agents, infeasible=result.infeasible & ~waiting[:, None, None]
    )


def _within_interval_limit(model: Model, grid: Grid, sink: DiagnosticSink) -> bool:
    """Whether the queues' intervals are within ``MAX_SIZED_INTERVALS`` (reported if not)."""
    channels = [c for c in model.of(m.Channel) if not c.library and c.assisted]
    outbound = {o.channel for o in model.of(m.Outbound)}
    queues = len(channels) + len(outbound)
    cells = queues * grid.months * 7 * grid.per_day
    if cells <= MAX_SIZED_INTERVALS:
        return True
    sink.report(
        C.TOO_MANY_INTERVALS,
        f"{queues:,} queues over {grid.months} months of {7 * grid.per_day} intervals a week "
        f"are {cells:,} intervals to size; one compilation sizes at most "
        f"{MAX_SIZED_INTERVALS:,}",
        _span(model.blueprint, "horizon"),
    )
    return False


def _within_agent_limit(
    spec: st.QueueSpec, channel: m.Channel, load: st.QueueLoad, grid: Grid, sink: DiagnosticSink
) -> bool:
    """Whether every interval's work keeps at most ``MAX_AGENTS_PER_INTERVAL`` agents busy."""
    busy = load.contacts * load.handle_time / (spec.interval * spec.concurrency)
    peak = float(busy.max(initial=0.0))
    if peak <= MAX_AGENTS_PER_INTERVAL:
        return True
    month, day, interval = (int(v) for v in np.unravel_index(int(np.argmax(busy)), busy.shape))
    start = interval * grid.interval // 60
    when = f"{grid.label(month)}, {DAY_NAMES[day]} {start // 60:02d}:{start % 60:02d}"
    sink.report(
        C.INTERVAL_WORKLOAD_TOO_LARGE,
        f"the work arriving at `{spec.name}` in one interval ({when}) would keep "
        f"{number(Fraction(round(peak)), 0)} agents busy; sizing stops at "
        f"{MAX_AGENTS_PER_INTERVAL:,} agents an interval",
        channel.span,
    )
    return False


def _handle_times(work: ChannelWork) -> NDArray[np.float64]:
    """(months, 7, n): each interval's handle time, the month's (a read-only view)."""
    return np.broadcast_to(work.handle_time[:, None, None], work.contacts.shape)


def _report_lost(model: Model, work: ChannelWork, sink: DiagnosticSink) -> None:
    if work.lost.max(initial=0) > 0.5:
        month = int(np.argmax(work.lost))
        sink.report(
            C.CONTACTS_LOST,
            f"`{work.channel.name}` loses about {number(Fraction(round(work.lost[month])), 0)} "
            f"contacts a month that arrive while it is closed",
            _span(model.blueprint, "closed_hours"),
            labels=(Label(work.channel.span, "the channel's opening hours decide"),),
        )


def _report_infeasible(
    spec: st.QueueSpec,
    channel: m.Channel,
    infeasible: NDArray[np.bool_],
    grid: Grid,
    sink: DiagnosticSink,
) -> None:
    if not infeasible.any():  # most queues: nothing to find
        return
    cells = np.argwhere(infeasible)
    month, day, interval = (int(v) for v in cells[0])
    start = interval * grid.interval // 60
    when = f"{grid.label(month)}, {DAY_NAMES[day]} {start // 60:02d}:{start % 60:02d}"
    target = channel.response if channel.mode == "deferred" else channel.target
    span = target.span if target else channel.span
    sink.report(
        C.INFEASIBLE_TARGET,
        f"no number of agents meets the targets of `{spec.name}` ({when}, and "
        f"{len(cells) - 1} more interval{'s' if len(cells) != 2 else ''})",
        span,
    )


def _totals(
    model: Model,
    grid: Grid,
    workload: Workload,
    queues: tuple[QueueSizing, ...],
    paid_hours: float,
    timeline: Timeline,
    sink: DiagnosticSink,
    delta: tuple[Sizing, tuple[QueueSizing, ...], tuple[QueueSizing, ...]] | None = None,
) -> Sizing:
    """The center's totals over ``queues``; with ``delta`` (a sized center, the queues
    taken out of it and those put in) they are that center's, changed by those queues."""
    if delta is None:
        exact = [Fraction(0)] * grid.months
        concurrent = np.zeros((grid.months, 7, grid.per_day), dtype=np.int64)
        headcount = np.zeros(grid.months, dtype=np.int64)
        changes: tuple[tuple[QueueSizing, int], ...] = tuple((q, 1) for q in queues)
    else:
        base, gone, new = delta
        exact = list(base.agent_fte_exact)
        concurrent, headcount = base.concurrent.copy(), base.headcount.copy()
        changes = tuple((q, -1) for q in gone) + tuple((q, 1) for q in new)
    for queue, sign in changes:
        exact = [a + sign * b for a, b in zip(exact, queue.monthly.fte_exact, strict=True)]
        headcount += sign * queue.monthly.headcount
        concurrent += sign * queue.intervals.agents
    agent_fte = np.array([float(v) for v in exact], dtype=np.float64)
    spans = dict(model.staffing.spans) if model.staffing else {}
    support = st.support_staff(headcount, spans)
    peak_concurrent = concurrent.reshape(grid.months, -1).max(axis=1, initial=0)
    peak_month = int(np.argmax(peak_concurrent)) if grid.months else 0
    on_site = peak_concurrent + sum(support.values(), np.zeros(grid.months, dtype=np.int64))
    site_seats = _seats(model, grid, on_site, sink)
    seats = {name: int(v.max(initial=0)) for name, v in site_seats.items()}
    return Sizing(
        grid,
        workload,
        queues,
        paid_hours,
        timeline,
        agent_fte,
        support,
        peak_concurrent,
        seats,
        peak_month,
        site_seats,
        concurrent,
        headcount,
        tuple(exact),
    )


def site_shares(sites: list[m.Site]) -> dict[str, float]:
    """Each site's share of the staff: its `share`; sites without one split what the shares
    leave (all of it when no site has a share) in proportion to their seats. Shares are
    then scaled to add up to 100%."""
    given = {s.name: float(s.share) for s in sites if s.share is not None}
    rest = [s for s in sites if s.share is None]
    left = max(0.0, 1.0 - sum(given.values())) if given else 1.0
    capacity = sum(s.seats for s in rest)
    for site in rest:
        given[site.name] = left * (site.seats / capacity if capacity else 1 / len(rest))
    total = sum(given.values())
    return {s.name: (given[s.name] / total if total else 1 / len(sites)) for s in sites}


def _seats(
    model: Model, grid: Grid, on_site: NDArray[np.int64], sink: DiagnosticSink
) -> dict[str, NDArray[np.int64]]:
    """(months,) seats per site for the staff on site at each month's busiest interval.

    The sites open in a month share its staff by `share`, else by capacity (shares among
    the open sites scaled to 100%); a site has no seats before it opens. Staff at work in
    a month when no site is open are reported (CXB0609), as are seats beyond a site's
    capacity (CXB0603, in the month that needs the most).
    """
    sites = [s for s in model.of(m.Site) if not s.library]
    if not sites:
        return {}
    opening = {site.name: opening_month(site, grid) for site in sites}
    result = {site.name: np.zeros(grid.months, dtype=np.int64) for site in sites}
    groups: dict[tuple[str, ...], list[int]] = {}
    for month in range(grid.months):
        open_now = tuple(s.name for s in sites if opening[s.name] <= month)
        groups.setdefault(open_now, []).append(month)
    for open_now, months in groups.items():
        if not open_now:
            _report_no_site(model, grid, sites, opening, on_site, months, sink)
            continue
        shares = site_shares([s for s in sites if s.name in open_now])
        split = st.seats(on_site[months], shares)
        for name, counts in split.items():
            result[name][months] = counts
    for site in sites:
        needed = result[site.name]
        if needed.max(initial=0) > site.seats:
            month = int(np.argmax(needed))
            sink.report(
                C.SEATS_EXCEEDED,
                f"`{site.name}` needs {int(needed[month])} seats at the peak "
                f"({grid.label(month)}) but has {site.seats}",
                _span(site, "seats"),
            )
    return result


def _report_no_site(
    model: Model,
    grid: Grid,
    sites: list[m.Site],
    opening: dict[str, int],
    on_site: NDArray[np.int64],
    months: list[int],
    sink: DiagnosticSink,
) -> None:
    """Staff at work before the first site opens."""
    busy = [t for t in months if on_site[t] > 0]
    if not busy:
        return
    first = min(sites, key=lambda s: (opening[s.name], s.name))
    sink.report(
        C.SITE_NOT_OPEN,
        f"{int(on_site[busy[0]])} staff work in {grid.label(busy[0])} but no site is open "
        f"until `{first.name}` opens in {grid.label(opening[first.name])}",
        _span(first, "opens"),
        help="open a site earlier (or mark today's site `existing yes`), or launch the channels "
        "after the site opens",
    )
