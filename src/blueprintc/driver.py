"""The only module that runs the whole pipeline: read, parse, load modules, check.

Each stage reports into one diagnostic sink; the driver stops after the first stage that
reported errors, so later stages only ever see well-formed input.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from blueprintc.diagnostics import Diagnostic, DiagnosticSink
from blueprintc.semantic.check import CheckedProgram, check_program
from blueprintc.semantic.modules import Program, decode, display_path, load_program, read_source
from blueprintc.source import SourceFile


@attrs.frozen(eq=False)
class Compilation:
    """The outcome of compiling one blueprint: diagnostics and whatever stages completed."""

    diagnostics: tuple[Diagnostic, ...]
    program: Program | None = None
    checked: CheckedProgram | None = None
    entry_readable: bool = True

    @property
    def ok(self) -> bool:
        """True when no error was reported (warnings allowed)."""
        return not any(d.is_error for d in self.diagnostics)

    @property
    def sources(self) -> tuple[SourceFile, ...]:
        """Every file the compilation read, entry first."""
        if self.program is None:
            return ()
        return tuple(m.source for m in self.program.modules)


def compile(
    source: str | os.PathLike[str] | bytes,
    *,
    root: str | os.PathLike[str] | None = None,
    name: str = "<text>",
) -> Compilation:
    """Compile a blueprint given as a path (``Path`` or a ``str`` ending in ``.cxb``) or text.

    ``root`` limits which files ``use "..."`` may load (default: the entry file's folder,
    or the working directory for text). Text may also be given as ``bytes``.
    """
    sink = DiagnosticSink()
    entry = _entry(source, name, sink)
    if entry is None:
        return Compilation(sink.sorted(), entry_readable=False)
    root_path = Path(root).resolve() if root is not None else _default_root(entry)
    program = load_program(entry, sink, root_path)
    if sink.has_errors:
        return Compilation(sink.sorted(), program)
    checked = check_program(program, sink)
    return Compilation(sink.sorted(), program, checked)


def _entry(
    source: str | os.PathLike[str] | bytes, name: str, sink: DiagnosticSink
) -> SourceFile | None:
    if isinstance(source, bytes):
        return decode(source, name, None, sink)
    if isinstance(source, os.PathLike) or (source.endswith(".cxb") and "\n" not in source):
        return read_source(Path(source), sink, None)
    return SourceFile(name, source)


def _default_root(entry: SourceFile) -> Path:
    return entry.real_path.parent if entry.real_path else Path.cwd().resolve()


__all__ = ["Compilation", "compile", "display_path"]
