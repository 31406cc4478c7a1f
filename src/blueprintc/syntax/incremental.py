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

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


class _Mover:
    """Copies syntax trees into another file, their offsets shifted by ``delta``.

    Every span names its file, so even the statements an edit left alone are copied (a
    tree walk far cheaper than parsing them again).
    """

    def __init__(self, file: SourceFile, delta: int) -> None:
        self.file = file
        self.delta = delta
        self._by_type: dict[type, Callable[[Any], Any]] = {
            ast.Name: self._name,
            ast.Quantity: self._quantity,
            ast.Text: self._text,
            ast.Date: self._date,
            ast.Clock: self._clock,
            ast.Range: self._range,
            ast.Symbol: self._symbol,
            ast.Group: self._group,
            ast.Arg: self._arg,
            ast.Block: self._block,
            ast.Statement: self._statement,
            ast.Assert: self._assert,
            ast.BinaryOp: self._binary,
            ast.UnaryOp: self._unary,
            ast.Call: self._call,
        }

    def nodes(self, nodes: tuple[ast.Node, ...]) -> tuple[ast.Node, ...]:
        by_type = self._by_type
        return tuple([by_type[type(node)](node) for node in nodes])

    def comments(self, comments: tuple[ast.Comment, ...]) -> tuple[ast.Comment, ...]:
        return tuple([ast.Comment(c.text, self._span(c.span)) for c in comments])

    def _span(self, span: Span) -> Span:
        delta = self.delta
        return tuple.__new__(Span, (self.file, span[1] + delta, span[2] + delta))

    def _any(self, node: Any) -> Any:
        return self._by_type[type(node)](node)

    def _name(self, node: ast.Name) -> ast.Name:
        return ast.Name(node.parts, self._span(node.span))

    def _quantity(self, node: ast.Quantity) -> ast.Quantity:
        unit = node.unit
        if unit is not None:
            unit = ast.Unit(unit.numerator, unit.per, self._span(unit.span))
        return ast.Quantity(node.value, unit, self._span(node.span))

    def _text(self, node: ast.Text) -> ast.Text:
        return ast.Text(node.value, self._span(node.span))

    def _date(self, node: ast.Date) -> ast.Date:
        return ast.Date(node.year, node.month, node.day, self._span(node.span))

    def _clock(self, node: ast.Clock) -> ast.Clock:
        return ast.Clock(node.hour, node.minute, self._span(node.span))

    def _range(self, node: ast.Range) -> ast.Range:
        return ast.Range(self._any(node.low), self._any(node.high), self._span(node.span))

    def _symbol(self, node: ast.Symbol) -> ast.Symbol:
        return ast.Symbol(node.text, self._span(node.span))

    def _group(self, node: ast.Group) -> ast.Group:
        arg = self._arg
        return ast.Group(tuple([arg(a) for a in node.args]), self._span(node.span))

    def _arg(self, node: ast.Arg) -> ast.Arg:
        by_type = self._by_type
        atoms = tuple([by_type[type(atom)](atom) for atom in node.atoms])
        return ast.Arg(atoms, self._span(node.span))

    def _block(self, node: ast.Block) -> ast.Block:
        return ast.Block(self.nodes(node.statements), self._span(node.span))

    def _statement(self, node: ast.Statement) -> ast.Statement:
        arg = self._arg
        block = self._block(node.block) if node.block is not None else None
        return ast.Statement(
            node.keyword,
            self._span(node.keyword_span),
            tuple([arg(a) for a in node.args]),
            block,
            self._span(node.span),
        )

    def _assert(self, node: ast.Assert) -> ast.Assert:
        return ast.Assert(self._any(node.expr), self._span(node.span))

    def _binary(self, node: ast.BinaryOp) -> ast.BinaryOp:
        left, right = self._any(node.left), self._any(node.right)
        return ast.BinaryOp(node.op, left, right, self._span(node.span))

    def _unary(self, node: ast.UnaryOp) -> ast.UnaryOp:
        return ast.UnaryOp(node.op, self._any(node.operand), self._span(node.span))

    def _call(self, node: ast.Call) -> ast.Call:
        arg = self._arg
        args = tuple([arg(a) for a in node.args])
        return ast.Call(node.name, self._span(node.name_span), args, self._span(node.span))
