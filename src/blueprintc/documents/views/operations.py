"""Document 9, operations templates: the MIS reports the center will run, each KPI's
definition, formula and target, and the training needs per component and role.

Targets come from the blueprint (a channel's ``target``, ``response``, ``max_asa``,
``max_abandon``, ``occupancy``, and limits written in ``assert`` lines); the planned value
beside each is the compiled design's. Planned service level, ASA, abandonment and
occupancy are averages over every interval of the horizon weighted by contacts, exactly
as the ``assert`` figures of the same names (docs/sizing.md §5); cost per contact is the
financial design's (docs/finance.md §8).
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.documents.context import Context, Where
from blueprintc.model import elements as m
from blueprintc.outcome import QueueMonths
from blueprintc.outcome.figures import horizon_average
from blueprintc.semantic import figures as F

# -- the catalogue: what the center measures and reports --------------------------------------


@attrs.frozen
class Kpi:
    key: str
    name: str
    definition: str
    formula: str
    reports: tuple[str, ...]  # keys of the reports that show it


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "service_level",
        "Service level",
        "Share of contacts answered within the target time, counted as the channel's "
        "definition says (offered, answered or virtual).",
        "offered: answered within T ÷ offered; answered: answered within T ÷ answered; "
        "virtual: share whose wait would be within T if nobody hung up",
        ("interval", "daily", "queue"),
    ),
    Kpi(
        "asa",
        "Average speed of answer",
        "Average wait of the contacts answered, from entering the queue to an agent.",
        "total wait of answered contacts ÷ answered contacts",
        ("interval", "daily", "queue"),
    ),
    Kpi(
        "abandon",
        "Abandonment",
        "Share of offered contacts that hang up before an agent answers (short abandons included).",
        "abandoned ÷ offered",
        ("interval", "daily", "queue"),
    ),
    Kpi(
        "occupancy",
        "Occupancy",
        "Share of the agents' logged-in, available time spent handling contacts.",
        "handle time ÷ (handle time + idle time)",
        ("interval", "daily", "agent", "queue"),
    ),
    Kpi(
        "turnaround",
        "E-mail turnaround",
        "Time from receipt of a message to the first human reply, and the share replied "
        "within the response target.",
        "replied within T ÷ received; mean of (first reply − receipt)",
        ("daily", "queue"),
    ),
    Kpi(
        "cost_per_contact",
        "Cost per contact",
        "Operating cost over the contacts handled, per channel and for the center.",
        "channel: its agents' and telephony cost ÷ its contacts; center: all operating "
        "cost ÷ all inbound contacts",
        ("queue",),
    ),
    Kpi(
        "staffing",
        "Scheduled versus actual staff",
        "Agents logged in against the agents the plan requires, interval by interval.",
        "agents logged in ÷ agents required; FTE scheduled ÷ FTE planned",
        ("interval", "daily", "agent"),
    ),
    Kpi(
        "csat",
        "Customer satisfaction",
        "Share of surveyed customers who rate the contact 4 or 5 on a 5-point scale.",
        "ratings of 4 or 5 ÷ ratings",
        ("queue",),
    ),
)


@attrs.frozen
class Report:
    key: str
    name: str
    period: str  # how often it is produced, e.g. "every 30 min"
    contents: str
    queues: tuple[str, ...]  # the queues it covers
    kpis: tuple[str, ...]  # KPI names it shows


@attrs.frozen
class TargetRow:
    """A KPI of one queue (or ``total``): the target and the planned value."""

    queue: str
    kpi: str  # KPI name
    unit: str  # share, seconds or money
    bound: str | None  # "at least" / "at most"; None when no target is set
    target: Fraction | None
    within: Fraction | None  # seconds, for service-level targets
    definition: str | None  # service-level definition
    planned: float | Fraction | None
    origin: str  # "channel", "assert" or "not set"
    where: Where | None


@attrs.frozen
class StaffingRow:
    """The staffing plan the scheduled-versus-actual report compares with."""

    queue: str
    mode: str
    peak_agents: int  # most agents required in one interval over the horizon
    fte_peak: float
    fte_average: float
    headcount_peak: int


@attrs.frozen
class TrainingRow:
    """Who must be trained on a component, in people at the peak month; None: no need."""

    component: str
    kind: str | None
    channels: tuple[str, ...]  # assisted channels it supports
    train_by: str  # YYYY-MM: the month it goes live
    people: tuple[int | None, ...]  # per role of ``OperationsTemplates.roles``
    model: str | None  # cloud or onprem: what IT administers (configuration, or the platform)
    where: Where | None


@attrs.frozen
class OperationsTemplates:
    interval_seconds: int
    interval_where: Where | None
    reports: tuple[Report, ...]
    kpis: tuple[Kpi, ...]
    targets: tuple[TargetRow, ...]
    staffing: tuple[StaffingRow, ...]
    peak_month: str
    roles: tuple[str, ...]  # "agents" then the support roles the blueprint staffs
    training: tuple[TrainingRow, ...]


# -- training rule -------------------------------------------------------------------------

AGENT_FACING = frozenset(
    {"acd", "cti", "omnichannel", "knowledge", "crm", "callback", "dialer", "uc", "wfm"}
)
"""Component kinds agents work with: desktop, routing, knowledge, CRM, schedules."""

ROLE_KINDS: dict[str, frozenset[str]] = {
    "supervisor": AGENT_FACING | {"recording", "qm", "wallboard", "analytics"},
    "team_leader": AGENT_FACING | {"recording", "qm", "wallboard"},
    "quality": frozenset({"recording", "qm", "analytics", "knowledge"}),
    "workforce": frozenset({"wfm", "acd", "omnichannel", "dialer", "callback", "wallboard"}),
    "trainer": AGENT_FACING,
    "manager": frozenset({"wallboard", "analytics", "wfm", "qm"}),
}
"""Support roles and the component kinds each works with or teaches. A component of a kind
not listed (a custom one) is taken as agent-facing."""


INFRASTRUCTURE = frozenset({"sip_trunk", "sbc", "ivr"})
"""Kinds only IT works with: carriers, border controllers, self-service IVR."""


def needs_training(role: str, kind: str | None) -> bool:
    """Whether ``role`` (``agents`` or a support role) must be trained on ``kind``."""
    if kind in INFRASTRUCTURE:
        return False
    known = INFRASTRUCTURE.union(*ROLE_KINDS.values())
    if kind is None or kind not in known:  # a custom component: taken as agent-facing
        return role in ("agents", "supervisor", "team_leader", "trainer")
    if role == "agents":
        return kind in AGENT_FACING
    return kind in ROLE_KINDS.get(role, frozenset())


# -- figures -------------------------------------------------------------------------------


def weighted(queue: QueueMonths, figure: str) -> float | None:
    """A queue's figure over the horizon, weighted by contacts (the ``assert`` figures:
    the one rule, ``outcome.figures.horizon_average``)."""
    return horizon_average([queue], figure)


@attrs.frozen
class Limit:
    figure: str
    argument: str
    bound: str
    value: Fraction
    where: Where | None


LIMIT_FIGURES = ("service_level", "asa", "abandon", "occupancy", "cost_per_contact")
_LABELS = {
    "service_level": "Service level",
    "asa": "Average speed of answer",
    "abandon": "Abandonment",
    "occupancy": "Occupancy",
}
FIGURE_LABELS = {name: (label, F.BY_NAME[name].unit.value) for name, label in _LABELS.items()}
"""Each KPI figure's label and unit (the registry's: ``share``, ``seconds``)."""


def asserted_limits(ctx: Context) -> tuple[Limit, ...]:
    """``FIGURE(ARG) <= VALUE``-shaped comparisons of the blueprint's ``assert`` lines."""
    found: list[Limit] = []
    flipped = {F.Op.LESS: F.Op.GREATER, F.Op.AT_MOST: F.Op.AT_LEAST}
    flipped |= {v: k for k, v in flipped.items()}

    for assertion in ctx.model.assertions:
        # Depth first, left before right, without a recursive closure: that would be a
        # reference cycle holding the whole context until the cyclic collector ran.
        stack: list[F.Typed] = [assertion.typed]
        while stack:
            expr = stack.pop()
            if isinstance(expr, F.Binary) and expr.op is F.Op.AND:
                stack += (expr.right, expr.left)
                continue
            if not isinstance(expr, F.Binary) or expr.op not in flipped:
                continue
            ref, literal, op = expr.left, expr.right, expr.op
            if isinstance(ref, F.Literal) and isinstance(literal, F.FigureRef):
                ref, literal, op = literal, ref, flipped[op]
            if not (isinstance(ref, F.FigureRef) and isinstance(literal, F.Literal)):
                continue
            if ref.figure.name not in LIMIT_FIGURES or literal.value is None:
                continue
            argument = ref.argument.name if isinstance(ref.argument, F.Named) else "total"
            bound = "at most" if op in (F.Op.LESS, F.Op.AT_MOST) else "at least"
            span = ctx.where_span(expr.span)
            found.append(Limit(ref.figure.name, argument, bound, literal.value, span))
    return tuple(found)


