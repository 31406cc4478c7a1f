"""Property tests: more work never needs fewer people, deferred deadlines hold, seats add up."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from blueprintc.solve.staffing import (
    QueueLoad,
    QueueSpec,
    interval_agents,
    monthly_staff,
    seats,
    support_staff,
)
from tests.solve.fifo_reference import finished_at

SETTINGS = settings(max_examples=40, deadline=None)
PER_DAY = 24  # hourly intervals keep the examples small
SHAPE = (2, 7, PER_DAY)

contacts_arrays = hnp.arrays(np.float64, SHAPE, elements=st.floats(0.0, 400.0))
handle_arrays = hnp.arrays(np.float64, SHAPE, elements=st.floats(30.0, 900.0))
open_arrays = hnp.arrays(np.bool_, (7, PER_DAY))
factors = hnp.arrays(np.float64, SHAPE, elements=st.floats(1.0, 3.0))


@st.composite
def specs(draw: st.DrawFn) -> QueueSpec:
    """Feasible queues of every mode (targets below 100 %, so never INFEASIBLE)."""
    mode = draw(st.sampled_from(["realtime", "chat", "deferred", "outbound"]))
    common: dict[str, Any] = {
        "name": "q",
        "interval": 3600.0,
        "minimum_agents": draw(st.integers(0, 3)),
        "shrinkage": draw(st.sampled_from([0.0, 0.3, 0.35])),
    }
    level = draw(st.floats(0.5, 0.95))
    if mode == "deferred":
        target = draw(st.sampled_from([3600.0, 4 * 3600.0, 86400.0, 3 * 86400.0]))
        return QueueSpec(mode="deferred", target_level=level, target_time=target, **common)
    if mode == "outbound":
        return QueueSpec(mode="outbound", target_level=None, target_time=None, **common)
    return QueueSpec(
        mode="realtime",
        target_level=level,
        target_time=draw(st.sampled_from([0.0, 20.0, 60.0])),
        patience=draw(st.one_of(st.none(), st.floats(30.0, 600.0))),
        max_asa=draw(st.one_of(st.none(), st.floats(5.0, 120.0))),
        concurrency=draw(st.sampled_from([2.0, 3.0])) if mode == "chat" else 1.0,
        **common,
    )


def sized(spec: QueueSpec, contacts: np.ndarray, handle: np.ndarray, is_open: np.ndarray) -> Any:
    result = interval_agents(spec, QueueLoad(contacts, handle, is_open))
    return result, monthly_staff(spec, result, 37.5)


@SETTINGS
@given(specs(), contacts_arrays, handle_arrays, open_arrays, factors)
def test_more_contacts_never_need_fewer_agents(
    spec: QueueSpec, c: np.ndarray, h: np.ndarray, is_open: np.ndarray, f: np.ndarray
) -> None:
    base, base_month = sized(spec, c, h, is_open)
    more, more_month = sized(spec, c * f, h, is_open)
    assert np.all(more.agents >= base.agents)
    assert np.all(more_month.fte >= base_month.fte)
    assert np.all(more_month.headcount >= base_month.headcount)


@SETTINGS
@given(specs(), contacts_arrays, handle_arrays, open_arrays, factors)
def test_longer_handle_time_never_needs_fewer_agents(
    spec: QueueSpec, c: np.ndarray, h: np.ndarray, is_open: np.ndarray, f: np.ndarray
) -> None:
    base, base_month = sized(spec, c, h, is_open)
    more, more_month = sized(spec, c, h * f, is_open)
    assert np.all(more.agents >= base.agents)
    assert np.all(more_month.fte >= base_month.fte)


@SETTINGS
@given(specs(), contacts_arrays, handle_arrays, open_arrays)
def test_closed_zero_open_at_least_minimum(
    spec: QueueSpec, c: np.ndarray, h: np.ndarray, is_open: np.ndarray
) -> None:
    result, month = sized(spec, c, h, is_open)
    assert np.all(result.agents[:, ~is_open] == 0)
    assert np.all(result.agents[:, is_open] >= spec.minimum_agents)
    # Only deferred work in a queue that never opens is infeasible with these targets.
    never_open = spec.mode == "deferred" and not is_open.any()
    assert result.infeasible.any() == (never_open and bool(np.any(c * h > 0)))
    expected = result.agents.reshape(2, -1).sum(axis=1) / 37.5 / (1 - spec.shrinkage)
    assert np.allclose(month.fte, expected, rtol=1e-12)
    assert np.all(month.headcount >= month.fte - 1e-9)
    assert np.all(month.headcount < month.fte + 1)


# ------------------------------------------------------------ deferred deadlines (FIFO)


def due_by_rule(is_open: np.ndarray, lead: int) -> list[int]:
    """Due interval (work finished before it starts) for each arrival of a cyclic week.

    The documented rule, written as plain loops: calendar due time arrival + lead; if the
    arrival falls in a closure that is longer than the lead (its first interval's due time
    comes before the opening), everything arriving in that closure counts from the
    opening; never before the end of the first open interval.
    """
    size = is_open.size

    def opening(i: int) -> int:
        j = i
        while not is_open[j % size]:
            j += 1
        return j

    due = []
    for i in range(size):
        first = opening(i)
        d = i + lead
        if not is_open[i]:
            start = i
            while not is_open[(start - 1) % size]:
                start -= 1
            if start + lead < first:
                d = first + lead
        due.append(max(d, first + 1))
    return due


def finish_times(work: list[float], capacity: list[float], weeks: int) -> list[float]:
    """When the last of each second-week interval's work is done, in intervals from the
    start of the second week, as the end of the interval that finishes it (inf if never)."""
    size = len(work)
    finished = finished_at(work, capacity, weeks)
    return [
        finished[size + i] + 1 - size if size + i in finished else math.inf for i in range(size)
    ]


@SETTINGS
@given(
    hnp.arrays(np.float64, (1, 7, PER_DAY), elements=st.sampled_from([0.0, 0.0, 1.0, 7.0, 40.0])),
    st.sampled_from([120.0, 600.0]),
    hnp.arrays(np.bool_, (7, PER_DAY)).filter(lambda a: bool(a.any())),
    st.sampled_from([1, 2, 5, 24, 40, 72, 200]),
)
def test_deferred_work_is_finished_by_its_due_time(
    c: np.ndarray, aht: float, is_open: np.ndarray, lead: int
) -> None:
    spec = QueueSpec("mail", "deferred", 3600.0, None, lead * 3600.0)
    h = np.full(c.shape, aht)
    result = interval_agents(spec, QueueLoad(c, h, is_open))
    work = (c * h)[0].ravel().tolist()
    capacity = (result.agents[0] * 3600.0).ravel().tolist()
    due = due_by_rule(is_open.ravel(), lead)
    weeks = 3 + max(due) // len(work)
    finished = finish_times(work, capacity, weeks)
    late = [i for i, w in enumerate(work) if w > 0 and finished[i] > due[i]]
    assert late == []
    level = result.service_level[0].ravel()
    assert np.all(level == 1.0)


# ------------------------------------------------------------------ support and seats


@SETTINGS
@given(
    hnp.arrays(np.float64, 12, elements=st.floats(0.0, 5000.0)),
    st.floats(0.0, 50.0),
    st.dictionaries(st.sampled_from(["sup", "qa", "wfm", "trainer"]), st.floats(1.0, 60.0)),
)
@example(np.array([22.0] + [0.0] * 11), 0.0, {"sup": 21.999999999999993})  # float bound
def test_support_staff_monotone_in_fte(
    fte: np.ndarray, extra: float, spans: dict[str, float]
) -> None:
    base = support_staff(fte, spans)
    more = support_staff(fte + extra, spans)
    people = np.ceil(fte - 1e-9 * np.maximum(1.0, fte))  # FTE within 1e-9 of a step is on it
    for role, span in spans.items():
        # The span as the decimal it was written as, so the bounds are exact (in floats,
        # 22 / 21.999999999999993 + 1 rounds to 2.0 and the strict bound fails).
        written = Fraction(repr(span))
        bounds = [Fraction(int(h)) / written for h in people]
        assert np.all(more[role] >= base[role])
        assert all(n >= b for n, b in zip(base[role], bounds, strict=True))  # span respected
        assert all(n < b + 1 for n, b in zip(base[role], bounds, strict=True))  # not exceeded
        assert np.all((base[role] == 0) == (people == 0))


@st.composite
def site_shares(draw: st.DrawFn) -> dict[str, float]:
    weights = draw(st.lists(st.integers(0, 1000), min_size=1, max_size=6))
    if sum(weights) == 0:
        weights[0] = 1
    return {f"site{i}": w / sum(weights) for i, w in enumerate(weights)}


@SETTINGS
@given(st.integers(0, 100_000), site_shares(), st.floats(0.0, 500.0))
def test_seats_add_up_to_the_rounded_up_need(
    peak: int, shares: dict[str, float], extra: float
) -> None:
    got = seats(peak, shares, extra)
    total = math.ceil(peak + extra - 1e-9 * max(1.0, peak + extra))
    assert sum(got.values()) == total
    for site, share in shares.items():
        quota = total * share
        assert math.floor(quota - 1e-6) <= got[site] <= math.ceil(quota + 1e-6)
