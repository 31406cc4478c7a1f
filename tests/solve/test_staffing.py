"""Staffing per interval and per month against hand calculations.

References never come from the code under test: Erlang C is evaluated here exactly on the
birth-death chain (fractions.Fraction) and the smallest head count found by scanning;
deferred plans are checked against hand arithmetic and an independent item-by-item FIFO
loop; FTE, support staff and seats against exact arithmetic done by hand.
"""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest

from blueprintc.solve import queueing
from blueprintc.solve.staffing import (
    QueueLoad,
    QueueSpec,
    interval_agents,
    monthly_staff,
    seats,
    support_staff,
)
from tests.solve.fifo_reference import finished_at

HALF_HOUR = 1800.0
PER_DAY = 48  # half-hour intervals
MON, TUE, FRI, SAT = 0, 1, 4, 5
NINE, FIVE = 18, 34  # 09:00 and 17:00 as half-hour interval indices


# ------------------------------------------------------------------------- references


def exact_erlang_c(a: Fraction, n: int) -> Fraction:
    """P(wait) of M/M/n: mass of the states >= n of the birth-death chain (geometric tail)."""
    weights = [Fraction(1)]
    for k in range(1, n + 1):
        weights.append(weights[-1] * a / k)
    tail = weights[-1] / (1 - a / n)
    return tail / (sum(weights[:-1]) + tail)


def hand_level(a: Fraction, n: int, aht: float, target: float) -> float:
    """Erlang C service level 1 - C exp(-(n - a) target / aht)."""
    return 1 - float(exact_erlang_c(a, n)) * math.exp(-float(n - a) * target / aht)


def hand_required(a: Fraction, aht: float, target: float, level: float) -> int:
    """Smallest stable n reaching the service level, by scanning upwards."""
    n = math.floor(a) + 1
    while hand_level(a, n, aht, target) < level:
        n += 1
    return n


def office_hours(days: range = range(5), start: int = NINE, end: int = FIVE) -> np.ndarray:
    """Open on the given days from `start` to `end` (half-hour indices)."""
    is_open = np.zeros((7, PER_DAY), dtype=bool)
    is_open[list(days), start:end] = True
    return is_open


