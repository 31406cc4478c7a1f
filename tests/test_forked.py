"""Forked children (blueprintc.forked): a task's bytes come back; a failing task, an
abandoned child or a place where forking is unsafe gives None, and the caller does the
work."""

from __future__ import annotations

import os
import pickle
import sys
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

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


def _shout(word: str) -> bytes:
    return f"{word.upper()} from {os.getpid()}".encode()


def _fails(word: str) -> bytes:
    raise RuntimeError(word)


@pytest.fixture
def no_fork(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """No child can be forked; a lender runs each task at once on a pickled copy of its
    function and arguments, as a process pool's worker gets them (yields the names of the
    tasks lent)."""
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(forked, "usable_cores", lambda: 2)
    monkeypatch.setattr(forked, "_lent", None)  # the test process's own lender comes back
    lent: list[str] = []

    def submit(function: Any, *args: Any) -> Future[Any]:
        function, args = pickle.loads(pickle.dumps((function, args)))
        lent.append(function.__name__)
        done: Future[Any] = Future()
        try:
            done.set_result(function(*args))
        except Exception as error:
            done.set_exception(error)
        return done

    forked.lend(submit)
    yield lent


def test_a_lent_worker_takes_the_task_where_no_child_can_be_forked(no_fork: list[str]) -> None:
    helper = forked.beside(_shout, "parse")
    assert isinstance(helper, forked.Lent)
    assert helper.result() == f"PARSE from {os.getpid()}".encode()  # a copy, not a child
    assert no_fork == ["_shout"]


def test_a_lent_task_that_fails_gives_none(no_fork: list[str]) -> None:
    helper = forked.beside(_fails, "no")
    assert helper is not None
    assert helper.result() is None


def test_a_lent_task_no_worker_took_is_taken_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(forked, "usable_cores", lambda: 2)
    monkeypatch.setattr(forked, "_lent", None)
    waiting: Future[bytes] = Future()  # queued behind other work, never started
    forked.lend(lambda function, *args: waiting)
    helper = forked.beside(_shout, "late")
    assert helper is not None
    assert helper.result() is None  # the caller does it rather than wait
    assert waiting.cancelled()


def test_nothing_is_lent_on_one_core_or_when_taken_back(
    no_fork: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(forked, "usable_cores", lambda: 1)
        assert forked.beside(_shout, "x") is None
    forked.lend(None)
    assert forked.beside(_shout, "x") is None
    assert no_fork == []


def test_the_drawing_workers_are_lent_while_they_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprintc.documents import drawing

    monkeypatch.setattr(forked, "_lent", None)
    monkeypatch.setattr(drawing, "_pool", None)  # this test's own pool, never started
    monkeypatch.setattr(drawing, "_pool_failed", False)
    monkeypatch.setenv("BLUEPRINTC_JOBS", "2")
    assert drawing._workers() is not None
    assert forked._lent is drawing.beside
    drawing._retire()
    assert forked._lent is None


def test_help_is_at_hand_with_a_child_or_a_lent_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "_lent", None)
    monkeypatch.setattr(forked, "usable_cores", lambda: 2)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    assert forked.can_help()
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert not forked.can_help()
    forked.lend(lambda function, *args: None)
    assert forked.can_help()
    monkeypatch.setattr(forked, "usable_cores", lambda: 1)
    assert not forked.can_help()
