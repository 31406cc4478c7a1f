"""Today's operation (the ``baseline``) as a sized center: the do-nothing case.

Each channel the baseline gives a volume (or staff) is a queue sized with the engines that
size the design (:mod:`blueprintc.sizing.workload` shapes the week,
:mod:`blueprintc.solve.staffing` finds the agents), on the design channel's opening hours,
weekly and intraday patterns, shrinkage, concurrency and customer patience, with the
baseline's service level as the only target (docs/sizing.md, "Today's operation"):

1. **Volume.** The stated yearly volume / 12 in each month, grown by the baseline's
   ``growth`` (else the design's: the growth of the processes on the channel weighted by
   their yearly volume there) compounded monthly, (1 + g) ^ (t / 12), times the design's
   seasonality on the channel (the processes' monthly weights, weighted the same way).
2. **Handle time.** The baseline's ``aht`` + ``acw``; without ``aht``, the design's handle
   time on the channel (its contacts' ``aht`` + ``acw`` over the horizon), marked derived.
3. **Staff.** With a service level (and a handle time): the agents of every interval, the
   busiest interval's agents and the FTE per month, *derived*. Stated ``fte`` (else
   ``agents``, taken as full-time) are today's, grown with the channel's volume growth,
   *stated*. Without either, the channel's staff is *not known*, and the result says why.

Every figure carries its :class:`Provenance` and the span of the line it comes from.
Diagnostics compare the baseline with the design (CXB0610, CXB0612) and say when the
do-nothing staff cannot be known (CXB0613).
"""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import number, percent
from blueprintc.model.model import Model
from blueprintc.semantic.ranges import duration
from blueprintc.sizing.calendar import Grid, open_mask
from blueprintc.sizing.kept import kept_cells
from blueprintc.sizing.size import (
    DEFAULT_PAID_HOURS,
    MAX_AGENTS_PER_INTERVAL,
    MAX_SIZED_INTERVALS,
    Sizing,
)
from blueprintc.sizing.workload import (
    close_hours,
    daily_shares,
    intraday_shares,
    seasonality,
    shape_week,
)
from blueprintc.solve import staffing as st
from blueprintc.source import Span

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
YEAR_MONTHS = 12


class Provenance(enum.Enum):
    """Where a figure of today's operation comes from."""

    STATED = "stated"  # written in the baseline
    DERIVED = "derived"  # computed: by the sizing engines, or from the design
    NOT_KNOWN = "not known"  # neither stated nor derivable; the note says why


@attrs.frozen(eq=False)
class Sourced:
    """A figure per month of the horizon, with its provenance, the line it comes from and
    a note in words (``derived from the design``, why it is not known)."""

    values: FloatArray  # (months,): zeros when not known
    provenance: Provenance
    span: Span | None = None
    note: str = ""

    @property
    def known(self) -> bool:
        return self.provenance is not Provenance.NOT_KNOWN

    @classmethod
    def unknown(cls, months: int, note: str, span: Span | None = None) -> Sourced:
        return cls(np.zeros(months), Provenance.NOT_KNOWN, span, note)


@attrs.frozen(eq=False, repr=False)
class BaselineQueue:
    """One channel of today's operation, month by month."""

    channel: m.Channel
    yearly: float  # today's contacts a year, as stated (0 when not stated)
    contacts: Sourced  # contacts in each month
    growth: float  # per year
    growth_provenance: Provenance  # stated in the baseline, derived from the design
    handle_time: Sourced  # seconds of agent work per contact
    target: tuple[Fraction, Fraction] | None  # today's service level (share, seconds)
    abandon: Fraction | None  # today's abandonment rate, as stated
    agents: Sourced  # agents at the busiest interval of each month (derived)
    fte_derived: Sourced
    fte_stated: Sourced  # `fte CHANNEL`, else `agents CHANNEL`, grown with the volume
    spec: st.QueueSpec | None = None
    intervals: st.IntervalResult | None = None
    monthly: st.MonthlyStaff | None = None

    @property
    def name(self) -> str:
        return self.channel.name

    @property
    def fte(self) -> Sourced:
        """The FTE the do-nothing case pays for: stated ones win over derived ones."""
        return self.fte_stated if self.fte_stated.known else self.fte_derived

    def __repr__(self) -> str:
        """One line: ``<BaselineQueue voice: 216,667 contacts a month, FTE derived>``."""
        first = float(self.contacts.values[0]) if self.contacts.values.size else 0.0
        return (
            f"<BaselineQueue {self.name}: {first:,.0f} contacts in the first month, "
            f"FTE {self.fte.provenance.value}>"
        )


