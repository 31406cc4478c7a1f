"""Load a blueprint and every module it uses, each file read and parsed once.

``use std/<module>`` loads from the bundled standard library; ``use "./file.cxb"`` loads
relative to the using file and must stay inside the project root. Import cycles are
reported with the whole circle.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.suggest import did_you_mean
from blueprintc.resources import resource_dir
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse

STD_PREFIX = "std/"


@attrs.frozen
class Use:
    """One resolved ``use`` statement: the key of the module it loads."""

    target: str
    span: Span


@attrs.frozen
class LoadedModule:
    """A parsed file and what it uses. ``key`` is ``std/<name>`` or the file's real path."""

    key: str
    module: ast.Module
    is_std: bool
    uses: tuple[Use, ...]

    @property
    def source(self) -> SourceFile:
        return self.module.source


@attrs.frozen
class Program:
    """All modules of one compilation, in load order, the entry first."""

    entry: LoadedModule
    modules: tuple[LoadedModule, ...]
    root: Path | None

    def module(self, key: str) -> LoadedModule:
        return next(m for m in self.modules if m.key == key)


def display_path(path: Path) -> str:
    """A path as users see it in messages: relative to the working directory when inside it."""
    cwd = Path.cwd().resolve()
    resolved = path.resolve()
    return os.path.relpath(resolved, cwd) if resolved.is_relative_to(cwd) else str(resolved)


def decode(data: bytes, path: str, real: Path | None, sink: DiagnosticSink) -> SourceFile:
    """Decode UTF-8 (a leading BOM is dropped); invalid bytes are reported where they are."""
    try:
        return SourceFile(path, data.decode("utf-8-sig"), real)
    except UnicodeDecodeError as error:
        valid = data[: error.start].decode("utf-8-sig", errors="replace")
        source = SourceFile(path, data.decode("utf-8-sig", errors="replace"), real, True)
        offset = len(valid)
        sink.report(
            C.NOT_UTF8,
            f"this file is not UTF-8 text (invalid byte 0x{data[error.start]:02x})",
            Span(source, offset, offset + 1),
        )
        return source


def read_source(
    path: Path, sink: DiagnosticSink, span: Span | None, shown: str | None = None
) -> SourceFile | None:
    """Read and decode a file, reporting a missing or unreadable file at ``span``.

    ``shown`` is the path printed in messages (standard-library files show as
    ``std/<module>.cxb`` wherever blueprintc is installed).
    """
    shown = shown or display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        sink.report(C.FILE_NOT_FOUND, f"no such file: `{shown}`", span)
        return None
    except OSError as error:
        reason = "it is a folder" if path.is_dir() else (error.strerror or "unreadable")
        sink.report(C.UNREADABLE, f"cannot read `{shown}`: {reason}", span)
        return None
    return decode(data, shown, path.resolve(), sink)


@cache
def std_modules() -> dict[str, Path]:
    """The standard library's modules by name (``channels`` -> its path)."""
    return {p.stem: p for p in sorted(resource_dir("stdlib").glob("*.cxb"))}


