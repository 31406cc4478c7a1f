"""Document 4, the financial design: capex and opex by year and month, cash flow, NPV,
TCO, cost per contact, options, savings, activity-based cost, budgets and what-ifs.

Money comes from ``planning.statement`` (exact cents) and the other planning results;
FTE from ``sizing``. Budget checks use the planning pass's own helpers, so the figures
shown are those behind the CXB0701 diagnostic.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.documents import charts
from blueprintc.documents.context import Context, Where
from blueprintc.model import elements as m
from blueprintc.solve import finance as fin
from blueprintc.solve.finance import CostKind as K
from blueprintc.solve.finance import OwnerKind as O

CASH_FLOW_CHART_KEY = "financial-cumulative-cash-flow"
# The element field behind each kind of cost line.
LINE_FIELDS = {
    K.IMPLEMENTATION: "implementation",
    K.LICENCES: "licence",
    K.SUBSCRIPTION: "subscription",
    K.MAINTENANCE: "maintenance",
    K.HOSTING: "hosting",
    K.USAGE: "usage",
    K.TELEPHONY: "usage",
    K.FIT_OUT: "fitout",
    K.RUNNING: "running",
    K.RENT: "rent",
    K.INTRODUCTION: "cost",
    K.CURRENT_SYSTEM: "cost",
}
# The element kind behind each owner of a cost line.
OWNER_ELEMENTS = {
    O.COMPONENT: "component",
    O.CHANNEL: "channel",
    O.SITE: "site",
    O.PRACTICE: "practice",
    O.SYSTEM: "system",
}


@attrs.frozen
class Summary:
    """The headline figures of the horizon."""

    capex: Fraction
    opex: Fraction
    tco: Fraction  # capex + opex, undiscounted
    npv: Fraction  # present value of all costs at the discount rate
    discount_rate: Fraction
    first_month: str
    last_month: str
    contacts: float  # inbound contacts of the horizon, all channels
    cost_per_contact: Fraction | None  # opex / contacts
    reconciles: bool  # every total is the exact sum of its parts
    where: Where | None  # the discount rate's line
    horizon_where: Where | None  # the horizon's line


@attrs.frozen
class YearRow:
    label: str  # Y1, Y2, ...
    first_month: str
    last_month: str
    capex: Fraction
    opex: Fraction
    total: Fraction
    cumulative: Fraction  # cumulative cash flow at the end of the year


@attrs.frozen
class GroupRow:
    """Capex or opex of one cost group, per year."""

    category: str
    group: str
    years: tuple[Fraction, ...]
    total: Fraction


@attrs.frozen
class CostLine:
    """One cost line of the statement, per year."""

    name: str
    category: str
    group: str
    years: tuple[Fraction, ...]
    total: Fraction
    where: Where | None


@attrs.frozen
class MonthRow:
    month: str
    capex: Fraction
    opex: Fraction
    total: Fraction
    cumulative: Fraction


@attrs.frozen
class YearBlock:
    """The months of one year, with the year's totals."""

    label: str
    months: tuple[MonthRow, ...]
    capex: Fraction
    opex: Fraction
    total: Fraction


@attrs.frozen
class StaffRow:
    """A queue's agents or a support role: people and what they cost over the horizon."""

    name: str
    fte_peak: float  # FTE (agents) or people (support roles) in its busiest month
    fte_average: float
    cost: Fraction
    where: Where | None


@attrs.frozen
class ChannelCost:
    """A channel's agent and telephony cost over its contacts (inbound and outbound)."""

    channel: str
    contacts: float
    cost: Fraction
    per_contact: Fraction
    where: Where | None


