"""The only module that runs the whole pipeline: read, parse, load modules, check.

Each stage reports into one diagnostic sink; the driver stops after the first stage that
reported errors, so later stages only ever see well-formed input.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from blueprintc import collector
from blueprintc.diagnostics import Diagnostic, DiagnosticSink, Severity
from blueprintc.diagnostics import codes as C
from blueprintc.semantic.check import CheckedProgram, check_program
from blueprintc.semantic.files import MAX_INPUT_BYTES, SourceReadError, resolve
from blueprintc.semantic.modules import (
    Program,
    decode,
    display_path,
    load_program,
    read_source,
    within_input_limit,
)
from blueprintc.semantic.users import declares_blueprint, find_users
from blueprintc.source import SourceFile, Span

if TYPE_CHECKING:  # the later stages are imported when a compilation reaches them
    from blueprintc.graph import Graph
    from blueprintc.model import Model
    from blueprintc.outcome import Outcome
    from blueprintc.planning.run import Planning
    from blueprintc.sizing.size import Sizing
    from blueprintc.validate import AlignmentReport


@attrs.frozen(eq=False, repr=False)
class Compilation:
    """The outcome of compiling one blueprint: diagnostics and whatever stages completed."""

    diagnostics: tuple[Diagnostic, ...]
    program: Program | None = None
    checked: CheckedProgram | None = None
    model: Model | None = None
    graph: Graph | None = None
    alignment: AlignmentReport | None = None
    sizing: Sizing | None = None
    planning: Planning | None = None
    assertions: dict[str, bool | None] | None = None
    entry_readable: bool = True
    through: Path | None = None  # the blueprint a module given on its own was checked through
    outcome: Outcome | None = None  # sizing and planning as one typed result (blueprintc.outcome)

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

    @property
    def stage(self) -> str:
        """The last stage that completed: ``"read"``, ``"check"``, ``"validate"`` or
        ``"size"`` (empty when the entry file could not be read)."""
        reached = (
            (self.planning, "size"),
            (self.sizing, "size"),
            (self.model, "validate"),
            (self.checked, "check"),
            (self.program, "read"),
        )
        return next((stage for result, stage in reached if result is not None), "")

    def __repr__(self) -> str:
        """One line, however large the blueprint (a notebook shows this):
        ``<Compilation ok: bank.cxb, size, 57 elements, 0 errors, 3 warnings>``."""
        errors = sum(d.is_error for d in self.diagnostics)
        warnings = sum(d.severity is Severity.WARNING for d in self.diagnostics)
        entry = self.sources[0].path if self.sources else "entry not read"
        parts = [entry, self.stage or "nothing compiled"]
        if self.model is not None:
            parts.append(f"{len(self.model.elements)} elements")
        parts += [_count(errors, "error"), _count(warnings, "warning")]
        return f"<Compilation {'ok' if self.ok else 'failed'}: {', '.join(parts)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython and Jupyter show the short :meth:`__repr__`."""
        printer.text(repr(self))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def compile(
    source: str | os.PathLike[str] | bytes | SourceFile,
    *,
    root: str | os.PathLike[str] | None = None,
    name: str = "<text>",
    until: str = "size",
    overlay: Mapping[Path, str] | None = None,
    max_input_bytes: int = MAX_INPUT_BYTES,
    find_user: bool = False,
) -> Compilation:
    """Compile a blueprint given as a path (``Path`` or a ``str`` ending in ``.cxb``) or text.

    ``root`` limits which files ``use "..."`` may load (default: the entry file's folder,
    or the working directory for text). Text may also be given as ``bytes``. ``until``
    stops after a stage: ``"check"`` (parse, modules, names, units), ``"validate"``
    (model, graph and alignment rules) or ``"size"`` (agents, FTE, seats, planning and
    the assertions over them; the default). A ``SourceFile`` compiles text as if it were
    the file at its ``real_path``; ``overlay`` maps paths to text that replaces those
    files' contents (an editor's unsaved buffers). ``max_input_bytes`` is the most source
    read for one blueprint, all its files together (1 MiB by default: see the limits in
    docs/language.md); raise it only for input you trust.

    With ``find_user``, a file without a ``blueprint`` block is taken for a module: it is
    checked through the nearest blueprint that uses it (:func:`compile_module`).
    """
    if until not in STAGES:
        raise ValueError(f"until must be one of {', '.join(STAGES)}, not {until!r}")
    with collector.paused():
        if find_user:
            return _compile_or_module(source, root, name, until, overlay, max_input_bytes)
        return _compile(source, root, name, until, overlay, max_input_bytes)


