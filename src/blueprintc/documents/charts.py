"""Chart and diagram specifications, drawn as SVG (HTML and Markdown) and as Mermaid.

A view holds what to draw, never how. ``svg`` draws every chart for the HTML site and
draws the line charts for the Markdown too (an image beside the document: Mermaid's line
chart has no legend and labels every x position); ``mermaid`` writes the Gantt charts and
diagrams into the Markdown, whose bars and boxes carry their own names. Both read the
same specification, so the Markdown and the HTML always show the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs


@attrs.frozen
class Series:
    """One line of a line chart."""

    name: str
    values: tuple[float, ...]


@attrs.frozen
class LineChart:
    """Values over labelled x positions (months, intervals); one line per series.

    ``deltas``, when there are any, are drawn in a panel of their own below the lines,
    on the same x positions, with ``delta_label`` on their axis: each other series less
    the first, for alternatives too close to tell apart at the chart's scale (see
    `with_deltas`)."""

    key: str
    title: str
    x_label: str
    y_label: str
    x: tuple[str, ...]
    series: tuple[Series, ...]
    deltas: tuple[Series, ...] = ()
    delta_label: str = ""


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

IMAGES = "charts"
"""The folder, beside the Markdown documents, of the line charts they show as images."""


def image_path(key: str) -> str:
    """Where the Markdown's image of the chart ``key`` is, from the documents' folder:
    ``charts/<key>.svg``, the key's characters outside letters, digits, ``-`` and ``_``
    (and a leading dot) written as ``-``."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "chart"
    return f"{IMAGES}/{name}.svg"


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


CLOSE = 5
"""Two alternatives' lines are *close* when they are never as far apart as this many per
cent of the largest value the chart shows (its height, from zero): 5 %, about 10 points
on a chart 200 points high, where two lines 1.8 points wide read as one. Their
differences are then drawn as well (`with_deltas`)."""


def with_deltas(chart: LineChart, label: str) -> LineChart:
    """``chart`` with its deltas when its series are alternatives of which one runs close
    to the first (`CLOSE`): each other series less the first, named ``"<other> − <first>"``
    and rounded to cents, drawn below the lines with ``label`` on their axis; else
    ``chart`` as it is. A series equal to the first throughout is not close, it is the
    same (a view leaves such a series out)."""
    if len(chart.series) < 2:
        return chart
    first, others = chart.series[0], chart.series[1:]
    scale = max((abs(v) for s in chart.series for v in s.values), default=0.0)
    gaps = [
        max((abs(a - b) for a, b in zip(s.values, first.values, strict=True)), default=0.0)
        for s in others
    ]
    if not any(0 < 100 * gap < CLOSE * scale for gap in gaps):
        return chart
    deltas = tuple(
        Series(
            f"{s.name} \u2212 {first.name}",
            tuple(round(b - a, 2) + 0.0 for a, b in zip(first.values, s.values, strict=True)),
        )
        for s in others
    )
    return attrs.evolve(chart, deltas=deltas, delta_label=label)


def drawable(diagram: Diagram) -> Diagram | None:
    """The diagram, or None when it has more than `MAX_NODES` boxes."""
    return diagram if len(diagram.nodes) <= MAX_NODES else None


def drawable_gantt(gantt: Gantt) -> Gantt | None:
    """The Gantt chart, or None when it has more than `MAX_TASKS` bars."""
    return gantt if len(gantt.tasks) <= MAX_TASKS else None
