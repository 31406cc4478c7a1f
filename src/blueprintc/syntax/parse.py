"""Parse a source file with Lark (LALR), recovering from errors to report several at once.

Recovery works on the text: when the parser stops at a bad token, the error is recorded,
the rest of that line is blanked out (braces are kept, so blocks stay balanced) and the
file is parsed again. Offsets do not move, so every later error keeps its true position.

An editor re-parses the file it shows after every change: inside :func:`reparsing`, parse
asks a :class:`Reparser` (:class:`blueprintc.syntax.incremental.ParseMemo`), which parses
only the top-level declaration an edit falls in, with :func:`parse_statement`, and gives
the same tree as :func:`parse_file`.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import cast

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.resources import resource_dir
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.lower import Builder
from blueprintc.syntax.parallel import parsed_in_two
from blueprintc.syntax.reparser import Reparser as Reparser  # re-exported
from blueprintc.syntax.reparser import current_reparser
from blueprintc.syntax.reparser import reparsing as reparsing  # re-exported

MAX_SYNTAX_ERRORS = 20
MAX_NESTING = 64  # blocks, groups, operators, `not` and calls inside one another
_NESTING = (ast.Block, ast.Group, ast.BinaryOp, ast.UnaryOp, ast.Call)

_EXPECTED_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": 'a text in double quotes such as `"Northwind"`',
    "DATE": "a date such as `2027-01`",
    "CLOCK": "a time such as `08:00`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "SEMICOLON": "`;`",
    "_NL": "a line break",
    "COMPARE": "a comparison such as `<=`",
    "ASSERT": "`assert`",
    "PERCENT": "`%`",
    "SLASH": "`/`",
    "DASH": "`-`",
    "RANGE": "`..`",
    "$END": "the end of the file",
}
_ORDER = list(_EXPECTED_WORDS)
_VALUE_TERMINALS = {"NAME", "NUMBER", "STRING", "DATE", "CLOCK", "DASH", "LPAR"}
_VALUE_PARTS = {"PERCENT", "SLASH", "RANGE"}
# Quantifiers are possessive (``*+``) so that matching a long text keeps no backtracking
# state per character (a 5 MB text would otherwise take gigabytes).
_STRING_PATTERN = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"?'
_DANGLING_COMMA = re.compile(r",(?:[ \t\r\n]|//[^\n]*|/\*.*?\*/)*\Z", re.S)
_TOKENS_OF_INTEREST = re.compile(_STRING_PATTERN + r"|//[^\n]*|/\*.*?(?:\*/|\Z)|[{}]", re.S)


class _CommentCollector:
    """Receives comment tokens from Lark's lexer callbacks during one parse."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: list[Token] = []

    def __call__(self, token: Token) -> Token:
        self.tokens.append(token)
        return token


_COMMENTS = _CommentCollector()
_BUILDER = Builder()


@cache
def parser() -> Lark:
    """The LALR parser, built once per process; Lark caches its tables on disk across runs."""
    grammar = resource_dir("grammar") / "cxb.lark"
    return Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        strict=True,
        maybe_placeholders=False,
        transformer=_BUILDER,
        cache=True,
        lexer_callbacks={"LINE_COMMENT": _COMMENTS, "BLOCK_COMMENT": _COMMENTS},
    )


def parse(source: SourceFile, sink: DiagnosticSink) -> ast.Module:
    """Parse one file; syntax errors go to the sink and the returned tree skips the bad parts.

    At most :data:`MAX_SYNTAX_ERRORS` errors are reported; the next one is reported as
    "too many" and the file is given up (an empty tree), so the work stays bounded.
    Statements nested deeper than :data:`MAX_NESTING` are reported and left out.
    Inside :func:`reparsing`, the reparser does the work (same result).
    """
    reparser = current_reparser()
    if reparser is not None:
        return reparser.parse(source, sink)
    return parse_file(source, sink)


