"""Realtime cells kept between compilations (`staffing.KeptCells`): a queue whose cells a
keeper holds is not sized again, and every queue's figures are the bytes of sizing
without a keeper, whichever queues were kept, sized together or sized apart; the key of a
queue's cells changes with every number of its policy and every bit of its cells."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from blueprintc.solve import staffing as st
from tests.solve.test_staffing_distinct import POLICIES, _kept_whole, _load, _mixed_queues


class _Memory:
    """A keeper in a dict, counting what it is asked."""

    def __init__(self) -> None:
        self.cells: dict[bytes, st.IntervalResult] = {}
        self.found = 0
        self.kept = 0

    def find(self, key: bytes) -> st.IntervalResult | None:
        cells = self.cells.get(key)
        self.found += cells is not None
        return cells

    def keep(self, key: bytes, cells: st.IntervalResult) -> None:
        self.kept += 1
        self.cells[key] = cells


def _same(mine: st.IntervalResult, theirs: st.IntervalResult) -> None:
    for field in attrs.fields(st.IntervalResult):
        one, other = getattr(mine, field.name), getattr(theirs, field.name)
        assert one.dtype == other.dtype and one.shape == other.shape, field.name
        assert one.tobytes() == other.tobytes(), field.name


def _realtime_count(queues: list[tuple[st.QueueSpec, st.QueueLoad]]) -> int:
    return sum(spec.mode == "realtime" for spec, _ in queues)


@settings(max_examples=20, deadline=None)
@given(kept_first=st_.lists(st_.booleans(), min_size=15, max_size=15))
def test_kept_cells_give_the_figures_of_sizing_without_a_keeper(kept_first: list[bool]) -> None:
    """Some queues are sized and kept first (alone); then all of them are sized together
    through the keeper: the kept ones are read, the others sized, the same bytes."""
    queues = _mixed_queues()
    plain = dict(st.interval_agents_many(queues, _kept_whole))
    memory = _Memory()
    for index, first in enumerate(kept_first):
        if first:
            st.interval_agents(*queues[index], memory)
    before = memory.kept
    through = dict(st.interval_agents_many(queues, _kept_whole, memory))
    realtime = [i for i, (spec, _) in enumerate(queues) if spec.mode == "realtime"]
    held = sum(kept_first[i] for i in realtime)
    assert memory.found == held
    assert memory.kept - before == len(realtime) - held
    for index in range(len(queues)):
        _same(through[index], plain[index])


def test_a_queue_whose_cells_are_kept_is_not_sized(monkeypatch: pytest.MonkeyPatch) -> None:
    queues = _mixed_queues()
    memory = _Memory()
    first = dict(st.interval_agents_many(queues, _kept_whole, memory))
    assert memory.kept == _realtime_count(queues)

    def refused(*_: object) -> st.IntervalResult:
        raise AssertionError("sized again")

    monkeypatch.setattr(st, "_realtime_cells", refused)
    again = dict(st.interval_agents_many(queues, _kept_whole, memory))
    assert memory.found == _realtime_count(queues)
    for index in first:
        _same(again[index], first[index])


def test_only_the_changed_queue_is_sized_again(monkeypatch: pytest.MonkeyPatch) -> None:
    queues = _mixed_queues()
    memory = _Memory()
    list(st.interval_agents_many(queues, _kept_whole, memory))
    spec, load = queues[3]
    busier = st.QueueLoad(load.contacts * 1.5, load.handle_time, load.open)
    queues[3] = (spec, busier)
    sized: list[int] = []
    original = st._realtime_cells

    def counted(policy: object, sessions: st.FloatArray, *rest: object) -> st.IntervalResult:
        sized.append(sessions.size)
        return original(policy, sessions, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(st, "_realtime_cells", counted)
    again = dict(st.interval_agents_many(queues, _kept_whole, memory))
    assert sized == [st._distinct(spec, busier).first.size]
    _same(again[3], st.interval_agents(spec, busier))


def _key(spec: st.QueueSpec, load: st.QueueLoad) -> bytes:
    return st.cells_key(spec, st._distinct(spec, load))


NUMBERS = {
    "target_time": 25.0,
    "target_level": 0.81,
    "patience": 130.0,
    "max_abandon": 0.04,
    "max_asa": 26.0,
    "max_occupancy": 0.86,
    "concurrency": 2.0,
    "minimum_agents": 5,
}


@pytest.mark.parametrize("spec", POLICIES, ids=[p.name for p in POLICIES])
def test_the_key_changes_with_every_number_of_the_policy(spec: st.QueueSpec) -> None:
    load = _load(7, 2, 48, True)
    base = _key(spec, load)
    assert _key(attrs.evolve(spec, name="renamed", shrinkage=0.3), load) == base  # not read
    keys = {base}
    for name, value in NUMBERS.items():
        keys.add(_key(attrs.evolve(spec, **{name: value}), load))
    assert len(keys) == len(NUMBERS) + 1
    other = "answered" if spec.definition != "answered" else "virtual"
    assert _key(attrs.evolve(spec, definition=other, patience=60.0), load) not in keys


def test_the_key_changes_with_one_cell_s_traffic_handle_time_or_opening() -> None:
    """One cell's contacts a millionth larger, its handle time one bit smaller, or its
    opening changed: another key; a change that leaves every cell's bits as they were
    (contacts in a closed interval) keeps the key."""
    spec = POLICIES[0]
    load = _load(11, 2, 48, False)
    base = _key(spec, load)
    assert load.open[2, 30] and not load.open[2, 3]
    contacts = load.contacts.copy()
    contacts[1, 2, 30] *= 1.000001
    assert _key(spec, st.QueueLoad(contacts, load.handle_time, load.open)) != base
    handle = load.handle_time.copy()
    handle[0, 4, 20] = np.nextafter(handle[0, 4, 20], 0.0)
    assert _key(spec, st.QueueLoad(load.contacts, handle, load.open)) != base
    is_open = load.open.copy()
    is_open[2, 40] = False
    assert _key(spec, st.QueueLoad(load.contacts, load.handle_time, is_open)) != base
    closed = load.contacts.copy()
    closed[1, 2, 3] = 40.0
    assert _key(spec, st.QueueLoad(closed, load.handle_time, load.open)) == base


def test_numpy_numbers_in_a_policy_give_the_key_of_python_numbers() -> None:
    spec = POLICIES[2]
    load = _load(5, 2, 48, True)
    numpy_numbers = attrs.evolve(
        spec, target_level=np.float64(0.9), max_asa=np.float64(25.0), minimum_agents=np.int64(2)
    )
    assert _key(numpy_numbers, load) == _key(spec, load)


def test_kept_cells_of_another_count_are_sized_again() -> None:
    """A keeper that hands back cells of another queue (a file written by hand under the
    right name) is not believed: the queue is sized and kept again."""
    queues = [q for q in _mixed_queues() if q[0].mode == "realtime"][:2]
    memory = _Memory()
    plain = dict(st.interval_agents_many(queues, _kept_whole))
    list(st.interval_agents_many(queues, _kept_whole, memory))
    first, second = list(memory.cells)
    memory.cells[first] = memory.cells[second]  # the other queue's cells under this key
    assert memory.cells[first].agents.size != st._distinct(*queues[0]).first.size
    again = dict(st.interval_agents_many(queues, _kept_whole, memory))
    for index in plain:
        _same(again[index], plain[index])
