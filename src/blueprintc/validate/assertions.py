"""Assertions: type-check each ``assert`` now; the passes that compute its figures
evaluate it later. Each figure has a kind (percentage, duration, count, money, number,
date) and an argument of a specific sort."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.semantic.units import UnitError, interpret
from blueprintc.syntax import ast
from blueprintc.validate.findings import Context, Finding

LAYER_WORDS = ("brand", "business", "financial", "operational", "technology")


@attrs.frozen
class Signature:
    """What a figure returns and what its argument names."""

    returns: str
    argument: str


SIGNATURES = {
    "occupancy": Signature("percentage", "channel"),
    "service_level": Signature("percentage", "channel"),
    "abandon": Signature("percentage", "channel"),
    "asa": Signature("duration", "channel"),
    "agents": Signature("count", "channel"),
    "fte": Signature("count", "channel"),
    "seats": Signature("count", "site"),
    "capex": Signature("money", "year"),
    "opex": Signature("money", "year"),
    "npv": Signature("money", "option"),
    "tco": Signature("money", "total"),
    "cost_per_contact": Signature("money", "channel"),
    "maturity": Signature("number", "maturity"),
    "phase_end": Signature("date", "phase"),
    "payback": Signature("duration", "total"),
    "irr": Signature("percentage", "total"),
    "roi": Signature("percentage", "total"),
    "savings": Signature("money", "year"),
}
BUSINESS_CASE_FIGURES = frozenset({"payback", "irr", "roi", "savings"})
"""Figures of the business case: the design against the do-nothing center of `baseline`."""
ARGUMENT_HELP = {
    "channel": "a channel or `total`",
    "site": "a site or `total`",
    "year": "`year N` within the horizon, or `total`",
    "option": "`option cloud`, `option onprem` or `option hosted` of a component, or `total`",
    "total": "`total` or nothing",
    "maturity": "a layer, `current`, `target` or `total`",
    "phase": "a phase",
}
COMPATIBLE = {frozenset({"count", "number"})}


class _TypeError(Exception):
    def __init__(self, code: C.Code, message: str, node: ast.Expr) -> None:
        super().__init__(message)
        self.code, self.message, self.node = code, message, node


class Checker:
    """Infers the kind of each sub-expression, raising at the first inconsistency."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def kind(self, expr: ast.Expr) -> str:
        if isinstance(expr, ast.BinaryOp):
            return self._binary(expr)
        if isinstance(expr, ast.UnaryOp):
            inner = self.kind(expr.operand)
            wanted = "boolean" if expr.op == "not" else inner
            if inner != wanted or (expr.op == "-" and inner in ("boolean", "date")):
                raise _TypeError(C.ASSERTION_TYPE, f"`{expr.op}` cannot apply to a {inner}", expr)
            return inner
        if isinstance(expr, ast.Call):
            signature = SIGNATURES[expr.name]
            self._argument(expr, signature.argument)
            return signature.returns
        if isinstance(expr, ast.Date):
            return "date"
        if isinstance(expr, ast.Quantity):
            return self._literal_kind(expr)
        raise _TypeError(C.ASSERTION_TYPE, f"`{expr.span.text}` is not a figure", expr)

    def _binary(self, expr: ast.BinaryOp) -> str:
        left, right = self.kind(expr.left), self.kind(expr.right)
        if expr.op in ("and", "or"):
            if left != "boolean" or right != "boolean":
                raise _TypeError(C.ASSERTION_TYPE, f"`{expr.op}` joins comparisons", expr)
            return "boolean"
        if expr.op == "*":
            if "number" not in (left, right):
                raise _TypeError(C.ASSERTION_TYPE, f"cannot multiply a {left} by a {right}", expr)
            return right if left == "number" else left
        if not _compatible(left, right) or "boolean" in (left, right):
            raise _TypeError(
                C.ASSERTION_TYPE,
                f"`{expr.op}` cannot combine a {left} (`{expr.left.span.text}`) with a {right} "
                f"(`{expr.right.span.text}`)",
                expr,
            )
        return "boolean" if expr.op in ("<", "<=", ">", ">=", "==", "!=") else left

    def _argument(self, call: ast.Call, sort: str) -> None:
        atoms = [atom for arg in call.args for atom in arg.atoms]
        words = [a.text if isinstance(a, ast.Name) else None for a in atoms]
        if self._argument_ok(sort, atoms, words):
            return
        raise _TypeError(
            C.ASSERTION_ARGUMENT,
            f"`{call.name}` takes {ARGUMENT_HELP[sort]}, not `{_written(call)}`",
            call,
        )

    def _argument_ok(self, sort: str, atoms: list[ast.Atom], words: list[str | None]) -> bool:
        if words == ["total"] or (sort in ("total", "option") and not atoms):
            return True
        if sort in ("channel", "site", "phase"):
            return len(atoms) == 1 and self._names(atoms[0], sort)
        if sort == "year":
            return self._year(atoms, words)
        if sort == "option":
            return len(words) == 2 and words[0] == "option" and words[1] in self._models()
        if sort == "maturity":
            return len(words) == 1 and words[0] in (*LAYER_WORDS, "current", "target")
        return False

    def _names(self, atom: ast.Atom, kind: str) -> bool:
        if not isinstance(atom, ast.Name):
            return False
        name = atom.parts[-1] if atom.parts[0] == kind else atom.text
        return self.ctx.model.get(m.Ref(kind, name)) is not None

    def _year(self, atoms: list[ast.Atom], words: list[str | None]) -> bool:
        if len(atoms) != 2 or words[0] != "year" or not isinstance(atoms[1], ast.Quantity):
            return False
        years = -(-self.ctx.model.blueprint.horizon_months // 12)
        value = atoms[1].value
        return atoms[1].unit is None and value == int(value) and 1 <= value <= years

    def _literal_kind(self, quantity: ast.Quantity) -> str:
        unit = quantity.unit
        if unit is None:
            return "number"
        info = interpret(unit.numerator, unit.per, dict(self.ctx.model.blueprint.exchange))
        if isinstance(info, UnitError):
            return "number"  # the semantic checks reported it
        if info.percent:
            return "percentage"
        dims = dict(info.dims)
        if dims.get("money") == 1:
            return "money"
        return "duration" if info.dims == (("time", 1),) else "number"

    def _models(self) -> set[str]:
        found = set()
        for component in self.ctx.model.of(m.Component):
            found |= set(component.options)
            if component.model:
                found.add(component.model)
        return found


def _written(call: ast.Call) -> str:
    return ", ".join(arg.span.text for arg in call.args) or "nothing"


def _compatible(left: str, right: str) -> bool:
    return left == right or frozenset({left, right}) in COMPATIBLE


def assertion_types(ctx: Context) -> Iterator[Finding]:
    """Assertions whose figures do not fit together, or name the wrong things."""
    checker = Checker(ctx)
    for assertion in ctx.model.assertions:
        if ctx.model.baseline is None:
            business = [f for f in assertion.functions if f in BUSINESS_CASE_FIGURES]
            if business:
                yield Finding(
                    C.BUSINESS_CASE_WITHOUT_BASELINE,
                    assertion.ref,
                    f"`{business[0]}` is a figure of the business case, which compares the "
                    "design with today's operation, but the blueprint has no `baseline`",
                    assertion.span,
                )
                continue
        try:
            result = checker.kind(assertion.expr)
            if result != "boolean":
                raise _TypeError(
                    C.ASSERTION_TYPE,
                    "an assertion must compare figures, e.g. `fte(total) <= 400`",
                    assertion.expr,
                )
        except _TypeError as error:
            yield Finding(error.code, assertion.ref, error.message, error.node.span)
