"""The outcome of a compilation: one immutable, typed, time-phased result of sizing and
planning, computed once (``build``) and read by every report, document view, ``diff``
and the language server's hover.

Month by month (arrays of shape ``(months,)``) per queue, site and support role: contacts,
workload, agents, FTE, headcount, seats; licence quantities per component; the cost lines
(with their typed identity, ``solve.finance.LineId``); one key-figures record.

**FTE** has one definition everywhere: a month's scheduled agent hours ÷ the productive
paid hours of one full-time agent, i.e. paid hours × (1 − shrinkage)
(``QueueMonths.fte``, shown as "FTE (scheduled hours ÷ productive paid hours)").  Two
peaks of it are named apart: ``QueueMonths.fte_at_center_peak`` is a queue's FTE in the
center's peak month (the month of the most agents logged in at once, the month the seats
and the staffing plan are drawn for); ``QueueMonths.fte_peak`` is the queue's own busiest
month.  ``KeyFigures.peak_fte`` is the center's total (agents and support staff) in the
month where that total is highest.

The plain result types the readers need are exported from here too (``Grid``, ``Plan``,
``Statement``, ``Ranking``, ``MaturityResult``, ``BudgetCheck``, ``Item``), so document
views, reports, ``diff`` and the language server depend on this package only.
"""

from __future__ import annotations

from fractions import Fraction
from typing import cast

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.planning import quantities as q
from blueprintc.planning.activity import ProcessCost
from blueprintc.planning.baseline_costs import DoNothing
from blueprintc.planning.business_case import BenefitFlow, BusinessCase
from blueprintc.planning.costs import HOURS_PER_MONTH
from blueprintc.planning.phasing import item_id, work_items
from blueprintc.planning.quantities import Unit
from blueprintc.planning.run import TIER_VALUES, BudgetCheck, Planning, Scenario, budget_checks
from blueprintc.planning.savings import LeverKind, Saving, savings
from blueprintc.sizing.calendar import Grid
from blueprintc.sizing.size import DAY_NAMES, QueueSizing, Sizing, site_shares
from blueprintc.sizing.workload import ChannelWork, Flow, Move, Workload
from blueprintc.solve import finance as fin
from blueprintc.solve import maturity as mat
from blueprintc.solve import phasing as ph
from blueprintc.solve import selection as sel
from blueprintc.solve import staffing as st
from blueprintc.source import Span

Item = ph.Item
Plan = ph.Plan
Binding = st.Binding
Bound = st.Bound
Statement = fin.Statement
Ranking = sel.Ranking
MaturityResult = mat.MaturityResult
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
FTE_LABEL = "FTE (scheduled hours ÷ productive paid hours)"
"""How the one FTE definition is named where a figure of it is shown."""
PRICED_FIELDS = ("licence", "subscription", "hosting", "usage")


@attrs.frozen
class QueueId:
    """A queue: a channel's inbound contacts, or its outbound ones."""

    channel: str
    outbound: bool = False

    @property
    def label(self) -> str:
        """``voice`` or ``voice (outbound)``."""
        return f"{self.channel} (outbound)" if self.outbound else self.channel


