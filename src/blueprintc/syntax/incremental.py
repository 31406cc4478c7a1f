"""Incremental parsing: after an edit, parse only the top-level declaration it falls in.

An editor compiles the file it shows after every change, and on a large blueprint the
parse is most of that time. :class:`ParseMemo` keeps the last clean parse of each file
(one that reported nothing). Given a new text of that file, it finds what changed (the
longest common beginning and end of the two texts) and, when the change lies within one
top-level statement (from its keyword to its last character, the closing ``}`` of a
block excluded), parses that statement's new text alone with the same Lark parser
(:func:`~blueprintc.syntax.parse.parse_statement`) and splices it between the old
statements before it and after it, whose spans are moved to the new file (those after
it shifted by the change in length). The result is equal to parsing the whole new text,
node for node and span for span, because the language's top level is a plain sequence
of statements:

* the text before the statement is unchanged, so the tokens and parser states up to its
  first character are too (a statement starts where the one before ended, after a line
  break, ``;`` or ``}``);
* the statement's new text parses alone into exactly one statement spanning all of it
  without error, and it ends as the old one did: with the block's ``}``, or, for a
  statement without a block, before an unchanged line break, ``;`` or the end of the
  file, characters no token can run on into. The parser is then in the same state after
  it as after the old statement, and the unchanged rest of the file parses as before.

Anything else falls back to parsing the whole file: a change across statements or
between them, a statement that no longer parses alone (a new syntax error, an unclosed
block, a ``}`` too many), or a file whose last parse reported anything. The property tests
in ``tests/syntax/test_incremental.py`` compare both on random edits.
"""

from __future__ import annotations

import inspect
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse_file, parse_statement, reparsing

MEMO_FILES = 64  # files whose last clean parse a memo keeps (the least recently parsed go)
_ENDS_A_STATEMENT = frozenset("\r\n;")  # after a statement without a block, in the old text


class ParseMemo:
    """The last clean parse of each file, to parse the next version of it incrementally.

    Safe to share between threads (the language server compiles in two). ``reused``
    and ``full`` count the parses done each way.
    """

    def __init__(self, capacity: int = MEMO_FILES) -> None:
        self.capacity = capacity
        self.reused = 0
        self.full = 0
        self._last: OrderedDict[tuple[str, Path | None], ast.Module] = OrderedDict()
        self._lock = threading.Lock()

    @contextmanager
    def active(self) -> Iterator[None]:
        """Within this block, :func:`blueprintc.syntax.parse.parse` goes through this memo."""
        with reparsing(self):
            yield

    def parse(self, source: SourceFile, sink: DiagnosticSink) -> ast.Module:
        """The tree and diagnostics of :func:`~blueprintc.syntax.parse.parse_file`."""
        key = (source.path, source.real_path)
        with self._lock:
            last = self._last.get(key)
        module = reparse(last, source) if last is not None else None
        if module is not None:
            clean = True
            with self._lock:
                self.reused += 1
        else:
            before = len(sink)
            module = parse_file(source, sink)
            clean = len(sink) == before
            with self._lock:
                self.full += 1
        if clean:
            with self._lock:
                self._last[key] = module
                self._last.move_to_end(key)
                while len(self._last) > self.capacity:
                    self._last.popitem(last=False)
        return module

    def forget(self, path: str, real_path: Path | None) -> None:
        """Drop what is kept of one file (the editor closed it)."""
        with self._lock:
            self._last.pop((path, real_path), None)


