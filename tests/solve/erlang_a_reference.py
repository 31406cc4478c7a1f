"""Independent references for the Erlang A mean wait of answered calls (ASA).

* `quadrature_mean_log_ratio`: the quadrature blueprintc used before the series (a copy
  of the code as it was, kept as the reference the new method must agree with).
* `decimal_mean_log_ratio`: E[log(y / Z) | Z < y], Z ~ Gamma(a), summed exactly enough in
  40-digit decimal arithmetic.
* `birth_death_erlang_a`: P(wait), P(abandon) and ASA of M/M/n+M from the stationary
  distribution of the truncated birth-death chain and the tagged caller's stages, in
  40-digit decimal arithmetic; nothing in it comes from the code under test.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


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
