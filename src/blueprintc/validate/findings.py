"""A finding of an alignment rule, before ``allow`` decides whether it is reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from blueprintc.diagnostics import Diagnostic, Label
from blueprintc.diagnostics.codes import Code
from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.source import Span

if TYPE_CHECKING:
    from blueprintc.graph import Graph


@attrs.frozen
class Finding:
    """One rule's verdict on one element; ``silenced`` holds the ``allow`` that hides it."""

    code: Code
    subject: m.Ref
    message: str
    span: Span | None
    labels: tuple[Label, ...] = ()
    help: str | None = None
    silenced: m.Allow | None = None

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            self.code, self.message, self.span, self.labels, (), self.help or self.code.help
        )


@attrs.frozen(eq=False)
class Context:
    """What every rule reads: the model and its graph."""

    model: Model
    graph: Graph

    @property
    def currency(self) -> str:
        return self.model.blueprint.currency

    def designed(self, cls: type[m.E]) -> tuple[m.E, ...]:
        """The blueprint's own elements of a class (library catalogue entries excluded)."""
        return tuple(e for e in self.model.of(cls) if not e.library)


Rule = Callable[[Context], Iterable[Finding]]


def label(span: Span | None, message: str) -> tuple[Label, ...]:
    """A one-label tuple, or none when the span is unknown."""
    return (Label(span, message),) if span is not None else ()


def field_span(element: m.Element, field: str) -> Span:
    """The span of the line that set a field, else the element's name."""
    origin = element.origin(field)
    return origin.span if origin and origin.span else element.span
