"""The sizing report of ``blueprintc size``: a staffing table for people, JSON for tools."""

from __future__ import annotations

from typing import Any

import numpy as np

from blueprintc.render.answer import figures_json
from blueprintc.sizing.size import QueueSizing, Sizing

JSON_SCHEMA_VERSION = 1
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _round(value: float, places: int = 2) -> float:
    return round(float(value), places) if np.isfinite(value) else float("inf")


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%" if np.isfinite(value) else "-"


def _secs(value: float) -> str:
    return f"{value:.0f} s" if np.isfinite(value) else "inf"


def text_report(sizing: Sizing, title: str, intervals: bool = False) -> str:
    """Per channel: peak agents, FTE (peak and average month), seats; then the totals."""
    grid = sizing.grid
    peak = sizing.peak_month
    lines = [
        f"{title}: sizing over {grid.months} months from {grid.label(0)}, "
        f"{grid.interval // 60}-minute intervals, peak month {grid.label(peak)}",
        "",
        f"{'queue':<24} {'mode':<9} {'peak agents':>11} {'FTE peak':>9} {'FTE avg':>8} "
        f"{'SL':>7} {'ASA':>7} {'abandon':>8} {'occupancy':>10}",
    ]
    for queue in sizing.queues:
        monthly = queue.monthly
        lines.append(
            f"{queue.name:<24} {queue.spec.mode:<9} {int(monthly.peak_agents.max(initial=0)):>11} "
            f"{monthly.fte.max(initial=0):>9.1f} {monthly.fte.mean():>8.1f} "
            f"{_pct(_mean(monthly.service_level)):>7} {_secs(_mean(monthly.asa)):>7} "
            f"{_pct(_mean(monthly.abandon)):>8} {_pct(_mean(monthly.occupancy)):>10}"
        )
    lines += ["", "contacts arriving while closed, per month (first month):"]
    for work in sizing.workload.channels:
        if work.carried[0] > 0.5 or work.lost[0] > 0.5:
            lines.append(
                f"  {work.channel.name}: {work.carried[0]:.0f} carried to the next opening, "
                f"{work.lost[0]:.0f} lost"
            )
    lines += ["", "FTE by year (average of the months):"]
    for queue in sizing.queues:
        lines.append(f"  {queue.name}: " + ", ".join(f"{v:.1f}" for v in yearly(queue.monthly.fte)))
    lines.append("  total: " + ", ".join(f"{v:.1f}" for v in yearly(sizing.total_fte)))
    support = ", ".join(f"{role} {int(counts[peak])}" for role, counts in sizing.support.items())
    seats = ", ".join(f"{site} {count}" for site, count in sizing.seats.items())
    lines += [
        "",
        f"agent FTE, peak month: {sizing.agent_fte[peak]:.1f}",
        f"support staff, peak month: {support or 'none (no spans of control)'}",
        f"total FTE, peak month: {sizing.total_fte[peak]:.1f}",
        f"agents logged in at the busiest interval: {int(sizing.peak_concurrent.max(initial=0))}",
        f"seats: {seats or 'no sites declared'}",
    ]
    if intervals:
        for queue in sizing.queues:
            lines += ["", *_interval_table(queue, sizing)]
    return "\n".join(lines) + "\n"


def yearly(monthly: np.ndarray[Any, Any]) -> list[float]:
    """The average of each run of 12 months (the last year may be shorter)."""
    values = np.asarray(monthly, dtype=np.float64)
    return [float(values[i : i + 12].mean()) for i in range(0, len(values), 12)]


def _mean(values: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")


def _interval_table(queue: QueueSizing, sizing: Sizing) -> list[str]:
    grid, month = sizing.grid, sizing.peak_month
    result = queue.intervals
    lines = [
        f"{queue.name}, {grid.label(month)} (open intervals)",
        f"{'day':<4} {'time':<6} {'contacts':>9} {'Erlangs':>8} {'agents':>7} {'SL':>7} "
        f"{'occupancy':>10}",
    ]
    minutes = grid.interval // 60
    for day in range(7):
        for slot in range(grid.per_day):
            if not queue.work.open[day, slot]:
                continue
            start = slot * minutes
            lines.append(
                f"{DAYS[day]:<4} {start // 60:02d}:{start % 60:02d} "
                f"{result.contacts[month, day, slot]:>9.1f} "
                f"{result.traffic[month, day, slot]:>8.2f} "
                f"{int(result.agents[month, day, slot]):>7} "
                f"{_pct(float(result.service_level[month, day, slot])):>7} "
                f"{_pct(float(result.occupancy[month, day, slot])):>10}"
            )
    return lines


def json_report(sizing: Sizing, intervals: bool = False) -> str:
    """The document of :func:`json_document` as JSON text."""
    return figures_json(json_document(sizing, intervals))


def json_document(sizing: Sizing, intervals: bool = False) -> dict[str, Any]:
    """Monthly figures per queue (and, with ``intervals``, every interval of every month).

    Units: FTE and agents are people; service level, abandonment and occupancy are
    fractions; ASA is in seconds; contacts are per month (monthly) or per interval.
    """
    grid = sizing.grid
    document: dict[str, Any] = {
        "schema": "blueprintc.sizing",
        "version": JSON_SCHEMA_VERSION,
        "interval_seconds": grid.interval,
        "months": [grid.label(t) for t in range(grid.months)],
        "peak_month": grid.label(sizing.peak_month),
        "paid_hours_per_week": sizing.paid_hours_per_week,
        "queues": [_queue_json(q, intervals) for q in sizing.queues],
        "agent_fte": [_round(v) for v in sizing.agent_fte],
        "support_staff": {
            role: [int(v) for v in counts] for role, counts in sizing.support.items()
        },
        "total_fte": [_round(v) for v in sizing.total_fte],
        "total_fte_by_year": [_round(v) for v in yearly(sizing.total_fte)],
        "peak_concurrent_agents": [int(v) for v in sizing.peak_concurrent],
        "seats": dict(sizing.seats),
    }
    return document


def _queue_json(queue: QueueSizing, intervals: bool) -> dict[str, Any]:
    monthly = queue.monthly
    data: dict[str, Any] = {
        "name": queue.name,
        "channel": queue.work.channel.name,
        "mode": queue.spec.mode,
        "contacts": [_round(v) for v in queue.work.monthly],
        "handle_time_seconds": [_round(v) for v in queue.work.handle_time],
        "fte": [_round(v, 4) for v in monthly.fte],
        "fte_by_year": [_round(v, 4) for v in yearly(monthly.fte)],
        "carried_contacts": [_round(v) for v in queue.work.carried],
        "lost_contacts": [_round(v) for v in queue.work.lost],
        "headcount": [int(v) for v in monthly.headcount],
        "peak_agents": [int(v) for v in monthly.peak_agents],
        "service_level": [_finite(v) for v in monthly.service_level],
        "asa_seconds": [_finite(v) for v in monthly.asa],
        "abandon": [_finite(v) for v in monthly.abandon],
        "occupancy": [_finite(v) for v in monthly.occupancy],
    }
    if intervals:
        data["interval_agents"] = queue.intervals.agents.tolist()
        data["interval_contacts"] = np.round(queue.intervals.contacts, 4).tolist()
    return data


def _finite(value: float) -> float | None:
    return _round(value, 4) if np.isfinite(value) else None
