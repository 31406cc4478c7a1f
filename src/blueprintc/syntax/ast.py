"""The syntax tree of a blueprint file: attrs nodes that carry their source spans.

The syntax is generic (statements with arguments and blocks); the schema of the
semantic stage gives statements their meaning. Atoms are the pieces of an argument:
names, quantities (a number with an optional unit), texts, dates, times and ranges.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from blueprintc.source import SourceFile, Span


@attrs.frozen
class Comment:
    """A ``//`` or ``/* */`` comment, kept for the formatter and the language server."""

    text: str
    span: Span


@attrs.frozen
class Name:
    """A name or a dotted reference (``premier``, ``std.voice``)."""

    parts: tuple[str, ...]
    span: Span

    @property
    def text(self) -> str:
        return ".".join(self.parts)


@attrs.frozen
class Unit:
    """The unit written after a number: ``min``, ``%``, ``USD/seat/month``, ``/month``."""

    numerator: str | None
    per: tuple[str, ...]
    span: Span

    @property
    def text(self) -> str:
        head = self.numerator or ""
        return head + "".join(f"/{p}" for p in self.per)


@attrs.frozen
class Quantity:
    """A number with an optional unit; the number keeps full decimal precision."""

    value: Decimal
    unit: Unit | None
    span: Span

    @property
    def text(self) -> str:
        return self.span.text


@attrs.frozen
class Text:
    """A text between double quotes, with escapes resolved."""

    value: str
    span: Span


@attrs.frozen
class Date:
    """``2027-01`` or ``2027-01-15``, not yet validated (the semantic stage checks it)."""

    year: int
    month: int
    day: int | None
    span: Span


@attrs.frozen
class Clock:
    """A time of day ``08:30``, not yet validated."""

    hour: int
    minute: int
    span: Span

    @property
    def minutes(self) -> int:
        return self.hour * 60 + self.minute


@attrs.frozen
class Range:
    """``mon..fri`` or ``08:00-20:00``: two atoms joined by ``..`` or ``-``."""

    low: Atom
    high: Atom
    span: Span


@attrs.frozen
class Symbol:
    """Punctuation that stands alone in an argument, such as the ``/`` of ``std/channels``."""

    text: str
    span: Span


@attrs.frozen
class Group:
    """Arguments in parentheses."""

    args: tuple[Arg, ...]
    span: Span


Atom = Name | Quantity | Text | Date | Clock | Range | Symbol | Group


@attrs.frozen
class Arg:
    """One comma-separated argument: a sequence of atoms (``80% within 20 s``)."""

    atoms: tuple[Atom, ...]
    span: Span


@attrs.frozen
class Block:
    """The statements between ``{`` and ``}``."""

    statements: tuple[Node, ...]
    span: Span


@attrs.frozen
class Statement:
    """``keyword args { block }``: a declaration at the top level, a field inside a block."""

    keyword: str
    keyword_span: Span
    args: tuple[Arg, ...]
    block: Block | None
    span: Span


# -- expressions (assert) -----------------------------------------------------------------


@attrs.frozen
class BinaryOp:
    """``left op right`` with op one of ``or and < <= > >= == != + - *``."""

    op: str
    left: Expr
    right: Expr
    span: Span


@attrs.frozen
class UnaryOp:
    """``not x`` or ``-x``."""

    op: str
    operand: Expr
    span: Span


@attrs.frozen
class Call:
    """A computed figure: ``occupancy(voice)``, ``capex(year 1)``."""

    name: str
    name_span: Span
    args: tuple[Arg, ...]
    span: Span


Expr = BinaryOp | UnaryOp | Call | Quantity | Name | Date


@attrs.frozen
class Assert:
    """``assert expr``: a constraint over computed figures."""

    expr: Expr
    span: Span


Node = Statement | Assert


@attrs.frozen
class Module:
    """One parsed file."""

    source: SourceFile
    statements: tuple[Node, ...]
    comments: tuple[Comment, ...]
