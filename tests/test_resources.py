"""The cache folder's housekeeping (`blueprintc.resources`): files unused for the days a
folder keeps them are deleted, a size-limited folder loses its least recently used files
beyond its size, and a file is kept in one step (never half written)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from blueprintc import resources


def _file(folder: Path, name: str, size: int, days_ago: float) -> Path:
    path = folder / name
    path.write_bytes(b"x" * size)
    stamp = time.time() - days_ago * 86400
    os.utime(path, (stamp, stamp))
    return path


def test_files_unused_for_the_days_are_deleted(tmp_path: Path) -> None:
    old = _file(tmp_path, "old", 10, 31)
    recent = _file(tmp_path, "recent", 10, 29)
    resources.prune(tmp_path, 30)
    assert not old.exists() and recent.exists()


def test_beyond_the_size_the_least_recently_used_go_first(tmp_path: Path) -> None:
    files = [_file(tmp_path, f"f{k}", 100, days_ago=10 - k) for k in range(10)]  # f9 newest
    resources.prune(tmp_path, 30, most_bytes=450)
    assert [f.exists() for f in files] == [False] * 6 + [True] * 4
    resources.prune(tmp_path, 30, most_bytes=10_000)
    assert sum(f.exists() for f in files) == 4


def test_a_missing_folder_is_no_error(tmp_path: Path) -> None:
    resources.prune(tmp_path / "none", 30, most_bytes=0)


def test_a_size_limited_folder_is_pruned_again_after_an_eighth_of_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "_PRUNED", set())
    monkeypatch.setattr(resources, "_WRITTEN", {})
    folder = tmp_path / "kept"
    pruned: list[int] = []
    real = resources.prune

    def counted(where: Path, days: int, most_bytes: int | None = None) -> None:
        pruned.append(len(list(where.iterdir())))
        real(where, days, most_bytes)

    monkeypatch.setattr(resources, "prune", counted)
    for k in range(40):
        resources.keep(folder / f"f{k}", lambda staged: staged.write_bytes(b"x" * 40), 30, 800)
    # On the first keep, then each time 100 bytes (an eighth of 800) were kept since.
    assert len(pruned) == 14 and pruned[0] == 0
    assert sum(f.stat().st_size for f in folder.iterdir()) <= 800 + 3 * 40
    assert not list(folder.glob("*.new"))
