"""The business case: the design against doing nothing, month by month (docs/finance.md,
"The business case").

Only a blueprint with a ``baseline`` has one: the baseline is today's center, sized and
costed over the horizon as if nothing were done (the *do-nothing* statement). Against it:

* **savings** of a month = the do-nothing cost − the design's operating cost;
* **benefits** = the declared ``benefit`` blocks, each from the month it starts (its
  ``from`` month, else the month the last of its ``because`` items goes live in the plan,
  else the first month), rising linearly over its ``ramp`` months;
* **investment** = the design's capital expenditure;
* the net cash flow, its cumulative sum, payback, ROI, IRR and the NPV of the change, as
  :mod:`blueprintc.solve.business_case` defines them.

It is computed once per compilation by the planning pass. The savings of each lever
(:mod:`blueprintc.planning.savings`) re-cost the design once per lever, so they are added
on request (:func:`with_levers`).
"""

from __future__ import annotations

import math
from fractions import Fraction

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import money
from blueprintc.model.model import Model
from blueprintc.planning.baseline_costs import CostBasis, DoNothing
from blueprintc.planning.savings import Saving
from blueprintc.sizing.calendar import Grid
from blueprintc.sizing.timeline import Timeline
from blueprintc.solve import business_case as bc
from blueprintc.solve import finance as fin
from blueprintc.solve import phasing as ph
from blueprintc.source import Span


@attrs.frozen
class BenefitFlow:
    """One declared benefit month by month, with the source of its figure."""

    name: str
    months: tuple[Fraction, ...]
    """The benefit in each month of the horizon, to the cent."""
    total: Fraction
    per_month: Fraction
    """The full monthly amount (before the ramp), exact."""
    first: int
    """The month index it starts in (negative: before the start; past the horizon: never
    within it)."""
    first_month: str
    """``YYYY-MM`` of that month."""
    ramp: int
    """Months over which it rises to its full amount (0: at once)."""
    starts_because: str
    """Why it starts then: ``from``, ``because`` (the last item to go live) or ``start``."""
    source: str
    """Where its figure comes from, as the blueprint says."""
    span: Span
    """The ``benefit`` declaration."""
    source_span: Span | None
    """The ``source`` line."""


@attrs.frozen(eq=False, repr=False)
class BusinessCase:
    """The design against the do-nothing center: series, headline figures, benefits."""

    do_nothing: fin.Statement
    """Today's center over the horizon, unchanged: its cost lines month by month."""
    figures: bc.CaseFigures
    """Savings, benefits, investment, net and cumulative cash flow; payback, ROI, IRR, NPV."""
    benefits: tuple[BenefitFlow, ...]
    discount: Fraction
    """The effective annual discount rate of the NPV."""
    month_labels: tuple[str, ...]
    year_labels: tuple[str, ...]
    span: Span
    """The ``baseline`` block."""
    unknown_staff: tuple[str, ...] = ()
    """Today's channels whose staff is not known (CXB0613): the do-nothing cost leaves
    their agents out, so the savings are understated."""
    levers: tuple[Saving, ...] | None = None
    """The saving of each lever, month by month; None until asked for (:func:`with_levers`)."""

    @property
    def payback_month(self) -> str | None:
        """``YYYY-MM`` of the payback month, None when not within the horizon."""
        index = self.figures.payback_index
        return None if index is None else self.month_labels[index]

    def __repr__(self) -> str:
        """One line: ``<BusinessCase 36 months: payback 14 months, NPV 1234567.89>``."""
        figures = self.figures
        paid = f"{figures.payback} months" if figures.payback is not None else "not within"
        return (
            f"<BusinessCase {len(self.month_labels)} months: payback {paid}, "
            f"NPV {float(figures.npv):.2f}>"
        )


def with_levers(case: BusinessCase, levers: tuple[Saving, ...]) -> BusinessCase:
    """The business case with the savings of each lever (computed on request)."""
    return attrs.evolve(case, levers=levers)


