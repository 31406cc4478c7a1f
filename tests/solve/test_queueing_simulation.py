"""Discrete-event simulation of M/M/N and M/M/N+M cross-checking the closed forms.

Each case simulates 150,000 callers with a fixed seed, drops a warm-up, and compares
means with the formulas within 4.5 standard errors (batch means over 30 batches, which
absorbs the autocorrelation of consecutive callers) plus 0.002 for the finite run.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from blueprintc import queueing as q

CALLERS = 150_000
WARM_UP = 5_000
BATCHES = 30


def simulate(
    traffic: float, agents: int, aht: float, patience: float, seed: int
) -> dict[str, np.ndarray]:
    """FCFS queue where a caller is answered by the first agent to free up, unless their
    patience runs out first (then they leave without using an agent)."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(aht / traffic, CALLERS))
    handle = rng.exponential(aht, CALLERS)
    patience_draws = (
        rng.exponential(patience, CALLERS) if math.isfinite(patience) else np.full(CALLERS, np.inf)
    )
    free_at = [0.0] * agents  # heap of the times each agent becomes free
    wait = np.empty(CALLERS)  # virtual wait: until an agent would take the call
    answered = np.empty(CALLERS, dtype=bool)
    for i in range(CALLERS):
        wait[i] = max(free_at[0] - arrivals[i], 0.0)
        answered[i] = wait[i] <= patience_draws[i]
        if answered[i]:
            heapq.heapreplace(free_at, arrivals[i] + wait[i] + handle[i])
    return {"wait": wait[WARM_UP:], "answered": answered[WARM_UP:]}


def batch_mean(values: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """Ratio estimate and its standard error from batch means."""
    w = np.ones_like(values) if weights is None else weights
    n = values.size // BATCHES * BATCHES
    num = (values[:n] * w[:n]).reshape(BATCHES, -1).sum(axis=1)
    den = w[:n].reshape(BATCHES, -1).sum(axis=1)
    ratios = num / den
    return float(num.sum() / den.sum()), float(ratios.std(ddof=1) / math.sqrt(BATCHES))


def assert_close(simulated: tuple[float, float], exact: float, name: str) -> None:
    mean, se = simulated
    assert abs(mean - exact) <= 4.5 * se + 0.002 * max(1.0, abs(exact)), (name, mean, se, exact)


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "target", "seed"),
    [(10.0, 12, 180.0, 20.0, 1), (48.0, 55, 240.0, 15.0, 2), (2.5, 4, 300.0, 0.0, 3)],
)
def test_erlang_c_against_simulation(
    traffic: float, agents: int, aht: float, target: float, seed: int
) -> None:
    sim = simulate(traffic, agents, aht, math.inf, seed)
    wait = sim["wait"]
    assert_close(batch_mean((wait > 0).astype(float)), q.erlang_c(traffic, agents), "p_wait")
    assert_close(
        batch_mean((wait <= target).astype(float)),
        q.service_level(traffic, agents, aht, target),
        "service level",
    )
    asa = q.asa(traffic, agents, aht)
    mean, se = batch_mean(wait)
    assert abs(mean - asa) <= 4.5 * se + 0.02 * asa, (mean, se, asa)


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience", "target", "seed"),
    [
        (10.0, 11, 180.0, 60.0, 20.0, 4),
        (50.0, 45, 300.0, 90.0, 60.0, 5),
        (5.0, 3, 300.0, 30.0, 10.0, 6),
    ],
)
def test_erlang_a_against_simulation(
    traffic: float, agents: int, aht: float, patience: float, target: float, seed: int
) -> None:
    sim = simulate(traffic, agents, aht, patience, seed)
    wait, answered = sim["wait"], sim["answered"]
    exact = q.erlang_a(traffic, agents, aht, patience, target)
    in_time = (answered & (wait <= target)).astype(float)
    assert_close(batch_mean(in_time), exact.service_level_offered, "offered")
    assert_close(
        batch_mean(in_time, answered.astype(float)), exact.service_level_answered, "answered"
    )
    assert_close(batch_mean((wait <= target).astype(float)), exact.service_level_virtual, "virt")
    assert_close(batch_mean((~answered).astype(float)), exact.abandon, "abandon")
    assert_close(batch_mean((wait > 0).astype(float)), exact.p_wait, "p_wait")
    mean, se = batch_mean(wait, answered.astype(float))
    assert abs(mean - exact.asa) <= 4.5 * se + 0.02 * exact.asa, (mean, se, exact.asa)
