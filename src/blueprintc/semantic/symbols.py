"""Declarations and their names: the symbol table, and resolving a reference to a symbol.

Each kind of declaration has its own namespace, so a component and a channel may both be
called `ivr`; a field that accepts several kinds prefers them in the order it lists them,
and `channel.ivr` names one explicitly. Standard-library declarations are `std.<name>`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import attrs

from blueprintc.diagnostics import DiagnosticSink, Label
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.suggest import did_you_mean
from blueprintc.semantic.modules import LoadedModule
from blueprintc.semantic.schema import DECLARATIONS, SUB_DECLARATIONS, DeclSpec
from blueprintc.source import Span
from blueprintc.syntax import ast

STD = "std"


@attrs.frozen(eq=False)
class Symbol:
    """A declared thing: its kind, full name, declaring statement and module."""

    kind: str
    name: str
    statement: ast.Statement
    module: LoadedModule
    name_span: Span
    extends: ast.Name | None = None
    parent: Symbol | None = None

    @property
    def spec(self) -> DeclSpec | None:
        return DECLARATIONS.get(self.kind)

    @property
    def is_std(self) -> bool:
        return self.module.is_std


class SymbolTable:
    """All declarations of a program by (kind, name), and by name alone for suggestions."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Symbol] = {}
        self.by_name: dict[str, list[Symbol]] = defaultdict(list)
        self.singletons: dict[str, Symbol] = {}

    def add(self, symbol: Symbol, sink: DiagnosticSink) -> bool:
        key = (symbol.kind, symbol.name)
        first = self.by_key.get(key) or self.singletons.get(symbol.kind)
        if first is not None and (symbol.kind in self.singletons or key in self.by_key):
            what = f"{symbol.kind} `{symbol.name}`" if symbol.name else f"`{symbol.kind}` block"
            sink.report(
                C.DUPLICATE_DECLARATION,
                f"{what} is declared twice",
                symbol.name_span,
                labels=(Label(first.name_span, "first declared here"),),
                help=None if symbol.name else "merge the two blocks into one",
            )
            return False
        if not symbol.name:
            self.singletons[symbol.kind] = symbol
        else:
            self.by_key[key] = symbol
            self.by_name[symbol.name].append(symbol)
        return True

    def get(self, kind: str, name: str) -> Symbol | None:
        return self.by_key.get((kind, name))

    def of_kind(self, kind: str) -> list[Symbol]:
        return [s for (k, _), s in self.by_key.items() if k == kind]


class Resolver:
    """Resolves references from the point of view of one module."""

    def __init__(
        self, table: SymbolTable, sink: DiagnosticSink, std_index: Callable[[], dict[str, str]]
    ) -> None:
        self.table = table
        self.sink = sink
        self.std_index = std_index
        self.used_std: set[str] = set()

    def full_name(self, name: ast.Name, module: LoadedModule) -> tuple[str | None, str]:
        """(kind restriction, full name): ``channel.ivr`` -> ("channel", "ivr")."""
        parts = name.parts
        kind = None
        if len(parts) > 1 and (parts[0] in DECLARATIONS or parts[0] in SUB_DECLARATIONS):
            kind, parts = parts[0], parts[1:]
        text = ".".join(parts)
        if module.is_std and parts[0] != STD:
            text = f"{STD}.{text}"
        return kind, text

    def resolve(
        self, name: ast.Name, kinds: tuple[str, ...], module: LoadedModule, what: str
    ) -> Symbol | None:
        """The symbol ``name`` refers to among ``kinds``; reports why when there is none."""
        restriction, text = self.full_name(name, module)
        wanted = (restriction,) if restriction else kinds
        for kind in wanted:
            symbol = self.table.get(kind, text)
            if symbol is not None:
                if symbol.module.is_std and not module.is_std:
                    self.used_std.add(symbol.module.key)
                return symbol
        self._report_unresolved(name, text, wanted, what)
        return None

    def _report_unresolved(
        self, name: ast.Name, text: str, kinds: tuple[str, ...], what: str
    ) -> None:
        others = self.table.by_name.get(text, [])
        if others:
            found = others[0]
            self.sink.report(
                C.WRONG_KIND,
                f"`{name.text}` is a {found.kind}, but {what} expects "
                + " or ".join(f"a {k}" for k in kinds),
                name.span,
                labels=(Label(found.name_span, f"{found.kind} declared here"),),
            )
            return
        help_line = None
        index = self.std_index() if text.startswith(STD + ".") else {}
        if text in index:
            module = index[text]
            help_line = f"`{text}` is declared in `{module}`; add `use {module}` to this file"
        else:
            candidates = [s.name for k in kinds for s in self.table.of_kind(k)]
            help_line = did_you_mean(text, candidates)
        kind_words = " or ".join(kinds) if len(kinds) <= 3 else "declaration"
        self.sink.report(
            C.UNKNOWN_NAME,
            f"no {kind_words} named `{name.text}`",
            name.span,
            help=help_line,
        )
