"""Write a build to disk the way build systems need it.

* Atomic: the new tree is assembled in a sibling staging folder and swapped in with
  renames only after every file is there; a failure leaves the old output as it was.
* Quiet: a file whose bytes did not change is carried over from the old output with
  its modification time, so ``make`` does not rebuild what depends on it.
* Owned: the folder gets a manifest (``.blueprintc-build``); a non-empty folder without
  one is refused rather than replaced, so ``-o .`` cannot wipe a project.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

MANIFEST = ".blueprintc-build"


class OutputError(Exception):
    """The output folder cannot be written (message says why)."""


def check_target(directory: Path) -> None:
    """Refuse a target that exists and is not a blueprintc output folder."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MANIFEST).is_file():
        raise OutputError(
            f"{directory} is not empty and was not written by blueprintc build; "
            "choose an empty or new folder"
        )


def write_tree(directory: Path, files: Mapping[str, bytes]) -> list[str]:
    """Replace ``directory`` with exactly ``files``; return the paths whose bytes changed."""
    check_target(directory)
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    changed: list[str] = []
    try:
        manifest = "".join(f"{name}\n" for name in sorted(files)).encode()
        for name, data in {**files, MANIFEST: manifest}.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            old = directory / name
            if old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data:
                shutil.copy2(old, target)  # keeps the old modification time
            else:
                target.write_bytes(data)
                if name != MANIFEST:
                    changed.append(name)
        _swap(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed


def _swap(staging: Path, directory: Path) -> None:
    os.chmod(staging, 0o755)
    if not directory.exists():
        os.replace(staging, directory)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old.", dir=directory.parent))
    retired.rmdir()
    os.replace(directory, retired)
    try:
        os.replace(staging, directory)
    except BaseException:
        os.replace(retired, directory)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")


def depfile(target: str, inputs: Iterable[Path]) -> str:
    """A make/ninja depfile: ``target`` depends on every input; each input a phony target.

    The phony rules keep ``make`` working when an input is deleted or renamed (as
    ``gcc -MP`` does).
    """
    names = [_escape(str(p)) for p in inputs]
    lines = [f"{_escape(target)}: " + " \\\n  ".join(names) if names else f"{_escape(target)}:"]
    lines += [f"\n{name}:" for name in names]
    return "\n".join(lines) + "\n"
