"""Chat with an occupancy cap is sized by one search of the slots for every target and
the cap together: the same agents as the two searches it replaces (``chat_agents`` for
the service targets, a search for the cap alone, the larger of the two after rounding to
agents), checked here against those two searches, written out, on random intervals and
policies: Erlang C and A, every service-level definition, abandonment and ASA limits,
caps that bind and caps that do not, targets that no head count meets."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st_

from blueprintc.solve import queueing as q
from blueprintc.solve import staffing as st


def _two_searches(policy: st._Policy, sessions: np.ndarray, aht: np.ndarray) -> np.ndarray:
    needed = np.asarray(
        q.chat_agents(
            sessions,
            aht,
            policy.target_time,
            policy.target_level,
            policy.concurrency,
            patience=policy.patience,
            max_abandon=policy.max_abandon,
            max_asa=policy.max_asa,
            definition=policy.definition,
        ),
        dtype=np.int64,
    )
    slots = np.asarray(
        q.required_agents(
            sessions,
            aht,
            policy.target_time,
            None,
            patience=policy.patience,
            max_occupancy=policy.max_occupancy,
        ),
        dtype=np.int64,
    )
    by_cap = np.ceil(
        slots / policy.concurrency - q.FTE_TOLERANCE * np.maximum(1, slots / policy.concurrency)
    )
    bad = (needed == q.INFEASIBLE) | (slots == q.INFEASIBLE)
    return np.where(bad, q.INFEASIBLE, np.maximum(needed, by_cap)).astype(np.int64)


@settings(max_examples=60, deadline=None)
@given(
    seed=st_.integers(0, 2**32 - 1),
    cells=st_.sampled_from([1, 7, 300]),
    concurrency=st_.sampled_from([1.5, 2.0, 2.5, 3.0]),
    patience=st_.sampled_from([None, 30.0, 90.0, 240.0]),
    level=st_.sampled_from([None, 0.5, 0.8, 0.95, 1.0]),
    cap=st_.sampled_from([0.0, 0.6, 0.85, 0.97, 1.0]),
    max_abandon=st_.sampled_from([None, 0.02, 0.1]),
    max_asa=st_.sampled_from([None, 15.0, 60.0]),
    definition=st_.sampled_from(["offered", "answered", "virtual"]),
)
def test_one_search_with_the_cap_gives_the_agents_of_two(
    seed: int,
    cells: int,
    concurrency: float,
    patience: float | None,
    level: float | None,
    cap: float,
    max_abandon: float | None,
    max_asa: float | None,
    definition: str,
) -> None:
    rng = np.random.default_rng(seed)
    sessions = rng.gamma(1.5, 6.0, cells) * (rng.random(cells) > 0.1)
    aht = rng.uniform(120.0, 900.0, cells)
    spec = st.QueueSpec(
        "chat",
        "realtime",
        1800.0,
        level,
        30.0,
        definition,
        patience=patience,
        max_abandon=max_abandon if patience is not None else None,
        max_asa=max_asa,
        max_occupancy=cap,
        concurrency=concurrency,
    )
    policy = st._Policy.of(spec)
    assert policy.chat
    got = st._realtime_needed(policy, sessions, aht)
    want = _two_searches(policy, sessions, aht)
    assert got.tolist() == want.tolist()
