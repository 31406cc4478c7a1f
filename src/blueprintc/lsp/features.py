"""The editor features over a :class:`~blueprintc.lsp.project.Project`, in protocol types.

Each function answers one request for an open document; the server only passes them
the request's parameters. Positions are converted with the encoding the project was
set up with (UTF-16 unless the client asked otherwise).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import cache
from typing import Any

from lsprotocol import types

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.lsp.analysis import normalize
from blueprintc.lsp.context import BlockSpot, block_at, cursor_at, flat_slots, value_index
from blueprintc.lsp.index import (
    FigureAt,
    Keyword,
    ModuleLink,
    Occurrence,
    QuantityAt,
    symbol_key,
)
from blueprintc.lsp.positions import offset_at, offset_range, position_at, span_range
from blueprintc.lsp.project import Analysis, Project
from blueprintc.outcome import FTE_LABEL
from blueprintc.semantic import schema
from blueprintc.semantic import slots as S
from blueprintc.semantic.check import Declaration
from blueprintc.semantic.figures import BY_NAME, FIGURES, Figure
from blueprintc.semantic.modules import STD_PREFIX, std_modules
from blueprintc.semantic.symbols import Symbol
from blueprintc.semantic.units import UnitError, describe_dims, interpret
from blueprintc.semantic.values import FieldValue, QuantityValue
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse

MARKDOWN = types.MarkupKind.Markdown


def _markdown(text: str) -> types.MarkupContent:
    return types.MarkupContent(kind=MARKDOWN, value=text)


def _located(project: Project, uri: str, position: types.Position) -> tuple[Analysis, Any] | None:
    """The analysis for a document and the index entry at a position."""
    found = project.analysis_for(uri)
    if found is None:
        return None
    analysis, file = found
    index = analysis.index
    if index is None:
        return None
    return analysis, index.at(file, offset_at(file, position, project.encoding))


# -- hover --------------------------------------------------------------------------------


def hover(project: Project, uri: str, position: types.Position) -> types.Hover | None:
    """What the name, quantity or keyword at ``position`` is."""
    located = _located(project, uri, position)
    if located is None or located[1] is None:
        return None
    analysis, entry = located
    if isinstance(entry, Occurrence):
        text = symbol_hover(entry.symbol, analysis)
    elif isinstance(entry, QuantityAt):
        text = quantity_hover(entry.quantity, analysis)
    elif isinstance(entry, Keyword):
        text = keyword_hover(entry)
    elif isinstance(entry, FigureAt):
        text = figure_doc(entry.figure)
    elif isinstance(entry, ModuleLink):
        text = f"module `{entry.module.source.path}`"
    else:
        return None
    return types.Hover(_markdown(text), span_range(entry.span, project.encoding))


def _layer(kind: str) -> str:
    spec = schema.DECLARATIONS.get(kind) or schema.DECLARATIONS.get(
        schema.SUB_DECLARATIONS.get(kind, "")
    )
    return spec.layer if spec is not None else ""


def symbol_hover(symbol: Symbol, analysis: Analysis) -> str:
    """Kind, name, layer, the declaration's first line, its values in canonical units."""
    statement = symbol.statement
    file = statement.span.file
    first_line = file.line_text(statement.span.line).strip()
    layer = _layer(symbol.kind)
    title = f"**{symbol.kind}** `{symbol.name}`" + (f" · {layer} layer" if layer else "")
    parts = [title, f"```cxb\n{first_line}\n```"]
    where = f"declared in `{file.path}`, line {statement.span.line}"
    if symbol.parent is not None:
        where += f", in {symbol.parent.kind} `{symbol.parent.name}`"
    parts.append(where)
    declaration = _declaration(symbol, analysis)
    if declaration is not None:
        description = _description(declaration.fields)
        if description:
            parts.append(description)
        values = _canonical_values(declaration.fields, analysis)
        if values:
            parts.append("Values (canonical units):\n" + "\n".join(values))
    figures = _figures(symbol, analysis)
    if figures:
        parts.append(figures)
    return "\n\n".join(parts)


