"""Forked children (blueprintc.forked): a task's bytes come back; a failing task, an
abandoned child or a place where forking is unsafe gives None, and the caller does the
work."""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Iterator

import pytest

from blueprintc import forked


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Children allowed whatever the test runner's own threads."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def test_a_child_s_bytes_come_back(forking: None) -> None:
    big = b"x" * (1 << 20)  # more than a pipe holds at once
    child = forked.start(lambda: big + str(os.getpid()).encode())
    assert child is not None
    got = child.result()
    assert got is not None and got.startswith(big)
    assert int(got[len(big) :]) != os.getpid()  # made by another process


def test_a_failing_task_gives_none(forking: None) -> None:
    def fails() -> bytes:
        raise RuntimeError("in the child")

    child = forked.start(fails)
    assert child is not None
    assert child.result() is None


def test_an_abandoned_child_ends(forking: None) -> None:
    child = forked.start(lambda: b"y" * (1 << 22))  # blocked on a full pipe until abandoned
    assert child is not None
    child.abandon()  # returns: the child stopped at its write


@pytest.mark.parametrize(("name", "forks"), [("worker", False), ("progress", True)])
def test_a_child_is_forked_beside_no_thread_but_the_progress_line(
    name: str, forks: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "enumerate", lambda: [threading.main_thread()])
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert forked.can_fork()  # alone (the test runner's own threads hidden)
    other = threading.Thread(target=lambda: None, name=name)
    monkeypatch.setattr(threading, "enumerate", lambda: [threading.main_thread(), other])
    assert forked.can_fork() is forks
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert not forked.can_fork()  # one core


def test_no_child_off_the_main_thread_or_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "enumerate", lambda: [threading.main_thread()])
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forked.can_fork()
    assert forked.start(lambda: b"") is None
    monkeypatch.setattr(sys, "platform", "linux")
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: seen.append(forked.can_fork()))
    worker.start()
    worker.join()
    assert seen == [False]
