"""The transition: which parts of the design are in operation in each month of the horizon.

The center in operation in a month is the one the client runs today plus whatever the plan
has put live by then (docs/planning.md, "The timeline"):

- **Channels.** A channel the plan launches (a phase ``includes`` or pilots it, and the
  ``baseline`` gives it no volume) carries no traffic before its launch; during its pilot
  it carries the pilot's share of its contacts; from the roll-out, all of them. Every other
  channel runs today and carries traffic from the first month (a phase that includes it
  re-platforms it; its traffic does not stop).
- **Migrations.** A ``migrate`` moves nothing before its work item is done in the plan
  (after the channels it links are launched); from that month its share ramps linearly to
  the full share in its ``by`` month (at once when the ``by`` month is not later).
- **Components** are live from their go-live month (licences are bought when their work
  starts); **sites** open in their ``opens`` month (the first month when they have none).

Without phases nothing waits: every channel, migration and component is live from the
first month, as in a timeless target state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.sizing.calendar import Grid
from blueprintc.solve import phasing as ph

Array = NDArray[np.float64]


def item_id(ref: m.Ref) -> str:
    """The name of an element's work item in the plan: ``kind:name``."""
    return f"{ref.kind}:{ref.name}"


def migration_id(process: m.Process, migration: m.Migration) -> str:
    """The name of a ``migrate`` line's work item in the plan."""
    return f"migration:{process.name}:{migration.source.name}-{migration.target.name}"


def launched_channels(model: Model) -> frozenset[m.Ref]:
    """The channels the plan launches: included or piloted by a phase, and not run today
    (the baseline gives them no volume)."""
    today = set(model.baseline.volumes) if model.baseline is not None else set()
    placed = {ref for phase in model.of(m.Phase) if not phase.library for ref in phase.includes}
    placed |= {p.channel for phase in model.of(m.Phase) if not phase.library for p in phase.pilots}
    return frozenset(r for r in placed if r.kind == "channel" and r not in today)


@attrs.frozen(eq=False, repr=False)
class Timeline:
    """When each item of the plan starts and goes live, and what that means month by month.

    ``starts`` and ``live`` are month indexes by plan item (``kind:name``); items the plan
    does not schedule start and go live in month 0. ``channels`` holds, for every launched
    channel, the share of its contacts it carries in each month (0 before launch, the pilot
    share during the pilot, 1 from the roll-out); other channels carry all of them.
    """

    months: int
    starts: Mapping[str, int]
    live: Mapping[str, int]
    first_live: int
    channels: Mapping[m.Ref, Array]
    launched: frozenset[m.Ref]

    def start(self, ref: m.Ref) -> int:
        """The month the work on an element starts (its one-time costs fall in it)."""
        return self.starts.get(item_id(ref), 0)

    def go_live(self, ref: m.Ref) -> int:
        """The month an element goes live (its recurring costs and usage start in it)."""
        return self.live.get(item_id(ref), 0)

    def availability(self, channel: m.Ref) -> Array:
        """(months,): the share of the channel's contacts it carries in each month."""
        found = self.channels.get(channel)
        return found if found is not None else np.ones(self.months)

    def migration_ramp(self, process: m.Process, migration: m.Migration, grid: Grid) -> Array:
        """(months,): the share of a migration's volume moved in each month: 0 before its
        item is done, rising linearly from 0 in that month to 1 in the ``by`` month (1 from
        the first month it moves when the ``by`` month is not later, or without one)."""
        begin = self.live.get(migration_id(process, migration), 0)
        t = np.arange(self.months, dtype=np.float64)
        end = grid.index_of(*migration.by) if migration.by is not None else begin
        if end <= begin:
            return np.where(t >= begin, 1.0, 0.0)
        return np.clip((t - begin) / (end - begin), 0.0, 1.0)

    def __repr__(self) -> str:
        """One line: ``<Timeline 36 months: 2 channels launched, first go-live month 11>``."""
        return (
            f"<Timeline {self.months} months: {len(self.launched)} channels launched, "
            f"first go-live month {self.first_live}>"
        )


def opening_month(site: m.Site, grid: Grid) -> int:
    """The month a site's seats exist from: its ``opens`` month (the first month when it
    has none, when it exists today, or when it opens before the horizon starts)."""
    if site.opens is None or site.existing:
        return 0
    return max(0, grid.index_of(*site.opens))


def always_live(months: int) -> Timeline:
    """The timeless design: everything in operation from the first month."""
    return Timeline(months, {}, {}, 0, {}, frozenset())


def timeline_of(model: Model, grid: Grid, plan: ph.Plan | None) -> Timeline:
    """The timeline of the blueprint under its plan (everything live without a plan)."""
    if plan is None or not plan.items:
        return always_live(grid.months)
    starts = {item.name: math.floor(item.start) for item in plan.items}
    live = {item.name: math.ceil(item.end) for item in plan.items}
    first = min((math.ceil(p.end) for p in plan.phases), default=0)
    launched = launched_channels(model)
    channels = {}
    for ref in sorted(launched, key=lambda r: r.name):
        try:
            item = plan.item(item_id(ref))
        except KeyError:  # not placed: the plan's own diagnostics say why
            continue
        channels[ref] = _availability(item, grid.months)
    return Timeline(grid.months, starts, live, first, channels, launched)


def _availability(item: ph.ItemSchedule, months: int) -> Array:
    """(months,): 0 before the launch, the pilot share during the pilot, then 1."""
    t = np.arange(months, dtype=np.float64)
    full = math.ceil(item.pilot_end if item.pilot_end is not None else item.end)
    result = np.where(t >= full, 1.0, 0.0)
    if item.pilot_share is not None and item.pilot_start is not None:
        trial = (t >= math.ceil(item.pilot_start)) & (t < full)
        result = np.where(trial, float(Fraction(item.pilot_share)), result)
    return result
