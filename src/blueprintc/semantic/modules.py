"""Load a blueprint and every module it uses, each file read and parsed once.

``use std/<module>`` loads from the bundled standard library; ``use "./file.cxb"`` loads
relative to the using file and must stay inside the project root. Import cycles are
reported with the whole circle. Files are read by :mod:`blueprintc.semantic.files`
(regular files only); one blueprint reads at most ``MAX_INPUT_BYTES`` of source in at most
``MAX_MODULES`` files, through chains of ``use`` at most ``MAX_USE_DEPTH`` files long.
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
from blueprintc.semantic.files import (
    MAX_INPUT_BYTES,
    ReadFailure,
    SourceReadError,
    format_size,
    printable,
    read_bytes,
    resolve,
    utf8_size,
)
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.kept import parse_kept

STD_PREFIX = "std/"
MAX_USE_DEPTH = 100  # files in one chain of `use`, the entry file being the first
MAX_MODULES = 1000  # files read for one blueprint, the entry and standard library included


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
    """A path as users see it in messages: relative to the working directory when inside it,
    control characters escaped so that a message stays on one line."""
    cwd = Path.cwd().resolve()
    try:
        resolved = resolve(path)
    except SourceReadError:
        resolved = Path(os.path.abspath(path))
    shown = os.path.relpath(resolved, cwd) if resolved.is_relative_to(cwd) else str(resolved)
    return printable(shown)


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
    path: Path,
    sink: DiagnosticSink,
    span: Span | None,
    shown: str | None = None,
    limit: int = MAX_INPUT_BYTES,
) -> SourceFile | None:
    """Read and decode a file named on the command line (or of the standard library),
    reporting at ``span`` why it cannot be read.

    ``shown`` is the path printed in messages (standard-library files show as
    ``std/<module>.cxb`` wherever blueprintc is installed); ``limit`` is the input limit.
    """
    shown = shown or display_path(path)
    try:
        data = read_bytes(path, limit)
    except SourceReadError as error:
        if error.failure is ReadFailure.NOT_FOUND:
            sink.report(C.FILE_NOT_FOUND, f"no such file: `{shown}`", span)
        elif error.failure is ReadFailure.TOO_LARGE:
            report_too_large(shown, limit, limit, sink, span)
        else:
            sink.report(C.UNREADABLE, f"cannot read `{shown}`: {error.reason}", span)
        return None
    return decode(data, shown, _real_path(path), sink)


def _real_path(path: Path) -> Path:
    try:
        return resolve(path)
    except SourceReadError:
        return Path(os.path.abspath(path))


def within_input_limit(
    text: str | bytes, shown: str, sink: DiagnosticSink, limit: int = MAX_INPUT_BYTES
) -> bool:
    """Whether a blueprint given as text or bytes fits the input limit (reported if not)."""
    size = len(text)  # a text's characters are never more than its UTF-8 bytes
    if size <= limit and isinstance(text, str):
        size = utf8_size(text)
    if size <= limit:
        return True
    report_too_large(printable(shown), limit, limit, sink, None)
    return False


def report_too_large(
    shown: str, left: int, limit: int, sink: DiagnosticSink, span: Span | None
) -> None:
    """CXB0005: the file does not fit the ``left`` bytes that remain of the input limit."""
    most = format_size(limit)
    if left >= limit:
        message = f"`{shown}` is larger than {most}, the most blueprintc reads for one blueprint"
    else:
        message = (
            f"`{shown}` would bring the files of this blueprint over {most}, "
            "the most blueprintc reads for one blueprint"
        )
    sink.report(C.INPUT_TOO_LARGE, message, span)


@cache
def std_modules() -> dict[str, Path]:
    """The standard library's modules by name (``channels`` -> its path)."""
    return {p.stem: p for p in sorted(resource_dir("stdlib").glob("*.cxb"))}


@attrs.frozen
class _Target:
    """Where a ``use`` points: the module's key and file, as written, and where it is written."""

    key: str
    path: Path
    is_std: bool
    written: str
    span: Span


