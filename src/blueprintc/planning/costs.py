"""The financial design: monthly cost lines from the model, the sizing and the plan.

Conventions (docs/finance.md):
- Month 0 is the blueprint's `start`; a month has 730 hours (8,760 / 12).
- One-time costs (implementation, licences, fit-out, introducing a practice) fall in the
  month the item's work starts in the plan; recurring costs (subscriptions, hosting,
  maintenance, usage) run from the month it goes live to the end of the horizon. Nothing
  is paid before its phase starts. Without phases every item starts in month 0.
- Per-seat prices count the agents logged in at the month's busiest interval on the
  channels the component supports; per-user prices count the agents employed on them
  (headcount); a one-time per-seat licence is bought for the busiest month of the horizon.
- Usage per minute is charged on the minutes handled on the channels the component (or
  channel) supports; per contact or message on their contacts.
- Maintenance is a yearly share of the component's licences, paid monthly from go-live.
- Staff: agent FTE × paid hours a month × loaded cost per paid hour, plus support staff at
  their yearly cost / 12.
- Facilities: fit-out of a new site's seats in the month it opens (`opens`; month 0
  without one); rent and running costs monthly from then.
- Current systems: kept ones cost until the horizon ends; replaced ones until one month
  after the component replacing them goes live; retired ones until one month after the
  first phase goes live (the blueprint's `overlap`, one month by default).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TypeVar
from weakref import WeakKeyDictionary

import attrs

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.planning import quantities as q
from blueprintc.sizing.size import Sizing
from blueprintc.sizing.timeline import Timeline, opening_month
from blueprintc.solve import finance as fin
from blueprintc.solve.finance import CostKind as K
from blueprintc.solve.finance import OwnerKind as O
from blueprintc.solve.staffing import MonthlyStaff

E = TypeVar("E", bound=m.Element)

HOURS_PER_MONTH = Fraction(8760, 12)
WEEKS_PER_MONTH = Fraction(365, 7 * 12)


@attrs.frozen
class Scope:
    """Some owners of cost lines: the lines a change of the design can touch (what-ifs
    cost only these lines again). Channels are named; the others are elements."""

    components: frozenset[m.Ref] = frozenset()
    channels: frozenset[m.Ref] = frozenset()
    """Their queues' agents lines and their usage (telephony) lines."""
    support: bool = False
    """The support staff lines."""
    sites: frozenset[m.Ref] = frozenset()
    practices: frozenset[m.Ref] = frozenset()
    systems: frozenset[m.Ref] = frozenset()


