"""What binds a queue's staffing (`staffing.binding`), against head counts worked out by
hand: Erlang C written out here, the occupancy cap as ceil(traffic ÷ cap), the minimum."""

from __future__ import annotations

import math

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st_

from blueprintc.solve import staffing as st

INTERVAL = 1800.0
DAY, SLOT = 0, 20  # Monday 10:00


def _load(traffic: float, aht: float = 300.0) -> st.QueueLoad:
    """One month whose Monday 10:00 carries ``traffic`` Erlangs, every interval open."""
    contacts = np.zeros((1, 7, 48))
    contacts[0, DAY, SLOT] = traffic * INTERVAL / aht
    return st.QueueLoad(contacts, np.full(contacts.shape, aht), np.ones((7, 48), bool))


def _spec(**limits: object) -> st.QueueSpec:
    fields: dict[str, object] = {
        "name": "voice", "mode": "realtime", "interval": INTERVAL,
        "target_level": None, "target_time": 20.0,
    }  # fmt: skip
    fields.update(limits)
    return st.QueueSpec(**fields)  # type: ignore[arg-type]


def _erlang_c_level(traffic: float, agents: int, aht: float, within: float) -> float:
    """Share answered within ``within`` seconds, Erlang C (the textbook formula)."""
    if agents <= traffic:
        return 0.0
    below = sum(traffic**k / math.factorial(k) for k in range(agents))
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    waits = top / (below + top)
    return 1 - waits * math.exp(-(agents - traffic) * within / aht)


def _by_hand(traffic: float, level: float, within: float, aht: float = 300.0) -> int:
    return next(n for n in range(1, 200) if _erlang_c_level(traffic, n, aht, within) >= level)


def test_the_service_level_binds_when_it_needs_the_most_agents() -> None:
    # 4 Erlangs at 80 % within 20 s: Erlang C needs 7 (P(wait) 0.2 at 7, 0.47 at 6); a cap
    # of 90 % needs only ceil(4 / 0.9) = 5.
    need = _by_hand(4.0, 0.8, 20.0)
    assert need == 7
    found = st.binding(_spec(target_level=0.8, max_occupancy=0.9), _load(4.0), DAY, SLOT)
    assert (found.binding, found.agents) == (st.Binding.SERVICE_LEVEL, need)


def test_the_occupancy_cap_binds_a_large_queue() -> None:
    # 50 Erlangs: 80 % within 20 s needs 55 agents by hand, the 85 % cap ceil(50/0.85) = 59.
    assert _by_hand(50.0, 0.8, 20.0) < math.ceil(50 / 0.85) == 59
    found = st.binding(_spec(target_level=0.8, max_occupancy=0.85), _load(50.0), DAY, SLOT)
    assert (found.binding, found.agents) == (st.Binding.OCCUPANCY_CAP, 59)


def test_the_minimum_binds_a_quiet_interval() -> None:
    spec = _spec(target_level=0.8, minimum_agents=3)
    found = st.binding(spec, _load(0.2), DAY, SLOT)
    assert _by_hand(0.2, 0.8, 20.0) < 3
    assert (found.binding, found.agents) == (st.Binding.MINIMUM_STAFF, 3)


def test_the_asa_binds_when_it_is_the_only_limit_above_the_traffic() -> None:
    # ASA = P(wait) x AHT / (N - A): at most 5 s with 4 Erlangs of 300 s calls.
    def asa(n: int) -> float:
        level = _erlang_c_level(4.0, n, 300.0, 0.0)  # 1 - P(wait)
        return (1 - level) * 300.0 / (n - 4.0)

    need = next(n for n in range(5, 50) if asa(n) <= 5.0)
    found = st.binding(_spec(max_asa=5.0, target_level=0.5), _load(4.0), DAY, SLOT)
    assert (found.binding, found.agents) == (st.Binding.ASA, need)


def test_abandonment_binds_with_patience() -> None:
    spec = _spec(target_level=0.5, patience=60.0, max_abandon=0.01)
    found = st.binding(spec, _load(10.0), DAY, SLOT)
    alone = st.binding(_spec(target_level=0.5, patience=60.0), _load(10.0), DAY, SLOT)
    assert found.binding is st.Binding.ABANDONMENT
    assert found.agents > alone.agents


def test_outbound_work_binds_unless_the_cap_adds_agents() -> None:
    outbound = _spec(mode="outbound", target_time=None)
    # 3.4 Erlangs of attempts: ceil(3.4) = 4 agents, a 75 % cap ceil(3.4 / 0.75) = 5.
    found = st.binding(outbound, _load(3.4), DAY, SLOT)
    assert (found.binding, found.agents) == (st.Binding.WORKLOAD, 4)
    capped = st.binding(attrs.evolve(outbound, max_occupancy=0.75), _load(3.4), DAY, SLOT)
    assert (capped.binding, capped.agents) == (st.Binding.OCCUPANCY_CAP, 5)


def test_deferred_work_is_bound_by_its_response_target_or_the_cap() -> None:
    # Work arriving at one interval, due 30 minutes later: all of it in that interval.
    deferred = st.QueueSpec("email", "deferred", INTERVAL, 1.0, INTERVAL)
    found = st.binding(deferred, _load(3.4), DAY, SLOT)
    assert (found.binding, found.agents) == (st.Binding.SERVICE_LEVEL, 4)
    capped = st.binding(attrs.evolve(deferred, max_occupancy=0.75), _load(3.4), DAY, SLOT)
    assert (capped.binding, capped.agents) == (st.Binding.OCCUPANCY_CAP, 5)


@settings(max_examples=150, deadline=None)
@given(
    traffic=st_.one_of(st_.just(0.0), st_.just(1e-12), st_.floats(0.01, 400.0)),
    aht=st_.floats(30.0, 1800.0),
    is_open=st_.booleans(),
    level=st_.sampled_from([None, 0.5, 0.8, 0.95, 1.0]),
    patience=st_.sampled_from([None, 20.0, 120.0]),
    max_abandon=st_.sampled_from([None, 0.0, 0.05]),
    max_asa=st_.sampled_from([None, 0.0, 30.0]),
    cap=st_.sampled_from([None, 0.0, 0.85]),
    concurrency=st_.sampled_from([1.0, 2.5]),
    minimum=st_.sampled_from([0, 3]),
    definition=st_.sampled_from(["offered", "answered", "virtual"]),
)
def test_one_realtime_interval_sized_by_scalars_as_by_the_arrays(
    traffic: float,
    aht: float,
    is_open: bool,
    level: float | None,
    patience: float | None,
    max_abandon: float | None,
    max_asa: float | None,
    cap: float | None,
    concurrency: float,
    minimum: int,
    definition: str,
) -> None:
    """`binding` sizes its one realtime interval by the scalar search: the agents the
    arrays give that interval in its month, for every policy a queue can have, closed
    intervals, infeasible targets and float residue below the negligible traffic."""
    spec = _spec(
        target_level=level,
        definition=definition,
        patience=patience,
        max_abandon=max_abandon if patience is not None else None,
        max_asa=max_asa,
        max_occupancy=cap,
        concurrency=concurrency,
        minimum_agents=minimum,
    )
    load = _load(traffic, aht)
    if not is_open:
        load = st.QueueLoad(load.contacts, load.handle_time, np.zeros((7, 48), bool))
    arrays = int(st.interval_agents(spec, load).agents[0, DAY, SLOT])
    contacts = float(load.contacts[0, DAY, SLOT])
    assert st._realtime_agents1(spec, contacts, aht, is_open) == arrays
