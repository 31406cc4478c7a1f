"""Queueing formulas (Erlang B, C and A) and staffing searches, vectorised with numpy.

Units: traffic in Erlangs, times in seconds, probabilities as fractions in [0, 1].
Every public function accepts numbers or numpy arrays (broadcast against each other) and
returns a Python scalar for all-scalar input, an ndarray otherwise.  The mathematics and
the modelling assumptions are described in docs/queueing.md.

Python numbers (int, float) take a scalar path: the same formulas one value at a time,
without the array bookkeeping that costs a millisecond per call.  Its answers are the
arrays' bit for bit: the arithmetic is Python's (IEEE double, as numpy's element-wise
arithmetic) and every exp, log, log1p and expm1 is numpy's ufunc, never `math`'s,
because numpy's SIMD versions may differ from the C library's in the last bit (`math`
only decides comparisons that are not close, or computes the first guess of a search,
which does not decide its answer).  scipy.special is imported on first use.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final, Literal, overload

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Definition = Literal["offered", "answered", "virtual"]

INFEASIBLE: Final = -1
"""Returned by the staffing searches for a cell whose targets no head count can meet."""

FTE_TOLERANCE: Final = 1e-9
"""Relative slack of the array form of `fte`: values this close above a step count as on it."""

TARGET_TOLERANCE: Final = 1e-12
"""Slack when comparing a metric with its target, so that equality up to rounding counts."""

_TINY = 1e-280  # below this an incomplete gamma value has lost its relative precision
_SERIES_TERMS = 64  # enough for the fallback series, whose term ratio is below 1/2
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_MAX_DOUBLINGS = 62
_CHUNK = 8192  # cells per block in the quadrature, to bound memory
_PATIENT = 1e8  # patience / aht above which a stable Erlang A queue is computed as Erlang C


@functools.cache
def _special() -> Any:
    """scipy.special, imported on first use: its import costs about 0.1 s (scipy's array-API
    layer loads numpy.f2py and numpy.testing), which a command sizing nothing never pays."""
    from scipy import special  # type: ignore[import-untyped,unused-ignore]

    return special


@functools.cache
def _special1() -> Any:
    """scipy.special's functions for one number (``scipy.special.cython_special``): the
    kernels its ufuncs run, so the same answers bit for bit, without the ufunc machinery
    (0.1 µs a call of gammaincc instead of 0.55 µs); for the scalar path."""
    from scipy.special import cython_special  # type: ignore[import-untyped,unused-ignore]

    return cython_special


@functools.cache
def _laguerre_rule() -> tuple[FloatArray, FloatArray]:
    """48-point Gauss-Laguerre nodes and weights, for the rare underflow fallbacks."""
    x, w = np.polynomial.laguerre.laggauss(48)
    return np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)


@functools.cache
def _panel_rule() -> tuple[FloatArray, FloatArray]:
    """Composite Gauss-Legendre nodes on [0, 50] (in units of the spread), dense near 0."""
    edges = np.array([0, 0.5, 1, 2, 3, 4.5, 6.5, 9, 13, 19, 27, 38, 50], dtype=np.float64)
    gx, gw = np.polynomial.legendre.leggauss(8)
    mid = (edges[1:] + edges[:-1]) / 2
    half = (edges[1:] - edges[:-1]) / 2
    nodes = (mid[:, None] + half[:, None] * gx[None, :]).ravel()
    weights = (half[:, None] * gw[None, :]).ravel()
    return nodes, weights


# --------------------------------------------------------------------------- input handling


def _is_scalar(*values: npt.ArrayLike | None) -> bool:
    return all(np.ndim(v) == 0 for v in values if v is not None)


def _checked(
    name: str,
    value: npt.ArrayLike,
    *,
    low: float = 0.0,
    strict: bool = False,
    high: float = math.inf,
    finite: bool = True,
) -> FloatArray:
    """Convert to a float array and reject NaN and out-of-range values with a clear message."""
    arr = np.asarray(value, dtype=np.float64)
    ok = (arr > low) if strict else (arr >= low)
    ok &= arr <= high
    if finite:
        ok &= np.isfinite(arr)
    if not np.all(ok):
        bad = arr[~ok].ravel()[0]
        bound = f"{'>' if strict else '>='} {low}" + (f" and <= {high}" if high < math.inf else "")
        raise ValueError(f"{name} must be {'finite and ' if finite else ''}{bound}, got {bad}")
    return arr


def _agents(value: npt.ArrayLike) -> FloatArray:
    """Agents are head counts: whole numbers only, never silently rounded."""
    arr = _checked("agents", value)
    if np.any(arr != np.floor(arr)):
        bad = arr[arr != np.floor(arr)].ravel()[0]
        raise ValueError(f"agents must be whole numbers (round explicitly), got {bad}")
    return arr


def _broadcast(*values: FloatArray) -> list[FloatArray]:
    """Broadcast to one shape and copy, so that results can be written in place."""
    return [np.array(v, dtype=np.float64) for v in np.broadcast_arrays(*values)]


def _result(values: FloatArray, scalar: bool) -> float | FloatArray:
    return float(values) if scalar else values


_NUMBER = (int, float)


def _numbers(*values: object) -> bool:
    """Whether every value given is a Python number (None: a target not given); numpy
    float64 scalars count (they are floats), arrays and other numpy scalars do not."""
    for v in values:  # noqa: SIM110 (a loop is a third faster than all() here)
        if v is not None and not isinstance(v, _NUMBER):
            return False
    return True


def _number(
    name: str,
    value: Any,
    *,
    low: float = 0.0,
    strict: bool = False,
    high: float = math.inf,
    finite: bool = True,
) -> float:
    """`_checked` for one Python number: the same checks and the same message."""
    v = float(value)
    if not ((v > low if strict else v >= low) and v <= high and (not finite or math.isfinite(v))):
        bound = f"{'>' if strict else '>='} {low}" + (f" and <= {high}" if high < math.inf else "")
        raise ValueError(f"{name} must be {'finite and ' if finite else ''}{bound}, got {v}")
    return v


def _float(value: Any) -> float:
    return float(value)


def _whole(value: Any) -> float:
    """`_agents` for one Python number."""
    v = _number("agents", value)
    if v != math.floor(v):
        raise ValueError(f"agents must be whole numbers (round explicitly), got {v}")
    return v


# ----------------------------------------------------------------- special-function kernels


def _gammainc(a: FloatArray, x: FloatArray) -> FloatArray:
    return np.asarray(_special().gammainc(a, x), dtype=np.float64)


def _gammaincc(a: FloatArray, x: FloatArray) -> FloatArray:
    return np.asarray(_special().gammaincc(a, x), dtype=np.float64)


def _gammaln(x: FloatArray) -> FloatArray:
    return np.asarray(_special().gammaln(x), dtype=np.float64)


_LOG1PMX_SERIES = tuple((1.0 if k % 2 else -1.0) / k for k in range(18, 1, -1))


def _where(mask: npt.NDArray[np.bool_]) -> Any:
    """Where a branch's values go: every cell (any shape) when the mask holds for all."""
    return Ellipsis if mask.all() else mask


def _log1pmx(d: FloatArray) -> FloatArray:
    """log(1 + d) - d, with a series near 0 where the direct form cancels.

    Each branch is computed only for its own cells (here and in the kernels below): the
    same operations on the same values, without the work the other branch would throw
    away."""
    small = np.abs(d) < 0.1
    out = np.empty_like(d)
    if small.any():
        ds = d if small.all() else d[small]
        acc = np.full_like(ds, 1.0 / 19.0)
        for c in _LOG1PMX_SERIES:
            acc = acc * ds + c
        out[_where(small)] = acc * ds * ds
    if not small.all():
        rest = ~small
        dd = d[rest]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[rest] = np.log1p(dd) - dd
    return out


def _xlog_ratio_m(x: FloatArray, y: FloatArray) -> FloatArray:
    """x * log(y / x) - (y - x) for x > 0, accurate near y = x and for y << x."""
    x, y = np.broadcast_arrays(x, y)
    near = 2 * y > x
    out = np.empty(x.shape, dtype=np.float64)
    if near.any():
        xn, yn = (x, y) if near.all() else (x[near], y[near])
        out[_where(near)] = xn * _log1pmx((yn - xn) / xn)
    if not near.all():
        far = ~near
        xf, yf = x[far], y[far]
        with np.errstate(divide="ignore", invalid="ignore"):
            # For y << x, 1 + (y - x)/x loses the relative precision that y / x keeps.
            out[far] = xf * np.log(yf / xf) - (yf - xf)
    return out


def _stirlerr(x: FloatArray) -> FloatArray:
    """log(x!) minus Stirling's approximation, for x >= 1."""
    big = x >= 15.0
    out = np.empty_like(x)
    if big.any():
        xb = x if big.all() else x[big]
        inv2 = 1.0 / (xb * xb)
        out[_where(big)] = (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) / xb
    if not big.all():
        small = ~big
        xs = x[small]
        out[small] = _gammaln(xs + 1) - (xs + 0.5) * np.log(xs) + xs - _LOG_SQRT_2PI
    return out