@attrs.frozen(eq=False)
class QueueMonths:
    """One queue month by month.

    ``fte`` is scheduled agent hours ÷ (paid hours × (1 − shrinkage)).  The service
    figures of a month are weighted over its intervals as ``blueprintc size`` weights them
    (service level and abandonment by contacts, ASA by answered contacts, occupancy by
    agents). Over the horizon, every interval is weighted by contacts:
    ``outcome.figures.horizon_average``, the one rule `size`, `assert` and the documents use.
    """

    id: QueueId
    mode: str  # realtime, deferred or outbound
    contacts: FloatArray  # offered (attempts for outbound) a month
    workload_hours: FloatArray  # contacts x handle time, hours a month
    peak_agents: IntArray  # agents at the month's busiest interval
    agent_hours: FloatArray  # scheduled agent hours a month (the representative week's)
    fte: FloatArray
    headcount: IntArray  # whole people: ceil(FTE)
    service_level: FloatArray
    asa: FloatArray  # seconds
    abandon: FloatArray
    occupancy: FloatArray
    center_peak_month: int
    span: Span  # the channel's declaration
    sizing: QueueSizing = attrs.field(repr=False)  # the interval detail behind the months

    @property
    def label(self) -> str:
        return self.id.label

    @property
    def name(self) -> str:
        """The queue's name as the sizing reports it (``voice``, ``voice (outbound)``)."""
        return self.sizing.name

    @property
    def channel(self) -> m.Channel:
        return self.sizing.work.channel

    @property
    def spec(self) -> st.QueueSpec:
        """The queue's service policy: targets, limits, mode, concurrency."""
        return self.sizing.spec

    @property
    def concurrency(self) -> float:
        """Contacts one agent works at once (chat sessions; 1 for voice)."""
        return float(self.sizing.spec.concurrency)

    @property
    def intervals(self) -> st.Intervals:
        """Agents and contacts of every interval of every month (shape ``(months, 7,
        intervals a day)``), every figure of one month (``month``) and the service
        figures' sums over the horizon."""
        return self.sizing.intervals

    @property
    def open(self) -> NDArray[np.bool_]:
        """``(7, intervals a day)``: the intervals the queue is open."""
        return self.sizing.work.open

    @property
    def handle_time(self) -> FloatArray:
        """Seconds a contact, month by month."""
        return np.asarray(self.sizing.work.handle_time, dtype=np.float64)

    @property
    def carried(self) -> FloatArray:
        """Contacts a month arriving while closed and carried to the next opening."""
        return np.asarray(self.sizing.work.carried, dtype=np.float64)

    @property
    def lost(self) -> FloatArray:
        """Contacts a month arriving while closed and lost."""
        return np.asarray(self.sizing.work.lost, dtype=np.float64)

    @property
    def binding(self) -> st.Bound | None:
        """What sets the queue's agents at its busiest interval (service level, ASA,
        abandonment, occupancy cap, minimum staff or the work itself), found by sizing."""
        return self.sizing.binding

    @property
    def fte_peak(self) -> float:
        """The queue's FTE in its own busiest month (the most FTE)."""
        return float(self.fte.max(initial=0.0))

    @property
    def fte_peak_month(self) -> int:
        return int(np.argmax(self.fte)) if self.fte.size else 0

    @property
    def fte_at_center_peak(self) -> float:
        """The queue's FTE in the center's peak month (`Sizing.peak_month`)."""
        return float(self.fte[self.center_peak_month]) if self.fte.size else 0.0


@attrs.frozen(eq=False)
class SiteMonths:
    """A site's seats month by month (nothing before it opens)."""

    site: str
    seats: IntArray  # needed at each month's busiest interval
    capacity: int  # declared seats
    span: Span
    share: float = 1.0  # of the staff, all sites open (`share`, else by capacity; sum 1)
    needed: int = 0  # seats at the busiest interval of the horizon (`sizing.seats`)

    @property
    def peak(self) -> int:
        return int(self.seats.max(initial=0))


@attrs.frozen(eq=False)
class CenterMonths:
    """The whole center month by month."""

    agent_fte: FloatArray  # the queues' FTE together
    support_people: IntArray  # every support role's people together
    total_fte: FloatArray  # agent FTE + support people (FTE_LABEL)
    peak_concurrent: IntArray  # agents logged in at the month's busiest interval
    paid_hours_per_week: float  # of one full-time agent
    peak_week: IntArray  # (7, n): agents logged in per interval of the peak month's week


@attrs.frozen(eq=False)
class SupportMonths:
    """A support role's people month by month: ceil(agent headcount ÷ its span)."""

    role: str
    people: IntArray
    span: Span | None  # the role's own `span` line


@attrs.frozen(eq=False)
class LicenceQuantity:
    """What a component's prices on one unit are applied to, month by month from its
    go-live (``planning.quantities``: the cost lines count the same)."""

    component: str
    unit: Unit
    months: tuple[Fraction, ...]  # units a month, zero before go-live
    bought: Fraction  # one-time prices: the busiest month from go-live
    bought_month: int
    live: int  # the month the component goes live
    priced_as: tuple[str, ...]  # e.g. ``licence``, ``subscription (cloud)``
    span: Span | None  # the first price on this unit


