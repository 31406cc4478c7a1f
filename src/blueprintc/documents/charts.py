"""Chart and diagram specifications, drawn twice: as Mermaid (Markdown) and SVG (HTML).

A view holds what to draw, never how; ``mermaid`` and ``svg`` are the two renderers, so
the diagram in the Markdown and the chart in the HTML always show the same numbers.
"""

from __future__ import annotations

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