def reparse(last: ast.Module, source: SourceFile) -> ast.Module | None:
    """``source`` parsed by re-parsing one statement of ``last`` (a clean parse of an
    earlier text of the same file); None when the change does not allow it."""
    old, new = last.source.text, source.text
    statements = last.statements
    if old == new:
        mover = _Mover(source, 0)
        return ast.Module(source, mover.nodes(statements), mover.comments(last.comments))
    start = _common_prefix(old, new)
    old_end = len(old) - _common_suffix(old, new, min(len(old), len(new)) - start)
    index = bisect_right([s.span.start for s in statements], start) - 1
    if index < 0:
        return None
    node = statements[index]
    first, last_char = node.span.start, node.span.end - 1
    if old_end > last_char or not _ends_cleanly(old, node):
        return None
    delta = len(new) - len(old)
    parsed = parse_statement(source, first, node.span.end + delta)
    if parsed is None:
        return None
    fresh, fresh_comments = parsed
    same, shifted = _Mover(source, 0), _Mover(source, delta)
    comments = last.comments
    starts = [c.span.start for c in comments]
    split, resume = bisect_right(starts, first - 1), bisect_right(starts, last_char)
    return ast.Module(
        source,
        (*same.nodes(statements[:index]), fresh, *shifted.nodes(statements[index + 1 :])),
        (
            *same.comments(comments[:split]),
            *fresh_comments,
            *shifted.comments(comments[resume:]),
        ),
    )


