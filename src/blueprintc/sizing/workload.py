"""Workload: offered contacts per channel, month, day of the week and interval.

For each month of the horizon the workload is a representative week (Monday to Sunday):

1. A process's monthly volume is its yearly volume / 12, grown by ``growth`` compounded
   monthly ((1 + g) ^ (t / 12) in month t), times the month's seasonality weight (weights
   are relative: divided by their mean over the 12 months; missing months weigh 1).
2. It is split over channels by the ``mix``; each ``migrate`` moves its share of the source
   channel's contacts to the target channel from the month the plan has done the
   migration, ramping linearly to the ``by`` month (see :mod:`blueprintc.sizing.timeline`).
   A channel the plan has not launched yet carries nothing (during its pilot, the pilot's
   share of its contacts): what it does not carry goes to the process's channels in full
   operation, in proportion to their shares, as customers use the channels that exist; a
   process none of whose channels is in operation has no contacts that month. On an
   assisted channel, ``automation`` removes the share of contacts automation contains.
3. The month's contacts become a week (× 7 / 30.42 days), spread over the days by the
   channel's weekly pattern and over each day by its intraday pattern (a weight per time
   range, spread evenly over the range's minutes; uniform over the opening hours when the
   channel has no pattern).
4. Contacts that fall in a closed interval are carried to the next opening day (wrapping
   from Sunday to Monday, spread over its open intervals like that day's own contacts) or
   lost, as the blueprint's ``closed_hours`` says; both are counted and reported.

Handle time per contact is the volume-weighted average of the processes' ``aht`` + ``acw``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from fractions import Fraction
from operator import itemgetter
from weakref import WeakKeyDictionary

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.sizing.calendar import DAYS_PER_MONTH, Grid, open_mask
from blueprintc.sizing.timeline import Timeline, always_live

Array = NDArray[np.float64]
WEEK_PER_MONTH = float(7 / DAYS_PER_MONTH)


@attrs.frozen(eq=False)
class ChannelWork:
    """The work offered to one channel (or its outbound queue) in every month."""

    channel: m.Channel
    outbound: bool
    contacts: Array
    """(months, 7, n): contacts per interval of the representative week, for a queue of
    agents; (months, 7, 0) for a self-service channel, which is not sized (its contacts
    are counted by month: ``monthly``, ``carried``, ``lost``)."""
    handle_time: Array  # (months,): seconds of agent work per contact
    open: NDArray[np.bool_]  # (7, n)
    monthly: Array  # (months,): contacts in the whole month
    carried: Array  # (months,): contacts moved from closed to open intervals, per month
    lost: Array  # (months,): contacts lost in closed intervals, per month
    sources: tuple[m.Ref, ...]  # processes or outbound contacts that feed it


@attrs.frozen
class MissingHandleTime:
    """A process (or proactive contact) sends contacts to an assisted channel but gives no
    handle time for it."""

    process: m.Process | m.Outbound
    channel: m.Channel


@attrs.frozen(eq=False)
class Flow:
    """The contacts one process (or proactive contact) sends to one channel, per month."""

    source: m.Ref  # the process or the outbound contact
    channel: m.Ref
    offered: Array  # (months,): contacts arriving on the channel
    handled: Array  # (months,): what agents handle (offered less automation; 0 unassisted)
    handle_time: float  # seconds of agent work per handled contact
    contained: Array  # (months,): contacts automation contains (offered x automation share)
    assisted: bool  # whether agents handle the channel's contacts

    @property
    def contacts(self) -> Array:
        """(months,): the channel's contacts as sizing counts them: handled on an assisted
        channel, offered on self-service."""
        return self.handled if self.assisted else self.offered


@attrs.frozen(eq=False)
class Move:
    """The contacts one ``migrate`` line moves to its target channel, per month."""

    process: m.Ref
    migration: m.Migration
    contacts: Array  # (months,): before automation on the target


@attrs.frozen(eq=False)
class Workload:
    """Every channel's work, the flows it is made of, and the gaps found on the way."""

    grid: Grid
    channels: tuple[ChannelWork, ...]
    missing_handle_times: tuple[MissingHandleTime, ...] = ()
    flows: tuple[Flow, ...] = ()
    moves: tuple[Move, ...] = ()
    processes: tuple[m.Ref, ...] = ()
    """The processes whose flows, moves and gaps come first, in this order (the model's);
    the outbound contacts' follow."""

    _by_source: dict[m.Ref, tuple[Flow, ...]] = attrs.field(factory=dict, init=False)
    _spans: dict[m.Ref, tuple[int, ...]] = attrs.field(factory=dict, init=False)

    def spans(self) -> dict[m.Ref, tuple[int, ...]]:
        """Where each process's flows, moves and gaps are, by process: its place among
        ``processes``, then start and end in ``flows``, ``moves`` and
        ``missing_handle_times`` (made on first use)."""
        if not self._spans and self.processes:
            flow = move = gap = 0
            for place, ref in enumerate(self.processes):
                f0, m0, g0 = flow, move, gap
                while flow < len(self.flows) and self.flows[flow].source == ref:
                    flow += 1
                while move < len(self.moves) and self.moves[move].process == ref:
                    move += 1
                gaps = self.missing_handle_times
                while gap < len(gaps) and gaps[gap].process.ref == ref:
                    gap += 1
                self._spans[ref] = (place, f0, flow, m0, move, g0, gap)
        return self._spans

    _by_channel: dict[str, tuple[tuple[int, Flow], ...]] = attrs.field(factory=dict, init=False)

    def on_channel(self, name: str) -> tuple[tuple[int, Flow], ...]:
        """The processes' flows to the channel ``name``, each with its process's place
        among ``processes``, in that order (made on first use)."""
        if not self._by_channel and self.processes:
            spans = self.spans()
            grouped: dict[str, list[tuple[int, Flow]]] = {}
            for ref in self.processes:
                place, start, end = spans[ref][:3]
                for flow in self.flows[start:end]:
                    grouped.setdefault(flow.channel.name, []).append((place, flow))
            self._by_channel.update((key, tuple(found)) for key, found in grouped.items())
        return self._by_channel.get(name, ())

    def of_process(self, process: m.Ref) -> tuple[Flow, ...]:
        """The flows of one process (or proactive contact), in channel order."""
        if not self._by_source and self.flows:
            grouped: dict[m.Ref, list[Flow]] = {}
            for flow in self.flows:
                grouped.setdefault(flow.source, []).append(flow)
            self._by_source.update((ref, tuple(flows)) for ref, flows in grouped.items())
        return self._by_source.get(process, ())

    _by_name: dict[str, tuple[ChannelWork, ...]] = attrs.field(factory=dict, init=False)

    def on(self, channels: set[str]) -> list[ChannelWork]:
        """The work of the channels named (inbound and outbound), by channel name."""
        if not self._by_name and self.channels:
            grouped: dict[str, list[ChannelWork]] = {}
            for work in self.channels:
                grouped.setdefault(work.channel.name, []).append(work)
            self._by_name.update((name, tuple(works)) for name, works in grouped.items())
        return [w for name in sorted(channels) for w in self._by_name.get(name, ())]

    def gaps_of(self, source: m.Ref) -> tuple[MissingHandleTime, ...]:
        """The assisted channels a process (or proactive contact) gives no handle time for."""
        return tuple(gap for gap in self.missing_handle_times if gap.process.ref == source)


