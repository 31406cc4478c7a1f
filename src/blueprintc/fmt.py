"""``blueprintc fmt``: print blueprint files in one canonical layout, comments included.

The formatter works on the syntax tree alone (:mod:`blueprintc.syntax`), so it formats files
whose names do not resolve. It has no options. The layout:

- **Indentation**: 2 spaces per block level; continuation lines of a wrapped list take 4
  more. Outside ``/* */`` comments: no tabs, no trailing whitespace, one line break at the
  end of the file (an empty file stays empty), and line breaks as the file wrote its first
  one outside such a comment (LF or CRLF). A UTF-8 byte order mark is kept.
- **Statements**: one per line, in the author's order; ``;`` appears only inside one-line
  blocks.
- **One-line blocks** ``{ a; b }``: a block is written on one line when it holds no comment,
  every statement in it is simple (no block of its own, not an ``assert``), the whole line
  fits in 100 columns, and either

  * it is a *map block*, the block of ``mix``, ``aht``, ``acw``, ``automation`` or ``score``
    (these are joined whenever they fit, whatever the input layout), or
  * it holds exactly one statement and the author wrote it on one line
    (``component cti extends std.cti { model cloud }`` stays as it is).

  Any other block has one statement per line; an empty block is ``{}``.
- **Blank lines**: runs of blank lines become one; blank lines at the start and end of a
  block or file are dropped; a blank line the author put between two statements or comments
  is kept. At the top level, a statement that spans several lines is always separated from
  its neighbours by exactly one blank line (placed before its leading comments, if any);
  one-line statements (``use``, ``assert``, one-line declarations) may stay together.
- **Lists** ``a, b, c``: items are joined with ``", "``. When the line would pass 100 columns
  (trailing comments are not counted), every item after the first goes on its own
  continuation line, indented 4 more spaces than the statement, each line but the last
  ending with the comma. A ``//`` comment after a comma forces this layout. A list of one
  item is never broken, and lists inside parentheses are not wrapped for width.
- **Spaces**: one between a keyword and its values and between the atoms of a value
  (``80% within 20 s``); none inside a quantity (``38_000/month``, ``-5%/year``,
  ``95 USD/seat/month``: a space only before a unit word), none around ``..`` and ``-`` in
  ranges (``mon..fri``, ``08:00-20:00``) and around a lone ``/`` (``std/channels``), none
  inside parentheses (``(a, b)``); a parenthesised group is an atom like the others
  (``x (a, b)``). In ``assert`` expressions binary operators have one space on each side,
  ``-x`` and calls ``f(x)`` none, and ``not x`` one. The author's parentheses are kept
  (doubled ones become single); none are added or removed.
- **Atoms are never rewritten**: numbers, units, texts (escapes included), dates, times and
  names are copied from the source; only the whitespace and comments between their tokens
  change.
- **Comments** keep their text and stay where they were, found by their offsets. A ``//``
  comment loses its trailing whitespace; a ``/* */`` comment is copied byte for byte, from
  ``/*`` to ``*/`` (trailing spaces, tabs, carriage returns, its own line breaks, even LF
  ones in a CRLF file): only the position of its ``/*`` follows the layout, so the lines
  after the first keep the author's indentation. Where comments go:

  * on the line where a statement ends: after it (``}`` included), two spaces before;
  * on the line of a block's ``{``, before its first statement: after the ``{``;
  * on lines of their own: before the statement that follows them, or at the end of their
    block or file, at the indentation of the block; comments that shared a line still do;
  * inside a statement: between the same atoms or operands. A ``//`` comment after a
    comma ends that line; a ``/* */`` comment between list items leads the next item; a
    comment written inside a value (``95 /* c */ USD``) moves just before that value.

Formatting is checked like black does: the result is parsed again and its syntax tree must
equal the original's (ignoring spans), with the same comment texts in the same order;
formatting the result again must not change it; and (with ``verify``) both texts are
compiled up to the semantic checks and must give the same declarations, or the same
diagnostic codes when neither compiles. If any check fails, the original text is returned
unchanged with ``ok`` false and a ``reason``.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import enum
import itertools
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

import attrs

from blueprintc import collector
from blueprintc.diagnostics import Diagnostic, DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.render import render_report, render_text
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse

MAX_WIDTH = 100
INDENT = "  "
CONTINUATION = "    "
MAP_FIELDS = frozenset({"mix", "aht", "acw", "automation", "score"})
TRAILING_GAP = "  "  # between a statement and its trailing comment

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

_NUMBER = r"[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[kMB](?![A-Za-z0-9_]))?"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_QUANTITY_TOKEN = re.compile(rf"\s+|//[^\n]*|/\*.*?\*/|({_NUMBER}|{_NAME}|[-%/])", re.S)
_WS = " \t\r\n\f;"
_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "+": 5, "-": 5, "*": 6}
_COMPARISON = 4
_UNARY_MINUS = 7
_PRIMARY = 8


@attrs.frozen
class FormatResult:
    """The outcome of formatting one text.

    ``text`` is the canonical text, or the original text when ``ok`` is false (syntax
    errors in ``diagnostics``, or a failed safety check explained by ``reason``).
    """

    text: str
    changed: bool
    ok: bool
    diagnostics: tuple[Diagnostic, ...] = ()
    reason: str | None = None


class FormatError(Exception):
    """The printer could not lay out a construct (a bug: the file is left unchanged)."""


# -- entry points ---------------------------------------------------------------------------


def format_text(text: str, path: str = "<stdin>", *, verify: bool = True) -> FormatResult:
    """Format blueprint source ``text`` (``path`` is only used in messages).

    With ``verify`` (the default) the result is also compiled and compared with the
    original up to the semantic checks; the syntax-tree, comment and idempotence checks
    always run.
    """
    with collector.paused():
        return _format_text(text, path, verify)


def _format_text(text: str, path: str, verify: bool) -> FormatResult:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    # The text is parsed as it is, so that block comments keep their own line breaks; the
    # printer writes the file's own.
    sink = DiagnosticSink()
    module = parse(SourceFile(path, body), sink)
    if sink.has_errors:
        return FormatResult(text, False, False, sink.sorted(), "the file has syntax errors")
    newline = _newline_of(module)
    try:
        formatted = format_module(module, newline)
    except FormatError as error:
        return _refuse(text, path, str(error))
    reason = _verify_syntax(module, formatted, path, newline)
    if reason is None and verify:
        reason = _verify_compiled(body, formatted, path)
    if reason is not None:
        return _refuse(text, path, reason)
    result = bom + formatted
    return FormatResult(result, result != text, True)


def format_module(module: ast.Module, newline: str = "\n") -> str:
    """The canonical text of a parsed module (no safety checks: see :func:`format_text`),
    with ``newline`` between lines (a block comment keeps its own line breaks)."""
    return _Printer(module, newline).module()


def syntax_fingerprint(module: ast.Module) -> object:
    """The module's syntax tree without spans, comparable with ``==``."""
    return _strip(module.statements)


