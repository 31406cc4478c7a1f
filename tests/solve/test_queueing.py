"""Queueing library against published values and independent exact computations.

The reference values here never come from the code under test: they are published
examples, exact rational arithmetic on the birth-death chain (fractions.Fraction), the
classic Erlang B recurrence, or a phase-type computation of the tagged caller (matrix
exponential and linear solves, scipy.linalg) on the truncated M/M/N+M chain.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.linalg import expm, solve

from blueprintc import queueing as q

# ----------------------------------------------------------------------- exact references


def exact_erlang_b(a: Fraction, n: int) -> Fraction:
    """Erlang B from the stationary loss-system distribution, exactly."""
    weights = [Fraction(1)]
    for k in range(1, n + 1):
        weights.append(weights[-1] * a / k)
    return weights[-1] / sum(weights)


def exact_erlang_c(a: Fraction, n: int) -> Fraction:
    """P(wait) of M/M/n: mass of states >= n in the birth-death chain (geometric tail)."""
    weights = [Fraction(1)]
    for k in range(1, n + 1):
        weights.append(weights[-1] * a / k)
    tail = weights[-1] / (1 - a / n)  # sum over states n, n+1, ... of w_n (a/n)^j
    return tail / (sum(weights[:-1]) + tail)


def recurrence_erlang_b(a: float, n: int) -> float:
    """The textbook stable recurrence B(k) = a B(k-1) / (k + a B(k-1)) in floats."""
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def exact_mmnm_chain(
    a: Fraction, n: int, aht: Fraction, patience: Fraction, depth: int
) -> tuple[Fraction, Fraction]:
    """(P(wait), P(abandon)) of M/M/n+M, chain truncated `depth` places into the queue."""
    lam, mu, theta = a / aht, 1 / aht, 1 / patience
    weights = [Fraction(1)]
    for j in range(1, n + depth + 1):
        weights.append(weights[-1] * lam / (min(j, n) * mu + max(j - n, 0) * theta))
    total = sum(weights)
    queue = weights[n:]
    p_wait = sum(queue) / total
    mean_queue = sum(k * w for k, w in enumerate(queue)) / total
    return p_wait, theta * mean_queue / lam  # abandonment rate over arrival rate


def phase_type_erlang_a(
    a: float, n: int, aht: float, patience: float, target: float, depth: int = 200
) -> dict[str, float]:
    """Erlang A metrics by following a tagged caller through the truncated chain.

    State j = callers ahead in queue; the queue ahead shrinks at n/aht + j/patience;
    from j = 0 the caller is answered at rate n/aht; the caller hangs up at 1/patience.
    """
    lam, mu, theta = a / aht, 1 / aht, 1 / patience
    logw = [0.0]
    for j in range(1, n + depth + 1):
        logw.append(logw[-1] + math.log(lam / (min(j, n) * mu + max(j - n, 0) * theta)))
    w = np.exp(np.array(logw) - max(logw))
    pi = w / w.sum()
    ahead = pi[n:]  # an arrival finding n + j in system has j callers ahead
    p_wait = float(ahead.sum())

    def generator(own_abandon: bool) -> np.ndarray:
        g = np.zeros((depth + 1, depth + 1))
        for j in range(depth + 1):
            g[j, j] = -(n * mu + j * theta + (theta if own_abandon else 0.0))
            if j:
                g[j, j - 1] = n * mu + j * theta
        return g

    answer = np.zeros(depth + 1)
    answer[0] = n * mu

    def answered_by(t: float, own_abandon: bool) -> float:
        full = np.zeros((depth + 2, depth + 2))
        full[: depth + 1, : depth + 1] = generator(own_abandon)
        full[: depth + 1, depth + 1] = answer
        return float(ahead @ expm(full * t)[: depth + 1, depth + 1])

    g = generator(True)
    p_answer = solve(-g, answer)  # P(answered | j ahead)
    wait_answer = solve(-g, p_answer)  # E[wait; answered | j ahead]
    answered = 1 - p_wait + float(ahead @ p_answer)
    offered = 1 - p_wait + answered_by(target, True)
    return {
        "p_wait": p_wait,
        "abandon": 1 - answered,
        "offered": offered,
        "answered": offered / answered,
        "virtual": 1 - p_wait + answered_by(target, False),
        "asa": float(ahead @ wait_answer) / answered,
    }


# ---------------------------------------------------------------------- published values


def test_call_centre_helper_worked_example() -> None:
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example":
    # 100 calls per 30 min, AHT 180 s -> 10 Erlangs; 80 % in 20 s; 30 % shrinkage.
    # Published: P(wait) with 11 agents is 68.21 %; 14 agents are needed; 20 with shrinkage.
    traffic = 100 / 1800 * 180
    assert traffic == pytest.approx(10.0)
    assert q.erlang_c(traffic, 11) == pytest.approx(0.6821, abs=5e-5)
    assert q.required_agents(traffic, 180, 20, 0.8) == 14
    assert q.fte(14, 0.3) == 20.0


@pytest.mark.parametrize(
    ("traffic", "agents"), [(4.461, 10), (12.031, 20), (37.901, 50), (84.064, 100)]
)
def test_erlang_b_table_one_percent(traffic: float, agents: int) -> None:
    # Standard Erlang B traffic tables (as printed in telephony traffic handbooks and
    # on-line Erlang B tables): traffic carried at 1 % blocking, to 3 decimals.
    assert q.erlang_b(traffic, agents) == pytest.approx(0.01, rel=2e-3)


def test_mitan_style_example_against_exact_chain() -> None:
    # Inputs of the classic "The Erlang-C formula" walk-through (360 calls per half hour,
    # 4-minute calls, 55 agents, 15 s target); reference values computed exactly here.
    traffic = 360 / 1800 * 240
    pw = exact_erlang_c(Fraction(48), 55)
    assert q.erlang_c(traffic, 55) == pytest.approx(float(pw), rel=1e-12)
    sl = 1 - float(pw) * math.exp(-(55 - 48) * 15 / 240)
    assert q.service_level(traffic, 55, 240, 15) == pytest.approx(sl, rel=1e-12)
    assert q.asa(traffic, 55, 240) == pytest.approx(float(pw) * 240 / 7, rel=1e-12)
    assert q.occupancy(traffic, 55) == pytest.approx(48 / 55)


# ------------------------------------------------------------ exact Erlang B and Erlang C


@pytest.mark.parametrize(
    "traffic",
    [Fraction(1, 10), Fraction(1), Fraction(7, 3), Fraction(10), Fraction(53, 5), Fraction(25)],
)
@pytest.mark.parametrize("agents", [0, 1, 2, 5, 11, 12, 30])
def test_erlang_b_and_c_match_exact_chain(traffic: Fraction, agents: int) -> None:
    assert q.erlang_b(float(traffic), agents) == pytest.approx(
        float(exact_erlang_b(traffic, agents)), rel=1e-12, abs=1e-300
    )
    expected_c = 1.0 if agents <= traffic else float(exact_erlang_c(traffic, agents))
    assert q.erlang_c(float(traffic), agents) == pytest.approx(expected_c, rel=1e-12)


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [
        (15000.0, 15001),
        (15000.0, 15400),
        (15000.0, 14000),
        (15000.0, 7000),
        (15000.0, 10),
        (2000.0, 1500),
        (5000.0, 5100),
        (19000.0, 20000),
        (0.001, 2),
        (300.5, 350),
    ],
)
def test_erlang_b_large_against_recurrence(traffic: float, agents: int) -> None:
    assert q.erlang_b(traffic, agents) == pytest.approx(
        recurrence_erlang_b(traffic, agents), rel=1e-11
    )


def test_erlang_c_formulas_for_service_level_and_asa() -> None:
    pw = float(exact_erlang_c(Fraction(10), 13))
    assert q.service_level(10, 13, 180, 20) == pytest.approx(1 - pw * math.exp(-3 * 20 / 180))
    assert q.service_level(10, 13, 180, 0) == pytest.approx(1 - pw)
    assert q.asa(10, 13, 180) == pytest.approx(pw * 180 / 3)


# -------------------------------------------------------------------------------- Erlang A


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience"),
    [
        (Fraction(10), 11, Fraction(180), Fraction(60)),
        (Fraction(10), 8, Fraction(180), Fraction(120)),
        (Fraction(5, 2), 3, Fraction(300), Fraction(30)),
        (Fraction(7), 9, Fraction(100), Fraction(400)),
    ],
)
def test_erlang_a_wait_and_abandon_match_exact_chain(
    traffic: Fraction, agents: int, aht: Fraction, patience: Fraction
) -> None:
    p_wait, abandon = exact_mmnm_chain(traffic, agents, aht, patience, depth=250)
    got = q.erlang_a(float(traffic), agents, float(aht), float(patience), 20)
    assert got.p_wait == pytest.approx(float(p_wait), rel=1e-12)
    assert got.abandon == pytest.approx(float(abandon), rel=1e-11)


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience", "target"),
    [
        (10, 11, 180, 60, 20),
        (10, 8, 180, 120, 20),
        (5, 3, 300, 30, 0),
        (20, 25, 200, 400, 30),
        (50, 45, 300, 90, 60),
        (2, 1, 60, 30, 15),
        (3.5, 5, 100, 1000, 10),
    ],
)
def test_erlang_a_service_levels_and_asa_match_phase_type(
    traffic: float, agents: int, aht: float, patience: float, target: float
) -> None:
    ref = phase_type_erlang_a(traffic, agents, aht, patience, target)
    got = q.erlang_a(traffic, agents, aht, patience, target)
    assert got.service_level == got.service_level_offered
    assert got.service_level_offered == pytest.approx(ref["offered"], abs=1e-10)
    assert got.service_level_answered == pytest.approx(ref["answered"], abs=1e-10)
    assert got.service_level_virtual == pytest.approx(ref["virtual"], abs=1e-10)
    assert got.asa == pytest.approx(ref["asa"], rel=1e-9)
    assert got.mean_wait == pytest.approx(ref["abandon"] * patience, rel=1e-9)


def test_erlang_a_where_incomplete_gamma_underflows() -> None:
    # 2000 agents, 1500 Erlangs, patience 10 AHTs: P(x, y) ~ 1e-330 underflows in floats.
    ref = phase_type_erlang_a(1500, 2000, 300, 3000, 20, depth=200)
    got = q.erlang_a(1500, 2000, 300, 3000, 20)
    assert got.p_wait == pytest.approx(ref["p_wait"], rel=1e-9)
    assert got.abandon == pytest.approx(ref["abandon"], rel=1e-8)
    assert got.asa == pytest.approx(ref["asa"], rel=1e-8)


def test_erlang_a_tends_to_erlang_c_with_patience() -> None:
    c = q.erlang_c(10, 12)
    sl = q.service_level(10, 12, 180, 20)
    for patience in (1e7, 1e9, 1e12, math.inf):
        got = q.erlang_a(10, 12, 180, patience, 20)
        assert got.p_wait == pytest.approx(c, rel=1e-4)
        assert got.service_level == pytest.approx(sl, rel=1e-4)
        assert got.abandon < 1e-4
    exact = q.erlang_a(10, 12, 180, math.inf, 20)
    assert (exact.p_wait, exact.service_level, exact.abandon) == (c, sl, 0.0)
    assert exact.asa == q.asa(10, 12, 180)


def test_erlang_a_edge_cases() -> None:
    nobody = q.erlang_a(10, 0, 180, 60, 20)
    assert (nobody.p_wait, nobody.abandon, nobody.service_level) == (1.0, 1.0, 0.0)
    assert nobody.asa == math.inf
    assert nobody.mean_wait == 60.0
    quiet = q.erlang_a(0, 0, 180, 60, 20)
    assert (quiet.p_wait, quiet.abandon, quiet.service_level, quiet.asa) == (0.0, 0.0, 1.0, 0.0)
    overloaded = q.erlang_a(100, 50, 180, 60, 20)  # abandonment keeps it finite
    assert 0 < overloaded.service_level < 1
    assert overloaded.abandon == pytest.approx(0.5, abs=0.05)


def test_erlang_a_arrays_broadcast() -> None:
    got = q.erlang_a(np.array([5.0, 10.0]), np.array([[6], [12]]), 180, 60, 20)
    assert isinstance(got.p_wait, np.ndarray)
    assert got.p_wait.shape == (2, 2)
    with pytest.raises(AttributeError):
        got.p_wait = 0.0  # type: ignore[misc]  # frozen result


# ------------------------------------------------------------------------------ edge cases


def test_zero_agents_and_zero_traffic() -> None:
    assert q.erlang_b(5, 0) == 1.0
    assert q.erlang_c(5, 0) == 1.0
    assert q.service_level(5, 0, 180, 20) == 0.0
    assert q.asa(5, 0, 180) == math.inf
    assert q.erlang_b(0, 3) == 0.0
    assert q.erlang_c(0, 0) == 0.0
    assert q.service_level(0, 0, 180, 20) == 1.0
    assert q.asa(0, 0, 180) == 0.0
    assert q.occupancy(0, 0) == 0.0
    assert q.occupancy(5, 0) == 1.0


@pytest.mark.parametrize("agents", [1, 9, 10])
def test_agents_not_above_traffic_never_answer_in_time(agents: int) -> None:
    assert q.erlang_c(10, agents) == 1.0
    assert q.service_level(10, agents, 180, 20) == 0.0
    assert q.asa(10, agents, 180) == math.inf
    assert q.occupancy(10, agents) == 1.0


def test_integer_traffic_and_zero_target() -> None:
    pw = float(exact_erlang_c(Fraction(10), 11))
    assert q.service_level(10, 11, 180, 0) == pytest.approx(1 - pw)
    assert q.required_agents(10, 180, 0, 0.5) == min(
        n for n in range(11, 40) if float(exact_erlang_c(Fraction(10), n)) <= 0.5
    )


def test_very_large_centre_is_finite_and_in_range() -> None:
    agents = np.arange(14000, 20001, 50)
    for values in (
        q.erlang_b(15000, agents),
        q.erlang_c(15000, agents),
        q.service_level(15000, agents, 300, 20),
    ):
        assert np.all(np.isfinite(values))
        assert np.all((values >= 0) & (values <= 1))
    assert q.erlang_c(15000, 20000) < 1e-100
    assert q.service_level(15000, 20000, 300, 20) == 1.0
    assert q.required_agents(15000, 300, 20, 0.8) > 15000


def test_scalar_in_scalar_out_array_in_array_out() -> None:
    assert type(q.erlang_c(10, 11)) is float
    assert type(q.required_agents(10, 180, 20, 0.8)) is int
    got = q.erlang_c([10, 20], 25)
    assert isinstance(got, np.ndarray)
    assert got.shape == (2,)
    assert q.required_agents(np.array([[10.0]]), 180, 20, 0.8).shape == (1, 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: q.erlang_c(10, 11.5), "whole numbers"),
        (lambda: q.erlang_c(-1, 11), "traffic"),
        (lambda: q.erlang_b(float("nan"), 3), "traffic"),
        (lambda: q.service_level(10, 11, 0, 20), "aht"),
        (lambda: q.required_agents(10, 180, 20, 1.2), "service_level"),
        (lambda: q.required_agents(10, 180, 20, 0.8, definition="x"), "definition"),  # type: ignore
        (lambda: q.fte(10, 1.0), "shrinkage"),
    ],
)
def test_bad_input_is_rejected(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


# ------------------------------------------------------------------------- required agents


def brute_force_erlang_c(traffic: float, aht: float, target: float, sl: float) -> int:
    """Linear scan with the exact chain: the smallest stable N meeting the service level."""
    a = Fraction(traffic).limit_denominator(10**6)
    n = math.floor(traffic) + 1
    while 1 - float(exact_erlang_c(a, n)) * math.exp(-(n - traffic) * target / aht) < sl:
        n += 1
    return n


@pytest.mark.parametrize("traffic", [0.2, 1.0, 2.5, 9.5, 10.0, 10.49, 10.5, 10.6, 10.99, 37.0])
@pytest.mark.parametrize(("target", "sl"), [(20, 0.8), (0, 0.999), (60, 0.95), (10, 0.5)])
def test_required_agents_is_exact_minimum(traffic: float, target: float, sl: float) -> None:
    # Includes traffic fractions >= 0.5, where calculators starting at round(A) + 1 overshoot.
    assert q.required_agents(traffic, 180, target, sl) == brute_force_erlang_c(
        traffic, 180, target, sl
    )


def test_required_agents_fraction_above_half_not_one_too_many() -> None:
    # 10.6 Erlangs: a search starting at round(10.6 + 1) = 12 never looks at 11 agents,
    # which already answer 10 % of calls at once (P(wait) < 0.9).
    assert q.erlang_c(10.6, 11) < 0.9
    assert q.required_agents(10.6, 180, 0, 0.1) == 11
    assert brute_force_erlang_c(10.6, 180, 0, 0.1) == 11


def test_required_agents_zero_traffic_and_infeasible() -> None:
    assert q.required_agents(0, 180, 20, 0.8) == 0
    assert q.required_agents(0, 180, 0, 1.0) == 0  # nothing arrives: every target holds
    assert q.required_agents(10, 180, 0, 1.0) == q.INFEASIBLE
    assert q.required_agents(10, 180, 20, 1.0) == q.INFEASIBLE
    assert q.required_agents(10, 180, 20, 0.8, max_asa=0) == q.INFEASIBLE
    assert q.required_agents(10, 180, 20, 0.8, patience=60, max_abandon=0) == q.INFEASIBLE
    got = q.required_agents([0, 10, 10], 180, 20, [1.0, 1.0, 0.8])
    assert got.tolist() == [0, -1, 14]


def test_required_agents_high_service_level() -> None:
    n = q.required_agents(100, 300, 0, 0.999)
    assert q.erlang_c(100, n) <= 0.001 < q.erlang_c(100, n - 1)


def test_required_agents_other_targets() -> None:
    n = q.required_agents(10, 180, 20, None, max_asa=5)
    assert q.asa(10, n, 180) <= 5 < q.asa(10, n - 1, 180)
    n = q.required_agents(17, 180, 20, 0.5, max_occupancy=0.85)
    assert n == 20  # 17 / 20 = 0.85 exactly, and the service level is met long before
    n = q.required_agents(10, 180, 20, 0.8, max_occupancy=0.7)
    assert n == 15


@pytest.mark.parametrize("definition", ["offered", "answered", "virtual"])
@pytest.mark.parametrize("traffic", [2.0, 10.0, 10.6, 55.0])
def test_required_agents_erlang_a_minimal(definition: str, traffic: float) -> None:
    n = q.required_agents(traffic, 180, 20, 0.8, patience=60, definition=definition)  # type: ignore[call-overload]
    assert phase_type_erlang_a(traffic, n, 180, 60, 20, depth=120)[definition] >= 0.8
    if n > 1:
        assert phase_type_erlang_a(traffic, n - 1, 180, 60, 20, depth=120)[definition] < 0.8


def test_required_agents_with_abandon_and_asa_limits() -> None:
    n = q.required_agents(10, 180, 20, 0.5, patience=60, max_abandon=0.02, max_asa=5)
    at, below = q.erlang_a(10, n, 180, 60, 20), q.erlang_a(10, n - 1, 180, 60, 20)
    assert at.abandon <= 0.02 and at.asa <= 5
    assert below.abandon > 0.02 or below.asa > 5


# ------------------------------------------------------------------------ other channels


def test_chat_agents_concurrency_model() -> None:
    # c = 1 is a voice queue; c = 2 doubles the slots per agent.
    assert q.chat_agents(10, 180, 20, 0.8, 1) == 14
    assert q.chat_agents(10, 180, 20, 0.8, 2) == 7  # 14 slots / 2
    assert q.chat_agents(10, 180, 20, 0.8, 3) == 5  # ceil(14 / 3)
    # 30 % slowdown per extra session: sessions take 1.3 x longer -> 13 Erlangs, AHT 234 s
    stretched = q.required_agents(13, 234, 20, 0.8)
    assert q.chat_agents(10, 180, 20, 0.8, 2, slowdown=0.3) == math.ceil(stretched / 2)
    assert q.chat_agents(0, 180, 20, 0.8, 2) == 0
    assert q.chat_agents(10, 180, 0, 1.0, 2) == q.INFEASIBLE


def fifo_lateness(work: np.ndarray, capacity: np.ndarray, k: int) -> np.ndarray:
    """Fluid FIFO: share of each interval's work not finished by the end of interval i+k-1."""
    arrived = np.cumsum(work)
    served = np.zeros_like(work)
    done = 0.0
    for j in range(work.size):
        done = min(arrived[j], done + capacity[j])  # cannot serve work that has not arrived
        served[j] = done
    before = np.concatenate([[0.0], arrived[:-1]])
    late = np.zeros_like(work)
    for i in range(work.size - k + 1):
        own = min(max(served[i + k - 1] - before[i], 0.0), work[i])
        late[i] = 0.0 if work[i] == 0 else 1 - own / work[i]
    return late