def parse_file(source: SourceFile, sink: DiagnosticSink) -> ast.Module:
    """Parse the whole of one file (what :func:`parse` does without a reparser); a large
    one in two parts at once where it can (:mod:`blueprintc.syntax.parallel`)."""
    halves = parsed_in_two(source, cut_point, _parsed_part)
    if halves is not None:
        kept = tuple(node for node in halves.statements if not _too_deep(node, sink))
        return ast.Module(source, kept, halves.comments)
    text = source.text
    for attempt in range(MAX_SYNTAX_ERRORS + 1):
        with _COMMENTS.lock:
            _COMMENTS.tokens = []
            _BUILDER.reset(source)
            try:
                # With a transformer, Lark returns what Builder.start returns.
                statements = cast(list[ast.Node], parser().parse(text))
            except UnexpectedInput as error:
                if attempt == MAX_SYNTAX_ERRORS:
                    _too_many_errors(source, error, sink)
                    break
                text = _recover(source, text, error, sink)
                continue
            comment_tokens = list(_COMMENTS.tokens)
        comments = tuple(
            ast.Comment(str(t), Span(source, t.start_pos or 0, t.end_pos or 0))
            for t in comment_tokens
        )
        kept = tuple(node for node in statements if not _too_deep(node, sink))
        return ast.Module(source, kept, comments)
    return ast.Module(source, (), ())


def parse_statement(
    source: SourceFile, start: int, end: int
) -> tuple[ast.Node, tuple[ast.Comment, ...]] | None:
    """The one top-level statement written at [start, end) of ``source``, and its comments.

    None unless that text alone parses without error into exactly one statement that
    spans it all (nested no deeper than :data:`MAX_NESTING`): the caller then parses the
    whole file instead. The text before ``start`` is read as blanks, so spans are offsets
    in ``source``.
    """
    parsed = _parsed_part(source, start, end)
    if parsed is None:
        return None
    statements, comments = list(parsed.statements), parsed.comments
    if len(statements) != 1:
        return None
    node = statements[0]
    if (node.span.start, node.span.end) != (start, end) or _too_deep(node, DiagnosticSink()):
        return None
    return node, comments


def _parsed_part(source: SourceFile, start: int, end: int) -> ast.Module | None:
    """The statements and comments written at [start, end) of ``source``, parsed alone
    (the text before ``start`` read as blanks, so spans are offsets in ``source``); None
    at a syntax error. Nesting is not checked."""
    text = source.text[:end] if start == 0 else " " * start + source.text[start:end]
    with _COMMENTS.lock:
        _COMMENTS.tokens = []
        _BUILDER.reset(source)
        try:
            statements = cast(list[ast.Node], parser().parse(text))
        except UnexpectedInput:
            return None
        comment_tokens = list(_COMMENTS.tokens)
    comments = tuple(
        ast.Comment(str(t), Span(source, t.start_pos or 0, t.end_pos or 0)) for t in comment_tokens
    )
    return ast.Module(source, tuple(statements), comments)


_LINE_END = re.compile(r"[ \t]*\r?\n")