@attrs.frozen
class VolumeCheck:
    """The design's volume against today's (CXB0610), in contacts a year.

    ``design`` counts every process's contacts on all channels in the first 12 months of
    the horizon (scaled to a year when it is shorter); ``explained`` those of them that
    automation contains or a migration moves; ``today`` the baseline's volumes.
    """

    design: float
    today: float
    explained: float
    tolerance: float

    @property
    def unexplained(self) -> float:
        return max(0.0, abs(self.design - self.today) - self.explained)

    @property
    def agrees(self) -> bool:
        return self.today <= 0 or self.unexplained <= self.tolerance * self.today


@attrs.frozen(eq=False, repr=False)
class BaselineCenter:
    """Today's operation sized over the horizon: the do-nothing center."""

    grid: Grid
    queues: tuple[BaselineQueue, ...]
    paid_hours_per_week: float
    fte_total_stated: Sourced  # `fte N`, else `agents N`, grown with the volume
    fte: Sourced  # the FTE the do-nothing case pays for, all channels together
    support: dict[str, IntArray]  # role -> (months,): by the staffing spans
    volume_index: FloatArray  # (months,): today's volume grown, relative to today (1 = today)
    volumes: VolumeCheck | None
    notes: tuple[str, ...] = ()  # what is not known, and why

    @property
    def support_total(self) -> IntArray:
        total = np.zeros(self.grid.months, dtype=np.int64)
        for counts in self.support.values():
            total = total + counts
        return total

    def queue(self, channel: str) -> BaselineQueue | None:
        return next((q for q in self.queues if q.name == channel), None)

    def __repr__(self) -> str:
        """One line: ``<BaselineCenter 36 months from 2027-01: 3 channels, 252.4 FTE
        (stated) in the first month>``."""
        first = float(self.fte.values[0]) if self.grid.months else 0.0
        return (
            f"<BaselineCenter {self.grid.months} months from {self.grid.label(0)}: "
            f"{len(self.queues)} channels, {first:.1f} FTE ({self.fte.provenance.value}) "
            "in the first month>"
        )


# -- sizing -------------------------------------------------------------------------------


def size_baseline(model: Model, design: Sizing, sink: DiagnosticSink) -> BaselineCenter | None:
    """Today's operation of ``model`` sized over the horizon of the ``design`` (None
    without a ``baseline``); its comparisons with the design go to ``sink``."""
    baseline = model.baseline
    if baseline is None:
        return None
    grid = design.grid
    paid = design.paid_hours_per_week or DEFAULT_PAID_HOURS
    channels = _channels(model, baseline)
    fits = _within_limits(channels, grid)
    queues = tuple(_queue(model, baseline, design, c, paid, fits) for c in channels)
    index = _volume_index(queues, grid)
    total = _total_stated(baseline, index)
    fte = total if total.known else _sum_fte(queues, grid)
    spans = dict(model.staffing.spans) if model.staffing else {}
    headcount = np.ceil(fte.values - 1e-9).astype(np.int64)
    support = st.support_staff(headcount, spans) if spans else {}
    volumes = _volume_check(model, baseline, design)
    notes = tuple(q.fte.note for q in queues if q.channel.assisted and not q.fte.known)
    center = BaselineCenter(grid, queues, paid, total, fte, support, index, volumes, notes)
    _report(baseline, center, sink)
    return center


