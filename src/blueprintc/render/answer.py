"""One JSON document per ``--format json`` answer of the command line.

Every command that takes ``--format json`` (check, size, plan, cost, graph, diff) writes
its answer through :func:`answer_json`, so standard output holds exactly one JSON
document whatever happens:

* **success** (no error): the command's own figures document (its ``schema`` and
  ``version``: ``blueprintc.sizing``, ``blueprintc.plan``, ...), with ``diagnostics`` and
  ``summary`` added when there are warnings;
* **failure** (errors in the blueprint, usage and I/O errors, internal errors) and every
  answer of ``check``: the diagnostics document (schema ``blueprintc.diagnostics``) with
  ``command``, the figures under the command's key (``sizing``, ``plan``, ``cost``,
  ``graph``, ``diff``) when they could still be computed and ``null`` otherwise, the
  diagnostics and their summary.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from typing import Any

from blueprintc.diagnostics import Diagnostic
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.render import diagnostics_document, render_json


class Command(enum.Enum):
    """A command that answers in JSON with ``--format json``."""

    CHECK = "check"
    SIZE = "size"
    PLAN = "plan"
    COST = "cost"
    GRAPH = "graph"
    DIFF = "diff"

    @property
    def figures_key(self) -> str | None:
        """The key of the figures in a failure document (None: the command has none)."""
        return _FIGURES_KEYS.get(self)


_FIGURES_KEYS = {
    Command.SIZE: "sizing",
    Command.PLAN: "plan",
    Command.COST: "cost",
    Command.GRAPH: "graph",
    Command.DIFF: "diff",
}
_FINDINGS = ("diagnostics", "summary")


def figures_json(document: Mapping[str, Any]) -> str:
    """A figures document as text: sorted keys, two-space indent, UTF-8, a final newline."""
    return (
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
    )


def answer_json(
    command: Command | None,
    diagnostics: Sequence[Diagnostic],
    figures: Mapping[str, Any] | None = None,
    **extra: Any,
) -> str:
    """The one JSON document of an answer, newline-terminated (see the module's notes).

    ``command`` is None for a usage error before any command was recognised; ``extra``
    keys (``files`` of check, ``failed`` of diff, ``internal_error``) go into a failure
    document, after ``command``.
    """
    if figures is not None and not any(d.is_error for d in diagnostics):
        return figures_json(_with_findings(figures, diagnostics))
    fields: dict[str, Any] = {"command": command.value if command else None, **extra}
    key = command.figures_key if command else None
    if key is not None:
        fields[key] = _sorted(figures) if figures is not None else None
    return render_json(diagnostics, **fields) + "\n"


def _with_findings(figures: Mapping[str, Any], diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """The figures, plus ``diagnostics`` and ``summary`` when there is anything to report."""
    document = dict(figures)
    if diagnostics:
        assert not set(_FINDINGS) & set(document), "a figures document uses a reserved key"
        report = diagnostics_document(diagnostics)
        document.update({key: report[key] for key in _FINDINGS})
    return document


def _sorted(value: Any) -> Any:
    """``value`` with every mapping's keys in order, as :func:`figures_json` prints them."""
    if isinstance(value, Mapping):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def usage_diagnostic(
    message: str, usage: str | None = None, command: Command | None = None
) -> Diagnostic:
    """A bad command line as a diagnostic (``CXB0010``), the command's usage as a note."""
    notes = (usage.strip(),) if usage and usage.strip() else ()
    name = f"blueprintc {command.value}" if command else "blueprintc COMMAND"
    help = f"run `{name} --help` for the options and the values they take"
    return Diagnostic(C.USAGE_ERROR, message, None, notes=notes, help=help)