@attrs.frozen
class KeyFigures:
    """The headline figures, each computed once."""

    contacts_per_year: tuple[float, ...]  # inbound contacts, project years
    peak_fte: float  # agents and support staff, in the month of the most (FTE_LABEL)
    peak_fte_month: int
    agent_fte_at_peak: float  # the agents' FTE in the center's peak month
    peak_month: int  # the center's peak month: the most agents logged in at once
    peak_agents: int
    seats: int
    capex: Fraction
    opex: Fraction
    tco: Fraction
    npv: Fraction
    cost_per_contact: Fraction | None  # opex ÷ inbound contacts over the horizon
    payback_month: int | None = None  # the business case's, when planning has one
    irr: float | None = None
    case_npv: Fraction | None = None
    roi: Fraction | None = None


@attrs.frozen(eq=False, repr=False)
class Outcome:
    """Sizing and planning as one result (see the module docstring)."""

    months: tuple[str, ...]  # "YYYY-MM"
    queues: tuple[QueueMonths, ...]
    sites: tuple[SiteMonths, ...]
    support: tuple[SupportMonths, ...]
    licences: tuple[LicenceQuantity, ...]
    key: KeyFigures
    statement: fin.Statement  # the design's cost lines
    planning: Planning = attrs.field(repr=False)  # options, scenarios, activity costs
    grid: Grid | None = None  # the horizon's months and intervals of the day
    center: CenterMonths | None = None
    work_items: tuple[ph.Item, ...] = ()  # what the plan places (components, launches, ...)
    budget_checks: tuple[BudgetCheck, ...] = ()  # budgets against the capital spent
    channel_costs: dict[str, Fraction] = attrs.field(factory=dict)  # per contact, by channel
    model: Model | None = attrs.field(default=None, repr=False)  # what was sized and planned
    sized: Sizing | None = attrs.field(default=None, repr=False)  # the interval detail
    _memo: dict[str, object] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def plan(self) -> ph.Plan | None:
        return self.planning.plan

    @property
    def options(self) -> tuple[fin.OptionResult, ...]:
        return self.planning.options

    @property
    def ranking(self) -> sel.Ranking | None:
        return self.planning.ranking

    @property
    def maturity(self) -> mat.MaturityResult | None:
        return self.planning.maturity

    @property
    def flips(self) -> tuple[sel.Flip, ...]:
        """Vendor-ranking weight changes that would change the winner."""
        return self.planning.flips

    @property
    def activity(self) -> tuple[ProcessCost, ...]:
        """Cost per process and contact (activity-based costing)."""
        return tuple(self.planning.activity)

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Procurement what-ifs: a vendor's negotiated discount."""
        return self.planning.scenarios

    @property
    def do_nothing(self) -> DoNothing | None:
        """Today's operation sized and costed (a blueprint with a baseline)."""
        return self.planning.do_nothing

    @property
    def business_case(self) -> BusinessCase | None:
        """The design against doing nothing, month by month (a blueprint with a baseline)."""
        return self.planning.business_case

    @property
    def contacts(self) -> Fraction:
        """Inbound contacts over the horizon (what cost per contact divides by)."""
        return self.planning.contacts

    @property
    def channel_contacts(self) -> dict[str, Fraction]:
        """Per assisted channel, its contacts over the horizon (inbound and outbound)."""
        return self.planning.channel_contacts

    def go_live(self, ref: m.Ref) -> int:
        """The month index a component, channel or practice goes live (the timeline's;
        the horizon's length or more when after it)."""
        return self.planning.timing.go_live(ref)

    @property
    def channels(self) -> tuple[ChannelWork, ...]:
        """Every channel's contacts month by month, self-service ones too."""
        return self._workload().channels

    @property
    def flows(self) -> tuple[Flow, ...]:
        """Contacts per process (or outbound contact) and channel, month by month:
        offered, handled by agents, contained by automation."""
        return self._workload().flows

    @property
    def moves(self) -> tuple[Move, ...]:
        """Contacts each migration moves to its target channel, month by month."""
        return self._workload().moves

    def flows_of(self, source: m.Ref) -> tuple[Flow, ...]:
        """The flows of one process (or proactive contact), in channel order."""
        return self._workload().of_process(source)

    def _workload(self) -> Workload:
        assert self.sized is not None, "built by outcome.build"
        return self.sized.workload

    def savings(self) -> tuple[Saving, ...]:
        """What each lever saves, month by month: the design costed once more without each
        lever, so computed on first use and kept (``cost --savings``, documents)."""
        if "savings" not in self._memo:
            assert self.model is not None and self.sized is not None, "built by outcome.build"
            found = savings(self.model, self.sized, self.statement)
            self._memo["savings"] = tuple(found)
        return cast("tuple[Saving, ...]", self._memo["savings"])

    @property
    def option_statements(self) -> dict[str, fin.Statement]:
        """Each deployment option's cost lines, by option name."""
        return self.planning.option_statements

    def month(self, index: int | Fraction) -> str:
        """``YYYY-MM`` of a month index from the start (clamped to the horizon)."""
        if not self.months:
            return self.grid.label(0) if self.grid is not None else ""
        return self.months[max(0, min(int(index), len(self.months) - 1))]

    def site(self, name: str) -> SiteMonths | None:
        return next((x for x in self.sites if x.site == name), None)

    def queue(self, channel: str, outbound: bool = False) -> QueueMonths | None:
        return next((x for x in self.queues if x.id == QueueId(channel, outbound)), None)

    def licence(self, component: str, unit: Unit) -> LicenceQuantity | None:
        found = (x for x in self.licences if x.component == component and x.unit is unit)
        return next(found, None)

    def __repr__(self) -> str:
        """One line: ``<Outcome 36 months: 5 queues, 2 sites, 4 licence quantities>``."""
        return (
            f"<Outcome {len(self.months)} months: {len(self.queues)} queues, "
            f"{len(self.sites)} sites, {len(self.licences)} licence quantities>"
        )


