"""Assertions: type-check each ``assert`` now; evaluation waits for its figures.

Walks the typed tree the semantic stage resolved (:mod:`blueprintc.semantic.figures`):
each figure's kind comes from the unit the registry gives it, each argument must name
what the figure takes (a declared channel, site or phase, a year within the horizon, an
option of a component)."""

from __future__ import annotations

from collections.abc import Iterator

from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.semantic import figures as F
from blueprintc.source import Span
from blueprintc.validate.findings import Context, Finding


class _TypeError(Exception):
    def __init__(self, code: C.Code, message: str, span: Span) -> None:
        super().__init__(message)
        self.code, self.message, self.span = code, message, span


class Checker:
    """Infers the kind of each sub-expression, raising at the first inconsistency."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def kind(self, expr: F.Typed) -> F.Kind:
        if isinstance(expr, F.Binary):
            return self._binary(expr)
        if isinstance(expr, F.Not | F.Negate):
            inner = self.kind(expr.operand)
            op = "not" if isinstance(expr, F.Not) else "-"
            wanted = F.Kind.BOOLEAN if op == "not" else inner
            if inner != wanted or (op == "-" and inner in (F.Kind.BOOLEAN, F.Kind.DATE)):
                raise _TypeError(C.ASSERTION_TYPE, f"`{op}` cannot apply to a {inner}", expr.span)
            return inner
        if isinstance(expr, F.FigureRef):
            if not self._argument_ok(expr.figure.argument, expr.argument):
                raise _TypeError(
                    C.ASSERTION_ARGUMENT,
                    f"`{expr.figure.name}` takes {expr.figure.argument.help}, not `{expr.written}`",
                    expr.span,
                )
            return expr.figure.kind
        if isinstance(expr, F.Month):
            return F.Kind.DATE
        return expr.kind

    def _binary(self, expr: F.Binary) -> F.Kind:
        left, right = self.kind(expr.left), self.kind(expr.right)
        if expr.op in F.LOGIC:
            if left != F.Kind.BOOLEAN or right != F.Kind.BOOLEAN:
                raise _TypeError(C.ASSERTION_TYPE, f"`{expr.op}` joins comparisons", expr.span)
            return F.Kind.BOOLEAN
        if expr.op is F.Op.MULTIPLY:
            if F.Kind.NUMBER not in (left, right):
                raise _TypeError(
                    C.ASSERTION_TYPE, f"cannot multiply a {left} by a {right}", expr.span
                )
            return right if left == F.Kind.NUMBER else left
        if not _compatible(left, right) or F.Kind.BOOLEAN in (left, right):
            raise _TypeError(
                C.ASSERTION_TYPE,
                f"`{expr.op}` cannot combine a {left} (`{expr.left.span.text}`) with a {right} "
                f"(`{expr.right.span.text}`)",
                expr.span,
            )
        return F.Kind.BOOLEAN if expr.op in F.COMPARISONS else left

    def _argument_ok(self, takes: F.Argument, argument: F.Resolved) -> bool:
        if isinstance(argument, F.Total):
            return True
        if isinstance(argument, F.Named):
            return self.ctx.model.get(m.Ref(argument.kind, argument.name)) is not None
        if isinstance(argument, F.Year):
            years = -(-self.ctx.model.blueprint.horizon_months // 12)
            return 1 <= argument.number <= years
        if isinstance(argument, F.Option):
            return argument.model in self._models()
        return isinstance(argument, F.Position)

    def _models(self) -> set[str]:
        found = set()
        for component in self.ctx.model.of(m.Component):
            found |= set(component.options)
            if component.model:
                found.add(component.model)
        return found


def _compatible(left: F.Kind, right: F.Kind) -> bool:
    return left == right or frozenset({left, right}) in F.COMPATIBLE


def assertion_types(ctx: Context) -> Iterator[Finding]:
    """Assertions whose figures do not fit together, or name the wrong things."""
    checker = Checker(ctx)
    baseline = ctx.model.baseline
    for assertion in ctx.model.assertions:
        if baseline is None:
            business = [
                ref.figure.name
                for ref in F.figure_refs(assertion.typed)
                if ref.figure.stage is F.Stage.BUSINESS_CASE
            ]
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
            result = checker.kind(assertion.typed)
            if result != F.Kind.BOOLEAN:
                raise _TypeError(
                    C.ASSERTION_TYPE,
                    "an assertion must compare figures, e.g. `fte(total) <= 400`",
                    assertion.typed.span,
                )
        except _TypeError as error:
            yield Finding(error.code, assertion.ref, error.message, error.span)