def test_deferred_agents_clear_backlog_within_response_time() -> None:
    rng = np.random.default_rng(7)
    arrivals = rng.poisson(30, size=48).astype(float)
    agents = q.deferred_agents(arrivals, 300, 1800, 4 * 3600)
    late = fifo_lateness(arrivals * 300, agents * 1800, k=8)
    assert np.all(late <= 1e-9)
    assert agents.sum() * 1800 == pytest.approx((arrivals[:41] * 300).sum(), rel=0.2)
    # With 80 % within the response time, at most 20 % of an interval's items are late.
    relaxed = q.deferred_agents(arrivals, 300, 1800, 4 * 3600, share_within=0.8)
    assert np.all(fifo_lateness(arrivals * 300, relaxed * 1800, k=8) <= 0.2 + 1e-9)
    assert relaxed[:8].sum() < agents[:8].sum()


def test_deferred_agents_shapes_and_cyclic() -> None:
    day = np.array([[10.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 8.0]])
    flat = q.deferred_agents(day, 360, 3600, 2 * 3600)
    assert flat.shape == (2, 4)
    assert flat[0].tolist() == pytest.approx([0.5, 0.5, 0.0, 0.0])
    assert flat[1].tolist() == pytest.approx([0.0, 0.0, 0.0, 0.4])  # the rest is tomorrow's
    wrapped = q.deferred_agents(day, 360, 3600, 2 * 3600, cyclic=True)
    assert wrapped[1].tolist() == pytest.approx([0.4, 0.0, 0.0, 0.4])
    # A response time shorter than the interval still clears each interval's work in it.
    assert q.deferred_agents([3600.0], 1, 3600, 600).tolist() == [1.0]


