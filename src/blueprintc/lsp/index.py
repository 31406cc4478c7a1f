"""What stands where in a compiled program: names and what they refer to, quantities, keywords.

Built once per analysis, on the first request that needs it (never on the diagnostics
path). References come from the checked values (:class:`~blueprintc.semantic.values.
RefValue` records the span and the symbol a name resolved to), so they follow exactly
the compiler's resolution rules; names in assertions are resolved again with the
compiler's :class:`~blueprintc.semantic.symbols.Resolver`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.semantic import schema
from blueprintc.semantic.check import CheckedProgram
from blueprintc.semantic.figures import BY_NAME, Figure, bare
from blueprintc.semantic.modules import LoadedModule, Program
from blueprintc.semantic.stdindex import std_index
from blueprintc.semantic.symbols import Resolver, Symbol
from blueprintc.semantic.values import FieldValue, RefValue
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast

SymbolKey = tuple[str, str, str]  # kind, name, key of the declaring module


def symbol_key(symbol: Symbol) -> SymbolKey:
    """Identifies a symbol across compilations (each compilation has its own objects)."""
    return (symbol.kind, symbol.name, symbol.module.key)


@attrs.frozen
class Occurrence:
    """A name that refers to a symbol, or the name a declaration introduces."""

    span: Span
    symbol: Symbol
    declaration: bool = False


@attrs.frozen
class ModuleLink:
    """A ``use`` statement and the module it loads."""

    span: Span
    module: LoadedModule


@attrs.frozen
class Keyword:
    """A declaration keyword or a field name, with its schema entry."""

    span: Span
    decl: schema.DeclSpec | None = None
    field: schema.FieldSpec | None = None
    owner: str = ""


@attrs.frozen
class QuantityAt:
    """A number with its unit, as written."""

    span: Span
    quantity: ast.Quantity


@attrs.frozen
class FigureAt:
    """The name of a figure in an ``assert``, with its registry entry."""

    span: Span
    figure: Figure


Entry = Occurrence | ModuleLink | Keyword | QuantityAt | FigureAt


class Index:
    """Everything findable by position, per file, for one compiled program."""

    def __init__(self, program: Program, checked: CheckedProgram | None) -> None:
        self.program = program
        self.checked = checked
        self.entries: dict[SourceFile, list[Entry]] = defaultdict(list)
        self.by_symbol: dict[SymbolKey, list[Occurrence]] = defaultdict(list)
        self.modules = {m.source: m for m in program.modules}
        for module in program.modules:
            self._module(module)
        if checked is not None:
            self._symbols(checked)

    # -- lookups --------------------------------------------------------------------------

    def at(self, file: SourceFile, offset: int) -> Entry | None:
        """The innermost entry whose span contains ``offset`` (its end included)."""
        best: Entry | None = None
        for entry in self.entries.get(file, ()):
            span = entry.span
            if span.start <= offset <= span.end and (
                best is None or span.end - span.start < best.span.end - best.span.start
            ):
                best = entry
        return best

    def occurrences(self, symbol: Symbol) -> list[Occurrence]:
        return self.by_symbol.get(symbol_key(symbol), [])

    def declarations(self, file: SourceFile) -> Iterator[Symbol]:
        for entry in self.entries.get(file, ()):
            if isinstance(entry, Occurrence) and entry.declaration:
                yield entry.symbol

    # -- building -------------------------------------------------------------------------

    def _add(self, entry: Entry) -> None:
        self.entries[entry.span.file].append(entry)
        if isinstance(entry, Occurrence):
            self.by_symbol[symbol_key(entry.symbol)].append(entry)

    def _module(self, module: LoadedModule) -> None:
        for use in module.uses:
            target = next((m for m in self.program.modules if m.key == use.target), None)
            if target is not None:
                self._add(ModuleLink(use.span, target))
        for node in module.module.statements:
            if isinstance(node, ast.Assert):
                self._quantities_in_expr(node.expr)
                continue
            spec = schema.DECLARATIONS.get(node.keyword)
            if spec is not None:
                self._add(Keyword(node.keyword_span, decl=spec))
                self._quantities(node.args)
                if node.block is not None:
                    self._block(node.block, spec.block, spec.kind)

    def _block(self, block: ast.Block, spec: schema.BlockSpec, owner: str) -> None:
        for node in block.statements:
            if not isinstance(node, ast.Statement):
                continue
            self._quantities(node.args)
            if spec.map is not None:
                continue  # the key is a reference, indexed from the checked values
            field = spec.field(node.keyword)
            if field is None:
                continue
            self._add(Keyword(node.keyword_span, field=field, owner=owner))
            if node.block is not None and field.block is not None:
                self._block(node.block, field.block, node.keyword)

    def _quantities(self, args: Iterable[ast.Arg]) -> None:
        for arg in args:
            for atom in arg.atoms:
                self._atom(atom)

    def _atom(self, atom: ast.Atom) -> None:
        if isinstance(atom, ast.Quantity):
            self._add(QuantityAt(atom.span, atom))
        elif isinstance(atom, ast.Range):
            self._atom(atom.low)
            self._atom(atom.high)
        elif isinstance(atom, ast.Group):
            self._quantities(atom.args)

    def _quantities_in_expr(self, expr: ast.Expr) -> None:
        if isinstance(expr, ast.BinaryOp):
            self._quantities_in_expr(expr.left)
            self._quantities_in_expr(expr.right)
        elif isinstance(expr, ast.UnaryOp):
            self._quantities_in_expr(expr.operand)
        elif isinstance(expr, ast.Quantity):
            self._add(QuantityAt(expr.span, expr))

    def _symbols(self, checked: CheckedProgram) -> None:
        table = checked.symbols
        for symbol in [*table.by_key.values(), *table.singletons.values()]:
            if symbol.name:
                self._add(Occurrence(symbol.name_span, symbol, declaration=True))
        for declaration in checked.declarations:
            symbol = declaration.symbol
            if declaration.extends is not None and symbol.extends is not None:
                self._add(Occurrence(symbol.extends.span, declaration.extends))
            self._fields(declaration.fields, checked)
        resolver = Resolver(table, DiagnosticSink(), std_index)
        for assertion in checked.asserts:
            module = self.modules.get(assertion.span.file)
            if module is not None:
                self._assert_names(assertion.expr, module, resolver)

    def _fields(self, fields: tuple[FieldValue, ...], checked: CheckedProgram) -> None:
        for field in fields:
            for arg in field.args:
                for value in arg:
                    if isinstance(value, RefValue):
                        symbol = checked.symbols.get(value.kind, value.name)
                        if symbol is not None:
                            self._add(Occurrence(value.span, symbol))
            if field.block:
                self._fields(field.block, checked)

    def _assert_names(self, expr: ast.Expr, module: LoadedModule, resolver: Resolver) -> None:
        if isinstance(expr, ast.BinaryOp):
            self._assert_names(expr.left, module, resolver)
            self._assert_names(expr.right, module, resolver)
        elif isinstance(expr, ast.UnaryOp):
            self._assert_names(expr.operand, module, resolver)
        elif isinstance(expr, ast.Name) and bare(expr.text) is not None:
            self._add(FigureAt(expr.span, BY_NAME[expr.text]))
        elif isinstance(expr, ast.Call):
            if expr.name in BY_NAME:
                self._add(FigureAt(expr.name_span, BY_NAME[expr.name]))
            for arg in expr.args:
                for atom in arg.atoms:
                    if isinstance(atom, ast.Name):
                        symbol = resolver.resolve(atom, schema.REFERABLE_KINDS, module, "")
                        if symbol is not None:
                            self._add(Occurrence(atom.span, symbol))