def comment_texts(module: ast.Module) -> list[str]:
    """The module's comments in order, as the formatter writes them (``//`` comments
    without trailing whitespace, ``/* */`` comments byte for byte)."""
    return [_comment_text(c) for c in module.comments]


def checked_fingerprint(compilation: Any) -> object:
    """A compilation's checked declarations and assertions without spans or written forms."""
    checked = compilation.checked
    if checked is None:
        return None
    return (
        _strip(checked.declarations),
        _strip(checked.asserts),
        checked.currency,
        _strip(checked.exchange),
    )


def _refuse(text: str, path: str, reason: str) -> FormatResult:
    message = f"blueprintc fmt left `{path}` unchanged: {reason}"
    diagnostic = Diagnostic(
        C.INTERNAL_ERROR,
        message,
        None,
        help="this is a bug in the formatter; please report it with the file",
    )
    return FormatResult(text, False, False, (diagnostic,), reason)


def _newline_of(module: ast.Module) -> str:
    """The file's line break, CRLF or LF: its first one outside ``/* */`` comments (those
    keep theirs), or its first one at all."""
    text, pos = module.source.text, 0
    found = -1
    for comment in sorted(module.comments, key=lambda c: c.span.start):
        if not _is_line_comment(comment):
            found = text.find("\n", pos, comment.span.start)
            if found >= 0:
                break
            pos = comment.span.end
    else:
        found = text.find("\n", pos)
    if found < 0:
        found = text.find("\n")
    return "\r\n" if found > 0 and text[found - 1] == "\r" else "\n"


# -- safety checks --------------------------------------------------------------------------


