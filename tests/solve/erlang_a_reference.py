"""Independent references for Erlang A: the mean wait of answered calls (ASA) and the
staffing search.

* `quadrature_mean_log_ratio`: the quadrature blueprintc used before the series (a copy
  of the code as it was, kept as the reference the new method must agree with).
* `decimal_mean_log_ratio`: E[log(y / Z) | Z < y], Z ~ Gamma(a), summed exactly enough in
  40-digit decimal arithmetic.
* `birth_death_erlang_a`: P(wait), P(abandon) and ASA of M/M/n+M from the stationary
  distribution of the truncated birth-death chain and the tagged caller's stages, in
  40-digit decimal arithmetic; nothing in it comes from the code under test.
* `former_required_agents`: the staffing search blueprintc used before its first guess
  for queues with patience (a copy of the code as it was: Halfin-Whitt first guess,
  exponential bracket, bisection), on the public metric functions; the new search must
  give the same head counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

from blueprintc import queueing as q

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# ------------------------------------------------------- the quadrature, as it was


def _panel_rule() -> tuple[FloatArray, FloatArray]:
    edges = np.array([0, 0.5, 1, 2, 3, 4.5, 6.5, 9, 13, 19, 27, 38, 50], dtype=np.float64)
    gx, gw = np.polynomial.legendre.leggauss(8)
    mid = (edges[1:] + edges[:-1]) / 2
    half = (edges[1:] - edges[:-1]) / 2
    nodes = (mid[:, None] + half[:, None] * gx[None, :]).ravel()
    weights = (half[:, None] * gw[None, :]).ravel()
    return nodes, weights


_PANEL_X, _PANEL_W = _panel_rule()


def quadrature_mean_log_ratio(a1: FloatArray, y: FloatArray) -> FloatArray:
    """E[log(y / Z) | Z < y] for Z ~ Gamma(a1), by quadrature around the density's mode."""
    a1, y = np.asarray(a1, dtype=np.float64), np.asarray(y, dtype=np.float64)
    mode = np.maximum(0.0, np.log(y / a1))
    curv = y * np.exp(-mode)
    spread = 1.0 / np.maximum(a1 - curv, np.sqrt(curv))
    left = np.minimum(spread, mode / 50.0)
    s = np.concatenate(
        [mode[:, None] + spread[:, None] * _PANEL_X, mode[:, None] - left[:, None] * _PANEL_X],
        axis=1,
    )
    w = np.concatenate([spread[:, None] * _PANEL_W, left[:, None] * _PANEL_W], axis=1)
    logg = -a1[:, None] * (s - mode[:, None]) - y[:, None] * (np.exp(-s) - (curv / y)[:, None])
    g = w * np.exp(logg)
    return np.asarray((g * s).sum(axis=1) / g.sum(axis=1), dtype=np.float64)


# ------------------------------------------------------------- exact in decimals


def decimal_mean_log_ratio(a: float, y: float) -> float:
    """sum_k t_k H_k / sum_k t_k with t_k = y^k / ((a+1)...(a+k)), H_k = sum_j<=k 1/(a+j),
    to 40 digits, summed until past the peak of t_k and below 1e-35 of the sum."""
    with localcontext() as ctx:
        ctx.prec = 40
        big_a, big_y = Decimal(a), Decimal(y)
        t, h = Decimal(1), 1 / big_a
        total, weighted = t, t * h
        k = 0
        while True:
            k += 1
            t = t * big_y / (big_a + k)
            h += 1 / (big_a + k)
            total += t
            weighted += t * h
            if k > y - a and big_y < big_a + k and t * h < weighted * Decimal("1e-35"):
                return float(weighted / total)


