"""A realtime queue sizes each distinct interval once and places the results back, and
queues of one kind are sized together: the same bytes as sizing every interval one by
one (`_realtime_cells` on the whole array) and every queue alone,
for random loads with repeated and unique intervals, every policy a realtime queue has
(Erlang C, Erlang A, abandonment and ASA limits, occupancy caps, chat concurrency,
minimum staff) and closed hours."""

from __future__ import annotations

import os
import threading
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from blueprintc import forked
from blueprintc.solve import staffing as st

POLICIES = (
    st.QueueSpec("voice", "realtime", 1800.0, 0.8, 20.0),
    st.QueueSpec("patient", "realtime", 1800.0, 0.8, 20.0, patience=120.0, max_abandon=0.05),
    st.QueueSpec("asa", "realtime", 900.0, 0.9, 30.0, "answered", max_asa=25.0, minimum_agents=2),
    st.QueueSpec("capped", "realtime", 3600.0, 0.8, 60.0, max_occupancy=0.85),
    st.QueueSpec("chat", "realtime", 1800.0, 0.8, 60.0, concurrency=2.5, max_occupancy=0.9),
    st.QueueSpec("virtual", "realtime", 1800.0, 0.7, 30.0, "virtual", patience=60.0),
)


def _kept_whole(_: int, result: st.IntervalResult) -> st.IntervalResult:
    return result