def _declaration(symbol: Symbol, analysis: Analysis) -> Declaration | None:
    checked = analysis.checked
    if checked is None:
        return None
    return next((d for d in checked.declarations if d.symbol is symbol), None)


def _description(fields: Iterable[FieldValue]) -> str | None:
    for field in fields:
        if field.name == "description" and field.first:
            value = field.first[0]
            text = getattr(value, "text", None)
            if isinstance(text, str):
                return text
    return None


def _canonical_values(
    fields: Iterable[FieldValue], analysis: Analysis, limit: int = 12
) -> list[str]:
    currency = analysis.checked.currency if analysis.checked is not None else None
    lines = []
    for field in fields:
        for arg in field.args:
            for value in arg:
                if isinstance(value, QuantityValue):
                    shown = canonical(value.value, value.dims, value.percent, currency)
                    lines.append(f"- `{field.name}` {value.written} = {shown}")
        if field.block:
            lines.extend(_canonical_values(field.block, analysis, limit))
    return lines[:limit]


def _figures(symbol: Symbol, analysis: Analysis) -> str | None:
    """Sizing figures of a channel or a site, read from the compilation's outcome."""
    outcome = analysis.compilation.outcome
    if outcome is None:
        return None
    site = outcome.site(symbol.name) if symbol.kind == "site" else None
    if site is not None:
        return f"Sized: **{site.needed}** seats at the peak"
    if symbol.kind != "channel":
        return None
    lines = []
    for outbound in (False, True):
        queue = outcome.queue(symbol.name, outbound)
        if queue is None:
            continue
        agents = int(queue.peak_agents.max(initial=0))
        what = "outbound" if outbound else "inbound"
        lines.append(
            f"- {what}: peak **{agents}** agents logged in, **{queue.fte_peak:,.1f}** "
            f"{FTE_LABEL} in its busiest month ({outcome.month(queue.fte_peak_month)}, "
            f"month {queue.fte_peak_month + 1} of {len(outcome.months)})"
        )
    if not lines:
        return None
    return "Sized:\n" + "\n".join(lines)


_CANONICAL_UNITS = {"time": "s", "area": "sqft"}


def canonical(
    value: Fraction, dims: Sequence[tuple[str, int]], percent: bool, currency: str | None
) -> str:
    """A value in canonical units: ``270 s``, ``0.33 (33%)``, ``1,100,000 USD``."""
    if percent and not dims:
        return f"**{_number(value)}** ({_number(value * 100)}%)"
    top = [(base, exp) for base, exp in dims if exp > 0]
    bottom = [(base, -exp) for base, exp in dims if exp < 0]

    def name(base: str, exp: int) -> str:
        word = (currency or "money") if base == "money" else _CANONICAL_UNITS.get(base, base)
        return word if exp == 1 else f"{word}^{exp}"

    unit = " ".join(name(b, e) for b, e in top) + "".join(f"/{name(b, e)}" for b, e in bottom)
    return f"**{_number(value)}** {unit}".rstrip()


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.6g}" if abs(value) >= 1 else f"{float(value):.6g}"


def quantity_hover(quantity: ast.Quantity, analysis: Analysis) -> str:
    """A written quantity and its canonical value: ``4.5 min`` = 270 s."""
    unit = quantity.unit
    written = quantity.span.text
    if unit is None:
        return f"`{written}` = **{_number(Fraction(quantity.value))}** (a plain number)"
    exchange = dict(analysis.checked.exchange) if analysis.checked is not None else {}
    info = interpret(unit.numerator, unit.per, exchange)
    if isinstance(info, UnitError):
        return f"`{written}`: {info.message}"
    value = Fraction(quantity.value) * info.factor
    shown = canonical(value, info.dims, info.percent, info.currency or _currency(analysis))
    return f"`{written}` = {shown}\n\n{describe_dims(info.dims, info.percent)}"