def _channels(model: Model, baseline: m.Baseline) -> list[m.Channel]:
    """Today's channels: those given a volume, then those given only staff."""
    refs = [*baseline.volumes, *baseline.channel_fte, *baseline.channel_agents]
    found = (model.get(ref) for ref in dict.fromkeys(refs))
    return [c for c in found if isinstance(c, m.Channel)]


def _within_limits(channels: list[m.Channel], grid: Grid) -> bool:
    """Whether today's queues stay within the intervals one compilation sizes."""
    queues = sum(1 for c in channels if c.assisted)
    return queues * grid.months * 7 * grid.per_day <= MAX_SIZED_INTERVALS


def _weights(model: Model, channel: m.Ref) -> list[tuple[m.Process, float]]:
    """The design's processes on a channel, each with its yearly contacts there (its
    declared volume times its mix share: the design's plan for the channel)."""
    found = []
    for process in model.of(m.Process):
        share = float(process.mix.get(channel, 0))
        if share > 0 and process.yearly_volume > 0:
            found.append((process, float(process.yearly_volume) * share))
    return found


def _growth(
    model: Model, baseline: m.Baseline, channel: m.Ref, grid: Grid
) -> tuple[float, Provenance, FloatArray]:
    """The yearly growth of today's volume on a channel, where it comes from, and the
    (months,) seasonal weights of the design's processes on it (1 without any)."""
    weights = _weights(model, channel)
    total = sum(w for _, w in weights)
    season = np.ones(grid.months)
    if total > 0:
        season = sum(
            (w / total * seasonality(model, p, grid) for p, w in weights), np.zeros(grid.months)
        )
    if baseline.growth is not None:
        return float(baseline.growth), Provenance.STATED, season
    if total > 0:
        return sum(float(p.growth) * w for p, w in weights) / total, Provenance.DERIVED, season
    return 0.0, Provenance.NOT_KNOWN, season


def _queue(
    model: Model,
    baseline: m.Baseline,
    design: Sizing,
    channel: m.Channel,
    paid: float,
    fits: bool,
) -> BaselineQueue:
    ref, grid = channel.ref, design.grid
    t = np.arange(grid.months, dtype=np.float64)
    growth, grown_by, season = _growth(model, baseline, ref, grid)
    factor = (1.0 + growth) ** (t / YEAR_MONTHS)
    volume_span = baseline.line("volume", ref)
    yearly = float(baseline.volumes.get(ref, 0)) * 8760
    if ref in baseline.volumes:
        contacts = Sourced(yearly / YEAR_MONTHS * factor * season, Provenance.STATED, volume_span)
    else:
        contacts = Sourced.unknown(grid.months, "the baseline gives no volume", volume_span)
    handle = _handle_time(baseline, design, channel)
    target = baseline.service_levels.get(ref)
    common: dict[str, object] = {
        "channel": channel,
        "yearly": yearly,
        "contacts": contacts,
        "growth": growth,
        "growth_provenance": grown_by,
        "handle_time": handle,
        "target": target,
        "abandon": baseline.abandon.get(ref),
        "fte_stated": _stated_fte(baseline, ref, factor),
    }
    if not channel.assisted:
        none = Sourced(np.zeros(grid.months), Provenance.DERIVED, None, "self-service: no agents")
        return BaselineQueue(**common, agents=none, fte_derived=none)  # type: ignore[arg-type]
    why = _not_sizable(contacts, handle, target, fits)
    if why is not None or target is None:
        return _unknown(common, channel, why or "", volume_span, grid)
    return _sized(common, channel, contacts, handle, target, model, baseline, grid, paid)


def _unknown(
    common: dict[str, object],
    channel: m.Channel,
    why: str,
    span: Span | None,
    grid: Grid,
    spec: st.QueueSpec | None = None,
) -> BaselineQueue:
    unknown = Sourced.unknown(grid.months, f"`{channel.name}`: {why}", span)
    return BaselineQueue(**common, agents=unknown, fte_derived=unknown, spec=spec)  # type: ignore[arg-type]