# -- sections ------------------------------------------------------------------------------


def _reports(ctx: Context, minutes: int) -> tuple[Report, ...]:
    queues = ctx.outcome.queues
    live = tuple(q.name for q in queues if q.mode in ("realtime", "outbound"))
    every = tuple(q.name for q in queues)
    kpi = {k.key: k.name for k in KPIS}

    def shown(report: str) -> tuple[str, ...]:
        return tuple(kpi[k.key] for k in KPIS if report in k.reports)

    return (
        Report(
            "interval",
            "Interval report",
            f"every {minutes} min, intraday and historical",
            "per queue: offered, answered, abandoned, service level, ASA, AHT; agents "
            "required by the plan, scheduled and logged in",
            live,
            shown("interval"),
        ),
        Report(
            "daily",
            "Daily report",
            "daily, with week-to-date",
            "per queue and day: contacts, service level, ASA, abandonment, occupancy, "
            "e-mail backlog and turnaround, staff scheduled versus logged in",
            every,
            shown("daily"),
        ),
        Report(
            "agent",
            "Agent report",
            "daily and weekly, per agent and team",
            "login time, talk, hold and after-contact work, idle, not-ready time by "
            "reason, contacts handled, occupancy, schedule adherence",
            every,
            shown("agent"),
        ),
        Report(
            "queue",
            "Queue report",
            "weekly and monthly, against the plan",
            "per queue: offered, service level by week and month, ASA, abandonment, AHT, "
            "FTE, cost per contact, customer satisfaction, repeat contacts",
            every,
            shown("queue"),
        ),
    )


