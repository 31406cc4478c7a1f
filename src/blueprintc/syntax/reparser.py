"""Where :func:`blueprintc.syntax.parse.parse` is told to go through an editor's reparser.

Kept apart from the parser so that code deciding how to get a tree (the trees kept on
disk, :mod:`blueprintc.syntax.kept`) can ask without loading Lark.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.source import SourceFile
from blueprintc.syntax import ast


class Reparser(Protocol):
    """Parses files it has seen before, reusing what an edit left as it was."""

    def parse(self, source: SourceFile, sink: DiagnosticSink) -> ast.Module:
        """The same tree and diagnostics as :func:`blueprintc.syntax.parse.parse_file`."""
        ...


_REPARSER: ContextVar[Reparser | None] = ContextVar("blueprintc_reparser", default=None)


@contextmanager
def reparsing(reparser: Reparser) -> Iterator[None]:
    """Within this block (in this thread or task), :func:`blueprintc.syntax.parse.parse`
    goes through ``reparser``."""
    token = _REPARSER.set(reparser)
    try:
        yield
    finally:
        _REPARSER.reset(token)


def current_reparser() -> Reparser | None:
    """The reparser parsing goes through here, inside :func:`reparsing`; else None."""
    return _REPARSER.get()