@attrs.frozen
class OptionRow:
    """One deployment option, every component with an offer for it priced that way."""

    name: str
    rank: int  # 1: the lowest NPV
    capex: Fraction
    opex: Fraction
    tco: Fraction
    npv: Fraction
    npv_delta: Fraction  # above the cheapest option's NPV
    tco_delta: Fraction
    components: tuple[str, ...]  # components priced differently under this option
    where: Where | None
    same_as: tuple[str, ...] = ()  # other options with exactly these cost lines (merged)
    as_designed: bool = False  # exactly the design's cost lines: not an alternative
    tied: tuple[str, ...] = ()  # other options of exactly the same NPV: no cheaper one

    @property
    def label(self) -> str:
        """``onprem``, or ``cloud = hosted`` for one option under two names."""
        return " = ".join((self.name, *self.same_as))


@attrs.frozen
class SavingRow:
    """What one lever saves: the design costed without it, minus the design."""

    kind: str  # migration, automation, component, practice, site
    owner: str  # the process (migration, automation), component, practice or site
    lever: str
    years: tuple[Fraction, ...]  # the saving of each year (negative: the lever costs)
    total: Fraction  # over the horizon
    fte_saved_peak: float  # agent FTE (migration and automation; 0 otherwise)
    fte_saved_average: float
    staff_cost_saved: Fraction  # the part in staff lines, over the horizon
    where: Where | None


@attrs.frozen
class CaseYear:
    """One year of the business case."""

    label: str
    do_nothing: Fraction
    design_opex: Fraction
    savings: Fraction
    benefits: Fraction
    investment: Fraction
    net: Fraction
    cumulative: Fraction  # cumulative net cash flow at the end of the year


@attrs.frozen
class BenefitRow:
    """A declared benefit: what it brings, from when, and the source of its figure."""

    name: str
    per_year: Fraction  # at full strength
    total: Fraction  # over the horizon
    first_month: str
    ramp_months: int
    source: str
    where: Where | None


@attrs.frozen
class BusinessCaseView:
    """The design against today's operation unchanged (the baseline's do-nothing case)."""

    years: tuple[CaseYear, ...]
    total: CaseYear
    payback_months: int | None
    payback_month: str | None
    roi: Fraction | None
    irr: float | None  # effective annual
    irr_monthly: float | None
    npv: Fraction
    discount_rate: Fraction
    basis: str | None  # stated (the baseline's `cost`) or bottom-up
    benefits: tuple[BenefitRow, ...]
    chart: charts.LineChart | None
    where: Where | None  # the baseline's line
    unknown_staff: tuple[str, ...] = ()  # today's channels whose staff is not known


@attrs.frozen
class ProcessCostRow:
    """Activity-based cost of a process (or an outbound queue) over the horizon."""

    name: str
    contacts: float
    direct: Fraction
    overhead: Fraction
    total: Fraction
    per_contact: Fraction | None
    where: Where | None


@attrs.frozen
class BudgetRow:
    """A budget against the capital the design spends on what it covers."""

    name: str
    kind: str  # phase or budget
    year: int | None  # project year the budget is for; None: the whole horizon
    period: str  # Y1, Y2, ... or "horizon"
    covers: tuple[str, ...]
    amount: Fraction
    capex: Fraction  # capital spent on the covered items (sized licences included)
    declared: Fraction  # one-time costs declared without sizing
    over_by: Fraction  # capex above the amount (0 when within)
    within: bool
    where: Where | None


@attrs.frozen
class ScenarioRow:
    """A vendor's negotiated discount applied to the components it bids for."""

    vendor: str
    discount: Fraction
    components: tuple[str, ...]
    npv: Fraction
    saving: Fraction
    where: Where | None


@attrs.frozen
class FinancialDesign:
    summary: Summary
    years: tuple[YearRow, ...]
    year_labels: tuple[str, ...]
    groups: tuple[GroupRow, ...]
    lines: tuple[CostLine, ...]
    months: tuple[YearBlock, ...]
    cash_flow: charts.LineChart | None
    staff: tuple[StaffRow, ...]
    channel_costs: tuple[ChannelCost, ...]
    options: tuple[OptionRow, ...]
    savings: tuple[SavingRow, ...]
    activity: tuple[ProcessCostRow, ...]
    activity_total: Fraction
    budgets: tuple[BudgetRow, ...]
    scenarios: tuple[ScenarioRow, ...]
    business_case: BusinessCaseView | None = None


