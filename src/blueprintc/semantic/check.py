"""Check every declaration against the schema: fields, value forms, units, ranges, names.

Declarations are collected first (so order does not matter), then each block is checked
field by field. The result keeps, for each declaration, its checked field values in
canonical units, ready for the model of later stages.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import attrs

from blueprintc.diagnostics import DiagnosticSink, Label
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.suggest import did_you_mean
from blueprintc.semantic import figures as F
from blueprintc.semantic import locales, schema
from blueprintc.semantic import slots as S
from blueprintc.semantic.labels import readable, sameness
from blueprintc.semantic.modules import LoadedModule, Program
from blueprintc.semantic.stdindex import std_index
from blueprintc.semantic.symbols import STD, Resolver, Symbol, SymbolTable
from blueprintc.semantic.values import FieldValue, TextValue, Value, WordValue
from blueprintc.semantic.valueslots import SlotChecker
from blueprintc.source import Span
from blueprintc.syntax import ast

_ALL_FIELD_NAMES = frozenset(
    f.name for spec in schema.DECLARATIONS.values() for f in spec.block.fields
)
MAX_EXTENDS_DEPTH = 32  # `extends` links in a row; deeper chains are cut and reported
MAX_NAME_LENGTH = 128  # characters of a declared name


@attrs.frozen
class Declaration:
    """A checked declaration: its symbol, the declaration it extends, its field values."""

    symbol: Symbol
    extends: Symbol | None
    fields: tuple[FieldValue, ...]


@attrs.frozen(eq=False)
class CheckedProgram:
    """The outcome of the semantic checks: symbols, checked declarations and assertions."""

    program: Program
    symbols: SymbolTable
    declarations: tuple[Declaration, ...]
    asserts: tuple[ast.Assert, ...]
    currency: str | None
    exchange: dict[str, Fraction]
    typed: tuple[F.Typed | None, ...]  # each of `asserts` resolved (None: not an assertion)


class Checker:
    """Runs the semantic checks of one program."""

    def __init__(self, program: Program, sink: DiagnosticSink) -> None:
        self.program = program
        self.sink = sink
        self.table = SymbolTable()
        self.resolver = Resolver(self.table, sink, std_index)
        self.asserts: list[tuple[ast.Assert, LoadedModule]] = []
        self.exchange: dict[str, Fraction] = {}
        self.currency: str | None = None
        self.extends: dict[Symbol, Symbol] = {}

    def run(self) -> CheckedProgram:
        for module in self.program.modules:
            for node in module.module.statements:
                self._collect(node, module)
        self._read_currency()
        self._resolve_extends()
        slots = SlotChecker(
            self.sink, self.resolver, self.exchange, self._use_spans(), self.currency
        )
        declarations = tuple(
            self._check_declaration(symbol, slots) for symbol in self._declarations()
        )
        for node, module in self.asserts:
            self._check_expr(node.expr, module, slots)
        self._check_labels(declarations)
        self._check_locale(declarations)
        self._report_unused_modules()
        asserts = tuple(a for a, _ in self.asserts)
        return CheckedProgram(
            self.program,
            self.table,
            declarations,
            asserts,
            self.currency,
            dict(self.exchange),
            tuple(self._resolve(a.expr) for a in asserts),
        )

    def _resolve(self, expr: ast.Expr) -> F.Typed | None:
        try:
            return F.resolve(expr, self.exchange)
        except F.Unresolved:  # reported by `_check_expr`
            return None

    # -- collecting declarations ----------------------------------------------------------

    def _collect(self, node: ast.Node, module: LoadedModule) -> None:
        if isinstance(node, ast.Assert):
            self.asserts.append((node, module))
            return
        if node.keyword == "use":
            return
        spec = schema.DECLARATIONS.get(node.keyword)
        if spec is None:
            self._unknown_declaration(node)
            return
        symbol = self._declare(node, spec, module)
        if symbol is not None and self.table.add(symbol, self.sink) and node.block:
            self._collect_members(symbol, spec, node.block, module)

    def _unknown_declaration(self, node: ast.Statement) -> None:
        if node.keyword in _ALL_FIELD_NAMES:
            self.sink.report(
                C.MISPLACED_STATEMENT,
                f"`{node.keyword}` is a field; it belongs inside a declaration's block",
                node.keyword_span,
                help="move it into the `{ ... }` block of the declaration it describes",
            )
            return
        kinds = [*schema.DECLARATIONS, "use", "assert"]
        self.sink.report(
            C.UNKNOWN_DECLARATION,
            f"unknown declaration `{node.keyword}`",
            node.keyword_span,
            help=did_you_mean(node.keyword, kinds)
            or "a declaration starts with one of: " + ", ".join(kinds),
        )

    def _declare(
        self, node: ast.Statement, spec: schema.DeclSpec, module: LoadedModule
    ) -> Symbol | None:
        if node.block is None:
            self.sink.report(
                C.INVALID_VALUE,
                f"`{node.keyword}` needs a block `{{ ... }}` with its fields",
                node.span,
                help=f"for example:\n    {spec.example.splitlines()[0]}",
            )
            return None
        atoms = [atom for arg in node.args for atom in arg.atoms]
        if len(node.args) > 1:
            self._invalid(node.args[1].span, f"`{node.keyword}` takes one name, not a list")
            return None
        if not spec.named:
            return self._declare_unnamed(node, spec, atoms, module)
        if not atoms:
            self.sink.report(
                C.MISSING_NAME,
                f"this {spec.kind} has no name",
                node.keyword_span,
                help=f"name it right after the keyword: `{spec.example.splitlines()[0]}`",
            )
            return None
        name = atoms[0]
        if not isinstance(name, ast.Name) or len(name.parts) != 1:
            self._invalid(name.span, f"expected the {spec.kind}'s name, found `{name.span.text}`")
            return None
        ok, extends = self._extends_clause(spec, atoms[1:], name)
        if not ok or not self._name_fits(name):
            return None
        full = f"{STD}.{name.parts[0]}" if module.is_std else name.parts[0]
        return Symbol(spec.kind, full, node, module, name.span, extends)

    def _extends_clause(
        self, spec: schema.DeclSpec, rest: list[ast.Atom], name: ast.Name
    ) -> tuple[bool, ast.Name | None]:
        """(well-formed, the extended name) of what follows a declaration's name."""
        if not rest:
            return True, None
        word, target = rest[0], rest[1] if len(rest) > 1 else None
        is_extends = isinstance(word, ast.Name) and word.parts == ("extends",)
        if is_extends and isinstance(target, ast.Name) and len(rest) == 2:
            if not spec.extendable:
                self._invalid(word.span, f"a {spec.kind} cannot extend another declaration")
                return False, None
            return True, target
        if is_extends:
            self._invalid(word.span, "`extends` needs the name of the declaration to extend")
            return False, None
        self._invalid(
            word.span,
            f"unexpected `{word.span.text}` after the name `{name.text}`",
            help="names are one word (letters, digits, `_`); use `_` instead of spaces",
        )
        return False, None

    def _declare_unnamed(
        self,
        node: ast.Statement,
        spec: schema.DeclSpec,
        atoms: list[ast.Atom],
        module: LoadedModule,
    ) -> Symbol | None:
        title_ok = spec.title_text and len(atoms) == 1 and isinstance(atoms[0], ast.Text)
        if atoms and not title_ok:
            expected = "a title in double quotes" if spec.title_text else "no name"
            self._invalid(atoms[0].span, f"`{node.keyword}` takes {expected}")
            return None
        return Symbol(spec.kind, "", node, module, node.keyword_span)

    def _collect_members(
        self, owner: Symbol, spec: schema.DeclSpec, block: ast.Block, module: LoadedModule
    ) -> None:
        for node in block.statements:
            if not isinstance(node, ast.Statement):
                continue
            field = spec.block.field(node.keyword)
            if field is None or not field.pattern or not isinstance(field.pattern[0], S.NewName):
                continue
            atoms = node.args[0].atoms if node.args else ()
            if (
                atoms
                and isinstance(atoms[0], ast.Name)
                and len(atoms[0].parts) == 1
                and self._name_fits(atoms[0])
            ):
                name = atoms[0].parts[0]
                full = f"{STD}.{name}" if module.is_std else name
                kind = field.pattern[0].kind
                member = Symbol(kind, full, node, module, atoms[0].span, parent=owner)
                self.table.add(member, self.sink)

    def _name_fits(self, name: ast.Name) -> bool:
        """Whether a declared name is within the length limit (reported when not)."""
        if len(name.text) <= MAX_NAME_LENGTH:
            return True
        self.sink.report(
            C.NAME_TOO_LONG,
            f"this name has {len(name.text):,} characters; a name has at most {MAX_NAME_LENGTH}",
            Span(name.span.file, name.span.start, name.span.start + MAX_NAME_LENGTH + 1),
        )
        return False

    # -- blueprint-wide settings ----------------------------------------------------------

    def _read_currency(self) -> None:
        blueprint = self.table.singletons.get("blueprint")
        if blueprint is None or blueprint.is_std:
            source = self.program.entry.source
            self.sink.report(
                C.MISSING_BLUEPRINT,
                "this blueprint has no `blueprint` block",
                Span(source, 0, 0),
                help='add `blueprint "Title" { currency USD; start 2027-01; horizon 3 years }`',
            )
            return
        assert blueprint.statement.block is not None
        seen: dict[str, ast.Name] = {}
        for node in blueprint.statement.block.statements:
            if not isinstance(node, ast.Statement) or not node.args:
                continue
            atoms = node.args[0].atoms
            if node.keyword == "currency" and atoms and isinstance(atoms[0], ast.Name):
                self.currency = atoms[0].text
                self.exchange[self.currency] = Fraction(1)
            elif node.keyword == "exchange" and len(atoms) == 2:
                self._exchange(atoms[0], atoms[1], seen)

    def _exchange(self, code: ast.Atom, rate: ast.Atom, seen: dict[str, ast.Name]) -> None:
        if not (isinstance(code, ast.Name) and isinstance(rate, ast.Quantity) and rate.value > 0):
            return  # the field check reports the form
        if code.text == self.currency:
            self._invalid(
                code.span,
                f"`{code.text}` is the blueprint's own currency; its rate is always 1",
                help="remove this line",
            )
        elif code.text in seen:
            self.sink.report(
                C.DUPLICATE_FIELD,
                f"the exchange rate of `{code.text}` is given twice",
                code.span,
                labels=(Label(seen[code.text].span, "first given here"),),
            )
        else:
            seen[code.text] = code
            self.exchange[code.text] = Fraction(rate.value)

    def _use_spans(self) -> dict[str, list[Span]]:
        spans: dict[str, list[Span]] = {}
        for module in self.program.modules:
            if not module.is_std:
                for use in module.uses:
                    spans.setdefault(use.target, []).append(use.span)
        return spans

    # -- extends --------------------------------------------------------------------------

    def _declarations(self) -> Iterator[Symbol]:
        yield from self.table.singletons.values()
        for symbol in self.table.by_key.values():
            if symbol.parent is None:
                yield symbol

    def _resolve_extends(self) -> None:
        for symbol in list(self._declarations()):
            if symbol.extends is None:
                continue
            target = self.resolver.resolve(
                symbol.extends, (symbol.kind,), symbol.module, "`extends`"
            )
            if target is not None:
                self.extends[symbol] = target
        acyclic: set[Symbol] = set()
        for symbol in list(self.extends):
            self._check_extends_cycle(symbol, acyclic)
        self._limit_extends_depth()

    def _check_extends_cycle(self, start: Symbol, acyclic: set[Symbol]) -> None:
        """Report and cut a cycle through ``start``; ``acyclic`` memoizes chains that end."""
        seen = [start]
        members = {start}
        current = self.extends.get(start)
        while current is not None and current not in acyclic:
            if current is start:
                names = " → ".join(s.name for s in [*seen, start])
                assert start.extends is not None
                self.sink.report(
                    C.EXTENDS_CYCLE, f"`{start.name}` extends itself: {names}", start.extends.span
                )
                del self.extends[start]
                return
            if current in members:
                return  # a cycle further up, reported when its own members are checked
            seen.append(current)
            members.add(current)
            current = self.extends.get(current)
        acyclic |= members

    def _limit_extends_depth(self) -> None:
        """Cut (and report) every ``extends`` link that makes a chain deeper than the limit.

        One pass over the acyclic links: each symbol's depth is worked out once.
        """
        depth: dict[Symbol, int] = {}
        for start in list(self.extends):
            pending = []
            current: Symbol | None = start
            while current is not None and current not in depth:
                pending.append(current)
                current = self.extends.get(current)
            level = 0 if current is None else depth[current]
            for symbol in reversed(pending):
                level = level + 1 if symbol in self.extends else 0
                if level > MAX_EXTENDS_DEPTH:
                    self._report_too_deep(symbol)
                    level = 0
                depth[symbol] = level

    def _report_too_deep(self, symbol: Symbol) -> None:
        assert symbol.extends is not None
        self.sink.report(
            C.EXTENDS_TOO_DEEP,
            f"`{symbol.name}` would inherit through more than {MAX_EXTENDS_DEPTH} "
            "declarations in a row",
            symbol.extends.span,
        )
        del self.extends[symbol]

    def ancestors(self, symbol: Symbol) -> list[Symbol]:
        chain = []
        seen = {symbol}
        current = self.extends.get(symbol)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.extends.get(current)
        return chain

    # -- declarations ---------------------------------------------------------------------

    def _check_declaration(self, symbol: Symbol, slots: SlotChecker) -> Declaration:
        spec = symbol.spec
        assert spec is not None and symbol.statement.block is not None
        slots.module = symbol.module
        fields = self._check_block(symbol.statement.block, spec.block, slots, spec.kind)
        self._check_required(symbol, spec)
        return Declaration(symbol, self.extends.get(symbol), fields)

    def _check_required(self, symbol: Symbol, spec: schema.DeclSpec) -> None:
        present = set()
        for each in [symbol, *self.ancestors(symbol)]:
            block = each.statement.block
            if block is not None:
                present |= {n.keyword for n in block.statements if isinstance(n, ast.Statement)}
        what = f"{spec.kind} `{symbol.name}`" if symbol.name else f"the `{spec.kind}` block"
        for field in spec.block.fields:
            if field.required and field.name not in present:
                self.sink.report(
                    C.MISSING_FIELD,
                    f"{what} has no `{field.name}`",
                    symbol.name_span,
                    help=f"add a line such as `{field.example}`",
                )
            elif field.recommended is not None and field.name not in present:
                self.sink.report(
                    field.recommended, f"{what} has no `{field.name}`", symbol.name_span
                )

    def _check_block(
        self, block: ast.Block, spec: schema.BlockSpec, slots: SlotChecker, owner: str
    ) -> tuple[FieldValue, ...]:
        seen: dict[str, ast.Statement] = {}
        out = []
        names = frozenset(f.name for f in spec.fields)
        for node in block.statements:
            if isinstance(node, ast.Assert):
                self.sink.report(
                    C.MISPLACED_STATEMENT,
                    "`assert` stands at the top level of a file, not inside a block",
                    node.span,
                )
                continue
            value = (
                self._check_entry(node, spec.map, slots, owner)
                if spec.map is not None
                else self._check_field(node, spec, slots, owner, names, seen)
            )
            if value is not None:
                out.append(value)
            seen.setdefault(node.keyword, node)
        return tuple(out)

    def _check_entry(
        self, node: ast.Statement, spec: schema.MapSpec, slots: SlotChecker, owner: str
    ) -> FieldValue | None:
        key = ast.Name((node.keyword,), node.keyword_span)
        resolved = slots.slot(spec.key, key, "this entry")
        if node.block is not None:
            self._invalid(node.block.span, f"`{node.keyword}` takes a value, not a block")
        where = f"`{node.keyword}` in `{owner}`"
        values = self._match_args(node, spec.pattern, False, slots, frozenset(), where=where)
        if resolved is None or values is None:
            return None
        return FieldValue(node.keyword, tuple((resolved, *arg) for arg in values), node.span)

    def _check_field(
        self,
        node: ast.Statement,
        spec: schema.BlockSpec,
        slots: SlotChecker,
        owner: str,
        names: frozenset[str],
        seen: dict[str, ast.Statement],
    ) -> FieldValue | None:
        field = spec.field(node.keyword)
        if field is None:
            self._unknown_field(node, spec, owner)
            return None
        if node.keyword in seen and not field.repeat:
            self.sink.report(
                C.DUPLICATE_FIELD,
                f"`{node.keyword}` is given twice",
                node.keyword_span,
                labels=(Label(seen[node.keyword].keyword_span, "first given here"),),
            )
            return None
        values = self._match_args(node, field.pattern, field.many, slots, names, field)
        nested = self._check_nested(node, field, slots)
        if values is None:
            return None
        return FieldValue(node.keyword, tuple(values), node.span, nested)

    def _check_nested(
        self, node: ast.Statement, field: schema.FieldSpec, slots: SlotChecker
    ) -> tuple[FieldValue, ...] | None:
        if field.block is None:
            if node.block is not None:
                self._invalid(node.block.span, f"`{node.keyword}` takes no block")
            return None
        if node.block is None:
            if field.block_required:
                self._invalid(
                    node.span, f"`{node.keyword}` needs a block", help=f"e.g. `{field.example}`"
                )
            return None
        return self._check_block(node.block, field.block, slots, node.keyword)

    def _unknown_field(self, node: ast.Statement, spec: schema.BlockSpec, owner: str) -> None:
        if node.keyword in schema.DECLARATIONS or node.keyword == "use":
            self.sink.report(
                C.MISPLACED_STATEMENT,
                f"`{node.keyword}` is a declaration; declarations stand at the top level",
                node.keyword_span,
                help="move it out of this block",
            )
            return
        known = [f.name for f in spec.fields]
        self.sink.report(
            C.UNKNOWN_FIELD,
            f"`{owner}` has no field `{node.keyword}`",
            node.keyword_span,
            help=did_you_mean(node.keyword, known)
            or f"the fields of `{owner}` are: " + ", ".join(known),
        )

    def _match_args(
        self,
        node: ast.Statement,
        pattern: tuple[S.Slot, ...],
        many: bool,
        slots: SlotChecker,
        names: frozenset[str],
        field: schema.FieldSpec | None = None,
        where: str | None = None,
    ) -> list[tuple[Value, ...]] | None:
        example = f"`{field.example}`" if field else "its value"
        if not pattern:
            if node.args:
                self._invalid(
                    node.args[0].span,
                    f"`{node.keyword}` takes a block, not a value",
                    help=f"write it as {example}",
                )
                return None
            return []
        if not node.args:
            self._invalid(
                node.keyword_span, f"`{node.keyword}` needs a value", help=f"write it as {example}"
            )
            return None
        if len(node.args) > 1 and not many:
            self._invalid(
                node.args[1].span,
                f"`{node.keyword}` takes one value, not a list",
                help=f"write it as {example}",
            )
            return None
        results = [
            slots.match(pattern, arg, node.keyword, names, example, where) for arg in node.args
        ]
        if any(r is None for r in results):
            return None
        return [r for r in results if r is not None]

    # -- labels and locale ----------------------------------------------------------------

    def _check_labels(self, declarations: tuple[Declaration, ...]) -> None:
        """Empty labels, and declarations of one kind a reader would see under one name."""
        shown: dict[tuple[str, str], tuple[str, Span, bool]] = {}
        for kind, name, label, name_span in _shown_names(declarations):
            if label is not None and not label.text.strip():
                self.sink.report(
                    C.EMPTY_LABEL, f"the label of {kind} `{name}` is empty", label.span
                )
                continue
            text = label.text if label is not None else readable(name)
            span = label.span if label is not None else name_span
            key = (kind, sameness(text))
            first = shown.setdefault(key, (name, span, label is not None))
            if first[0] == name or not (label is not None or first[2]):
                continue
            self.sink.report(
                C.DUPLICATE_LABEL,
                f'{kind} `{name}` is shown as "{" ".join(text.split())}", as {kind} '
                f"`{first[0]}` is",
                span,
                labels=(Label(first[1], f"{kind} `{first[0]}` is shown so here"),),
            )

    def _check_locale(self, declarations: tuple[Declaration, ...]) -> None:
        for declaration in declarations:
            if declaration.symbol.kind != "blueprint":
                continue
            for field in declaration.fields:
                value = field.first[0] if field.name == "locale" and field.first else None
                if isinstance(value, TextValue) and locales.identifier(value.text) is None:
                    self.sink.report(
                        C.UNKNOWN_LOCALE,
                        f'"{value.text}" is not a locale CLDR knows',
                        value.span,
                        help=_locale_help(value.text),
                    )

    # -- assertions -----------------------------------------------------------------------

    def _check_expr(self, expr: ast.Expr, module: LoadedModule, slots: SlotChecker) -> None:
        slots.module = module
        if isinstance(expr, ast.BinaryOp):
            self._check_expr(expr.left, module, slots)
            self._check_expr(expr.right, module, slots)
        elif isinstance(expr, ast.UnaryOp):
            self._check_expr(expr.operand, module, slots)
        elif isinstance(expr, ast.Call):
            self._check_call(expr, module, slots)
        elif isinstance(expr, ast.Quantity):
            if slots.unit_of(expr) is not None:
                slots.assert_number(expr)
        elif isinstance(expr, ast.Date):
            slots.slot(S.DateSlot(), expr, "`assert`")
        elif isinstance(expr, ast.Name) and F.bare(expr.text) is not None:
            pass  # `payback`: a figure of the whole design, written without parentheses
        else:
            self._invalid(
                expr.span,
                f"`{expr.text}` is not a figure",
                help="name a computed figure such as `fte(total)` or `occupancy(voice)`",
            )

    def _check_call(self, call: ast.Call, module: LoadedModule, slots: SlotChecker) -> None:
        if call.name not in F.BY_NAME:
            self.sink.report(
                C.UNKNOWN_FUNCTION,
                f"there is no figure `{call.name}`",
                call.name_span,
                help=did_you_mean(call.name, F.BY_NAME) or "figures are: " + ", ".join(F.BY_NAME),
            )
        for arg in call.args:
            for atom in arg.atoms:
                if isinstance(atom, ast.Name) and atom.text not in F.ARGUMENT_WORDS:
                    self.resolver.resolve(atom, schema.REFERABLE_KINDS, module, f"`{call.name}`")

    # -- helpers --------------------------------------------------------------------------

    def _report_unused_modules(self) -> None:
        for module in self.program.modules:
            if module.is_std:
                continue
            for use in module.uses:
                is_std = use.target.startswith("std/")
                if is_std and use.target not in self.resolver.used_std:
                    self.sink.report(
                        C.UNUSED_MODULE,
                        f"nothing in this blueprint refers to `{use.target}`",
                        use.span,
                    )

    def _invalid(self, span: Span, message: str, help: str | None = None) -> None:
        self.sink.report(C.INVALID_VALUE, message, span, help=help)