def birth_death_erlang_a(
    traffic: float, agents: int, aht: float, patience: float
) -> dict[str, float]:
    """P(wait), P(abandon) and ASA (seconds) of M/M/n+M, from the chain.

    States k < n have weights A^k / k!; a queue of j has w_n * prod_{i<=j} y / (x + i),
    x = n * patience / aht, y = A * patience / aht (rates in units of 1 / patience).  An
    arrival finding j callers ahead reaches an agent through stages of rates x + i
    (i = j ... 0: the agents free one, or one of those ahead hangs up) while hanging up
    at rate 1; it is answered with probability x / (x + j + 1) and, when answered, has
    waited sum_{i=1..j+1} 1 / (x + i) mean patiences on average.
    """
    with localcontext() as ctx:
        ctx.prec = 40
        a = Decimal(traffic)
        x = Decimal(agents) * Decimal(patience) / Decimal(aht)
        y = a * Decimal(patience) / Decimal(aht)
        w = Decimal(1)
        below = Decimal(0)
        for k in range(1, agents + 1):
            below += w
            w = w * a / k  # w_k = A^k / k!; ends at w_n
        queue = p_abandon = wait_answered = Decimal(0)
        stages = Decimal(0)
        j = 0
        while True:
            stages += 1 / (x + j + 1)
            answered = x / (x + j + 1)
            queue += w
            p_abandon += w * (1 - answered)
            wait_answered += w * answered * stages
            if j > y - x and y < x + j + 1 and w < queue * Decimal("1e-35"):
                break
            j += 1
            w = w * y / (x + j)
        total = below + queue
        p_answer = 1 - p_abandon / total
        return {
            "p_wait": float(queue / total),
            "abandon": float(p_abandon / total),
            "asa": float(wait_answered / total / p_answer * Decimal(patience)),
        }


def relative_error(got: float, want: float) -> float:
    return abs(got - want) / abs(want) if want else abs(got)


# ------------------------------------------------------- the staffing search, as it was
#
# blueprintc's required_agents before the first guess for queues with patience: the
# Halfin-Whitt (Erlang C) square-root staffing guess for every cell, an exponential bracket
# from it and an integer bisection.  Metrics come from the public q.erlang_a, which gives
# the values the search compared (the same function of the same cells).


@dataclass(frozen=True)
class _Targets:
    traffic: FloatArray
    aht: FloatArray
    target: FloatArray
    patience: FloatArray
    service_level: FloatArray | None
    max_abandon: FloatArray | None
    max_asa: FloatArray | None
    max_occupancy: FloatArray | None
    definition: str

    def meets(self, n: FloatArray, idx: IntArray) -> npt.NDArray[np.bool_]:
        a, h, p = self.traffic[idx], self.aht[idx], self.patience[idx]
        got = q.erlang_a(a, n, h, p, self.target[idx])
        ok = np.ones(idx.shape, dtype=bool)
        tol = q.TARGET_TOLERANCE
        if self.service_level is not None:
            level = np.asarray(getattr(got, f"service_level_{self.definition}"))
            ok &= level >= self.service_level[idx] - tol
        if self.max_abandon is not None:
            ok &= np.asarray(got.abandon) <= self.max_abandon[idx] + tol
        if self.max_asa is not None:
            ok &= np.asarray(got.asa) <= self.max_asa[idx] * (1 + tol)
        if self.max_occupancy is not None:
            ok &= np.asarray(got.occupancy) <= self.max_occupancy[idx] + tol
        return ok

    def infeasible(self) -> npt.NDArray[np.bool_]:
        bad = np.zeros(self.traffic.shape, dtype=bool)
        if self.service_level is not None:
            bad |= self.service_level >= 1.0
        if self.max_abandon is not None:
            bad |= (self.max_abandon <= 0.0) & np.isfinite(self.patience)
        if self.max_asa is not None:
            bad |= self.max_asa <= 0.0
        if self.max_occupancy is not None:
            bad |= self.max_occupancy <= 0.0
        return bad & (self.traffic > 0)


def _halfin_whitt_alpha(beta: FloatArray) -> FloatArray:
    weight = beta * special.ndtr(beta) * np.exp(beta * beta / 2 + 0.5 * math.log(2.0 * math.pi))
    return np.asarray(1.0 / (1.0 + weight), dtype=np.float64)


def _halfin_whitt_beta(t: _Targets, idx: IntArray) -> FloatArray:
    a, h, wait = t.traffic[idx], t.aht[idx], t.target[idx]
    lo, hi = np.zeros_like(a), np.full_like(a, 12.0)
    for _ in range(14):
        beta = (lo + hi) / 2
        alpha = _halfin_whitt_alpha(beta)
        ok = np.ones_like(beta, dtype=bool)
        if t.service_level is not None:
            ok &= 1 - alpha * np.exp(-beta * np.sqrt(a) * wait / h) >= t.service_level[idx]
        if t.max_asa is not None:
            ok &= alpha * h / (beta * np.sqrt(a)) <= t.max_asa[idx]
        lo, hi = np.where(ok, lo, beta), np.where(ok, beta, hi)
    return hi