def one_month(cells: dict[tuple[int, int], tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """contacts and handle_time of one month, from {(day, interval): (contacts, aht)}."""
    contacts = np.zeros((1, 7, PER_DAY))
    handle = np.zeros((1, 7, PER_DAY))
    for (day, slot), (n, aht) in cells.items():
        contacts[0, day, slot], handle[0, day, slot] = n, aht
    return contacts, handle


def voice(**overrides: Any) -> QueueSpec:
    fields: dict[str, Any] = {
        "name": "voice",
        "mode": "realtime",
        "interval": HALF_HOUR,
        "target_level": 0.8,
        "target_time": 20.0,
    }
    return QueueSpec(**(fields | overrides))


def email(target_time: float = 86400.0, **overrides: Any) -> QueueSpec:
    fields: dict[str, Any] = {
        "name": "email",
        "mode": "deferred",
        "interval": HALF_HOUR,
        "target_level": None,
        "target_time": target_time,
    }
    return QueueSpec(**(fields | overrides))


def fifo_finish(work: list[float], capacity: list[float], weeks: int = 4) -> list[int]:
    """Interval in which the last item of each interval's work (second week) is finished,
    counted from the start of the second week (-1: never; -2: no work)."""
    size = len(work)
    finished = finished_at(work, capacity, weeks)
    return [finished.get(size + i, -1) - size if work[i] > 0 else -2 for i in range(size)]


# ------------------------------------------------------------------------------ realtime


def test_call_centre_helper_interval_by_hand() -> None:
    # 100 calls in 30 minutes at 180 s: A = 100 x 180 / 1800 = 10 Erlangs; 80 % in 20 s.
    contacts, handle = one_month({(MON, NINE): (100, 180.0)})
    result = interval_agents(voice(), QueueLoad(contacts, handle, office_hours()))
    a = Fraction(10)
    assert hand_required(a, 180, 20, 0.8) == 14  # the published answer
    assert result.agents[0, MON, NINE] == 14
    assert result.agents.sum() == 14  # every other interval: no work, no minimum
    assert result.traffic[0, MON, NINE] == pytest.approx(10.0)
    assert result.service_level[0, MON, NINE] == pytest.approx(hand_level(a, 14, 180, 20))
    assert result.asa[0, MON, NINE] == pytest.approx(float(exact_erlang_c(a, 14)) * 180 / 4)
    assert result.occupancy[0, MON, NINE] == pytest.approx(10 / 14)
    assert result.abandon[0, MON, NINE] == 0.0
    assert not result.infeasible.any()


def test_own_case_fifteen_minutes_by_hand() -> None:
    # 60 calls in 15 minutes at 300 s: A = 60 x 300 / 900 = 20 Erlangs; 90 % in 15 s.
    contacts = np.zeros((1, 7, 96))
    handle = np.zeros((1, 7, 96))
    contacts[0, TUE, 40], handle[0, TUE, 40] = 60, 300.0
    is_open = np.zeros((7, 96), dtype=bool)
    is_open[TUE, 32:72] = True
    spec = voice(interval=900.0, target_level=0.9, target_time=15.0)
    result = interval_agents(spec, QueueLoad(contacts, handle, is_open))
    expected = hand_required(Fraction(20), 300, 15, 0.9)
    assert (
        hand_level(Fraction(20), expected - 1, 300, 15)
        < 0.9
        <= hand_level(Fraction(20), expected, 300, 15)
    )
    assert result.agents[0, TUE, 40] == expected


def test_closed_intervals_and_minimum_agents() -> None:
    # Contacts forecast while closed are not served; open intervals without work get the
    # minimum; the busy interval gets its Erlang C need (14, above the minimum of 2).
    contacts, handle = one_month({(MON, NINE): (100, 180.0), (SAT, NINE): (100, 180.0)})
    result = interval_agents(voice(minimum_agents=2), QueueLoad(contacts, handle, office_hours()))
    open_cells = office_hours()
    assert np.all(result.agents[0][~open_cells] == 0)
    assert result.agents[0, SAT, NINE] == 0
    assert result.contacts[0, SAT, NINE] == 0.0
    assert result.agents[0, MON, NINE] == 14
    others = open_cells.copy()
    others[MON, NINE] = False
    assert np.all(result.agents[0][others] == 2)
    assert result.agents.sum() == 14 + 2 * (5 * 16 - 1)


def test_zero_contacts_while_open_get_minimum() -> None:
    contacts, handle = one_month({})
    result = interval_agents(voice(minimum_agents=3), QueueLoad(contacts, handle, office_hours()))
    assert np.array_equal(result.agents[0], np.where(office_hours(), 3, 0))
    assert np.all(result.service_level == 1.0)
    assert np.all(result.occupancy == 0.0)


def test_infeasible_cells_are_flagged_in_one_vectorised_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[int, ...]] = []
    original = queueing.required_agents

    def counting(traffic: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(np.shape(traffic))
        return original(traffic, *args, **kwargs)

    monkeypatch.setattr(queueing, "required_agents", counting)
    contacts, handle = one_month({(MON, NINE): (100, 180.0), (TUE, 20): (5, 60.0)})
    contacts = np.repeat(contacts, 3, axis=0)  # three months
    handle = np.repeat(handle, 3, axis=0)
    # 100 % of calls within 20 s needs infinitely many agents.
    spec = voice(target_level=1.0, minimum_agents=1)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours()))
    # One call for all months and intervals, each distinct interval once: the two busy
    # ones, an open interval without work and a closed one.
    assert calls == [(4,)]
    expected = np.zeros((3, 7, PER_DAY), dtype=bool)
    expected[:, MON, NINE] = expected[:, TUE, 20] = True
    assert np.array_equal(result.infeasible, expected)
    assert np.all(result.agents[expected] == 0)
    assert np.all(result.agents[:, office_hours() & ~expected[0]] == 1)  # others: minimum
    assert np.all(result.service_level[expected] == 0.0)
    month = monthly_staff(spec, result, 40.0)
    assert np.all(month.asa == math.inf)  # an unstaffed interval never answers