def _log_pois(x: FloatArray, y: FloatArray) -> FloatArray:
    """log(y**x e**-y / Gamma(x + 1)) for x, y >= 0, free of the x*log(y) cancellation."""
    x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    stable = x >= 1.0
    out = np.empty(x.shape, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if stable.any():
            xs, ys = (x, y) if stable.all() else (x[stable], y[stable])
            stirling = -0.5 * np.log(2 * np.pi * xs) - _stirlerr(xs)
            out[_where(stable)] = stirling + _xlog_ratio_m(xs, ys)
        if not stable.all():
            naive = ~stable
            xn, yn = x[naive], y[naive]
            out[naive] = _special().xlogy(xn, yn) - yn - _gammaln(xn + 1)
    return out


def _log_rising_series(x: FloatArray, y: FloatArray) -> FloatArray:
    """log sum_k y^k / ((x+1)...(x+k)) by direct summation; needs y < (x + 1) / 2."""
    term = np.ones_like(x)
    total = np.ones_like(x)
    for k in range(1, _SERIES_TERMS):
        term = term * y / (x + k)
        total += term
    return np.log(total)


def _log_rising_laguerre(x: FloatArray, y: FloatArray) -> FloatArray:
    """Same sum as an integral, x * int_0^1 (1-v)^(x-1) e^(yv) dv, for x - y >> sqrt(x)."""
    c = x - 1.0 - y
    lag_x, lag_w = _laguerre_rule()
    # Nodes past v = 1 would carry weight below e^-c, nil in the regime this is used for.
    v = np.minimum(lag_x[None, :] / c[:, None], 0.999)
    f = np.exp((x - 1.0)[:, None] * _log1pmx(-v))
    return np.log(x / c) + np.log(f @ lag_w)


def _log_gammainc(x: FloatArray, y: FloatArray) -> FloatArray:
    """log P(x, y) (regularised lower incomplete gamma), also where P underflows."""
    p = _gammainc(x, y)
    with np.errstate(divide="ignore"):
        out = np.log(p)
    bad = ~(p > _TINY)
    if bad.any():
        xb, yb = x[bad], y[bad]
        fix = _log_pois(xb, yb)
        near = yb >= 0.5 * (xb + 1.0)
        tail = np.empty_like(xb)
        tail[~near] = _log_rising_series(xb[~near], yb[~near])
        if near.any():
            tail[near] = _log_rising_laguerre(xb[near], yb[near])
        out[bad] = fix + tail
    return out


def _log_falling_series(n: FloatArray, a: FloatArray) -> FloatArray:
    """log sum_i n(n-1)...(n-i+1) / a^i (= 1 / Erlang B) for n < a / 2."""
    term = np.ones_like(n)
    total = np.ones_like(n)
    for i in range(_SERIES_TERMS):
        term = term * np.maximum(n - i, 0.0) / a
        total += term
    return np.log(total)


def _log_falling_laguerre(n: FloatArray, a: FloatArray) -> FloatArray:
    """Same sum as int_0^inf e^-t (1 + t/a)^n dt, for a - n >> sqrt(n)."""
    lag_x, lag_w = _laguerre_rule()
    z = lag_x[None, :] / (a - n)[:, None]
    f = np.exp(n[:, None] * _log1pmx(z))
    return -np.log1p(-n / a) + np.log(f @ lag_w)


def _log_erlang_b(a: FloatArray, n: FloatArray) -> FloatArray:
    """log Erlang B = log(pois(n, a) / Q(n+1, a)) for a > 0, n >= 0 (same shapes)."""
    q = _gammaincc(n + 1.0, a)
    with np.errstate(divide="ignore"):
        out = _log_pois(n, a) - np.log(q)
    bad = ~(q > _TINY)  # Q underflows only for a >> n, where the finite sum is short
    if bad.any():
        nb, ab = n[bad], a[bad]
        inv = np.empty_like(nb)
        near = nb >= 0.5 * ab
        inv[~near] = _log_falling_series(nb[~near], ab[~near])
        if near.any():
            inv[near] = _log_falling_laguerre(nb[near], ab[near])
        out[bad] = -inv
    return np.minimum(out, 0.0)


def _log_erlang_c(a: FloatArray, n: FloatArray) -> FloatArray:
    """log Erlang C = log(B / (1 - (a/n)(1 - B))) for n > a > 0."""
    lb = _log_erlang_b(a, n)
    return np.asarray(lb - np.log((n - a + a * np.exp(lb)) / n), dtype=np.float64)


# ------------------------------------------------------------------- scalar kernels
#
# The kernels above for one cell, on Python floats: the same operations in the same order,
# so that the results are the arrays' bit for bit.  A Python division by zero or overflow
# raises ArithmeticError where numpy gives inf or NaN; the public functions then take the
# array path for that call.  Rare branches (an incomplete gamma value that underflows, the
# quadrature) call the array kernel on a one-cell array.

_np_exp, _np_log, _np_log1p, _np_expm1 = np.exp, np.log, np.log1p, np.expm1


def _exp(v: float) -> float:
    if v < 709.0:
        return float(_np_exp(v))
    with np.errstate(over="ignore"):
        return float(_np_exp(v))


def _expm1(v: float) -> float:
    if v < 709.0:
        return float(_np_expm1(v))
    with np.errstate(over="ignore"):
        return float(_np_expm1(v))


def _log(v: float) -> float:
    if v > 0.0:
        return float(_np_log(v))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(_np_log(v))


def _log1p(v: float) -> float:
    if v > -1.0:
        return float(_np_log1p(v))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(_np_log1p(v))


def _minimum(a: float, b: float) -> float:
    """np.minimum: NaN if either is NaN, the second of two equal values."""
    return a if a < b or a != a else b


def _maximum(a: float, b: float) -> float:
    """np.maximum: NaN if either is NaN, the second of two equal values."""
    return a if a > b or a != a else b


def _clip01(v: float) -> float:
    """np.clip(v, 0, 1): v itself when inside (so -0.0 and NaN stay)."""
    return 0.0 if v < 0.0 else 1.0 if v > 1.0 else v


def _floor(v: float) -> float:
    """np.floor, also for inf and NaN."""
    return float(math.floor(v)) if math.isfinite(v) else v


def _ceil(v: float) -> float:
    """np.ceil, also for inf and NaN."""
    return float(math.ceil(v)) if math.isfinite(v) else v


def _cell(kernel: Callable[..., FloatArray], *values: float) -> float:
    """An array kernel on a one-cell array: the rare branches of the scalar path."""
    return float(kernel(*(np.array([v], dtype=np.float64) for v in values))[0])


def _log1pmx1(d: float) -> float:
    if abs(d) < 0.1:
        acc = 1.0 / 19.0
        for c in _LOG1PMX_SERIES:
            acc = acc * d + c
        return acc * d * d
    return _log1p(d) - d


def _xlog_ratio_m1(x: float, y: float) -> float:
    if 2 * y > x:
        return x * _log1pmx1((y - x) / x)
    return x * _log(y / x) - (y - x)


def _stirlerr1(x: float) -> float:
    if x >= 15.0:
        inv2 = 1.0 / (x * x)
        return (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) / x
    return float(_special1().gammaln(x + 1)) - (x + 0.5) * _log(x) + x - _LOG_SQRT_2PI


def _log_pois1(x: float, y: float) -> float:
    if x >= 1.0:
        return -0.5 * _log(2 * np.pi * x) - _stirlerr1(x) + _xlog_ratio_m1(x, y)
    sp = _special1()
    return float(sp.xlogy(x, y)) - y - float(sp.gammaln(x + 1))


def _log_gammainc1(x: float, y: float) -> float:
    p = float(_special1().gammainc(x, y))
    return _log(p) if p > _TINY else _cell(_log_gammainc, x, y)


def _log_erlang_b1(a: float, n: float) -> float:
    q = float(_special1().gammaincc(n + 1.0, a))
    out = _log_pois1(n, a) - _log(q) if q > _TINY else _cell(_log_erlang_b, a, n)
    return _minimum(out, 0.0)


def _log_erlang_c1(a: float, n: float) -> float:
    lb = _log_erlang_b1(a, n)
    return lb - _log((n - a + a * _exp(lb)) / n)


# ------------------------------------------------------------------------ Erlang B and C


def _erlang_c_metrics(
    a: FloatArray, n: FloatArray, h: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(P(wait), service level, ASA) of M/M/N with the conventions for a = 0 and n <= a."""
    pw = np.where(a > 0, 1.0, 0.0)
    sl = np.where(a > 0, 0.0, 1.0)
    mean = np.where(a > 0, math.inf, 0.0)
    live = (a > 0) & (n > a)
    if live.any():
        al, nl, hl = a[live], n[live], h[live]
        c = np.exp(_log_erlang_c(al, nl))
        pw[live] = c
        sl[live] = np.clip(1.0 - c * np.exp(-(nl - al) * t[live] / hl), 0.0, 1.0)
        mean[live] = c * hl / (nl - al)
    return pw, sl, mean


def _erlang_c1(a: float, n: float, h: float, t: float) -> tuple[float, float, float]:
    """Scalar `_erlang_c_metrics`."""
    if not a > 0:
        return 0.0, 1.0, 0.0
    if not n > a:
        return 1.0, 0.0, math.inf
    c = _exp(_log_erlang_c1(a, n))
    return c, _clip01(1.0 - c * _exp(-(n - a) * t / h)), c * h / (n - a)


def _erlang_c_rough(a: float, n: float, h: float, t: float) -> tuple[float, float] | None:
    """Erlang C's (service level, ASA) for 0 < A < N <= 1e7 with the C library's exp and
    log, or None.  Only to decide comparisons that are not close (see `_DECIDED`).

    It is `_erlang_c1` but for exp and log (within an ulp or two of numpy's) and for
    log(1 + d) - d taken directly where that uses a series: an error of N |d| 2.2e-16 in
    log C, below sqrt(1500 N) 2.2e-16 < 3e-11 wherever C does not underflow (there
    N d^2 / 2 < 745).  So the service level is within 3e-11 of the exact one, and the ASA
    within 3e-11 of it relatively."""
    q = float(_special1().gammaincc(n + 1.0, a))
    if not (a < n <= 1e7 and q > _TINY):
        return None
    if n >= 15.0:
        inv2 = 1.0 / (n * n)
        stirling = (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) / n
    else:
        stirling = math.lgamma(n + 1) - (n + 0.5) * math.log(n) + n - _LOG_SQRT_2PI
    if 2 * a > n:
        d = (a - n) / n
        xlog = n * (math.log1p(d) - d)
    else:
        xlog = n * math.log(a / n) - (a - n)
    log_pois = -0.5 * math.log(2 * math.pi * n) - stirling + xlog
    lb = min(log_pois - math.log(q), 0.0)
    c = math.exp(lb - math.log((n - a + a * math.exp(lb)) / n))
    return 1.0 - c * math.exp(-(n - a) * t / h), c * h / (n - a)


@overload
def erlang_b(traffic: float, agents: float) -> float: ...
@overload
def erlang_b(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray: ...
def erlang_b(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray:
    """Blocking probability of a loss system (M/M/N/N) offered `traffic` Erlangs."""
    if _numbers(traffic, agents):
        a1, n1 = _number("traffic", traffic), _whole(agents)
        try:
            return _exp(_log_erlang_b1(a1, n1)) if a1 > 0 else 0.0
        except ArithmeticError:
            pass  # where Python raises, numpy gives inf or NaN: take the array path
    a, n = _broadcast(_checked("traffic", traffic), _agents(agents))
    out = np.zeros_like(a)
    live = a > 0
    out[live] = np.exp(_log_erlang_b(a[live], n[live]))
    return _result(out, _is_scalar(traffic, agents))


@overload
def erlang_c(traffic: float, agents: float) -> float: ...
@overload
def erlang_c(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray: ...
def erlang_c(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray:
    """Probability that a call waits in an M/M/N queue (1 when agents <= traffic)."""
    if _numbers(traffic, agents):
        a1, n1 = _number("traffic", traffic), _whole(agents)
        try:
            return _erlang_c1(a1, n1, 1.0, 0.0)[0]
        except ArithmeticError:
            pass
    a, n = _broadcast(_checked("traffic", traffic), _agents(agents))
    pw, _, _ = _erlang_c_metrics(a, n, np.ones_like(a), np.zeros_like(a))
    return _result(pw, _is_scalar(traffic, agents))


@overload
def service_level(traffic: float, agents: float, aht: float, target: float) -> float: ...
@overload
def service_level(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike, target: npt.ArrayLike
) -> float | FloatArray: ...
def service_level(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike, target: npt.ArrayLike
) -> float | FloatArray:
    """Erlang C P(wait <= target): 1 - C * exp(-(N - A) * target / aht)."""
    if _numbers(traffic, agents, aht, target):
        a1, n1 = _number("traffic", traffic), _whole(agents)
        h1 = _number("aht", aht, strict=True)
        t1 = _number("target", target, finite=False)
        try:
            return _erlang_c1(a1, n1, h1, t1)[1]
        except ArithmeticError:
            pass
    a, n, h, t = _broadcast(
        _checked("traffic", traffic),
        _agents(agents),
        _checked("aht", aht, strict=True),
        _checked("target", target, finite=False),
    )
    _, sl, _ = _erlang_c_metrics(a, n, h, t)
    return _result(sl, _is_scalar(traffic, agents, aht, target))


@overload
def asa(traffic: float, agents: float, aht: float) -> float: ...
@overload
def asa(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike
) -> float | FloatArray: ...
def asa(traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike) -> float | FloatArray:
    """Erlang C average speed of answer in seconds: C * aht / (N - A), inf when N <= A."""
    if _numbers(traffic, agents, aht):
        a1, n1 = _number("traffic", traffic), _whole(agents)
        h1 = _number("aht", aht, strict=True)
        try:
            return _erlang_c1(a1, n1, h1, 0.0)[2]
        except ArithmeticError:
            pass
    a, n, h = _broadcast(
        _checked("traffic", traffic), _agents(agents), _checked("aht", aht, strict=True)
    )
    _, _, mean = _erlang_c_metrics(a, n, h, np.zeros_like(a))
    return _result(mean, _is_scalar(traffic, agents, aht))


@overload
def occupancy(traffic: float, agents: float) -> float: ...
@overload
def occupancy(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray: ...
def occupancy(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray:
    """Share of agent time spent handling: A / N, capped at 1 (0 without traffic)."""
    if _numbers(traffic, agents):
        a1, n1 = _number("traffic", traffic), _whole(agents)
        return (_minimum(a1 / n1, 1.0) if n1 > 0 else 1.0) if a1 > 0 else 0.0
    a, n = _broadcast(_checked("traffic", traffic), _agents(agents))
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(a > 0, np.minimum(a / n, 1.0), 0.0)
    return _result(occ, _is_scalar(traffic, agents))


# ------------------------------------------------------------------------------ Erlang A


@dataclass(frozen=True)
class ErlangAResult:
    """Performance of an M/M/N+M queue (Erlang A); scalars for scalar input, else arrays.

    service_level: the default (offered) service level, same as service_level_offered.
    service_level_offered: answered within target / offered; abandons count as misses.
    service_level_answered: answered within target / answered.
    service_level_virtual: P(virtual wait <= target), ignoring the caller's own abandonment.
    asa: mean wait of answered calls, seconds (inf when nothing is answered).
    abandon: share of offered calls that abandon.
    p_wait: probability that a call has to wait at all.
    mean_wait: mean wait of all offered calls, abandoned ones up to the moment they hang up.
    occupancy: carried traffic / agents, capped at 1.
    """

    service_level: float | FloatArray
    service_level_offered: float | FloatArray
    service_level_answered: float | FloatArray
    service_level_virtual: float | FloatArray
    asa: float | FloatArray
    abandon: float | FloatArray
    p_wait: float | FloatArray
    mean_wait: float | FloatArray
    occupancy: float | FloatArray


# Mean wait of answered calls.  With time in mean patiences, a caller who waits has the
# virtual wait V = log(y / Z), Z ~ Gamma(x) conditioned on Z < y, and is answered with
# probability e^-V, so E[V; answered] = P(answered | waited) * E[log(y / Z') | Z' < y]
# with Z' ~ Gamma(x + 1).  That conditional mean is M(a, y) = -d/da log T(a, y) for
# T = sum_k y^k / (a (a+1) ... (a+k)) (the lower incomplete gamma function scaled,
# gamma(a, y) = y^a e^-y T), which is the positive series
#
#     M(a, y) = sum_k t_k H_k / sum_k t_k,   t_k = y^k / ((a+1)...(a+k)),
#                                             H_k = 1/a + 1/(a+1) + ... + 1/(a+k),
#
# the queue-length distribution seen by an arrival weighting the mean time to reach an
# agent from each place in the queue.  Where the series is long (y within a few sqrt(y)
# of a, for y above about 3,000, or y more than about 500 above a), a Gauss-Legendre
# quadrature of the log-concave density of V is cheaper; it agrees to about 1e-14.

_SERIES_EPS = 2.0**-60  # bound on the neglected tail, relative to the sum
_SERIES_LIMIT = 512.0  # estimated terms above which the quadrature is cheaper
_SERIES_CAP = 1024  # terms after which a cell still open goes to the quadrature
_SERIES_CHECK = 8  # terms added between two convergence checks


def _series_length(a1: FloatArray, y: FloatArray) -> FloatArray:
    """Terms the series of M(a1, y) needs, generously: y - a1 to reach the peak of t_k,
    then a Gaussian fall of width sqrt(y) (or a geometric one of ratio y / (a1 + 1))."""
    d = y - a1
    rising = d + 9.0 * np.sqrt(y)
    falling = np.minimum(41.5 * (a1 + 1.0) / np.maximum(a1 + 1.0 - y, 1.0), 9.0 * np.sqrt(a1))
    return np.where(d > 0, rising, falling) + 16.0


def _mean_log_ratio(a1: FloatArray, y: FloatArray) -> FloatArray:
    """E[log(y / Z) | Z < y] for Z ~ Gamma(a1), a1 > 1, y > 0 (same shapes)."""
    out = np.empty_like(a1)
    series = np.flatnonzero(_series_length(a1, y) <= _SERIES_LIMIT)
    got = _mean_log_ratio_series(a1[series], y[series])
    out[series] = got
    rest = np.ones(a1.shape, dtype=bool)
    rest[series[~np.isnan(got)]] = False
    out[rest] = _mean_log_ratio_quadrature(a1[rest], y[rest])
    return out


def _mean_log_ratio_series(a1: FloatArray, y: FloatArray) -> FloatArray:
    """M(a1, y) by its series; NaN where _SERIES_CAP terms have not converged.

    The terms q_k = t_k H_k have ratios q_{k+1} / q_k = y / b * (1 + 1 / (b H_k)),
    b = a1 + k + 1, falling with k: once one is rho < 1 the rest of the sum is below
    q_k rho / (1 - rho), and that of sum t_k below it divided by H_k.
    """
    out = np.full_like(a1, np.nan)
    idx = np.arange(a1.size)
    a, yy = a1, y
    t, h = np.ones_like(a), 1.0 / a
    s, m = np.ones_like(a), h.copy()
    k = 0
    while idx.size and k < _SERIES_CAP:
        for _ in range(_SERIES_CHECK):
            k += 1
            b = a + k
            t = t * (yy / b)
            h = h + 1.0 / b
            s = s + t
            m = m + t * h
        b = a + (k + 1)
        rho = yy / b * (1.0 + 1.0 / (b * h))
        done = (rho < 1.0) & (t * h * rho <= _SERIES_EPS * (1.0 - rho) * m)
        if done.any():
            out[idx[done]] = m[done] / s[done]
            keep = ~done
            idx = idx[keep]
            a, yy, t, h, s, m = (v[keep] for v in (a, yy, t, h, s, m))
    return out


def _mean_log_ratio_quadrature(a1: FloatArray, y: FloatArray) -> FloatArray:
    """M(a1, y) by composite Gauss-Legendre quadrature around the density's mode."""
    out = np.empty_like(a1)
    for lo in range(0, a1.size, _CHUNK):
        sl = slice(lo, lo + _CHUNK)
        out[sl] = _mean_log_ratio_block(a1[sl], y[sl])
    return out


def _mean_log_ratio_block(a1: FloatArray, y: FloatArray) -> FloatArray:
    # In s = log(y/Z) >= 0 the density is proportional to exp(-a1 s - y e^-s), log-concave.
    panel_x, panel_w = _panel_rule()
    mode = np.maximum(0.0, np.log(y / a1))
    curv = y * np.exp(-mode)
    spread = 1.0 / np.maximum(a1 - curv, np.sqrt(curv))
    left = np.minimum(spread, mode / 50.0)  # the rule spans 50 spreads; stop at s = 0
    s = np.concatenate(
        [mode[:, None] + spread[:, None] * panel_x, mode[:, None] - left[:, None] * panel_x],
        axis=1,
    )
    w = np.concatenate([spread[:, None] * panel_w, left[:, None] * panel_w], axis=1)
    logg = -a1[:, None] * (s - mode[:, None]) - y[:, None] * (np.exp(-s) - (curv / y)[:, None])
    g = w * np.exp(logg)
    return np.asarray((g * s).sum(axis=1) / g.sum(axis=1), dtype=np.float64)


def _mean_log_ratio1(a1: float, y: float) -> float:
    """Scalar `_mean_log_ratio`: the same route and the same operations, one cell."""
    d = y - a1
    if d > 0:
        length = d + 9.0 * math.sqrt(y) + 16.0
    else:
        length = min(41.5 * (a1 + 1.0) / max(a1 + 1.0 - y, 1.0), 9.0 * math.sqrt(a1)) + 16.0
    if length <= _SERIES_LIMIT:
        if length > 96.0:  # long: numpy's cumulative sums and products add in the same order
            terms = min(_SERIES_CAP, 8 * math.ceil(length / 6.0))
            got = _mean_log_ratio1_accumulated(a1, y, terms)
            if got is None and terms < _SERIES_CAP:
                got = _mean_log_ratio1_accumulated(a1, y, _SERIES_CAP)
            if got is not None:
                return got
        else:
            t, h = 1.0, 1.0 / a1
            s, m = 1.0, h
            k = 0
            while k < _SERIES_CAP:
                for j in range(k + 1, k + _SERIES_CHECK + 1):
                    b = a1 + j
                    t = t * (y / b)
                    h = h + 1.0 / b
                    s = s + t
                    m = m + t * h
                k += _SERIES_CHECK
                b = a1 + (k + 1)
                rho = y / b * (1.0 + 1.0 / (b * h))
                if rho < 1.0 and t * h * rho <= _SERIES_EPS * (1.0 - rho) * m:
                    return m / s
    return float(_mean_log_ratio_quadrature(np.array([a1]), np.array([y]))[0])


def _mean_log_ratio1_accumulated(a1: float, y: float, terms: int) -> float | None:
    """The series' first `terms` terms at once (terms a multiple of _SERIES_CHECK), each
    partial sum and product formed in the order of the loop; None if it has not stopped."""
    b = a1 + np.arange(1, terms + 1, dtype=np.float64)
    t = np.multiply.accumulate(y / b)
    h = np.add.accumulate(np.concatenate(([1.0 / a1], 1.0 / b)))[1:]
    s = np.add.accumulate(np.concatenate(([1.0], t)))[1:]
    m = np.add.accumulate(np.concatenate(([1.0 / a1], t * h)))[1:]
    check = slice(_SERIES_CHECK - 1, None, _SERIES_CHECK)  # after terms 8, 16, ...
    t, h, s, m = t[check], h[check], s[check], m[check]
    b_next = a1 + (np.arange(1, t.size + 1) * _SERIES_CHECK + 1)  # b of the next term
    rho = y / b_next * (1.0 + 1.0 / (b_next * h))
    done = np.flatnonzero((rho < 1.0) & (t * h * rho <= _SERIES_EPS * (1.0 - rho) * m))
    return float(m[done[0]] / s[done[0]]) if done.size else None


def _erlang_a_live(
    a: FloatArray,
    n: FloatArray,
    h: FloatArray,
    p: FloatArray,
    t: FloatArray,
    want_asa: bool,
    need: str = "all",
) -> dict[str, FloatArray]:
    """Erlang A metrics for a > 0, n >= 1 and finite patience (Mandelbaum-Zeltyn formulas).

    `need` names the one service level wanted ("none" for none, "all" for the three): the
    others are left NaN, not computed (each costs an incomplete gamma function)."""
    x, y = n * p / h, a * p / h  # time measured in mean patiences
    lpx = _log_gammainc(x, y)
    with np.errstate(invalid="ignore"):
        # log S, S = 1F1(1; x+1; y) = sum_k y^k / ((x+1)...(x+k)) = P(x, y) / pois(x, y)
        ls = np.asarray(lpx - _log_pois(x, y), dtype=np.float64)
    lb = _log_erlang_b(a, n)
    with np.errstate(divide="ignore", over="ignore"):
        p_wait = 1.0 / (1.0 + np.exp(np.log1p(-np.exp(lb)) - lb - ls))
    served_w = np.minimum(x / y * -np.expm1(-ls), 1.0)  # P(answered | had to wait)
    abandon = p_wait * (1.0 - served_w)
    answered = 1.0 - abandon
    offered = virtual = np.full_like(a, math.nan)
    if need != "none":
        u = np.exp(-t / p)
    if need in ("all", "offered", "answered"):
        with np.errstate(invalid="ignore"):
            late = x / y * np.exp(_log_gammainc(x + 1.0, y * u) - lpx)  # answered after target
        offered = (1.0 - p_wait) + p_wait * np.maximum(served_w - late, 0.0)
    if need in ("all", "virtual"):
        with np.errstate(invalid="ignore"):
            tail = np.exp(_log_gammainc(x, y * u) - lpx)  # virtual wait beyond target
        virtual = 1.0 - p_wait * tail
    out = {
        "offered": np.clip(offered, 0.0, 1.0),
        "answered": np.clip(offered / answered, 0.0, 1.0),
        "virtual": np.clip(virtual, 0.0, 1.0),
        "abandon": abandon,
        "p_wait": p_wait,
        "mean_wait": abandon * p,
        "occ": np.minimum(a * answered / n, 1.0),
    }
    if want_asa:
        out["asa"] = p_wait * served_w * p * _mean_log_ratio(x + 1.0, y) / answered
    return out


def _erlang_a_arrays(
    a: FloatArray,
    n: FloatArray,
    h: FloatArray,
    p: FloatArray,
    t: FloatArray,
    want_asa: bool,
    need: str = "all",
) -> dict[str, FloatArray]:
    """Erlang A metrics for same-shape arrays, with the edge cases filled in (`need`: as
    for `_erlang_a_live`, for the cells it computes)."""
    none = (a > 0) & (n == 0) & np.isfinite(p)  # no agents: everyone waits, then hangs up
    out = {k: np.where(a > 0, 0.0, 1.0) for k in ("offered", "answered", "virtual")}
    out |= {k: np.zeros_like(a) for k in ("asa", "abandon", "p_wait", "mean_wait", "occ")}
    out["abandon"][none], out["p_wait"][none], out["occ"][none] = 1.0, 1.0, 1.0
    out["asa"][none], out["mean_wait"][none] = math.inf, p[none]
    # Infinite patience is Erlang C; so is patience beyond _PATIENT handle times in a stable
    # queue, where the difference (of order aht / patience) is below the float noise.
    patient = (a > 0) & (np.isinf(p) | ((p > _PATIENT * h) & (n > a)))
    if patient.any():
        pw, sl, mean = _erlang_c_metrics(a[patient], n[patient], h[patient], t[patient])
        for key, val in (("offered", sl), ("answered", sl), ("virtual", sl), ("asa", mean)):
            out[key][patient] = val
        out["p_wait"][patient], out["mean_wait"][patient] = pw, mean
        with np.errstate(divide="ignore"):
            out["occ"][patient] = np.minimum(a[patient] / n[patient], 1.0)
    live = (a > 0) & (n > 0) & ~patient
    if live.any():
        got = _erlang_a_live(a[live], n[live], h[live], p[live], t[live], want_asa, need)
        for key, val in got.items():
            out[key][live] = val
    return out


def _erlang_a_live1(
    a: float, n: float, h: float, p: float, t: float, want_asa: bool, need: str = "all"
) -> dict[str, float]:
    """Scalar `_erlang_a_live`; `need` names the one service level wanted ("none" for no
    service level, "all" for the three): the others are left NaN, not computed."""
    x, y, u = n * p / h, a * p / h, _exp(-t / p)
    lpx = _log_gammainc1(x, y)
    ls = lpx - _log_pois1(x, y)
    lb = _log_erlang_b1(a, n)
    p_wait = 1.0 / (1.0 + _exp(_log1p(-_exp(lb)) - lb - ls))
    served_w = _minimum(x / y * -_expm1(-ls), 1.0)
    abandon = p_wait * (1.0 - served_w)
    answered = 1.0 - abandon
    offered = virtual = math.nan
    if need in ("all", "offered", "answered"):
        late = x / y * _exp(_log_gammainc1(x + 1.0, y * u) - lpx)
        offered = (1.0 - p_wait) + p_wait * _maximum(served_w - late, 0.0)
    if need in ("all", "virtual"):
        virtual = 1.0 - p_wait * _exp(_log_gammainc1(x, y * u) - lpx)
    return {
        "offered": _clip01(offered),
        "answered": _clip01(offered / answered),
        "virtual": _clip01(virtual),
        "asa": (
            p_wait * served_w * p * _mean_log_ratio1(x + 1.0, y) / answered if want_asa else 0.0
        ),
        "abandon": abandon,
        "p_wait": p_wait,
        "mean_wait": abandon * p,
        "occ": _minimum(a * answered / n, 1.0),
    }


def _erlang_a1(
    a: float, n: float, h: float, p: float, t: float, want_asa: bool, need: str = "all"
) -> dict[str, float]:
    """Scalar `_erlang_a_arrays`."""
    if not a > 0:
        return dict.fromkeys(("offered", "answered", "virtual"), 1.0) | dict.fromkeys(
            ("asa", "abandon", "p_wait", "mean_wait", "occ"), 0.0
        )
    if math.isinf(p) or (p > _PATIENT * h and n > a):
        pw, sl, mean = _erlang_c1(a, n, h, t)
        return {
            "offered": sl,
            "answered": sl,
            "virtual": sl,
            "asa": mean,
            "abandon": 0.0,
            "p_wait": pw,
            "mean_wait": mean,
            "occ": _minimum(a / n, 1.0) if n > 0 else 1.0,
        }
    if n == 0:
        return {
            "offered": 0.0,
            "answered": 0.0,
            "virtual": 0.0,
            "asa": math.inf,
            "abandon": 1.0,
            "p_wait": 1.0,
            "mean_wait": p,
            "occ": 1.0,
        }
    return _erlang_a_live1(a, n, h, p, t, want_asa, need)


def _erlang_a_fields1(
    traffic: Any, agents: Any, aht: Any, patience: Any, target: Any, need: str = "all"
) -> dict[str, float] | None:
    """Scalar `erlang_a` (arguments checked alike); None where the arrays must answer."""
    a, n = _number("traffic", traffic), _whole(agents)
    h = _number("aht", aht, strict=True)
    p = _number("patience", patience, strict=True, finite=False)
    t = _number("target", target, finite=False)
    try:
        return _erlang_a1(a, n, h, p, t, want_asa=True, need=need)
    except ArithmeticError:  # Python raises where numpy gives inf or NaN
        return None


@overload
def erlang_a(
    traffic: float,
    agents: float,
    aht: float,
    patience: float,
    target: float,
    *,
    definition: Definition | None = None,
) -> ErlangAResult: ...
@overload
def erlang_a(
    traffic: npt.ArrayLike,
    agents: npt.ArrayLike,
    aht: npt.ArrayLike,
    patience: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    definition: Definition | None = None,
) -> ErlangAResult: ...
def erlang_a(
    traffic: npt.ArrayLike,
    agents: npt.ArrayLike,
    aht: npt.ArrayLike,
    patience: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    definition: Definition | None = None,
) -> ErlangAResult:
    """Erlang A (M/M/N+M): callers hang up after an exponential time of mean `patience` s.

    `patience` may be inf, which gives the Erlang C values (no abandonment).  With a
    `definition`, only that service level is computed (the others are NaN where callers
    hang up): each costs an incomplete gamma function a cell.
    """
    need = "all"
    if definition is not None:
        _check_definition(definition)
        need = definition
    fields: dict[str, float | FloatArray] | None = None
    if _numbers(traffic, agents, aht, patience, target):
        scalars = _erlang_a_fields1(traffic, agents, aht, patience, target, need)
        fields = None if scalars is None else dict(scalars)
    if fields is None:
        a, n, h, p, t = _broadcast(
            _checked("traffic", traffic),
            _agents(agents),
            _checked("aht", aht, strict=True),
            _checked("patience", patience, strict=True, finite=False),
            _checked("target", target, finite=False),
        )
        got = _erlang_a_arrays(a, n, h, p, t, want_asa=True, need=need)
        scalar = _is_scalar(traffic, agents, aht, patience, target)
        fields = {k: _result(v, scalar) for k, v in got.items()}
    return ErlangAResult(
        service_level=fields["offered"],
        service_level_offered=fields["offered"],
        service_level_answered=fields["answered"],
        service_level_virtual=fields["virtual"],
        asa=fields["asa"],
        abandon=fields["abandon"],
        p_wait=fields["p_wait"],
        mean_wait=fields["mean_wait"],
        occupancy=fields["occ"],
    )


# ------------------------------------------------------------------------ required agents


@dataclass(frozen=True)
class _Targets:
    """Flattened, broadcast staffing problem; None marks a target that was not given."""

    traffic: FloatArray
    aht: FloatArray
    target: FloatArray
    patience: FloatArray  # inf where the Erlang C model applies
    service_level: FloatArray | None
    max_abandon: FloatArray | None
    max_asa: FloatArray | None
    max_occupancy: FloatArray | None
    definition: Definition

    def meets(self, n: FloatArray, idx: IntArray) -> npt.NDArray[np.bool_]:
        """Whether `n` agents meet every given target for the cells `idx`."""
        a, h, p = self.traffic[idx], self.aht[idx], self.patience[idx]
        need = "none" if self.service_level is None else self.definition
        got = _erlang_a_arrays(a, n, h, p, self.target[idx], self.max_asa is not None, need)
        ok = np.ones(idx.shape, dtype=bool)
        if self.service_level is not None:
            ok &= got[self.definition] >= self.service_level[idx] - TARGET_TOLERANCE
        if self.max_abandon is not None:
            ok &= got["abandon"] <= self.max_abandon[idx] + TARGET_TOLERANCE
        if self.max_asa is not None:
            ok &= got["asa"] <= self.max_asa[idx] * (1 + TARGET_TOLERANCE)
        if self.max_occupancy is not None:
            ok &= got["occ"] <= self.max_occupancy[idx] + TARGET_TOLERANCE
        return ok

    def infeasible(self) -> npt.NDArray[np.bool_]:
        """Cells no head count can satisfy: those targets hold only in the limit N -> inf."""
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


_HW_STEPS = 14  # bisection steps for beta on [0, 12]
# A comparison whose sides are further apart than this (relative to 1, or to the ASA
# limit) is decided alike by the exact value and an estimate within 1e-12 of it.
_DECIDED = 1e-9
_HW_GRID = 12.0 / (1 << _HW_STEPS)  # every beta the bisection tries is a multiple of this


def _halfin_whitt_alpha(beta: FloatArray) -> FloatArray:
    """Halfin-Whitt P(wait) ~ 1 / (1 + beta * Phi(beta) / phi(beta))."""
    weight = beta * _special().ndtr(beta) * np.exp(beta * beta / 2 + _LOG_SQRT_2PI)
    return np.asarray(1.0 / (1.0 + weight), dtype=np.float64)


@functools.cache
def _halfin_whitt_table() -> list[float]:
    """`_halfin_whitt_alpha` of every beta the bisection can try, j * _HW_GRID: the scalar
    search looks them up (the same values, computed by the same array operations)."""
    betas = np.arange(1 << _HW_STEPS, dtype=np.float64) * _HW_GRID
    return [float(v) for v in _halfin_whitt_alpha(betas)]


def _halfin_whitt_beta(t: _Targets, idx: IntArray) -> FloatArray:
    """Square-root staffing coefficient beta solving the Halfin-Whitt approximation."""
    a, h, wait = t.traffic[idx], t.aht[idx], t.target[idx]
    lo, hi = np.zeros_like(a), np.full_like(a, 12.0)
    for _ in range(_HW_STEPS):
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
    """Where the search starts, never below the known lower bound: without patience the
    square-root staffing N0 = A + beta * sqrt(A) (and the occupancy bound), with patience
    the ceiling of the root of a model of Erlang A (`_patient_guess`)."""
    patient = np.isfinite(t.patience[idx])
    n0 = np.empty(idx.shape, dtype=np.float64)
    if not patient.all():
        sub = idx[~patient]
        a = t.traffic[sub]
        guess = np.ceil(a + _halfin_whitt_beta(t, sub) * np.sqrt(a))
        if t.max_occupancy is not None:
            with np.errstate(divide="ignore"):
                guess = np.maximum(guess, np.floor(a / t.max_occupancy[sub]))
        n0[~patient] = guess
    if patient.any():
        n0[patient] = _patient_guess(t, idx[patient])
    return np.maximum(floor_n, n0)


# First guess with patience.  The search starts from the root of a cheap model of Erlang A:
# the formulas of `_erlang_a_live` with every incomplete gamma function replaced by the
# saddle-point approximation of Lugannani & Rice (1980), within about 1e-3 of it for
# shapes above 1 (usable, if rougher, below).  Erlang C's square-root staffing is a poor
# start there (it ignores abandonment: 6 to 17 head counts tried a cell); the model's root
# is the answer or one below it in most cells, so the exact search tries two head counts.
# The first guess decides only where the search starts, never the answer.

_GUESS_CAP = 40.0  # slacks are clipped to +-this: far from the root only their sign matters
_GUESS_ROUNDS = 8  # secant steps at most
_GUESS_SETTLED = 0.25  # a secant step this short (in agents) ends the iteration
_SQRT_HALF_PI = math.sqrt(math.pi / 2)


def _saddle_log_gamma(a: FloatArray, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(log P(a, z), log Q(a, z)), regularised incomplete gamma, by the Lugannani-Rice
    saddle-point approximation.

    With d = z/a - 1, w = sign(d) sqrt(2a (d - log(1 + d))) and v = d sqrt(a), the smaller
    tail is phi(w) (R(|w|) -+ (1/w - 1/v)), R the Mills ratio (1 - Phi) / phi (by erfcx,
    which neither underflows nor cancels); the other tail is one minus it.  Near d = 0,
    1/w - 1/v is its series (1/3 - d/12) / sqrt(a)."""
    d = z / a - 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        g = d - np.log1p(d)
        w = np.sqrt(2.0 * a * g)  # |w|
        far = np.copysign(1.0 / w, d) - 1.0 / (d * np.sqrt(a))
        corr = np.where(np.abs(d) < 1e-3, (1.0 / 3.0 - d / 12.0) / np.sqrt(a), far)
        mills = _SQRT_HALF_PI * _special().erfcx(w * math.sqrt(0.5))
        below = d < 0.0
        tail = np.maximum(mills + np.where(below, corr, -corr), _TINY)
        small = -a * g - _LOG_SQRT_2PI + np.log(tail)
        large = np.log1p(-np.minimum(np.exp(small), 1.0 - 2.0**-53))
    return np.where(below, small, large), np.where(below, large, small)


def _model_slack(t: _Targets, idx: IntArray, n: FloatArray) -> FloatArray:
    """How far `n` agents (real numbers > 0) are inside every target of the cells `idx`
    in the model: the least of log(limit / metric) and, for a service level, of
    logit(level) - logit(target); clipped to +-_GUESS_CAP, NaN where the model fails.
    It grows with n and is >= 0 where the model meets every target."""
    a, h, p = t.traffic[idx], t.aht[idx], t.patience[idx]
    x, y = n * p / h, a * p / h
    sp = _special()
    with np.errstate(all="ignore"):
        lpx = _saddle_log_gamma(x, y)[0]
        ls = lpx - (sp.xlogy(x, y) - y - sp.gammaln(x + 1.0))
        log_pois = sp.xlogy(n, a) - a - sp.gammaln(n + 1.0)
        lb = np.minimum(log_pois - _saddle_log_gamma(n + 1.0, a)[1], 0.0)
        p_wait = 1.0 / (1.0 + np.exp(np.log1p(-np.exp(lb)) - lb - ls))
        served_w = np.minimum(x / y * -np.expm1(-ls), 1.0)
        abandon = p_wait * (1.0 - served_w)
        slack = np.full_like(a, _GUESS_CAP)
        if t.service_level is not None:
            yu = y * np.exp(-t.target[idx] / p)
            if t.definition == "virtual":
                miss = p_wait * np.exp(_saddle_log_gamma(x, yu)[0] - lpx)
            else:
                late = x / y * np.exp(_saddle_log_gamma(x + 1.0, yu)[0] - lpx)
                miss = p_wait * (1.0 - np.maximum(served_w - late, 0.0))
                if t.definition == "answered":
                    miss = (miss - abandon) / (1.0 - abandon)
            miss = np.clip(miss, _TINY, 1.0)
            level = t.service_level[idx]
            logit = np.log1p(-miss) - np.log(miss) - np.log(level) + np.log1p(-level)
            slack = np.minimum(slack, logit)
        if t.max_abandon is not None:
            slack = np.minimum(slack, np.log(t.max_abandon[idx] / abandon))
        if t.max_occupancy is not None:
            slack = np.minimum(slack, np.log(t.max_occupancy[idx] * n / (a * (1.0 - abandon))))
        if t.max_asa is not None:
            # E[log(y / Z) | Z < y], Z ~ Gamma(x + 1), taken as log(y / E[Z | Z < y]) (a
            # little low, by Jensen's inequality), E[Z | Z < y] = (x+1) P(x+2, y) / P(x+1, y).
            shift = _saddle_log_gamma(x + 2.0, y)[0] - _saddle_log_gamma(x + 1.0, y)[0]
            mean_log = np.log(y / (x + 1.0)) - shift
            asa = p_wait * served_w * p * mean_log / (1.0 - abandon)
            slack = np.minimum(slack, np.log(t.max_asa[idx] / asa))
    return np.asarray(np.maximum(slack, -_GUESS_CAP), dtype=np.float64)


def _patient_guess(t: _Targets, idx: IntArray) -> FloatArray:
    """First head count for the cells `idx` (finite patience): the ceiling of the root of
    `_model_slack`, found by a secant kept inside the bracket known so far (bisecting when
    it leaves it), from ceil(A) and a step of sqrt(A)/2; a bracket one agent wide ends by
    interpolation.  Cells where the model gives NaN keep ceil(A)."""
    a = t.traffic[idx]
    guess = np.maximum(np.ceil(a), 1.0)
    n0 = guess.copy()
    f0 = _model_slack(t, idx, n0)
    step = np.maximum(np.floor(a / 10.0), 1.0)
    n1 = np.where(f0 >= 0.0, np.maximum(n0 - step, 0.5), n0 + step)
    f1 = _model_slack(t, idx, n1)
    cell = np.flatnonzero(~(np.isnan(f0) | np.isnan(f1)))
    n0, f0, n1, f1 = n0[cell], f0[cell], n1[cell], f1[cell]
    # lo: the largest n known to fail (slack flo < 0), hi: the smallest known to meet.
    lo, flo = np.full_like(n0, -math.inf), np.full_like(n0, math.nan)
    hi, fhi = np.full_like(n0, math.inf), np.full_like(n0, math.nan)
    for n, f in ((n0, f0), (n1, f1)):
        fails, meets = (f < 0.0) & (n > lo), (f >= 0.0) & (n < hi)
        lo, flo = np.where(fails, n, lo), np.where(fails, f, flo)
        hi, fhi = np.where(meets, n, hi), np.where(meets, f, fhi)
    for rounds in range(_GUESS_ROUNDS + 1):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            secant = n1 - f1 * (n1 - n0) / (f1 - f0)
            inside = lo - flo * (hi - lo) / (fhi - flo)
        bracketed = np.isfinite(lo) & np.isfinite(hi)
        span = 2.0 * np.abs(n1 - n0)
        fallback = np.where(
            bracketed, (lo + hi) / 2, np.where(np.isfinite(hi), hi - span, lo + span)
        )
        r = np.where(np.isfinite(secant) & (secant > lo) & (secant < hi), secant, fallback)
        r = np.clip(r, np.maximum(np.minimum(n0, n1) / 4.0, 0.5), 4.0 * np.maximum(n0, n1) + 16.0)
        narrow = bracketed & (hi - lo <= 1.0)
        r = np.where(narrow, inside, r)
        done = narrow | (np.abs(r - n1) < _GUESS_SETTLED) | (rounds == _GUESS_ROUNDS)
        guess[cell[done]] = np.maximum(np.ceil(r[done]), 1.0)
        keep = ~done
        if not keep.any():
            break
        cell, r, n1, f1, lo, flo, hi, fhi = (v[keep] for v in (cell, r, n1, f1, lo, flo, hi, fhi))
        fr = _model_slack(t, idx[cell], r)
        fails, meets = fr < 0.0, fr >= 0.0  # both False where NaN: the bracket stays
        lo, flo = np.where(fails, r, lo), np.where(fails, fr, flo)
        hi, fhi = np.where(meets, r, hi), np.where(meets, fr, fhi)
        n0, f0, n1, f1 = n1, f1, r, fr
    return guess


def _ln(v: float) -> float:
    """math.log, -inf at 0 (the guess's scalar model only)."""
    return math.log(v) if v > 0.0 else -math.inf


_SQRT_HALF = math.sqrt(0.5)
_SQRT_PI = math.sqrt(math.pi)


def _saddle_log_gamma1(a: float, z: float, upper: bool) -> float:
    """Scalar `_saddle_log_gamma`, log Q(a, z) if `upper` else log P(a, z), with the math
    module (a first guess rests on it, not an answer: it need not be the arrays' bit for
    bit).  erfcx is exp(z^2) erfc(z) below 25, its asymptotic series above."""
    d = z / a - 1.0
    if not d > -1.0:  # z = 0, or too small beside a: P = 0
        return 0.0 if upper else -math.inf
    g = d - math.log1p(d)
    w = math.sqrt(2.0 * a * g) if g > 0.0 else 0.0
    if -1e-3 < d < 1e-3:
        corr = (1.0 / 3.0 - d / 12.0) / math.sqrt(a)
    else:
        corr = (1.0 / w if d > 0.0 else -1.0 / w) - 1.0 / (d * math.sqrt(a))
    e = w * _SQRT_HALF
    if e < 25.0:
        mills = _SQRT_HALF_PI * math.exp(e * e) * math.erfc(e)
    else:
        r = 1.0 / (e * e)
        mills = _SQRT_HALF_PI * (1.0 - r * (0.5 - r * (0.75 - r * 1.875))) / (e * _SQRT_PI)
    below = d < 0.0
    tail = mills + corr if below else mills - corr
    small = -a * g - _LOG_SQRT_2PI + math.log(tail if tail > _TINY else _TINY)
    if below != upper:  # the smaller tail is the one asked for
        return small
    return math.log1p(-math.exp(small)) if small < -1e-16 else math.log(2.0**-53)


def _slack_model1(
    a: float,
    h: float,
    p: float,
    wait: float,
    level: float | None,
    abandon_max: float | None,
    asa_max: float | None,
    occ_max: float | None,
    definition: Definition,
) -> Callable[[float], float]:
    """Scalar `_model_slack` for one cell (with the math module), as a function of the
    head count, with what does not depend on it computed once (the secant of
    `_patient_guess1` calls it four or five times)."""
    y = a * p / h
    log_y, log_a = math.log(y), math.log(a)
    level_on = level is not None and level > 0.0
    yu = y * math.exp(-wait / p) if level_on else 0.0
    log_level = math.log(level) if level_on else 0.0  # type: ignore[arg-type]
    log_miss_level = math.log1p(-level) if level_on else 0.0  # type: ignore[operator]
    ln_abandon_max = _ln(abandon_max) if abandon_max is not None else 0.0
    ln_asa_max = _ln(asa_max) if asa_max is not None else 0.0

    def slack_at(n: float) -> float:
        x = n * p / h
        lpx = _saddle_log_gamma1(x, y, False)
        ls = lpx - (x * log_y - y - math.lgamma(x + 1.0))
        log_pois = n * log_a - a - math.lgamma(n + 1.0)
        lb = min(log_pois - _saddle_log_gamma1(n + 1.0, a, True), 0.0)
        ratio = _ln(-math.expm1(lb)) - lb - ls
        p_wait = 1.0 / (1.0 + math.exp(ratio)) if ratio < 709.0 else 0.0
        served_w = min(x / y * -math.expm1(-ls), 1.0)
        abandon = p_wait * (1.0 - served_w)
        slack = _GUESS_CAP
        if level_on:
            if definition == "virtual":
                miss = p_wait * math.exp(_saddle_log_gamma1(x, yu, False) - lpx)
            else:
                late = x / y * math.exp(_saddle_log_gamma1(x + 1.0, yu, False) - lpx)
                miss = p_wait * (1.0 - max(served_w - late, 0.0))
                if definition == "answered":
                    miss = (miss - abandon) / (1.0 - abandon)
            miss = min(max(miss, _TINY), 1.0)
            logit = _ln(1.0 - miss) - math.log(miss) - log_level + log_miss_level
            slack = _minimum(slack, logit)
        if abandon_max is not None:
            slack = _minimum(slack, ln_abandon_max - _ln(abandon))
        if occ_max is not None:
            slack = _minimum(slack, _ln(occ_max * n / (a * (1.0 - abandon))))
        if asa_max is not None:
            shift = _saddle_log_gamma1(x + 2.0, y, False) - _saddle_log_gamma1(x + 1.0, y, False)
            asa = p_wait * served_w * p * (math.log(y / (x + 1.0)) - shift) / (1.0 - abandon)
            slack = _minimum(slack, ln_asa_max - _ln(asa))
        return -_GUESS_CAP if slack < -_GUESS_CAP else slack

    return slack_at


def _patient_guess1(a: float, slack: Callable[[float], float]) -> float:
    """Scalar `_patient_guess` for one cell, `slack` its `_slack_model1`; where Python
    raises (a domain error, an overflow), ceil(A) as where the arrays' model gives NaN."""
    guess = max(math.ceil(a), 1.0)
    try:
        n0, f0 = guess, slack(guess)
        step = max(math.floor(a / 10.0), 1.0)
        n1 = max(n0 - step, 0.5) if f0 >= 0.0 else n0 + step
        f1 = slack(n1)
        if math.isnan(f0) or math.isnan(f1):
            return guess
        lo, flo, hi, fhi = -math.inf, math.nan, math.inf, math.nan
        for n, f in ((n0, f0), (n1, f1)):
            if f < 0.0 and n > lo:
                lo, flo = n, f
            elif f >= 0.0 and n < hi:
                hi, fhi = n, f
        for rounds in range(_GUESS_ROUNDS + 1):
            secant = n1 - f1 * (n1 - n0) / (f1 - f0) if f1 != f0 else math.nan
            span = 2.0 * abs(n1 - n0)
            if lo > -math.inf and hi < math.inf:
                if hi - lo <= 1.0:
                    return max(math.ceil(lo - flo * (hi - lo) / (fhi - flo)), 1.0)
                fallback = (lo + hi) / 2
            else:
                fallback = hi - span if hi < math.inf else lo + span
            r = secant if lo < secant < hi else fallback
            r = min(max(r, max(min(n0, n1) / 4.0, 0.5)), 4.0 * max(n0, n1) + 16.0)
            if abs(r - n1) < _GUESS_SETTLED or rounds == _GUESS_ROUNDS:
                return max(math.ceil(r), 1.0)
            fr = slack(r)
            if fr < 0.0:
                lo, flo = r, fr
            elif fr >= 0.0:
                hi, fhi = r, fr
            n0, f0, n1, f1 = n1, f1, r, fr
    except (ArithmeticError, ValueError):
        pass
    return guess


def _bracket(
    meets: Callable[[FloatArray, IntArray], npt.NDArray[np.bool_]],
    n0: FloatArray,
    known_bad: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Exponential search from n0 to (lo, hi): lo fails (or is known_bad), hi meets."""
    idx = np.arange(n0.size)
    ok = meets(n0, idx)
    lo, hi = np.where(ok, known_bad, n0), np.where(ok, n0, math.inf)
    down, up = ok.copy(), ~ok
    step = 1.0
    for _ in range(_MAX_DOUBLINGS):
        down &= hi - step > lo  # below that, lo is already a known failure
        pending = np.flatnonzero(down | up)
        if pending.size == 0:
            break
        cand = np.where(down[pending], hi[pending] - step, lo[pending] + step)
        got = meets(cand, pending)
        hi[pending] = np.where(got, cand, hi[pending])
        lo[pending] = np.where(got, lo[pending], cand)
        down[pending] &= got  # a failure below closes the bracket
        up[pending] &= ~got  # a success above closes the bracket
        step *= 2.0
    return lo, hi


def _bisect(
    meets: Callable[[FloatArray, IntArray], npt.NDArray[np.bool_]],
    lo: FloatArray,
    hi: FloatArray,
) -> FloatArray:
    """Integer bisection of every bracket at once, keeping lo failing and hi meeting."""
    while True:
        pending = np.flatnonzero(hi - lo > 1)
        if pending.size == 0:
            return hi
        mid = np.floor((lo[pending] + hi[pending]) / 2)
        got = meets(mid, pending)
        hi[pending] = np.where(got, mid, hi[pending])
        lo[pending] = np.where(got, lo[pending], mid)


def _optional(name: str, value: npt.ArrayLike | None, high: float) -> FloatArray | None:
    return None if value is None else _checked(name, value, high=high, finite=False)


def _flat(value: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    return np.broadcast_to(value, shape).ravel().astype(np.float64)


def _solve(t: _Targets) -> IntArray:
    """Smallest head count per cell, INFEASIBLE where none exists, 0 without traffic."""
    result = np.zeros(t.traffic.shape, dtype=np.int64)
    bad = t.infeasible()
    result[bad] = INFEASIBLE
    cells = np.flatnonzero((t.traffic > 0) & ~bad)
    if cells.size == 0:
        return result
    result[cells] = _by_load(t, cells)
    return result


def _floor_n(t: _Targets, cells: IntArray) -> FloatArray:
    """The fewest agents worth trying: Erlang C needs N > A for a stable queue; with
    abandonment one agent is the minimum."""
    erlang_c = np.isinf(t.patience[cells])
    return np.where(erlang_c, np.floor(t.traffic[cells]) + 1, 1.0)


def _searched(t: _Targets, cells: IntArray) -> IntArray:
    """Each cell's head count found alone: first guess, exponential bracket, bisection."""
    floor_n = _floor_n(t, cells)

    def meets(n: FloatArray, sub: IntArray) -> npt.NDArray[np.bool_]:
        return t.meets(n, cells[sub])

    lo, hi = _bracket(meets, _first_guess(t, cells, floor_n), floor_n - 1)
    found = _bisect(meets, lo, np.where(np.isfinite(hi), hi, lo + 1))
    return np.where(np.isfinite(hi), found, INFEASIBLE).astype(np.int64)


def _monotone_in_load(t: _Targets, cells: IntArray) -> npt.NDArray[np.bool_]:
    """Cells whose every target gets harder to meet as the traffic grows, all else equal.

    Without patience (Erlang C) every metric is monotone in the load.  With patience the
    number in system is a birth-death chain whose stationary law grows stochastically with
    the arrival rate, and the virtual wait grows with the number in system; so the virtual
    and offered service levels fall, and abandonment and occupancy rise, with the load.
    The answered service level and the ASA are ratios over the answered calls, for which
    that argument says nothing: those cells are searched alone, and so are cells whose
    incomplete gamma functions have shapes where scipy's lose accuracy (`_MONOTONE_SHAPE`)."""
    erlang_c = np.isinf(t.patience[cells])
    if (t.service_level is not None and t.definition == "answered") or t.max_asa is not None:
        return erlang_c
    with np.errstate(over="ignore"):
        shape = (t.traffic[cells] + 1.0) * 2.0 * t.patience[cells] / t.aht[cells]
    return erlang_c | (shape < _MONOTONE_SHAPE)


_MONOTONE_SHAPE = 1e5
"""Above this shape (about agents x patience / handle time) scipy's incomplete gamma
function loses digits (docs/queueing.md): there a cell is searched alone."""


def _by_load(t: _Targets, cells: IntArray, smallest: int | None = None) -> IntArray:
    """`_searched` of every cell, with fewer searches where the answer is monotone in load.

    Cells with the same handle time, patience and targets are sorted by traffic; their
    head counts then never decrease.  The first and last cell of each such group are
    searched alone; a run of cells between two whose head counts are equal takes that
    count, and a run between different counts is split at its middle cell, whose count
    is found by bisection between the two (the lower count less one fails it, the higher
    meets it); a run with about as many head counts as cells, and a wide gap between
    them, is searched cell by cell.
    Cells equal in every parameter and in traffic are solved once.  Calls of fewer than
    `smallest` cells (default `_BY_LOAD_MIN`) are searched cell by cell.  Each
    answer is the smallest head count meeting every target, as the search alone finds
    (tests/solve/test_queueing_by_load.py compares both)."""
    if cells.size < (_BY_LOAD_MIN if smallest is None else smallest):
        return _searched(t, cells)
    answers = np.empty(cells.shape, dtype=np.int64)
    eligible = _monotone_in_load(t, cells)
    if not eligible.all():
        answers[~eligible] = _searched(t, cells[~eligible])
    where = np.flatnonzero(eligible)
    if where.size == 0:
        return answers
    keys = [t.traffic[cells[where]]] + [
        v[cells[where]]
        for v in (
            t.aht,
            t.target,
            t.patience,
            t.service_level,
            t.max_abandon,
            t.max_asa,
            t.max_occupancy,
        )
        if v is not None
    ]
    order = np.lexsort(keys)  # groups of equal parameters, each sorted by traffic
    params = np.stack([k[order] for k in keys[1:]])
    first = np.ones(order.size, dtype=bool)
    first[1:] = (params[:, 1:] != params[:, :-1]).any(axis=0)
    # Cells equal in traffic too are one problem: solved once, the answer copied to each.
    load = keys[0][order]
    fresh = first.copy()
    fresh[1:] |= load[1:] != load[:-1]
    copies = np.cumsum(fresh) - 1
    ranked = cells[where[order[fresh]]]
    starts = copies[first]
    ends = np.append(starts[1:], ranked.size) - 1
    found = np.full(ranked.size, _UNKNOWN, dtype=np.int64)
    ends_known = np.unique(np.concatenate([starts, ends]))
    found[ends_known] = _searched(t, ranked[ends_known])
    lo_pos, hi_pos = starts, ends
    floor_n = _floor_n(t, ranked)
    while True:
        inner = hi_pos - lo_pos >= 2
        lo_pos, hi_pos = lo_pos[inner], hi_pos[inner]
        if lo_pos.size == 0:
            break
        lo_n, hi_n = found[lo_pos], found[hi_pos]
        lost = (lo_n == INFEASIBLE) | (hi_n == INFEASIBLE)
        if lost.any():  # no bound to start from: search those cells alone
            gaps = _interior(lo_pos[lost], hi_pos[lost])
            found[gaps] = _searched(t, ranked[gaps])
        equal = (lo_n == hi_n) & ~lost
        if equal.any():
            gaps = _interior(lo_pos[equal], hi_pos[equal])
            found[gaps] = np.repeat(lo_n[equal], hi_pos[equal] - lo_pos[equal] - 1)
        # A run with about as many head counts as cells gains nothing from splitting (each
        # middle cell's bisection would cost more than its own search): search it alone.
        gap = hi_n - lo_n
        sparse = ~equal & ~lost & (gap >= _WIDE) & (hi_pos - lo_pos - 1 <= _DENSE * gap)
        if sparse.any():
            gaps = _interior(lo_pos[sparse], hi_pos[sparse])
            found[gaps] = _searched(t, ranked[gaps])
        split = ~equal & ~lost & ~sparse
        lo_pos, hi_pos, lo_n, hi_n = lo_pos[split], hi_pos[split], lo_n[split], hi_n[split]
        mid = (lo_pos + hi_pos) // 2
        sub = ranked[mid]

        def meets(n: FloatArray, pending: IntArray, sub: IntArray = sub) -> npt.NDArray[np.bool_]:
            return t.meets(n, sub[pending])

        low = np.maximum(lo_n - 1.0, floor_n[mid] - 1.0)
        found[mid] = _bisect(meets, low, hi_n.astype(np.float64)).astype(np.int64)
        lo_pos, hi_pos = np.concatenate([lo_pos, mid]), np.concatenate([mid, hi_pos])
    answers[where[order]] = found[copies]
    return answers


_UNKNOWN = -2  # a head count not found yet (INFEASIBLE is -1, answers are >= 0)
_DENSE = 2
"""A run between two head counts is split only if it has more than this many cells per
head count between them; a sparser one is searched cell by cell."""
_WIDE = 32
"""Head counts apart from which a bisection (log2 of the gap evaluations) costs more than
a cell's own search (a first guess and about two evaluations)."""
_BY_LOAD_MIN = 20_000
"""Fewer cells than this are searched one by one: the search by load saves evaluations
but makes more rounds of them, whose fixed costs outweigh the saving on small arrays (the
examples' queues: about half the search time alone)."""


def _interior(lo: IntArray, hi: IntArray) -> IntArray:
    """The positions strictly between each lo and hi, run after run."""
    lengths = hi - lo - 1
    total = int(lengths.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    positions: IntArray = np.repeat(lo + 1, lengths) + offsets
    return positions


def _halfin_whitt_beta1(
    a: float, h: float, t: float, level: float | None, asa_max: float | None
) -> float:
    """Scalar `_halfin_whitt_beta`: the same bisection, on the grid index j of beta.

    math.exp (within an ulp or two of numpy's) decides the service level test unless the
    two sides are within _DECIDED; then numpy's exp does, as in the arrays."""
    root = math.sqrt(a)
    table, grid, exp = _halfin_whitt_table(), _HW_GRID, math.exp
    lo_j, hi_j = 0, 1 << _HW_STEPS
    for _ in range(_HW_STEPS):
        j = (lo_j + hi_j) >> 1
        beta = j * grid  # exactly the arrays' (lo + hi) / 2
        alpha = table[j]
        if level is not None:
            z = -beta * root * t / h  # <= 0: no overflow
            got = 1 - alpha * exp(z)
            if -_DECIDED <= got - level <= _DECIDED:
                got = 1 - alpha * _exp(z)
            if got < level:
                lo_j = j
                continue
        if asa_max is not None and alpha * h / (beta * root) > asa_max:
            lo_j = j
            continue
        hi_j = j
    return hi_j * grid


def _required1(
    a: float,
    h: float,
    t: float,
    p: float,
    level: float | None,
    abandon_max: float | None,
    asa_max: float | None,
    occ_max: float | None,
    definition: Definition,
) -> int:
    """Scalar `_solve`: the same first guess, bracket and bisection, so the same answer.

    Without patience every step is the arrays' (the same path).  With patience the first
    guess comes from the model computed with the math module, which may start a cell one
    agent away from the arrays' start; the search ends on the same head count, the one
    that meets every target with one fewer failing (see docs/queueing.md)."""
    if not a > 0:
        return 0
    if (
        (level is not None and level >= 1.0)
        or (abandon_max is not None and abandon_max <= 0.0 and math.isfinite(p))
        or (asa_max is not None and asa_max <= 0.0)
        or (occ_max is not None and occ_max <= 0.0)
    ):
        return INFEASIBLE
    erlang_c = math.isinf(p)
    floor_n = _floor(a) + 1 if erlang_c else 1.0
    if erlang_c:  # the metrics `_erlang_a1` gives without patience, computed directly

        def meets(n: float) -> bool:
            rough = _erlang_c_rough(a, n, h, t)  # decides unless the comparison is close
            if (
                rough is None
                or (level is not None and abs(rough[0] - level) <= _DECIDED)
                or (asa_max is not None and abs(rough[1] - asa_max) <= _DECIDED * asa_max)
            ):
                _, sl, mean = _erlang_c1(a, n, h, t)
            else:
                sl, mean = rough
            return (
                (level is None or sl >= level - TARGET_TOLERANCE)  # nobody abandons
                and (asa_max is None or mean <= asa_max * (1 + TARGET_TOLERANCE))
                and (
                    occ_max is None
                    or (_minimum(a / n, 1.0) if n > 0 else 1.0) <= occ_max + TARGET_TOLERANCE
                )
            )

    else:
        need = "none" if level is None else definition

        def meets(n: float) -> bool:
            got = _erlang_a1(a, n, h, p, t, asa_max is not None, need)
            return (
                (level is None or got[definition] >= level - TARGET_TOLERANCE)
                and (abandon_max is None or got["abandon"] <= abandon_max + TARGET_TOLERANCE)
                and (asa_max is None or got["asa"] <= asa_max * (1 + TARGET_TOLERANCE))
                and (occ_max is None or got["occ"] <= occ_max + TARGET_TOLERANCE)
            )

    # _first_guess
    if erlang_c:
        n = _ceil(a + _halfin_whitt_beta1(a, h, t, level, asa_max) * math.sqrt(a))
        if occ_max is not None:
            n = _maximum(n, _floor(a / occ_max))
    else:
        slack = _slack_model1(a, h, p, t, level, abandon_max, asa_max, occ_max, definition)
        n = _patient_guess1(a, slack)
    n = _maximum(floor_n, n)
    # _bracket
    ok = meets(n)
    lo, hi = (floor_n - 1, n) if ok else (n, math.inf)
    down, up = ok, not ok
    step = 1.0
    for _ in range(_MAX_DOUBLINGS):
        down = down and hi - step > lo
        if not (down or up):
            break
        cand = hi - step if down else lo + step
        got = meets(cand)
        lo, hi = (lo, cand) if got else (cand, hi)
        down, up = down and got, up and not got
        step *= 2.0
    if not math.isfinite(hi):
        return INFEASIBLE
    # _bisect
    while hi - lo > 1:
        mid = _floor((lo + hi) / 2)
        lo, hi = (lo, mid) if meets(mid) else (mid, hi)
    return int(hi)


def _check_definition(definition: str) -> None:
    if definition not in ("offered", "answered", "virtual"):
        raise ValueError(f"definition must be offered, answered or virtual, got {definition!r}")


def _optional1(name: str, value: Any, high: float) -> float | None:
    return None if value is None else _number(name, value, high=high, finite=False)


def _required_agents1(
    traffic: Any,
    aht: Any,
    target: Any,
    service_level: Any,
    patience: Any,
    max_abandon: Any,
    max_asa: Any,
    max_occupancy: Any,
    definition: Definition,
) -> int | None:
    """Scalar `required_agents` (arguments checked alike); None where the arrays must answer."""
    a = _number("traffic", traffic)
    h = _number("aht", aht, strict=True)
    t = _number("target", target)
    p = math.inf if patience is None else _number("patience", patience, strict=True, finite=False)
    level = _optional1("service_level", service_level, 1.0)
    abandon_max = _optional1("max_abandon", max_abandon, 1.0)
    asa_max = _optional1("max_asa", max_asa, math.inf)
    occ_max = _optional1("max_occupancy", max_occupancy, math.inf)
    try:
        return _required1(a, h, t, p, level, abandon_max, asa_max, occ_max, definition)
    except ArithmeticError:  # Python raises where numpy gives inf or NaN
        return None


@overload
def required_agents(
    traffic: float,
    aht: float,
    target: float,
    service_level: float | None,
    *,
    patience: float | None = None,
    max_abandon: float | None = None,
    max_asa: float | None = None,
    max_occupancy: float | None = None,
    definition: Definition = "offered",
) -> int: ...
@overload
def required_agents(
    traffic: npt.ArrayLike,
    aht: npt.ArrayLike,
    target: npt.ArrayLike,
    service_level: npt.ArrayLike | None,
    *,
    patience: npt.ArrayLike | None = None,
    max_abandon: npt.ArrayLike | None = None,
    max_asa: npt.ArrayLike | None = None,
    max_occupancy: npt.ArrayLike | None = None,
    definition: Definition = "offered",
) -> int | IntArray: ...
def required_agents(
    traffic: npt.ArrayLike,
    aht: npt.ArrayLike,
    target: npt.ArrayLike,
    service_level: npt.ArrayLike | None,
    *,
    patience: npt.ArrayLike | None = None,
    max_abandon: npt.ArrayLike | None = None,
    max_asa: npt.ArrayLike | None = None,
    max_occupancy: npt.ArrayLike | None = None,
    definition: Definition = "offered",
) -> int | IntArray:
    """Smallest whole number of agents meeting every given target at once.

    Without `patience` the queue is Erlang C; with it, Erlang A and `definition` picks the
    service level definition.  Zero traffic needs 0 agents; a cell whose targets no head
    count can meet (e.g. 100 % within any time, ASA 0) gets INFEASIBLE (-1).
    """
    _check_definition(definition)
    if _numbers(traffic, aht, target, service_level, patience, max_abandon, max_asa, max_occupancy):
        got = _required_agents1(
            traffic,
            aht,
            target,
            service_level,
            patience,
            max_abandon,
            max_asa,
            max_occupancy,
            definition,
        )
        if got is not None:
            return got
    cells = [
        _checked("traffic", traffic),
        _checked("aht", aht, strict=True),
        _checked("target", target),
        np.asarray(math.inf)
        if patience is None
        else _checked("patience", patience, strict=True, finite=False),
    ]
    limits = [
        _optional("service_level", service_level, 1.0),
        _optional("max_abandon", max_abandon, 1.0),
        _optional("max_asa", max_asa, math.inf),
        _optional("max_occupancy", max_occupancy, math.inf),
    ]
    shape = np.broadcast_shapes(*(v.shape for v in (*cells, *limits) if v is not None))
    a, h, t, p = (_flat(v, shape) for v in cells)
    sl, ab, wait, occ = (None if v is None else _flat(v, shape) for v in limits)
    targets = _Targets(a, h, t, p, sl, ab, wait, occ, definition)
    result = _solve(targets).reshape(shape)
    scalar = _is_scalar(
        traffic, aht, target, service_level, patience, max_abandon, max_asa, max_occupancy
    )
    return int(result) if scalar else result


# -------------------------------------------------------------------- other channel models


def _ceil_eps(values: FloatArray) -> FloatArray:
    """Ceiling that ignores float noise of up to FTE_TOLERANCE (relative) above an integer."""
    return np.ceil(values - FTE_TOLERANCE * np.maximum(1.0, np.abs(values)))


@overload
def chat_agents(
    traffic_sessions: float,
    aht: float,
    target: float,
    service_level: float | None,
    concurrency: float,
    *,
    slowdown: float = 0.0,
    patience: float | None = None,
    max_abandon: float | None = None,
    max_asa: float | None = None,
    definition: Definition = "offered",
) -> int: ...
@overload
def chat_agents(
    traffic_sessions: npt.ArrayLike,
    aht: npt.ArrayLike,
    target: npt.ArrayLike,
    service_level: npt.ArrayLike | None,
    concurrency: npt.ArrayLike,
    *,
    slowdown: npt.ArrayLike = 0.0,
    patience: npt.ArrayLike | None = None,
    max_abandon: npt.ArrayLike | None = None,
    max_asa: npt.ArrayLike | None = None,
    definition: Definition = "offered",
) -> int | IntArray: ...
def chat_agents(
    traffic_sessions: npt.ArrayLike,
    aht: npt.ArrayLike,
    target: npt.ArrayLike,
    service_level: npt.ArrayLike | None,
    concurrency: npt.ArrayLike,
    *,
    slowdown: npt.ArrayLike = 0.0,
    patience: npt.ArrayLike | None = None,
    max_abandon: npt.ArrayLike | None = None,
    max_asa: npt.ArrayLike | None = None,
    definition: Definition = "offered",
) -> int | IntArray:
    """Agents for chat, where one agent holds up to `concurrency` sessions at once.

    Model: an agent is `concurrency` slots, each a server of an Erlang C/A queue of
    sessions.  `traffic_sessions` and `aht` are for one session handled alone; working
    c sessions in parallel stretches each by 1 + slowdown * (c - 1) (slowdown 0: `aht`
    was already measured at that concurrency).  Agents = ceil(slots / concurrency).
    """
    if _numbers(
        traffic_sessions,
        aht,
        target,
        service_level,
        concurrency,
        slowdown,
        patience,
        max_abandon,
        max_asa,
    ):
        c1 = _number("concurrency", concurrency, low=1.0)
        stretch1 = 1.0 + _number("slowdown", slowdown) * (c1 - 1.0)
        _check_definition(definition)
        slots1 = _required_agents1(
            _float(traffic_sessions) * stretch1,
            _float(aht) * stretch1,
            target,
            service_level,
            patience,
            max_abandon,
            max_asa,
            None,
            definition,
        )
        if slots1 is not None:
            if slots1 < 0:
                return INFEASIBLE
            share = slots1 / c1
            return math.ceil(share - FTE_TOLERANCE * _maximum(1.0, abs(share)))
    c = _checked("concurrency", concurrency, low=1.0)
    stretch = 1.0 + _checked("slowdown", slowdown) * (c - 1.0)
    slots = required_agents(
        np.asarray(traffic_sessions, dtype=np.float64) * stretch,
        np.asarray(aht, dtype=np.float64) * stretch,
        target,
        service_level,
        patience=patience,
        max_abandon=max_abandon,
        max_asa=max_asa,
        definition=definition,
    )
    slots_arr = np.asarray(slots, dtype=np.float64)
    agents = np.where(slots_arr < 0, INFEASIBLE, _ceil_eps(slots_arr / c)).astype(np.int64)
    scalar = _is_scalar(
        traffic_sessions,
        aht,
        target,
        service_level,
        concurrency,
        slowdown,
        patience,
        max_abandon,
        max_asa,
    )
    return int(agents) if scalar else agents


def deferred_agents(
    arrivals_per_interval: npt.ArrayLike,
    aht: npt.ArrayLike,
    interval: float,
    response_time: float,
    share_within: float = 1.0,
    *,
    cyclic: bool = False,
) -> FloatArray:
    """Agents per interval for deferred work (e-mail, back office) under a FIFO backlog.

    The last axis of `arrivals_per_interval` is time.  With k = max(1, floor(response_time
    / interval)), each interval's work (items * aht) is spread evenly over itself and the
    next k - 1 intervals, so FIFO clears it within the response time.  With share_within
    < 1, only that share is spread; the rest is done in interval i + k.  Work still due
    after the last interval is not staffed unless `cyclic`, where the horizon wraps around.
    Returns fractional agents (workload / interval length): round after pooling queues.
    """
    items = _checked("arrivals_per_interval", arrivals_per_interval)
    work = np.atleast_1d(items * _checked("aht", aht))  # agent-seconds arriving per interval
    length = float(_checked("interval", interval, strict=True))
    share = float(_checked("share_within", share_within, high=1.0))
    k = max(1, math.floor(float(_checked("response_time", response_time)) / length))
    spread = _window_sum(work, k, cyclic) * (share / k)
    spill = _shifted(work, k, cyclic) * (1.0 - share)
    return np.asarray((spread + spill) / length, dtype=np.float64)


def _window_sum(work: FloatArray, k: int, cyclic: bool) -> FloatArray:
    """Sum of the last k intervals (current included) along the last axis."""
    return sum((_shifted(work, j, cyclic) for j in range(1, k)), start=work.copy())


def _shifted(work: FloatArray, lag: int, cyclic: bool) -> FloatArray:
    """The series delayed by `lag` intervals along the last axis (zeros or wrap-around)."""
    if cyclic:
        return np.roll(work, lag, axis=-1)
    out = np.zeros_like(work)
    if lag < work.shape[-1]:
        out[..., lag:] = work[..., : work.shape[-1] - lag]
    return out


@overload
def outbound_hours(
    attempts: float, contact_rate: float, aht_contact: float, aht_no_contact: float
) -> float: ...
@overload
def outbound_hours(
    attempts: npt.ArrayLike,
    contact_rate: npt.ArrayLike,
    aht_contact: npt.ArrayLike,
    aht_no_contact: npt.ArrayLike,
) -> float | FloatArray: ...
def outbound_hours(
    attempts: npt.ArrayLike,
    contact_rate: npt.ArrayLike,
    aht_contact: npt.ArrayLike,
    aht_no_contact: npt.ArrayLike,
) -> float | FloatArray:
    """Agent hours for outbound dialling: attempts * (r * aht_contact + (1-r) * aht_no) / 3600."""
    if _numbers(attempts, contact_rate, aht_contact, aht_no_contact):
        n1 = _number("attempts", attempts)
        r1 = _number("contact_rate", contact_rate, high=1.0)
        seconds1 = n1 * (
            r1 * _number("aht_contact", aht_contact)
            + (1.0 - r1) * _number("aht_no_contact", aht_no_contact)
        )
        return seconds1 / 3600.0
    n = _checked("attempts", attempts)
    r = _checked("contact_rate", contact_rate, high=1.0)
    seconds = n * (
        r * _checked("aht_contact", aht_contact)
        + (1.0 - r) * _checked("aht_no_contact", aht_no_contact)
    )
    hours = np.asarray(seconds / 3600.0, dtype=np.float64)
    return _result(hours, _is_scalar(attempts, contact_rate, aht_contact, aht_no_contact))


@overload
def fte(agents: float, shrinkage: float, *, decimals: int = 0) -> float: ...
@overload
def fte(
    agents: npt.ArrayLike, shrinkage: npt.ArrayLike, *, decimals: int = 0
) -> float | FloatArray: ...
def fte(
    agents: npt.ArrayLike, shrinkage: npt.ArrayLike, *, decimals: int = 0
) -> float | FloatArray:
    """Staff to schedule: agents / (1 - shrinkage), rounded up to `decimals` places.

    Scalars are computed exactly on the decimal values as written (21 at 0.3 gives 30, not
    31); arrays use a ceiling that ignores a relative excess of FTE_TOLERANCE.
    """
    scale = 10**decimals
    if _numbers(agents, shrinkage):
        n1 = _number("agents", agents)
        s1 = _number("shrinkage", shrinkage, high=1.0)
        if s1 >= 1.0:
            raise ValueError(_FULL_SHRINKAGE)
        return float(math.ceil(_decimal(n1) / (1 - _decimal(s1)) * scale) / scale)
    n = _checked("agents", agents)
    s = _checked("shrinkage", shrinkage, high=1.0)
    if np.any(s >= 1.0):
        raise ValueError(_FULL_SHRINKAGE)
    if _is_scalar(agents, shrinkage):
        exact = _decimal(float(n)) / (1 - _decimal(float(s))) * scale
        return float(math.ceil(exact) / scale)
    return np.asarray(_ceil_eps(n / (1.0 - s) * scale) / scale, dtype=np.float64)


_FULL_SHRINKAGE = "shrinkage must be below 1 (100 % shrinkage leaves no one to schedule)"


def _decimal(value: float) -> Fraction:
    """The decimal number a float was written as (its shortest repr), as an exact fraction."""
    return Fraction(repr(value))