def _verify_syntax(original: ast.Module, formatted: str, path: str, newline: str) -> str | None:
    sink = DiagnosticSink()
    again = parse(SourceFile(path, formatted), sink)
    if sink.has_errors:
        first = sink.sorted()[0]
        return f"the formatted text does not parse ({first.message})"
    if syntax_fingerprint(again) != syntax_fingerprint(original):
        return "the formatted text has a different syntax tree"
    if comment_texts(again) != comment_texts(original):
        return "the formatted text has different comments"
    try:
        twice = format_module(again, newline)
    except FormatError as error:
        return f"formatting the result again failed ({error})"
    if twice != formatted:
        return "formatting is not stable (a second pass changes the text)"
    return None


def _verify_compiled(original: str, formatted: str, path: str) -> str | None:
    from blueprintc.driver import compile  # lazily: the formatter itself needs only syntax

    # When ``path`` is a file, both texts compile as if they were that file, so that its
    # relative `use` paths resolve; otherwise as text from the working directory.
    real = Path(path).resolve() if path != "<stdin>" and Path(path).is_file() else None
    before = compile(SourceFile(path, original, real), until="check")
    after = compile(SourceFile(path, formatted, real), until="check")
    if before.ok != after.ok:
        return "the formatted text compiles differently"
    if before.ok:
        if checked_fingerprint(before) != checked_fingerprint(after):
            return "the formatted text gives different declarations"
        return None
    if Counter(d.code.id for d in before.diagnostics) != Counter(
        d.code.id for d in after.diagnostics
    ):
        return "the formatted text gives different diagnostics"
    return None


_SKIPPED_FIELDS = frozenset(
    {"span", "keyword_span", "name_span", "source", "module", "statement", "file"}
)
_SPACE_OR_COMMENT = re.compile(r"\s+|//[^\n]*|/\*.*?\*/", re.S)


_ATOMIC = (str, int, float, bool, Decimal, Fraction, enum.Enum, type(None))
_LEAF, _SEQUENCE, _MAPPING, _SET, _OPAQUE = range(5)
_KINDS: dict[type, int | tuple[str, ...]] = {}


def _kind(cls: type) -> int | tuple[str, ...]:
    """How :func:`_strip` copies instances of ``cls`` (attrs classes: the fields to keep)."""
    if issubclass(cls, _ATOMIC):
        return _LEAF
    if issubclass(cls, Span | SourceFile):  # positions: what formatting may change
        return _OPAQUE
    if issubclass(cls, tuple | list):
        return _SEQUENCE
    if issubclass(cls, dict):
        return _MAPPING
    if issubclass(cls, set | frozenset):
        return _SET
    if attrs.has(cls):
        return tuple(f.name for f in attrs.fields(cls) if f.name not in _SKIPPED_FIELDS)
    return _OPAQUE


def _strip(value: Any) -> Any:
    """A structural copy of ``value`` without spans (attrs instances become tuples).

    Quantities' ``written`` forms lose their spaces and comments: only the layout of the
    source differs there. Objects of other classes are reduced to their class name.
    """
    cls = type(value)
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = _kind(cls)
    if kind is _LEAF:
        return value
    if kind is _SEQUENCE:
        return tuple([_strip(v) for v in value])
    if isinstance(kind, tuple):
        fields = [cls.__name__]
        for name in kind:
            item = getattr(value, name)
            if name == "written" and isinstance(item, str):
                fields.append(_SPACE_OR_COMMENT.sub("", item))
            else:
                fields.append(_strip(item))
        return tuple(fields)
    if kind is _MAPPING:
        return tuple(sorted(((repr(_strip(k)), _strip(v)) for k, v in value.items()), key=repr))
    if kind is _SET:
        return tuple(sorted((_strip(v) for v in value), key=repr))
    return (cls.__name__,)


# -- the printer ----------------------------------------------------------------------------


def _comment_text(comment: ast.Comment) -> str:
    """A ``//`` comment without its trailing whitespace; a ``/* */`` comment as written."""
    return comment.text.rstrip() if _is_line_comment(comment) else comment.text


def _is_line_comment(comment: ast.Comment) -> bool:
    return comment.text.startswith("//")