def benefit_start(
    benefit: m.Benefit, grid: Grid, timeline: Timeline, plan: ph.Plan | None
) -> tuple[int, str]:
    """The month index a benefit starts in, and why (``from``, ``because`` or ``start``).

    ``because`` items start it when the last of them goes live: a component, channel,
    practice or site in the month it goes live in the plan, a phase in the month after it
    ends (the month its last item is live).
    """
    if benefit.start is not None:
        return grid.index_of(*benefit.start), "from"
    if not benefit.because:
        return 0, "start"
    months = []
    for ref in benefit.because:
        if ref.kind == "phase":
            ends = [p.end for p in (plan.phases if plan else ()) if p.name == ref.name]
            months.append(math.ceil(ends[0]) if ends else 0)
        else:
            months.append(timeline.go_live(ref))
    return max(months), "because"


def benefit_flows(
    model: Model, grid: Grid, timeline: Timeline, plan: ph.Plan | None
) -> tuple[BenefitFlow, ...]:
    """Every benefit of the blueprint over the horizon."""
    flows = []
    for benefit in model.of(m.Benefit):
        if benefit.library:
            continue
        first, why = benefit_start(benefit, grid, timeline, plan)
        per_month = benefit.per_month
        months = bc.benefit_months(per_month, first, benefit.ramp_months, grid.months)
        origin = benefit.origin("source")
        flows.append(
            BenefitFlow(
                benefit.name,
                months,
                fin.total(months),
                per_month,
                first,
                grid.label(first),
                benefit.ramp_months,
                why,
                benefit.source,
                benefit.span,
                origin.span if origin is not None else None,
            )
        )
    return tuple(flows)


def unknown_staff(today: DoNothing) -> tuple[str, ...]:
    """Today's assisted channels whose staff the do-nothing cost leaves out: none when the
    baseline states today's `cost` or its total staff."""
    if today.basis is CostBasis.STATED or today.center.fte_total_stated.known:
        return ()
    return tuple(q.name for q in today.center.queues if q.channel.assisted and not q.fte.known)


def business_case(
    model: Model,
    design: fin.Statement,
    today: DoNothing | None,
    timeline: Timeline,
    plan: ph.Plan | None,
    grid: Grid,
    sink: DiagnosticSink,
) -> BusinessCase | None:
    """The business case of a blueprint with a baseline (None without one); a benefit past
    the horizon (CXB0618) and a case that does not pay back within it (CXB0616) are
    reported to ``sink``, and so are benefits that nothing counts without a baseline
    (CXB0615). The payback is not reported when the do-nothing cost leaves out staff that
    is not known (CXB0613 says so): the savings are then understated."""
    baseline = model.baseline
    benefits = benefit_flows(model, grid, timeline, plan)
    if baseline is None:
        for flow in benefits:
            sink.report(
                C.BENEFIT_WITHOUT_BASELINE,
                f"the benefit `{flow.name}` is not counted: a business case compares the "
                "design with today's operation, and the blueprint has no `baseline`",
                flow.span,
            )
        return None
    if today is None:  # today's operation could not be costed (reported by sizing)
        return None
    do_nothing = today.statement
    unknown = unknown_staff(today)
    last = grid.label(grid.months - 1) if grid.months else grid.label(0)
    for flow in benefits:
        if flow.first >= grid.months:
            sink.report(
                C.BENEFIT_OUTSIDE_HORIZON,
                f"the benefit `{flow.name}` starts in {grid.label(flow.first)}, after the "
                f"horizon ends ({last}): it counts nothing",
                flow.span,
            )
    gains = [Fraction(0)] * grid.months
    for flow in benefits:
        gains = [a + b for a, b in zip(gains, flow.months, strict=True)]
    figures = bc.business_case(
        do_nothing.total.months,
        design.capex.months,
        design.opex.months,
        gains,
        model.blueprint.discount,
        offset=design.offset,
    )
    case = BusinessCase(
        do_nothing,
        figures,
        benefits,
        model.blueprint.discount,
        design.month_labels,
        design.year_labels,
        baseline.span,
        unknown,
    )
    if figures.payback is None and grid.months and not unknown:
        currency = model.blueprint.currency
        sink.report(
            C.NO_PAYBACK,
            f"the design does not pay back within the horizon: its cumulative net cash flow "
            f"against today's operation is {money(figures.cumulative[-1], currency)} at the "
            f"end ({last})",
            baseline.span,
        )
    return case


__all__ = ["BenefitFlow", "BusinessCase", "benefit_flows", "business_case", "with_levers"]
