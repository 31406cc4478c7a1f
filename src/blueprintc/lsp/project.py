"""The open documents, their latest analyses, and which diagnostics to publish where.

Every open document is compiled as an entry file; one without a ``blueprint`` block (a
module) through the blueprint that uses it, found on disk as the command line finds it
(its diagnostics are those located in the module). A document that another open document
``use``s is *covered* by it: its diagnostics (and its hover, definitions, ...) come from
the compilation of the document that uses it, where its names resolve in context, and
not from compiling it alone (a module has no ``blueprint`` block of its own). A change
to a document recompiles it and every open document whose last compilation read it.

Nothing here is asynchronous: :meth:`Project.prepare` captures what a compilation needs
(so it can run in a worker thread), :meth:`Project.store` keeps its result if no input
changed meanwhile, and :meth:`Project.publish` says which files' diagnostics changed.
Compilations parse through the project's :class:`~blueprintc.syntax.incremental.ParseMemo`,
so after an edit inside one declaration only that declaration is parsed again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
from lsprotocol import types

from blueprintc.driver import Compilation
from blueprintc.lsp.analysis import compile_document, normalize, to_lsp_diagnostic
from blueprintc.lsp.index import Index
from blueprintc.lsp.positions import UTF16, path_to_uri, uri_to_path
from blueprintc.resources import resource_dir
from blueprintc.semantic.check import CheckedProgram
from blueprintc.semantic.modules import display_path
from blueprintc.source import SourceFile
from blueprintc.syntax.incremental import ParseMemo


@attrs.define
class Document:
    """An open document: its text and a counter of its changes (the client's version aside)."""

    uri: str
    text: str
    version: int | None = None
    generation: int = 0
    path: Path | None = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        path = uri_to_path(self.uri)
        self.path = path.resolve() if path is not None else None


class Analysis:
    """One document compiled as the entry file, and what the editor's features need of it."""

    def __init__(
        self,
        uri: str,
        compilation: Compilation,
        checked: CheckedProgram | None,
        until: str,
        stamp: dict[str, int],
    ) -> None:
        self.uri = uri
        self.compilation = compilation
        self.checked = checked
        self.until = until
        self.stamp = stamp  # generation of each open document when compiling started
        self._index: Index | None = None
        self.converted: tuple[object, dict[str, list[types.Diagnostic]]] | None = None
        self._files: dict[Path, SourceFile] = {}
        self.entry: SourceFile | None = None
        program = compilation.program
        if program is not None:
            self.entry = program.entry.source
            for module in program.modules:
                if module.source.real_path is not None:
                    self._files[module.source.real_path] = module.source

    @property
    def module_paths(self) -> set[Path]:
        """The files this compilation read, the entry included."""
        return set(self._files)

    @property
    def files(self) -> list[SourceFile]:
        program = self.compilation.program
        return [m.source for m in program.modules] if program is not None else []

    def file_of(self, document: Document) -> SourceFile | None:
        """This compilation's version of an open document, if it read the document."""
        if document.uri == self.uri and self.compilation.through is None:
            return self.entry
        return self._files.get(document.path) if document.path is not None else None

    @property
    def index(self) -> Index | None:
        """Names, quantities and keywords by position (built on first use)."""
        program = self.compilation.program
        if program is None:
            return None
        if self._index is None:
            self._index = Index(program, self.checked)
        return self._index


def _name(document: Document) -> str:
    """The name a document's file goes by in its compilation (and its diagnostics)."""
    return display_path(document.path) if document.path is not None else document.uri


def is_library(path: Path | None) -> bool:
    """Whether a file belongs to the standard library (read-only, never compiled alone)."""
    if path is None:
        return False
    try:
        return path.is_relative_to(resource_dir("stdlib").resolve())
    except FileNotFoundError:
        return False


class Project:
    """The editor's view of the blueprints: open documents and their analyses."""

    def __init__(self, encoding: str = UTF16) -> None:
        self.encoding = encoding
        self.documents: dict[str, Document] = {}
        self.analyses: dict[str, Analysis] = {}
        self.sized: dict[str, Analysis] = {}
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.parses = ParseMemo()  # the last clean parse of each file, to parse edits alone
        # Analyses replaced or dropped, kept until `release`: freeing one (hundreds of
        # thousands of objects on a large blueprint) waits until the diagnostics are out.
        self.retired: list[Analysis] = []

    # -- documents ------------------------------------------------------------------------

    def open(self, uri: str, text: str, version: int | None = None) -> None:
        self.documents[uri] = Document(uri, text, version)

    def change(self, uri: str, text: str, version: int | None = None) -> None:
        document = self.documents.get(uri)
        if document is None:
            self.open(uri, text, version)
            return
        document.text, document.version = text, version
        document.generation += 1
        for each in [uri, *self.users(uri)]:
            self._retire(self.sized.pop(each, None))

    def close(self, uri: str) -> None:
        document = self.documents.pop(uri, None)
        self.analyses.pop(uri, None)
        self.sized.pop(uri, None)
        if document is not None:
            self.parses.forget(_name(document), document.path)

    def by_path(self, path: Path) -> Document | None:
        for document in self.documents.values():
            if document.path == path:
                return document
        return None

    def uri_of(self, file: SourceFile) -> str:
        """The URI a file's diagnostics and locations go to (an open document's own URI)."""
        if file.real_path is None:
            return next((d.uri for d in self.documents.values() if d.uri == file.path), file.path)
        document = self.by_path(file.real_path)
        return document.uri if document is not None else path_to_uri(file.real_path)

    # -- who depends on whom --------------------------------------------------------------

    def users(self, uri: str) -> list[str]:
        """Open documents whose last compilation read the document ``uri``."""
        document = self.documents.get(uri)
        if document is None or document.path is None:
            return []
        return [
            other
            for other, analysis in self.analyses.items()
            if other != uri and other in self.documents and document.path in analysis.module_paths
        ]

    def affected(self, uri: str) -> list[str]:
        """The documents to compile again after ``uri`` changed: itself, then its users."""
        own = [uri] if uri in self.documents and self._compiles_alone(uri) else []
        return own + self.users(uri)

    def _compiles_alone(self, uri: str) -> bool:
        return not is_library(self.documents[uri].path)

    def covering(self, uri: str) -> str | None:
        """The open document whose compilation covers ``uri``, if another one does."""
        document = self.documents.get(uri)
        if document is None:
            return None
        own = self.analyses.get(uri)
        for other in sorted(self.users(uri)):
            other_path = self.documents[other].path
            cycle = (
                own is not None
                and own.compilation.through is None  # a module read its user: no cycle
                and other_path is not None
                and other_path in own.module_paths
            )
            if not cycle:
                return other
        return None

    # -- compiling ------------------------------------------------------------------------

    def prepare(self, uri: str, until: str = "validate") -> Callable[[], Analysis]:
        """A function compiling the document as it is now, safe to run in another thread."""
        document = self.documents[uri]
        text = document.text
        overlay = {d.path: d.text for d in self.documents.values() if d.path is not None}
        stamp = {u: d.generation for u, d in self.documents.items()}
        path = document.path
        name = _name(document)
        root = None  # the file's folder; a module's user is searched above it
        parses = self.parses

        def run() -> Analysis:
            with parses.active():
                compilation, checked = compile_document(
                    text, name=name, real_path=path, root=root, until=until, overlay=overlay
                )
            return Analysis(uri, compilation, checked, until, stamp)

        return run

    def is_current(self, analysis: Analysis) -> bool:
        """Whether nothing the analysis read has changed since it started."""
        if analysis.uri not in self.documents:
            return False
        paths = analysis.module_paths
        for uri, document in self.documents.items():
            read = uri == analysis.uri or (document.path is not None and document.path in paths)
            if read and analysis.stamp.get(uri) != document.generation:
                return False
        return True

    def store(self, analysis: Analysis) -> bool:
        """Keep an analysis if it is still current; returns whether it was kept."""
        if not self.is_current(analysis):
            return False
        kept = self.sized if analysis.until == "size" else self.analyses
        self._retire(kept.get(analysis.uri))
        kept[analysis.uri] = analysis
        return True

    def _retire(self, analysis: Analysis | None) -> None:
        if analysis is not None:
            self.retired.append(analysis)

    def release(self) -> None:
        """Free the analyses replaced since the last call (after publishing: it takes time)."""
        self.retired.clear()

    def refresh(self, uri: str, until: str = "validate") -> list[types.PublishDiagnosticsParams]:
        """Compile what ``uri`` affects, here and now, and return the diagnostics to send."""
        for each in self.affected(uri):
            self.store(self.prepare(each, until)())
        published = self.publish()
        self.release()
        return published

    def latest(self, uri: str) -> Analysis | None:
        """The most complete current analysis of ``uri`` as an entry file."""
        sized = self.sized.get(uri)
        if sized is not None and self.is_current(sized):
            return sized
        return self.analyses.get(uri)

    def analysis_for(self, uri: str) -> tuple[Analysis, SourceFile] | None:
        """The analysis to answer requests about ``uri``, and its version of the document.

        That of the covering document if any, else the document's own; only if it was
        made from the document's present text (positions would be wrong otherwise).
        """
        document = self.documents.get(uri)
        if document is None:
            return None
        candidates = [self.covering(uri), uri, *sorted(self.users(uri))]
        for candidate in candidates:
            analysis = self.latest(candidate) if candidate is not None else None
            file = analysis.file_of(document) if analysis is not None else None
            if analysis is not None and file is not None and file.text == normalize(document.text):
                return analysis, file
        return None

    def any_analysis_for(self, uri: str) -> Analysis | None:
        """Any analysis involving ``uri``, even of an older text (for names to complete)."""
        found = self.analysis_for(uri)
        if found is not None:
            return found[0]
        covering = self.covering(uri)
        return self.latest(covering) if covering else self.latest(uri)

    # -- diagnostics ----------------------------------------------------------------------

    def entries(self) -> list[str]:
        """Open documents compiled in their own right (not covered by another)."""
        return [
            uri
            for uri in sorted(self.documents)
            if self._compiles_alone(uri) and self.covering(uri) is None
        ]

    def diagnostics(self) -> dict[str, list[types.Diagnostic]]:
        """Every file's diagnostics, from the compilations of the entry documents."""
        result: dict[str, list[types.Diagnostic]] = {}
        seen: dict[str, set[tuple[object, ...]]] = {}
        for uri in self.entries():
            analysis = self.latest(uri)
            if analysis is None:
                continue
            for target, items in self._convert(analysis).items():
                bucket = result.setdefault(target, [])
                keys = seen.setdefault(target, set())
                for item in items:
                    start, end = item.range.start, item.range.end
                    key: tuple[object, ...] = (start.line, start.character, end.line)
                    key += (end.character, item.code, item.message)
                    if key not in keys:
                        keys.add(key)
                        bucket.append(item)
        return result

    def _convert(self, analysis: Analysis) -> dict[str, list[types.Diagnostic]]:
        """An analysis's diagnostics by URI (kept until the open documents change)."""
        signature = tuple(sorted((str(d.path), d.uri) for d in self.documents.values()))
        if analysis.converted is not None and analysis.converted[0] == signature:
            return analysis.converted[1]
        by_uri: dict[str, list[types.Diagnostic]] = {}
        for file in analysis.files:
            if not is_library(file.real_path):
                by_uri.setdefault(self.uri_of(file), [])
        fallback = analysis.entry or SourceFile(analysis.uri, "")
        by_uri.setdefault(analysis.uri, [])
        for diagnostic in analysis.compilation.diagnostics:
            file, converted = to_lsp_diagnostic(diagnostic, self.uri_of, fallback, self.encoding)
            target = analysis.uri if file is fallback else self.uri_of(file)
            by_uri.setdefault(target, []).append(converted)
        analysis.converted = (signature, by_uri)
        return by_uri

    def publish(self) -> list[types.PublishDiagnosticsParams]:
        """The diagnostics that changed since last published (files now clean get ``[]``)."""
        current = self.diagnostics()
        out = []
        for uri in sorted(set(current) | set(self.published)):
            items = current.get(uri, [])
            first_time = uri not in self.published and uri in self.documents
            if items != self.published.get(uri, []) or first_time:
                document = self.documents.get(uri)
                version = document.version if document is not None else None
                out.append(types.PublishDiagnosticsParams(uri, items, version))
            if items or uri in self.documents:
                self.published[uri] = items
            else:
                self.published.pop(uri, None)
        return out

    def stored_diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics last published for ``uri``."""
        return self.published.get(uri, [])