def _targets(ctx: Context) -> tuple[TargetRow, ...]:
    rows: list[TargetRow] = []
    limits = asserted_limits(ctx)
    costs = ctx.outcome.channel_costs

    def asserted(
        figure: str, argument: str, kpi: str, unit: str, planned: float | Fraction | None
    ) -> None:
        for limit in limits:
            if limit.figure == figure and limit.argument == argument:
                rows.append(
                    TargetRow(
                        argument,
                        kpi,
                        unit,
                        limit.bound,
                        limit.value,
                        None,
                        None,
                        planned,
                        "assert",
                        limit.where,
                    )
                )

    def cost_per_contact(name: str, cost: Fraction | None) -> None:
        if any(lim.figure == "cost_per_contact" and lim.argument == name for lim in limits):
            unit = F.BY_NAME["cost_per_contact"].unit.value
            asserted("cost_per_contact", name, "Cost per contact", unit, cost)
        else:
            rows.append(
                TargetRow(
                    name, "Cost per contact", "money", None, None, None, None, cost, "not set",
                    None,
                )
            )  # fmt: skip

    for queue in ctx.outcome.queues:
        channel = queue.channel
        if queue.id.outbound:
            continue
        name = channel.name
        sl, asa = weighted(queue, "service_level"), weighted(queue, "asa")
        if channel.mode == "realtime":
            target = channel.target
            rows.append(
                TargetRow(
                    name,
                    "Service level",
                    "share",
                    "at least" if target else None,
                    target.level if target else None,
                    target.within if target else None,
                    target.definition if target else None,
                    sl,
                    "channel" if target else "not set",
                    ctx.where_span(target.span) if target else None,
                )
            )
            for figure, kpi, unit, value, field in (
                ("asa", "Average speed of answer", "seconds", channel.max_asa, "max_asa"),
                ("abandon", "Abandonment", "share", channel.max_abandon, "max_abandon"),
            ):
                rows.append(
                    TargetRow(
                        name,
                        kpi,
                        unit,
                        "at most" if value is not None else None,
                        value,
                        None,
                        None,
                        weighted(queue, figure),
                        "channel" if value is not None else "not set",
                        ctx.where(channel, field) if value is not None else None,
                    )
                )
        else:
            response = channel.response
            rows.append(
                TargetRow(
                    name,
                    "E-mail turnaround",
                    "share",
                    "at least" if response else None,
                    response.level if response else None,
                    response.within if response else None,
                    None,
                    sl,
                    "channel" if response else "not set",
                    ctx.where_span(response.span) if response else None,
                )
            )
            rows.append(
                TargetRow(
                    name, "Mean response time", "seconds", None, None, None, None, asa,
                    "not set", None,
                )
            )  # fmt: skip
        occupancy = channel.occupancy  # a cap in every mode with agents (docs/sizing.md 3.6)
        rows.append(
            TargetRow(
                name,
                "Occupancy",
                "share",
                "at most" if occupancy is not None else None,
                occupancy,
                None,
                None,
                weighted(queue, "occupancy"),
                "channel" if occupancy is not None else "not set",
                ctx.where(channel, "occupancy") if occupancy is not None else None,
            )
        )
        for figure, (label, unit) in FIGURE_LABELS.items():
            asserted(figure, name, label, unit, weighted(queue, figure))
        cost_per_contact(name, costs.get(name))
    cost_per_contact("total", ctx.outcome.key.cost_per_contact)
    return tuple(rows)