def _currency(analysis: Analysis) -> str | None:
    return analysis.checked.currency if analysis.checked is not None else None


def _slot_text(slot: S.Slot) -> str:
    if isinstance(slot, S.Qty):
        return f"{slot.what} such as `{slot.example}`"
    if isinstance(slot, S.Literal):
        return f"`{slot.word}`"
    if isinstance(slot, S.Optional):
        return "optionally " + " ".join(_slot_text(s) for s in slot.slots)
    return slot.what


def keyword_hover(entry: Keyword) -> str:
    """The schema's documentation of a declaration keyword or a field."""
    if entry.decl is not None:
        spec = entry.decl
        return f"**{spec.kind}** · {spec.layer} layer\n\n{spec.doc}\n\n```cxb\n{spec.example}\n```"
    assert entry.field is not None
    return field_doc(entry.field, entry.owner)


def figure_doc(figure: Figure) -> str:
    """What an ``assert`` figure is, from the registry of figures."""
    forms = ", ".join(f"`{form}`" for form in figure.forms)
    head = f"**{figure.name}** · figure of `assert` · {figure.layer.value} layer"
    unit = f"Written {forms}. Value: {figure.unit.described}; computed by {figure.stage.value}."
    return "\n\n".join([head, figure.definition, unit, figure.summary])


def field_doc(field: schema.FieldSpec, owner: str) -> str:
    notes = []
    if field.required:
        notes.append("required")
    if field.repeat:
        notes.append("may be repeated")
    if field.many:
        notes.append("takes a comma-separated list")
    head = f"**{field.name}** · field of `{owner}`" + (f" ({', '.join(notes)})" if notes else "")
    parts = [head, field.doc]
    if field.pattern:
        parts.append("Value: " + ", then ".join(_slot_text(s) for s in field.pattern))
    elif field.block is not None:
        parts.append("Takes a block `{ ... }`.")
    if field.example:
        parts.append(f"```cxb\n{field.example}\n```")
    return "\n\n".join(parts)


# -- navigation ---------------------------------------------------------------------------


def definition(project: Project, uri: str, position: types.Position) -> list[types.Location]:
    """Where the name at ``position`` is declared, or the file a ``use`` loads."""
    located = _located(project, uri, position)
    if located is None:
        return []
    entry = located[1]
    if isinstance(entry, Occurrence):
        span = entry.symbol.name_span
        return [types.Location(project.uri_of(span.file), span_range(span, project.encoding))]
    if isinstance(entry, ModuleLink):
        start = types.Position(0, 0)
        return [types.Location(project.uri_of(entry.module.source), types.Range(start, start))]
    return []


def references(
    project: Project, uri: str, position: types.Position, include_declaration: bool = True
) -> list[types.Location]:
    """Every name that refers to the symbol at ``position``, in all open documents' programs."""
    located = _located(project, uri, position)
    if located is None or not isinstance(located[1], Occurrence):
        return []
    key = symbol_key(located[1].symbol)
    seen: set[tuple[str, int, int]] = set()
    out = []
    analyses = [a for u in project.documents if (a := project.latest(u)) is not None]
    for analysis in analyses:
        index = analysis.index if project.is_current(analysis) else None
        if index is None:
            continue
        for occurrence in index.by_symbol.get(key, []):
            if occurrence.declaration and not include_declaration:
                continue
            target = project.uri_of(occurrence.span.file)
            ident = (target, occurrence.span.start, occurrence.span.end)
            if ident not in seen:
                seen.add(ident)
                out.append(types.Location(target, span_range(occurrence.span, project.encoding)))
    out.sort(key=lambda loc: (loc.uri, loc.range.start.line, loc.range.start.character))
    return out


# -- outline ------------------------------------------------------------------------------

