"""The scalar path of blueprintc.queueing gives the arrays' answers exactly.

Python numbers take a scalar path (the same operations one value at a time).  Its results
must be equal, not merely close, to the array path's for the same cell: thousands of
random cells over every regime (no traffic, no agents, far under and over capacity,
underflowing incomplete gamma values, the quadrature's large arguments, infinite and
huge patience) are computed both ways.  The array side is computed in one call per
batch, so this also checks that a cell's value does not depend on the others.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from blueprintc import queueing as q
from blueprintc.solve import queueing as impl

RNG_SEED = 20260513


def same(x: float, y: float) -> bool:
    return x == y or (math.isnan(x) and math.isnan(y))


def log_uniform(rng: np.random.Generator, lo: float, hi: float, size: int) -> np.ndarray:
    return np.exp(rng.uniform(math.log(lo), math.log(hi), size))


def cells(size: int, seed: int) -> dict[str, np.ndarray]:
    """Random (traffic, agents, aht, target, patience) over every regime."""
    rng = np.random.default_rng(seed)
    traffic = log_uniform(rng, 1e-4, 2e4, size)
    traffic[rng.random(size) < 0.04] = 0.0
    traffic[rng.random(size) < 0.02] = 1e-12
    scale = rng.choice([0.0, 0.3, 0.9, 1.0, 1.05, 1.3, 3.0], size)
    agents = np.maximum(np.floor(traffic * scale) + rng.integers(-3, 6, size), 0.0)
    agents[rng.random(size) < 0.03] = 0.0
    aht = log_uniform(rng, 1.0, 5000.0, size)
    target = rng.choice([0.0, 5.0, 20.0, 60.0, 600.0, 1e5, math.inf], size)
    patience = log_uniform(rng, 0.01, 1e6, size)
    patience[rng.random(size) < 0.1] = math.inf
    huge = rng.random(size) < 0.05  # beyond 1e8 handle times: Erlang C when stable
    patience[huge] = aht[huge] * 2e8
    return {"traffic": traffic, "agents": agents, "aht": aht, "target": target, "p": patience}


def scalar_args(c: dict[str, np.ndarray], i: int, *names: str) -> list[float]:
    return [float(c[name][i]) for name in names]


METRICS: list[tuple[Callable[..., Any], tuple[str, ...]]] = [
    (q.erlang_b, ("traffic", "agents")),
    (q.erlang_c, ("traffic", "agents")),
    (q.service_level, ("traffic", "agents", "aht", "target")),
    (q.asa, ("traffic", "agents", "aht")),
    (q.occupancy, ("traffic", "agents")),
]


@pytest.mark.parametrize(("function", "names"), METRICS)
def test_erlang_b_and_c_scalar_equal_arrays(
    function: Callable[..., Any], names: tuple[str, ...]
) -> None:
    c = cells(3000, RNG_SEED)
    arrays = function(*(c[name] for name in names))
    for i in range(arrays.size):
        got = function(*scalar_args(c, i, *names))
        assert type(got) is float
        assert same(got, float(arrays[i])), (function.__name__, scalar_args(c, i, *names))


def test_erlang_a_scalar_equals_arrays() -> None:
    c = cells(3000, RNG_SEED + 1)
    names = ("traffic", "agents", "aht", "p", "target")
    arrays = q.erlang_a(*(c[name] for name in names))
    for i in range(c["traffic"].size):
        got = q.erlang_a(*scalar_args(c, i, *names))
        for field in dataclasses.fields(got):
            value = getattr(got, field.name)
            assert type(value) is float
            want = float(getattr(arrays, field.name)[i])
            assert same(value, want), (field.name, scalar_args(c, i, *names), value, want)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # the 1e-300 row's arrays
def test_erlang_a_scalar_regimes_equal_arrays() -> None:
    # Chosen cells: the incomplete gamma underflows (many agents, little traffic, long
    # patience), the quadrature (large arguments near capacity), Erlang B's sum fallback
    # (traffic far above the agents), huge patience, and an argument that underflows to 0.
    rows = [
        (1500.0, 2000.0, 300.0, 3000.0, 20.0),
        (5.0, 4000.0, 60.0, 6000.0, 20.0),
        (5000.0, 5000.0, 300.0, 3000.0, 20.0),
        (3000.0, 2950.0, 300.0, 600.0, 15.0),
        (15000.0, 10.0, 300.0, 30.0, 20.0),
        (800.0, 3.0, 200.0, 50.0, 0.0),
        (10.0, 12.0, 180.0, 1e12, 20.0),
        (10.0, 9.0, 180.0, 1e12, 20.0),
        (1e-300, 1.0, 1e300, 1.0, 20.0),
        (1e-12, 0.0, 300.0, 30.0, 20.0),
        (2.0, 1.0, 60.0, 30.0, 1e6),
        (7.0, 9.0, 100.0, 0.01, 0.0),
    ]
    columns = [np.array(col) for col in zip(*rows, strict=True)]
    arrays = q.erlang_a(*columns)
    for i, row in enumerate(rows):
        got = q.erlang_a(*row)
        for field in dataclasses.fields(got):
            assert same(getattr(got, field.name), float(getattr(arrays, field.name)[i])), (
                field.name,
                row,
            )
        for function, names in METRICS:
            pick = {"traffic": row[0], "agents": row[1], "aht": row[2], "target": row[4]}
            args = [pick[name] for name in names]
            assert same(function(*args), float(function(*(np.array([v]) for v in args))[0]))


# Groups of staffing problems: the targets given, the model, the definition.
GROUPS: list[dict[str, Any]] = [
    {"level": True},
    {"level": True, "patience": True, "definition": "offered"},
    {"level": True, "patience": True, "definition": "answered"},
    {"level": True, "patience": True, "definition": "virtual"},
    {"level": True, "max_asa": True},
    {"level": True, "patience": True, "max_abandon": True, "max_asa": True},
    {"level": False, "max_asa": True, "max_occupancy": True},
    {"level": True, "max_occupancy": True},
    {"level": False, "patience": True, "max_abandon": True},
]


def staffing_problems(group: dict[str, Any], size: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    traffic = log_uniform(rng, 1e-3, 3000.0, size)
    traffic[rng.random(size) < 0.05] = 0.0
    problem: dict[str, Any] = {
        "traffic": traffic,
        "aht": log_uniform(rng, 10.0, 1200.0, size),
        "target": rng.choice([0.0, 10.0, 20.0, 60.0, 300.0], size),
        "service_level": rng.choice([0.05, 0.5, 0.8, 0.9, 0.999, 1.0], size)
        if group["level"]
        else None,
    }
    keywords: dict[str, Any] = {"definition": group.get("definition", "offered")}
    if group.get("patience"):
        keywords["patience"] = log_uniform(rng, 2.0, 5000.0, size)
    if group.get("max_abandon"):
        keywords["max_abandon"] = rng.choice([0.0, 0.01, 0.05, 0.2], size)
    if group.get("max_asa"):
        keywords["max_asa"] = rng.choice([0.0, 2.0, 15.0, 60.0], size)
    if group.get("max_occupancy"):
        keywords["max_occupancy"] = rng.choice([0.0, 0.7, 0.85, 0.95], size)
    problem["keywords"] = keywords
    return problem


def one(value: Any, i: int) -> Any:
    return value if value is None or isinstance(value, str) else float(value[i])


@pytest.mark.parametrize("index", range(len(GROUPS)))
def test_required_and_chat_agents_scalar_equal_arrays(index: int) -> None:
    group = GROUPS[index]
    p = staffing_problems(group, 250, RNG_SEED + 10 + index)
    positional = (p["traffic"], p["aht"], p["target"], p["service_level"])
    arrays = q.required_agents(*positional, **p["keywords"])
    chat_keywords = {k: v for k, v in p["keywords"].items() if k != "max_occupancy"}
    level = 0.8 if p["service_level"] is None else p["service_level"]
    chats = q.chat_agents(
        p["traffic"], p["aht"], p["target"], level, 2.5, slowdown=0.2, **chat_keywords
    )
    for i in range(p["traffic"].size):
        args = [one(v, i) for v in positional]
        keywords = {k: one(v, i) for k, v in p["keywords"].items()}
        got = q.required_agents(*args, **keywords)
        assert type(got) is int
        assert got == arrays[i], (args, keywords)
        chat_kw = {k: v for k, v in keywords.items() if k != "max_occupancy"}
        chat_args = [*args[:3], one(level, i) if p["service_level"] is not None else 0.8]
        assert q.chat_agents(*chat_args, 2.5, slowdown=0.2, **chat_kw) == chats[i]


def test_fte_and_outbound_scalar_equal_arrays() -> None:
    rng = np.random.default_rng(RNG_SEED + 30)
    agents = rng.integers(0, 500, 500).astype(float)
    shrink = rng.uniform(0.0, 0.6, 500)
    attempts, rate = rng.uniform(0, 1e4, 500), rng.uniform(0, 1, 500)
    hours = q.outbound_hours(attempts, rate, 300.0, 30.0)
    for i in range(500):
        assert q.outbound_hours(float(attempts[i]), float(rate[i]), 300.0, 30.0) == hours[i]
        # fte: scalars are exact on the decimals as written, arrays use a tolerance; both
        # give the same whole FTE for these.
        assert q.fte(float(agents[i]), float(shrink[i])) == q.fte(agents[i : i + 1], shrink[i])[0]


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (q.erlang_b, (-1.0, 3)),
        (q.erlang_c, (10.0, 11.5)),
        (q.erlang_c, (math.nan, 11)),
        (q.service_level, (10.0, 11, 0.0, 20.0)),
        (q.service_level, (10.0, 11, 180.0, -1.0)),
        (q.asa, (10.0, -2, 180.0)),
        (q.erlang_a, (10.0, 11, 180.0, 0.0, 20.0)),
        (q.erlang_a, (10.0, 11, 180.0, 60.0, math.nan)),
        (q.required_agents, (10.0, 180.0, 20.0, 1.2)),
        (q.required_agents, (10.0, 180.0, math.inf, 0.8)),
        (q.chat_agents, (10.0, 180.0, 20.0, 0.8, 0.5)),
        (q.chat_agents, (-10.0, 180.0, 20.0, 0.8, 2.0)),
        (q.fte, (10.0, 1.0)),
        (q.fte, (-1.0, 0.3)),
        (q.outbound_hours, (10.0, 1.5, 100.0, 20.0)),
    ],
)
def test_scalar_errors_say_what_the_arrays_say(
    call: Callable[..., Any], args: tuple[Any, ...]
) -> None:
    with pytest.raises(ValueError) as scalar:
        call(*args)
    with pytest.raises(ValueError) as arrays:
        call(*(np.array([v]) for v in args))
    assert str(scalar.value) == str(arrays.value)


def test_python_numbers_take_the_scalar_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_arrays(*values: object) -> None:
        raise AssertionError("array path taken")

    for name in ("_checked", "_broadcast", "_solve"):
        monkeypatch.setattr(impl, name, no_arrays)
    assert q.erlang_c(10, 11) == pytest.approx(0.6821, abs=5e-5)
    assert q.service_level(10, 13, 180, 20) > 0.79
    assert q.required_agents(10, 180, 20, 0.8) == 14
    assert q.required_agents(10, 180, 20, 0.8, patience=60) == 12
    assert q.chat_agents(10, 180, 20, 0.8, 2) == 7
    assert q.erlang_a(10, 11, 180, 60, 20).asa == pytest.approx(5.2, abs=0.05)
    assert q.fte(21, 0.3) == 30.0
    assert q.outbound_hours(1000, 0.3, 300, 30) == pytest.approx(111000 / 3600)
    assert isinstance(q.erlang_b(np.float64(10.0), 11), float)  # a numpy float is a float


def test_rough_erlang_c_is_within_its_stated_bound() -> None:
    # The scalar staffing search decides a comparison with this estimate only when the
    # two sides are further apart than _DECIDED (1e-9); it must be far closer than that.
    rng = np.random.default_rng(RNG_SEED + 40)
    size = 20_000
    traffic = log_uniform(rng, 1e-3, 1e7, size)
    factor = rng.choice([1.0, 1.001, 1.01, 1.1, 1.5, 2.5, 10.0], size)
    agents = np.floor(traffic * factor + rng.integers(0, 60, size) * rng.random(size)) + 1
    aht = log_uniform(rng, 1.0, 3000.0, size)
    target = rng.choice([0.0, 5.0, 20.0, 300.0, 1e4], size)
    checked = 0
    for a, n, h, t in zip(traffic, agents, aht, target, strict=True):
        rough = impl._erlang_c_rough(float(a), float(n), float(h), float(t))
        if rough is None:
            continue
        checked += 1
        _, level, mean = impl._erlang_c1(float(a), float(n), float(h), float(t))
        assert abs(rough[0] - level) <= 3e-11
        assert abs(rough[1] - mean) <= 3e-11 * mean
    assert checked > size // 2
    assert impl._DECIDED >= 30 * 3e-11


SPECIAL_ARGUMENTS = (0.0, 5e-324, 1e-300, 1e-8, 0.5, 1.0, 1.5, 14.9, 15.0, 99.5, 1e3, 4321.25,
                     1e5, 1e7, 1e300, math.inf, math.nan)  # fmt: skip


@pytest.mark.parametrize("name", ["gammainc", "gammaincc", "xlogy"])
def test_scipy_s_functions_for_one_number_are_its_ufuncs_bit_for_bit(name: str) -> None:
    """The scalar path calls scipy.special's kernels through ``cython_special`` (a tenth
    of a ufunc call's cost): the same bits as the ufuncs the arrays call, on every pair of
    edge values and 20,000 random ones over the ranges the formulas use."""
    ufunc, one = getattr(impl._special(), name), getattr(impl._special1(), name)
    rng = np.random.default_rng(RNG_SEED + 900)
    first = np.concatenate([np.array(SPECIAL_ARGUMENTS), log_uniform(rng, 1e-6, 1e7, 20_000)])
    second = np.concatenate(
        [np.array(SPECIAL_ARGUMENTS[::-1]), first[17:] * rng.uniform(0.5, 1.5, 20_000)]
    )
    pairs = [(x, y) for x in SPECIAL_ARGUMENTS for y in SPECIAL_ARGUMENTS]
    pairs += list(zip(first.tolist(), second.tolist(), strict=True))
    xs, ys = (np.array(v) for v in zip(*pairs, strict=True))
    with np.errstate(all="ignore"):
        arrays = ufunc(xs, ys)
    for (x, y), want in zip(pairs, arrays.tolist(), strict=True):
        got = one(x, y)
        assert type(got) is float and (got == want or (math.isnan(got) and math.isnan(want))), (
            name,
            x,
            y,
            got,
            want,
        )
        assert math.copysign(1.0, got) == math.copysign(1.0, want) or math.isnan(got)


def test_scipy_s_gammaln_for_one_number_is_its_ufunc_bit_for_bit() -> None:
    rng = np.random.default_rng(RNG_SEED + 901)
    values = np.concatenate([np.array(SPECIAL_ARGUMENTS), log_uniform(rng, 1e-6, 1e7, 20_000)])
    arrays = impl._special().gammaln(values)
    one = impl._special1().gammaln
    for x, want in zip(values.tolist(), arrays.tolist(), strict=True):
        got = one(x)
        assert got == want or (math.isnan(got) and math.isnan(want)), (x, got, want)