def build(model: Model, sizing: Sizing, planning: Planning) -> Outcome:
    """The outcome of a sized and planned model."""
    grid = sizing.grid
    return Outcome(
        tuple(grid.label(t) for t in range(grid.months)),
        tuple(_queue(x, sizing.peak_month) for x in sizing.queues),
        _sites(model, sizing),
        _support(model, sizing),
        licence_quantities(model, sizing, planning),
        _key(sizing, planning),
        planning.statement,
        planning,
        grid,
        CenterMonths(
            np.asarray(sizing.agent_fte, dtype=np.float64),
            sizing.support_total,
            np.asarray(sizing.total_fte, dtype=np.float64),
            sizing.peak_concurrent,
            sizing.paid_hours_per_week,
            _peak_week(sizing),
        ),
        tuple(work_items(model)),
        tuple(budget_checks(model, planning.statement, planning.plan)),
        planning.channel_costs(),
        model,
        sizing,
    )


def _queue(queue: QueueSizing, peak: int) -> QueueMonths:
    work, monthly = queue.work, queue.monthly
    return QueueMonths(
        QueueId(work.channel.name, work.outbound),
        queue.spec.mode,
        np.asarray(work.monthly, dtype=np.float64),
        np.asarray(work.monthly * work.handle_time / 3600.0, dtype=np.float64),
        monthly.peak_agents,
        monthly.agent_hours,
        monthly.fte,
        monthly.headcount,
        monthly.service_level,
        monthly.asa,
        monthly.abandon,
        monthly.occupancy,
        peak,
        work.channel.span,
        queue,
    )


def _sites(model: Model, sizing: Sizing) -> tuple[SiteMonths, ...]:
    months = sizing.grid.months
    # Seats month by month when sizing gives them per site, else the peak in every month.
    by_month: dict[str, IntArray] = getattr(sizing, "site_seats", {})
    result = []
    sites = [s for s in model.of(m.Site) if not s.library]
    shares = site_shares(sites) if sites else {}
    for site in sites:
        peak = sizing.seats.get(site.name, 0)
        seats = by_month.get(site.name, np.full(months, peak, dtype=np.int64))
        share = float(shares[site.name])
        result.append(SiteMonths(site.name, seats, site.seats, site.span, share, peak))
    return tuple(result)


