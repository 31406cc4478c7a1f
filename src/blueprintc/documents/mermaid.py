"""Gantt charts and diagrams as Mermaid text, for the Markdown documents.

``render`` returns the body of a fenced ``mermaid`` block (without the fence): a
``gantt`` for a :class:`Gantt` and a ``flowchart LR`` for a :class:`Diagram`. The output
is a pure function of the spec. Line charts are not written in Mermaid: its line chart
(``xychart-beta``) has no legend, labels every x position however many there are, and
draws no second panel; the Markdown shows the SVG drawing of a line chart instead
(``environment.target_globals``). A title longer than `MAX_TITLE` characters is cut at a
word, so the renderer never cuts it mid-word at the chart's edge.

User text never reaches Mermaid raw: every character outside a small safe set is written
as a Mermaid entity code (``#quot;``, ``#60;``), which Mermaid turns into the character
only when drawing, so quotes, brackets, ``%%`` comment starts, ``:`` (a Gantt task's data
separator) or ``<script>`` cannot change the diagram. Ids are generated from the keys
(``t_<key>``, ``n_<key>``), never from labels.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Iterable

from blueprintc.documents.charts import Diagram, Gantt, Task
from blueprintc.render.graph_formats import mermaid_text

# Words that, at the start of a Gantt line, the Gantt lexer takes for a statement; a
# label starting with one gets its first character entity-coded.
_GANTT_KEYWORD = re.compile(
    r"(?:accTitle|accDescr|accDescription|href|call|click|gantt|dateFormat|axisFormat|"
    r"tickInterval|inclusiveEndDates|topAxis|includes|excludes|todayMarker|weekday|"
    r"weekend|title|section|\d)",
    re.IGNORECASE,
)


MAX_TITLE = 60
"""The most characters of a title: GitHub draws a diagram in its column (about 880 pixels
at most) and a longer title at Mermaid's 18 pixels would run past its edge."""


def render(spec: Gantt | Diagram) -> str:
    """The Mermaid text of one chart, ending in a line break."""
    if isinstance(spec, Gantt):
        lines = _gantt(spec)
    elif isinstance(spec, Diagram):
        lines = _flowchart(spec)
    else:  # pragma: no cover - the Chart union is closed
        raise TypeError(f"not a Gantt chart or diagram: {type(spec).__name__}")
    return "\n".join(lines) + "\n"


def title(text: str) -> str:
    """A title on one line, cut at a word to at most `MAX_TITLE` characters (``…``)."""
    text = " ".join(text.split())
    return textwrap.shorten(text, MAX_TITLE, placeholder=" …") if text else ""


def label(text: str) -> str:
    """``text`` entity-coded for a Mermaid label; ``:`` too, as Mermaid's entity pre-pass
    mangles ``style...:...#..;`` and a Gantt task's text ends at a colon."""
    return mermaid_text(text).replace(":", "#58;")


def _quoted(text: str) -> str:
    return f'"{label(text)}"'


def _unique_ids(prefix: str, keys: Iterable[str]) -> dict[str, str]:
    """A Mermaid-safe id per key (``prefix_key``, clashes numbered ``_2``, ``_3``, ...)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        if key in ids:
            raise ValueError(f"duplicate chart key {key!r}")
        base = f"{prefix}_" + re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_")
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(candidate)
        ids[key] = candidate
    return ids


# -- Gantt --------------------------------------------------------------------------------


def gantt_text(text: str, fallback: str) -> str:
    """A Gantt label: entity-coded like any label, ``:`` too, and never a keyword."""
    text = " ".join(text.split()) or fallback
    coded = label(text)
    if _GANTT_KEYWORD.match(coded):
        coded = f"#{ord(text[0])};" + label(text[1:])
    return coded


def _date(task: Task, field: str) -> dt.date:
    value: str = getattr(task, field)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"task {task.key!r}: {field} {value!r} is not YYYY-MM-DD") from None


def sections(spec: Gantt) -> list[tuple[str, list[Task]]]:
    """Tasks grouped by section in order of first appearance (the unnamed section first)."""
    grouped: dict[str, list[Task]] = {}
    if any(t.section == "" for t in spec.tasks):
        grouped[""] = []
    for task in spec.tasks:
        if _date(task, "end") < _date(task, "start"):
            raise ValueError(f"task {task.key!r} ends before it starts")
        grouped.setdefault(task.section, []).append(task)
    return list(grouped.items())


def _gantt(spec: Gantt) -> list[str]:
    ids = _unique_ids("t", (t.key for t in spec.tasks))
    lines = [
        "gantt",
        f"  title {gantt_text(title(spec.title), 'Plan')}",
        "  dateFormat YYYY-MM-DD",
        "  axisFormat %Y-%m",
        "  todayMarker off",
    ]
    for section, tasks in sections(spec):
        if section:
            lines.append(f"  section {gantt_text(section, 'Tasks')}")
        for task in tasks:
            tags = "crit, " if task.critical else ""
            lines.append(
                f"    {gantt_text(task.label, task.key)}:{tags}{ids[task.key]}, "
                f"{task.start}, {task.end}"
            )
    return lines


# -- flowchart ----------------------------------------------------------------------------


def groups(spec: Diagram) -> list[tuple[str, list[str]]]:
    """Node keys by group in order of first appearance (ungrouped nodes first, as "")."""
    grouped: dict[str, list[str]] = {"": []}
    for node in spec.nodes:
        grouped.setdefault(node.group, []).append(node.key)
    return [(g, keys) for g, keys in grouped.items() if keys]


def check_edges(spec: Diagram) -> None:
    known = {n.key for n in spec.nodes}
    for edge in spec.edges:
        for end in (edge.source, edge.target):
            if end not in known:
                raise ValueError(f"diagram {spec.key!r}: edge to unknown node {end!r}")


def _flowchart(spec: Diagram) -> list[str]:
    check_edges(spec)
    ids = _unique_ids("n", (n.key for n in spec.nodes))
    group_ids = _unique_ids("g", (g for g, _ in groups(spec) if g))
    labels = {n.key: n.label or n.key for n in spec.nodes}
    lines = []
    if spec.title:  # front matter is YAML: a JSON string (ASCII-only) is a YAML string
        heading = json.dumps(title(spec.title))
        for char in "<>&":  # no markup even in the raw text
            heading = heading.replace(char, f"\\u{ord(char):04x}")
        lines.extend(["---", f"title: {heading}", "---"])
    lines.append("flowchart LR")
    for group, keys in groups(spec):
        indent = "  "
        if group:
            lines.append(f"  subgraph {group_ids[group]}[{_quoted(group)}]")
            indent = "    "
        lines.extend(f"{indent}{ids[k]}[{_quoted(labels[k])}]" for k in keys)
        if group:
            lines.append("  end")
    for edge in spec.edges:
        arrow = f"-->|{_quoted(edge.label)}|" if edge.label else "-->"
        lines.append(f"  {ids[edge.source]} {arrow} {ids[edge.target]}")
    return lines