def test_infeasible_asa_target() -> None:
    contacts, handle = one_month({(MON, NINE): (100, 180.0)})
    spec = voice(target_level=None, target_time=None, max_asa=0.0)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours()))
    assert result.infeasible.sum() == 1 and result.infeasible[0, MON, NINE]


def test_erlang_a_with_patience() -> None:
    # docs/queueing.md: 10 Erlangs, 180 s, 80 % in 20 s, callers patient for 60 s on average:
    # 11 agents give 79.7 % offered, 12 give 86.0 % -> 12 agents; abandonment is above 0.
    contacts, handle = one_month({(MON, NINE): (100, 180.0)})
    result = interval_agents(voice(patience=60.0), QueueLoad(contacts, handle, office_hours()))
    assert result.agents[0, MON, NINE] == 12
    assert result.service_level[0, MON, NINE] == pytest.approx(0.860, abs=5e-4)
    assert 0.0 < result.abandon[0, MON, NINE] < 0.112  # 11.2 % with 11 agents, fewer with 12


def test_chat_concurrency_two_needs_no_more_agents() -> None:
    # 10 Erlangs of sessions at 80/20 need 14 slots; two sessions per agent: 7 agents.
    contacts, handle = one_month({(MON, NINE): (100, 180.0), (MON, 20): (37, 240.0)})
    load = QueueLoad(contacts, handle, office_hours())
    single = interval_agents(voice(), load)
    double = interval_agents(voice(concurrency=2.0), load)
    assert double.agents[0, MON, NINE] == 7
    assert double.traffic[0, MON, NINE] == pytest.approx(5.0)  # agents busy, not sessions
    assert np.all(double.agents <= single.agents)
    assert double.service_level[0, MON, NINE] == pytest.approx(
        hand_level(Fraction(10), 14, 180, 20)
    )


def test_chat_occupancy_cap() -> None:
    # 10 Erlangs of sessions, no service target, at most 50 % of the 2 slots per agent busy:
    # 20 slots, 10 agents.
    contacts, handle = one_month({(MON, NINE): (100, 180.0)})
    spec = voice(target_level=None, max_occupancy=0.5, concurrency=2.0)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours()))
    assert result.agents[0, MON, NINE] == 10
    assert result.occupancy[0, MON, NINE] == pytest.approx(0.5)


# ------------------------------------------------------------------------------ deferred


def test_deferred_monday_morning_backlog_by_hand() -> None:
    # 100 e-mails of 6 min at Monday 09:00, 24 h target, open 09:00-17:00 on weekdays:
    # 36,000 s of work due by Tuesday 09:00, i.e. within Monday's 16 open half hours:
    # 36,000 / (16 x 1,800) = 1.25 agents, rounded up to 2 in each of them.
    contacts, handle = one_month({(MON, NINE): (100, 360.0)})
    result = interval_agents(email(), QueueLoad(contacts, handle, office_hours()))
    expected = np.zeros((7, PER_DAY), dtype=np.int64)
    expected[MON, NINE:FIVE] = 2
    assert np.array_equal(result.agents[0], expected)
    hours = monthly_staff(email(), result, 40.0).agent_hours[0]
    assert hours == 16.0 >= 10.0
    # Independent FIFO: two agents clear 3,600 s per half hour, so the work is done in the
    # 10th interval (13:30-14:00), long before Tuesday 09:00.
    work = (contacts * handle)[0].ravel().tolist()
    capacity = (result.agents[0] * HALF_HOUR).ravel().tolist()
    finish = fifo_finish(work, capacity)
    assert finish[MON * PER_DAY + NINE] == MON * PER_DAY + NINE + 9
    # Mean response: work leaves evenly from 09:00 to 14:00 (mean 11:30) and arrives
    # evenly over 09:00-09:30 (mean 09:15): 2 h 15 min.
    assert result.asa[0, MON, NINE] == pytest.approx(8100.0)
    assert result.service_level[0, MON, NINE] == 1.0
    assert result.occupancy[0, MON, NINE : NINE + 10] == pytest.approx(np.ones(10))
    assert result.occupancy[0, MON, NINE + 10 : FIVE] == pytest.approx(np.zeros(6))


