"""Chores a command puts off until it waits anyway.

A build compiles on one core while the other is all but free, then renders its documents
while drawing workers make charts and files, and near its end it waits for the workers.
Work whose result nothing in the process needs, such as writing a parsed file's syntax
tree to the cache folder for the next process (:func:`blueprintc.syntax.kept.keep`), is
better done while it waits than while it compiles, on the path every later stage waits
on. Inside :func:`deferring`, :func:`later` puts a chore off (outside it, the chore is
done at once); :func:`while_waiting` does the chores put off until a future is done, and
whatever is left is done when the ``deferring`` block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_chores: list[Callable[[], None]] | None = None  # None: chores are done at once
_owner: int | None = None  # the thread whose waits do them


@contextmanager
def deferring() -> Iterator[None]:
    """Chores put off within the block, done while this thread waits or at its end."""
    global _chores, _owner
    with _lock:
        outer = (_chores, _owner)
        _chores, _owner = [], threading.get_ident()
    try:
        yield
    finally:
        with _lock:
            left = _chores or []
            _chores, _owner = outer
        for chore in left:
            chore()


def later(chore: Callable[[], None]) -> None:
    """``chore()`` now, or put off if a ``deferring`` block is open."""
    with _lock:
        if _chores is not None:
            _chores.append(chore)
            return
    chore()


def while_waiting(future: Future[Any] | None) -> None:
    """Do chores put off, one at a time, until ``future`` is done (none are left, or
    this is not the thread that put them off)."""
    if future is None:
        return
    while not future.done():
        with _lock:
            if not _chores or _owner != threading.get_ident():
                return
            chore = _chores.pop(0)
        chore()
