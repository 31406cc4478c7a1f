"""Work done by a forked child process while this process does other work.

``fork()`` gives a child everything this process holds at once (its memory is shared
until either side writes to it), so a task reads the blueprint, the model and the
workload without their being copied or sent; only its answer comes back, as bytes
through a pipe. A large file's second half is parsed so
(:mod:`blueprintc.syntax.parallel`), and half of a large center's queues are sized so
(:mod:`blueprintc.solve.staffing`), each on the core a compilation otherwise leaves idle.

A child is made only where that is safe and useful (:func:`can_fork`): on Linux (on macOS
system libraries may have started threads a child cannot have), from the main thread,
with no other thread running but the terminal's progress line (another thread may hold a
lock the child would need), and with a second core to run on. A child that fails says
so by its exit status only; the caller then does the work itself, so that any error is
raised, with its traceback, where it would be without a child.

Where no child can be forked because a later stage keeps worker processes running (the
document build's drawing workers stay for the next build of ``--watch`` or of a program
that builds in-process), that stage lends them (:func:`lend`): :func:`beside` then hands a
task whose arguments pickle to one of them, as the parse does.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any, Final

from blueprintc.console import PROGRESS_THREAD

HARMLESS_THREADS: Final = frozenset({PROGRESS_THREAD})
"""Threads beside which a child may be forked: the terminal's progress line
(:class:`blueprintc.console.Progress`) only writes to the terminal, which a child never
does."""


def usable_cores() -> int:
    """The cores this process may run on (those it is bound to, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class Child:
    """A forked child running ``task``; :meth:`result` or :meth:`abandon` ends it."""

    def __init__(self, pid: int, read: int) -> None:
        self._pid = pid
        self._read: int | None = read

    def result(self) -> bytes | None:
        """The bytes the task returned, or None if it failed (waits for the child)."""
        data = b""
        try:
            assert self._read is not None, "a child's result is read once"
            with os.fdopen(self._read, "rb", closefd=False) as pipe:
                data = pipe.read()
        finally:
            status = self._end()
        return data if status == 0 and data else None

    def abandon(self) -> None:
        """End the child without its answer (it stops at its next write)."""
        self._end()

    def _end(self) -> int:
        if self._read is not None:
            os.close(self._read)
            self._read = None
        _, status = os.waitpid(self._pid, 0)
        return status


class Lent:
    """A task on a lent worker process (:func:`beside`); :meth:`result` or :meth:`abandon`
    ends it, as a :class:`Child`'s."""

    def __init__(self, future: Future[bytes]) -> None:
        self._future = future

    def result(self) -> bytes | None:
        """The bytes the task returned, or None if it failed or no worker had taken it yet
        (taken back: the caller does it rather than wait for a worker)."""
        if self._future.cancel():
            return None
        try:
            data = self._future.result()
        except (Exception, CancelledError):  # the worker died, or the task failed there
            return None
        return data if isinstance(data, bytes) and data else None

    def abandon(self) -> None:
        """Drop the task: not started, it never runs; started, its answer is ignored."""
        self._future.cancel()


Submit = Callable[..., "Future[Any] | None"]
"""Starts ``function(*args)`` on a worker process, or returns None where it cannot."""

_lent: Submit | None = None


def lend(submit: Submit | None) -> None:
    """Lend the worker processes a later stage keeps running to :func:`beside`
    (``submit(function, *args)`` starts a task on one); None takes them back."""
    global _lent
    _lent = submit


def can_help() -> bool:
    """Whether :func:`beside` may find another process here (a child, or a lent worker)."""
    return can_fork() or _lender() is not None


def _lender() -> Submit | None:
    """What starts a task on a lent worker, if any is lent and has a core to run on."""
    return _lent if usable_cores() >= 2 else None


def beside(function: Callable[..., bytes], *args: Any) -> Child | Lent | None:
    """``function(*args)`` begun in another process while this one goes on: in a forked
    child where one can be had (:func:`start`), else on a lent worker (:func:`lend`; the
    function and its arguments are pickled), else None: the caller does it itself."""
    child = start(functools.partial(function, *args))
    submit = _lender()
    if child is not None or submit is None:
        return child
    future = submit(function, *args)
    return None if future is None else Lent(future)


def start(task: Callable[[], bytes]) -> Child | None:
    """``task()`` begun in a forked child, or None where no child can be had
    (:func:`can_fork`): the caller does the task itself."""
    if not can_fork():
        return None
    try:
        read, write = os.pipe()
        with warnings.catch_warnings():  # Python 3.12 warns of any thread running beside
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        _run(task, read, write)
    os.close(write)
    return Child(pid, read)


def _run(task: Callable[[], bytes], read: int, write: int) -> None:
    """The child: do the task, write its bytes, end (status 0 only when all was written)."""
    code = 1
    try:
        os.close(read)
        data = task()
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:  # the status says what happened; an exception goes no further
        os._exit(code)


def can_fork() -> bool:
    """Whether a child may be forked here, with a core of its own."""
    if sys.platform != "linux" or threading.current_thread() is not threading.main_thread():
        return False
    others = (t for t in threading.enumerate() if t is not threading.main_thread())
    if any(t.name not in HARMLESS_THREADS for t in others):
        return False
    return usable_cores() >= 2


if hasattr(os, "register_at_fork"):  # pragma: no branch - not on Windows
    os.register_at_fork(after_in_child=functools.partial(lend, None))  # not the child's
