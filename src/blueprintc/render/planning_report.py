"""Reports of ``blueprintc plan`` (phases, schedule, critical path, vendors, maturity) and
``blueprintc cost`` (the financial design), as text and as JSON.

JSON units: money in the blueprint's currency as decimal strings with two decimals (exact
cents; strings so that no float rounding creeps in), months as ``YYYY-MM`` labels, indices
from 0 to 100, weights and shares as decimal strings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from blueprintc.model.format import money
from blueprintc.model.model import Model
from blueprintc.outcome import Grid, LeverKind, Outcome, Saving
from blueprintc.render.answer import figures_json
from blueprintc.solve import finance as fin

JSON_SCHEMA_VERSION = 1


def _cents(value: Fraction) -> str:
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.2f}"


def _grouped(value: Fraction) -> str:
    return f"{Decimal(value.numerator) / Decimal(value.denominator):,.2f}"


def _dec(value: Fraction | None, places: int = 4) -> str | None:
    if value is None:
        return None
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"


def _month(grid: Grid, value: Fraction, end: bool = False) -> str:
    index = math.ceil(value) - 1 if end else math.floor(value)
    return grid.label(max(0, index))


def _name(item: str) -> str:
    return item.split(":", 1)[1] if ":" in item else item


# -- plan -------------------------------------------------------------------------------------


def _grid(outcome: Outcome) -> Grid:
    assert outcome.grid is not None, "built by outcome.build"
    return outcome.grid


def plan_text(model: Model, outcome: Outcome) -> str:
    grid = _grid(outcome)
    currency = model.blueprint.currency
    lines: list[str] = []
    plan = outcome.plan
    if plan is None:
        lines.append("no phases are declared: every item is planned for the first month")
    else:
        lines += ["Phases", f"{'phase':<16} {'start':<8} {'end':<8} {'cost':>16} {'budget':>16}"]
        for phase in plan.phases:
            budget = money(phase.budget, currency) if phase.budget is not None else "-"
            start, end = _month(grid, phase.start), _month(grid, phase.end, True)
            lines.append(
                f"{phase.name:<16} {start:<8} {end:<8} {money(phase.cost, currency):>16} "
                f"{budget:>16}"
            )
        lines += ["", "Items", f"{'item':<28} {'phase':<16} {'start':<8} {'live':<8} reason"]
        for item in sorted(plan.items, key=lambda i: (i.start, i.name)):
            lines.append(
                f"{item.name:<28} {item.phase:<16} {_month(grid, item.start):<8} "
                f"{_month(grid, item.end, True):<8} {item.reason}"
            )
        path = " → ".join(plan.critical_path)
        lines += ["", f"Critical path ({fin_months(plan.critical_length)}): {path}"]
    lines += _ranking_text(outcome) + _maturity_text(outcome)
    return "\n".join(lines) + "\n"


def fin_months(value: Fraction) -> str:
    return f"{float(value):g} months"


def _ranking_text(outcome: Outcome) -> list[str]:
    ranking = outcome.ranking
    if ranking is None:
        return []
    lines = ["", "Vendor ranking"]
    for vendor in ranking.ranked:
        percent = f"{float(vendor.percent):.1f}%" if vendor.percent is not None else "-"
        lines.append(
            f"  {vendor.position}. {vendor.name}: {float(vendor.total):.3f} of 5 ({percent})"
        )
    for excluded in ranking.excluded:
        lines.append(f"  excluded: {excluded.name} (fails {', '.join(excluded.fails)})")
    for flip in outcome.flips:
        if flip.most_sensitive and flip.new_weight is not None and flip.change is not None:
            lines.append(
                f"  most sensitive: {flip.leader} vs {flip.runner_up} flips when "
                f"`{flip.criterion}` moves from {float(flip.weight) * 100:.1f}% to "
                f"{float(flip.new_weight) * 100:.1f}% ({float(flip.change) * 100:+.1f} points)"
            )
    return lines


def _maturity_text(outcome: Outcome) -> list[str]:
    result = outcome.maturity
    if result is None:
        return []
    lines = ["", "Maturity index (0-100): current → target"]
    for layer in result.layers:
        if layer.current is not None and layer.target is not None:
            lines.append(
                f"  {layer.layer:<12} {float(layer.current):5.1f} → {float(layer.target):5.1f}"
            )
    if result.current is not None and result.target is not None:
        lines.append(
            f"  {'overall':<12} {float(result.current):5.1f} → {float(result.target):5.1f}"
        )
    if result.gaps:
        lines.append("  gaps: " + ", ".join(p.name for p in result.gaps))
    return lines


def plan_json(model: Model, outcome: Outcome) -> str:
    """The document of :func:`plan_document` as JSON text."""
    return figures_json(plan_document(model, outcome))


def plan_document(model: Model, outcome: Outcome) -> dict[str, Any]:
    """Schema ``blueprintc.plan``: phases, items, critical path, ranking, maturity."""
    grid = _grid(outcome)
    plan = outcome.plan
    document: dict[str, Any] = {
        "schema": "blueprintc.plan",
        "version": JSON_SCHEMA_VERSION,
        "currency": model.blueprint.currency,
        "phases": [],
        "items": [],
        "critical_path": [],
    }
    if plan is not None:
        document["phases"] = [
            {
                "name": p.name,
                "start": _month(grid, p.start),
                "end": _month(grid, p.end, True),
                "start_month": _dec(p.start, 2),
                "end_month": _dec(p.end, 2),
                "cost": _cents(p.cost),
                "budget": _cents(p.budget) if p.budget is not None else None,
                "overrun_months": _dec(p.overrun, 2),
                "items": list(p.items),
                "critical_chain": list(p.critical_chain),
            }
            for p in plan.phases
        ]
        document["items"] = [
            {
                "name": i.name,
                "kind": i.kind,
                "phase": i.phase,
                "start": _month(grid, i.start),
                "live": _month(grid, i.end, True),
                "cost": _cents(i.cost),
                "reason": i.reason,
                "cause": i.cause,
                "held_by": i.held_by,
                "pilot_share": _dec(i.pilot_share) if i.pilot_share is not None else None,
            }
            for i in plan.items
        ]
        document["critical_path"] = list(plan.critical_path)
        document["critical_length_months"] = _dec(plan.critical_length, 2)
    if outcome.ranking is not None:
        document["ranking"] = [
            {
                "name": v.name,
                "position": v.position,
                "total": _dec(v.total),
                "percent": _dec(v.percent, 2),
            }
            for v in outcome.ranking.ranked
        ]
        document["excluded"] = [
            {"name": e.name, "fails": list(e.fails)} for e in outcome.ranking.excluded
        ]
        document["sensitivity"] = [
            {
                "leader": f.leader,
                "runner_up": f.runner_up,
                "criterion": f.criterion,
                "weight": _dec(f.weight),
                "flips_at": _dec(f.new_weight),
                "winner": f.winner,
                "most_sensitive": f.most_sensitive,
            }
            for f in outcome.flips
        ]
    if outcome.maturity is not None:
        document["maturity"] = {
            "layers": {
                layer.layer: {"current": _dec(layer.current, 2), "target": _dec(layer.target, 2)}
                for layer in outcome.maturity.layers
            },
            "current": _dec(outcome.maturity.current, 2),
            "target": _dec(outcome.maturity.target, 2),
            "gaps": [p.name for p in outcome.maturity.gaps],
        }
    return document


# -- cost -------------------------------------------------------------------------------------


def cost_text(model: Model, outcome: Outcome) -> str:
    currency = model.blueprint.currency
    statement = outcome.statement
    years = [f"Y{i + 1}" for i in range(len(statement.capex.years))]
    width = 18
    head = f"{'':<22}" + "".join(f"{y:>{width}}" for y in years) + f"{'total':>{width}}"
    lines = [
        f"Financial design ({currency}), {statement.month_labels[0]} to "
        f"{statement.month_labels[-1]}, discount {float(model.blueprint.discount) * 100:g}%",
        "",
        head,
    ]

    def row(label: str, series: fin.Series) -> str:
        cells = "".join(f"{_grouped(v):>{width}}" for v in series.years)
        return f"{label:<22}{cells}{_grouped(series.total):>{width}}"

    lines += [
        row("capex", statement.capex),
        row("opex", statement.opex),
        row("total", statement.total),
    ]
    lines += ["", "by group"]
    for (category, group), series in statement.by_category_group.items():
        lines.append(row(f"  {group} ({category})", series))
    cumulative = statement.cumulative
    lines += [
        "",
        f"cumulative cash flow at the end: {money(cumulative[-1], currency)}"
        if cumulative
        else "cumulative cash flow: none",
        f"NPV of the costs: {money(outcome.key.npv, currency)}",
        f"TCO over the horizon: {money(fin.tco(statement), currency)}",
    ]
    per_contact = outcome.key.cost_per_contact
    if per_contact is not None:
        lines.append(f"operating cost per contact (all channels): {money(per_contact, currency)}")
    for channel, value in outcome.channel_costs.items():
        lines.append(f"  {channel}: {money(value, currency)} a contact (agents and telephony)")
    if outcome.activity:
        lines += ["", "Cost per process (activity-based: handled minutes + overhead by contacts)"]
        for entry in sorted(outcome.activity, key=lambda r: -r.total):
            each = money(entry.per_contact, currency) if entry.per_contact is not None else "-"
            total = money(entry.total, currency)
            lines.append(f"  {entry.name:<26} {total:>20}  {each:>12} a contact")
    for scenario in outcome.scenarios:
        lines.append(
            f"what-if: {scenario.vendor} at {float(scenario.discount) * 100:g}% off saves "
            f"{money(scenario.saving, currency)} of NPV"
        )
    if outcome.options:
        lines += ["", "Options (every component under one deployment model)"]
        width = max(10, *(len(_option_label(o)) for o in outcome.options))
        for option in outcome.options:
            lines.append(
                f"  {option.rank}. {_option_label(option):<{width}} "
                f"NPV {money(option.npv, currency):>18}  "
                f"TCO {money(option.tco, currency):>18}  (+{money(option.npv_delta, currency)})"
            )
        lines.append(f"  {_cheapest(outcome.options)}")
    lines += business_case_text(outcome, currency)
    return "\n".join(lines) + "\n"


def business_case_text(outcome: Outcome, currency: str) -> list[str]:
    """The business case section of ``blueprintc cost``: the design against doing nothing
    (nothing without a baseline)."""
    case = outcome.business_case
    if case is None:
        return []
    figures = case.figures
    width = 18
    head = f"{'':<26}" + "".join(f"{y:>{width}}" for y in case.year_labels)
    lines = [
        "",
        "Business case: the design against today's operation unchanged (the baseline)",
        "",
        head + f"{'total':>{width}}",
    ]

    def row(label: str, series: fin.Series) -> str:
        cells = "".join(f"{_grouped(v):>{width}}" for v in series.years)
        return f"{label:<26}{cells}{_grouped(series.total):>{width}}"

    do_nothing = case.do_nothing.total
    lines += [
        row("do-nothing cost", do_nothing),
        row("savings", figures.savings),
        row("benefits", figures.benefits),
        row("investment (capex)", figures.investment),
        row("net cash flow", figures.net),
        "",
        f"cumulative net cash flow at the end: {money(figures.cumulative[-1], currency)}"
        if figures.cumulative
        else "cumulative net cash flow: none",
    ]
    if figures.payback is not None:
        lines.append(f"payback: {figures.payback} months ({case.payback_month})")
    else:
        lines.append("payback: not within the horizon")
    lines.append(
        f"ROI over the horizon: {_percent(figures.roi)}"
        if figures.roi is not None
        else "ROI: not defined (no capital expenditure)"
    )
    if figures.irr is not None and figures.irr_monthly is not None:
        lines.append(
            f"IRR: {figures.irr * 100:.2f}% a year ({figures.irr_monthly * 100:.2f}% a month)"
        )
    else:
        lines.append("IRR: not defined (no rate balances the net cash flow)")
    lines.append(
        f"NPV of the change at {float(case.discount) * 100:g}%: {money(figures.npv, currency)}"
    )
    if case.unknown_staff:
        lines.append(
            f"note: today's staff on {', '.join(case.unknown_staff)} is not known; the "
            "do-nothing cost leaves it out, so the savings are understated"
        )
    for flow in case.benefits:
        lines.append(
            f"  benefit {flow.name}: {money(flow.total, currency)} over the horizon, from "
            f"{flow.first_month}; source: {flow.source}"
        )
    return lines


def _percent(value: Fraction) -> str:
    return f"{Decimal(value.numerator) / Decimal(value.denominator) * 100:.2f}%"


def _option_label(option: fin.OptionResult) -> str:
    """``onprem``, ``cloud = hosted`` (one option, two names), ``cloud (as designed)``,
    ``onprem (tie)``."""
    label = " = ".join(option.names)
    if option.as_designed:
        label += " (as designed)"
    return label + (" (tie)" if option.tied else "")


def _cheapest(options: Sequence[fin.OptionResult]) -> str:
    """What the ranking says: the cheapest option, a tie, or nothing to choose."""
    first = [o for o in options if o.rank == 1]
    if len(options) == 1:
        same = " = ".join(options[0].names)
        if options[0].as_designed:
            return f"every option costs exactly what the design costs ({same}): no alternative"
        return f"every option costs exactly the same ({same}): no choice on cost"
    if len(first) > 1:
        tied = " and ".join(" = ".join(o.names) for o in first)
        return f"tie for the lowest NPV: {tied}; neither is cheaper"
    cheapest = " = ".join(first[0].names)
    if first[0].as_designed:
        return f"cheaper by NPV: the design itself ({cheapest})"
    return f"cheaper by NPV: {cheapest}"


def cost_json(model: Model, outcome: Outcome, savings: Sequence[Saving] | None = None) -> str:
    """The document of :func:`cost_document` as JSON text."""
    return figures_json(cost_document(model, outcome, savings))


def cost_document(
    model: Model, outcome: Outcome, savings: Sequence[Saving] | None = None
) -> dict[str, Any]:
    """Schema ``blueprintc.cost``; with ``savings`` (``cost --savings``) also ``savings``."""
    statement = outcome.statement

    def series(value: fin.Series) -> dict[str, Any]:
        return {
            "months": [_cents(v) for v in value.months],
            "years": [_cents(v) for v in value.years],
            "total": _cents(value.total),
        }

    document: dict[str, Any] = {
        "schema": "blueprintc.cost",
        "version": JSON_SCHEMA_VERSION,
        "currency": model.blueprint.currency,
        "months": list(statement.month_labels),
        "discount": _dec(model.blueprint.discount),
        "capex": series(statement.capex),
        "opex": series(statement.opex),
        "total": series(statement.total),
        "cumulative": [_cents(v) for v in statement.cumulative],
        "lines": [
            {
                "name": line.name,
                "category": line.category,
                "group": line.group,
                **series(statement.line_series[line.name]),
            }
            for line in statement.lines
        ],
        "npv": _cents(outcome.key.npv),
        "tco": _cents(fin.tco(statement)),
        "cost_per_contact": _cents(c) if (c := outcome.key.cost_per_contact) is not None else None,
        "cost_per_contact_by_channel": {
            name: _cents(value) for name, value in outcome.channel_costs.items()
        },
        "options": [
            {
                "name": o.name,
                "rank": o.rank,
                "npv": _cents(o.npv),
                "tco": _cents(o.tco),
                "npv_delta": _cents(o.npv_delta),
                "same_as": list(o.same_as),
                "as_designed": o.as_designed,
                "tied": list(o.tied),
            }
            for o in outcome.options
        ],
        "reconciles": statement.reconciles(),
        "activity": [
            {
                "process": r.name,
                "contacts": _dec(r.contacts, 2),
                "direct": _cents(r.direct),
                "overhead": _cents(r.overhead),
                "total": _cents(r.total),
                "per_contact": _cents(r.per_contact) if r.per_contact is not None else None,
            }
            for r in outcome.activity
        ],
        "scenarios": [
            {
                "vendor": s.vendor,
                "discount": _dec(s.discount),
                "components": list(s.components),
                "npv": _cents(s.npv),
                "saving": _cents(s.saving),
            }
            for s in outcome.scenarios
        ],
    }
    document["business_case"] = business_case_document(outcome)
    if savings is not None:
        offset = statement.offset
        document["savings"] = [
            {
                "kind": s.kind.value,
                "owner": s.owner,
                "process": s.process,
                "lever": s.lever,
                **_series(fin.Series.of(s.months, offset=offset)),
                "capex": _cents(s.capex_saved),
                "opex": _cents(s.opex_saved),
                "fte_saved_peak": round(s.fte_saved_peak, 2),
                "fte_saved_average": round(s.fte_saved_average, 2),
                "staff_cost_saved": _cents(s.staff_cost_saved),
            }
            for s in savings
        ]
    return document


def _series(value: fin.Series) -> dict[str, Any]:
    return {
        "months": [_cents(v) for v in value.months],
        "years": [_cents(v) for v in value.years],
        "total": _cents(value.total),
    }


def _rate(value: float | None) -> str | None:
    return None if value is None else f"{value:.6f}"


def business_case_document(outcome: Outcome) -> dict[str, Any] | None:
    """The ``business_case`` object of the cost document (docs/finance.md); None without
    a baseline."""
    case = outcome.business_case
    if case is None:
        return None
    figures = case.figures
    today = outcome.do_nothing
    return {
        "do_nothing": _series(case.do_nothing.total),
        "do_nothing_basis": today.basis.value if today is not None else None,
        "savings": _series(figures.savings),
        "benefits": _series(figures.benefits),
        "investment": _series(figures.investment),
        "net": _series(figures.net),
        "cumulative": [_cents(v) for v in figures.cumulative],
        "payback_months": figures.payback,
        "payback_month": case.payback_month,
        "roi": _dec(figures.roi, 6),
        "irr": _rate(figures.irr),
        "irr_monthly": _rate(figures.irr_monthly),
        "npv": _cents(figures.npv),
        "unknown_staff": list(case.unknown_staff),
        "benefit_lines": [
            {
                "name": flow.name,
                **_series(fin.Series.of(flow.months, offset=case.do_nothing.offset)),
                "from": flow.first_month,
                "ramp_months": flow.ramp,
                "source": flow.source,
            }
            for flow in case.benefits
        ],
    }


def savings_text(savings: Sequence[Saving], currency: str) -> str:
    """The savings by lever that ``cost --savings`` appends to the text report."""
    lines = [
        "",
        "Savings by lever (cost of the design without the lever − cost of the design)",
    ]
    for s in savings:
        staff = (
            f"; {s.fte_saved_average:.1f} FTE on average, "
            f"{money(s.staff_cost_saved, currency)} of staff cost"
            if s.kind in (LeverKind.MIGRATION, LeverKind.AUTOMATION)
            else ""
        )
        owner = f"{s.owner}: " if s.process is not None else ""
        lines.append(f"  {owner}{s.lever}: {money(s.total, currency)}{staff}")
    return "\n".join(lines) + "\n"