def _ends_cleanly(text: str, node: ast.Node) -> bool:
    """Whether no token could run on past the statement: it ends with a block's ``}``, or
    a line break, ``;`` or the end of the file follows it."""
    end = node.span.end
    if isinstance(node, ast.Statement) and node.block is not None:
        return text[end - 1] == "}"
    return end == len(text) or text[end] in _ENDS_A_STATEMENT


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common beginning (halving, each step a C comparison)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common end, at most ``limit``."""
    low, high = 0, limit
    size_a, size_b = len(a), len(b)
    while low < high:
        middle = (low + high + 1) // 2
        if a[size_a - middle : size_a - low] == b[size_b - middle : size_b - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _slots(cls: type) -> tuple[Callable[[object, Any], None], ...]:
    """The setters of an attrs class's fields, in order (the slots' own descriptors).

    The syntax tree's classes are frozen, slotted attrs classes; a copy is made by
    ``object.__new__`` and these setters, as attrs' generated ``__init__`` does, without
    its bookkeeping per field (the values come from a node that was valid already).
    """
    setters = []
    for field in attrs.fields(cls):
        slot = cls.__dict__[field.name]
        if not inspect.ismemberdescriptor(slot):
            raise TypeError(f"{cls.__name__} is not a slotted attrs class")
        setters.append(slot.__set__)
    return tuple(setters)


_NAME_PARTS, _NAME_SPAN = _slots(ast.Name)
_QUANTITY_VALUE, _QUANTITY_UNIT, _QUANTITY_SPAN = _slots(ast.Quantity)
_UNIT_NUMERATOR, _UNIT_PER, _UNIT_SPAN = _slots(ast.Unit)
_ARG_ATOMS, _ARG_SPAN = _slots(ast.Arg)
_BLOCK_STATEMENTS, _BLOCK_SPAN = _slots(ast.Block)
_STATEMENT_KEYWORD, _STATEMENT_KEYWORD_SPAN, _STATEMENT_ARGS, _STATEMENT_BLOCK, _STATEMENT_SPAN = (
    _slots(ast.Statement)
)


class _Mover:
    """Copies syntax trees into another file, their offsets shifted by ``delta``.

    Every span names its file, so even the statements an edit left alone are copied: a
    tree walk several times cheaper than parsing them again, and the largest part of an
    incremental parse (some 40,000 nodes on 10,000 lines). Names, quantities, arguments,
    statements and blocks (nearly all the nodes) are copied slot by slot; the rest
    through their constructors.
    """

    def __init__(self, file: SourceFile, delta: int) -> None:
        self.file = file
        self.delta = delta
        self._copy = _copier(file, delta)

    def nodes(self, nodes: tuple[ast.Node, ...]) -> tuple[ast.Node, ...]:
        copy = self._copy
        return tuple([copy(node) for node in nodes])

    def comments(self, comments: tuple[ast.Comment, ...]) -> tuple[ast.Comment, ...]:
        file, delta, new = self.file, self.delta, tuple.__new__
        return tuple(
            [
                ast.Comment(c.text, new(Span, (file, c.span[1] + delta, c.span[2] + delta)))
                for c in comments
            ]
        )


def _copier(file: SourceFile, delta: int) -> Callable[[Any], Any]:
    """A function copying any node (a statement, an atom, an expression) into ``file``."""
    new, blank = tuple.__new__, object.__new__
    name_class, quantity_class, unit_class = ast.Name, ast.Quantity, ast.Unit
    arg_class, block_class, statement_class = ast.Arg, ast.Block, ast.Statement

    def span(old: Span) -> Span:
        return new(Span, (file, old[1] + delta, old[2] + delta))

    def copy(node: Any) -> Any:
        out: Any
        moved: Any
        kind = type(node)
        if kind is name_class:
            out = blank(name_class)
            _NAME_PARTS(out, node.parts)
            old = node.span
            _NAME_SPAN(out, new(Span, (file, old[1] + delta, old[2] + delta)))
            return out
        if kind is quantity_class:
            out = blank(quantity_class)
            _QUANTITY_VALUE(out, node.value)
            unit = node.unit
            if unit is not None:
                moved = blank(unit_class)
                _UNIT_NUMERATOR(moved, unit.numerator)
                _UNIT_PER(moved, unit.per)
                old = unit.span
                _UNIT_SPAN(moved, new(Span, (file, old[1] + delta, old[2] + delta)))
                unit = moved
            _QUANTITY_UNIT(out, unit)
            old = node.span
            _QUANTITY_SPAN(out, new(Span, (file, old[1] + delta, old[2] + delta)))
            return out
        if kind is arg_class:
            out = blank(arg_class)
            _ARG_ATOMS(out, tuple([copy(atom) for atom in node.atoms]))
            old = node.span
            _ARG_SPAN(out, new(Span, (file, old[1] + delta, old[2] + delta)))
            return out
        if kind is statement_class:
            out = blank(statement_class)
            _STATEMENT_KEYWORD(out, node.keyword)
            old = node.keyword_span
            _STATEMENT_KEYWORD_SPAN(out, new(Span, (file, old[1] + delta, old[2] + delta)))
            _STATEMENT_ARGS(out, tuple([copy(arg) for arg in node.args]))
            block = node.block
            if block is not None:
                moved = blank(block_class)
                _BLOCK_STATEMENTS(moved, tuple([copy(child) for child in block.statements]))
                old = block.span
                _BLOCK_SPAN(moved, new(Span, (file, old[1] + delta, old[2] + delta)))
                block = moved
            _STATEMENT_BLOCK(out, block)
            old = node.span
            _STATEMENT_SPAN(out, new(Span, (file, old[1] + delta, old[2] + delta)))
            return out
        return rare[kind](node)

    def args(items: tuple[ast.Arg, ...]) -> tuple[ast.Arg, ...]:
        return tuple([copy(arg) for arg in items])

    rare: dict[type, Callable[[Any], Any]] = {
        ast.Text: lambda n: ast.Text(n.value, span(n.span)),
        ast.Date: lambda n: ast.Date(n.year, n.month, n.day, span(n.span)),
        ast.Clock: lambda n: ast.Clock(n.hour, n.minute, span(n.span)),
        ast.Range: lambda n: ast.Range(copy(n.low), copy(n.high), span(n.span)),
        ast.Symbol: lambda n: ast.Symbol(n.text, span(n.span)),
        ast.Group: lambda n: ast.Group(args(n.args), span(n.span)),
        ast.Block: lambda n: ast.Block(tuple([copy(c) for c in n.statements]), span(n.span)),
        ast.Assert: lambda n: ast.Assert(copy(n.expr), span(n.span)),
        ast.BinaryOp: lambda n: ast.BinaryOp(n.op, copy(n.left), copy(n.right), span(n.span)),
        ast.UnaryOp: lambda n: ast.UnaryOp(n.op, copy(n.operand), span(n.span)),
        ast.Call: lambda n: ast.Call(n.name, span(n.name_span), args(n.args), span(n.span)),
    }
    return copy
