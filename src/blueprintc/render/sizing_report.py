"""The sizing report of ``blueprintc size``: a staffing table for people, JSON for tools.

Both read the compilation's outcome (``blueprintc.outcome``): no figure is derived here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from blueprintc.outcome import CenterMonths, Grid, Outcome, QueueMonths
from blueprintc.outcome.figures import horizon_average
from blueprintc.render.answer import figures_json

JSON_SCHEMA_VERSION = 1
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _round(value: float, places: int = 2) -> float:
    return round(float(value), places) if np.isfinite(value) else float("inf")


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%" if np.isfinite(value) else "-"


def _secs(value: float) -> str:
    return f"{value:.0f} s" if np.isfinite(value) else "inf"


def _parts(outcome: Outcome) -> tuple[Grid, CenterMonths]:
    assert outcome.grid is not None and outcome.center is not None, "built by outcome.build"
    return outcome.grid, outcome.center


def text_report(outcome: Outcome, title: str, intervals: bool = False) -> str:
    """Per channel: peak agents, FTE (peak and average month), seats; then the totals."""
    grid, center = _parts(outcome)
    peak = outcome.key.peak_month
    lines = [
        f"{title}: sizing over {grid.months} months from {grid.label(0)}, "
        f"{grid.interval // 60}-minute intervals, peak month {grid.label(peak)}",
        "",
        f"{'queue':<24} {'mode':<9} {'peak agents':>11} {'FTE peak':>9} {'FTE avg':>8} "
        f"{'SL':>7} {'ASA':>7} {'abandon':>8} {'occupancy':>10}",
    ]
    for queue in outcome.queues:
        lines.append(
            f"{queue.name:<24} {queue.mode:<9} {int(queue.peak_agents.max(initial=0)):>11} "
            f"{queue.fte_peak:>9.1f} {queue.fte.mean():>8.1f} "
            f"{_pct(_horizon(queue, 'service_level')):>7} {_secs(_horizon(queue, 'asa')):>7} "
            f"{_pct(_horizon(queue, 'abandon')):>8} {_pct(_horizon(queue, 'occupancy')):>10}"
        )
    lines.append(
        "FTE peak: the queue's FTE in its busiest month. SL, ASA, abandon, occupancy: every "
        "interval of the horizon weighted by contacts (as `assert` and the operations templates)"
    )
    lines += ["", "contacts arriving while closed, per month (first month):"]
    for queue in outcome.queues:
        carried, lost = queue.carried, queue.lost
        if carried[0] > 0.5 or lost[0] > 0.5:
            lines.append(
                f"  {queue.id.channel}: {carried[0]:.0f} carried to the next opening, "
                f"{lost[0]:.0f} lost"
            )
    lines += ["", "FTE by year (average of the months):"]
    for queue in outcome.queues:
        lines.append(f"  {queue.name}: " + ", ".join(f"{v:.1f}" for v in yearly(queue.fte)))
    lines.append("  total: " + ", ".join(f"{v:.1f}" for v in yearly(center.total_fte)))
    support = ", ".join(f"{x.role} {int(x.people[peak])}" for x in outcome.support)
    seats = ", ".join(f"{x.site} {x.needed}" for x in outcome.sites)
    lines += [
        "",
        f"agent FTE, peak month: {outcome.key.agent_fte_at_peak:.1f}",
        f"support staff, peak month: {support or 'none (no spans of control)'}",
        f"total FTE, peak month: {center.total_fte[peak]:.1f}",
        f"agents logged in at the busiest interval: {outcome.key.peak_agents}",
        f"seats: {seats or 'no sites declared'}",
    ]
    if intervals:
        for queue in outcome.queues:
            lines += ["", *_interval_table(queue, grid, peak)]
    return "\n".join(lines) + "\n"


def yearly(monthly: np.ndarray[Any, Any]) -> list[float]:
    """The average of each run of 12 months (the last year may be shorter)."""
    values = np.asarray(monthly, dtype=np.float64)
    return [float(values[i : i + 12].mean()) for i in range(0, len(values), 12)]


def _horizon(queue: QueueMonths, measure: str) -> float:
    """A service figure of one queue over the horizon (the one rule: horizon_average)."""
    value = horizon_average([queue], measure)
    return float("nan") if value is None else value


def _interval_table(queue: QueueMonths, grid: Grid, month: int) -> list[str]:
    result = queue.intervals.month(month)
    lines = [
        f"{queue.name}, {grid.label(month)} (open intervals)",
        f"{'day':<4} {'time':<6} {'contacts':>9} {'Erlangs':>8} {'agents':>7} {'SL':>7} "
        f"{'occupancy':>10}",
    ]
    minutes = grid.interval // 60
    for day in range(7):
        for slot in range(grid.per_day):
            if not queue.open[day, slot]:
                continue
            start = slot * minutes
            lines.append(
                f"{DAYS[day]:<4} {start // 60:02d}:{start % 60:02d} "
                f"{result.contacts[day, slot]:>9.1f} "
                f"{result.traffic[day, slot]:>8.2f} "
                f"{int(result.agents[day, slot]):>7} "
                f"{_pct(float(result.service_level[day, slot])):>7} "
                f"{_pct(float(result.occupancy[day, slot])):>10}"
            )
    return lines


def json_report(outcome: Outcome, intervals: bool = False) -> str:
    """The document of :func:`json_document` as JSON text."""
    return figures_json(json_document(outcome, intervals))


def json_document(outcome: Outcome, intervals: bool = False) -> dict[str, Any]:
    """Monthly figures per queue (and, with ``intervals``, every interval of every month).

    Units: FTE and agents are people; service level, abandonment and occupancy are
    fractions; ASA is in seconds; contacts are per month (monthly) or per interval.
    """
    grid, center = _parts(outcome)
    document: dict[str, Any] = {
        "schema": "blueprintc.sizing",
        "version": JSON_SCHEMA_VERSION,
        "interval_seconds": grid.interval,
        "months": list(outcome.months),
        "peak_month": outcome.month(outcome.key.peak_month),
        "paid_hours_per_week": center.paid_hours_per_week,
        "queues": [_queue_json(q, intervals) for q in outcome.queues],
        "agent_fte": [_round(v) for v in center.agent_fte],
        "support_staff": {x.role: [int(v) for v in x.people] for x in outcome.support},
        "total_fte": [_round(v) for v in center.total_fte],
        "total_fte_by_year": [_round(v) for v in yearly(center.total_fte)],
        "peak_concurrent_agents": [int(v) for v in center.peak_concurrent],
        "seats": {x.site: x.needed for x in outcome.sites},
    }
    return document


def _queue_json(queue: QueueMonths, intervals: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": queue.name,
        "channel": queue.id.channel,
        "mode": queue.mode,
        "contacts": [_round(v) for v in queue.contacts],
        "handle_time_seconds": [_round(v) for v in queue.handle_time],
        "fte": [_round(v, 4) for v in queue.fte],
        "fte_by_year": [_round(v, 4) for v in yearly(queue.fte)],
        "carried_contacts": [_round(v) for v in queue.carried],
        "lost_contacts": [_round(v) for v in queue.lost],
        "headcount": [int(v) for v in queue.headcount],
        "peak_agents": [int(v) for v in queue.peak_agents],
        "service_level": [_finite(v) for v in queue.service_level],
        "asa_seconds": [_finite(v) for v in queue.asa],
        "abandon": [_finite(v) for v in queue.abandon],
        "occupancy": [_finite(v) for v in queue.occupancy],
    }
    if intervals:
        data["interval_agents"] = queue.intervals.agents.tolist()
        data["interval_contacts"] = np.round(queue.intervals.contacts, 4).tolist()
    return data


def _finite(value: float) -> float | None:
    return _round(value, 4) if np.isfinite(value) else None
