"""Activity-based costing per interaction process, and procurement scenarios.

Cost of a process = its handled minutes on each assisted channel × that channel's cost per
handled minute (the channel's agent and telephony costs over all minutes handled on it)
+ its share of every other operating cost (technology, facilities, support staff, current
systems), allocated by contacts: the driver consultants use when nothing better is known.
The costs of all processes and proactive contacts add up to the operating
cost of the horizon.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.planning.costs import DIRECT_COSTS
from blueprintc.sizing.size import Sizing
from blueprintc.solve import finance as fin


@attrs.frozen
class ProcessCost:
    """The cost of one process over the horizon."""

    name: str
    contacts: Fraction
    direct: Fraction
    overhead: Fraction

    @property
    def total(self) -> Fraction:
        return self.direct + self.overhead

    @property
    def per_contact(self) -> Fraction | None:
        return self.total / self.contacts if self.contacts else None


def _minutes_and_contacts(
    model: Model, sizing: Sizing, process: m.Process
) -> tuple[dict[str, Fraction], Fraction]:
    """A process's handled minutes per assisted channel and its contacts (all channels,
    before automation), from the sizing workload's flows."""
    minutes: dict[str, Fraction] = {}
    contacts = Fraction(0)
    for flow in sizing.workload.of_process(process.ref):
        channel = model.get(flow.channel)
        if not isinstance(channel, m.Channel):
            continue
        contacts += Fraction(float(np.sum(flow.offered)))
        if channel.assisted:
            minutes[channel.name] = Fraction(float(np.sum(flow.handled) * flow.handle_time / 60))
    return minutes, contacts


def activity_costs(
    model: Model, sizing: Sizing, statement: fin.Statement
) -> tuple[ProcessCost, ...]:
    """Cost per process (and per proactive contact, as a whole per channel queue)."""
    channel_cost: dict[str, Fraction] = {}
    for line in statement.lines:
        if line.id is not None and (line.id.owner_kind, line.id.kind) in DIRECT_COSTS:
            owner = line.id.owner_label  # a process's channel, or an outbound queue's row
            channel_cost[owner] = channel_cost.get(owner, Fraction(0)) + line.total
    handled: dict[str, Fraction] = {}
    rows = []
    for process in model.of(m.Process):
        minutes, contacts = _minutes_and_contacts(model, sizing, process)
        rows.append((process.name, minutes, contacts))
        for channel, value in minutes.items():
            handled[channel] = handled.get(channel, Fraction(0)) + value
    for queue in sizing.queues:
        if queue.work.outbound:
            name = queue.name
            attempts = Fraction(float(queue.work.monthly.sum()))
            rows.append((name, {name: Fraction(1)}, attempts))
            handled[name] = Fraction(1)
    rate = {c: channel_cost.get(c, Fraction(0)) / v for c, v in handled.items() if v}
    direct = {
        name: sum((mins * rate.get(c, Fraction(0)) for c, mins in minutes.items()), Fraction(0))
        for name, minutes, _ in rows
    }
    all_contacts = sum((c for _, _, c in rows), Fraction(0))
    overhead_pool = statement.opex.total - sum(direct.values(), Fraction(0))
    return tuple(
        ProcessCost(
            name,
            contacts,
            direct[name],
            overhead_pool * contacts / all_contacts if all_contacts else Fraction(0),
        )
        for name, _, contacts in rows
    )