STAGES = ("check", "validate", "size")  # "size" also plans and costs the design

FIGURES_STILL_SHOWN = frozenset({C.SEATS_EXCEEDED, C.SITE_NOT_OPEN})
"""Sizing errors after which the design is still planned and costed: the figures are whole
and the consultant needs them to fix the error (how many seats are missing, and when).
The compilation is not ``ok``: ``build`` writes nothing, the reports show the figures
beside the errors and exit with 1."""


def _compile(
    source: str | os.PathLike[str] | bytes | SourceFile,
    root: str | os.PathLike[str] | None,
    name: str,
    until: str,
    overlay: Mapping[Path, str] | None,
    limit: int,
) -> Compilation:
    sink = DiagnosticSink()
    entry = _entry(source, name, sink, limit)
    if entry is None:
        return Compilation(sink.sorted(), entry_readable=False)
    root_path = _root(root) if root is not None else _default_root(entry)
    program = load_program(entry, sink, root_path, overlay, limit)
    if sink.has_errors:
        return Compilation(sink.sorted(), program)
    checked = check_program(program, sink)
    if sink.has_errors or until == "check":
        return Compilation(sink.sorted(), program, checked)
    return _model_onwards(program, checked, sink, until)


def _model_onwards(
    program: Program, checked: CheckedProgram, sink: DiagnosticSink, until: str
) -> Compilation:
    """The stages after the check: model, graph and alignment rules, then sizing,
    planning and the assertions. Imported here, so that what stops at the check (the
    editor's quick pass, ``fmt``, ``explain``) never loads them."""
    from blueprintc.graph import build_graph
    from blueprintc.model.build import build_model
    from blueprintc.validate import Context, validate

    model = build_model(checked)
    graph = build_graph(model)
    alignment = validate(Context(model, graph))
    sink.extend(alignment.diagnostics())
    if sink.has_errors or until == "validate":
        return Compilation(sink.sorted(), program, checked, model, graph, alignment)
    from blueprintc.outcome import build as build_outcome
    from blueprintc.outcome.figures import Results, check_assertions
    from blueprintc.planning.phasing import plan_of
    from blueprintc.planning.run import run_planning
    from blueprintc.sizing.calendar import grid_of
    from blueprintc.sizing.size import size
    from blueprintc.sizing.timeline import timeline_of

    plan = plan_of(model, grid_of(model.blueprint))
    sizing = size(model, sink, timeline_of(model, grid_of(model.blueprint), plan))
    if any(d.is_error and d.code not in FIGURES_STILL_SHOWN for d in sink.sorted()):
        return Compilation(sink.sorted(), program, checked, model, graph, alignment, sizing)
    planning = run_planning(model, sizing, plan, sink)
    outcome = build_outcome(model, sizing, planning)
    asserted = check_assertions(model.assertions, Results(model, outcome), sink)
    return Compilation(
        sink.sorted(),
        program,
        checked,
        model,
        graph,
        alignment,
        sizing,
        planning,
        asserted,
        outcome=outcome,
    )


def _compile_or_module(
    source: str | os.PathLike[str] | bytes | SourceFile,
    root: str | os.PathLike[str] | None,
    name: str,
    until: str,
    overlay: Mapping[Path, str] | None,
    limit: int,
) -> Compilation:
    """Compile ``source``; if it is a file without a ``blueprint`` block, as a module."""
    alone = _compile(source, root, name, until, overlay, limit)
    program = alone.program
    real = program.entry.source.real_path if program is not None else None
    if program is None or real is None or declares_blueprint(program.entry.module):
        return alone
    return compile_module(program.entry.source, alone, root, until, overlay, limit)