def _load(seed: int, months: int, per_day: int, repeat: bool) -> st.QueueLoad:
    rng = np.random.default_rng(seed)
    if repeat:  # one weekday profile for Monday to Friday, as a blueprint's patterns give
        day = rng.gamma(2.0, 20.0, size=(months, 1, per_day))
        contacts = np.concatenate(
            [np.repeat(day, 5, axis=1), rng.gamma(2.0, 8.0, (months, 2, per_day))], 1
        )
    else:
        contacts = rng.gamma(2.0, 20.0, size=(months, 7, per_day))
    contacts[:, :, : per_day // 4] = 0.0  # night
    handle = np.broadcast_to(rng.uniform(120, 600, size=(months, 1, 1)), contacts.shape).copy()
    is_open = np.ones((7, per_day), dtype=bool)
    is_open[6] = False  # closed on Sunday
    is_open[:, : per_day // 6] = False
    return st.QueueLoad(contacts, handle, is_open)


@settings(max_examples=30, deadline=None)
@given(
    seed=st_.integers(0, 2**32 - 1),
    policy=st_.sampled_from(POLICIES),
    repeat=st_.booleans(),
    per_day=st_.sampled_from([24, 48]),
)
def test_distinct_intervals_sized_once_give_every_interval_s_figures(
    seed: int, policy: st.QueueSpec, repeat: bool, per_day: int
) -> None:
    spec = attrs.evolve(policy, interval=86400.0 / per_day)
    load = _load(seed, 3, per_day, repeat)
    result = st.interval_agents(spec, load)
    is_open = np.broadcast_to(load.open, load.contacts.shape)
    contacts = np.where(is_open, load.contacts, 0.0)
    sessions = contacts * load.handle_time / spec.interval
    sessions = np.where(sessions < st.NEGLIGIBLE_TRAFFIC, 0.0, sessions)
    aht = np.where(sessions > 0, load.handle_time, 1.0)
    one_by_one = st._realtime_cells(st._Policy.of(spec), sessions, aht, is_open)
    for field in attrs.fields(st.IntervalResult):
        if field.name == "contacts":
            assert result.contacts.tobytes() == contacts.tobytes()
            continue
        mine, theirs = getattr(result, field.name), np.asarray(getattr(one_by_one, field.name))
        assert mine.shape == theirs.shape and mine.dtype == theirs.dtype, field.name
        assert mine.tobytes() == theirs.tobytes(), field.name


@settings(max_examples=25, deadline=None)
@given(
    seeds=st_.lists(st_.integers(0, 2**32 - 1), min_size=1, max_size=6),
    policies=st_.lists(st_.sampled_from(POLICIES), min_size=6, max_size=6),
    repeat=st_.booleans(),
)
def test_queues_sized_together_give_each_queue_s_figures(
    seeds: list[int], policies: list[st.QueueSpec], repeat: bool
) -> None:
    """Realtime queues of one kind are sized in one call, each with its own policy: every
    field is what sizing that queue alone gives. Deferred and outbound queues are mixed in."""
    queues = []
    for k, seed in enumerate(seeds):
        spec = attrs.evolve(policies[k], name=f"q{k}", minimum_agents=k % 3, interval=1800.0)
        queues.append((spec, _load(seed, 2, 48, repeat)))
    deferred = st.QueueSpec("email", "deferred", 1800.0, 0.9, 86400.0)
    outbound = st.QueueSpec("out", "outbound", 1800.0, None, None)
    queues += [(deferred, _load(1, 2, 48, False)), (outbound, _load(2, 2, 48, False))]
    together = dict(st.interval_agents_many(queues, _kept_whole))
    assert sorted(together) == list(range(len(queues)))
    for index, (spec, load) in enumerate(queues):
        alone = st.interval_agents(spec, load)
        for field in attrs.fields(st.IntervalResult):
            mine = getattr(together[index], field.name)
            theirs = getattr(alone, field.name)
            assert mine.dtype == theirs.dtype and mine.shape == theirs.shape, field.name
            assert mine.tobytes() == theirs.tobytes(), (spec.name, field.name)


@settings(max_examples=40, deadline=None)
@given(seed=st_.integers(0, 2**32 - 1), size=st_.integers(1, 3000))
def test_distinct_rows_bit_for_bit(seed: int, size: int) -> None:
    """`_first_of_each` finds the rows numpy's unique finds, and places every row back."""
    rng = np.random.default_rng(seed)
    sessions = rng.choice([0.0, -0.0, 1.5, 2.25, np.nextafter(1.5, 2.0), 7.0], size=size)
    aht = rng.choice([1.0, 240.0, 300.0], size=size)
    is_open = rng.random(size) < 0.7
    first, inverse = st._first_of_each(sessions.view(np.uint64), aht.view(np.uint64), is_open)
    rows = np.stack([sessions.view(np.uint64), aht.view(np.uint64), is_open.astype(np.uint64)], 1)
    assert len(np.unique(rows, axis=0)) == first.size
    assert np.array_equal(rows[first][inverse], rows)
    assert all(first[k] == np.flatnonzero(inverse == k)[0] for k in range(first.size))


def _mixed_queues() -> list[tuple[st.QueueSpec, st.QueueLoad]]:
    queues = [
        (
            attrs.evolve(POLICIES[k % len(POLICIES)], name=f"q{k}", interval=1800.0),
            _load(k, 2, 48, k % 2 == 0),
        )
        for k in range(14)
    ]
    return [
        *queues,
        (st.QueueSpec("email", "deferred", 1800.0, 0.9, 86400.0), _load(99, 2, 48, False)),
    ]


def test_batches_sized_on_threads_give_each_queue_s_figures_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many batches (small ones here) are sized on threads: the same bytes as each queue
    alone, handed on in the order one thread gives, each through ``finish`` on the
    thread that sized it."""
    queues = _mixed_queues()
    monkeypatch.setattr(st, "BATCH_CELLS", 1500)  # two queues a batch, several batches
    monkeypatch.setattr(forked, "can_fork", lambda: False)  # threads instead of a child
    monkeypatch.setattr(st, "_sizing_threads", lambda: 1)
    serial = list(st.interval_agents_many(queues, _kept_whole))
    monkeypatch.setattr(st, "_sizing_threads", lambda: 2)
    finished_on: set[str] = set()

    def finish(index: int, result: st.IntervalResult) -> st.IntervalResult:
        finished_on.add(threading.current_thread().name)
        return result

    threaded = list(st.interval_agents_many(queues, finish))
    assert [i for i, _ in threaded] == [i for i, _ in serial]
    assert any(name.startswith("blueprintc-sizing") for name in finished_on)
    for (index, mine), (_, theirs) in zip(threaded, serial, strict=True):
        alone = st.interval_agents(*queues[index])
        for field in attrs.fields(st.IntervalResult):
            for other in (theirs, alone):
                assert getattr(mine, field.name).tobytes() == getattr(other, field.name).tobytes()


def test_a_failure_on_a_sizing_thread_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(st, "BATCH_CELLS", 1500)
    monkeypatch.setattr(st, "_sizing_threads", lambda: 2)

    def finish(index: int, result: st.IntervalResult) -> st.IntervalResult:
        if index == 9:
            raise ValueError("queue 9")
        return result

    with pytest.raises(ValueError, match="queue 9"):
        list(st.interval_agents_many(_mixed_queues(), finish))


def test_numpy_error_handling_of_the_caller_holds_on_sizing_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(st, "BATCH_CELLS", 1500)
    monkeypatch.setattr(st, "_sizing_threads", lambda: 2)
    seen: list[dict[str, str]] = []

    def finish(index: int, result: st.IntervalResult) -> st.IntervalResult:
        seen.append(np.geterr())
        return result

    with np.errstate(all="raise"):
        list(st.interval_agents_many(_mixed_queues(), finish))
    assert seen and all(settings == seen[0] for settings in seen)
    assert seen[0]["divide"] == "raise"


def test_a_caller_off_the_main_thread_sizes_on_its_own_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The language server sizes in the background and stops a sizing by tracing its own
    thread: batches stay on that thread."""
    monkeypatch.setattr(st, "BATCH_CELLS", 1500)
    finished_on: set[str] = set()

    def finish(index: int, result: st.IntervalResult) -> st.IntervalResult:
        finished_on.add(threading.current_thread().name)
        return result

    worker = threading.Thread(
        target=lambda: list(st.interval_agents_many(_mixed_queues(), finish)), name="sizer"
    )
    worker.start()
    worker.join()
    assert finished_on == {"sizer"}


def _sized_where(index: int, result: st.IntervalResult) -> tuple[int, st.IntervalResult]:
    return os.getpid(), result


def test_later_batches_sized_by_a_child_give_each_queue_s_figures_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a second core, a forked child sizes the later batches and sends back what
    ``finish`` made of each queue: the same bytes, in the same order, as one process."""
    queues = _mixed_queues()
    monkeypatch.setattr(st, "BATCH_CELLS", 1500)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(st, "_sizing_threads", lambda: 1)
    serial = list(st.interval_agents_many(queues, _sized_where))
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    with warnings.catch_warnings():  # Python 3.12 warns of fork() beside other threads
        warnings.simplefilter("ignore", DeprecationWarning)
        split = list(st.interval_agents_many(queues, _sized_where))
    assert [i for i, _ in split] == [i for i, _ in serial]
    pids = [pid for _, (pid, _) in split]
    assert pids[0] == os.getpid() and os.getpid() != pids[-1]  # the last batch: the child's
    for (_, (_, mine)), (_, (_, theirs)) in zip(split, serial, strict=True):
        for field in attrs.fields(st.IntervalResult):
            assert getattr(mine, field.name).tobytes() == getattr(theirs, field.name).tobytes()


def test_the_batches_of_a_failing_child_are_sized_here(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()

    def fails_in_a_child(index: int, result: st.IntervalResult) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child cannot finish")
        return index

    monkeypatch.setattr(st, "BATCH_CELLS", 1500)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        got = list(st.interval_agents_many(_mixed_queues(), fails_in_a_child))
    assert sorted(i for i, _ in got) == list(range(len(_mixed_queues())))
    assert all(i == j for i, j in got)