def test_deferred_friday_afternoon_and_weekend() -> None:
    # 10 e-mails of 6 min (3,600 s = 2 agents for half an hour) at Friday 16:30 and at
    # Saturday 10:00; the queue is closed at weekends.
    contacts, handle = one_month({(FRI, FIVE - 1): (10, 360.0), (SAT, 20): (10, 360.0)})
    load = QueueLoad(contacts, handle, office_hours())
    # 24 h: Friday's work is due Saturday 16:30, so it must be done on Friday 16:30 (2
    # agents).  Saturday's would be due Sunday 10:00, before the queue opens: it waits, and
    # counts from Monday 09:00, due Tuesday 09:00, spread over Monday: 3,600 / 16 / 1,800 =
    # 0.125 -> 1 agent in each of Monday's 16 half hours.
    day = interval_agents(email(86400.0), load)
    assert day.agents[0].sum(axis=1).tolist() == [16, 0, 0, 0, 2, 0, 0]
    assert day.agents[0, FRI, FIVE - 1] == 2
    assert np.all(day.agents[0, MON, NINE:FIVE] == 1)
    # Saturday's work is answered on Monday 09:00-10:00 (one agent, 3,600 s), mean 09:30,
    # after arriving on average at Saturday 10:15: 47 h 15 min.
    assert day.asa[0, SAT, 20] == pytest.approx(47.25 * 3600)
    # 72 h: Friday 16:30's work may wait until Monday 16:30: Friday 16:30 and Monday's first
    # 15 half hours, 16 intervals; Saturday 10:00 + 72 h = Tuesday 10:00 (calendar time, the
    # queue opens before): Monday's 16 and Tuesday's first 2 half hours.
    three = interval_agents(email(3 * 86400.0), load)
    assert three.agents[0].sum(axis=1).tolist() == [16, 2, 0, 0, 1, 0, 0]
    assert np.all(three.service_level == 1.0)


def test_deferred_share_within_target() -> None:
    # 80 % within 2 h (4 half hours); the other 20 % in the interval after the window.
    # 100 items x 180 s = 18,000 s: 14,400 / 4 / 1,800 = 2 agents in four intervals, then
    # 3,600 / 1,800 = 2 agents in the fifth.
    contacts, handle = one_month({(MON, NINE): (100, 180.0)})
    spec = email(7200.0, target_level=0.8)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours()))
    assert result.agents[0, MON, NINE : NINE + 6].tolist() == [2, 2, 2, 2, 2, 0]
    # By 11:00 the four intervals have done 4 x 3,600 = 14,400 of the 18,000 s: 80 %.
    assert result.service_level[0, MON, NINE] == pytest.approx(0.8)