class Loader:
    """Loads modules depth-first, detecting cycles with the stack of files being loaded."""

    def __init__(
        self, sink: DiagnosticSink, root: Path | None, overlay: Mapping[Path, str] | None = None
    ) -> None:
        self.sink = sink
        self.root = root
        self.overlay = overlay or {}
        self.loaded: dict[str, LoadedModule] = {}
        self.stack: list[str] = []
        self.order: list[str] = []  # pre-order: the entry first, then modules as used

    def load_entry(self, source: SourceFile) -> Program:
        key = str(source.real_path) if source.real_path else source.path
        entry = self._load(key, source, is_std=False)
        modules = tuple(self.loaded[k] for k in self.order if k in self.loaded)
        return Program(entry, modules, self.root)

    def _load(
        self, key: str, source: SourceFile, is_std: bool, parsed: ast.Module | None = None
    ) -> LoadedModule:
        self.stack.append(key)
        self.order.append(key)
        before = len(self.sink)
        text = self.overlay.get(source.real_path) if source.real_path and not is_std else None
        if text is not None and text != source.text:  # an editor's unsaved text
            source, parsed = SourceFile(source.path, text, source.real_path), None
        if parsed is not None:
            module = parsed
        elif source.decode_error:
            module = ast.Module(source, (), ())
        else:
            module = parse(source, self.sink)
        if not module.statements and len(self.sink) == before and not source.decode_error:
            blank = not source.text.strip()
            message = "this file is empty" if blank else "this file declares nothing"
            self.sink.report(C.EMPTY_FILE, message, Span(source, 0, 0))
        uses = tuple(u for s in module.statements if (u := self._use(s, source)) is not None)
        loaded = LoadedModule(key, module, is_std, uses)
        self.loaded[key] = loaded
        self.stack.pop()
        return loaded

    def _use(self, statement: ast.Node, source: SourceFile) -> Use | None:
        if not isinstance(statement, ast.Statement) or statement.keyword != "use":
            return None
        target = self._target(statement, source)
        if target is None:
            return None
        key, path, is_std = target
        if key in self.stack:
            self._cycle(key, statement.span)
            return None
        if key not in self.loaded and is_std:
            cached = _std_parsed(path, key, self.sink, statement.span)
            if cached is None:
                return None
            self._load(key, cached.source, is_std, cached)
        elif key not in self.loaded:
            file = read_source(path, self.sink, statement.span)
            if file is None:
                return None
            self._load(key, file, is_std)
        return Use(key, statement.span)

    def _target(
        self, statement: ast.Statement, source: SourceFile
    ) -> tuple[str, Path, bool] | None:
        atoms = statement.args[0].atoms if len(statement.args) == 1 else ()
        if statement.block is None and len(atoms) == 1 and isinstance(atoms[0], ast.Text):
            return self._file_target(atoms[0], source, statement.span)
        if statement.block is None and _is_std_path(atoms):
            name = atoms[2]
            assert isinstance(name, ast.Name)
            return self._std_target(name.parts[0], statement.span)
        self.sink.report(
            C.INVALID_USE,
            "`use` needs a module such as `std/channels` or a quoted path",
            statement.span,
        )
        return None

    def _std_target(self, name: str, span: Span) -> tuple[str, Path, bool] | None:
        modules = std_modules()
        if name not in modules:
            known = ", ".join(f"`std/{m}`" for m in modules)
            self.sink.report(
                C.MODULE_NOT_FOUND,
                f"the standard library has no module `std/{name}`",
                span,
                help=did_you_mean(f"std/{name}", [f"std/{m}" for m in modules])
                or f"the standard library has {known}",
            )
            return None
        return STD_PREFIX + name, modules[name], True

    def _file_target(
        self, text: ast.Text, source: SourceFile, span: Span
    ) -> tuple[str, Path, bool] | None:
        base = source.real_path.parent if source.real_path else Path.cwd()
        path = (base / text.value).resolve()
        root = self.root
        if root is not None and not path.is_relative_to(root):
            self.sink.report(
                C.PATH_ESCAPES_ROOT,
                f"`{text.value}` is outside the project root `{display_path(root)}`",
                text.span,
            )
            return None
        if not path.exists():
            self.sink.report(
                C.MODULE_NOT_FOUND,
                f"no file `{text.value}` next to this blueprint",
                text.span,
                help=_nearby(path),
            )
            return None
        return str(path), path, False

    def _cycle(self, key: str, span: Span) -> None:
        circle = [*self.stack[self.stack.index(key) :], key]
        names = " → ".join(_short(k) for k in circle)
        self.sink.report(C.IMPORT_CYCLE, f"import cycle: {names}", span)


_STD_CACHE: dict[Path, tuple[float, ast.Module]] = {}


def _std_parsed(path: Path, key: str, sink: DiagnosticSink, span: Span) -> ast.Module | None:
    """A standard-library module, parsed once per process (and again only if its file
    changes): editors and build tools compile many times with the same library."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    hit = _STD_CACHE.get(path)
    if hit is not None and hit[0] == mtime:
        return hit[1]
    file = read_source(path, sink, span, f"{key}.cxb")
    if file is None:
        return None
    local = DiagnosticSink()
    module = parse(file, local)
    sink.extend(local.sorted())
    if not len(local):
        _STD_CACHE[path] = (mtime, module)
    return module


def _is_std_path(atoms: tuple[ast.Atom, ...]) -> bool:
    return (
        len(atoms) == 3
        and isinstance(atoms[0], ast.Name)
        and atoms[0].parts == ("std",)
        and isinstance(atoms[1], ast.Symbol)
        and atoms[1].text == "/"
        and isinstance(atoms[2], ast.Name)
        and len(atoms[2].parts) == 1
    )


def _short(key: str) -> str:
    return key if key.startswith(STD_PREFIX) else display_path(Path(key))


def _nearby(path: Path) -> str | None:
    folder = path.parent
    if not folder.is_dir():
        return None
    names = [p.name for p in folder.glob("*.cxb")]
    return did_you_mean(path.name, names)


def load_program(
    source: SourceFile,
    sink: DiagnosticSink,
    root: Path | None,
    overlay: Mapping[Path, str] | None = None,
) -> Program:
    """Load the entry file and, transitively, every module it uses; ``overlay`` gives the
    text of files that differs from the disk (an editor's unsaved buffers)."""
    return Loader(sink, root, overlay).load_entry(source)
