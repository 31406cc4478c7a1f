"""Compile an editor's document with the compiler's own driver, and convert the findings.

The entry file is the editor's text under its real path (so ``use "./x.cxb"`` resolves
next to it), and modules open in the editor are read from their unsaved text (the
driver's *overlay*). When parsing failed it still runs the semantic checks on the
recovered syntax tree, quietly, so that hover and completion keep working while the user
types; those diagnostics are not published (the driver does not report them either).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types

from blueprintc.diagnostics import Diagnostic, DiagnosticSink, Severity
from blueprintc.diagnostics import codes as C
from blueprintc.driver import Compilation, compile
from blueprintc.lsp.positions import UTF16, span_range
from blueprintc.semantic.check import CheckedProgram, check_program
from blueprintc.semantic.modules import Program
from blueprintc.source import SourceFile, Span

SOURCE = "blueprintc"
BOM = "\ufeff"


def normalize(text: str) -> str:
    """The text the compiler sees: a byte-order mark becomes a space, so offsets stay put."""
    return " " + text[1:] if text.startswith(BOM) else text


def compile_document(
    text: str,
    *,
    name: str,
    real_path: Path | None,
    root: Path | None,
    until: str = "validate",
    overlay: Mapping[Path, str] | None = None,
) -> tuple[Compilation, CheckedProgram | None]:
    """Compile unsaved text as the entry file ``real_path``: the compilation and its checks.

    A module (no ``blueprint`` block) is compiled through the blueprint that uses it, as
    the command line does; a module that no blueprint uses gets the one CXB0210.

    The second value is the compilation's checked program or, when an earlier stage
    failed, the best-effort checks of the recovered syntax tree (None if even that failed).
    """
    entry = SourceFile(name, normalize(text), real_path)
    result = compile(entry, root=root, until=until, overlay=dict(overlay or {}), find_user=True)
    if result.through is not None:  # the module's diagnostics, without the note saying so
        kept = tuple(d for d in result.diagnostics if d.code is not C.CHECKED_THROUGH_USER)
        result = attrs.evolve(result, diagnostics=kept)
    if result.checked is not None or result.program is None:
        return result, result.checked
    return result, _quiet_check(result.program)


def _quiet_check(program: Program) -> CheckedProgram | None:
    """Check a program whose parse reported errors, for the editor's features only."""
    try:
        return check_program(program, DiagnosticSink())
    except Exception:  # the recovered tree may hold what the checks never expect
        return None


# -- diagnostics --------------------------------------------------------------------------

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
_DID_YOU_MEAN = re.compile(r"did you mean (.+)\?\s*$")
_QUOTED = re.compile(r"`([^`]+)`")
_TOKEN = re.compile(r"[\w.%/-]+")


def to_lsp_diagnostic(
    diagnostic: Diagnostic,
    uri_of: Callable[[SourceFile], str],
    fallback: SourceFile,
    encoding: str = UTF16,
) -> tuple[SourceFile, types.Diagnostic]:
    """One compiler diagnostic as the protocol's, with the file it belongs to.

    The help and notes follow the message on lines of their own; labels become related
    information; a "did you mean" help becomes quick fixes, kept in ``data["fixes"]``.
    """
    span = diagnostic.span or Span(fallback, 0, 0)
    lines = [diagnostic.message]
    lines += [f"note: {note}" for note in diagnostic.notes]
    if diagnostic.help:
        lines.append(f"help: {diagnostic.help}")
    related = [
        types.DiagnosticRelatedInformation(
            types.Location(uri_of(label.span.file), span_range(label.span, encoding)),
            label.message,
        )
        for label in diagnostic.labels
    ]
    fixes = suggestion_fixes(diagnostic, span, encoding)
    data: dict[str, Any] | None = {"fixes": fixes} if fixes else None
    return span.file, types.Diagnostic(
        range=span_range(span, encoding),
        message="\n".join(lines),
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code.id,
        source=SOURCE,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code is C.UNUSED_MODULE else None,
        data=data,
    )


def suggestion_fixes(diagnostic: Diagnostic, span: Span, encoding: str) -> list[dict[str, Any]]:
    """The replacements a "did you mean `x`?" help proposes, as JSON-ready text edits.

    The misspelt word is the one the message quotes: the whole span for a name, field,
    keyword or choice, a part of it for a unit (the ``seet`` of ``USD/seet/month``) or a
    module (``use std/chanels``); only that word is replaced.
    """
    match = _DID_YOU_MEAN.search(diagnostic.help or "")
    if match is None or diagnostic.span is None:
        return []
    candidates = _QUOTED.findall(match.group(1))
    text = span.text
    found = _find_word(text, _QUOTED.findall(diagnostic.message))
    if found is not None:
        wrong = found[1]
        start, end = span.start + found[0], span.start + found[0] + len(wrong)
    elif _TOKEN.fullmatch(text):
        start, end, wrong = span.start, span.end, text
    else:
        return []
    fix_range = span_range(Span(span.file, start, end), encoding)
    fixes = []
    for candidate in candidates:
        new_text = _keep_prefix(wrong, candidate)
        fixes.append(
            {
                "title": f"Replace `{wrong}` with `{new_text}`",
                "range": {
                    "start": {"line": fix_range.start.line, "character": fix_range.start.character},
                    "end": {"line": fix_range.end.line, "character": fix_range.end.character},
                },
                "newText": new_text,
            }
        )
    return fixes


def _find_word(text: str, words: list[str]) -> tuple[int, str] | None:
    """Where one of ``words`` (the last that does) stands in ``text`` as a whole token."""
    for word in reversed(words):
        for match in re.finditer(re.escape(word), text):
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
                return match.start(), word
    return None


def _keep_prefix(wrong: str, candidate: str) -> str:
    """Keep what qualified the wrong word: ``channel.voic`` -> ``channel.voice``."""
    for separator in (".", "/"):
        if separator in wrong and separator not in candidate:
            return wrong.rsplit(separator, 1)[0] + separator + candidate
    return candidate