def _not_sizable(
    contacts: Sourced, handle: Sourced, target: tuple[Fraction, Fraction] | None, fits: bool
) -> str | None:
    """Why a channel's staff cannot be derived, or None when it can."""
    if not contacts.known:
        return "the baseline gives no volume"
    if target is None:
        return "the baseline gives no service level"
    if not handle.known:
        return "neither the baseline nor the design gives a handle time"
    if not fits:
        return "too many intervals to size in one compilation"
    return None


def _handle_time(baseline: m.Baseline, design: Sizing, channel: m.Channel) -> Sourced:
    """The baseline's aht + acw, else the design's handle time on the channel: its inbound
    contacts' handle time weighted by their number over the horizon."""
    ref, months = channel.ref, design.grid.months
    if ref in baseline.aht:
        seconds = float(baseline.aht[ref] + baseline.acw.get(ref, 0))
        return Sourced(np.full(months, seconds), Provenance.STATED, baseline.line("aht", ref))
    for work in design.workload.channels:
        if work.channel.ref != ref or work.outbound or work.monthly.sum() <= 0:
            continue
        seconds = float((work.monthly * work.handle_time).sum() / work.monthly.sum())
        if seconds > 0:
            note = "derived from the design"
            return Sourced(np.full(months, seconds), Provenance.DERIVED, channel.span, note)
    return Sourced.unknown(months, "no handle time in the baseline or the design")


def _stated_fte(baseline: m.Baseline, ref: m.Ref, factor: FloatArray) -> Sourced:
    """Today's stated FTE on a channel (``fte``, else ``agents`` taken as full-time),
    grown with the channel's volume."""
    if ref in baseline.channel_fte:
        value, field, note = float(baseline.channel_fte[ref]), "fte", ""
    elif ref in baseline.channel_agents:
        value, field = float(baseline.channel_agents[ref]), "agents"
        note = "agents taken as full-time"
    else:
        return Sourced.unknown(factor.size, "the baseline states no staff")
    return Sourced(value * factor, Provenance.STATED, baseline.line(field, ref), note)


def _sized(
    common: dict[str, object],
    channel: m.Channel,
    contacts: Sourced,
    handle: Sourced,
    target: tuple[Fraction, Fraction],
    model: Model,
    baseline: m.Baseline,
    grid: Grid,
    paid: float,
) -> BaselineQueue:
    """Agents per interval by the design's engines, at today's service level."""
    spec = _spec(channel, target, grid)
    open_ = open_mask(grid, channel.hours)
    week = shape_week(
        contacts.values,
        daily_shares(model, channel),
        intraday_shares(model, channel, grid, open_),
    )
    week, _, _ = close_hours(week, open_, model.blueprint.closed_hours == "carry")
    times = np.broadcast_to(handle.values[:, None, None], week.shape).copy()
    span = baseline.line("service_level", channel.ref)
    busy = week * times / (spec.interval * spec.concurrency)
    if float(busy.max(initial=0.0)) > MAX_AGENTS_PER_INTERVAL:
        why = f"one interval's work would keep more than {MAX_AGENTS_PER_INTERVAL:,} agents busy"
        return _unknown(common, channel, why, span, grid, spec)
    result = st.interval_agents(spec, st.QueueLoad(week, times, open_), kept_cells(model))
    if result.infeasible.any():
        why = "no number of agents meets the stated service level"
        return _unknown(common, channel, why, span, grid, spec)
    monthly = st.monthly_staff(spec, result, paid)
    return BaselineQueue(
        **common,  # type: ignore[arg-type]
        agents=Sourced(monthly.peak_agents.astype(np.float64), Provenance.DERIVED, span),
        fte_derived=Sourced(monthly.fte, Provenance.DERIVED, span),
        spec=spec,
        intervals=result,
        monthly=monthly,
    )


