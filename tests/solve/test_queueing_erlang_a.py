"""Erlang A's mean wait of answered calls (ASA): the series against its references.

The ASA rests on M(a, y) = E[log(y / Z) | Z < y], Z ~ Gamma(a).  blueprintc sums its
series where that is short and keeps a quadrature where it is long; both are checked
here against the quadrature blueprintc used before (kept in erlang_a_reference.py),
against the series summed in 40-digit decimals, and the whole Erlang A result against
the birth-death chain, for small and large head counts, loads under, at and over
capacity, and patience far below and far above the handle time.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from blueprintc import queueing as q
from blueprintc.solve import queueing as impl

from .erlang_a_reference import (
    birth_death_erlang_a,
    decimal_mean_log_ratio,
    quadrature_mean_log_ratio,
    relative_error,
)

SHAPES = [1.0001, 1.5, 2.0, 5.0, 21.0, 100.0, 1000.0, 1e4, 1e5]
RATIOS = [1e-4, 0.1, 0.5, 0.9, 0.99, 1.0, 1.01, 1.1, 2.0, 10.0, 100.0]


def grid() -> tuple[np.ndarray, np.ndarray]:
    a = np.repeat(SHAPES, len(RATIOS))
    return a, a * np.tile(RATIOS, len(SHAPES))


def test_both_methods_are_used_on_the_grid() -> None:
    a, y = grid()
    series = impl._series_length(a, y) <= impl._SERIES_LIMIT
    assert series.sum() > 50
    assert (~series).sum() > 10


def test_mean_log_ratio_agrees_with_the_former_quadrature() -> None:
    a, y = grid()
    new = impl._mean_log_ratio(a, y)
    old = quadrature_mean_log_ratio(a, y)
    assert np.all(np.abs(new - old) <= 1e-12 * old)


@pytest.mark.parametrize("shape", [1.0001, 1.5, 2.0, 5.0, 21.0, 100.0, 1000.0, 1e4])
def test_mean_log_ratio_agrees_with_decimal_series(shape: float) -> None:
    ratios = [r for r in RATIOS if shape * max(r - 1.0, 0.0) < 5e4]  # decimal sum length
    a = np.full(len(ratios), shape)
    y = a * np.array(ratios)
    got = impl._mean_log_ratio(a, y)
    for ai, yi, gi in zip(a, y, got, strict=True):
        assert relative_error(gi, decimal_mean_log_ratio(ai, yi)) <= 1e-13, (ai, yi)


def test_series_stops_where_its_tail_bound_says() -> None:
    # The cells of one call are independent of each other: the same value alone or in a
    # crowd, and the same as the scalar path.
    a, y = grid()
    crowd = impl._mean_log_ratio(a, y)
    for i in range(0, a.size, 7):
        alone = impl._mean_log_ratio(a[i : i + 1], y[i : i + 1])[0]
        assert alone == crowd[i]
        assert impl._mean_log_ratio1(float(a[i]), float(y[i])) == crowd[i]


# (traffic, agents, aht, patience): small and large n, under / at / over capacity,
# patience from 1 % to 100 times the handle time.
CHAIN_CASES = [
    (0.5, 1, 300, 30),
    (2.0, 1, 60, 30),
    (2.5, 3, 300, 30),
    (10.0, 11, 180, 60),
    (10.0, 8, 180, 120),
    (10.0, 10, 180, 1.8),
    (10.0, 12, 180, 18000),
    (7.0, 9, 100, 400),
    (50.0, 45, 300, 90),
    (100.0, 100, 300, 3),
    (100.0, 95, 300, 30000),
    (150.0, 160, 240, 240),
    (400.0, 380, 300, 150),
    (600.0, 600, 180, 1800),
    (1000.0, 1300, 300, 60),
    (1500.0, 2000, 300, 3000),
    (2500.0, 2400, 300, 300),
    (2500.0, 2600, 300, 30),
    (5000.0, 5000, 300, 3000),
    (20000.0, 20100, 300, 3),
]


@pytest.mark.parametrize(("traffic", "agents", "aht", "patience"), CHAIN_CASES)
def test_erlang_a_matches_birth_death_chain(
    traffic: float, agents: int, aht: float, patience: float
) -> None:
    ref = birth_death_erlang_a(traffic, agents, aht, patience)
    got = q.erlang_a(traffic, agents, aht, patience, 20.0)
    assert relative_error(got.asa, ref["asa"]) <= 1e-9
    assert relative_error(got.p_wait, ref["p_wait"]) <= 1e-9
    assert relative_error(got.abandon, ref["abandon"]) <= 1e-9
    arrays = q.erlang_a(np.array([traffic]), agents, aht, patience, 20.0)
    assert arrays.asa[0] == got.asa  # type: ignore[index]


def test_chain_cases_reach_both_methods() -> None:
    x = np.array([n * p / h for _, n, h, p in CHAIN_CASES])
    y = np.array([a * p / h for a, _, h, p in CHAIN_CASES])
    series = impl._series_length(x + 1.0, y) <= impl._SERIES_LIMIT
    assert series.any() and (~series).any()


def test_erlang_a_asa_edge_cases() -> None:
    assert q.erlang_a(10, 0, 180, 60, 20).asa == math.inf  # nobody answers
    assert q.erlang_a(0, 5, 180, 60, 20).asa == 0.0  # nothing arrives
    assert q.erlang_a(10, 12, 180, math.inf, 20).asa == q.asa(10, 12, 180)  # Erlang C
    # A million agents for a million Erlangs with patience of 10 handle times: the
    # quadrature's regime, finite and close to the Erlang C value it tends to.
    huge = q.erlang_a(1e6, 1_000_100, 300, 3000, 20)
    assert 0 < huge.asa < q.asa(1e6, 1_000_100, 300)
    x = np.array([1_000_100 * 10.0 + 1.0])
    y = np.array([1e6 * 10.0])
    assert impl._series_length(x, y)[0] > impl._SERIES_LIMIT
    assert relative_error(impl._mean_log_ratio(x, y)[0], quadrature_mean_log_ratio(x, y)[0]) == 0


@pytest.mark.parametrize("definition", ["offered", "answered", "virtual"])
def test_one_service_level_is_the_same_to_the_bit(definition: str) -> None:
    """With a definition, that service level and every other field equal the full call's
    bit for bit; the other service levels are left out where callers hang up."""
    rng = np.random.default_rng(11)
    a = np.concatenate([[0.0], rng.gamma(2.0, 20.0, 400)])
    n = np.floor(a * rng.uniform(0.6, 1.4, a.size))
    p = rng.choice([30.0, 120.0, math.inf], a.size)
    full = q.erlang_a(a, n, 300.0, p, 20.0)
    one = q.erlang_a(a, n, 300.0, p, 20.0, definition=definition)  # type: ignore[arg-type]
    field = f"service_level_{definition}"
    for name in (field, "asa", "abandon", "p_wait", "mean_wait", "occupancy"):
        assert np.array_equal(getattr(one, name), getattr(full, name), equal_nan=True), name
    scalar = q.erlang_a(float(a[5]), float(n[5]), 300.0, float(p[5]), 20.0, definition=definition)  # type: ignore[arg-type]
    assert getattr(scalar, field) == getattr(full, field)[5]
    with pytest.raises(ValueError, match="definition"):
        q.erlang_a(a, n, 300.0, p, 20.0, definition="served")  # type: ignore[arg-type]
