"""Render diagnostics for people (source snippet with carets) and for tools (JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import attrs

from blueprintc.diagnostics.codes import Severity
from blueprintc.diagnostics.diagnostic import Diagnostic
from blueprintc.source import Span

JSON_SCHEMA_VERSION = 1
DEFAULT_MAX_DIAGNOSTICS = 100  # shown per report; 0 shows them all (``--max-diagnostics``)
_MAX_SHOWN: ContextVar[int] = ContextVar("max_diagnostics", default=DEFAULT_MAX_DIAGNOSTICS)

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.NOTE: "\x1b[1;36m",
}
_BOLD, _BLUE, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"


class _Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text


@contextmanager
def showing_at_most(maximum: int) -> Iterator[None]:
    """Within the block, reports show at most ``maximum`` diagnostics (0: all of them)."""
    if maximum < 0:
        raise ValueError("the number of diagnostics shown cannot be negative")
    token = _MAX_SHOWN.set(maximum)
    try:
        yield
    finally:
        _MAX_SHOWN.reset(token)


@attrs.frozen
class Shown:
    """The diagnostics a report shows, in order, and how many of each severity it leaves out."""

    diagnostics: tuple[Diagnostic, ...]
    omitted: dict[Severity, int]

    @classmethod
    def of(cls, diagnostics: Sequence[Diagnostic]) -> Shown:
        maximum = _MAX_SHOWN.get()
        if not maximum or len(diagnostics) <= maximum:
            return cls(tuple(diagnostics), {})
        omitted: dict[Severity, int] = {}
        for diagnostic in diagnostics[maximum:]:
            omitted[diagnostic.severity] = omitted.get(diagnostic.severity, 0) + 1
        return cls(tuple(diagnostics[:maximum]), omitted)

    def line(self) -> str | None:
        """``… and 999,900 more errors and 3 warnings not shown (...)``, or None."""
        parts = [
            f"{count:,} more {severity.value}{'s' if count != 1 else ''}"
            for severity in Severity
            if (count := self.omitted.get(severity, 0))
        ]
        if not parts:
            return None
        return (
            f"… and {' and '.join(parts)} not shown "
            f"(the first {len(self.diagnostics):,} are; --max-diagnostics 0 shows all)"
        )


def render_report(diagnostics: Sequence[Diagnostic], *, colour: bool = False) -> str:
    """Every shown diagnostic followed by a blank line, then the count of those left out."""
    shown = Shown.of(diagnostics)
    blocks = [render_text(d, colour=colour) + "\n\n" for d in shown.diagnostics]
    omitted = shown.line()
    return "".join(blocks) + (f"{omitted}\n" if omitted else "")


def render_text(diagnostic: Diagnostic, *, colour: bool = False) -> str:
    """``file:line:col: error[CXB0301]: message``, the source line, a caret line and help."""
    style = _Style(colour)
    sev = diagnostic.severity
    head = style(_COLOURS[sev], f"{sev.value}[{diagnostic.code.id}]")
    where = diagnostic.span.location() + ": " if diagnostic.span else ""
    lines = [f"{style(_BOLD, where)}{head}: {style(_BOLD, diagnostic.message)}"]
    spans: list[tuple[Span, str, bool]] = []
    if diagnostic.span is not None:
        spans.append((diagnostic.span, "", True))
    spans.extend((label.span, label.message, False) for label in diagnostic.labels)
    gutter = max((len(str(s.line)) for s, _, _ in spans), default=1)
    for span, message, primary in spans:
        lines.extend(_snippet(span, message, primary, gutter, style, sev))
    for note in diagnostic.notes:
        lines.append(f"{' ' * gutter} = note: {note}")
    if diagnostic.help:
        lines.append(f"{' ' * gutter} = {style(_BOLD, 'help')}: {diagnostic.help}")
    return "\n".join(lines)


def _snippet(
    span: Span, message: str, primary: bool, gutter: int, style: _Style, sev: Severity
) -> list[str]:
    line, col = span.file.line_col(span.start)
    end_line, end_col = span.file.line_col(span.end)
    text = span.file.line_text(line).expandtabs(1)
    width = max(1, (end_col if end_line == line else len(text) + 1) - col)
    marker = ("^" if primary else "-") * width
    colour = _COLOURS[sev] if primary else _BLUE
    prefix = "" if primary else f"{' ' * gutter} --> {span.location()}\n"
    bar = style(_BLUE, f"{' ' * gutter} |")
    underline = style(colour, (" " * (col - 1) + marker + (" " + message if message else "")))
    numbered = style(_BLUE, f"{line:>{gutter}} |")
    return [f"{prefix}{bar}", f"{numbered} {text}", f"{bar} {underline}"]


def render_summary(diagnostics: Sequence[Diagnostic]) -> str | None:
    """``2 errors, 1 warning`` or None when there is nothing to say."""
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) if parts else None


def span_json(span: Span) -> dict[str, Any]:
    """1-based line and column for start and end, plus 0-based character offsets."""
    line, column = span.file.line_col(span.start)
    end_line, end_column = span.file.line_col(span.end)
    return {
        "file": span.file.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "offset": span.start,
        "end_offset": span.end,
    }


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """The JSON object of one diagnostic (schema version :data:`JSON_SCHEMA_VERSION`)."""
    return {
        "code": diagnostic.code.id,
        "name": diagnostic.code.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "span": span_json(diagnostic.span) if diagnostic.span else None,
        "labels": [
            {"message": label.message, "span": span_json(label.span)} for label in diagnostic.labels
        ],
        "notes": list(diagnostic.notes),
        "help": diagnostic.help,
    }


def diagnostics_document(diagnostics: Sequence[Diagnostic], **extra: Any) -> dict[str, Any]:
    """The report as a dict: schema, version, ``extra`` keys, diagnostics and summary.

    The summary counts every diagnostic; when the list leaves some out (see
    :func:`showing_at_most`), its ``omitted`` counts those by severity.
    """
    shown = Shown.of(diagnostics)
    summary: dict[str, Any] = {
        "errors": sum(1 for d in diagnostics if d.severity is Severity.ERROR),
        "warnings": sum(1 for d in diagnostics if d.severity is Severity.WARNING),
    }
    if shown.omitted:
        summary["omitted"] = {s.value + "s": shown.omitted.get(s, 0) for s in Severity}
    return {
        "schema": "blueprintc.diagnostics",
        "version": JSON_SCHEMA_VERSION,
        **extra,
        "diagnostics": [diagnostic_json(d) for d in shown.diagnostics],
        "summary": summary,
    }


def render_json(diagnostics: Sequence[Diagnostic], **extra: Any) -> str:
    """The whole report as one JSON document, always valid even when compilation failed."""
    document = diagnostics_document(diagnostics, **extra)
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False)