def _spec(channel: m.Channel, target: tuple[Fraction, Fraction], grid: Grid) -> st.QueueSpec:
    """Today's queue: the design channel's policy with today's service level as the only
    target (the design's caps on abandonment, speed of answer and occupancy, and its
    minimum agents, are the design's choices, not today's)."""
    realtime = channel.mode == "realtime"
    return st.QueueSpec(
        name=f"{channel.name} (today)",
        mode="realtime" if realtime else "deferred",
        interval=float(grid.interval),
        target_level=float(target[0]),
        target_time=float(target[1]),
        patience=float(channel.patience) if realtime and channel.patience else None,
        concurrency=float(channel.concurrency) if realtime else 1.0,
        shrinkage=float(channel.shrinkage or 0),
    )


def _volume_index(queues: tuple[BaselineQueue, ...], grid: Grid) -> FloatArray:
    """(months,): today's volume of all channels grown month by month, without seasons,
    relative to today: sum of yearly volume x (1 + growth) ^ (t / 12) over their sum."""
    t = np.arange(grid.months, dtype=np.float64)
    total = sum(q.yearly for q in queues)
    if total <= 0:
        return np.ones(grid.months)
    grown = sum(
        (q.yearly * (1.0 + q.growth) ** (t / YEAR_MONTHS) for q in queues), np.zeros(grid.months)
    )
    return np.asarray(grown, dtype=np.float64) / total


def _total_stated(baseline: m.Baseline, index: FloatArray) -> Sourced:
    """Today's stated total (``fte N``, else ``agents N`` taken as full-time), grown."""
    if baseline.fte is not None:
        return Sourced(float(baseline.fte) * index, Provenance.STATED, baseline.line("fte"))
    if baseline.agents is not None:
        span, note = baseline.line("agents"), "agents taken as full-time"
        return Sourced(float(baseline.agents) * index, Provenance.STATED, span, note)
    return Sourced.unknown(index.size, "the baseline states no total staff")


def _sum_fte(queues: tuple[BaselineQueue, ...], grid: Grid) -> Sourced:
    """All channels' FTE: stated where stated, derived elsewhere, not known left out."""
    values = sum((q.fte.values for q in queues), np.zeros(grid.months))
    kinds = {q.fte.provenance for q in queues if q.channel.assisted}
    if not kinds or kinds == {Provenance.NOT_KNOWN}:
        return Sourced.unknown(grid.months, "no channel's staff is known")
    provenance = Provenance.STATED if kinds == {Provenance.STATED} else Provenance.DERIVED
    note = "some channels' staff is not known" if Provenance.NOT_KNOWN in kinds else ""
    return Sourced(values, provenance, None, note)


def _volume_check(model: Model, baseline: m.Baseline, design: Sizing) -> VolumeCheck | None:
    """The design's first-year contacts against today's volume (None without volumes):
    the contacts automation contains, and those migrations move that automation does not
    then contain, explain a difference."""
    today = float(sum(baseline.volumes.values(), Fraction(0))) * 8760
    months = min(YEAR_MONTHS, design.grid.months)
    if today <= 0 or months <= 0:
        return None
    flows = [f for f in design.workload.flows if f.source.kind == "process"]
    offered = sum(float(f.offered[:months].sum()) for f in flows)
    contained = sum(float(f.contained[:months].sum()) for f in flows)
    moved = 0.0
    for move in design.workload.moves:  # what automation then contains is counted above
        process = model.get(move.process)
        automated = (
            process.automation.get(move.migration.target, 0)
            if isinstance(process, m.Process)
            else 0
        )
        moved += float(move.contacts[:months].sum()) * (1.0 - float(automated))
    scale = YEAR_MONTHS / months
    return VolumeCheck(
        offered * scale, today, (contained + moved) * scale, float(baseline.tolerance)
    )


# -- diagnostics --------------------------------------------------------------------------


def _report(baseline: m.Baseline, center: BaselineCenter, sink: DiagnosticSink) -> None:
    _report_volume(baseline, center, sink)
    _report_staff(baseline, center, sink)
    if not center.fte_total_stated.known and baseline.cost is None:
        for queue in center.queues:
            if queue.channel.assisted and not queue.fte.known:
                _report_unknown(baseline, queue, sink)


