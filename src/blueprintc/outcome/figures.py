"""The values of the figures an ``assert`` names, and the evaluation of assertions.

What each figure is, its argument and unit come from the registry
(:mod:`blueprintc.semantic.figures`); here each figure gets its evaluator, a function of
the compile's :class:`Results` and the figure's resolved argument to a value in canonical
units. The registry sits in the semantic stage, which must not see the outcome, so the
evaluators are attached here, one per figure, and :data:`EVALUATORS` fails to import if a
figure has none.

Sizing figures over the horizon: ``occupancy``, ``service_level``, ``asa`` and ``abandon``
of a channel are averages weighted by contacts over every interval of every month
(``total``: over all real-time channels); ``agents`` is the peak of agents in any interval
(``total``: agents logged in at the same time); ``fte`` is the peak month's FTE
(``total``: agents and support staff); ``seats`` are the seats a site needs at the peak.
Costs: ``capex(year N)``, ``opex(year N)`` are the totals of year N of the horizon
(``total``: the horizon); ``npv(option M)`` the NPV of the costs with every component
under model M; ``tco`` all capex and opex; ``cost_per_contact(channel)`` that channel's
staff and telephony cost over its contacts (``total``: all operating cost over all
contacts). ``maturity``: the index (0-100; ``total`` and ``target`` are the target
position). ``phase_end``: the month the phase ends in. The business case (with a
``baseline``): ``payback`` (infinite when not reached within the horizon), ``irr`` and
``roi`` (fractions; undefined without a sign change or an investment), ``savings``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import duration, number, percent
from blueprintc.model.model import Model
from blueprintc.outcome import Outcome, QueueMonths
from blueprintc.planning.costs import channel_cost
from blueprintc.semantic import figures as F
from blueprintc.solve import finance as fin
from blueprintc.solve.business_case import CaseFigures, changes_sign


class NotComputed(Exception):
    """The figure belongs to a pass that has not run, or names nothing it can measure."""


class Undefined(Exception):
    """The figure has no value for this design (an IRR of flows that never change sign);
    the message says why."""


@attrs.frozen
class Results:
    """What the evaluators read: the model and the outcome of its compilation."""

    model: Model
    outcome: Outcome


Evaluator = Callable[[Results, F.Resolved], float]


# -- sizing ---------------------------------------------------------------------------------


def _queues(outcome: Outcome, argument: F.Resolved) -> list[QueueMonths]:
    if isinstance(argument, F.Total):
        return [q for q in outcome.queues if q.mode == "realtime"]
    name = _name(argument)
    return [q for q in outcome.queues if q.id.channel == name and not q.id.outbound]


def _name(argument: F.Resolved) -> str:
    if isinstance(argument, F.Named):
        return argument.name
    raise NotComputed(argument)


def horizon_average(queues: Sequence[QueueMonths], measure: str) -> float | None:
    """``service_level``, ``asa``, ``abandon`` or ``occupancy`` of ``queues`` over the
    horizon: every interval of every month weighted by its contacts (docs/sizing.md §5);
    None when no interval has contacts.

    The one rule of a service figure over the horizon: the ``assert`` figures, the
    planned values of the operations templates and the columns of ``blueprintc size``.
    Sizing keeps each queue's weighted sums (``Intervals.sums``); queues are added up.
    (The monthly figures weight the intervals of one month as docs/sizing.md §4.4 says.)
    """
    sums = [q.intervals.sums[measure] for q in queues]
    total = sum(weights for _, weights in sums)
    if total <= 0:
        return None
    return float(sum(weighted for weighted, _ in sums) / total)


def _weighted(measure: str) -> Evaluator:
    def evaluate(results: Results, argument: F.Resolved) -> float:
        value = horizon_average(_queues(results.outcome, argument), measure)
        return 0.0 if value is None else value

    return evaluate


def _agents(results: Results, argument: F.Resolved) -> float:
    outcome = results.outcome
    if isinstance(argument, F.Total):
        center = outcome.center
        return float(center.peak_concurrent.max(initial=0)) if center is not None else 0.0
    peaks = (q.intervals.agents.max(initial=0) for q in _queues(outcome, argument))
    return float(max(peaks, default=0))


def _fte(results: Results, argument: F.Resolved) -> float:
    outcome = results.outcome
    if isinstance(argument, F.Total):
        center = outcome.center
        return float(center.total_fte.max(initial=0)) if center is not None else 0.0
    queues = _queues(outcome, argument)
    if not queues:
        return 0.0
    return float(sum(q.fte for q in queues).max(initial=0))  # type: ignore[union-attr]


def _seats(results: Results, argument: F.Resolved) -> float:
    sites = results.outcome.sites
    if isinstance(argument, F.Total):
        return float(sum(site.needed for site in sites))
    return float(sum(site.needed for site in sites if site.site == _name(argument)))


# -- costs ----------------------------------------------------------------------------------


def _year_of(series: fin.Series, argument: F.Resolved) -> float:
    if isinstance(argument, F.Year):
        return float(series.years[argument.number - 1])
    return float(series.total)


def _capex(results: Results, argument: F.Resolved) -> float:
    return _year_of(results.outcome.statement.capex, argument)


def _opex(results: Results, argument: F.Resolved) -> float:
    return _year_of(results.outcome.statement.opex, argument)


def _statement(results: Results, argument: F.Resolved) -> fin.Statement:
    statement = results.outcome.statement
    if isinstance(argument, F.Option):
        return results.outcome.option_statements.get(argument.model, statement)
    return statement


def _npv(results: Results, argument: F.Resolved) -> float:
    statement = _statement(results, argument)
    flows = [c + o for c, o in zip(statement.capex.months, statement.opex.months, strict=True)]
    return float(fin.npv(results.model.blueprint.discount, flows))


def _tco(results: Results, argument: F.Resolved) -> float:
    return float(fin.tco(_statement(results, argument)))


def _cost_per_contact(results: Results, argument: F.Resolved) -> float:
    outcome = results.outcome
    if isinstance(argument, F.Total):
        value = outcome.planning.cost_per_contact()
        return float(value) if value is not None else math.inf
    channel = _name(argument)
    contacts = outcome.planning.channel_contacts.get(channel, Fraction(0))
    value = fin.cost_per_contact(channel_cost(outcome.statement, channel), contacts)
    return float(value) if value is not None else math.inf


# -- maturity and phasing -------------------------------------------------------------------


def _maturity(results: Results, argument: F.Resolved) -> float:
    result = results.outcome.maturity
    if result is None:
        raise NotComputed("maturity")
    word = argument.word if isinstance(argument, F.Position) else "total"
    if word == "current":
        value = result.current
    elif word in ("target", "total"):
        value = result.target
    else:
        value = result.layer(word).target
    return float(value) if value is not None else 0.0


def _phase_end(results: Results, argument: F.Resolved) -> float:
    plan = results.outcome.plan
    if plan is None:
        raise NotComputed("phase_end")
    name = _name(argument)
    for phase in plan.phases:
        if phase.name == name:
            blueprint = results.model.blueprint
            first = blueprint.start_year * 12 + blueprint.start_month - 1
            return float(first + math.ceil(phase.end) - 1)
    raise NotComputed("phase_end")


# -- the business case ----------------------------------------------------------------------


def _case(results: Results) -> CaseFigures:
    case = results.outcome.planning.business_case
    if case is None:  # no baseline: the type check reported the assertion (CXB0617)
        raise NotComputed("business case")
    return case.figures


def _payback(results: Results, argument: F.Resolved) -> float:
    payback = _case(results).payback
    return math.inf if payback is None else float(payback * F.SECONDS_PER_MONTH)


def _savings(results: Results, argument: F.Resolved) -> float:
    return _year_of(_case(results).savings, argument)


def _roi(results: Results, argument: F.Resolved) -> float:
    roi = _case(results).roi
    if roi is None:
        raise Undefined(
            "`roi` is not defined: the design spends no capital, so there is no "
            "investment to return on"
        )
    return float(roi)


def _irr(results: Results, argument: F.Resolved) -> float:
    figures = _case(results)
    if figures.irr is not None:
        return figures.irr
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


_BY_NAME: dict[str, Evaluator] = {
    "occupancy": _weighted("occupancy"),
    "service_level": _weighted("service_level"),
    "asa": _weighted("asa"),
    "abandon": _weighted("abandon"),
    "agents": _agents,
    "fte": _fte,
    "seats": _seats,
    "capex": _capex,
    "opex": _opex,
    "npv": _npv,
    "tco": _tco,
    "cost_per_contact": _cost_per_contact,
    "maturity": _maturity,
    "phase_end": _phase_end,
    "payback": _payback,
    "irr": _irr,
    "roi": _roi,
    "savings": _savings,
}
EVALUATORS: Mapping[F.Figure, Evaluator] = {f: _BY_NAME[f.name] for f in F.FIGURES}
"""The evaluator of each figure of the registry."""
if set(_BY_NAME) != set(F.BY_NAME):  # pragma: no cover - a figure without an evaluator
    raise ImportError(f"figures without an evaluator: {set(F.BY_NAME) ^ set(_BY_NAME)}")


def value(results: Results, ref: F.FigureRef) -> float:
    """The value of one figure named in an assertion, in canonical units."""
    return EVALUATORS[ref.figure](results, ref.argument)


def figure_value(results: Results, name: str, argument: F.Resolved | None = None) -> float:
    """The value of the figure ``name`` (``argument``: its resolved argument, else total)."""
    return EVALUATORS[F.BY_NAME[name]](results, argument or F.Total())


# -- assertions -----------------------------------------------------------------------------


class Evaluation:
    """Evaluates one typed assertion, noting each comparison that fails."""

    def __init__(self, results: Results) -> None:
        self.results = results
        self.failures: list[str] = []

    def value(self, expr: F.Typed) -> float | bool:
        if isinstance(expr, F.Binary):
            return self._binary(expr)
        if isinstance(expr, F.Not):
            return not self.value(expr.operand)
        if isinstance(expr, F.Negate):
            return -float(self.value(expr.operand))
        if isinstance(expr, F.FigureRef):
            return value(self.results, expr)
        if isinstance(expr, F.Month):
            return float(expr.number)
        if expr.value is None:
            raise NotComputed(expr.span.text)
        return float(expr.value)

    def _binary(self, expr: F.Binary) -> float | bool:
        if expr.op in F.LOGIC:
            left, right = bool(self.value(expr.left)), bool(self.value(expr.right))
            return (left and right) if expr.op is F.Op.AND else (left or right)
        a, b = float(self.value(expr.left)), float(self.value(expr.right))
        if expr.op in F.ARITHMETIC:
            if expr.op is F.Op.ADD:
                return a + b
            return a - b if expr.op is F.Op.SUBTRACT else a * b
        holds = compare(expr.op, a, b)
        if not holds:
            self.failures.append(f"{expr.left.span.text} is {show(expr.left, a)}")
        return holds


def show(expr: F.Typed, value: float) -> str:
    """``value`` as a failed comparison states it: in the unit of the figure it is."""
    unit = expr.figure.unit if isinstance(expr, F.FigureRef) else None
    if unit is F.Unit.SHARE:
        return percent(Fraction(value).limit_denominator(100_000))
    if unit is F.Unit.MONTHS:
        if math.isinf(value):
            return "not reached within the horizon"
        months = round(value / F.SECONDS_PER_MONTH)
        return f"{months} month{'' if months == 1 else 's'}"
    if unit is F.Unit.SECONDS:
        return duration(Fraction(value).limit_denominator(1000))
    if unit is F.Unit.MONEY:
        return number(Fraction(value).limit_denominator(100), 2)
    if unit is F.Unit.DATE:
        year, month = divmod(int(value), 12)
        return f"{year}-{month + 1:02d}"
    return number(Fraction(value).limit_denominator(1000), 1)


def compare(op: F.Op, a: float, b: float) -> bool:
    """``a op b`` with a relative tolerance of 1e-9 (none when either is infinite)."""
    if math.isinf(a) or math.isinf(b):  # no tolerance: an infinite one would make all hold
        exact = {
            F.Op.LESS: a < b,
            F.Op.AT_MOST: a <= b,
            F.Op.GREATER: a > b,
            F.Op.AT_LEAST: a >= b,
            F.Op.EQUAL: a == b,
        }
        return exact.get(op, a != b)
    tolerance = 1e-9 * max(1.0, abs(a), abs(b))
    return {
        F.Op.LESS: a < b - tolerance,
        F.Op.AT_MOST: a <= b + tolerance,
        F.Op.GREATER: a > b + tolerance,
        F.Op.AT_LEAST: a >= b - tolerance,
        F.Op.EQUAL: abs(a - b) <= tolerance,
        F.Op.NOT_EQUAL: abs(a - b) > tolerance,
    }[op]


def check_assertions(
    assertions: tuple[m.Assertion, ...], results: Results, sink: DiagnosticSink
) -> dict[str, bool | None]:
    """Evaluate each assertion: True, False (reported) or None (figures not computed)."""
    outcome: dict[str, bool | None] = {}
    for assertion in assertions:
        evaluation = Evaluation(results)
        try:
            holds = bool(evaluation.value(assertion.typed))
        except NotComputed:
            outcome[assertion.name] = None
            continue
        except Undefined as undefined:
            outcome[assertion.name] = False
            sink.report(
                C.BUSINESS_FIGURE_UNDEFINED,
                f"this assertion cannot be checked: {undefined}",
                assertion.span,
            )
            continue
        outcome[assertion.name] = holds
        if not holds:
            detail = "; ".join(evaluation.failures) or "it is false"
            sink.report(
                C.ASSERTION_FAILED, f"this assertion does not hold: {detail}", assertion.span
            )
    return outcome
