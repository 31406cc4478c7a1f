"""Locate blueprintc's files: those shipped with the package (the grammar and the standard
library) and its folder in the user's cache."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The ``grammar`` or ``stdlib`` folder: inside the installed wheel, else in the checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"blueprintc is incompletely installed: no {name}/ folder")


def cache_folder() -> Path:
    """blueprintc's folder in the user's cache: ``$BLUEPRINTC_CACHE_DIR`` if set, else
    ``$XDG_CACHE_HOME/blueprintc``, ``~/Library/Caches/blueprintc`` (macOS),
    ``%LOCALAPPDATA%\\blueprintc`` (Windows) or ``~/.cache/blueprintc``."""
    own = os.environ.get("BLUEPRINTC_CACHE_DIR")
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base and sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    if not base and sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    return Path(base or os.path.expanduser("~/.cache")) / "blueprintc"


def prune(folder: Path, days: int, most_bytes: int | None = None) -> None:
    """Delete the files of a cache folder not used for ``days`` days (stamps of output
    folders long gone, charts no build draws any more, trees of files long changed), and
    beyond ``most_bytes`` in all, the least recently used first."""
    oldest = time.time() - days * 86400
    left: list[tuple[float, str, int]] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                found = entry.stat()
                if found.st_mtime < oldest:
                    os.unlink(entry.path)
                else:
                    left.append((found.st_mtime, entry.path, found.st_size))
    if most_bytes is None:
        return
    total = sum(size for _, _, size in left)
    for _, path, size in sorted(left):
        if total <= most_bytes:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size


_PRUNED: set[Path] = set()  # cache folders pruned by this process
_WRITTEN: dict[Path, int] = {}  # bytes kept in a size-limited folder since it was pruned


def keep(
    path: Path, write: Callable[[Path], object], days: int, most_bytes: int | None = None
) -> None:
    """Put a file in a cache folder: ``write`` makes it beside ``path`` under a name of
    this process and thread, which then replaces ``path`` in one step, so a reader never
    finds half a file. The folder's files unused for ``days`` days are deleted on the
    process's first keep there; with ``most_bytes``, so are its least recently used files
    beyond that size, then and again each time this process has kept an eighth of it
    (a language server runs for days). Nothing happens when the folder cannot be
    written."""
    folder = path.parent
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        due = most_bytes is not None and _WRITTEN.get(folder, 0) >= most_bytes // 8
        if folder not in _PRUNED or due:
            _PRUNED.add(folder)
            _WRITTEN[folder] = 0
            prune(folder, days, most_bytes)
        staged = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.new")
        write(staged)
        if most_bytes is not None:
            _WRITTEN[folder] = _WRITTEN.get(folder, 0) + staged.stat().st_size
        os.replace(staged, path)