_SYMBOL_KINDS = {
    "blueprint": types.SymbolKind.File,
    "brand": types.SymbolKind.Class,
    "segment": types.SymbolKind.Enum,
    "service": types.SymbolKind.Interface,
    "process": types.SymbolKind.Function,
    "outbound": types.SymbolKind.Function,
    "channel": types.SymbolKind.Event,
    "pattern": types.SymbolKind.Array,
    "site": types.SymbolKind.Package,
    "staffing": types.SymbolKind.Struct,
    "budget": types.SymbolKind.Number,
    "component": types.SymbolKind.Module,
    "phase": types.SymbolKind.Event,
    "requirement": types.SymbolKind.Key,
    "criterion": types.SymbolKind.Property,
    "vendor": types.SymbolKind.Object,
    "practice": types.SymbolKind.Method,
    "maturity": types.SymbolKind.Number,
    "system": types.SymbolKind.Module,
    "baseline": types.SymbolKind.Struct,
    "benefit": types.SymbolKind.Number,
    "risk": types.SymbolKind.Event,
}


def document_symbols(project: Project, uri: str) -> list[types.DocumentSymbol]:
    """The outline: one group per layer, its declarations (and their promises, values...)."""
    document = project.documents.get(uri)
    if document is None:
        return []
    found = project.analysis_for(uri)
    program = found[0].compilation.program if found is not None else None
    if found is not None and program is not None:
        file = found[1]
        statements = next(m.module.statements for m in program.modules if m.source is file)
    else:  # the last analysis is of another text: parse this one (what changed, only)
        file = SourceFile(uri, normalize(document.text))
        with project.parses.active():
            statements = parse(file, DiagnosticSink()).statements
    encoding = project.encoding
    groups: dict[str, list[types.DocumentSymbol]] = {}
    spans: dict[str, list[Span]] = {}
    for node in statements:
        if not isinstance(node, ast.Statement) or node.keyword not in schema.DECLARATIONS:
            continue
        spec = schema.DECLARATIONS[node.keyword]
        symbol = _outline_symbol(node, spec, encoding)
        groups.setdefault(spec.layer, []).append(symbol)
        spans.setdefault(spec.layer, []).append(node.span)
    out = []
    for layer in schema.LAYERS:
        if layer not in groups:
            continue
        cover = spans[layer][0]
        for span in spans[layer][1:]:
            cover = cover.cover(span)
        out.append(
            types.DocumentSymbol(
                name=layer,
                detail="layer",
                kind=types.SymbolKind.Namespace,
                range=span_range(cover, encoding),
                selection_range=span_range(Span(cover.file, cover.start, cover.start), encoding),
                children=groups[layer],
            )
        )
    return out


def _outline_symbol(
    node: ast.Statement, spec: schema.DeclSpec, encoding: str
) -> types.DocumentSymbol:
    atoms = [a for arg in node.args for a in arg.atoms]
    first = atoms[0] if atoms else None
    if isinstance(first, ast.Name):
        name, selection = first.text, first.span
    elif isinstance(first, ast.Text):
        name, selection = first.value, first.span
    else:
        name, selection = spec.kind, node.keyword_span
    children = []
    for member in node.block.statements if node.block is not None else ():
        if not isinstance(member, ast.Statement):
            continue
        field = spec.block.field(member.keyword)
        if field is None or not field.pattern or not isinstance(field.pattern[0], S.NewName):
            continue
        member_atoms = member.args[0].atoms if member.args else ()
        if member_atoms and isinstance(member_atoms[0], ast.Name):
            children.append(
                types.DocumentSymbol(
                    name=member_atoms[0].text,
                    detail=member.keyword,
                    kind=types.SymbolKind.EnumMember,
                    range=span_range(member.span, encoding),
                    selection_range=span_range(member_atoms[0].span, encoding),
                )
            )
    return types.DocumentSymbol(
        name=name,
        detail=spec.kind,
        kind=_SYMBOL_KINDS.get(spec.kind, types.SymbolKind.Object),
        range=span_range(node.span, encoding),
        selection_range=span_range(selection, encoding),
        children=children or None,
    )