def build(ctx: Context) -> FinancialDesign:
    """The financial design of a compiled blueprint."""
    statement = ctx.outcome.statement
    activity = _activity(ctx)
    return FinancialDesign(
        _summary(ctx),
        _years(ctx),
        statement.year_labels,
        tuple(
            GroupRow(category, group, series.years, series.total)
            for (category, group), series in statement.by_category_group.items()
        ),
        tuple(
            CostLine(
                line.name,
                line.category,
                line.group,
                statement.line_series[line.name].years,
                statement.line_series[line.name].total,
                _line_where(ctx, line),
            )
            for line in statement.lines
        ),
        _months(ctx),
        _cash_flow(ctx),
        _staff(ctx),
        _channel_costs(ctx),
        _options(ctx),
        _savings(ctx),
        activity,
        sum((row.total for row in activity), Fraction(0)),
        _budgets(ctx),
        scenario_rows(ctx),
        _business_case(ctx),
    )


# -- statement -----------------------------------------------------------------------------


def _summary(ctx: Context) -> Summary:
    outcome = ctx.outcome
    statement = outcome.statement
    blueprint = ctx.model.blueprint
    return Summary(
        statement.capex.total,
        statement.opex.total,
        outcome.key.tco,
        outcome.key.npv,
        blueprint.discount,
        ctx.month(0),
        ctx.month(statement.horizon - 1),
        float(outcome.contacts),
        outcome.key.cost_per_contact,
        statement.reconciles(),
        ctx.where(blueprint, "discount"),
        ctx.where(blueprint, "horizon"),
    )


def _years(ctx: Context) -> tuple[YearRow, ...]:
    statement = ctx.outcome.statement
    rows = []
    first = 0
    for index, label in enumerate(statement.year_labels):
        last = min(first + 12, statement.horizon) - 1
        rows.append(
            YearRow(
                label,
                ctx.month(first),
                ctx.month(last),
                statement.capex.years[index],
                statement.opex.years[index],
                statement.total.years[index],
                statement.cumulative[last],
            )
        )
        first = last + 1
    return tuple(rows)


def _months(ctx: Context) -> tuple[YearBlock, ...]:
    statement = ctx.outcome.statement
    blocks = []
    for index, label in enumerate(statement.year_labels):
        rows = tuple(
            MonthRow(
                ctx.month(t),
                statement.capex.months[t],
                statement.opex.months[t],
                statement.total.months[t],
                statement.cumulative[t],
            )
            for t in range(statement.horizon)
            if statement.year_of(t) == index
        )
        blocks.append(
            YearBlock(
                label,
                rows,
                statement.capex.years[index],
                statement.opex.years[index],
                statement.total.years[index],
            )
        )
    return tuple(blocks)


def _cash_flow(ctx: Context) -> charts.LineChart | None:
    """The design's cumulative cash flow, and each option's when there are options."""
    statement = ctx.outcome.statement
    if not statement.horizon:
        return None
    options = ctx.outcome.options
    same = [n for o in options if o.as_designed for n in o.names]
    design = "design" + "".join(f" = option {name}" for name in same)
    series = [charts.Series(design, tuple(float(v) for v in statement.cumulative))]
    for option in options:
        other = ctx.outcome.option_statements[option.name]
        if other.cumulative != statement.cumulative:  # an option costing the same is not redrawn
            values = tuple(float(v) for v in other.cumulative)
            label = " = ".join(f"option {name}" for name in option.names)
            series.append(charts.Series(label, values))
    chart = charts.LineChart(
        CASH_FLOW_CHART_KEY,
        "Cumulative cash flow (capex + opex)",
        "month",
        ctx.currency,
        statement.month_labels,
        tuple(series),
    )
    # Options a few per cent apart draw as one line at this scale: their differences too.
    return charts.with_deltas(chart, f"difference from the design, {ctx.currency}")