def test_deferred_occupancy_cap_by_hand() -> None:
    # The Monday-morning backlog again (36,000 s of work due within Monday's 16 half hours:
    # 1.25 agents of work per half hour) with an occupancy cap of 60 %: an agent works
    # 0.6 x 1,800 = 1,080 s of each half hour, so 1.25 / 0.6 = 2.08 -> 3 agents.
    contacts, handle = one_month({(MON, NINE): (100, 360.0)})
    spec = email(max_occupancy=0.6)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours()))
    expected = np.zeros((7, PER_DAY), dtype=np.int64)
    expected[MON, NINE:FIVE] = 3
    assert np.array_equal(result.agents[0], expected)
    assert monthly_staff(spec, result, 40.0).agent_hours[0] == 3 * 16 * 0.5
    # Three agents at 60 % clear 3 x 1,080 = 3,240 s a half hour: 36,000 / 3,240 = 11.1
    # half hours, so the last item is finished in the 12th (14:30-15:00) by an independent
    # item-by-item FIFO worked at the capped rate.
    work = (contacts * handle)[0].ravel().tolist()
    capacity = (result.agents[0] * HALF_HOUR * 0.6).ravel().tolist()
    assert fifo_finish(work, capacity)[MON * PER_DAY + NINE] == MON * PER_DAY + NINE + 11
    # Occupancy 3,240 / 5,400 = 60 % in the 11 full half hours, 360 / 5,400 in the 12th.
    assert result.occupancy[0, MON, NINE : NINE + 11] == pytest.approx(np.full(11, 0.6))
    assert result.occupancy[0, MON, NINE + 11] == pytest.approx(360 / 5400)
    assert result.occupancy.max() <= 0.6 + 1e-12
    # Completion times are linear within each half hour: 35,640 s finish evenly over the
    # first 11 (mean 9,900 s after 09:00), the last 360 s evenly over the 12th (mean
    # 20,700 s): (35,640 x 9,900 + 360 x 20,700) / 36,000 = 10,008 s, less the mean
    # arrival (900 s, mid-interval): 9,108 s.
    assert result.asa[0, MON, NINE] == pytest.approx(9108.0)
    assert result.service_level[0, MON, NINE] == 1.0
    # A cap at or above what the plan needs changes nothing: 1.25 / 0.8 = 1.56 -> 2.
    capped = interval_agents(email(max_occupancy=0.8), QueueLoad(contacts, handle, office_hours()))
    assert capped.agents[0, MON, NINE:FIVE].tolist() == [2] * 16


def test_deferred_and_outbound_cap_of_zero_is_infeasible() -> None:
    contacts, handle = one_month({(MON, NINE): (10, 300.0)})
    load = QueueLoad(contacts, handle, office_hours())
    for spec in (
        email(max_occupancy=0.0),
        QueueSpec("o", "outbound", HALF_HOUR, None, None, max_occupancy=0.0),
    ):
        result = interval_agents(spec, load)
        assert result.infeasible.sum() == 1 and result.infeasible[0, MON, NINE]
        assert result.agents.sum() == 0


def test_deferred_queue_never_open_is_infeasible() -> None:
    contacts, handle = one_month({(MON, NINE): (10, 300.0)})
    closed = np.zeros((7, PER_DAY), dtype=bool)
    result = interval_agents(email(), QueueLoad(contacts, handle, closed))
    assert result.infeasible.sum() == 1 and result.infeasible[0, MON, NINE]
    assert result.agents.sum() == 0


# ------------------------------------------------------------------------------ outbound


def test_outbound_agents_by_hand() -> None:
    # 120 attempts of 300 s in half an hour: 36,000 s / 1,800 s = 20 agents; 130: 21.7 -> 22.
    contacts, handle = one_month({(MON, NINE): (120, 300.0), (MON, 20): (130, 300.0)})
    spec = QueueSpec("dialler", "outbound", HALF_HOUR, None, None)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours()))
    assert result.agents[0, MON, NINE] == 20
    assert result.agents[0, MON, 20] == 22
    assert result.occupancy[0, MON, 20] == pytest.approx(130 * 300 / 1800 / 22)
    assert result.agents.sum() == 42
    # With an occupancy cap of 85 %: 20 / 0.85 = 23.5 -> 24 agents; 21.67 / 0.85 = 25.5 -> 26.
    capped = attrs.evolve(spec, max_occupancy=0.85)
    result = interval_agents(capped, QueueLoad(contacts, handle, office_hours()))
    assert result.agents[0, MON, NINE] == 24
    assert result.agents[0, MON, 20] == 26
    assert result.occupancy[0, MON, NINE] == pytest.approx(20 / 24)
    assert result.occupancy[0, MON, 20] == pytest.approx(130 * 300 / 1800 / 26)
    assert not result.infeasible.any()


# -------------------------------------------------------------------------------- monthly