def _weights(values: dict[int, Fraction], keys: Iterable[int], default: float) -> Array:
    return np.array([float(values.get(k, default)) for k in keys], dtype=np.float64)


def seasonality(model: Model, process: m.Process, grid: Grid) -> Array:
    """(months,): each month's weight relative to the average month."""
    pattern = model.get(process.seasonality) if process.seasonality else None
    weights = np.ones(12)
    if isinstance(pattern, m.Pattern) and pattern.monthly:
        weights = _weights(dict(pattern.monthly), range(1, 13), 1.0)
    weights = weights / weights.mean() if weights.sum() > 0 else np.ones(12)
    return np.array([weights[grid.month_of_year(t) - 1] for t in range(grid.months)])


def monthly_volume(model: Model, process: m.Process, grid: Grid) -> Array:
    """(months,): the process's contacts in each month of the horizon."""
    t = np.arange(grid.months, dtype=np.float64)
    growth = (1.0 + float(process.growth)) ** (t / 12.0)
    return float(process.yearly_volume) / 12.0 * growth * seasonality(model, process, grid)


def channel_shares(
    process: m.Process, grid: Grid, timeline: Timeline | None = None
) -> dict[m.Ref, Array]:
    """(months,) share of the process's volume per channel: migrations applied as the plan
    does them, and the share of channels not yet in operation given to those that are."""
    return _shares(process, grid, timeline or always_live(grid.months))[0]


