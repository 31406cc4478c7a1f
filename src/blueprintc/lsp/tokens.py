"""Semantic tokens: what each word of a document is, from its syntax tree and resolved names.

The tokens come from the parsed file (keywords, fields, numbers, units, texts, dates,
comments) and from the analysis's index (what a name refers to), never from matching the
text: a name is typed by the kind of the declaration it resolves to, and a name that does
not resolve is left untyped. Tokens never overlap and never span a line break (a block
comment over three lines is three tokens), as the protocol requires of servers that do
not know the client supports multi-line tokens.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs
from lsprotocol import types

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.lsp.analysis import normalize
from blueprintc.lsp.index import Index, Occurrence
from blueprintc.lsp.positions import offset_at, position_at
from blueprintc.lsp.project import Project
from blueprintc.semantic import schema
from blueprintc.semantic import slots as S
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse


class TokenType(enum.Enum):
    """The token types of the legend, standard ones only (their order is the legend's)."""

    NAMESPACE = "namespace"
    TYPE = "type"
    CLASS = "class"
    ENUM = "enum"
    INTERFACE = "interface"
    STRUCT = "struct"
    ENUM_MEMBER = "enumMember"
    EVENT = "event"
    FUNCTION = "function"
    METHOD = "method"
    PROPERTY = "property"
    VARIABLE = "variable"
    PARAMETER = "parameter"
    KEYWORD = "keyword"
    COMMENT = "comment"
    STRING = "string"
    NUMBER = "number"
    OPERATOR = "operator"


class Modifier(enum.IntFlag):
    """The token modifiers of the legend, as bits."""

    NONE = 0
    DECLARATION = 1
    DEFAULT_LIBRARY = 2


_TYPES = list(TokenType)
LEGEND = types.SemanticTokensLegend(
    token_types=[t.value for t in TokenType],
    token_modifiers=["declaration", "defaultLibrary"],
)

#: The token type of a name by the kind of declaration it names.
KIND_TYPES: dict[str, TokenType] = {
    "brand": TokenType.CLASS,
    "promise": TokenType.ENUM_MEMBER,
    "value": TokenType.ENUM_MEMBER,
    "segment": TokenType.ENUM,
    "service": TokenType.INTERFACE,
    "process": TokenType.FUNCTION,
    "outbound": TokenType.FUNCTION,
    "channel": TokenType.EVENT,
    "pattern": TokenType.VARIABLE,
    "site": TokenType.STRUCT,
    "component": TokenType.CLASS,
    "phase": TokenType.EVENT,
    "requirement": TokenType.VARIABLE,
    "criterion": TokenType.PARAMETER,
    "vendor": TokenType.CLASS,
    "practice": TokenType.METHOD,
    "system": TokenType.CLASS,
    "benefit": TokenType.VARIABLE,
    "risk": TokenType.VARIABLE,
}
_WORD_OPERATORS = {"and", "or", "not"}
#: The fixed words of a figure's arguments: ``capex(year 1)``, ``tco(cloud)``.
_CALL_WORDS = {
    **dict.fromkeys(("year", "option", "total", "current", "target"), TokenType.KEYWORD),
    **dict.fromkeys((*schema.DEPLOYMENT_MODELS, *schema.LAYERS), TokenType.ENUM_MEMBER),
}
_ANY = "*"  # in a vocabulary: the type of any other word
_CONSTANTS = frozenset((*S.DAY_NAMES, *S.MONTH_NAMES, "daily"))


@attrs.frozen
class Token:
    """A typed stretch of one file, in character offsets."""

    start: int
    end: int
    type: TokenType
    modifiers: Modifier = Modifier.NONE


class _Collector:
    """Walks one parsed file and collects its tokens."""

    def __init__(self, file: SourceFile, index: Index | None) -> None:
        self.file = file
        self.tokens: list[Token] = []
        self.names: dict[tuple[int, int], Occurrence] = {}
        if index is not None:
            for entry in index.entries.get(file, ()):
                if isinstance(entry, Occurrence):
                    self.names[(entry.span.start, entry.span.end)] = entry

    def add(self, start: int, end: int, kind: TokenType, mods: Modifier = Modifier.NONE) -> None:
        if end > start:
            self.tokens.append(Token(start, end, kind, mods))

    def span(self, span: Span, kind: TokenType, mods: Modifier = Modifier.NONE) -> None:
        self.add(span.start, span.end, kind, mods)

    # -- statements -----------------------------------------------------------------------

    def module(self, module: ast.Module) -> None:
        for comment in module.comments:
            self.span(comment.span, TokenType.COMMENT)
        for node in module.statements:
            if isinstance(node, ast.Assert):
                self.add(node.span.start, node.span.start + len("assert"), TokenType.KEYWORD)
                self.expr(node.expr)
            elif node.keyword == "use":
                self.span(node.keyword_span, TokenType.KEYWORD)
                self.use(node)
            else:
                self.declaration(node)

    def use(self, node: ast.Statement) -> None:
        atoms = [a for arg in node.args for a in arg.atoms]
        if len(atoms) == 3 and isinstance(atoms[0], ast.Name) and isinstance(atoms[2], ast.Name):
            self.add(atoms[0].span.start, atoms[2].span.end, TokenType.NAMESPACE)
        else:
            self.args(node.args, None)

    def declaration(self, node: ast.Statement) -> None:
        spec = schema.DECLARATIONS.get(node.keyword)
        if spec is None:
            self.args(node.args, None)
            return
        self.span(node.keyword_span, TokenType.KEYWORD)
        self.args(node.args, None)
        if node.block is not None:
            self.block(node.block, spec.block)

    def block(self, block: ast.Block, spec: schema.BlockSpec | None) -> None:
        for node in block.statements:
            if isinstance(node, ast.Assert):
                self.expr(node.expr)
                continue
            if spec is not None and spec.map is not None:
                self.name(ast.Name(tuple(node.keyword.split(".")), node.keyword_span), None)
                self.args(node.args, spec.map.pattern)
                continue
            field = spec.field(node.keyword) if spec is not None else None
            if field is not None:
                self.span(node.keyword_span, TokenType.PROPERTY)
            self.args(node.args, field.pattern if field is not None else None)
            if node.block is not None:
                self.block(node.block, field.block if field is not None else None)

    # -- arguments ------------------------------------------------------------------------

    def args(self, args: tuple[ast.Arg, ...], pattern: tuple[S.Slot, ...] | None) -> None:
        words = _vocabulary(pattern or ())
        for arg in args:
            for atom in arg.atoms:
                self.atom(atom, words)

    def atom(self, atom: ast.Atom, words: dict[str, TokenType] | None) -> None:
        if isinstance(atom, ast.Name):
            self.name(atom, words)
        elif isinstance(atom, ast.Quantity):
            self.quantity(atom)
        elif isinstance(atom, ast.Text):
            self.span(atom.span, TokenType.STRING)
        elif isinstance(atom, ast.Date | ast.Clock):
            self.span(atom.span, TokenType.NUMBER)
        elif isinstance(atom, ast.Range):
            self.atom(atom.low, words)
            self.atom(atom.high, words)
        elif isinstance(atom, ast.Group):
            for arg in atom.args:
                for inner in arg.atoms:
                    self.atom(inner, words)
        else:
            self.span(atom.span, TokenType.OPERATOR)

    def name(self, name: ast.Name, words: dict[str, TokenType] | None) -> None:
        occurrence = self.names.get((name.span.start, name.span.end))
        if occurrence is None:
            word = (words or {}).get(name.text)
            if word is None and words and len(name.parts) == 1:
                word = words.get(_ANY)
            if word is None and name.text in _CONSTANTS:
                word = TokenType.ENUM_MEMBER
            if word is None and name.text in ("extends", "because"):
                word = TokenType.KEYWORD
            if word is not None:
                self.span(name.span, word)
            return
        offset = name.span.start
        for part in name.parts[:-1]:
            qualifier = TokenType.NAMESPACE if part == "std" else TokenType.KEYWORD
            self.add(offset, offset + len(part), qualifier)
            offset += len(part) + 1
        symbol = occurrence.symbol
        mods = Modifier.DECLARATION if occurrence.declaration else Modifier.NONE
        if symbol.is_std:
            mods |= Modifier.DEFAULT_LIBRARY
        kind = KIND_TYPES.get(symbol.kind, TokenType.VARIABLE)
        self.add(name.span.end - len(name.parts[-1]), name.span.end, kind, mods)

    def quantity(self, quantity: ast.Quantity) -> None:
        text = self.file.text
        start = quantity.span.start
        end = quantity.unit.span.start if quantity.unit is not None else quantity.span.end
        while start < end and not text[start].isdigit():
            if text[start] == "-":
                self.add(start, start + 1, TokenType.OPERATOR)
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        self.add(start, end, TokenType.NUMBER)
        if quantity.unit is not None:
            self.span(quantity.unit.span, TokenType.TYPE)

    # -- assertions -----------------------------------------------------------------------

    def expr(self, expr: ast.Expr) -> None:
        if isinstance(expr, ast.BinaryOp):
            self.expr(expr.left)
            self.operator(expr.op, expr.left.span.end, expr.right.span.start)
            self.expr(expr.right)
        elif isinstance(expr, ast.UnaryOp):
            if expr.op == "not":
                self.operator("not", self._line_start(expr.operand.span.start), expr.span.start)
            else:
                self.add(expr.span.start, expr.span.start + 1, TokenType.OPERATOR)
            self.expr(expr.operand)
        elif isinstance(expr, ast.Call):
            self.span(expr.name_span, TokenType.FUNCTION, Modifier.DEFAULT_LIBRARY)
            for arg in expr.args:
                for atom in arg.atoms:
                    self.atom(atom, _CALL_WORDS)
        else:
            self.atom(expr, None)

    def operator(self, op: str, low: int, high: int) -> None:
        """The operator ``op`` written between two offsets (the last one, for ``not``)."""
        gap = self.file.text[low:high]
        at = gap.rfind(op) if op == "not" else gap.find(op)
        if at >= 0:
            kind = TokenType.KEYWORD if op in _WORD_OPERATORS else TokenType.OPERATOR
            self.add(low + at, low + at + len(op), kind)

    def _line_start(self, offset: int) -> int:
        return self.file.text.rfind("\n", 0, offset) + 1


def _vocabulary(pattern: tuple[S.Slot, ...]) -> dict[str, TokenType]:
    """The fixed words a field's value may hold: its choices and its connecting words."""
    words: dict[str, TokenType] = {}
    for slot in pattern:
        if isinstance(slot, S.Choice):
            words.update(dict.fromkeys(slot.choices, TokenType.ENUM_MEMBER))
        elif isinstance(slot, S.Literal):
            words[slot.word] = TokenType.KEYWORD
        elif isinstance(slot, S.Optional):
            words.update(_vocabulary(slot.slots))
        elif isinstance(slot, S.Currency):
            words[_ANY] = TokenType.TYPE  # a currency code is a unit
        elif isinstance(slot, S.CodeSlot):
            words[_ANY] = TokenType.ENUM_MEMBER  # a diagnostic code: one of a fixed set
    return words


def collect(file: SourceFile, module: ast.Module, index: Index | None) -> list[Token]:
    """The tokens of one parsed file, sorted and without overlaps."""
    collector = _Collector(file, index)
    collector.module(module)
    out: list[Token] = []
    for token in sorted(collector.tokens, key=lambda t: (t.start, -t.end)):
        if out and token.start < out[-1].end:
            continue  # inside one already taken (a comment's words, a name's part)
        out.append(token)
    return out


def _lines(file: SourceFile, token: Token) -> Iterator[tuple[int, int]]:
    """The parts of a token on each line it covers, without line breaks."""
    text = file.text
    start = token.start
    while start < token.end:
        stop = text.find("\n", start, token.end)
        end = token.end if stop < 0 else stop
        trimmed = end - 1 if end > start and text[end - 1] == "\r" else end
        if trimmed > start:
            yield start, trimmed
        start = end + 1


def encode(
    file: SourceFile, tokens: list[Token], encoding: str, window: tuple[int, int] | None = None
) -> list[int]:
    """The protocol's relative integer encoding of ``tokens`` (only those in ``window``)."""
    data: list[int] = []
    previous_line, previous_char = 0, 0
    for token in tokens:
        if window is not None and (token.end <= window[0] or token.start >= window[1]):
            continue
        for start, end in _lines(file, token):
            position = position_at(file, start, encoding)
            length = position_at(file, end, encoding).character - position.character
            delta_line = position.line - previous_line
            delta_char = position.character - (previous_char if delta_line == 0 else 0)
            data += [delta_line, delta_char, length, _TYPES.index(token.type), token.modifiers]
            previous_line, previous_char = position.line, position.character
    return data


def semantic_tokens(
    project: Project, uri: str, window: types.Range | None = None
) -> types.SemanticTokens:
    """The tokens of an open document (those touching ``window`` only, if given).

    Names are typed from the latest analysis made of the document's present text; when
    there is none yet, the text is parsed and its names are left untyped.
    """
    document = project.documents.get(uri)
    if document is None:
        return types.SemanticTokens(data=[])
    found = project.analysis_for(uri)
    index = found[0].index if found is not None else None
    loaded = index.modules.get(found[1]) if found is not None and index is not None else None
    if found is not None and loaded is not None:
        file, module = found[1], loaded.module
    else:
        file = SourceFile(uri, normalize(document.text))
        with project.parses.active():  # parses what changed since the last time, only
            module, index = parse(file, DiagnosticSink()), None
    tokens = collect(file, module, index)
    bounds = None
    if window is not None:
        encoding = project.encoding
        bounds = (offset_at(file, window.start, encoding), offset_at(file, window.end, encoding))
    return types.SemanticTokens(data=encode(file, tokens, project.encoding, bounds))
