"""Chart and diagram specifications, drawn twice: as Mermaid (Markdown) and SVG (HTML).

A view holds what to draw, never how; ``mermaid`` and ``svg`` are the two renderers, so
the diagram in the Markdown and the chart in the HTML always show the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen
class Series:
    """One line of a line chart."""

    name: str
    values: tuple[float, ...]


@attrs.frozen
class LineChart:
    """Values over labelled x positions (months, intervals); one line per series."""

    key: str
    title: str
    x_label: str
    y_label: str
    x: tuple[str, ...]
    series: tuple[Series, ...]


@attrs.frozen
class Task:
    """A bar of a Gantt chart; dates are ``YYYY-MM-DD``, ``end`` exclusive."""

    key: str
    label: str
    section: str
    start: str
    end: str
    critical: bool = False


@attrs.frozen
class Gantt:
    key: str
    title: str
    tasks: tuple[Task, ...]


@attrs.frozen
class Node:
    key: str
    label: str
    group: str = ""


@attrs.frozen
class Edge:
    """``source`` needs (or feeds) ``target``; the label says how."""

    source: str
    target: str
    label: str = ""


@attrs.frozen
class Diagram:
    """A directed graph, drawn left to right."""

    key: str
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


Chart = LineChart | Gantt | Diagram

MAX_SERIES = 8
"""The most lines a line chart draws: the largest seven, and the rest added up as one."""
MAX_NODES = 60
"""The most boxes a diagram draws; a larger one is left out (the document's tables list
every element): it would not read on a page, and drawing it takes time that grows faster
than the blueprint."""
MAX_TASKS = 60
"""The most bars a Gantt chart draws; a larger one is left out (the schedule table lists
every item)."""


def fewest_series(series: Sequence[Series], others: str, digits: int = 1) -> tuple[Series, ...]:
    """``series`` when they are at most `MAX_SERIES`; else the `MAX_SERIES` − 1 with the
    largest totals (ties: the first listed), in their order, and one more adding up the
    rest, named ``others`` (formatted with ``count``), each value rounded to ``digits``."""
    if len(series) <= MAX_SERIES:
        return tuple(series)
    ranked = sorted(range(len(series)), key=lambda i: (-sum(series[i].values), i))
    kept = sorted(ranked[: MAX_SERIES - 1])
    rest = [series[i] for i in sorted(ranked[MAX_SERIES - 1 :])]
    columns = zip(*(s.values for s in rest), strict=True)
    added = tuple(round(sum(values), digits) for values in columns)
    return (*(series[i] for i in kept), Series(others.format(count=len(rest)), added))


def drawable(diagram: Diagram) -> Diagram | None:
    """The diagram, or None when it has more than `MAX_NODES` boxes."""
    return diagram if len(diagram.nodes) <= MAX_NODES else None


def drawable_gantt(gantt: Gantt) -> Gantt | None:
    """The Gantt chart, or None when it has more than `MAX_TASKS` bars."""
    return gantt if len(gantt.tasks) <= MAX_TASKS else None
