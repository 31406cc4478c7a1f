"""Build the typed syntax tree (:mod:`blueprintc.syntax.ast`) while Lark parses.

The builder is a Lark transformer that Lark calls on every reduction, so no intermediate
parse tree is made (the fastest way to use Lark's LALR parser). Spans come from the
tokens. Besides mapping rules to classes, it assembles the atoms of an argument: a number
followed by ``%`` or by a word becomes a :class:`~blueprintc.syntax.ast.Quantity` with that
unit (``4.5 min``, ``95 USD/seat/month``, ``38_000/month``), a leading ``-`` makes it
negative, and ``a..b`` or ``08:00-20:00`` become a :class:`~blueprintc.syntax.ast.Range`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lark import Token, Transformer

from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast

_SUFFIX = {"k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "B": Decimal(10) ** 9}
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def parse_number(text: str) -> Decimal:
    """``38_000`` -> 38000, ``1.1M`` -> 1100000, ``250k`` -> 250000 (exact decimals)."""
    factor = _SUFFIX.get(text[-1], Decimal(1))
    digits = text[:-1] if text[-1] in _SUFFIX else text
    return Decimal(digits.replace("_", "")) * factor


def unescape(text: str) -> str:
    """Resolve ``\\"``, ``\\\\``, ``\\n`` and ``\\t`` in a quoted text."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


class Builder(Transformer[Token, Any]):
    """Lark callbacks building AST nodes for the file in :attr:`source`."""

    def __init__(self) -> None:
        super().__init__()
        self.source = SourceFile("", "")
        self.limit = 0

    def reset(self, source: SourceFile) -> None:
        self.source = source
        self.limit = len(source.text)

    def tok(self, token: Token) -> Span:
        """A token's span, clamped to the file (recovery may have appended closing braces)."""
        end = min(token.end_pos or 0, self.limit)
        return Span(self.source, min(token.start_pos or 0, end), end)

    def join(self, first: Span, last: Span) -> Span:
        return Span(self.source, first.start, max(first.start, last.end))

    # -- statements -----------------------------------------------------------------------

    def start(self, children: list[ast.Node]) -> list[ast.Node]:
        return children

    def statement(self, children: list[Any]) -> ast.Statement:
        keyword: Token = children[0]
        span = self.tok(keyword)
        args: tuple[ast.Arg, ...] = ()
        block: ast.Block | None = None
        end = span
        for child in children[1:]:
            if isinstance(child, ast.Block):
                block, end = child, child.span
            else:
                args = child
                end = args[-1].span
        return ast.Statement(str(keyword), span, args, block, self.join(span, end))

    def assert_statement(self, children: list[Any]) -> ast.Assert:
        keyword, expr = children
        return ast.Assert(expr, self.join(self.tok(keyword), expr.span))

    def block(self, children: list[Any]) -> ast.Block:
        statements = tuple(c for c in children if not isinstance(c, Token))
        return ast.Block(statements, self.join(self.tok(children[0]), self.tok(children[-1])))

    def args(self, children: list[ast.Arg]) -> tuple[ast.Arg, ...]:
        return tuple(children)

    def arg(self, children: list[Any]) -> ast.Arg:
        if len(children) == 1:  # most arguments are one name: nothing to assemble
            atom = self.atom(children[0])
            return ast.Arg((atom,), atom.span)
        atoms = _join_ranges(_assemble_quantities([self.atom(c) for c in children]))
        return ast.Arg(atoms, self.join(atoms[0].span, atoms[-1].span))

    def group(self, children: list[Any]) -> ast.Group:
        args = children[1] if len(children) == 3 else ()
        return ast.Group(args, self.join(self.tok(children[0]), self.tok(children[-1])))

    def atom(self, item: Token | ast.Group) -> ast.Atom:
        if isinstance(item, ast.Group):
            return item
        kind, text, span = item.type, str(item), self.tok(item)
        if kind == "NAME":
            return ast.Name(tuple(text.split(".")), span)
        if kind == "NUMBER":
            return ast.Quantity(parse_number(text), None, span)
        if kind == "STRING":
            return ast.Text(unescape(text[1:-1]), span)
        if kind == "DATE":
            parts = [int(p) for p in text.split("-")]
            return ast.Date(parts[0], parts[1], parts[2] if len(parts) > 2 else None, span)
        if kind == "CLOCK":
            hour, minute = text.split(":")
            return ast.Clock(int(hour), int(minute), span)
        return ast.Symbol(text, span)

    # -- expressions ----------------------------------------------------------------------

    def expr(self, item: Any) -> ast.Expr:
        if isinstance(item, Token):  # a bare name or a date
            atom = self.atom(item)
            assert isinstance(atom, ast.Name | ast.Date)
            return atom
        return item  # type: ignore[no-any-return]

    def _fold(self, children: list[Any], op: str | None) -> ast.Expr:
        result = self.expr(children[0])
        rest = children[1:]
        pairs = zip(rest, rest, strict=False) if op else zip(rest[::2], rest[1::2], strict=True)
        for op_token, child in pairs:
            right = self.expr(child)
            result = ast.BinaryOp(op or str(op_token), result, right, result.span.cover(right.span))
        return result

    def or_(self, children: list[Any]) -> ast.Expr:
        return self._fold_same(children, "or")

    def and_(self, children: list[Any]) -> ast.Expr:
        return self._fold_same(children, "and")

    def _fold_same(self, children: list[Any], op: str) -> ast.Expr:
        result = self.expr(children[0])
        for child in children[1:]:
            right = self.expr(child)
            result = ast.BinaryOp(op, result, right, result.span.cover(right.span))
        return result

    def compare(self, children: list[Any]) -> ast.Expr:
        return self._fold(children, None)

    def arith(self, children: list[Any]) -> ast.Expr:
        return self._fold(children, None)

    def not_(self, children: list[Any]) -> ast.Expr:
        operand = self.expr(children[0])
        return ast.UnaryOp("not", operand, operand.span)

    def neg(self, children: list[Any]) -> ast.Expr:
        dash, operand = children[0], self.expr(children[1])
        return ast.UnaryOp("-", operand, self.join(self.tok(dash), operand.span))

    def paren(self, children: list[Any]) -> ast.Expr:
        return self.expr(children[1])

    def call(self, children: list[Any]) -> ast.Call:
        name = children[0]
        args = children[2] if len(children) == 4 else ()
        return ast.Call(
            str(name), self.tok(name), args, self.join(self.tok(name), self.tok(children[-1]))
        )

    def call_args(self, children: list[ast.Arg]) -> tuple[ast.Arg, ...]:
        return tuple(children)

    def literal(self, children: list[Any]) -> ast.Quantity:
        number, rest = children[0], children[1:]
        numerator: str | None = None
        per: list[str] = []
        unit_span: Span | None = None
        for child in rest:
            if isinstance(child, Token):  # the PERCENT sign
                numerator, unit_span = "%", self.tok(child)
                continue
            words, span, starts_with_slash = child
            if numerator is None and not starts_with_slash:
                numerator, words = words[0], words[1:]
            per.extend(words)
            unit_span = unit_span.cover(span) if unit_span else span
        unit = ast.Unit(numerator, tuple(per), unit_span) if unit_span else None
        span = self.tok(number)
        return ast.Quantity(parse_number(str(number)), unit, span.cover(unit_span or span))

    def unit(self, children: list[Token]) -> tuple[list[str], Span, bool]:
        words = [str(t) for t in children if t.type == "NAME"]
        return (
            words,
            self.join(self.tok(children[0]), self.tok(children[-1])),
            children[0].type == "SLASH",
        )