def _line_where(ctx: Context, line: fin.Line) -> Where | None:
    """The blueprint line of the price or cost a statement line was computed from."""
    model = ctx.model
    key = line.id
    if key is None:
        return None
    element: m.Element | None
    if key.owner_kind is O.ROLE:
        return ctx.where_role(key.owner, "role_cost", "span")
    if key.owner_kind is O.QUEUE:
        element = model.staffing
    elif key.owner_kind in OWNER_ELEMENTS:
        element = model.get(m.Ref(OWNER_ELEMENTS[key.owner_kind], key.owner))
    else:
        return None
    field = "loaded_cost" if key.kind is K.AGENTS else LINE_FIELDS.get(key.kind)
    return ctx.where(element, field) if element is not None else None


# -- people and contacts -------------------------------------------------------------------


def _line_total(ctx: Context, line: fin.LineId) -> Fraction:
    return ctx.outcome.statement.line_total(line)


def _staff(ctx: Context) -> tuple[StaffRow, ...]:
    outcome = ctx.outcome
    rows = [
        StaffRow(
            queue.name,
            queue.fte_peak,
            float(queue.fte.mean()),
            _line_total(ctx, fin.LineId(O.QUEUE, queue.id.channel, K.AGENTS, queue.id.outbound)),
            ctx.where(queue.channel),
        )
        for queue in outcome.queues
        if outcome.months
    ]
    for support in outcome.support:
        role, counts = support.role, support.people
        rows.append(
            StaffRow(
                role,
                float(counts.max(initial=0)),
                float(counts.mean()),
                _line_total(ctx, fin.LineId(O.ROLE, role, K.SUPPORT_STAFF)),
                ctx.where_role(role, "role_cost", "span"),
            )
        )
    return tuple(rows)


def _channel_costs(ctx: Context) -> tuple[ChannelCost, ...]:
    outcome = ctx.outcome
    rows = []
    for channel, per_contact in outcome.channel_costs.items():
        contacts = outcome.channel_contacts[channel]
        element = ctx.element("channel", channel)
        rows.append(
            ChannelCost(
                channel,
                float(contacts),
                per_contact * contacts,
                per_contact,
                ctx.where(element) if element else None,
            )
        )
    return tuple(rows)


def _activity(ctx: Context) -> tuple[ProcessCostRow, ...]:
    rows = []
    for entry in ctx.outcome.activity:
        element = ctx.element("process", entry.name)
        if element is None:  # an outbound queue: "voice (outbound)"
            element = ctx.element("channel", entry.name.removesuffix(" (outbound)"))
        rows.append(
            ProcessCostRow(
                entry.name,
                float(entry.contacts),
                entry.direct,
                entry.overhead,
                entry.total,
                entry.per_contact,
                ctx.where(element) if element else None,
            )
        )
    return tuple(rows)


# -- options, levers, budgets, what-ifs ----------------------------------------------------


def _options(ctx: Context) -> tuple[OptionRow, ...]:
    components = ctx.of(m.Component)
    rows = []
    for option in ctx.outcome.options:
        statement = ctx.outcome.option_statements[option.name]
        names = set(option.names)
        priced = tuple(
            c.name
            for c in components
            if any(not c.options[n].same_prices(c.costs) for n in names & set(c.options))
        )
        own = [c for c in components if c.model in names]
        where = None
        for component in components:
            if names & set(component.options):
                where = ctx.where(component, "option")
                break
        if where is None and own:
            where = ctx.where(own[0], "model")
        rows.append(
            OptionRow(
                option.name,
                option.rank,
                statement.capex.total,
                statement.opex.total,
                option.tco,
                option.npv,
                option.npv_delta,
                option.tco_delta,
                priced,
                where,
                option.same_as,
                option.as_designed,
                option.tied,
            )
        )
    return tuple(rows)


