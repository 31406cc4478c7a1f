"""Syntax trees kept on disk, so that a new process need not parse the standard library again.

Every compilation of a blueprint that uses ``std/...`` parses those modules; within one
process they are parsed once (:mod:`blueprintc.semantic.modules`), and across processes a
tree is kept in blueprintc's cache folder (``parsed/``, see
:func:`blueprintc.resources.cache_folder`), named after a digest of the file's text and of
everything its tree depends on: the Python, Lark's version, and the bytes of the grammar,
of the modules that build the tree and of the one holding blueprintc's version
(:data:`_MAKERS`). A tree is kept only when its file parsed without a diagnostic.

The tree is pickled without its source file: the file is given again when the tree is
read back (the same ``SourceFile`` object its spans then point to), so a tree never shows
another path or text than the file just read. A kept tree that cannot be read (damaged,
cut short, written by another version of a class) is ignored and written again; a folder
that cannot be written only costs the next process the parse. Files unused for 30 days
are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from blueprintc.resources import cache_folder, prune, resource_dir
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast

KEEP_DAYS = 30  # a kept tree unused this long is deleted
_HERE = Path(__file__).resolve().parent
_MAKERS = ("ast.py", "lower.py", "parse.py", "kept.py", "../source.py", "../__init__.py")
"""The modules whose code decides a tree, and the package's ``__init__`` (its version):
a change to any of them, or to the grammar, changes every key."""
_SOURCE = "source"  # the persistent id of the tree's own source file
_NODES = (
    ast.Comment,
    ast.Name,
    ast.Unit,
    ast.Quantity,
    ast.Text,
    ast.Date,
    ast.Clock,
    ast.Range,
    ast.Symbol,
    ast.Group,
    ast.Arg,
    ast.Block,
    ast.Statement,
    ast.BinaryOp,
    ast.UnaryOp,
    ast.Call,
    ast.Assert,
    ast.Module,
)


def load(source: SourceFile) -> ast.Module | None:
    """The tree kept for ``source``'s text, its spans in ``source``; None if there is none
    or it cannot be read."""
    try:
        with open(_path(source), "rb") as file:
            data = file.read()
        module = _Unpickler(io.BytesIO(data), source).load()
    except Exception:  # missing, unreadable, damaged or of other classes: parse instead
        return None
    if not isinstance(module, ast.Module) or module.source is not source:
        return None
    with contextlib.suppress(OSError):
        os.utime(_path(source))  # in use: not pruned
    return module


def keep(module: ast.Module) -> None:
    """Write ``module``'s tree for the next process (atomically: a reader sees the whole
    file or none); nothing if the cache folder cannot be written."""
    path = _path(module.source)
    staged = path.with_name(f"{path.name}.{os.getpid()}.new")
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, module.source).dump(module)
        path.parent.mkdir(parents=True, exist_ok=True)
        prune(path.parent, KEEP_DAYS)
        staged.write_bytes(buffer.getvalue())
        os.replace(staged, path)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)


def _path(source: SourceFile) -> Path:
    digest = hashlib.sha256(_maker_key())
    digest.update(source.text.encode("utf-8", "surrogatepass"))
    return cache_folder() / "parsed" / f"{digest.hexdigest()[:40]}.pickle"


@cache
def _maker_key() -> bytes:
    """What every tree depends on besides its text: the code and versions that make it."""
    import lark

    digest = hashlib.sha256(f"{sys.version}\n{lark.__version__}\n".encode())
    for name in _MAKERS:
        digest.update((_HERE / name).read_bytes())
    digest.update((resource_dir("grammar") / "cxb.lark").read_bytes())
    return digest.digest()


def _node_reducer(cls: type[Any]) -> Callable[[Any], tuple[Any, tuple[Any, ...]]]:
    """Pickle a node as its class and fields: read back through its ``__init__``, faster
    than attrs' default state of a slotted class."""
    names = tuple(field.name for field in attrs.fields(cls))

    def reduce(node: Any) -> tuple[Any, tuple[Any, ...]]:
        return cls, tuple(getattr(node, name) for name in names)

    return reduce


def _span(span: Span) -> tuple[type[Span], tuple[SourceFile, int, int]]:
    return Span, (span.file, span.start, span.end)


_REDUCERS: dict[type[Any], Callable[[Any], tuple[Any, tuple[Any, ...]]]] = {
    cls: _node_reducer(cls) for cls in _NODES
}
_REDUCERS[Span] = _span


class _Pickler(pickle.Pickler):
    """Writes a tree with its source file left out (a persistent id)."""

    def __init__(self, file: io.BytesIO, source: SourceFile) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.source = source
        self.dispatch_table = _REDUCERS

    def persistent_id(self, obj: Any) -> str | None:
        if obj is self.source:
            return _SOURCE
        if isinstance(obj, SourceFile):
            raise pickle.PicklingError("a tree points into another file")
        return None


class _Unpickler(pickle.Unpickler):
    """Reads a tree back with its spans in the file just read."""

    def __init__(self, file: io.BytesIO, source: SourceFile) -> None:
        super().__init__(file)
        self.source = source

    def persistent_load(self, pid: Any) -> SourceFile:
        if pid != _SOURCE:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self.source

    def find_class(self, module: str, name: str) -> Any:
        """Only the tree's own classes (and the Decimal of its quantities)."""
        found = super().find_class(module, name)
        if found in _ALLOWED:
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a syntax tree")


_ALLOWED = frozenset({*_NODES, Span, Decimal})
