"""An advisory lock held in a file, so that two builds never write one folder at once.

``flock`` (``msvcrt.locking`` on Windows) on a lock file: the kernel releases it when its
holder exits, even when killed, so a stale lock file never blocks anything. The holder
deletes the file before releasing it; a waiter that then gets the lock on the deleted
file sees that the path names another file (or none) and tries again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

POLL = 0.05  # seconds between two attempts


class Busy(Exception):
    """Another process held the lock for the whole wait."""


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _try_lock(descriptor: int) -> bool:
    try:
        if sys.platform == "win32":
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise
    return True


def _is_current(descriptor: int, path: Path) -> bool:
    """Whether ``path`` still names the locked file (a holder deletes it on release)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _acquire(path: Path) -> int | None:
    """The descriptor of ``path`` locked by this process, or None if another holds it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        if _try_lock(descriptor) and _is_current(descriptor, path):
            return descriptor
    except BaseException:
        os.close(descriptor)
        raise
    os.close(descriptor)
    return None


@contextlib.contextmanager
def held(path: Path, wait: float) -> Iterator[None]:
    """Hold the lock in ``path`` (created), waiting at most ``wait`` seconds for another
    holder; raise ``Busy`` after that, ``OSError`` when the file cannot be created."""
    deadline = time.monotonic() + wait
    while (descriptor := _acquire(path)) is None:
        if time.monotonic() >= deadline:
            raise Busy(path)
        _pause(POLL)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # before the release: a waiter then sees a deleted file
        os.close(descriptor)