# -- completion ---------------------------------------------------------------------------


@cache
def std_declarations() -> tuple[tuple[str, str, str], ...]:
    """(kind, ``std.<name>``, ``std/<module>``) of every standard-library declaration."""
    out = []
    for module, path in std_modules().items():
        source = SourceFile(str(path), path.read_text(encoding="utf-8"))
        for node in parse(source, DiagnosticSink()).statements:
            if isinstance(node, ast.Statement) and node.keyword in schema.DECLARATIONS:
                atoms = node.args[0].atoms if node.args else ()
                if atoms and isinstance(atoms[0], ast.Name):
                    out.append((node.keyword, f"std.{atoms[0].text}", f"std/{module}"))
    return tuple(out)


def completion(project: Project, uri: str, position: types.Position) -> types.CompletionList:
    """Keywords, fields, names and words that fit where the cursor is."""
    document = project.documents.get(uri)
    if document is None:
        return types.CompletionList(is_incomplete=False, items=[])
    file = SourceFile(uri, normalize(document.text))
    offset = offset_at(file, position, project.encoding)
    cursor = cursor_at(file.text, offset)
    if cursor.in_text_or_comment:
        return types.CompletionList(is_incomplete=False, items=[])
    replace = offset_range(file, cursor.prefix_start, offset, project.encoding)
    analysis = project.any_analysis_for(uri)
    spot = block_at(cursor.blocks)
    candidates: list[types.CompletionItem] = []
    if cursor.at_statement_start:
        if spot.top_level:
            candidates = _declaration_keywords()
        elif spot.spec is not None and spot.spec.map is not None:
            candidates = _names(spot.spec.map.key.kinds, analysis, file)
        elif spot.spec is not None:
            candidates = _fields(spot.spec, spot.owner)
    else:
        candidates = _values(cursor.statement, cursor.keyword, spot, analysis, file)
    items = []
    for item in candidates:
        item.text_edit = types.TextEdit(replace, item.insert_text or item.label)
        item.insert_text = None
        items.append(item)
    return types.CompletionList(is_incomplete=False, items=items)


def _declaration_keywords() -> list[types.CompletionItem]:
    items = [
        types.CompletionItem(
            label=spec.kind,
            kind=types.CompletionItemKind.Keyword,
            detail=f"{spec.layer} layer",
            documentation=_markdown(f"{spec.doc}\n\n```cxb\n{spec.example}\n```"),
        )
        for spec in schema.DECLARATIONS.values()
    ]
    items.append(
        types.CompletionItem(
            label="use",
            kind=types.CompletionItemKind.Keyword,
            detail="load a module",
            documentation=_markdown('`use std/channels` or `use "./other.cxb"`'),
        )
    )
    items.append(
        types.CompletionItem(
            label="assert",
            kind=types.CompletionItemKind.Keyword,
            detail="a constraint over computed figures",
            documentation=_markdown("```cxb\nassert occupancy(voice) <= 85%\n```"),
        )
    )
    return items


def _fields(spec: schema.BlockSpec, owner: str) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=field.name,
            kind=types.CompletionItemKind.Field,
            detail=field.example,
            documentation=_markdown(field_doc(field, owner)),
            sort_text=("0" if field.required else "1") + field.name,
        )
        for field in spec.fields
    ]


