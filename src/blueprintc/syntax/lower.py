"""Turn Lark's parse tree into the typed syntax tree (:mod:`blueprintc.syntax.ast`).

Besides mapping rules to classes, lowering assembles the atoms of an argument: a number
followed by ``%`` or by a word becomes a :class:`~blueprintc.syntax.ast.Quantity` with
that unit (``4.5 min``, ``95 USD/seat/month``, ``38_000/month``), a leading ``-`` makes
it negative, and ``a..b`` or ``08:00-20:00`` become a :class:`~blueprintc.syntax.ast.Range`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lark import Token, Tree

from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast

_SUFFIX = {"k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "B": Decimal(10) ** 9}
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}

Item = Tree | Token  # type: ignore[type-arg]


def parse_number(text: str) -> Decimal:
    """``38_000`` -> 38000, ``1.1M`` -> 1100000, ``250k`` -> 250000 (exact decimals)."""
    factor = _SUFFIX.get(text[-1], Decimal(1))
    digits = text[:-1] if text[-1] in _SUFFIX else text
    return Decimal(digits.replace("_", "")) * factor


class Lowerer:
    """Builds AST nodes for one source file."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source

    def span(self, item: Item) -> Span:
        if isinstance(item, Token):
            return Span(self.source, item.start_pos or 0, item.end_pos or 0)
        return Span(self.source, item.meta.start_pos, item.meta.end_pos)

    def module(self, tree: Tree, comments: tuple[ast.Comment, ...]) -> ast.Module:  # type: ignore[type-arg]
        return ast.Module(self.source, self.statements(tree.children), comments)

    def statements(self, items: list[Item]) -> tuple[ast.Node, ...]:
        return tuple(self.statement(item) for item in items if isinstance(item, Tree))

    def statement(self, tree: Tree) -> ast.Node:  # type: ignore[type-arg]
        if tree.data == "assert_statement":
            return ast.Assert(self.expr(tree.children[0]), self.span(tree))
        head = tree.children[0]
        args: tuple[ast.Arg, ...] = ()
        block: ast.Block | None = None
        for child in tree.children[1:]:
            if child.data == "args":
                args = self.args(child)
            else:
                block = ast.Block(self.statements(child.children), self.span(child))
        keyword = head.children[0]
        return ast.Statement(str(keyword), self.span(keyword), args, block, self.span(tree))

    def args(self, tree: Tree) -> tuple[ast.Arg, ...]:  # type: ignore[type-arg]
        return tuple(ast.Arg(self.atoms(arg.children), self.span(arg)) for arg in tree.children)

    # -- atoms ----------------------------------------------------------------------------

    def atoms(self, items: list[Tree]) -> tuple[ast.Atom, ...]:  # type: ignore[type-arg]
        raw = [self.atom(item) for item in items]
        return _join_ranges(_assemble_quantities(raw))

    def atom(self, tree: Tree) -> ast.Atom:  # type: ignore[type-arg]
        kind = tree.data
        if kind == "ref":
            return ast.Name(tuple(str(t) for t in tree.children), self.span(tree))
        if kind == "group":
            args = self.args(tree.children[0]) if tree.children else ()
            return ast.Group(args, self.span(tree))
        token = tree.children[0]
        span = self.span(token)
        text = str(token)
        if kind == "number":
            return ast.Quantity(parse_number(text), None, span)
        if kind == "string":
            return ast.Text(unescape(text[1:-1]), span)
        if kind == "date":
            parts = [int(p) for p in text.split("-")]
            return ast.Date(parts[0], parts[1], parts[2] if len(parts) > 2 else None, span)
        if kind == "clock":
            hour, minute = text.split(":")
            return ast.Clock(int(hour), int(minute), span)
        return ast.Symbol(text, span)

    # -- expressions ----------------------------------------------------------------------

    def expr(self, item: Item) -> ast.Expr:
        assert isinstance(item, Tree)
        kind, children, span = item.data, item.children, self.span(item)
        if kind in ("or_", "and_"):
            op = "or" if kind == "or_" else "and"
            result = self.expr(children[0])
            for child in children[1:]:
                right = self.expr(child)
                result = ast.BinaryOp(op, result, right, result.span.cover(right.span))
            return result
        if kind in ("compare", "arith"):
            result = self.expr(children[0])
            for op_token, child in zip(children[1::2], children[2::2], strict=True):
                right = self.expr(child)
                result = ast.BinaryOp(str(op_token), result, right, result.span.cover(right.span))
            return result
        if kind == "not_":
            return ast.UnaryOp("not", self.expr(children[0]), span)
        if kind == "neg":
            return ast.UnaryOp("-", self.expr(children[1]), span)
        if kind == "call":
            name = children[0]
            args = self.args(children[1]) if len(children) > 1 else ()
            return ast.Call(str(name), self.span(name), args, span)
        if kind == "literal":
            return self.literal(item)
        if kind == "ref":
            return ast.Name(tuple(str(t) for t in children), span)
        raise AssertionError(f"unexpected expression node {kind}")

    def literal(self, tree: Tree) -> ast.Quantity:  # type: ignore[type-arg]
        number, rest = tree.children[0], tree.children[1:]
        value = parse_number(str(number))
        numerator: str | None = None
        per: list[str] = []
        unit_span: Span | None = None
        for child in rest:
            if isinstance(child, Token):  # the PERCENT sign
                numerator, unit_span = "%", self.span(child)
                continue
            tokens = [t for t in child.children if isinstance(t, Token)]
            words = [str(t) for t in tokens if t.type == "NAME"]
            starts_with_slash = tokens[0].type == "SLASH"
            if numerator is None and not starts_with_slash:
                numerator, words = words[0], words[1:]
            per.extend(words)
            unit_span = unit_span.cover(self.span(child)) if unit_span else self.span(child)
        unit = ast.Unit(numerator, tuple(per), unit_span) if unit_span else None
        return ast.Quantity(value, unit, self.span(tree))


def unescape(text: str) -> str:
    """Resolve ``\\"``, ``\\\\``, ``\\n`` and ``\\t`` in a quoted text."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


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
