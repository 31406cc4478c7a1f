"""Figures of the planning pass for ``assert``: capital and operating expenditure, NPV, TCO,
cost per contact, maturity and phase ends; sizing figures come from the sizing pass.

``capex(year N)``, ``opex(year N)``: the totals of year N of the horizon (``total``: the
horizon). ``npv(option M)``: the NPV of the costs with every component under model M
(``total`` or nothing: the design as declared). ``tco``: all capex and opex of the
horizon. ``cost_per_contact(channel)``: that channel's staff and telephony cost over its
contacts; ``total``: all operating cost over all contacts. ``maturity(layer | current |
target | total)``: the index (0-100); ``total`` and ``target`` are the target position.
``phase_end(phase)``: the month the phase ends in. The business case (only with a
``baseline``): ``payback`` (months to the payback month; infinite when it is not reached
within the horizon), ``irr`` and ``roi`` (fractions; undefined without a sign change or an
investment), ``savings(year N | total)`` (do-nothing minus design operating cost).
"""

from __future__ import annotations

import math
from fractions import Fraction

from blueprintc.model.model import Model
from blueprintc.planning.costs import channel_cost
from blueprintc.planning.run import Planning
from blueprintc.sizing.figures import SECONDS_PER_MONTH, Figures, NotComputed, Undefined, figure
from blueprintc.sizing.size import Sizing
from blueprintc.solve import finance as fin
from blueprintc.solve.business_case import changes_sign
from blueprintc.syntax import ast


def _words(call: ast.Call) -> list[str]:
    return [a.text for arg in call.args for a in arg.atoms if isinstance(a, ast.Name)]


def _year(call: ast.Call) -> int | None:
    numbers = [a.value for arg in call.args for a in arg.atoms if isinstance(a, ast.Quantity)]
    return int(numbers[0]) if numbers else None


def planning_figures(model: Model, sizing: Sizing, planning: Planning) -> Figures:
    """A figure provider for every figure an assertion can name."""

    def provide(call: ast.Call) -> float:
        name = call.name
        if name in ("capex", "opex"):
            series = planning.statement.capex if name == "capex" else planning.statement.opex
            year = _year(call)
            return float(series.total if year is None else series.years[year - 1])
        if name in ("npv", "tco"):
            return _npv_tco(name, call, planning, model)
        if name == "cost_per_contact":
            return _cost_per_contact(call, sizing, planning)
        if name == "maturity":
            return _maturity(call, planning)
        if name == "phase_end":
            return _phase_end(call, model, planning)
        if name in ("payback", "irr", "roi", "savings"):
            return _business_case(call, planning)
        return figure(sizing, call)

    return provide


def _npv_tco(name: str, call: ast.Call, planning: Planning, model: Model) -> float:
    words = _words(call)
    statement = planning.statement
    if "option" in words and len(words) == 2:
        statement = planning.option_statements.get(words[1], statement)
    if name == "tco":
        return float(fin.tco(statement))
    flows = [c + o for c, o in zip(statement.capex.months, statement.opex.months, strict=True)]
    return float(fin.npv(model.blueprint.discount, flows))


def _cost_per_contact(call: ast.Call, sizing: Sizing, planning: Planning) -> float:
    words = _words(call)
    if not words or words[-1] == "total":
        value = planning.cost_per_contact()
        return float(value) if value is not None else math.inf
    channel = words[-1].split(".")[-1]
    cost = channel_cost(planning.statement, channel)
    contacts = sum(
        (
            Fraction(float(w.monthly.sum()))
            for w in sizing.workload.channels
            if w.channel.name == channel
        ),
        Fraction(0),
    )
    value = fin.cost_per_contact(cost, contacts)
    return float(value) if value is not None else math.inf


def _maturity(call: ast.Call, planning: Planning) -> float:
    result = planning.maturity
    if result is None:
        raise NotComputed("maturity")
    word = (_words(call) or ["total"])[-1]
    if word == "current":
        value = result.current
    elif word in ("target", "total"):
        value = result.target
    else:
        value = result.layer(word).target
    return float(value) if value is not None else 0.0


def _phase_end(call: ast.Call, model: Model, planning: Planning) -> float:
    words = _words(call)
    plan = planning.plan
    if plan is None or not words:
        raise NotComputed("phase_end")
    name = words[-1].split(".")[-1]
    for phase in plan.phases:
        if phase.name == name:
            blueprint = model.blueprint
            first = blueprint.start_year * 12 + blueprint.start_month - 1
            return float(first + math.ceil(phase.end) - 1)
    raise NotComputed("phase_end")


def _business_case(call: ast.Call, planning: Planning) -> float:
    case = planning.business_case
    if case is None:  # no baseline: the type check reported the assertion (CXB0617)
        raise NotComputed(call.name)
    figures = case.figures
    if call.name == "payback":
        return math.inf if figures.payback is None else float(figures.payback * SECONDS_PER_MONTH)
    if call.name == "savings":
        year = _year(call)
        return float(figures.savings.total if year is None else figures.savings.years[year - 1])
    if call.name == "roi":
        if figures.roi is None:
            raise Undefined(
                "`roi` is not defined: the design spends no capital, so there is no "
                "investment to return on"
            )
        return float(figures.roi)
    if figures.irr is None:
        net = figures.net.months
        if changes_sign(net):
            reason = "no rate of return balances the net cash flow of the business case"
        else:
            never = "negative" if all(v >= 0 for v in net) else "positive"
            reason = (
                f"the net cash flow of the business case is never {never}, so no rate of "
                "return balances it"
            )
        raise Undefined(f"`irr` is not defined: {reason}")
    return figures.irr
