"""Syntax trees kept on disk, so that a new process need not parse unchanged files again.

Every compilation parses the files it reads: the blueprint, its modules, the standard
library modules it uses. Within one process the standard library is parsed once
(:mod:`blueprintc.semantic.modules`); across processes, the tree of every file read from
disk is kept in blueprintc's cache folder (``parsed/``, see
:func:`blueprintc.resources.cache_folder`): one file per source file, named after a digest
of its real path and of everything a tree depends on (the Python, Lark's version, and the
bytes of the grammar, of the modules that build the tree and of the one holding
blueprintc's version: :data:`_MAKERS`), beginning with the SHA-256 of the text it was
parsed from. A tree is read back only for the same text, and kept only when its file
parsed without a diagnostic; an editor's reparser (:func:`blueprintc.syntax.reparser.reparsing`)
is never bypassed, and text without a file (standard input) is always parsed.

The tree is pickled without its source file: the file is given again when the tree is
read back (the same ``SourceFile`` object its spans then point to), so a tree never shows
another path or text than the file just read. A kept tree that cannot be read (damaged,
cut short, of classes a tree does not hold) is ignored and written again; a folder that
cannot be written only costs the next process the parse. Files unused for 30 days are
deleted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import operator
import os
import pickle
import sys
import threading
import weakref
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from blueprintc import idle
from blueprintc.diagnostics import DiagnosticSink
from blueprintc.resources import cache_folder, prune, resource_dir
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast
from blueprintc.syntax.reparser import current_reparser

KEEP_DAYS = 30  # a kept tree unused this long is deleted
_HERE = Path(__file__).resolve().parent
_MAKERS = ("ast.py", "lower.py", "parse.py", "kept.py", "../source.py", "../__init__.py")
"""The modules whose code decides a tree, and the package's ``__init__`` (its version):
a change to any of them, or to the grammar, changes every key."""
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


def parse_kept(source: SourceFile, sink: DiagnosticSink) -> ast.Module:
    """:func:`~blueprintc.syntax.parse.parse`, through the tree kept for a file on disk
    with the same text (the same tree and, as it was kept, no diagnostics)."""
    if current_reparser() is not None or source.real_path is None or source.decode_error:
        return _noted(_parse(source, sink))
    module = load(source)
    if module is not None:
        return _noted(module)  # Lark is not even loaded when every file is kept
    before = len(sink)
    module = _parse(source, sink)
    if len(sink) == before:
        idle.later(functools.partial(keep, module))  # only the next process needs it
    return _noted(module)


_COMMENTS: weakref.WeakKeyDictionary[SourceFile, tuple[tuple[int, int, str], ...]] = (
    weakref.WeakKeyDictionary()
)
"""The comments of each file parsed in this process, while the file lives: offsets and
text only (a span would hold the file, and the file would then never be let go)."""


def _noted(module: ast.Module) -> ast.Module:
    _COMMENTS[module.source] = tuple((c.span.start, c.span.end, c.text) for c in module.comments)
    return module


def comments_of(source: SourceFile) -> tuple[ast.Comment, ...]:
    """The comments of ``source``: those its tree had when this process parsed or read it
    (the compilation that loaded it), else from its tree parsed or read again."""
    found = _COMMENTS.get(source)
    if found is None:
        return parse_kept(source, DiagnosticSink()).comments
    return tuple(ast.Comment(text, Span(source, start, end)) for start, end, text in found)


def _parse(source: SourceFile, sink: DiagnosticSink) -> ast.Module:
    from blueprintc.syntax.parse import parse

    return parse(source, sink)


def load(source: SourceFile) -> ast.Module | None:
    """The tree kept for ``source`` (a file on disk) if it was parsed from the same text,
    its spans in ``source``; None if there is none or it cannot be read."""
    path = _path(source)
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            if file.read(_DIGEST) != _digest(source):
                return None  # the file changed since
            module = _Unpickler(file, source).load()
    except Exception:  # missing, unreadable, damaged or of other classes: parse instead
        return None
    if not isinstance(module, ast.Module) or module.source is not source:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: not pruned
    return module


def keep(module: ast.Module) -> None:
    """Write ``module``'s tree for the next process (atomically: a reader sees the whole
    file or none); nothing for text without a file or if the folder cannot be written."""
    global _pruned
    path = _path(module.source)
    if path is None:
        return
    staged = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    try:
        data = tree_bytes(module)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not _pruned:
            _pruned = True
            prune(path.parent, KEEP_DAYS)
        staged.write_bytes(_digest(module.source) + data)
        os.replace(staged, path)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)


def tree_bytes(module: ast.Module) -> bytes:
    """``module``'s tree as bytes without its file (what a kept tree holds after the
    digest; also how a helper process hands back a tree it parsed)."""
    buffer = io.BytesIO()
    _Pickler(buffer, module.source).dump(module)
    return buffer.getvalue()


def tree_from(data: bytes, source: SourceFile) -> ast.Module:
    """The tree of `tree_bytes`, its spans in ``source``."""
    module = _Unpickler(io.BytesIO(data), source).load()
    if not isinstance(module, ast.Module) or module.source is not source:
        raise pickle.UnpicklingError("not a syntax tree of this file")
    return module


_pruned = False  # the folder is pruned once per process, when a tree is first written
_DIGEST = hashlib.sha256().digest_size


def _path(source: SourceFile) -> Path | None:
    """Where the tree of ``source`` is kept: None for text without a file."""
    if source.real_path is None:
        return None
    digest = hashlib.sha256(_maker_key())
    digest.update(os.fsencode(source.real_path))
    return cache_folder() / "parsed" / f"{digest.hexdigest()[:40]}.pickle"


def _digest(source: SourceFile) -> bytes:
    return hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).digest()


@cache
def _maker_key() -> bytes:
    """What every tree depends on besides its text: the code and versions that make it."""
    digest = hashlib.sha256(f"{sys.version}\n".encode())
    lark = importlib.util.find_spec("lark")  # its version, without importing it
    if lark is not None and lark.origin is not None:
        digest.update(Path(lark.origin).read_bytes())
    for name in _MAKERS:
        digest.update((_HERE / name).read_bytes())
    digest.update((resource_dir("grammar") / "cxb.lark").read_bytes())
    return digest.digest()


def _node_reducer(cls: type[Any]) -> Callable[[Any], tuple[Any, tuple[Any, ...]]]:
    """Pickle a node as its class and fields: read back through its ``__init__``, faster
    than attrs' default state of a slotted class."""
    names = tuple(field.name for field in attrs.fields(cls))
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        (name,) = names

        def reduce_one(node: Any) -> tuple[Any, tuple[Any, ...]]:
            return cls, (getattr(node, name),)

        return reduce_one
    fields = operator.attrgetter(*names)  # a tuple of them, read in C

    def reduce(node: Any) -> tuple[Any, tuple[Any, ...]]:
        return cls, fields(node)

    return reduce