def _support(model: Model, sizing: Sizing) -> tuple[SupportMonths, ...]:
    staffing = model.staffing
    result = []
    for role, people in sizing.support.items():
        origin = staffing.role_origin("span", role) if staffing is not None else None
        result.append(SupportMonths(role, people, origin.span if origin else None))
    return tuple(result)


def licence_quantities(
    model: Model, sizing: Sizing, planning: Planning
) -> tuple[LicenceQuantity, ...]:
    """Per component and unit of its prices (the design's and every option's)."""
    timing = planning.timing
    result = []
    for component in model.of(m.Component):
        priced = [(None, component.costs), *sorted(component.options.items())]
        by_unit: dict[Unit, list[tuple[str | None, str]]] = {}
        for option, costs in priced:
            for field in PRICED_FIELDS:
                amount: m.Amount | None = getattr(costs, field)
                if amount is not None:
                    by_unit.setdefault(q.unit_of(amount, field), []).append((option, field))
        for unit, fields in by_unit.items():
            counts = q.component_counts(sizing, timing, component, unit)
            bought, month = q.bought(counts)
            option, field = fields[0]
            origin = component.origin(field if option is None else "options")
            result.append(
                LicenceQuantity(
                    component.name,
                    unit,
                    tuple(counts),
                    bought,
                    month,
                    timing.go_live(component.ref),
                    tuple(f if o is None else f"{f} ({o})" for o, f in fields),
                    origin.span if origin is not None else component.span,
                )
            )
    return tuple(result)


def _key(sizing: Sizing, planning: Planning) -> KeyFigures:
    months = sizing.grid.months
    inbound = np.zeros(months)
    for work in sizing.workload.channels:
        if not work.outbound:
            inbound = inbound + work.monthly
    years = tuple(float(inbound[i : i + 12].sum()) for i in range(0, months, 12))
    total = sizing.total_fte
    peak_fte_month = int(np.argmax(total)) if months else 0
    statement = planning.statement
    case = planning.business_case  # a blueprint with a baseline
    figures = case.figures if case is not None else None
    return KeyFigures(
        years,
        float(total[peak_fte_month]) if months else 0.0,
        peak_fte_month,
        float(sizing.agent_fte[sizing.peak_month]) if months else 0.0,
        sizing.peak_month,
        int(sizing.peak_concurrent.max(initial=0)),
        sum(sizing.seats.values()),
        statement.capex.total,
        statement.opex.total,
        fin.tco(statement),
        planning.npv,
        planning.cost_per_contact(),
        figures.payback if figures is not None else None,
        figures.irr if figures is not None else None,
        figures.npv if figures is not None else None,
        figures.roi if figures is not None else None,
    )


def _peak_week(sizing: Sizing) -> IntArray:
    """(7, n): the agents of every queue logged in per interval of the peak month's week."""
    grid = sizing.grid
    total = np.zeros((7, grid.per_day), dtype=np.int64)
    if not grid.months:
        return total
    for queue in sizing.queues:
        total = total + queue.intervals.agents[sizing.peak_month]
    return total


__all__ = [
    "DAY_NAMES",
    "FTE_LABEL",
    "HOURS_PER_MONTH",
    "TIER_VALUES",
    "BenefitFlow",
    "Binding",
    "Bound",
    "BudgetCheck",
    "BusinessCase",
    "CenterMonths",
    "ChannelWork",
    "DoNothing",
    "Flow",
    "Grid",
    "Item",
    "KeyFigures",
    "LeverKind",
    "LicenceQuantity",
    "MaturityResult",
    "Move",
    "Outcome",
    "Plan",
    "ProcessCost",
    "QueueId",
    "QueueMonths",
    "Ranking",
    "Saving",
    "Scenario",
    "SiteMonths",
    "Statement",
    "SupportMonths",
    "Unit",
    "build",
    "item_id",
    "licence_quantities",
]