def _shares(
    process: m.Process, grid: Grid, timeline: Timeline
) -> tuple[dict[m.Ref, Array], list[Array]]:
    """Channel shares per month, and the share each migration moves per month."""
    shares = {ref: np.full(grid.months, float(share)) for ref, share in process.mix.items()}
    moves = []
    for migration in process.migrations:
        moved = float(migration.share) * shares.get(migration.source, np.zeros(grid.months))[0]
        ramp = timeline.migration_ramp(process, migration, grid)
        moves.append(moved * ramp)
        if migration.source in shares:
            shares[migration.source] = shares[migration.source] - moved * ramp
        shares[migration.target] = (
            shares.get(migration.target, np.zeros(grid.months)) + moved * ramp
        )
    return _in_operation(shares, timeline, grid.months), moves


def _in_operation(
    shares: dict[m.Ref, Array], timeline: Timeline, months: int
) -> dict[m.Ref, Array]:
    """The shares the channels in operation carry: a channel carries its availability's part
    of its share; the rest goes to the fully available channels in proportion to their
    shares (to the partly available ones when none is fully available; nowhere when no
    channel of the process is in operation)."""
    available = {ref: timeline.availability(ref) for ref in shares}
    carried = {ref: share * available[ref] for ref, share in shares.items()}
    left = sum((share - carried[ref] for ref, share in shares.items()), np.zeros(months))
    full = {ref: np.where(available[ref] >= 1.0, share, 0.0) for ref, share in shares.items()}
    weights = sum(full.values(), np.zeros(months))
    partial = sum(carried.values(), np.zeros(months))
    result = {}
    for ref in shares:
        weight = np.where(weights > 1e-12, full[ref], carried[ref])
        total = np.where(weights > 1e-12, weights, partial)
        extra = np.divide(left * weight, total, out=np.zeros(months), where=total > 1e-12)
        result[ref] = carried[ref] + extra
    return result