def _staffing(ctx: Context) -> tuple[StaffingRow, ...]:
    return tuple(
        StaffingRow(
            q.name,
            q.mode,
            int(q.peak_agents.max(initial=0)),
            q.fte_peak,
            float(q.fte.mean()) if q.fte.size else 0.0,
            int(q.headcount.max(initial=0)),
        )
        for q in ctx.outcome.queues
    )


def _training(ctx: Context, roles: tuple[str, ...]) -> tuple[TrainingRow, ...]:
    outcome = ctx.outcome
    peak = outcome.key.peak_month
    support = {x.role: x.people for x in outcome.support}
    rows = []
    for component in ctx.of(m.Component):
        supported = {r.name for r in component.supports}
        queues = [q for q in outcome.queues if q.id.channel in supported]
        channels = tuple(dict.fromkeys(q.id.channel for q in queues))
        agents = sum(int(q.headcount[peak]) for q in queues)
        people: list[int | None] = []
        for role in roles:
            if not needs_training(role, component.component_kind) or not channels:
                people.append(None)
            elif role == "agents":
                people.append(agents)
            else:
                people.append(int(support[role][peak]))
        rows.append(
            TrainingRow(
                component.name,
                component.component_kind,
                channels,
                ctx.month(ctx.outcome.go_live(component.ref)),
                tuple(people),
                component.model,
                ctx.where(component),
            )
        )
    return tuple(rows)


def build(ctx: Context) -> OperationsTemplates:
    """The operations templates of a compiled blueprint."""
    interval = int(ctx.model.blueprint.interval)
    roles = ("agents", *(x.role for x in ctx.outcome.support))
    return OperationsTemplates(
        interval,
        ctx.where(ctx.model.blueprint, "interval"),
        _reports(ctx, interval // 60),
        KPIS,
        _targets(ctx),
        _staffing(ctx),
        ctx.month(ctx.outcome.key.peak_month),
        roles,
        _training(ctx, roles),
    )