def _count(value: float) -> str:
    return number(Fraction(round(value)), 0)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _report_volume(baseline: m.Baseline, center: BaselineCenter, sink: DiagnosticSink) -> None:
    check = center.volumes
    if check is None or check.agrees:
        return
    first = next(iter(baseline.volumes))
    more = "more" if check.design > check.today else "fewer"
    difference = abs(check.design - check.today)
    if check.explained > 0:
        why = (
            f"of which automation and migrations explain {_count(check.explained)}; the other "
            f"{_count(check.unexplained)} ({_pct(check.unexplained / check.today)}) are beyond "
            f"the {_pct(check.tolerance)} tolerance"
        )
    else:
        why = (
            f"beyond the {_pct(check.tolerance)} tolerance, and no automation or migration "
            "of the design explains it"
        )
    sink.report(
        C.BASELINE_VOLUME_DIFFERS,
        f"the design's processes bring {_count(check.design)} contacts in their first year, "
        f"today's operation {_count(check.today)} a year: {_pct(difference / check.today)} "
        f"{more}, {why}",
        baseline.line("volume", first),
    )


def _first_year(values: FloatArray) -> float:
    return float(values[:YEAR_MONTHS].mean()) if values.size else 0.0


def _stated_today(baseline: m.Baseline, channel: m.Ref | None) -> tuple[float, str, Span] | None:
    """A stated staff figure as written (FTE before agents): value, words, line."""
    fte = baseline.fte if channel is None else baseline.channel_fte.get(channel)
    if fte is not None:
        return float(fte), f"{number(fte, 1)} FTE", baseline.line("fte", channel)
    agents = baseline.agents if channel is None else baseline.channel_agents.get(channel)
    if agents is not None:
        return float(agents), f"{agents:,} agents", baseline.line("agents", channel)
    return None


def _level(target: tuple[Fraction, Fraction]) -> str:
    return f"{percent(target[0])} within {duration(target[1])}"


def _report_staff(baseline: m.Baseline, center: BaselineCenter, sink: DiagnosticSink) -> None:
    tolerance = float(baseline.tolerance)
    for queue in center.queues:
        stated = _stated_today(baseline, queue.channel.ref)
        if stated is None or not queue.fte_derived.known or queue.target is None:
            continue
        derived = _first_year(queue.fte_derived.values)
        _compare_staff(stated, derived, _level(queue.target), f"`{queue.name}`", tolerance, sink)
    stated = _stated_today(baseline, None)
    assisted = [q for q in center.queues if q.channel.assisted]
    if stated is None or not assisted or not all(q.fte_derived.known for q in assisted):
        return
    derived = sum(_first_year(q.fte_derived.values) for q in assisted)
    names = ", ".join(f"`{q.name}`" for q in assisted)
    levels = "the stated service levels" if len(assisted) > 1 else _level(assisted[0].target)  # type: ignore[arg-type]
    _compare_staff(stated, derived, levels, names, tolerance, sink)


def _compare_staff(
    stated: tuple[float, str, Span],
    derived: float,
    level: str,
    where: str,
    tolerance: float,
    sink: DiagnosticSink,
) -> None:
    value, words, span = stated
    if value <= 0 or abs(value - derived) <= tolerance * value:
        return
    more = "more" if derived > value else "fewer"
    sink.report(
        C.BASELINE_STAFF_DIFFERS,
        f"the {number(Fraction(f'{derived:.1f}'), 1)} FTE that meet {level} on {where} "
        f"(first-year average) are {_pct(abs(value - derived) / value)} {more} than the "
        f"stated {words}, beyond the {_pct(tolerance)} tolerance",
        span,
    )


def _report_unknown(baseline: m.Baseline, queue: BaselineQueue, sink: DiagnosticSink) -> None:
    note = queue.fte.note.split(": ", 1)[-1]
    sink.report(
        C.BASELINE_STAFF_UNKNOWN,
        f"today's staff on `{queue.name}` is not known ({note}): the do-nothing cost leaves "
        "its agents out",
        baseline.line("volume", queue.channel.ref),
    )
