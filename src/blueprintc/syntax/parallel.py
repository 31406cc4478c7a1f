"""A large file parsed in two parts at once, on two cores.

Parsing is pure Python (Lark) and a third of a large blueprint's compile, on the one
core a compilation otherwise uses. A file of at least :data:`PARALLEL_BYTES` is cut after
a top-level block near the middle (:func:`blueprintc.syntax.parse.cut_point`); a child
process made with ``fork()`` parses the part after the cut and hands its tree back as
bytes (:func:`blueprintc.syntax.kept.tree_bytes`, spans as offsets) while this process
parses the part before it. Statements do not reach across a top-level line break, so the
two trees together are the tree of the whole file (tests compare them).

Nothing of this happens where ``fork()`` is missing or unsafe (another thread running,
as in the language server, but for the terminal's progress line), with one core, or when
either part has a syntax error: the file is then parsed whole, with the usual recovery
and diagnostics.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Callable
from typing import Final

from blueprintc.source import SourceFile
from blueprintc.syntax import ast, kept

PARALLEL_BYTES: Final = 128 * 1024
"""The smallest file parsed in two parts (below it, starting a process costs about what
it saves)."""
CHILD_SHARE: Final = 0.45
"""The share of the text the child parses: it also writes its tree out, which this
process then reads."""

Part = Callable[[SourceFile, int, int], "ast.Module | None"]
"""Parses ``[start, end)`` of a file alone: its tree, or None at a syntax error."""


def parsed_in_two(
    source: SourceFile, cut_point: Callable[[str, int], int | None], part: Part
) -> ast.Module | None:
    """The tree of ``source`` from its two parts parsed at once, or None when it is not
    parsed so (the caller parses the whole file)."""
    text = source.text
    if len(text) < PARALLEL_BYTES or not _can_fork():
        return None
    cut = cut_point(text, round(len(text) * (1 - CHILD_SHARE)))
    if cut is None:
        return None
    try:
        read, write = os.pipe()
        with warnings.catch_warnings():  # Python 3.12 warns of any thread running beside
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        _child(source, cut, part, read, write)
    os.close(write)
    data = b""
    try:
        first = part(source, 0, cut)
        if first is not None:
            with os.fdopen(read, "rb", closefd=False) as pipe:
                data = pipe.read()
    finally:
        os.close(read)  # a child still writing stops (broken pipe)
        _, status = os.waitpid(pid, 0)
    if first is None or status != 0 or not data:
        return None
    second = kept.tree_from(data, source)
    return ast.Module(
        source, first.statements + second.statements, first.comments + second.comments
    )


def _child(source: SourceFile, cut: int, part: Part, read: int, write: int) -> None:
    """Parse the part after the cut, write its tree to the pipe and end the process
    (exit status 0 only when the whole tree was written)."""
    code = 1
    try:
        os.close(read)
        second = part(source, cut, len(source.text))
        if second is not None:
            with os.fdopen(write, "wb") as pipe:
                pipe.write(kept.tree_bytes(second))
            code = 0
    finally:  # the status says what happened; an exception goes no further
        os._exit(code)


_HARMLESS_THREADS: Final = frozenset({"progress"})
"""Threads beside which a child may be forked: the terminal's progress line
(:class:`blueprintc.console.Progress`) only writes to the terminal, which the child never
does."""


def _can_fork() -> bool:
    """Whether a child process may be forked here, with a core of its own: from the main
    thread, with no other thread running but the harmless ones (another thread may hold a
    lock the child would need)."""
    if not hasattr(os, "fork") or threading.current_thread() is not threading.main_thread():
        return False
    others = (t for t in threading.enumerate() if t is not threading.main_thread())
    if any(t.name not in _HARMLESS_THREADS for t in others):
        return False
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0)) >= 2
    return (os.cpu_count() or 1) >= 2