def _savings(ctx: Context) -> tuple[SavingRow, ...]:
    """Each lever of the design, costed away (planning.savings)."""
    offset = ctx.outcome.statement.offset
    return tuple(
        SavingRow(
            s.kind.value,
            s.owner,
            s.lever,
            fin.Series.of(s.months, offset=offset).years,
            s.total,
            s.fte_saved_peak,
            s.fte_saved_average,
            s.staff_cost_saved,
            ctx.where_span(s.span),
        )
        for s in ctx.savings
    )


BUSINESS_CASE_CHART_KEY = "financial-business-case"


def _business_case(ctx: Context) -> BusinessCaseView | None:
    """The business case of a blueprint with a baseline (planning.business_case)."""
    case = ctx.outcome.business_case
    if case is None:
        return None
    figures = case.figures
    design = ctx.outcome.statement
    do_nothing = case.do_nothing.total

    def year(label: str, index: int | None) -> CaseYear:
        def pick(series: fin.Series) -> Fraction:
            return series.total if index is None else series.years[index]

        last = len(figures.cumulative) - 1
        if index is not None:
            last = max(t for t in range(design.horizon) if design.year_of(t) == index)
        return CaseYear(
            label,
            pick(do_nothing),
            pick(design.opex),
            pick(figures.savings),
            pick(figures.benefits),
            pick(figures.investment),
            pick(figures.net),
            figures.cumulative[last] if figures.cumulative else Fraction(0),
        )

    today = ctx.outcome.do_nothing
    benefits = tuple(
        BenefitRow(
            flow.name,
            flow.per_month * 12,
            flow.total,
            flow.first_month,
            flow.ramp,
            flow.source,
            ctx.where_span(flow.source_span or flow.span),
        )
        for flow in case.benefits
    )
    chart = (
        charts.LineChart(
            BUSINESS_CASE_CHART_KEY,
            "Cumulative net cash flow of the change (savings + benefits − capex)",
            "month",
            ctx.currency,
            case.month_labels,
            (charts.Series("business case", tuple(float(v) for v in figures.cumulative)),),
        )
        if figures.cumulative
        else None
    )
    return BusinessCaseView(
        tuple(year(label, k) for k, label in enumerate(case.year_labels)),
        year("Total", None),
        figures.payback,
        case.payback_month,
        figures.roi,
        figures.irr,
        figures.irr_monthly,
        figures.npv,
        case.discount,
        today.basis.value if today is not None else None,
        benefits,
        chart,
        ctx.where_span(case.span),
        case.unknown_staff,
    )


def _budgets(ctx: Context) -> tuple[BudgetRow, ...]:
    """Phase budgets and budget declarations against capex, as the CXB0701 check counts."""
    rows = []
    for check in ctx.outcome.budget_checks:
        element, year = check.element, check.year
        rows.append(
            BudgetRow(
                element.name,
                element.kind,
                year,
                f"Y{year}" if year is not None else "horizon",
                check.covers,
                check.amount,
                check.spent,
                check.declared,
                check.over,
                check.spent <= check.amount,
                ctx.where_span(check.span),
            )
        )
    return tuple(rows)


def scenario_rows(ctx: Context) -> tuple[ScenarioRow, ...]:
    """Each vendor's negotiated discount tried on the design (``planning.scenarios``)."""
    rows = []
    for scenario in ctx.outcome.scenarios:
        vendor = ctx.element("vendor", scenario.vendor)
        rows.append(
            ScenarioRow(
                scenario.vendor,
                scenario.discount,
                scenario.components,
                scenario.npv,
                scenario.saving,
                ctx.where(vendor, "discount") if vendor else None,
            )
        )
    return tuple(rows)