class _Printer:
    """Lays out one module; comments are placed by their offsets in the source."""

    def __init__(self, module: ast.Module, newline: str = "\n") -> None:
        self.text = module.source.text
        self.newline = newline
        self.comments = sorted(module.comments, key=lambda c: c.span.start)
        self.starts = [c.span.start for c in self.comments]
        self.comment_end = {c.span.start: c.span.end for c in self.comments}
        self.comment_start = {c.span.end: c.span.start for c in self.comments}
        self.placed = 0
        self.statements = module.statements

    # -- comments and offsets ---------------------------------------------------------------

    def comments_in(self, lo: int, hi: int) -> list[ast.Comment]:
        """The comments that start in [lo, hi), counted: one placed twice or never is caught."""
        if lo >= hi:
            return []
        first = bisect.bisect_left(self.starts, lo)
        last = bisect.bisect_left(self.starts, hi)
        found = self.comments[first:last]
        self.placed += len(found)
        return found

    def has_comments(self, lo: int, hi: int) -> bool:
        return bisect.bisect_left(self.starts, lo) < bisect.bisect_left(self.starts, hi)

    def skip_forward(self, pos: int) -> int:
        """The first offset at or after ``pos`` that is not space, ``;`` or a comment."""
        text = self.text
        while pos < len(text):
            if text[pos] in _WS:
                pos += 1
            elif pos in self.comment_end:
                pos = self.comment_end[pos]
            else:
                break
        return pos

    def skip_back(self, pos: int) -> int:
        """The offset just after the last code before ``pos`` (spaces and comments skipped)."""
        text = self.text
        while pos > 0:
            if text[pos - 1] in _WS:
                pos -= 1
            elif pos in self.comment_start:
                pos = self.comment_start[pos]
            else:
                break
        return pos

    def blank_between(self, lo: int, hi: int) -> bool:
        return self.text.count("\n", lo, hi) >= 2

    def newline_between(self, lo: int, hi: int) -> bool:
        return self.text.find("\n", lo, hi) >= 0

    # -- sequences of statements ------------------------------------------------------------

    def module(self) -> str:
        lines, _ = self.sequence(self.statements, 0, len(self.text), 0, top=True)
        if self.placed != len(self.comments):
            raise FormatError(f"placed {self.placed} of {len(self.comments)} comments")
        return "".join(line + self.newline for line in lines)

    def node_end(self, node: ast.Node) -> int:
        if isinstance(node, ast.Assert):
            return max(node.span.end, self.expr_extent_parens(node.expr)[1])
        return node.span.end

    def sequence(
        self, nodes: Sequence[ast.Node], lo: int, hi: int, depth: int, top: bool
    ) -> tuple[list[str], list[ast.Comment]]:
        """The lines of the statements in [lo, hi) and the comments right after ``{``."""
        indent = INDENT * depth
        lines: list[str] = []
        opening: list[ast.Comment] = []
        prev_end = lo  # where the previous element (statement or comment) ended
        prev_multi = False
        started = False  # something was written in this sequence

        def own_line_groups(comments: list[ast.Comment]) -> None:
            nonlocal prev_end, started
            for group in self.same_line_groups(comments):
                if started and self.blank_between(prev_end, group[0].span.start):
                    lines.append("")
                lines.append(indent + " ".join(_comment_text(c) for c in group))
                prev_end, started = group[-1].span.end, True

        for index, node in enumerate(nodes):
            start = node.span.start
            between = self.comments_in(prev_end, start)
            same_line, prev_end = self.same_line_comments(between, prev_end, top and index == 0)
            if same_line and index == 0:
                opening.extend(same_line)
            elif same_line:
                lines[-1] += TRAILING_GAP + " ".join(_comment_text(c) for c in same_line)
            leading = between[len(same_line) :]
            body = self.node(node, depth)
            multi = len(body) > 1
            force_blank = top and index > 0 and (multi or prev_multi)
            if leading:
                if force_blank and not self.blank_between(prev_end, leading[0].span.start):
                    lines.append("")
                own_line_groups(leading)
            if (started and self.blank_between(prev_end, start)) or (force_blank and not leading):
                lines.append("")
            lines.extend(body)
            prev_end, prev_multi, started = self.node_end(node), multi, True
        rest = self.comments_in(prev_end, hi)
        same_line, prev_end = self.same_line_comments(rest, prev_end, top and not nodes)
        if same_line and nodes:
            lines[-1] += TRAILING_GAP + " ".join(_comment_text(c) for c in same_line)
        elif same_line:
            opening.extend(same_line)
        own_line_groups(rest[len(same_line) :])
        return lines, opening

    def same_line_comments(
        self, comments: list[ast.Comment], prev_end: int, file_start: bool
    ) -> tuple[list[ast.Comment], int]:
        """The first comments that stand on the line where the previous code ended."""
        found: list[ast.Comment] = []
        if file_start:
            return found, prev_end
        for comment in comments:
            if self.newline_between(prev_end, comment.span.start):
                break
            found.append(comment)
            prev_end = comment.span.end
        return found, prev_end

    def same_line_groups(self, comments: list[ast.Comment]) -> Iterable[list[ast.Comment]]:
        group: list[ast.Comment] = []
        for comment in comments:
            if group and not self.newline_between(group[-1].span.end, comment.span.start):
                group.append(comment)
                continue
            if group:
                yield group
            group = [comment]
        if group:
            yield group

    # -- statements ---------------------------------------------------------------------------

    def node(self, node: ast.Node, depth: int) -> list[str]:
        if isinstance(node, ast.Assert):
            return self.assertion(node, depth)
        return self.statement(node, depth)

    def statement(self, st: ast.Statement, depth: int) -> list[str]:
        indent = INDENT * depth
        block = st.block
        if block is None:
            return self.header(st, depth, st.span.end, "", wrap=True)
        header_end = block.span.start
        inside = (block.span.start + 1, block.span.end - 1)
        if not block.statements and not self.has_comments(*inside):
            return self.header(st, depth, header_end, " {}", wrap=True)
        one_line = self.one_line_body(st, block, depth)
        if one_line is not None:
            # Measure without handing out the header's comments, then lay out for real.
            mark = self.placed
            lines = self.header(st, depth, header_end, " " + one_line, wrap=False)
            self.placed = mark
            if lines and "\n" not in lines[0] and len(lines[0]) <= MAX_WIDTH:
                return self.header(st, depth, header_end, " " + one_line, wrap=False)
        lines = self.header(st, depth, header_end, " {", wrap=True)
        body, opening = self.sequence(block.statements, inside[0], inside[1], depth + 1, False)
        if opening:
            lines[-1] += TRAILING_GAP + " ".join(_comment_text(c) for c in opening)
        lines.extend(body)
        lines.append(indent + "}")
        return lines

    def one_line_body(self, st: ast.Statement, block: ast.Block, depth: int) -> str | None:
        """``{ a; b }`` when the block may stand on one line (see the module docstring)."""
        if self.has_comments(block.span.start, block.span.end):
            return None
        entries = block.statements
        if not all(isinstance(s, ast.Statement) and s.block is None for s in entries):
            return None
        if st.keyword not in MAP_FIELDS and (
            len(entries) != 1 or self.newline_between(block.span.start, block.span.end)
        ):
            return None
        parts = []
        for entry in entries:
            assert isinstance(entry, ast.Statement)
            args = ", ".join(self.arg(a, depth + 1) for a in entry.args)
            parts.append(f"{entry.keyword} {args}" if args else entry.keyword)
        return "{ " + "; ".join(parts) + " }"

    def header(
        self,
        st: ast.Statement,
        depth: int,
        header_end: int,
        suffix: str,
        wrap: bool,
    ) -> list[str]:
        """``keyword args`` + ``suffix``, on one line or with the list wrapped."""
        indent = INDENT * depth
        head = indent + st.keyword
        args = st.args
        if not args:
            extra = self.comments_in(st.keyword_span.end, header_end)
            words = [head, *(_comment_text(c) for c in extra)]
            return [" ".join(words) + suffix]
        parts = [self.arg(a, depth) for a in args]
        before = self.comments_in(st.keyword_span.end, args[0].span.start)
        if before:
            parts[0] = " ".join([*(_comment_text(c) for c in before), parts[0]])
        after = self.comments_in(args[-1].span.end, header_end)
        if after:
            parts[-1] = " ".join([parts[-1], *(_comment_text(c) for c in after)])
        gaps = [
            self.comments_in(args[i - 1].span.end, args[i].span.start) for i in range(1, len(args))
        ]
        forced = any(_is_line_comment(c) for gap in gaps for c in gap) or any(
            "\n" in p for p in parts
        )
        if not forced:
            joined = parts[0]
            for gap, part in zip(gaps, parts[1:], strict=True):
                joined += ", " + "".join(_comment_text(c) + " " for c in gap) + part
            line = f"{head} {joined}{suffix}"
            if len(args) == 1 or len(line) <= MAX_WIDTH or not wrap:
                return [line]
        if not wrap:
            return []
        lines = [f"{head} {parts[0]},"]
        for gap, part in zip(gaps, parts[1:], strict=True):
            trailing, leading = _split_gap(gap)
            if trailing:
                lines[-1] += TRAILING_GAP + " ".join(_comment_text(c) for c in trailing)
            words = [*(_comment_text(c) for c in leading), part]
            lines.append(f"{indent}{CONTINUATION}{' '.join(words)},")
        lines[-1] = lines[-1][:-1] + suffix
        return lines

    # -- arguments and atoms --------------------------------------------------------------

    def arg(self, arg: ast.Arg, depth: int) -> str:
        out = ""
        prev: ast.Atom | None = None
        prev_text = ""
        for atom in arg.atoms:
            text = self.atom(atom, depth)
            if prev is not None:
                between = self.comments_in(prev.span.end, atom.span.start)
                if between:
                    out += " " + " ".join(_comment_text(c) for c in between) + " "
                else:
                    out += _atom_space(prev, prev_text, atom, text)
            out += text
            prev, prev_text = atom, text
        return out

    def atom(self, atom: ast.Atom, depth: int) -> str:
        if isinstance(atom, ast.Group):
            inner = self.inline_list(atom.args, atom.span.start + 1, atom.span.end - 1, depth)
            return "(" + inner + ")"
        if isinstance(atom, ast.Range):
            low = self.atom(atom.low, depth)
            high = self.atom(atom.high, depth)
            sep_at = self.skip_forward(atom.low.span.end)
            sep = ".." if self.text.startswith("..", sep_at) else "-"
            inside = self.comments_in(atom.low.span.end, atom.high.span.start)
            return self.with_comments(low + sep + high, inside)
        if isinstance(atom, ast.Quantity):
            text = self.quantity(atom)
            return self.with_comments(text, self.comments_in(atom.span.start, atom.span.end))
        if isinstance(atom, ast.Symbol):
            return atom.text
        return atom.span.text

    def with_comments(self, text: str, comments: list[ast.Comment]) -> str:
        """``text`` preceded by the comments that stood inside it.

        They move in front of the value rather than after it: after it, a comment could
        become the statement's trailing comment on the next run, and the layout would not be
        stable.
        """
        if not comments:
            return text
        if any(_is_line_comment(c) for c in comments):
            raise FormatError("a line comment inside a value")
        return " ".join([*(_comment_text(c) for c in comments), text])

    def quantity(self, quantity: ast.Quantity) -> str:
        """A number and its unit with canonical spaces: ``-5%/year``, ``95 USD/seat/month``."""
        source = quantity.span.text
        tokens: list[str] = []
        pos = 0
        while pos < len(source):
            match = _QUANTITY_TOKEN.match(source, pos)
            if match is None:
                raise FormatError(f"cannot read the quantity `{source}`")
            if match.group(1):
                tokens.append(match.group(1))
            pos = match.end()
        out = ""
        prev = ""
        for token in tokens:
            if (
                out
                and (token[0].isalpha() or token[0] == "_")
                and (prev[0].isdigit() or prev == "%")
            ):
                out += " "
            out += token
            prev = token
        return out

    def inline_list(self, args: tuple[ast.Arg, ...], lo: int, hi: int, depth: int) -> str:
        """Arguments inside parentheses: never wrapped, except after a line comment."""
        if not args:
            return " ".join(_comment_text(c) for c in self.comments_in(lo, hi))
        out = ""
        before = self.comments_in(lo, args[0].span.start)
        if before:
            out = " ".join(_comment_text(c) for c in before) + " "
        out += self.arg(args[0], depth)
        continuation = INDENT * depth + CONTINUATION * 2
        for prev, arg in itertools.pairwise(args):
            trailing, leading = _split_gap(self.comments_in(prev.span.end, arg.span.start))
            out += ","
            if trailing:
                texts = " ".join(_comment_text(c) for c in trailing)
                out += TRAILING_GAP + texts + self.newline + continuation
            else:
                out += " "
            out += " ".join([*(_comment_text(c) for c in leading), self.arg(arg, depth)])
        after = self.comments_in(args[-1].span.end, hi)
        if after:
            if any(_is_line_comment(c) for c in after):
                raise FormatError("a line comment before `)`")
            out += " " + " ".join(_comment_text(c) for c in after)
        return out

    # -- assert -------------------------------------------------------------------------------

    def assertion(self, node: ast.Assert, depth: int) -> list[str]:
        keyword_end = node.span.start + len("assert")
        start, _, _ = self.expr_extent_parens(node.expr)
        words = ["assert", *(_comment_text(c) for c in self.comments_in(keyword_end, start))]
        words.append(self.expr(node.expr, 0, depth))
        return [INDENT * depth + " ".join(words)]

    def expr_extent(self, expr: ast.Expr) -> tuple[int, int]:
        """Where ``expr`` starts and ends in the source, its own parentheses excluded."""
        if isinstance(expr, ast.BinaryOp):
            return self.expr_extent_parens(expr.left)[0], self.expr_extent_parens(expr.right)[1]
        if isinstance(expr, ast.UnaryOp):
            start, end, _ = self.expr_extent_parens(expr.operand)
            if expr.op == "-":
                return min(expr.span.start, start), end
            before = self.skip_back(start)
            if self.text[max(0, before - 3) : before] == "not":
                return before - 3, end
            return start, end
        return expr.span.start, expr.span.end

    def expr_extent_parens(self, expr: ast.Expr) -> tuple[int, int, int]:
        """The extent with the author's parentheses around ``expr``, and how many there are."""
        start, end = self.expr_extent(expr)
        layers = 0
        while True:
            before = self.skip_back(start)
            after = self.skip_forward(end)
            if (
                before > 0
                and self.text[before - 1 : before] == "("
                and self.text[after : after + 1] == ")"
            ):
                start, end, layers = before - 1, after + 1, layers + 1
            else:
                return start, end, layers

    def expr(self, expr: ast.Expr, context: int, depth: int) -> str:
        """``expr`` in a context that needs at least precedence ``context``."""
        outer_start, outer_end, layers = self.expr_extent_parens(expr)
        start, end = self.expr_extent(expr)
        precedence = _precedence(expr)
        parens = layers > 0 or precedence < context
        opening = self.comments_in(outer_start, start) if layers else []
        text = self.expr_core(expr, depth)
        closing = self.comments_in(end, outer_end) if layers else []
        if not parens:
            return text
        inner = " ".join([*(_comment_text(c) for c in opening), text])
        inner = " ".join([inner, *(_comment_text(c) for c in closing)])
        return "(" + inner + ")"

    def expr_core(self, expr: ast.Expr, depth: int) -> str:
        if isinstance(expr, ast.BinaryOp):
            op = expr.op
            level = _PRECEDENCE.get(op, _COMPARISON)
            left_context = level + 1 if level == _COMPARISON else level
            left = self.expr(expr.left, left_context, depth)
            left_end = self.expr_extent_parens(expr.left)[1]
            right_start = self.expr_extent_parens(expr.right)[0]
            op_at = self.skip_forward(left_end)
            before = self.comments_in(left_end, op_at)
            after = self.comments_in(op_at + len(op), right_start)
            right = self.expr(expr.right, level + 1, depth)
            words = [left, *(_comment_text(c) for c in before), op]
            words += [*(_comment_text(c) for c in after), right]
            return " ".join(words)
        if isinstance(expr, ast.UnaryOp):
            start, _ = self.expr_extent(expr)
            operand_start = self.expr_extent_parens(expr.operand)[0]
            gap_start = start + (1 if expr.op == "-" else 3)
            between = [_comment_text(c) for c in self.comments_in(gap_start, operand_start)]
            context = _UNARY_MINUS if expr.op == "-" else _PRECEDENCE["not"]
            operand = self.expr(expr.operand, context, depth)
            if expr.op == "-":
                return " ".join(["-", *between, operand]) if between else "-" + operand
            return " ".join(["not", *between, operand])
        if isinstance(expr, ast.Call):
            open_at = self.skip_forward(expr.name_span.end)
            gap = [_comment_text(c) for c in self.comments_in(expr.name_span.end, open_at)]
            head = " ".join([expr.name, *gap])
            inner = self.inline_list(expr.args, open_at + 1, expr.span.end - 1, depth)
            return head + "(" + inner + ")"
        if isinstance(expr, ast.Quantity):
            return self.atom(expr, depth)
        return expr.span.text


