"""What a price is applied to, month by month: the one count of seats, users, handled
hours and contacts that the cost lines, the technology design and the RFP all use.

A component's prices count from the month it goes live (its licences are bought for the
busiest month from then, its recurring costs are paid from then): the seats logged in on
the channels it supports before it goes live are served by whatever runs them today.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from weakref import WeakKeyDictionary

import numpy as np

from blueprintc.model import elements as m
from blueprintc.sizing.size import Sizing
from blueprintc.sizing.timeline import Timeline


class Unit(enum.Enum):
    """What one unit of a price is."""

    SEAT = "seat"  # an agent logged in at the month's busiest interval
    USER = "user"  # an agent employed (headcount)
    FLAT = "flat"  # the component as a whole
    HANDLED_HOUR = "handled hour"  # an hour of handled work on the supported channels
    CONTACT = "contact"  # a contact on the supported channels

    @property
    def per_agent(self) -> bool:
        """Counted in agents (seats or users): a licence quantity."""
        return self in (Unit.SEAT, Unit.USER)


def unit_of(amount: m.Amount, field: str) -> Unit:
    """The unit of a component's price ``field`` (licence, subscription, hosting, usage)."""
    if field == "usage":
        return Unit.HANDLED_HOUR if amount.per_time else Unit.CONTACT
    if "seat" in amount.per:
        return Unit.SEAT
    if "user" in amount.per:
        return Unit.USER
    return Unit.FLAT


_COUNTS: WeakKeyDictionary[Sizing, dict[tuple[frozenset[str], Unit], tuple[Fraction, ...]]] = (
    WeakKeyDictionary()
)


def counts(sizing: Sizing, channels: tuple[m.Ref, ...], unit: Unit) -> list[Fraction]:
    """(months,) units on ``channels`` in every month of the horizon (before any go-live).

    Counted once per sized center, channels and unit: every cost statement of a
    compilation (the design, each deployment option, each vendor's discount) and every
    component on the same channels reads the same counts."""
    names = frozenset(ref.name for ref in channels)
    known = _COUNTS.setdefault(sizing, {})
    if (names, unit) not in known:
        known[names, unit] = tuple(_counts(sizing, names, unit))
    return list(known[names, unit])


def _counts(sizing: Sizing, names: frozenset[str], unit: Unit) -> list[Fraction]:
    months = sizing.grid.months
    if unit is Unit.FLAT:
        return [Fraction(1)] * months
    if unit.per_agent:
        queues = sizing.queues_on(set(names))
        if not queues:
            return [Fraction(0)] * months
        if unit is Unit.SEAT:
            agents = sum(q.intervals.agents.astype(np.int64) for q in queues)
            peaks = np.asarray(agents).reshape(months, -1).max(axis=1)
            return [Fraction(int(v)) for v in peaks]
        return [
            Fraction(int(sum(int(q.monthly.headcount[t]) for q in queues))) for t in range(months)
        ]
    totals = [Fraction(0)] * months
    for work in sizing.workload.on(set(names)):
        for t in range(months):
            if unit is Unit.CONTACT:
                totals[t] += Fraction(float(work.monthly[t]))
            else:
                totals[t] += Fraction(float(work.monthly[t] * work.handle_time[t])) / 3600
    return totals


def from_month(values: list[Fraction], first: int) -> list[Fraction]:
    """``values`` with nothing before month ``first``."""
    return [v if t >= first else Fraction(0) for t, v in enumerate(values)]


def component_counts(
    sizing: Sizing, timing: Timeline, component: m.Component, unit: Unit
) -> list[Fraction]:
    """(months,) units a price of ``component`` is applied to: nothing before it goes live."""
    return from_month(counts(sizing, component.supports, unit), timing.go_live(component.ref))


def bought(values: list[Fraction]) -> tuple[Fraction, int]:
    """The quantity bought for a one-time price (the busiest month's) and that month."""
    if not values:
        return Fraction(0), 0
    peak = max(values)
    return peak, values.index(peak)