def cut_point(text: str, after: int) -> int | None:
    """The start of the first line after ``after`` that follows a line ending with the
    ``}`` of a top-level block (outside texts and comments), or None: where a file can be
    cut in two parts that parse alone."""
    depth = 0
    for match in _TOKENS_OF_INTEREST.finditer(text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and match.end() > after:
                line_end = _LINE_END.match(text, match.end())
                if line_end is not None and line_end.end() < len(text):
                    return line_end.end()
    return None


def _too_many_errors(source: SourceFile, error: UnexpectedInput, sink: DiagnosticSink) -> None:
    pos = error.token.start_pos if isinstance(error, UnexpectedToken) else error.pos_in_stream
    start = min(pos or 0, len(source.text))
    sink.report(
        C.TOO_MANY_SYNTAX_ERRORS,
        f"more than {MAX_SYNTAX_ERRORS} syntax errors; the rest of the file is not checked",
        Span(source, start, min(start + 1, len(source.text))),
    )


def _too_deep(statement: ast.Node, sink: DiagnosticSink) -> bool:
    """Report a statement nested deeper than :data:`MAX_NESTING`; walked without recursion."""
    stack: list[tuple[object, int]] = [(statement, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, _NESTING):
            depth += 1
            if depth > MAX_NESTING:
                assert isinstance(node, _NESTING)
                sink.report(
                    C.NESTING_TOO_DEEP,
                    f"nested more than {MAX_NESTING} levels deep "
                    "(blocks, parentheses, operators and `not`s inside one another)",
                    node.span,
                )
                return True
        stack.extend((child, depth) for child in _children(node))
    return False


def _children(node: object) -> tuple[object, ...]:
    match node:
        case ast.Statement(args=args, block=block):
            return (*args, block) if block is not None else args
        case ast.Block(statements=children) | ast.Arg(atoms=children):
            return children
        case ast.Group(args=children) | ast.Call(args=children):
            return children
        case ast.Assert(expr=expr) | ast.UnaryOp(operand=expr):
            return (expr,)
        case ast.BinaryOp(left=left, right=right) | ast.Range(low=left, high=right):
            return (left, right)
    return ()


def _recover(source: SourceFile, text: str, error: UnexpectedInput, sink: DiagnosticSink) -> str:
    """Report one syntax error and return the text with the offending part blanked out."""
    if isinstance(error, UnexpectedCharacters):
        return _bad_character(source, text, error.pos_in_stream or 0, sink)
    assert isinstance(error, UnexpectedToken)
    token = error.token
    if token.type == "$END":
        return _unexpected_end(source, text, error, sink)
    start, end = token.start_pos or 0, token.end_pos or 0
    if token.type == "SLASH" and text.startswith("/*", start):
        sink.report(
            C.UNTERMINATED_COMMENT,
            "this comment is never closed",
            _clamped(source, start, start + 2),
        )
        return _erase(text, start, len(text))
    if token.type == "RBRACE" and _open_braces(text, start) == []:
        sink.report(C.UNMATCHED_BRACE, "this `}` closes no block", _clamped(source, start, end))
        return _erase(text, start, end)
    if token.type == "LBRACE" and not text[_statement_start(text, start) : start].strip():
        return _brace_on_next_line(source, text, start, sink)
    expected = _describe_expected(error.expected)
    found = "end of line" if token.type == "_NL" else f"`{token}`"
    help_line = None
    if token.type == "NAME" and "_NL" in error.expected:
        help_line = "separate statements with a line break or `;`"
    comma = _dangling_comma(text, start) if token.type in ("RBRACE", "_NL") else None
    if comma is not None:
        help_line = "remove the `,` at the end of the list, or write the next item after it"
    sink.report(
        C.UNEXPECTED_TOKEN,
        f"unexpected {found}; expected {expected}",
        _clamped(source, start, max(end, start + 1)),
        help=help_line,
    )
    if comma is not None:  # the list's statement is at fault, not the `}` or the line break
        return _erase(text, comma, comma + 1)
    # Skip the whole statement: from its start to the end of the line (or to the `}`).
    stop = start if token.type in ("RBRACE", "_NL") else _line_end(text, start)
    return _blank_or_token(text, _statement_start(text, start), stop, start, end)


def _brace_on_next_line(source: SourceFile, text: str, brace: int, sink: DiagnosticSink) -> str:
    """A ``{`` alone at the start of a line: report it and join it to the line above."""
    sink.report(
        C.UNEXPECTED_TOKEN,
        "a block must start on the same line as its declaration",
        _clamped(source, brace, brace + 1),
        help="move the `{` up to the end of the previous line",
    )
    before = text[:brace].rstrip(" \t\r\n")
    joined = "".join(" " if c in "\r\n" else c for c in text[len(before) : brace])
    return before + joined + text[brace:]


def _dangling_comma(text: str, pos: int) -> int | None:
    """The offset of a `,` that only blanks, line breaks and comments separate from ``pos``:
    a list that ends with a comma, so the parser met a `}` or a line break instead of a
    value."""
    match = _DANGLING_COMMA.search(text, 0, pos)
    return match.start() if match else None


def _clamped(source: SourceFile, start: int, end: int) -> Span:
    """A span of the recovered text within the source: recovery may append `}` to close
    blocks, and an error found there is shown at the end of the file."""
    size = len(source.text)
    return Span(source, min(start, size), min(end, size))


def _statement_start(text: str, pos: int) -> int:
    """Where the statement containing ``pos`` starts: after the last line break, `;` or `{`."""
    return max(text.rfind(c, 0, pos) for c in "\n;{}") + 1


def _blank_or_token(text: str, start: int, end: int, token_start: int, token_end: int) -> str:
    """Blank [start, end) if that removes something, else the offending token itself."""
    if text[start:end].strip(" \t\r\n{}"):
        return _blank(text, start, end)
    return _erase(text, token_start, token_end)


def _erase(text: str, start: int, end: int) -> str:
    """Replace [start, end) by spaces, braces included."""
    return text[:start] + " " * (end - start) + text[end:]


def _bad_character(source: SourceFile, text: str, pos: int, sink: DiagnosticSink) -> str:
    char = text[pos]
    if char == '"':
        end = _line_end(text, pos)
        sink.report(
            C.UNTERMINATED_STRING, 'this text has no closing `"`', _clamped(source, pos, end)
        )
        return _blank(text, pos, end)
    if text.startswith("/*", pos):
        sink.report(
            C.UNTERMINATED_COMMENT, "this comment is never closed", _clamped(source, pos, pos + 2)
        )
        return _blank(text, pos, len(text))
    help_line = None
    if char in "\u201c\u201d\u2018\u2019":
        help_line = 'write texts between straight double quotes `"`'
    sink.report(
        C.UNEXPECTED_CHARACTER,
        f"the character `{char}` cannot be used here",
        _clamped(source, pos, pos + 1),
        help=help_line,
    )
    return _blank(text, pos, pos + 1)


def _unexpected_end(
    source: SourceFile, text: str, error: UnexpectedToken, sink: DiagnosticSink
) -> str:
    open_braces = _open_braces(text, len(text))
    if open_braces:
        pos = open_braces[-1]
        sink.report(
            C.UNTERMINATED_BLOCK,
            "this block is never closed",
            _clamped(source, pos, pos + 1),
        )
        return text + "}" * len(open_braces) + "\n"
    expected = _describe_expected(error.expected)
    end = len(text.rstrip()) or len(text)
    sink.report(
        C.UNEXPECTED_TOKEN,
        f"the file ends too early; expected {expected}",
        _clamped(source, max(0, end - 1), end),
    )
    line_start = text.rfind("\n", 0, max(0, end - 1)) + 1
    return _blank(text, line_start, len(text))


def _describe_expected(expected: set[str]) -> str:
    if expected >= _VALUE_TERMINALS:
        rest = expected - _VALUE_TERMINALS - _VALUE_PARTS
        names = {"a value"} | {_EXPECTED_WORDS.get(t, t) for t in rest}
        words = sorted(names - {"a value"}, key=_rank_word)
        words = ["a value", *words]
    else:
        words = [_EXPECTED_WORDS.get(t, f"`{t.lower()}`") for t in sorted(expected, key=_rank)]
    words = list(dict.fromkeys(words))[:5]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _rank(terminal: str) -> tuple[int, str]:
    return (_ORDER.index(terminal) if terminal in _ORDER else len(_ORDER), terminal)


def _rank_word(word: str) -> int:
    values = list(_EXPECTED_WORDS.values())
    return values.index(word) if word in values else len(values)


def _open_braces(text: str, upto: int) -> list[int]:
    """Offsets of the ``{`` still open at ``upto``, ignoring braces in texts and comments."""
    stack: list[int] = []
    for match in _TOKENS_OF_INTEREST.finditer(text, 0, upto):
        token = match.group()
        if token == "{":
            stack.append(match.start())
        elif token == "}" and stack:
            stack.pop()
    return stack


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _blank(text: str, start: int, end: int) -> str:
    """Replace [start, end) by spaces, keeping line breaks and braces."""
    kept = "".join(c if c in "\n{}" else " " for c in text[start:end])
    return text[:start] + kept + text[end:]
