"""Renaming a declaration and every reference to it, in all files of the open blueprints.

The references are those of the index (the compiler's own resolution), gathered from the
analysis of the document and of every other open document, so a module's declaration is
renamed in the blueprint using it and in the other modules referring to it. Before an edit
is returned, the blueprints involved are compiled again with the edit applied and must
resolve every name as before (but for the new name): a name that would make some
reference find another declaration is refused, like a standard-library name, a keyword,
a field and a new name that is not a name or that a declaration of the same kind has.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from lsprotocol import types

from blueprintc.lsp.analysis import compile_document
from blueprintc.lsp.index import Index, Occurrence, SymbolKey, symbol_key
from blueprintc.lsp.positions import offset_at, span_range
from blueprintc.lsp.project import Analysis, Project
from blueprintc.semantic import schema
from blueprintc.semantic.check import MAX_NAME_LENGTH
from blueprintc.semantic.symbols import Symbol
from blueprintc.source import SourceFile, Span

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = frozenset((*schema.KEYWORDS, "because", "std", *schema.REFERABLE_KINDS))


class RenameRefused(Exception):
    """Why a rename cannot be done; the message is shown to the user."""


def _target(project: Project, uri: str, position: types.Position) -> tuple[Analysis, Occurrence]:
    """The analysis and the declared or referring name at ``position``."""
    found = project.analysis_for(uri)
    index = found[0].index if found is not None else None
    if found is None or index is None:
        raise RenameRefused("this document is not compiled yet; try again in a moment")
    analysis, file = found
    entry = index.at(file, offset_at(file, position, project.encoding))
    if not isinstance(entry, Occurrence) or not entry.symbol.name:
        raise RenameRefused("only the name of a declaration, or a reference to one, is renamed")
    if entry.symbol.is_std:
        raise RenameRefused(
            f"`{entry.symbol.name}` belongs to the standard library, which cannot be changed; "
            "declare your own with `extends` and rename that"
        )
    return analysis, entry


def _name_span(span: Span, symbol: Symbol) -> Span:
    """The declared name within a reference (``ivr`` of ``channel.ivr``)."""
    return Span(span.file, span.end - len(symbol.name), span.end)


def prepare_rename(
    project: Project, uri: str, position: types.Position
) -> types.PrepareRenamePlaceholder | None:
    """The name to rename at ``position`` and its range; None where nothing is renamable."""
    try:
        _, entry = _target(project, uri, position)
    except RenameRefused:
        found = project.analysis_for(uri)
        index = found[0].index if found is not None else None
        if found is None or index is None:
            return None
        there = index.at(found[1], offset_at(found[1], position, project.encoding))
        if isinstance(there, Occurrence) and there.symbol.is_std:
            raise
        return None
    span = _name_span(entry.span, entry.symbol)
    return types.PrepareRenamePlaceholder(
        range=span_range(span, project.encoding), placeholder=entry.symbol.name
    )


def rename(
    project: Project, uri: str, position: types.Position, new_name: str
) -> types.WorkspaceEdit:
    """Every occurrence of the symbol at ``position`` renamed to ``new_name``."""
    analysis, entry = _target(project, uri, position)
    symbol = entry.symbol
    _check_name(new_name, symbol, analysis)
    if new_name == symbol.name:
        return types.WorkspaceEdit(changes={})
    key = symbol_key(symbol)
    analyses = _analyses(project, analysis)
    spans = _occurrences(analyses, key, symbol)
    _check_resolution(project, analyses, spans, key, new_name)
    changes: dict[str, list[types.TextEdit]] = {}
    for span in spans.values():
        edit = types.TextEdit(span_range(span, project.encoding), new_name)
        changes.setdefault(project.uri_of(span.file), []).append(edit)
    for edits in changes.values():
        edits.sort(key=lambda e: (e.range.start.line, e.range.start.character))
    return types.WorkspaceEdit(changes=changes)


def _check_name(new_name: str, symbol: Symbol, analysis: Analysis) -> None:
    if not _NAME.fullmatch(new_name):
        raise RenameRefused(
            f"`{new_name}` is not a name: a name is letters, digits and `_`, "
            "starting with a letter or `_`"
        )
    if new_name in _RESERVED:
        raise RenameRefused(f"`{new_name}` is a keyword of the language, not a free name")
    if len(new_name) > MAX_NAME_LENGTH:
        raise RenameRefused(f"a name has at most {MAX_NAME_LENGTH} characters")
    checked = analysis.checked
    other = checked.symbols.get(symbol.kind, new_name) if checked is not None else None
    if other is not None and other is not symbol:
        where = other.name_span
        line = where.file.line_col(where.start)[0]
        raise RenameRefused(
            f"a {symbol.kind} named `{new_name}` already exists ({where.file.path}, line {line})"
        )


def _analyses(project: Project, first: Analysis) -> list[Analysis]:
    """The analysis of the document, then those of the other open documents (current ones)."""
    out = [first]
    for uri in sorted(project.documents):
        analysis = project.latest(uri)
        if analysis is not None and analysis not in out and project.is_current(analysis):
            out.append(analysis)
    return out


def _file_key(file: SourceFile) -> str:
    return str(file.real_path) if file.real_path is not None else file.path


def _occurrences(
    analyses: list[Analysis], key: SymbolKey, symbol: Symbol
) -> dict[tuple[str, int], Span]:
    """The spans to replace, by file and offset (each file's first analysis wins)."""
    spans: dict[tuple[str, int], Span] = {}
    owner: dict[str, SourceFile] = {}
    for analysis in analyses:
        index = analysis.index
        for occurrence in index.by_symbol.get(key, []) if index is not None else []:
            span = _name_span(occurrence.span, symbol)
            file_key = _file_key(span.file)
            if owner.setdefault(file_key, span.file) is not span.file:
                continue
            if span.text == symbol.name:
                spans[(file_key, span.start)] = span
    return spans


def _counts(index: Index | None, names: tuple[str, str]) -> Counter[SymbolKey]:
    if index is None:
        return Counter()
    return Counter({key: len(found) for key, found in index.by_symbol.items() if key[1] in names})


def _check_resolution(
    project: Project,
    analyses: list[Analysis],
    spans: dict[tuple[str, int], Span],
    key: SymbolKey,
    new_name: str,
) -> None:
    """Compile the blueprints again with the edit: every name must resolve as before."""
    edited = dict(_edited_texts(spans, new_name))
    renamed = (key[0], new_name, key[2])
    names = (key[1], new_name)
    overlay = {d.path: d.text for d in project.documents.values() if d.path is not None}
    overlay.update({f.real_path: text for f, text in edited.items() if f.real_path is not None})
    by_key = {_file_key(f): text for f, text in edited.items()}
    for analysis in analyses:
        program = analysis.compilation.program
        if program is None:
            continue
        entry = program.entry.source
        compilation, checked = compile_document(
            by_key.get(_file_key(entry), entry.text),
            name=entry.path,
            real_path=entry.real_path,
            root=program.root,
            until="check",
            overlay=overlay,
        )
        if compilation.program is None:
            continue
        before = _counts(analysis.index, names)
        before[renamed] += before.pop(key, 0)
        after = _counts(Index(compilation.program, checked), names)
        if +before != +after:
            raise RenameRefused(
                f"renaming `{key[1]}` to `{new_name}` would change what some names refer "
                f"to: another declaration is named `{new_name}`"
            )


def _edited_texts(
    spans: dict[tuple[str, int], Span], new_name: str
) -> Iterator[tuple[SourceFile, str]]:
    """Each file's text with the new name in place of the old one."""
    by_file: dict[str, list[Span]] = {}
    for (file_key, _), span in spans.items():
        by_file.setdefault(file_key, []).append(span)
    for file_spans in by_file.values():
        text = file_spans[0].file.text
        for span in sorted(file_spans, key=lambda s: s.start, reverse=True):
            text = text[: span.start] + new_name + text[span.end :]
        yield file_spans[0].file, text


__all__ = ["RenameRefused", "prepare_rename", "rename"]