def _is_symbol(atom: ast.Atom | None, text: str) -> bool:
    return isinstance(atom, ast.Symbol) and atom.text == text


def _is_word(atom: ast.Atom | None) -> bool:
    return isinstance(atom, ast.Name) and len(atom.parts) == 1


def _assemble_quantities(atoms: list[ast.Atom]) -> list[ast.Atom]:
    """Attach ``%``, a unit word and ``/word`` chains to the number before them."""
    out: list[ast.Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        if not (isinstance(atom, ast.Quantity) and atom.unit is None):
            out.append(atom)
            i += 1
            continue
        numerator: str | None = None
        per: list[str] = []
        end = i + 1
        if _is_symbol(_at(atoms, end), "%"):
            numerator, end = "%", end + 1
        elif _is_word(_at(atoms, end)):
            numerator, end = _word(atoms[end]), end + 1
        while _is_symbol(_at(atoms, end), "/") and _is_word(_at(atoms, end + 1)):
            per.append(_word(atoms[end + 1]))
            end += 2
        quantity = atom
        if end > i + 1:
            unit_span = atoms[i + 1].span.cover(atoms[end - 1].span)
            quantity = ast.Quantity(
                atom.value, ast.Unit(numerator, tuple(per), unit_span), atom.span.cover(unit_span)
            )
        if out and _is_symbol(out[-1], "-") and (len(out) == 1 or not _is_clock(out[-2])):
            dash = out.pop()
            quantity = ast.Quantity(-quantity.value, quantity.unit, dash.span.cover(quantity.span))
        out.append(quantity)
        i = end
    return out


def _join_ranges(atoms: list[ast.Atom]) -> tuple[ast.Atom, ...]:
    """``a .. b`` and ``08:00 - 20:00`` become Range atoms."""
    out: list[ast.Atom] = []
    i = 0
    while i < len(atoms):
        atom, sep, high = atoms[i], _at(atoms, i + 1), _at(atoms, i + 2)
        joins = high is not None and (
            _is_symbol(sep, "..") or (_is_symbol(sep, "-") and _is_clock(atom) and _is_clock(high))
        )
        if joins and high is not None:
            out.append(ast.Range(atom, high, atom.span.cover(high.span)))
            i += 3
        else:
            out.append(atom)
            i += 1
    return tuple(out)


def _is_clock(atom: ast.Atom | None) -> bool:
    return isinstance(atom, ast.Clock)


def _at(atoms: list[ast.Atom], index: int) -> ast.Atom | None:
    return atoms[index] if index < len(atoms) else None


def _word(atom: ast.Atom) -> str:
    assert isinstance(atom, ast.Name)
    return atom.parts[0]
