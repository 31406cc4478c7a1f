"""The staffing search by load gives every cell the head count its own search finds.

`queueing._by_load` searches only some cells of a group with equal parameters sorted by
traffic and takes the others' head counts from monotonicity. The reference is
`queueing._searched`, every cell searched alone (first guess, bracket, bisection). The
cells are drawn as a sizing makes them: groups sharing handle time, patience and targets,
traffic from almost nothing to hundreds of Erlangs, repeated values, and every target a
queue can have (service level under each definition, abandonment, ASA, occupancy).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.solve import queueing as q

DEFINITIONS = ("offered", "answered", "virtual")
PATIENCE = (math.inf, 30.0, 120.0, 600.0)


def _targets(
    seed: int, cells: int, groups: int, definition: q.Definition, given: tuple[bool, ...]
) -> q._Targets:
    """Random cells in groups of equal parameters; `given` says which of the service
    level, abandonment, ASA and occupancy targets they have."""
    level, abandon, asa, occupancy = given
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, size=cells)
    aht = rng.choice([120.0, 240.0, 300.0, 555.0], size=groups)[group]
    patience = rng.choice(PATIENCE, size=groups)[group]
    target = rng.choice([10.0, 20.0, 60.0], size=groups)[group]
    scale = rng.choice([0.05, 2.0, 30.0, 400.0], size=groups)[group]
    traffic = np.round(rng.gamma(1.5, 1.0, size=cells) * scale, int(rng.integers(1, 6)))
    traffic[rng.random(cells) < 0.05] = 0.0
    # Repeated loads, as the same weekday profile gives month after month.
    repeat = rng.random(cells) < 0.3
    traffic[repeat] = traffic[rng.integers(0, cells, size=int(repeat.sum()))]

    def column(values: list[float]) -> q.FloatArray:
        return np.asarray(rng.choice(values, size=groups), dtype=np.float64)[group]

    return q._Targets(
        traffic,
        aht,
        target,
        patience,
        column([0.7, 0.8, 0.95]) if level else None,
        column([0.02, 0.05, 0.1]) if abandon else None,
        column([15.0, 30.0, 90.0]) if asa else None,
        column([0.8, 0.85, 0.9]) if occupancy else None,
        definition,
    )


def _compare(t: q._Targets) -> None:
    cells = np.flatnonzero((t.traffic > 0) & ~t.infeasible())
    by_load = q._by_load(t, cells, smallest=0)
    alone = q._searched(t, cells)
    assert by_load.tolist() == alone.tolist()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    cells=st.integers(1, 400),
    groups=st.integers(1, 6),
    definition=st.sampled_from(DEFINITIONS),
    targets=st.tuples(*[st.booleans()] * 4).filter(any),
)
def test_by_load_equals_every_cell_searched_alone(
    seed: int, cells: int, groups: int, definition: q.Definition, targets: tuple[bool, ...]
) -> None:
    _compare(_targets(seed, cells, groups, definition, targets))


def _one_policy(
    traffic: q.FloatArray,
    patience: float,
    abandon: float | None = None,
    occupancy: float | None = None,
) -> q._Targets:
    """Cells of one queue: 5-minute calls, 80 % within 20 s, the given patience."""
    n = traffic.size

    def every(value: float | None) -> q.FloatArray | None:
        return None if value is None else np.full(n, value)

    return q._Targets(
        traffic,
        np.full(n, 300.0),
        np.full(n, 20.0),
        np.full(n, patience),
        np.full(n, 0.8),
        every(abandon),
        None,
        every(occupancy),
        "offered",
    )


@pytest.mark.parametrize("patience", PATIENCE)
def test_a_long_group_of_a_sizing(patience: float) -> None:
    """Three years of half-hours of one queue: thousands of cells, a few dozen counts."""
    rng = np.random.default_rng(7)
    day = np.sin(np.linspace(0, math.pi, 48)) ** 2 * 60
    months = np.linspace(1.0, 1.3, 36)[:, None]
    traffic = (months * day[None, :] * rng.uniform(0.9, 1.1, size=(36, 48))).ravel()
    t = _one_policy(traffic, patience, None if math.isinf(patience) else 0.05, 0.85)
    _compare(t)


def test_the_searches_it_saves() -> None:
    """The point of it: a long group costs far fewer evaluations than a search a cell."""
    traffic = np.linspace(0.5, 80.0, 2000)
    t = _one_policy(traffic, 120.0)
    evaluated: list[int] = []
    meets = q._Targets.meets

    def counting(self: q._Targets, n: q.FloatArray, idx: q.IntArray) -> np.ndarray:
        evaluated.append(idx.size)
        return meets(self, n, idx)

    cells = np.arange(traffic.size)
    try:
        q._Targets.meets = counting  # type: ignore[method-assign]
        by_load = q._by_load(t, cells, smallest=0)
        saved = sum(evaluated)
        evaluated.clear()
        alone = q._searched(t, cells)
        spent = sum(evaluated)
    finally:
        q._Targets.meets = meets  # type: ignore[method-assign]
    assert by_load.tolist() == alone.tolist()
    assert saved * 5 < spent


@pytest.mark.parametrize("patience", [math.inf, 120.0])
def test_loads_far_apart(patience: float) -> None:
    """A grid whose every cell needs another head count (1 to 5,000 Erlangs): the runs are
    searched cell by cell, with the same answers."""
    traffic = np.linspace(1.0, 5000.0, 500)
    t = _one_policy(traffic, patience)
    _compare(t)


def test_a_sizing_by_load_equals_one_searched_cell_by_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: a generated center sized with the search by load (its batches exceed
    `_BY_LOAD_MIN`) has the agents of every interval of every queue, and every monthly
    figure, of the same center sized cell by cell."""
    from blueprintc.driver import compile
    from tests.bench.generate import generated_blueprint

    text = generated_blueprint(8)
    sizes: list[int] = []
    original = q._by_load

    def spy(t: q._Targets, cells: q.IntArray, smallest: int | None = None) -> q.IntArray:
        sizes.append(cells.size)
        return original(t, cells, smallest)

    monkeypatch.setattr(q, "_by_load", spy)
    by_load = compile(text)
    assert max(sizes) >= q._BY_LOAD_MIN  # the search by load did run
    monkeypatch.setattr(q, "_BY_LOAD_MIN", 10**12)
    alone = compile(text)
    assert by_load.ok and alone.ok
    assert by_load.sizing is not None and alone.sizing is not None
    assert len(by_load.sizing.queues) == len(alone.sizing.queues)
    for one, other in zip(by_load.sizing.queues, alone.sizing.queues, strict=True):
        assert one.name == other.name
        assert np.array_equal(one.intervals.agents, other.intervals.agents)
        assert one.intervals.sums == other.intervals.sums
        assert one.monthly.fte_exact == other.monthly.fte_exact