def test_fte_is_exact_for_21_agents_at_30_percent_shrinkage() -> None:
    # 21 agents in every half hour of Mon-Fri 09:00-16:30 (75 half hours): 21 x 75 x 0.5 =
    # 787.5 agent hours = 21 people of 37.5 h; at 30 % shrinkage 21 / 0.7 = 30 exactly.
    assert 787.5 / 37.5 / (1 - 0.3) > 30  # the float trap a naive formula falls into
    contacts, handle = one_month({})
    is_open = office_hours(end=NINE + 15)
    spec = voice(minimum_agents=21, shrinkage=0.3)
    result = interval_agents(spec, QueueLoad(contacts, handle, is_open))
    month = monthly_staff(spec, result, 37.5)
    assert month.agent_hours.tolist() == [787.5]
    assert month.fte.tolist() == [30.0]
    assert month.headcount.tolist() == [30]
    assert month.peak_agents.tolist() == [21]


def test_fte_fraction_and_headcount_round_up() -> None:
    # 10 agents for one hour (two half hours): 10 h / (40 h x 0.75) = 1/3 FTE -> 1 person.
    contacts, handle = one_month({})
    spec = voice(minimum_agents=10, shrinkage=0.25)
    result = interval_agents(spec, QueueLoad(contacts, handle, office_hours(range(1), 18, 20)))
    month = monthly_staff(spec, result, 40.0)
    assert month.fte[0] == pytest.approx(1 / 3, rel=1e-15)
    assert month.headcount[0] == 1


def test_monthly_weighted_service_level_two_intervals() -> None:
    # 100 calls (10 Erlangs) and 50 calls (5 Erlangs) at 180 s, 80/20.
    contacts, handle = one_month({(MON, NINE): (100, 180.0), (MON, NINE + 1): (50, 180.0)})
    is_open = office_hours(range(1), NINE, NINE + 2)
    result = interval_agents(voice(), QueueLoad(contacts, handle, is_open))
    n1 = hand_required(Fraction(10), 180, 20, 0.8)
    n2 = hand_required(Fraction(5), 180, 20, 0.8)
    assert result.agents[0, MON, NINE : NINE + 2].tolist() == [n1, n2]
    sl1, sl2 = hand_level(Fraction(10), n1, 180, 20), hand_level(Fraction(5), n2, 180, 20)
    asa1 = float(exact_erlang_c(Fraction(10), n1)) * 180 / (n1 - 10)
    asa2 = float(exact_erlang_c(Fraction(5), n2)) * 180 / (n2 - 5)
    month = monthly_staff(voice(), result, 40.0)
    assert month.service_level[0] == pytest.approx((100 * sl1 + 50 * sl2) / 150)
    assert month.asa[0] == pytest.approx((100 * asa1 + 50 * asa2) / 150)
    assert month.abandon[0] == 0.0
    # Occupancy: busy agent time over logged-in time, (10 + 5) / (n1 + n2).
    assert month.occupancy[0] == pytest.approx(15 / (n1 + n2))
    assert month.peak_agents[0] == n1
    assert month.agent_hours[0] == (n1 + n2) / 2


def test_month_without_contacts() -> None:
    contacts, handle = one_month({})
    result = interval_agents(voice(), QueueLoad(contacts, handle, office_hours()))
    month = monthly_staff(voice(), result, 40.0)
    assert month.service_level.tolist() == [1.0]
    assert month.asa.tolist() == [0.0]
    assert month.fte.tolist() == [0.0] and month.headcount.tolist() == [0]


def test_several_months_are_independent() -> None:
    contacts, handle = one_month({(MON, NINE): (100, 180.0)})
    contacts = np.concatenate([contacts, 2 * contacts, 0 * contacts])
    handle = np.concatenate([handle] * 3)
    result = interval_agents(voice(), QueueLoad(contacts, handle, office_hours()))
    twenty = hand_required(Fraction(20), 180, 20, 0.8)
    assert result.agents[:, MON, NINE].tolist() == [14, twenty, 0]
    month = monthly_staff(voice(), result, 40.0)
    assert month.peak_agents.tolist() == [14, twenty, 0]


# ---------------------------------------------------------------------- support and seats


