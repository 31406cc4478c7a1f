"""Benchmarks of full queue sizing: interval_agents + monthly_staff.

* 200 realtime queues x 672 fifteen-minute intervals (7 days x 96), one month: goal < 2 s.
* 10 realtime queues x 36 months x 336 thirty-minute intervals (7 days x 48).
* 10 deferred (e-mail) queues x 36 months x 336 thirty-minute intervals, 24 h target.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from blueprintc.solve.staffing import (
    IntervalResult,
    MonthlyStaff,
    QueueLoad,
    QueueSpec,
    interval_agents,
    monthly_staff,
)

Queue = tuple[QueueSpec, QueueLoad]


def week_profile(per_day: int) -> np.ndarray:
    """Intraday shape peaking late morning, and the weekday weights (Monday busiest)."""
    hours = (np.arange(per_day) + 0.5) * 24 / per_day
    day = np.exp(-(((hours - 11) / 4) ** 2)) + 0.6 * np.exp(-(((hours - 15) / 3) ** 2))
    week = np.array([1.25, 1.1, 1.0, 1.0, 0.95, 0.5, 0.3])
    return week[:, None] * day[None, :]


def opening(per_day: int) -> np.ndarray:
    """Weekdays 08:00-20:00, Saturday 09:00-17:00, closed on Sunday."""
    hours = np.arange(per_day) * 24 / per_day
    is_open = np.zeros((7, per_day), dtype=bool)
    is_open[:5] = (hours >= 8) & (hours < 20)
    is_open[5] = (hours >= 9) & (hours < 17)
    return is_open


def queues(count: int, months: int, interval: float, mode: str, seed: int) -> list[Queue]:
    """Queues from 1 to 800 Erlangs at the peak, AHT 180-600 s, 2 % monthly growth."""
    rng = np.random.default_rng(seed)
    per_day = round(86400 / interval)
    shape = week_profile(per_day)
    is_open = opening(per_day)
    growth = 1.02 ** np.arange(months)
    out = []
    for k in range(count):
        aht = rng.uniform(180.0, 600.0)
        peak = rng.uniform(1.0, 800.0) * interval / aht  # contacts at the peak interval
        noise = rng.uniform(0.9, 1.1, (months, 7, per_day))
        contacts = peak * growth[:, None, None] * shape[None] * noise * is_open
        handle = np.full(contacts.shape, aht)
        if mode == "realtime":
            spec = QueueSpec(f"voice{k}", "realtime", interval, 0.8, 20.0, minimum_agents=1)
        else:
            spec = QueueSpec(f"mail{k}", "deferred", interval, 0.9, 86400.0, shrinkage=0.3)
        out.append(
            (spec, QueueLoad(contacts / 20 if mode == "deferred" else contacts, handle, is_open))
        )
    return out


def size_all(work: list[Queue]) -> list[tuple[IntervalResult, MonthlyStaff]]:
    sized = []
    for spec, load in work:
        result = interval_agents(spec, load)
        sized.append((result, monthly_staff(spec, result, 37.5)))
    return sized


def check(sized: list[tuple[IntervalResult, MonthlyStaff]], months: int) -> None:
    for result, month in sized:
        assert not result.infeasible.any()
        assert month.fte.shape == (months,)
        assert np.all(month.service_level >= 0.8 - 1e-9)
        assert np.all(month.headcount >= month.fte)


def test_bench_200_realtime_queues_one_month_15_min(benchmark: Any) -> None:
    work = queues(200, 1, 900.0, "realtime", seed=1)
    sized = benchmark(size_all, work)
    check(sized, 1)


def test_bench_10_realtime_queues_36_months_30_min(benchmark: Any) -> None:
    work = queues(10, 36, 1800.0, "realtime", seed=2)
    sized = benchmark(size_all, work)
    check(sized, 36)


def test_bench_10_deferred_queues_36_months_30_min(benchmark: Any) -> None:
    work = queues(10, 36, 1800.0, "deferred", seed=3)
    sized = benchmark(size_all, work)
    check(sized, 36)
