"""The diagnostic record and the sink that passes report into."""

from __future__ import annotations

import attrs

from blueprintc.diagnostics.codes import Code, Severity
from blueprintc.source import Span


@attrs.frozen
class Label:
    """A secondary span with a short explanation (``first declared here``)."""

    span: Span
    message: str


@attrs.frozen(repr=False)
class Diagnostic:
    """One finding: stable code, severity, message, where, and what to do about it."""

    code: Code
    message: str
    span: Span | None
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: str | None = None
    severity: Severity = attrs.field()

    @severity.default
    def _default_severity(self) -> Severity:
        return self.code.severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __repr__(self) -> str:
        """One line: ``<Diagnostic CXB0301 error at main.cxb:3:5: unknown name ...>``."""
        where = f" at {self.span.location()}" if self.span is not None else ""
        message = " ".join(self.message.split())
        message = message if len(message) <= 80 else message[:79] + "…"
        return f"<Diagnostic {self.code.id} {self.severity.value}{where}: {message}>"

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.span is None:
            return ("", 0, 0, self.code.id)
        return (self.span.file.path, self.span.start, self.span.end, self.code.id)


class DiagnosticSink:
    """Collects diagnostics; passes never raise for user errors, they report and carry on."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def report(
        self,
        code: Code,
        message: str,
        span: Span | None,
        *,
        labels: tuple[Label, ...] = (),
        notes: tuple[str, ...] = (),
        help: str | None = None,
    ) -> None:
        self._items.append(Diagnostic(code, message, span, labels, notes, help or code.help))

    def extend(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self._items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self._items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """Diagnostics in a deterministic order (file, position, code), duplicates removed."""
        seen: set[tuple[object, ...]] = set()
        result = []
        for d in sorted(self._items, key=lambda d: d.sort_key()):
            key = (d.sort_key(), d.message)
            if key not in seen:
                seen.add(key)
                result.append(d)
        return tuple(result)

    def __len__(self) -> int:
        return len(self._items)