class Builder:
    """Makes the cost lines of one deployment option (those of ``scope`` only, if given)."""

    def __init__(
        self,
        model: Model,
        sizing: Sizing,
        timing: Timeline,
        option: str | None,
        discounts: dict[str, Fraction] | None = None,
        scope: Scope | None = None,
    ) -> None:
        self.discounts = discounts or {}
        self.model = model
        self.sizing = sizing
        self.timing = timing
        self.option = option
        self.scope = scope
        self.months = sizing.grid.months
        self.lines: list[fin.Line] = []

    def _of(self, kind: type[E], refs: frozenset[m.Ref]) -> Sequence[E]:
        """The model's elements of a kind, those of the scope only when there is one."""
        if self.scope is None:
            return self.model.of(kind)
        found = (self.model.get(ref) for ref in refs)
        return sorted((e for e in found if isinstance(e, kind)), key=lambda e: e.name)

    def add(self, line: fin.LineId, amounts: list[Fraction]) -> None:
        if any(amounts):
            self.lines.append(fin.Line.priced(line, amounts))

    def once(self, month: int, amount: Fraction) -> list[Fraction]:
        values = [Fraction(0)] * self.months
        if 0 <= month < self.months:
            values[month] = amount
        return values

    def monthly(
        self, first: int, per_month: list[Fraction], last: int | None = None
    ) -> list[Fraction]:
        end = self.months if last is None else min(last, self.months)
        return [per_month[t] if first <= t < end else Fraction(0) for t in range(self.months)]

    # -- drivers (planning.quantities: the one count every view reads) ----------------

    def handled_hours(self, channels: tuple[m.Ref, ...]) -> list[Fraction]:
        return q.counts(self.sizing, channels, q.Unit.HANDLED_HOUR)

    def contacts(self, channels: tuple[m.Ref, ...]) -> list[Fraction]:
        return q.counts(self.sizing, channels, q.Unit.CONTACT)

    # -- lines ------------------------------------------------------------------------

    def components(self) -> None:
        scope = self.scope.components if self.scope else frozenset()
        for component in self._of(m.Component, scope):
            costs = component.costs
            if self.option and self.option in component.options:
                costs = component.options[self.option]
            discount = self.discounts.get(component.name)
            if discount:
                costs = _discounted(costs, 1 - discount)
            self.component(component, costs)

    def component(self, component: m.Component, costs: m.Costs) -> None:
        start = self.timing.start(component.ref)
        live = self.timing.go_live(component.ref)
        name = component.name
        if costs.implementation is not None:
            self.add(
                _component(name, K.IMPLEMENTATION), self.once(start, costs.implementation.value)
            )
        licence_total = Fraction(0)
        if costs.licence is not None:
            count, _ = q.bought(self._count(component, costs.licence, "licence"))
            licence_total = costs.licence.value * count
            self.add(_component(name, K.LICENCES), self.once(start, licence_total))
        if costs.maintenance is not None and licence_total:
            per_month = [licence_total * costs.maintenance / 12] * self.months
            self.add(_component(name, K.MAINTENANCE), self.monthly(live, per_month))
        for field, kind in (
            ("subscription", K.SUBSCRIPTION),
            ("hosting", K.HOSTING),
            ("usage", K.USAGE),
        ):
            amount: m.Amount | None = getattr(costs, field)
            if amount is None:
                continue
            unit = q.unit_of(amount, field)
            if amount.per_time and unit is q.Unit.FLAT and amount.per:
                continue  # per contact or message per hour: not a meaningful price
            if not amount.per_time and field != "usage":
                continue  # a one-time subscription or hosting is not priced
            hourly = unit.per_agent or unit is q.Unit.FLAT  # a price per hour of service
            price = amount.value * HOURS_PER_MONTH if hourly else amount.value
            per_month = [price * c for c in self._count(component, amount, field)]
            self.add(_component(name, kind), self.monthly(live, per_month))

    def _count(self, component: m.Component, amount: m.Amount, field: str) -> list[Fraction]:
        """The units ``amount`` of ``component`` is applied to, month by month from go-live."""
        return q.component_counts(self.sizing, self.timing, component, q.unit_of(amount, field))

    def channel_usage(self) -> None:
        scope = self.scope.channels if self.scope else frozenset()
        for channel in self._of(m.Channel, scope):
            usage = channel.usage
            if usage is None or channel.library:
                continue
            if usage.per_time:
                per_month = [usage.value * h for h in self.handled_hours((channel.ref,))]
            else:
                per_month = [usage.value * c for c in self.contacts((channel.ref,))]
            self.add(fin.LineId(O.CHANNEL, channel.name, K.TELEPHONY), per_month)

    def staff(self) -> None:
        staffing = self.model.staffing
        if staffing is None:
            return
        paid = staffing.paid_hours_per_week * WEEKS_PER_MONTH
        queues = self.sizing.queues
        if self.scope is not None:
            queues = tuple(self.sizing.queues_on({ref.name for ref in self.scope.channels}))
        rate = paid * staffing.loaded_cost
        for queue in queues:
            amounts = _staff_amounts(queue.monthly, rate)
            self.add(agents_line(queue.work.channel.name, queue.work.outbound), list(amounts))
        if self.scope is not None and not self.scope.support:
            return
        for role, counts in self.sizing.support.items():
            cost = staffing.role_costs.get(role, Fraction(0)) / 12
            self.add(support_line(role), [cost * int(c) for c in counts])

    def facilities(self) -> None:
        for site in self._of(m.Site, self.scope.sites if self.scope else frozenset()):
            if site.library:
                continue
            opens = opening_month(site, self.sizing.grid)
            if not site.existing and site.fitout is not None:
                self.add(
                    fin.LineId(O.SITE, site.name, K.FIT_OUT),
                    self.once(opens, site.fitout.value * site.seats),
                )
            if site.running is not None:
                per_month = [site.running.value * HOURS_PER_MONTH * site.seats] * self.months
                self.add(fin.LineId(O.SITE, site.name, K.RUNNING), self.monthly(opens, per_month))
            if site.rent is not None and site.area_per_seat is not None:
                area = site.area_per_seat * site.seats
                per_month = [site.rent.value * HOURS_PER_MONTH * area] * self.months
                self.add(fin.LineId(O.SITE, site.name, K.RENT), self.monthly(opens, per_month))

    def practices(self) -> None:
        maturity = self.model.maturity
        if maturity is None or (self.scope is not None and not self.scope.practices):
            return
        for ref in maturity.target:
            if self.scope is not None and ref not in self.scope.practices:
                continue
            practice = self.model.get(ref)
            if isinstance(practice, m.Practice) and practice.cost and ref not in maturity.current:
                self.add(
                    fin.LineId(O.PRACTICE, practice.name, K.INTRODUCTION),
                    self.once(self.timing.start(ref), practice.cost),
                )

    def current_systems(self) -> None:
        if self.scope is not None and not self.scope.systems:
            return
        replaced_at: dict[m.Ref, int] = {}
        for component in self.model.of(m.Component):
            for ref in component.replaces:
                replaced_at[ref] = min(
                    replaced_at.get(ref, 10**9), self.timing.go_live(component.ref)
                )
        for system in self._of(m.System, self.scope.systems if self.scope else frozenset()):
            if system.cost is None:
                continue
            if system.fate == "keep":
                last = None
            else:
                overlap = self.model.blueprint.overlap_months
                last = replaced_at.get(system.ref, self.timing.first_live) + overlap
            per_month = [system.cost * HOURS_PER_MONTH] * self.months
            self.add(
                fin.LineId(O.SYSTEM, system.name, K.CURRENT_SYSTEM),
                self.monthly(0, per_month, last),
            )

    def build(self) -> fin.Statement:
        self.components()
        self.channel_usage()
        self.staff()
        self.facilities()
        self.practices()
        self.current_systems()
        grid = self.sizing.grid
        return fin.Statement(self.lines, grid.start_year, grid.start_month, horizon=self.months)


