"""Where the cursor is, for completion: in which blocks, in which statement, at which value.

Completion runs on text that is being typed and often does not parse, so the blocks
around the cursor are found lexically (braces, separators, strings and comments, as the
grammar defines them); only the statement being typed is parsed, up to the cursor, to
count the values already written with the compiler's own rules.
"""

from __future__ import annotations

import re

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.semantic import schema
from blueprintc.semantic import slots as S
from blueprintc.source import SourceFile
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse

# Possessive quantifiers: a long text is matched without backtracking state per character.
_STRING = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"?'
_LEXEMES = re.compile(_STRING + r"|//[^\n]*|/\*.*?(?:\*/|\Z)|[{};\n,]", re.S)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)|" + _STRING, re.S)
_WORD_BEFORE = re.compile(r"[A-Za-z_][A-Za-z0-9_./]*$|$")
_FIRST_WORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)")


@attrs.frozen
class Cursor:
    """The cursor's situation.

    ``blocks`` are the keywords of the statements whose blocks enclose the cursor,
    outermost first. ``statement`` is the text of the statement being typed, from its
    start to the word under the cursor (comments and texts blanked); ``prefix`` is that
    word (``std.vo``), which completion replaces, starting at offset ``prefix_start``.
    """

    blocks: tuple[str, ...]
    statement: str
    prefix: str
    prefix_start: int
    in_text_or_comment: bool = False

    @property
    def keyword(self) -> str | None:
        """The statement's keyword once it is complete (the cursor is past it)."""
        match = _FIRST_WORD.match(self.statement)
        return match.group(1) if match else None

    @property
    def at_statement_start(self) -> bool:
        return not self.statement.strip()


def cursor_at(text: str, offset: int) -> Cursor:
    """Analyse ``text[:offset]``."""
    before = text[:offset]
    blocks: list[str] = []
    start = 0  # where the current statement starts
    inside = False
    for match in _LEXEMES.finditer(before):
        lexeme = match.group()
        if lexeme[0] in '"/':
            unterminated = (lexeme[0] == '"' and (len(lexeme) == 1 or lexeme[-1] != '"')) or (
                lexeme.startswith("/*") and not lexeme.endswith("*/")
            )
            inside = match.end() == len(before) and (unterminated or lexeme.startswith("//"))
            continue
        if lexeme == "{":
            blocks.append(_first_word(before[start : match.start()]))
            start = match.end()
        elif lexeme == "}":
            if blocks:
                blocks.pop()
            start = match.end()
        elif lexeme == ";" or (lexeme == "\n" and not _continues(before[start : match.start()])):
            start = match.end()
    word = _WORD_BEFORE.search(before)
    prefix = word.group() if word else ""
    prefix_start = offset - len(prefix)
    statement = _blank(before[start:prefix_start])
    return Cursor(tuple(blocks), statement, prefix, prefix_start, inside)


def _continues(statement: str) -> bool:
    """Whether a statement goes on after a line break: its last line ends with a comma."""
    return _blank(statement).rstrip().endswith(",")


def _blank(text: str) -> str:
    return _COMMENTS.sub(lambda m: " " * len(m.group()), text)


def _first_word(header: str) -> str:
    match = _FIRST_WORD.match(_blank(header))
    return match.group(1) if match else ""


# -- what the cursor is in ------------------------------------------------------------------


@attrs.frozen
class BlockSpot:
    """The block around the cursor: its schema, and its owner's kind or field name."""

    spec: schema.BlockSpec | None
    owner: str
    top_level: bool


def block_at(blocks: tuple[str, ...]) -> BlockSpot:
    """The schema of the innermost block, following fields from the top-level declaration."""
    if not blocks:
        return BlockSpot(None, "", True)
    decl = schema.DECLARATIONS.get(blocks[0])
    if decl is None:
        return BlockSpot(None, blocks[0], False)
    spec: schema.BlockSpec | None = decl.block
    for keyword in blocks[1:]:
        field = spec.field(keyword) if spec is not None else None
        spec = field.block if field is not None else None
    return BlockSpot(spec, blocks[-1], False)


def value_index(statement: str) -> tuple[int, int] | None:
    """(argument, value) index where the cursor stands in a statement's arguments.

    ``target voice 80% within `` is at value 3 of argument 0; ``segments premier, `` at
    value 0 of argument 1. None when the text does not parse.
    """
    text = statement.rstrip()
    if text.endswith(","):
        return text.count(","), 0
    source = SourceFile("<completion>", text)
    sink = DiagnosticSink()
    module = parse(source, sink)
    if sink.has_errors or len(module.statements) != 1:
        return None
    node = module.statements[0]
    if not isinstance(node, ast.Statement):
        return None
    if not node.args:
        return 0, 0
    return len(node.args) - 1, len(node.args[-1].atoms)


def flat_slots(pattern: tuple[S.Slot, ...]) -> list[S.Slot]:
    """A field's slots in order, optional groups spliced in."""
    out: list[S.Slot] = []
    for slot in pattern:
        if isinstance(slot, S.Optional):
            out.extend(flat_slots(slot.slots))
        else:
            out.append(slot)
    return out
