"""The planning pass: phasing plan, financial design with options, vendor ranking with its
sensitivity, and the maturity index; budget checks as diagnostics."""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import money
from blueprintc.model.model import Model
from blueprintc.planning.activity import ProcessCost, activity_costs
from blueprintc.planning.baseline_costs import DoNothing, do_nothing
from blueprintc.planning.business_case import BusinessCase, business_case
from blueprintc.planning.costs import channel_cost, options_of, statement
from blueprintc.planning.phasing import item_id
from blueprintc.sizing.size import Sizing
from blueprintc.sizing.timeline import Timeline
from blueprintc.solve import finance as fin
from blueprintc.solve import maturity as mat
from blueprintc.solve import phasing as ph
from blueprintc.solve import selection as sel
from blueprintc.source import Span
from blueprintc.validate.financial import declared_one_time

# "over-budget" (fixed items beyond a phase's budget) is a budget overrun, reported by the
# budget checks (CXB0521, CXB0701); cycles and later dependencies by the alignment rules.
INFEASIBLE_KINDS = {"no-budget", "blocked"}
TIMING_KINDS = {"early-start", "dependency-unfinished"}
# The stdlib gives each practice a weight equal to its tier, so every tier counts 1 here.
TIER_VALUES = {"standard": Fraction(1), "best": Fraction(1), "next": Fraction(1)}


@attrs.frozen
class Scenario:
    """A procurement what-if: a vendor's negotiated discount on the components it bids for."""

    vendor: str
    discount: Fraction
    components: tuple[str, ...]
    npv: Fraction
    saving: Fraction  # NPV of the design minus NPV with the discount


