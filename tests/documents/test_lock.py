"""The lock file that orders builds to one folder (two processes: test_output_faults)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blueprintc.documents import lock


def test_a_lock_file_left_by_a_killed_holder_blocks_nothing(tmp_path: Path) -> None:
    path = tmp_path / ".out.blueprintc-lock"
    path.write_text("")  # the kernel released the lock when its holder died
    with lock.held(path, wait=0):
        assert path.exists()
    assert not path.exists()  # deleted on release


def test_a_held_lock_makes_the_next_holder_wait_then_give_up(tmp_path: Path) -> None:
    path = tmp_path / ".out.blueprintc-lock"
    # a second open file: flock conflicts within one process too
    with lock.held(path, wait=0), pytest.raises(lock.Busy), lock.held(path, wait=0.1):
        pass
    with lock.held(path, wait=0):
        pass


def test_a_lock_on_a_deleted_file_is_not_taken_for_the_lock(tmp_path: Path) -> None:
    """What a waiter holds after the previous holder deleted the file and released it."""
    path = tmp_path / ".out.blueprintc-lock"
    path.write_text("")
    descriptor = os.open(path, os.O_RDWR)
    try:
        assert lock._is_current(descriptor, path)
        path.unlink()
        assert not lock._is_current(descriptor, path)
        path.write_text("")  # a new lock file under the same name
        assert not lock._is_current(descriptor, path)
    finally:
        os.close(descriptor)