def test_outbound_hours() -> None:
    # 1,000 dials, 30 % reach someone (300 s), the rest cost 30 s: 1000 * (90 + 21) s.
    assert q.outbound_hours(1000, 0.3, 300, 30) == pytest.approx(111000 / 3600)
    assert q.outbound_hours([0, 10], 0.5, 100, 20).tolist() == pytest.approx([0.0, 600 / 3600])
    with pytest.raises(ValueError, match="contact_rate"):
        q.outbound_hours(10, 1.5, 100, 20)


def test_fte_rounds_up_without_float_error() -> None:
    assert 21 / (1 - 0.3) > 30  # the float trap this guards against
    assert q.fte(21, 0.3) == 30.0
    assert q.fte(14, 0.3) == 20.0
    assert q.fte(7, 0.3) == 10.0
    assert q.fte(22, 0.3) == 32.0  # 31.43 rounds up
    assert q.fte(10, 0.25, decimals=1) == 13.4
    assert q.fte(0, 0.3) == 0.0
    assert q.fte(np.array([21.0, 14.0, 22.0]), 0.3).tolist() == [30.0, 20.0, 32.0]
    assert q.fte([21, 7], [0.3, 0.3], decimals=2).tolist() == [30.0, 10.0]


def test_public_module_reexports() -> None:
    from blueprintc.solve import queueing as impl

    for name in q.__all__:
        assert getattr(q, name) is getattr(impl, name)
    assert q.__doc__ and "Erlang" in q.__doc__