def _shown_names(
    declarations: tuple[Declaration, ...],
) -> Iterator[tuple[str, str, TextValue | None, Span]]:
    """(kind, name, own label, name span) of the blueprint's named declarations and their
    promises, in declaration order; labels are never inherited."""
    for declaration in declarations:
        symbol = declaration.symbol
        if symbol.is_std or not symbol.name:
            continue
        yield symbol.kind, symbol.name, _label(declaration.fields), symbol.name_span
        for field in declaration.fields:
            new = field.first[0] if field.name == "promise" and field.first else None
            if isinstance(new, WordValue):
                yield "promise", new.word, _label(field.block or ()), new.span


def _label(fields: tuple[FieldValue, ...]) -> TextValue | None:
    for field in fields:
        if field.name == "label" and field.first and isinstance(field.first[0], TextValue):
            return field.first[0]
    return None


def _locale_help(text: str) -> str:
    if text.strip() != text and locales.identifier(text.strip()) is not None:
        return f'write it without spaces: "{text.strip()}"'
    examples = ", ".join(f"`{e}`" for e in locales.EXAMPLES)
    line = f"a locale is a language code, `_` and a territory code, such as {examples}"
    close = did_you_mean(text, locales.known())
    return f"{close} ({line})" if close else line


def check_program(program: Program, sink: DiagnosticSink) -> CheckedProgram:
    """Run every semantic check of :mod:`blueprintc.semantic` over a loaded program."""
    return Checker(program, sink).run()
