"""Property tests: monotonicity and minimality of the staffing search."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc import queueing as q

traffic = st.floats(min_value=0.01, max_value=3000.0, allow_nan=False)
aht = st.floats(min_value=10.0, max_value=1200.0)
target = st.sampled_from([0.0, 10.0, 20.0, 30.0, 60.0, 300.0])
level = st.floats(min_value=0.05, max_value=0.995)
patience = st.one_of(st.none(), st.floats(min_value=5.0, max_value=2000.0))
definition = st.sampled_from(["offered", "answered", "virtual"])

SETTINGS = settings(max_examples=60, deadline=None)


def level_of(a: float, n: int, h: float, t: float, p: float | None, d: str) -> float:
    if p is None:
        return q.service_level(a, n, h, t)
    got = q.erlang_a(a, n, h, p, t)
    return float(getattr(got, f"service_level_{d}"))


@SETTINGS
@given(traffic, aht, target, patience)
def test_service_level_increases_with_agents(a: float, h: float, t: float, p: float | None) -> None:
    agents = np.arange(0, int(a * 1.5) + 30)
    if p is None:
        levels = q.service_level(a, agents, h, t)
    else:
        levels = np.asarray(q.erlang_a(a, agents, h, p, t).service_level)
    assert np.all(np.diff(levels) >= -1e-12)
    assert np.all((levels >= 0) & (levels <= 1))


@SETTINGS
@given(traffic, aht, target, level, patience, definition)
def test_required_agents_is_minimal(
    a: float, h: float, t: float, s: float, p: float | None, d: str
) -> None:
    n = q.required_agents(a, h, t, s, patience=p, definition=d)  # type: ignore[call-overload]
    assert n >= 1
    assert level_of(a, n, h, t, p, d) >= s - q.TARGET_TOLERANCE
    if p is None:
        assert n > a  # a stable queue
        assert n - 1 <= a or level_of(a, n - 1, h, t, p, d) < s
    elif n > 1:
        assert level_of(a, n - 1, h, t, p, d) < s


@SETTINGS
@given(traffic, aht, target, level, patience, st.floats(min_value=1.0, max_value=2.0))
def test_required_agents_never_decrease_with_more_work(
    a: float, h: float, t: float, s: float, p: float | None, factor: float
) -> None:
    base = q.required_agents(a, h, t, s, patience=p)
    assert q.required_agents(a * factor, h, t, s, patience=p) >= base
    # Longer calls at the same call rate: both traffic and handle time grow.
    assert q.required_agents(a * factor, h * factor, t, s, patience=p) >= base


@SETTINGS
@given(aht, target, st.floats(min_value=0.0, max_value=1.0), patience)
def test_zero_traffic_needs_no_agents(h: float, t: float, s: float, p: float | None) -> None:
    assert q.required_agents(0.0, h, t, s, patience=p) == 0
    assert q.required_agents(np.zeros(3), h, t, s, patience=p).tolist() == [0, 0, 0]


@SETTINGS
@given(
    st.lists(traffic, min_size=1, max_size=40),
    aht,
    target,
    level,
    st.floats(min_value=0.5, max_value=1.0),
)
def test_array_search_equals_scalar_search_and_meets_all_targets(
    loads: list[float], h: float, t: float, s: float, max_occ: float
) -> None:
    got = q.required_agents(np.array(loads), h, t, s, max_occupancy=max_occ, max_asa=30.0)
    for a, n in zip(loads, got.tolist(), strict=True):
        assert n == q.required_agents(a, h, t, s, max_occupancy=max_occ, max_asa=30.0)
        assert q.service_level(a, n, h, t) >= s - q.TARGET_TOLERANCE
        assert q.occupancy(a, n) <= max_occ + q.TARGET_TOLERANCE
        assert q.asa(a, n, h) <= 30.0 * (1 + q.TARGET_TOLERANCE)
        below = n - 1
        assert below <= a or (
            q.service_level(a, below, h, t) < s
            or q.occupancy(a, below) > max_occ
            or q.asa(a, below, h) > 30.0
        )