def intraday_shares(
    model: Model, channel: m.Channel, grid: Grid, open_: NDArray[np.bool_]
) -> Array:
    """(7, n): the share of each day's contacts in each interval (each row sums to 1)."""
    used: list[m.Ref | None] = []
    for day in range(7):
        found = None
        for ref, days in channel.intraday:
            if day in days:
                found = ref
        used.append(found)
    key = (tuple(used), grid.per_day, grid.interval // 60, open_.astype(bool).tobytes())
    known = _INTRADAY.setdefault(model, {})
    if key not in known:  # many channels share their patterns and hours: made once
        patterns = []
        for chosen in used:
            pattern = model.get(chosen) if chosen is not None else None
            ranges = pattern.intraday if isinstance(pattern, m.Pattern) else None
            patterns.append(ranges or None)
        known[key] = _intraday(tuple(patterns), grid.per_day, grid.interval // 60, key[3])
    return known[key].copy()


_INTRADAY: WeakKeyDictionary[Model, dict[tuple[object, ...], Array]] = WeakKeyDictionary()


def _intraday(
    patterns: tuple[tuple[tuple[int, int, Fraction], ...] | None, ...],
    per_day: int,
    minutes: int,
    open_bits: bytes,
) -> Array:
    """`intraday_shares` of a week's patterns and opening hours."""
    open_ = np.frombuffer(open_bits, dtype=bool).reshape(7, per_day)
    shares = np.zeros((7, per_day))
    for day, ranges in enumerate(patterns):
        if ranges:
            shares[day] = _spread(ranges, per_day, minutes)
        if shares[day].sum() <= 0:
            # No pattern: uniform over the day's opening hours, or over the whole day when
            # the channel is closed that day (its contacts are then carried or lost).
            shares[day] = open_[day].astype(np.float64) if open_[day].any() else 1.0
    totals = shares.sum(axis=1, keepdims=True)
    result: Array = np.divide(shares, totals, out=np.zeros_like(shares), where=totals > 0)
    result.flags.writeable = False
    return result


@functools.lru_cache(maxsize=256)
def _spread(ranges: tuple[tuple[int, int, Fraction], ...], per_day: int, minutes: int) -> Array:
    """Weights per time range spread evenly over their minutes, summed per interval (the
    same pattern serves many days and channels: made once; callers copy it)."""
    per_minute = np.zeros(24 * 60)
    for start, end, weight in ranges:
        per_minute[start:end] += float(weight) / (end - start)
    result: Array = per_minute.reshape(per_day, minutes).sum(axis=1)
    result.flags.writeable = False  # shared by every caller
    return result


def daily_shares(model: Model, channel: m.Channel) -> Array:
    """(7,): the share of a week's contacts on each day (sums to 1)."""
    pattern = model.get(channel.weekly) if channel.weekly else None
    weights = np.ones(7)
    if isinstance(pattern, m.Pattern) and pattern.weekly:
        weights = _weights(dict(pattern.weekly), range(7), 0.0)
    total = weights.sum()
    return np.asarray(weights / total if total > 0 else np.full(7, 1 / 7), dtype=np.float64)


def shape_week(monthly: Array, day_shares: Array, interval_shares: Array) -> Array:
    """(months, 7, n): contacts of the representative week of each month."""
    week = monthly * WEEK_PER_MONTH
    return week[:, None, None] * day_shares[None, :, None] * interval_shares[None, :, :]


def close_hours(
    contacts: Array, open_: NDArray[np.bool_], carry: bool
) -> tuple[Array, Array, Array]:
    """Move (or drop) contacts of closed intervals: (contacts, carried, lost) per month.

    Carried contacts go to the next day that opens after the interval (wrapping from Sunday
    to Monday), spread over that day's open intervals in proportion to the contacts they
    already receive: customers who find the line closed call again during the next opening
    hours, not all in its first minutes.
    """
    months, days, per_day = contacts.shape
    is_open = open_.reshape(-1)
    flat = contacts.reshape(months, -1)
    closed_work = np.where(is_open[None, :], 0.0, flat)
    moved = closed_work.sum(axis=1)
    result = np.where(is_open[None, :], flat, 0.0).reshape(months, days, per_day)
    positions = np.flatnonzero(is_open)
    if not carry or not positions.size:
        return result, np.zeros(months), moved / WEEK_PER_MONTH
    # The day of the next open interval at or after each position, wrapping around the week.
    next_open = positions[np.searchsorted(positions, np.arange(is_open.size)) % positions.size]
    target_day = next_open // per_day
    arriving = np.zeros((months, days))
    for day in range(days):
        arriving[:, day] = closed_work[:, target_day == day].sum(axis=1)
    profile = np.where(open_[None, :, :], result, 0.0)
    fallback = np.broadcast_to(open_[None, :, :].astype(np.float64), profile.shape)
    profile = np.where(profile.sum(axis=2, keepdims=True) > 0, profile, fallback)
    totals = profile.sum(axis=2, keepdims=True)
    shares = np.divide(profile, totals, out=np.zeros_like(profile), where=totals > 0)
    result = result + shares * arriving[:, :, None]
    return result, moved / WEEK_PER_MONTH, np.zeros(months)


def build_workload(model: Model, grid: Grid, timeline: Timeline | None = None) -> Workload:
    """The work of every channel of the blueprint, inbound and outbound, month by month
    as the ``timeline`` puts channels and migrations in operation."""
    timeline = timeline or always_live(grid.months)
    found: list[Flow] = []
    moves: list[Move] = []
    missing: list[MissingHandleTime] = []
    for process in model.of(m.Process):
        flows, moved, gaps = _process_flows(model, process, grid, timeline)
        found += flows
        moves += moved
        missing += gaps
    by_channel: dict[m.Ref, list[Flow]] = {}
    for flow in found:
        by_channel.setdefault(flow.channel, []).append(flow)
    carry = model.blueprint.closed_hours == "carry"
    channels = [
        _inbound(model, channel, grid, by_channel.get(channel.ref, []), carry)
        for channel in model.of(m.Channel)
        if not channel.library
    ]
    channels += _outbound(model, grid, missing, timeline, found)
    order = tuple(process.ref for process in model.of(m.Process))
    return Workload(grid, tuple(channels), tuple(missing), tuple(found), tuple(moves), order)


def rebuild_workload(
    model: Model, grid: Grid, timeline: Timeline, workload: Workload, changed: frozenset[m.Ref]
) -> Workload:
    """The workload of ``model``, a variant of the model ``workload`` was built for in which
    only the processes ``changed`` differ: their flows, moves and gaps are built again in
    their places, and the channels they send contacts to (before or now); every other
    process's are taken in slices between them (``Workload.spans``), and every other
    channel keeps its work (the same object), as do the outbound queues. A variant costs
    in proportion to what it changes, not to the size of the center (every lever of a
    large center is such a variant). A variant changing a process ``workload`` does not
    hold is built afresh."""
    spans = workload.spans()
    if not all(ref in spans and isinstance(model.get(ref), m.Process) for ref in changed):
        return build_workload(model, grid, timeline)
    flows, moves = list(workload.flows), list(workload.moves)
    missing = list(workload.missing_handle_times)
    made: list[tuple[int, Flow]] = []  # the changed processes' new flows, by place
    touched: set[m.Ref] = set()
    for ref in sorted(changed, key=lambda r: spans[r][0], reverse=True):  # from the last
        process = model.get(ref)
        assert isinstance(process, m.Process)
        new_flows, moved, gaps = _process_flows(model, process, grid, timeline)
        place, f0, f1, m0, m1, g0, g1 = spans[ref]
        touched.update(flow.channel for flow in flows[f0:f1])
        touched.update(flow.channel for flow in new_flows)
        made += ((place, flow) for flow in new_flows)
        flows[f0:f1], moves[m0:m1], missing[g0:g1] = new_flows, moved, gaps
    # Each touched channel's flows in the order of the processes (a full build's): its
    # flows from the other processes, and the changed processes' new ones in their places.
    by_channel: dict[str, list[tuple[int, Flow]]] = {ref.name: [] for ref in touched}
    for name, found in by_channel.items():
        found += (
            (place, flow) for place, flow in workload.on_channel(name) if flow.source not in changed
        )
    for place, flow in made:
        by_channel[flow.channel.name].append((place, flow))
    carry = model.blueprint.closed_hours == "carry"
    channels = [
        _inbound(
            model,
            _channel(model, work.channel.ref),
            grid,
            [flow for _, flow in sorted(by_channel[work.channel.name], key=itemgetter(0))],
            carry,
        )
        if not work.outbound and work.channel.name in by_channel
        else work
        for work in workload.channels
    ]
    return Workload(
        grid, tuple(channels), tuple(missing), tuple(flows), tuple(moves), workload.processes
    )


def _channel(model: Model, ref: m.Ref) -> m.Channel:
    channel = model.get(ref)
    assert isinstance(channel, m.Channel)
    return channel


def _process_flows(
    model: Model, process: m.Process, grid: Grid, timeline: Timeline
) -> tuple[list[Flow], list[Move], list[MissingHandleTime]]:
    """The flows of one process to its channels, its migrations' moves, and the assisted
    channels it sends contacts to without a handle time."""
    volume = monthly_volume(model, process, grid)
    shares, moved = _shares(process, grid, timeline)
    moves = [
        Move(process.ref, mig, volume * share)
        for mig, share in zip(process.migrations, moved, strict=True)
    ]
    flows: list[Flow] = []
    missing: list[MissingHandleTime] = []
    for ref, share in shares.items():
        channel = model.get(ref)
        if not isinstance(channel, m.Channel):
            continue
        offered = volume * share
        automation = float(process.automation.get(ref, 0))
        contacts, handle = np.zeros(grid.months), 0.0
        if channel.assisted:
            contacts = offered * (1.0 - automation)
            if ref not in process.aht and contacts.sum() > 0:
                missing.append(MissingHandleTime(process, channel))
            handle = float(process.aht.get(ref, 0) + process.acw.get(ref, 0))
        flows.append(
            Flow(
                process.ref, ref, offered, contacts, handle, offered * automation, channel.assisted
            )
        )
    return flows, moves, missing


def _inbound(
    model: Model, channel: m.Channel, grid: Grid, flows: list[Flow], carry: bool
) -> ChannelWork:
    monthly = sum((flow.contacts for flow in flows), np.zeros(grid.months))
    work = sum((flow.contacts * flow.handle_time for flow in flows), np.zeros(grid.months))
    handle_time = np.divide(work, monthly, out=np.zeros(grid.months), where=monthly > 0)
    open_ = open_mask(grid, channel.hours)
    if not channel.assisted and open_.all():
        # Not sized, and open all week: its contacts are counted by month only, and none
        # is carried or lost (close_hours would give these zeros from the whole week).
        week = np.zeros((grid.months, 7, 0))
        carried, lost = np.zeros(grid.months), np.zeros(grid.months)
    else:
        week = shape_week(
            monthly, daily_shares(model, channel), intraday_shares(model, channel, grid, open_)
        )
        week, carried, lost = close_hours(week, open_, carry)
        if not channel.assisted:  # not sized: its contacts are counted by month only
            week = np.zeros((grid.months, 7, 0))
    sources = tuple(dict.fromkeys(flow.source for flow in flows))
    return ChannelWork(channel, False, week, handle_time, open_, monthly, carried, lost, sources)


def _outbound(
    model: Model,
    grid: Grid,
    missing: list[MissingHandleTime],
    timeline: Timeline,
    found: list[Flow],
) -> list[ChannelWork]:
    """Proactive contacts: attempts spread evenly over the channel's opening hours, from
    the channel's launch.

    Agent time per attempt = contact rate × handle time + (1 − contact rate) × time of an
    attempt that reaches nobody.
    """
    by_channel: dict[m.Ref, list[m.Outbound]] = {}
    for outbound in model.of(m.Outbound):
        by_channel.setdefault(outbound.channel, []).append(outbound)
    result = []
    for ref, contacts in by_channel.items():
        channel = model.get(ref)
        if not isinstance(channel, m.Channel):
            continue
        monthly = np.zeros(grid.months)
        work = np.zeros(grid.months)
        live = timeline.availability(ref)
        for outbound in contacts:
            if outbound.aht is None:
                missing.append(MissingHandleTime(outbound, channel))
            attempts = float(outbound.volume) * 8760 / 12 * live
            rate = float(outbound.contact_rate if outbound.contact_rate is not None else 1)
            per_attempt = rate * float(outbound.aht or 0) + (1 - rate) * float(
                outbound.attempt_time or 0
            )
            found.append(
                Flow(
                    outbound.ref, ref, attempts, attempts, per_attempt, np.zeros(grid.months), True
                )
            )
            monthly += attempts
            work += attempts * per_attempt
        handle_time = np.divide(work, monthly, out=np.zeros(grid.months), where=monthly > 0)
        open_ = open_mask(grid, channel.hours)
        hours_per_day = open_.sum(axis=1).astype(np.float64)
        day_shares = hours_per_day / hours_per_day.sum() if hours_per_day.sum() else np.zeros(7)
        rows = open_.sum(axis=1, keepdims=True)
        shares = np.divide(
            open_.astype(np.float64), rows, out=np.zeros(open_.shape), where=rows > 0
        )
        week = shape_week(monthly, day_shares, shares)
        zeros = np.zeros(grid.months)
        sources = tuple(o.ref for o in contacts)
        result.append(
            ChannelWork(channel, True, week, handle_time, open_, monthly, zeros, zeros, sources)
        )
    return result