_STAFF_AMOUNTS: WeakKeyDictionary[MonthlyStaff, dict[Fraction, tuple[Fraction, ...]]] = (
    WeakKeyDictionary()
)


def _staff_amounts(monthly: MonthlyStaff, rate: Fraction) -> tuple[Fraction, ...]:
    """A queue's agents' cost month by month: FTE × paid hours a month × loaded cost (the
    same for every option and scenario costed, so made once per queue and rate)."""
    known = _STAFF_AMOUNTS.setdefault(monthly, {})
    if rate not in known:
        known[rate] = tuple(Fraction(float(f)) * rate for f in monthly.fte)
    return known[rate]


def _component(name: str, kind: fin.CostKind) -> fin.LineId:
    return fin.LineId(O.COMPONENT, name, kind)


def agents_line(channel: str, outbound: bool = False) -> fin.LineId:
    """The identity of a queue's agents' cost line (``voice agents``, ``voice (outbound)
    agents``)."""
    return fin.LineId(O.QUEUE, channel, K.AGENTS, outbound)


def support_line(role: str) -> fin.LineId:
    """The identity of a support role's cost line (``supervisor staff``)."""
    return fin.LineId(O.ROLE, role, K.SUPPORT_STAFF)


def channel_cost(statement: fin.Statement, channel: str) -> Fraction:
    """What a channel's contacts cost directly over the horizon: its lines of
    `DIRECT_COSTS` (its queues' agents, inbound and outbound, and its telephony), read by
    their identities."""
    return sum(
        (
            statement.line_total(fin.LineId(owner_kind, channel, kind, outbound))
            for owner_kind, kind in DIRECT_COSTS  # exact sums: the order does not matter
            for outbound in (False, True)
        ),
        Fraction(0),
    )


DIRECT_COSTS = frozenset({(O.QUEUE, K.AGENTS), (O.CHANNEL, K.TELEPHONY)})
"""The cost lines that are a channel's direct cost (`channel_cost`)."""


def _discounted(costs: m.Costs, factor: Fraction) -> m.Costs:
    """The vendor's prices after a negotiated discount (maintenance follows the licence)."""

    def scale(amount: m.Amount | None) -> m.Amount | None:
        return None if amount is None else attrs.evolve(amount, value=amount.value * factor)

    return m.Costs(
        scale(costs.subscription),
        scale(costs.licence),
        scale(costs.usage),
        costs.maintenance,
        scale(costs.implementation),
        scale(costs.hosting),
    )


def options_of(model: Model) -> list[str]:
    """Deployment models the blueprint can compare (more than one means options)."""
    found = {c.model for c in model.of(m.Component) if c.model} | {
        o for c in model.of(m.Component) for o in c.options
    }
    return sorted(found)


def statement(
    model: Model,
    sizing: Sizing,
    timing: Timeline,
    option: str | None = None,
    discounts: dict[str, Fraction] | None = None,
) -> fin.Statement:
    """The cost lines of the design (``option`` None: each component's own model), with
    negotiated ``discounts`` per component name (what-if scenarios)."""
    return Builder(model, sizing, timing, option, discounts).build()


def scoped_lines(model: Model, sizing: Sizing, timing: Timeline, scope: Scope) -> list[fin.Line]:
    """The cost lines of the owners in ``scope`` only (each component's own model), as
    :func:`statement` makes them."""
    builder = Builder(model, sizing, timing, None, None, scope)
    builder.components()
    builder.channel_usage()
    builder.staff()
    builder.facilities()
    builder.practices()
    builder.current_systems()
    return builder.lines


def iter_months(statement: fin.Statement) -> Iterator[tuple[Fraction, Fraction]]:
    yield from zip(statement.capex.months, statement.opex.months, strict=True)