def _names(
    kinds: Iterable[str], analysis: Analysis | None, file: SourceFile
) -> list[types.CompletionItem]:
    """Declared names of the given kinds, then standard-library ones."""
    kinds = tuple(kinds)
    items: dict[str, types.CompletionItem] = {}
    checked = analysis.checked if analysis is not None else None
    if checked is not None:
        for kind in kinds:
            for symbol in checked.symbols.of_kind(kind):
                items.setdefault(
                    symbol.name,
                    types.CompletionItem(
                        label=symbol.name,
                        kind=types.CompletionItemKind.Reference,
                        detail=symbol.kind,
                        documentation=_markdown(f"```cxb\n{_first_line(symbol)}\n```"),
                        sort_text=("1" if symbol.is_std else "0") + symbol.name,
                    ),
                )
    for kind, name, module in std_declarations():
        if kind in kinds and name not in items:
            edit = use_edit(file, module)
            items[name] = types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Reference,
                detail=f"{kind} from {module}",
                sort_text="2" + name,
                additional_text_edits=[edit] if edit is not None else None,
            )
    return list(items.values())


def _first_line(symbol: Symbol) -> str:
    span = symbol.statement.span
    return span.file.line_text(span.line).strip()


def _words(words: Iterable[str], kind: types.CompletionItemKind, detail: str) -> list[Any]:
    return [types.CompletionItem(label=w, kind=kind, detail=detail) for w in words]


def _values(
    statement: str,
    keyword: str | None,
    spot: BlockSpot,
    analysis: Analysis | None,
    file: SourceFile,
) -> list[types.CompletionItem]:
    """Candidates for the value being typed after a keyword."""
    if keyword is None:
        return []
    if spot.top_level:
        return _top_level_values(statement, keyword, analysis, file)
    spec = spot.spec
    field = spec.field(keyword) if spec is not None and spec.map is None else None
    where = value_index(statement)
    if field is None or where is None:
        return []
    slots = flat_slots(field.pattern)
    if (where[0] > 0 and not field.many) or where[1] >= len(slots):
        return []
    return _slot_candidates(slots[where[1]], analysis, file)


def _slot_candidates(
    slot: S.Slot, analysis: Analysis | None, file: SourceFile
) -> list[types.CompletionItem]:
    value = types.CompletionItemKind.EnumMember
    if isinstance(slot, S.Ref):
        return _names(slot.kinds, analysis, file)
    if isinstance(slot, S.Choice):
        return _words(slot.choices, value, slot.what)
    if isinstance(slot, S.Literal):
        return _words([slot.word], types.CompletionItemKind.Keyword, "")
    if isinstance(slot, S.Days):
        days = [*S.DAY_NAMES, "daily", "mon..fri", "sat..sun"]
        return _words(days, value, slot.what)
    if isinstance(slot, S.Month):
        return _words(S.MONTH_NAMES, value, slot.what)
    if isinstance(slot, S.Currency) and analysis is not None and analysis.checked is not None:
        return _words(sorted(analysis.checked.exchange), value, slot.what)
    if isinstance(slot, S.Qty):
        return [
            types.CompletionItem(
                label=slot.example, kind=types.CompletionItemKind.Value, detail=slot.what
            )
        ]
    return []


def _top_level_values(
    statement: str, keyword: str, analysis: Analysis | None, file: SourceFile
) -> list[types.CompletionItem]:
    if keyword == "use":
        return [
            types.CompletionItem(
                label=f"{STD_PREFIX}{name}", kind=types.CompletionItemKind.Module, detail=str(path)
            )
            for name, path in std_modules().items()
        ]
    if keyword == "assert":
        call = _OPEN_CALL.search(statement)
        figure = BY_NAME.get(call.group(1)) if call is not None else None
        if call is not None and figure is not None:
            return _figure_arguments(figure, call.group(2), analysis, file)
        functions = [
            types.CompletionItem(
                label=figure.name,
                kind=types.CompletionItemKind.Function,
                documentation=_markdown(figure.summary),
            )
            for figure in FIGURES
        ]
        return functions + _names(schema.REFERABLE_KINDS, analysis, file)
    spec = schema.DECLARATIONS.get(keyword)
    where = value_index(statement)
    if spec is None or where is None or where[0] != 0:
        return []
    if where[1] == 1 and spec.extendable:
        return _words(["extends"], types.CompletionItemKind.Keyword, "")
    if where[1] == 2 and spec.extendable and statement.split()[2:3] == ["extends"]:
        return _names((spec.kind,), analysis, file)
    return []