def _first_guess(t: _Targets, idx: IntArray, floor_n: FloatArray) -> FloatArray:
    a = t.traffic[idx]
    n0 = np.maximum(floor_n, np.ceil(a + _halfin_whitt_beta(t, idx) * np.sqrt(a)))
    if t.max_occupancy is not None:
        erlang_c = np.isinf(t.patience[idx])
        with np.errstate(divide="ignore"):
            occ_bound = np.floor(a / t.max_occupancy[idx])
        n0 = np.where(erlang_c, np.maximum(n0, occ_bound), n0)
    return n0


def _bracket(
    meets: Callable[[FloatArray, IntArray], npt.NDArray[np.bool_]],
    n0: FloatArray,
    known_bad: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    idx = np.arange(n0.size)
    ok = meets(n0, idx)
    lo, hi = np.where(ok, known_bad, n0), np.where(ok, n0, math.inf)
    down, up = ok.copy(), ~ok
    step = 1.0
    for _ in range(62):
        down &= hi - step > lo
        pending = np.flatnonzero(down | up)
        if pending.size == 0:
            break
        cand = np.where(down[pending], hi[pending] - step, lo[pending] + step)
        got = meets(cand, pending)
        hi[pending] = np.where(got, cand, hi[pending])
        lo[pending] = np.where(got, lo[pending], cand)
        down[pending] &= got
        up[pending] &= ~got
        step *= 2.0
    return lo, hi


def _bisect(
    meets: Callable[[FloatArray, IntArray], npt.NDArray[np.bool_]],
    lo: FloatArray,
    hi: FloatArray,
) -> FloatArray:
    while True:
        pending = np.flatnonzero(hi - lo > 1)
        if pending.size == 0:
            return hi
        mid = np.floor((lo[pending] + hi[pending]) / 2)
        got = meets(mid, pending)
        hi[pending] = np.where(got, mid, hi[pending])
        lo[pending] = np.where(got, lo[pending], mid)


def _solve(t: _Targets) -> IntArray:
    result = np.zeros(t.traffic.shape, dtype=np.int64)
    bad = t.infeasible()
    result[bad] = q.INFEASIBLE
    cells = np.flatnonzero((t.traffic > 0) & ~bad)
    if cells.size == 0:
        return result
    erlang_c = np.isinf(t.patience[cells])
    floor_n = np.where(erlang_c, np.floor(t.traffic[cells]) + 1, 1.0)

    def meets(n: FloatArray, sub: IntArray) -> npt.NDArray[np.bool_]:
        return t.meets(n, cells[sub])

    lo, hi = _bracket(meets, _first_guess(t, cells, floor_n), floor_n - 1)
    found = _bisect(meets, lo, np.where(np.isfinite(hi), hi, lo + 1))
    result[cells] = np.where(np.isfinite(hi), found, q.INFEASIBLE).astype(np.int64)
    return result


def _flat(value: Any, shape: tuple[int, ...]) -> FloatArray:
    return np.broadcast_to(np.asarray(value, dtype=np.float64), shape).ravel().astype(np.float64)


def former_required_agents(
    traffic: Any,
    aht: Any,
    target: Any,
    service_level: Any,
    *,
    patience: Any = None,
    max_abandon: Any = None,
    max_asa: Any = None,
    max_occupancy: Any = None,
    definition: str = "offered",
) -> IntArray:
    """required_agents as it was, for arrays of valid input (no argument checks)."""
    cells = [traffic, aht, target, math.inf if patience is None else patience]
    limits = [service_level, max_abandon, max_asa, max_occupancy]
    shape = np.broadcast_shapes(*(np.shape(v) for v in (*cells, *limits) if v is not None))
    a, h, t, p = (_flat(v, shape) for v in cells)
    sl, ab, wait, occ = (None if v is None else _flat(v, shape) for v in limits)
    return _solve(_Targets(a, h, t, p, sl, ab, wait, occ, definition)).reshape(shape)