_REDUCERS: dict[type[Any], Callable[[Any], tuple[Any, tuple[Any, ...]]]] = {
    cls: _node_reducer(cls) for cls in _NODES
}


def _span_in(start: int, end: int) -> Span:
    """A span of the file being read: what a kept tree's spans are pickled as (the
    file is left out). Only ``_Unpickler`` makes them, in the file it is given."""
    raise pickle.UnpicklingError("a kept span is read back only with its file")


def _module_in(statements: tuple[Any, ...], comments: tuple[Any, ...]) -> ast.Module:
    """The tree of the file being read (see ``_span_in``)."""
    raise pickle.UnpicklingError("a kept tree is read back only with its file")


class _Pickler(pickle.Pickler):
    """Writes a tree with its source file left out: each span as its offsets, the tree
    without its file (Python's reducers, no per-object hook: writing a large tree took
    half as long as parsing it with one)."""

    def __init__(self, file: io.BytesIO, source: SourceFile) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)

        def span(found: Span) -> tuple[Any, tuple[int, int]]:
            if found.file is not source:
                raise pickle.PicklingError("a tree points into another file")
            return _span_in, (found.start, found.end)

        def module(found: ast.Module) -> tuple[Any, tuple[Any, ...]]:
            if found.source is not source:
                raise pickle.PicklingError("a tree of another file")
            return _module_in, (found.statements, found.comments)

        def other(_: SourceFile) -> Any:
            raise pickle.PicklingError("a tree points into another file")

        self.dispatch_table = {**_REDUCERS, Span: span, ast.Module: module, SourceFile: other}


class _Unpickler(pickle.Unpickler):
    """Reads a tree back with its spans in the file just read."""

    def __init__(self, file: BinaryIO, source: SourceFile) -> None:
        super().__init__(file)
        self.source = source

    def find_class(self, module: str, name: str) -> Any:
        """Only the tree's own classes (and the Decimal of its quantities); spans and the
        tree in the file given."""
        if module == __name__ and name == _span_in.__name__:
            return functools.partial(Span, self.source)
        if module == __name__ and name == _module_in.__name__:
            return functools.partial(ast.Module, self.source)
        found = super().find_class(module, name)
        if found in _ALLOWED:
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a syntax tree")


_ALLOWED = frozenset({*_NODES, Decimal})