_OPEN_CALL = re.compile(r"(\w+)\(([^()]*)$")
"""A figure's call the cursor is inside of: its name and what is written of its argument."""


def _figure_arguments(
    figure: Figure, written: str, analysis: Analysis | None, file: SourceFile
) -> list[types.CompletionItem]:
    """What the argument of ``figure`` can be, after ``written``: names and words."""
    kinds = () if written.strip() else tuple(filter(None, [figure.argument.declares]))
    words = _words(figure.argument.words(written), types.CompletionItemKind.Keyword, "")
    return _names(kinds, analysis, file) + words


# -- code actions -------------------------------------------------------------------------

_ADD_USE = re.compile(r"add `use (std/\w+)`")
_USE_LINE = re.compile(r"^[ \t]*use[ \t]+\S.*$", re.M)


def use_edit(file: SourceFile, module: str) -> types.TextEdit | None:
    """The edit adding ``use <module>`` after the file's last ``use`` (None if present)."""
    lines = list(_USE_LINE.finditer(file.text))
    if any(m.group().split()[1] == module for m in lines):
        return None
    at = lines[-1].end() + 1 if lines else 0
    at = min(at, len(file.text))
    prefix = "" if at == 0 or file.text[at - 1] == "\n" else "\n"
    position = position_at(file, at)
    return types.TextEdit(types.Range(position, position), f"{prefix}use {module}\n")


def code_actions(
    project: Project, uri: str, diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    """Quick fixes: apply a "did you mean" suggestion, or add a missing ``use std/...``."""
    document = project.documents.get(uri)
    if document is None:
        return []
    stored = project.stored_diagnostics(uri)
    actions = []
    for diagnostic in diagnostics:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else None
        if data is None:
            data = next(
                (
                    s.data
                    for s in stored
                    if s.range == diagnostic.range
                    and s.code == diagnostic.code
                    and isinstance(s.data, dict)
                ),
                None,
            )
        fixes = data.get("fixes", []) if data else []
        fixes = fixes if isinstance(fixes, list) else []
        for fix in fixes:
            action = _fix_action(uri, diagnostic, fix, preferred=len(fixes) == 1)
            if action is not None:
                actions.append(action)
        match = _ADD_USE.search(diagnostic.message)
        if match is not None:
            file = SourceFile(uri, normalize(document.text))
            edit = use_edit(file, match.group(1))
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Add `use {match.group(1)}`",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=True,
                        edit=types.WorkspaceEdit(changes={uri: [edit]}),
                    )
                )
    return actions


def _fix_action(
    uri: str, diagnostic: types.Diagnostic, fix: Any, preferred: bool
) -> types.CodeAction | None:
    """The quick fix a diagnostic's data describes (None if the client sent it back mangled)."""
    try:
        start, end = fix["range"]["start"], fix["range"]["end"]
        fix_range = types.Range(
            types.Position(int(start["line"]), int(start["character"])),
            types.Position(int(end["line"]), int(end["character"])),
        )
        title, new_text = str(fix["title"]), str(fix["newText"])
    except (KeyError, TypeError, ValueError):
        return None
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(fix_range, new_text)]}),
    )


# -- formatting ---------------------------------------------------------------------------


def formatting(project: Project, uri: str) -> list[types.TextEdit]:
    """The formatter's output as one edit of the whole document; none if unchanged or absent."""
    document = project.documents.get(uri)
    if document is None:
        return []
    try:
        fmt = importlib.import_module("blueprintc.fmt")
    except ImportError:
        return []
    path = str(document.path) if document.path is not None else uri
    result = fmt.format_text(document.text, path)
    if not result.ok or not result.changed or result.text == document.text:
        return []
    file = SourceFile(uri, document.text)
    return [types.TextEdit(offset_range(file, 0, len(file.text), project.encoding), result.text)]
