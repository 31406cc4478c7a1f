"""Chores put off (blueprintc.idle): done at once outside a ``deferring`` block; inside
it, done while its thread waits for a future, or when the block ends; never by another
thread's wait."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from blueprintc import idle


def test_a_chore_outside_a_deferring_block_is_done_at_once() -> None:
    done: list[str] = []
    idle.later(lambda: done.append("now"))
    assert done == ["now"]


def test_chores_put_off_are_done_in_order_when_the_block_ends() -> None:
    done: list[int] = []
    with idle.deferring():
        for k in range(3):
            idle.later(lambda k=k: done.append(k))
        assert done == []
    assert done == [0, 1, 2]
    idle.later(lambda: done.append(3))  # the block is closed: at once again
    assert done == [0, 1, 2, 3]


def test_chores_are_done_while_waiting_and_stop_when_the_future_is_done() -> None:
    done: list[int] = []
    future: Future[None] = Future()
    with idle.deferring():
        idle.later(lambda: done.append(1))
        idle.later(lambda: (done.append(2), future.set_result(None)))
        idle.later(lambda: done.append(3))
        idle.while_waiting(future)
        assert done == [1, 2]  # the third waits: the future is done
        idle.while_waiting(None)  # nothing to wait for: nothing done
        assert done == [1, 2]
    assert done == [1, 2, 3]


def test_another_thread_s_wait_does_no_chore_of_this_one() -> None:
    done: list[str] = []
    future: Future[None] = Future()
    with idle.deferring():
        idle.later(lambda: done.append(threading.current_thread().name))
        with ThreadPoolExecutor(1, thread_name_prefix="other") as pool:
            pool.submit(idle.while_waiting, future).result()
        assert done == []
        idle.while_waiting(future)
        assert done == [threading.current_thread().name]


def test_blocks_nest_and_a_failing_block_still_does_its_chores() -> None:
    done: list[str] = []
    with idle.deferring():
        idle.later(lambda: done.append("outer"))
        with pytest.raises(RuntimeError), idle.deferring():
            idle.later(lambda: done.append("inner"))
            raise RuntimeError("a build that fails")
        assert done == ["inner"]
    assert done == ["inner", "outer"]