def test_support_staff_by_hand() -> None:
    headcount = np.array([0, 1, 12, 13, 30, 240])
    staff = support_staff(headcount, {"supervisor": 12, "quality": 20, "manager": 12.5})
    assert staff["supervisor"].tolist() == [0, 1, 1, 2, 3, 20]
    assert staff["quality"].tolist() == [0, 1, 1, 1, 2, 12]
    # 12.5 = 25/2: ceil(2h / 25): 240 -> 480 / 25 = 19.2 -> 20; 30 -> 60 / 25 -> 3.
    assert staff["manager"].tolist() == [0, 1, 1, 2, 3, 20]


def test_support_staff_from_fte_matches_headcount_for_whole_spans() -> None:
    fte = np.array([0.0, 11.2, 12.0, 12.01, 30.0])
    from_fte = support_staff(fte, {"supervisor": 12})["supervisor"]
    from_heads = support_staff(np.ceil(fte), {"supervisor": 12})["supervisor"]
    assert from_fte.tolist() == from_heads.tolist() == [0, 1, 1, 2, 3]


def test_seats_largest_remainder_by_hand() -> None:
    # 98 agents + 3 on-site supervisors = 101; quotas 50.5, 30.3, 20.2 -> 50, 30, 20 and
    # the one seat left goes to the largest remainder (0.5).
    assert seats(98, {"lisbon": 0.5, "porto": 0.3, "braga": 0.2}, 3) == {
        "lisbon": 51,
        "porto": 30,
        "braga": 20,
    }
    # 10 over three equal sites: 3.33 each -> 3, 3, 3 and the tie goes to the first listed.
    assert seats(10, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == {"a": 4, "b": 3, "c": 3}
    # 0.7 x 10 = 7.000000000000001 in floats; still 7 and 3.
    assert seats(10, {"a": 0.7, "b": 0.3}) == {"a": 7, "b": 3}
    # A fractional need (half-time on-site staff) is rounded up first: 10.5 -> 11.
    assert sum(seats(10, {"a": 0.5, "b": 0.5}, 0.5).values()) == 11


def test_seats_per_month_arrays() -> None:
    got = seats(np.array([10, 11, 0]), {"a": 0.5, "b": 0.5})
    assert got["a"].tolist() == [5, 6, 0]
    assert got["b"].tolist() == [5, 5, 0]


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mode": "email"}, "mode"),
        ({"definition": "handled"}, "definition"),
        ({"interval": 1000.0}, "interval"),
        ({"target_level": 80.0}, "target_level"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"patience": 0.0}, "patience"),
        ({"concurrency": 0.5}, "concurrency"),
        ({"minimum_agents": -1}, "minimum_agents"),
        ({"target_time": None}, "target_time"),
        ({"mode": "deferred", "target_level": None, "target_time": None}, "target_time"),
        ({"mode": "outbound", "concurrency": 2.0}, "concurrency"),
    ],
)
def test_invalid_specs_are_rejected(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        voice(**overrides)


def test_invalid_loads_are_rejected() -> None:
    contacts, handle = one_month({})
    with pytest.raises(ValueError, match="open"):
        QueueLoad(contacts, handle, np.ones((7, 24), dtype=bool))
    with pytest.raises(ValueError, match="contacts"):
        QueueLoad(-contacts - 1, handle, office_hours())
    with pytest.raises(ValueError, match="shape"):
        QueueLoad(contacts[0], handle[0], office_hours())
    with pytest.raises(ValueError, match="per day"):
        interval_agents(voice(interval=900.0), QueueLoad(contacts, handle, office_hours()))
    with pytest.raises(ValueError, match="sum to 1"):
        seats(10, {"a": 0.5, "b": 0.6})
    with pytest.raises(ValueError, match="span"):
        support_staff([10], {"supervisor": 0})
    result = interval_agents(voice(), QueueLoad(contacts, handle, office_hours()))
    with pytest.raises(ValueError, match="paid_hours"):
        monthly_staff(voice(), result, 0.0)


def test_solve_layer_imports_no_front_end() -> None:
    code = (
        "import sys, blueprintc.solve.staffing\n"
        "bad = [m for m in sys.modules if m.split('.')[:2] in "
        "(['blueprintc', 'model'], ['blueprintc', 'semantic'], ['blueprintc', 'syntax'], "
        "['blueprintc', 'driver'])]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