def _split_gap(gap: list[ast.Comment]) -> tuple[list[ast.Comment], list[ast.Comment]]:
    """Comments between two list items: those up to the last ``//`` one end the line after
    the comma; the block comments after it lead the next item."""
    last = max((i for i, c in enumerate(gap) if _is_line_comment(c)), default=-1)
    return gap[: last + 1], gap[last + 1 :]


def _precedence(expr: ast.Expr) -> int:
    if isinstance(expr, ast.BinaryOp):
        return _PRECEDENCE.get(expr.op, _COMPARISON)
    if isinstance(expr, ast.UnaryOp):
        return _UNARY_MINUS if expr.op == "-" else _PRECEDENCE["not"]
    return _PRIMARY


def _atom_space(prev: ast.Atom, prev_text: str, atom: ast.Atom, text: str) -> str:
    """The space between two atoms of one argument."""
    if isinstance(atom, ast.Symbol) and atom.text == "%":
        return ""
    slash = (isinstance(atom, ast.Symbol) and atom.text == "/") or (
        isinstance(prev, ast.Symbol) and prev.text == "/"
    )
    if slash and not (prev_text.endswith("/") and text.startswith(("/", "*"))):
        return ""
    return " "


# -- the command ----------------------------------------------------------------------------


def run_fmt(
    paths: Sequence[str],
    check: bool,
    diff: bool,
    out: TextIO,
    err: TextIO,
    stdin: TextIO | None = None,
    *,
    colour: bool = False,
) -> int:
    """``blueprintc fmt FILE... [--check] [--diff]``; ``-`` reads stdin and writes stdout.

    Without options, files are rewritten in place (only when they change, atomically).
    ``--check`` writes nothing, lists the files that would change and exits 1 if any would;
    ``--diff`` writes nothing and prints a unified diff. Exit codes: 0 fine, 1 syntax errors,
    a refused file or (with ``--check``) a file to reformat, 2 a file could not be read or
    written.
    """
    worst = EXIT_OK
    would_change = 0
    for path in paths:
        if path == "-":
            source = (stdin or sys.stdin).read()
            label = "<stdin>"
        else:
            loaded = _read(path, err)
            if loaded is None:
                worst = EXIT_USAGE
                continue
            source, label = loaded, path
        result = format_text(source, label)
        if not result.ok:
            err.write(render_report(result.diagnostics, colour=colour))
            worst = max(worst, EXIT_ERRORS)
            continue
        if result.changed:
            would_change += 1
        if diff and result.changed:
            out.write(_unified_diff(source, result.text, label))
        if check:
            if result.changed:
                out.write(f"{label}\n")
                worst = max(worst, EXIT_ERRORS)
            continue
        if diff:
            continue
        if path == "-":
            out.write(result.text)
        elif result.changed:
            try:
                _write_atomically(Path(path), result.text)
            except OSError as error:
                err.write(f"blueprintc fmt: cannot write `{path}`: {error.strerror or error}\n")
                worst = EXIT_USAGE
                continue
            err.write(f"reformatted {path}\n")
    if check and would_change:
        plural = "s" if would_change != 1 else ""
        err.write(f"{would_change} file{plural} would be reformatted\n")
    return worst


def _read(path: str, err: TextIO) -> str | None:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = "it is a folder" if Path(path).is_dir() else (error.strerror or "unreadable")
        err.write(f"blueprintc fmt: cannot read `{path}`: {reason}\n")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        valid = data[: error.start].decode("utf-8", errors="replace")
        source = SourceFile(path, data.decode("utf-8", errors="replace"))
        offset = len(valid)
        diagnostic = Diagnostic(
            C.NOT_UTF8,
            f"this file is not UTF-8 text (invalid byte 0x{data[error.start]:02x})",
            Span(source, offset, offset + 1),
        )
        err.write(render_text(diagnostic) + "\n\n")
        return None


def _unified_diff(before: str, after: str, label: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{label}\t(original)",
        tofile=f"{label}\t(formatted)",
    )
    text = ""
    for line in lines:
        text += line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
    return text


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename it over ``path``."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