@attrs.define
class _Frame:
    """A module being loaded: its ``use`` statements, how many are done, what they loaded."""

    key: str
    module: ast.Module
    is_std: bool
    statements: list[ast.Statement]
    done: int = 0
    uses: list[Use] = attrs.Factory(list)


class Loader:
    """Loads modules depth-first with an explicit stack of the files being loaded, so a
    chain of any length costs no Python recursion; the stack also shows import cycles."""

    def __init__(
        self,
        sink: DiagnosticSink,
        root: Path | None,
        overlay: Mapping[Path, str] | None = None,
        limit: int = MAX_INPUT_BYTES,
    ) -> None:
        self.sink = sink
        self.root = root
        self.overlay = overlay or {}
        self.limit = limit
        self.loaded: dict[str, LoadedModule] = {}
        self.frames: list[_Frame] = []
        self.order: list[str] = []  # pre-order: the entry first, then modules as used
        self.remaining = limit  # bytes of source still allowed
        self.too_many = False  # CXB0207 was reported (once is enough)

    def load_entry(self, source: SourceFile) -> Program:
        key = str(source.real_path) if source.real_path else source.path
        self._push(key, source, is_std=False, parsed=None, span=None)
        while self.frames:
            self._step(self.frames[-1])
        modules = tuple(self.loaded[k] for k in self.order if k in self.loaded)
        return Program(self.loaded[key], modules, self.root)

    def _step(self, frame: _Frame) -> None:
        """Follow the next ``use`` of the innermost module, or finish that module."""
        if frame.done == len(frame.statements):
            self.frames.pop()
            uses = tuple(frame.uses)
            self.loaded[frame.key] = LoadedModule(frame.key, frame.module, frame.is_std, uses)
            return
        statement = frame.statements[frame.done]
        frame.done += 1
        target = self._target(statement, frame.module.source)
        if target is None:
            return
        if any(f.key == target.key for f in self.frames):
            self._cycle(target.key, statement.span)
        elif target.key in self.loaded or (self._allowed(target) and self._open(target)):
            frame.uses.append(Use(target.key, statement.span))

    def _push(
        self,
        key: str,
        source: SourceFile,
        is_std: bool,
        parsed: ast.Module | None,
        span: Span | None,
    ) -> bool:
        """Parse a module and put it on the stack; False if it does not fit the input limit."""
        text = self.overlay.get(source.real_path) if source.real_path and not is_std else None
        if text is not None and text != source.text:  # an editor's unsaved text
            source, parsed = SourceFile(source.path, text, source.real_path), None
        if not is_std and not source.decode_error:
            size = utf8_size(source.text)
            if size > self.remaining and span is not None:
                report_too_large(source.path, self.remaining, self.limit, self.sink, span)
                return False
            self.remaining -= size
        self.order.append(key)
        before = len(self.sink)
        if parsed is not None:
            module = parsed
        elif source.decode_error:
            module = ast.Module(source, (), ())
        else:
            module = parse_kept(source, self.sink)
        if not module.statements and len(self.sink) == before and not source.decode_error:
            blank = not source.text.strip()
            message = "this file is empty" if blank else "this file declares nothing"
            self.sink.report(C.EMPTY_FILE, message, Span(source, 0, 0))
        uses = [s for s in module.statements if isinstance(s, ast.Statement) and s.keyword == "use"]
        self.frames.append(_Frame(key, module, is_std, uses))
        return True

    def _allowed(self, target: _Target) -> bool:
        """Whether loading one more module stays within the depth and count limits."""
        if len(self.frames) >= MAX_USE_DEPTH:
            entry = _short(self.frames[0].key)
            self.sink.report(
                C.USE_TOO_DEEP,
                f"this `use` would make a chain of more than {MAX_USE_DEPTH} files "
                f"using one another, starting at `{entry}`",
                target.span,
            )
            return False
        if len(self.order) >= MAX_MODULES:
            if not self.too_many:
                self.too_many = True
                self.sink.report(
                    C.TOO_MANY_MODULES,
                    f"this `use` would load more than {MAX_MODULES:,} files for one blueprint",
                    target.span,
                )
            return False
        return True

    def _open(self, target: _Target) -> bool:
        if target.is_std:
            cached = _std_parsed(target.path, target.key, self.sink, target.span)
            if cached is None:
                return False
            return self._push(target.key, cached.source, True, cached, target.span)
        try:
            data = read_bytes(target.path, max(self.remaining, 0))
        except SourceReadError as error:
            self._unreadable(error, target)
            return False
        file = decode(data, display_path(target.path), target.path, self.sink)
        return self._push(target.key, file, False, None, target.span)

    def _unreadable(self, error: SourceReadError, target: _Target) -> None:
        if error.failure is ReadFailure.NOT_FOUND:
            self.sink.report(
                C.MODULE_NOT_FOUND,
                f"no file `{target.written}` next to this blueprint",
                target.span,
                help=_nearby(target.path),
            )
        elif error.failure is ReadFailure.TOO_LARGE:
            report_too_large(target.written, self.remaining, self.limit, self.sink, target.span)
        else:
            self.sink.report(
                C.UNREADABLE, f"cannot read `{target.written}`: {error.reason}", target.span
            )

    def _target(self, statement: ast.Statement, source: SourceFile) -> _Target | None:
        atoms = statement.args[0].atoms if len(statement.args) == 1 else ()
        if statement.block is None and len(atoms) == 1 and isinstance(atoms[0], ast.Text):
            return self._file_target(atoms[0], source)
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

    def _std_target(self, name: str, span: Span) -> _Target | None:
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
        key = STD_PREFIX + name
        return _Target(key, modules[name], True, key, span)

    def _file_target(self, text: ast.Text, source: SourceFile) -> _Target | None:
        base = source.real_path.parent if source.real_path else Path.cwd()
        written = printable(text.value)
        try:
            path = resolve(base / text.value)
        except SourceReadError as error:
            self._unreadable(error, _Target(written, base / text.value, False, written, text.span))
            return None
        root = self.root
        if root is not None and not path.is_relative_to(root):
            self.sink.report(
                C.PATH_ESCAPES_ROOT,
                f"`{written}` is outside the project root `{display_path(root)}`",
                text.span,
            )
            return None
        return _Target(str(path), path, False, written, text.span)

    def _cycle(self, key: str, span: Span) -> None:
        keys = [f.key for f in self.frames]
        circle = [*keys[keys.index(key) :], key]
        names = " → ".join(_short(k) for k in circle)
        self.sink.report(C.IMPORT_CYCLE, f"import cycle: {names}", span)


_STD_CACHE: dict[Path, tuple[float, ast.Module]] = {}


def _std_parsed(path: Path, key: str, sink: DiagnosticSink, span: Span) -> ast.Module | None:
    """A standard-library module, parsed once per process (and again only if its file
    changes): editors and build tools compile many times with the same library. A new
    process reads the tree an earlier one kept on disk (:mod:`blueprintc.syntax.kept`)."""
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
    module = parse_kept(file, local)
    sink.extend(local.sorted())
    if not len(local) and not file.decode_error:
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
    try:
        names = [p.name for p in path.parent.glob("*.cxb")] if path.parent.is_dir() else []
    except (OSError, ValueError):
        return None
    return did_you_mean(path.name, names)


def load_program(
    source: SourceFile,
    sink: DiagnosticSink,
    root: Path | None,
    overlay: Mapping[Path, str] | None = None,
    limit: int = MAX_INPUT_BYTES,
) -> Program:
    """Load the entry file and, transitively, every module it uses; ``overlay`` gives the
    text of files that differs from the disk (an editor's unsaved buffers), ``limit`` the
    most bytes of source all files may hold together."""
    return Loader(sink, root, overlay, limit).load_entry(source)