def compile_module(
    module: SourceFile,
    alone: Compilation,
    root: str | os.PathLike[str] | None,
    until: str,
    overlay: Mapping[Path, str] | None,
    limit: int = MAX_INPUT_BYTES,
) -> Compilation:
    """A module (a file without ``blueprint`` block) checked through a blueprint using it.

    ``alone`` is its compilation as an entry file. The module's own findings are kept, the
    blueprint's findings elsewhere are counted in one CXB0212, and a CXB0211 note names
    the blueprint. When no blueprint uses it: one CXB0210, after the findings that need no
    blueprint (reading, syntax, ``use``, unknown declarations).
    """
    real = module.real_path
    assert real is not None
    texts = {**(overlay or {}), real: module.text}
    stop = _root(root) if root is not None else None
    users = find_users(real, stop, texts)
    if not users:
        return _lone_module(module, alone)
    user = users[0]
    shown = display_path(user)
    entry: Path | SourceFile = user if user not in texts else SourceFile(shown, texts[user], user)
    through = _compile(entry, root if root is not None else user.parent, "", until, texts, limit)
    own = [d for d in through.diagnostics if d.span is not None and d.span.file.real_path == real]
    elsewhere = sum(1 for d in through.diagnostics if d.is_error) - sum(d.is_error for d in own)
    others = f" (and {_count(len(users) - 1, 'other')})" if len(users) > 1 else ""
    start = Span(module, 0, 0)
    extra = [
        Diagnostic(
            C.CHECKED_THROUGH_USER,
            f"this file is a module used by `{shown}`{others}; checked through it",
            start,
        )
    ]
    if elsewhere:
        extra.append(
            Diagnostic(
                C.USER_HAS_ERRORS,
                f"`{shown}`, which uses this module, has {_count(elsewhere, 'error')} "
                "in other files",
                start,
                help=f"run `blueprintc check {shown}` to see them",
            )
        )
    return attrs.evolve(through, diagnostics=(*extra, *own), through=user)


_LOCAL_CHECKS = frozenset({C.UNKNOWN_DECLARATION, C.MISPLACED_STATEMENT})


def _lone_module(module: SourceFile, alone: Compilation) -> Compilation:
    """A module no blueprint uses: what it says on its own, and one CXB0210."""
    if alone.checked is None:  # reading, parsing or loading failed: those are its findings
        return alone
    local = [d for d in alone.diagnostics if d.code in _LOCAL_CHECKS]
    lone = Diagnostic(
        C.MODULE_WITHOUT_USER,
        "this file has no `blueprint` block and no blueprint here uses it",
        Span(module, 0, 0),
        help=f'add `use "./{module.real_path.name if module.real_path else module.path}"` to the '
        "blueprint it belongs to and check that blueprint, or make this file a blueprint with "
        '`blueprint "Title" { currency USD; start 2027-01; horizon 3 years }`',
    )
    return Compilation((lone, *local), alone.program)


def _entry(
    source: str | os.PathLike[str] | bytes | SourceFile,
    name: str,
    sink: DiagnosticSink,
    limit: int,
) -> SourceFile | None:
    """The entry file, read or given; None (reported) when it cannot be read or is too large."""
    if isinstance(source, SourceFile):
        return source if within_input_limit(source.text, source.path, sink, limit) else None
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and source.endswith(".cxb") and "\n" not in source
    ):
        return read_source(Path(source), sink, None, limit=limit)
    if not within_input_limit(source, name, sink, limit):
        return None
    if isinstance(source, bytes):
        return decode(source, name, None, sink)
    return SourceFile(name, source.removeprefix("\ufeff"))


def _root(root: str | os.PathLike[str]) -> Path:
    """The project root without symbolic links; one that cannot be resolved (a loop, a NUL
    character) is taken as written, and the files under it then fail to read."""
    try:
        return resolve(Path(root))
    except SourceReadError:
        return Path(os.path.abspath(root))


def _default_root(entry: SourceFile) -> Path:
    return entry.real_path.parent if entry.real_path else Path.cwd().resolve()


__all__ = ["Compilation", "compile", "display_path"]
