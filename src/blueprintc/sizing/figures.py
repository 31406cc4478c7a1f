"""The figures an ``assert`` can name that sizing computes, and the evaluation of asserts.

Figures over the horizon: ``occupancy``, ``service_level``, ``asa`` and ``abandon`` of a
channel are averages weighted by contacts over every interval of every month (``total``:
over all real-time channels); ``agents`` is the peak of agents in any interval (``total``:
agents logged in at the same time); ``fte`` is the peak month's FTE (``total``: agents
and support staff); ``seats`` are the seats a site needs at the peak. Figures of the
financial design, phasing and maturity are evaluated by those passes; until then an
assertion naming them is not evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import duration, number, percent
from blueprintc.semantic.units import UnitError, interpret
from blueprintc.sizing.size import QueueSizing, Sizing
from blueprintc.syntax import ast

SIZING_FIGURES = ("occupancy", "service_level", "asa", "abandon", "agents", "fte", "seats")
_WEIGHTED = {"occupancy", "service_level", "asa", "abandon"}
MONEY_FIGURES = {"capex", "opex", "npv", "tco", "cost_per_contact", "savings"}
_PERCENT_FIGURES = {"occupancy", "service_level", "abandon", "irr", "roi"}
SECONDS_PER_MONTH = 365 * 24 * 3600 // 12
"""A month of the `assert` units (a twelfth of a 365-day year), in seconds."""


class NotComputed(Exception):
    """The figure belongs to a pass that has not run."""


class Undefined(Exception):
    """The figure has no value for this design (an IRR of flows that never change sign);
    the message says why."""


def _argument(call: ast.Call) -> str:
    atoms = [atom for arg in call.args for atom in arg.atoms]
    return atoms[-1].text if atoms and isinstance(atoms[-1], ast.Name) else "total"


def _queues(sizing: Sizing, name: str) -> list[QueueSizing]:
    if name == "total":
        return [q for q in sizing.queues if q.spec.mode == "realtime"]
    return [q for q in sizing.queues if q.work.channel.name == name and not q.work.outbound]


def figure(sizing: Sizing, call: ast.Call) -> float:
    """The value of one sizing figure, in canonical units (fractions, seconds, counts)."""
    if call.name not in SIZING_FIGURES:
        raise NotComputed(call.name)
    name = _argument(call).split(".")[-1]
    if call.name == "seats":
        return float(sum(sizing.seats.values()) if name == "total" else sizing.seats.get(name, 0))
    if call.name == "fte":
        if name == "total":
            return float(sizing.total_fte.max(initial=0))
        return float(sum(q.monthly.fte for q in _queues(sizing, name)).max(initial=0))  # type: ignore[union-attr]
    if call.name == "agents":
        if name == "total":
            return float(sizing.peak_concurrent.max(initial=0))
        return float(
            max((q.intervals.agents.max(initial=0) for q in _queues(sizing, name)), default=0)
        )
    return _weighted(call.name, _queues(sizing, name))


def _weighted(name: str, queues: list[QueueSizing]) -> float:
    values = np.concatenate(
        [getattr(q.intervals, name).reshape(-1) for q in queues] or [np.zeros(0)]
    )
    weights = np.concatenate([q.intervals.contacts.reshape(-1) for q in queues] or [np.zeros(0)])
    finite = np.isfinite(values) & (weights > 0)
    total = weights[finite].sum()
    return float((values[finite] * weights[finite]).sum() / total) if total > 0 else 0.0


Figures = Callable[[ast.Call], float]


def sizing_figures(sizing: Sizing) -> Figures:
    """The figure provider of the sizing pass."""
    return lambda call: figure(sizing, call)


class Evaluator:
    """Evaluates an assertion's expression with the figures a provider computes."""

    def __init__(self, figures: Figures, model_exchange: dict[str, Fraction]) -> None:
        self.figures = figures
        self.exchange = model_exchange
        self.failures: list[str] = []

    def value(self, expr: ast.Expr) -> float | bool:
        if isinstance(expr, ast.BinaryOp):
            return self._binary(expr)
        if isinstance(expr, ast.UnaryOp):
            inner = self.value(expr.operand)
            return (not inner) if expr.op == "not" else -float(inner)
        if isinstance(expr, ast.Call):
            return self.figures(expr)
        if isinstance(expr, ast.Date):
            return float(expr.year * 12 + expr.month - 1)
        if isinstance(expr, ast.Quantity):
            return self._literal(expr)
        raise NotComputed(expr.span.text)

    def _literal(self, quantity: ast.Quantity) -> float:
        if quantity.unit is None:
            return float(quantity.value)
        info = interpret(quantity.unit.numerator, quantity.unit.per, self.exchange)
        if isinstance(info, UnitError):
            raise NotComputed(quantity.text)
        return float(Fraction(quantity.value) * info.factor)

    def _binary(self, expr: ast.BinaryOp) -> float | bool:
        if expr.op in ("and", "or"):
            left, right = bool(self.value(expr.left)), bool(self.value(expr.right))
            return (left and right) if expr.op == "and" else (left or right)
        a, b = float(self.value(expr.left)), float(self.value(expr.right))
        if expr.op in ("+", "-", "*"):
            return a + b if expr.op == "+" else a - b if expr.op == "-" else a * b
        holds = _compare(expr.op, a, b)
        if not holds:
            self.failures.append(f"{expr.left.span.text} is {self._show(expr.left, a)}")
        return holds

    def _show(self, expr: ast.Expr, value: float) -> str:
        if isinstance(expr, ast.Call) and expr.name in _PERCENT_FIGURES:
            return percent(Fraction(value).limit_denominator(100_000))
        if isinstance(expr, ast.Call) and expr.name == "payback":
            if math.isinf(value):
                return "not reached within the horizon"
            months = round(value / SECONDS_PER_MONTH)
            return f"{months} month{'' if months == 1 else 's'}"
        if isinstance(expr, ast.Call) and expr.name == "asa":
            return duration(Fraction(value).limit_denominator(1000))
        if isinstance(expr, ast.Call) and expr.name in MONEY_FIGURES:
            return number(Fraction(value).limit_denominator(100), 2)
        if isinstance(expr, ast.Call) and expr.name == "phase_end":
            year, month = divmod(int(value), 12)
            return f"{year}-{month + 1:02d}"
        return number(Fraction(value).limit_denominator(1000), 1)


def _compare(op: str, a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):  # no tolerance: an infinite one would make all hold
        exact = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b}
        return exact.get(op, a != b)
    tolerance = 1e-9 * max(1.0, abs(a), abs(b))
    return {
        "<": a < b - tolerance,
        "<=": a <= b + tolerance,
        ">": a > b + tolerance,
        ">=": a >= b - tolerance,
        "==": abs(a - b) <= tolerance,
        "!=": abs(a - b) > tolerance,
    }[op]


def check_assertions(
    assertions: tuple[m.Assertion, ...],
    figures: Figures,
    exchange: dict[str, Fraction],
    sink: DiagnosticSink,
) -> dict[str, bool | None]:
    """Evaluate each assertion: True, False (reported) or None (figures not computed yet)."""
    outcome: dict[str, bool | None] = {}
    for assertion in assertions:
        evaluator = Evaluator(figures, exchange)
        try:
            holds = bool(evaluator.value(assertion.expr))
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
            detail = "; ".join(evaluator.failures) or "it is false"
            sink.report(
                C.ASSERTION_FAILED,
                f"this assertion does not hold: {detail}",
                assertion.span,
            )
    return outcome
