"""Rebuild whenever a file the last build read changes (``blueprintc build --watch``).

Polling the modification times of the build's own inputs (the depfile's list) needs no
platform-specific notification API, and a blueprint project is a handful of files.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[Path, tuple[int, int] | None]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Modification time and size of each path (None for a missing file)."""
    found: Snapshot = {}
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            found[path] = None
        else:
            found[path] = (status.st_mtime_ns, status.st_size)
    return found


def watch(
    build: Callable[[], Iterable[Path]],
    *,
    interval: float = 0.3,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run ``build`` (which returns the files it read) now and after every change.

    ``rounds`` bounds the number of polls (None: until interrupted), for tests.
    """
    seen = snapshot(build())
    polls = 0
    while rounds is None or polls < rounds:
        sleep(interval)
        polls += 1
        now = snapshot(seen)
        if now != seen:
            sleep(interval)  # let an editor finish writing (save = truncate + write)
            seen = snapshot(build())
