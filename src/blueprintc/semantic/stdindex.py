"""Which standard-library module declares which name, for "add `use std/...`" hints."""

from __future__ import annotations

from functools import cache

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.semantic.modules import std_modules
from blueprintc.source import SourceFile
from blueprintc.syntax import ast
from blueprintc.syntax.kept import parse_kept


@cache
def std_index() -> dict[str, str]:
    """``std.voice`` -> ``std/channels`` for every top-level declaration of the stdlib."""
    index: dict[str, str] = {}
    for name, path in std_modules().items():
        source = SourceFile(str(path), path.read_text(encoding="utf-8"), path)
        module = parse_kept(source, DiagnosticSink())
        for node in module.statements:
            if isinstance(node, ast.Statement) and node.args and node.args[0].atoms:
                first = node.args[0].atoms[0]
                if isinstance(first, ast.Name):
                    index.setdefault(f"std.{first.text}", f"std/{name}")
    return index
