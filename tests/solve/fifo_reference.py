"""An item-by-item FIFO backlog, the tests' independent reference for deferred work."""

from __future__ import annotations


def finished_at(work: list[float], capacity: list[float], weeks: int) -> dict[int, int]:
    """For each arrival interval (counted over ``weeks`` repeated weeks), the interval in
    which the last of its work is done; work is answered first in, first out with each
    interval's capacity (same units as ``work``)."""
    size = len(work)
    backlog: list[list[float]] = []
    finished: dict[int, int] = {}
    for t in range(weeks * size):
        if work[t % size] > 0:
            backlog.append([t, work[t % size]])
        free = capacity[t % size]
        while backlog and free > 1e-9:
            used = min(free, backlog[0][1])
            backlog[0][1] -= used
            free -= used
            if backlog[0][1] <= 1e-6:
                finished[int(backlog.pop(0)[0])] = t
    return finished