@attrs.frozen(eq=False, repr=False)
class Planning:
    """Everything the steering committee signs: plan, costs, options, ranking, maturity."""

    plan: ph.Plan | None
    timing: Timeline
    statement: fin.Statement
    npv: Fraction
    options: tuple[fin.OptionResult, ...]
    option_statements: dict[str, fin.Statement]
    ranking: sel.Ranking | None
    flips: tuple[sel.Flip, ...]
    maturity: mat.MaturityResult | None
    contacts: Fraction
    activity: tuple[ProcessCost, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    channel_contacts: dict[str, Fraction] = attrs.field(factory=dict)
    do_nothing: DoNothing | None = None  # today's operation sized and costed (a baseline)
    business_case: BusinessCase | None = None  # the design against doing nothing (a baseline)

    def __repr__(self) -> str:
        """One line: ``<Planning 36 months: 41 cost lines, NPV 12345678.90, 3 phases,
        2 options, 4 vendors ranked>``."""
        parts = [
            f"{len(self.statement.lines)} cost lines",
            f"NPV {float(self.npv):.2f}",
            f"{len(self.plan.phases) if self.plan is not None else 0} phases",
            f"{len(self.options)} options",
            f"{len(self.ranking.ranked) if self.ranking is not None else 0} vendors ranked",
        ]
        return f"<Planning {self.statement.horizon} months: {', '.join(parts)}>"

    def cost_per_contact(self) -> Fraction | None:
        return fin.cost_per_contact(self.statement.opex.total, self.contacts)

    def channel_costs(self) -> dict[str, Fraction]:
        """Per assisted channel: its agents' and telephony cost over its contacts (inbound
        and outbound attempts)."""
        result = {}
        for channel, contacts in self.channel_contacts.items():
            cost = channel_cost(self.statement, channel)
            value = fin.cost_per_contact(cost, contacts)
            if value is not None and cost:
                result[channel] = value
        return result


def run_planning(
    model: Model, sizing: Sizing, plan: ph.Plan | None, sink: DiagnosticSink
) -> Planning:
    """Cost, rank and index the design sized under ``plan`` (None: no phases)."""
    if plan is not None:
        _report_plan(model, plan, sink)
    timing = sizing.timeline
    design = statement(model, sizing, timing)
    rate = model.blueprint.discount
    flows = [c + o for c, o in zip(design.capex.months, design.opex.months, strict=True)]
    options = options_of(model)
    option_statements = (
        {name: statement(model, sizing, timing, name) for name in options}
        if len(options) > 1
        else {}
    )
    compared = (
        tuple(fin.compare_options(option_statements, rate, design=design))
        if option_statements
        else ()
    )
    _check_budgets(model, design, plan, sink)
    ranking, flips = _select(model, sink)
    contacts = sum(
        (Fraction(float(w.monthly.sum())) for w in sizing.workload.channels if not w.outbound),
        Fraction(0),
    )
    activity = activity_costs(model, sizing, design)
    scenarios = _scenarios(model, sizing, timing, fin.npv(rate, flows))
    today = do_nothing(model, sizing, sink)
    case = business_case(model, design, today, timing, plan, sizing.grid, sink)
    return Planning(
        plan,
        timing,
        design,
        fin.npv(rate, flows),
        compared,
        option_statements,
        ranking,
        flips,
        _maturity(model),
        contacts,
        activity,
        scenarios,
        _channel_contacts(sizing),
        today,
        case,
    )


def _channel_contacts(sizing: Sizing) -> dict[str, Fraction]:
    totals: dict[str, Fraction] = {}
    for work in sizing.workload.channels:
        name = work.channel.name
        totals[name] = totals.get(name, Fraction(0)) + Fraction(float(work.monthly.sum()))
    return totals


def _scenarios(
    model: Model, sizing: Sizing, timing: Timeline, base: Fraction
) -> tuple[Scenario, ...]:
    result = []
    for vendor in model.of(m.Vendor):
        if not vendor.discount or not vendor.bids:
            continue
        names = tuple(r.name for r in vendor.bids)
        discounted = statement(model, sizing, timing, None, dict.fromkeys(names, vendor.discount))
        flows = [
            c + o for c, o in zip(discounted.capex.months, discounted.opex.months, strict=True)
        ]
        value = fin.npv(model.blueprint.discount, flows)
        result.append(Scenario(vendor.name, vendor.discount, names, value, base - value))
    return tuple(result)


def _report_plan(model: Model, plan: ph.Plan, sink: DiagnosticSink) -> None:
    for phase in plan.phases:
        if phase.overrun > 0 and phase.duration is not None:
            element = model.get(m.Ref("phase", phase.name))
            span = element.span if element else model.blueprint.span
            sink.report(
                C.PHASE_TIMING,
                f"phase `{phase.name}` is declared to last {float(phase.duration):g} months but "
                f"its items need {float(phase.duration + phase.overrun):g}",
                span,
                help="lengthen the phase, or move items to a later phase",
            )
    for problem in plan.infeasibilities:
        components_only = all(item.startswith("component:") for item in problem.items)
        if problem.kind == "dependency-later" and not components_only:
            element = _element(model, problem.items[0])
            span = element.span if element else model.blueprint.span
            sink.report(C.PLAN_INFEASIBLE, problem.message, span)
            continue
        element = _element(model, problem.items[0]) if problem.items else None
        span = element.span if element else model.blueprint.span
        if problem.kind in INFEASIBLE_KINDS:
            sink.report(C.PLAN_INFEASIBLE, problem.message or problem.kind, span)
        elif problem.kind in TIMING_KINDS:
            sink.report(C.PHASE_TIMING, problem.message or problem.kind, span)


def _element(model: Model, item: str) -> m.Element | None:
    """The element of a plan item (``kind:name``) or of a phase (its bare name)."""
    kind, _, name = item.rpartition(":")
    return model.get(m.Ref(kind or "phase", name))


def _capex_of(capex: dict[str, list[fin.Line]], names: set[str], year: int | None) -> Fraction:
    total = Fraction(0)
    for name in sorted(names):
        for line in capex.get(name, ()):
            months = line.months if year is None else line.months[(year - 1) * 12 : year * 12]
            total += fin.sum_exact(months)
    return total


def _declared(named: dict[str, list[m.Element]], name: str) -> Fraction:
    """One-time costs declared without sizing, as the alignment rule CXB0521 counts them."""
    return sum((declared_one_time(element) for element in named.get(name, ())), Fraction(0))


def _covered(model: Model, refs: tuple[m.Ref, ...]) -> set[str]:
    names: set[str] = set()
    for ref in refs:
        element = model.get(ref)
        if isinstance(element, m.Phase):
            names |= {item.name for item in element.includes}
        else:
            names.add(ref.name)
    return names


@attrs.frozen
class BudgetCheck:
    """A phase budget or a `budget` against the capital the financial design spends."""

    element: m.Element
    amount: Fraction
    covers: tuple[str, ...]  # as the blueprint says: a phase's placed items, a budget's refs
    names: frozenset[str]  # every item counted (phases expanded to their items)
    year: int | None  # project year (1-based), None for the whole horizon
    spent: Fraction  # capital spent on ``names`` (in ``year``)
    declared: Fraction  # one-time costs declared without sizing (CXB0521's count)
    span: Span

    @property
    def over(self) -> Fraction:
        return max(self.spent - self.amount, Fraction(0))


def budget_checks(
    model: Model, design: fin.Statement, plan: ph.Plan | None
) -> tuple[BudgetCheck, ...]:
    """Every phase budget and `budget` of the blueprint, with what is spent against it."""
    found: list[tuple[m.Element, Fraction, tuple[str, ...], set[str], int | None, str]] = []
    in_phase: dict[str, list[str]] = {}
    for item in plan.items if plan else ():
        in_phase.setdefault(item.phase, []).append(item.name.split(":", 1)[1])
    for phase in model.of(m.Phase):
        if phase.budget is not None and not phase.library:
            placed = tuple(dict.fromkeys(in_phase.get(phase.name, ())))
            found.append((phase, phase.budget, placed, set(placed), None, "budget"))
    for budget in model.of(m.Budget):
        if not budget.library:
            covers = tuple(r.name for r in budget.covers)
            names = _covered(model, budget.covers)
            found.append((budget, budget.amount, covers, names, budget.year, "amount"))
    capex: dict[str, list[fin.Line]] = {}
    for line in design.lines:
        if line.category == "capex" and line.id is not None:
            capex.setdefault(line.id.owner, []).append(line)
    named: dict[str, list[m.Element]] = {}
    for element_ in model:
        named.setdefault(element_.name, []).append(element_)
    checks = []
    for element, amount, covers, names, year, field in found:
        origin = element.origin(field)
        checks.append(
            BudgetCheck(
                element,
                amount,
                covers,
                frozenset(names),
                year,
                _capex_of(capex, names, year),
                sum((_declared(named, name) for name in sorted(names)), Fraction(0)),
                origin.span if origin and origin.span else element.span,
            )
        )
    return tuple(checks)


def _check_budgets(
    model: Model, design: fin.Statement, plan: ph.Plan | None, sink: DiagnosticSink
) -> None:
    currency = model.blueprint.currency
    for check in budget_checks(model, design, plan):
        if check.over and check.declared <= check.amount:  # else CXB0521 already says so
            element = check.element
            sink.report(
                C.BUDGET_OVERRUN,
                f"the {element.kind} `{element.name}` has {money(check.amount, currency)} but "
                f"the financial design spends {money(check.spent, currency)} of capital on "
                f"what it covers (over by {money(check.over, currency)})",
                check.span,
            )


def _select(model: Model, sink: DiagnosticSink) -> tuple[sel.Ranking | None, tuple[sel.Flip, ...]]:
    criteria = {c.name: c.weight for c in model.of(m.Criterion)}
    vendors = [
        sel.Vendor(
            v.name,
            {ref.name: score for ref, score in v.scores.items()},
            tuple(r.name for r in v.bids),
            tuple(r.name for r in v.fails),
        )
        for v in model.of(m.Vendor)
    ]
    if not criteria or not vendors:
        return None, ()
    ranking = sel.rank(criteria, vendors)
    if ranking.normalised:
        first = model.of(m.Criterion)[0]
        total = sum(criteria.values(), Fraction(0))
        sink.report(
            C.WEIGHTS_NORMALISED,
            f"the criteria's weights add up to {float(total) * 100:.1f}%, not 100%; "
            "they were scaled",
            first.span,
        )
    return ranking, tuple(sel.sensitivity(criteria, vendors))


def _maturity(model: Model) -> mat.MaturityResult | None:
    maturity = model.maturity
    if maturity is None:
        return None
    layer = {"financial-functional": "financial"}
    practices = [
        mat.Practice(p.name, layer.get(p.layer, p.layer), p.tier, p.weight) for p in model.catalogue
    ]
    return mat.maturity_index(
        practices,
        [r.name for r in maturity.current],
        [r.name for r in maturity.target],
        tier_values=TIER_VALUES,
    )


__all__ = ["Planning", "item_id", "run_planning"]
