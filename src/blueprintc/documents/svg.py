"""Chart specifications as inline SVG, for the HTML site (drawn with matplotlib).

``render`` returns an ``<svg>`` element ready to be inlined in an HTML page: no XML
declaration, doctype or metadata, ``role="img"`` with a ``<title>``, its natural size in
points and a ``viewBox`` (the stylesheet lets it shrink to the column). Text stays text
(``svg.fonttype: none``): no font is embedded or fetched, the reader's DejaVu Sans or
sans-serif draws it. The title is not drawn (the page's caption shows it) but is the
SVG's accessible name. The bytes depend only on the spec: the hash salt is fixed, the
date and creator are left out, and every ``id`` (with the ``url(#…)`` and ``href="#…"``
references to it) is prefixed with a name derived from the chart's key, so several
charts can share one page without clashing ids.

Figures are made with :class:`matplotlib.figure.Figure` and the SVG backend, never with
pyplot; matplotlib reads some settings from its global ``rcParams``, so drawing is
serialised by a lock. matplotlib is imported on first use (it is slow to import).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import io
import itertools
import math
import re
import textwrap
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import networkx as nx

from blueprintc.documents.charts import Chart, Diagram, Gantt, LineChart
from blueprintc.documents.mermaid import check_edges, groups, sections

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_LOCK = threading.Lock()

WIDTH = 8.0  # inches; the page scales the drawing to its column
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#d9dee4"
CRITICAL = "#c0392b"
TASK = "#2f6fb0"
# Line colours (colour-blind safe, after Okabe & Ito) and pale group fills for diagrams.
LINES = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
# Each line has its own dash pattern and marker too (see ``line_style``).
DASHES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LEGEND_ROW = 0.36  # inches a row of the legend above the plot takes (a name of two lines)
FILLS = ("#dbe9f6", "#fde8c8", "#d4f0e4", "#f3dcea", "#e4e4f7", "#f9dccf", "#eef3c7", "#e6e6e6")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'((?:xlink:)?href)="#([^"]+)"')


def _settings(spec: Chart) -> Any:  # matplotlib types the keys as literals
    return {
        "svg.hashsalt": spec.key,
        "svg.fonttype": "none",
        "svg.id": None,
        "font.family": "sans-serif",  # written as "'DejaVu Sans', sans-serif"
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 9.0,
        "text.parse_math": False,  # a "$" in a label is a dollar, not TeX
        "text.color": INK,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "legend.frameon": False,
        "path.simplify": False,
        "figure.autolayout": False,  # no layout engine once laid out (see ``_draw``)
        "figure.constrained_layout.use": False,
        "date.epoch": "1970-01-01T00:00:00",  # day numbers as in _day_number
    }


@contextlib.contextmanager
def _drawing(spec: Chart) -> Iterator[None]:
    """The lock and settings under which matplotlib draws (its rcParams are global)."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(_settings(spec)), warnings.catch_warnings():
        # Glyphs DejaVu Sans lacks are still written as text; the browser finds a font.
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        with _measured_once():
            yield


_METRICS: dict[tuple[Any, ...], dict[tuple[Any, ...], Any]] = {}
_METRICS_SIZE = 50_000  # text extents kept per set of text settings (~100 bytes each)


@contextlib.contextmanager
def _measured_once() -> Iterator[None]:
    """Each text's extent measured once per process, not once per drawing pass.

    matplotlib keeps the extents it measures (``text._get_text_metrics_with_cache``) for
    one renderer, and measures every label again at each pass of constrained layout and
    of drawing: the same few hundred strings, about a tenth of the drawing time. Here
    they are kept for the process, by renderer class and resolution (what the measurement
    depends on besides the text, its font properties and the figure's resolution, which
    are the key of matplotlib's own cache) and by the font and text settings in force, so
    every number is the one matplotlib's measurement gives. Where matplotlib has no such
    function (another version), nothing changes.
    """
    import matplotlib
    import matplotlib.text as text_module

    measure = getattr(text_module, "_get_text_metrics_with_cache", None)
    if measure is None:
        yield
        return
    settings = tuple(
        (name, repr(value))
        for name, value in sorted(matplotlib.rcParams.items())
        if name.startswith(("font.", "text.", "mathtext."))
    )
    known = _METRICS.setdefault(settings, {})
    if len(known) > _METRICS_SIZE:
        known.clear()

    def measured(renderer: Any, text: str, fontprop: Any, ismath: Any, dpi: float) -> Any:
        key = (type(renderer), getattr(renderer, "dpi", None), text, fontprop, ismath, dpi)
        found = known.get(key)
        if found is None:
            found = measure(renderer, text, fontprop, ismath, dpi)
            known[(*key[:3], fontprop.copy(), ismath, dpi)] = found  # font properties change
        return found

    setattr(text_module, "_get_text_metrics_with_cache", measured)  # noqa: B010
    try:
        yield
    finally:
        setattr(text_module, "_get_text_metrics_with_cache", measure)  # noqa: B010


def _draw(spec: Chart) -> Figure:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    drawn = Figure(layout="constrained")
    FigureCanvasSVG(drawn)  # laid out with the text extents of the renderer it is saved by
    if isinstance(spec, LineChart):
        _line_chart(drawn, spec)
    elif isinstance(spec, Gantt):
        _gantt(drawn, spec)
    elif isinstance(spec, Diagram):
        _diagram(drawn, spec)
    else:  # pragma: no cover - the Chart union is closed
        raise TypeError(f"not a chart specification: {type(spec).__name__}")
    # Lay out once so that the boxes of a diagram are in place when the arrows, drawn
    # beneath them, are clipped to their outlines.
    with _arrows_unclipped(drawn):
        drawn.draw_without_rendering()
    if isinstance(spec, LineChart):
        _separate(drawn, spec)
    # Laid out: saving draws the figure once, as it stands. (With its layout engine,
    # savefig would lay it out and draw it twice more, to the same places within
    # hundredths of a point.)
    drawn.set_layout_engine(None)
    return drawn


@contextlib.contextmanager
def _arrows_unclipped(drawn: Figure) -> Iterator[None]:
    """A diagram's arrows from box centre to box centre, neither clipped to the boxes
    nor shortened, while it is laid out: clipping searches where each arrow leaves its
    boxes (most of a diagram's drawing time), and the parts it cuts off lie inside the
    boxes, which the layout makes room for anyway. The arrows are clipped when the
    diagram is drawn (a test compares every diagram with matplotlib's own layout)."""
    from matplotlib.text import Annotation

    arrows = [
        text.arrow_patch
        for axes in drawn.axes
        for text in axes.texts
        if isinstance(text, Annotation) and text.arrow_patch is not None
    ]
    kept = [(a.patchA, a.patchB, a.shrinkA, a.shrinkB) for a in arrows]
    for arrow in arrows:
        arrow.set_patchA(None)  # type: ignore[arg-type]  # None: no patch, as by default
        arrow.set_patchB(None)  # type: ignore[arg-type]
        arrow.shrinkA = arrow.shrinkB = 0.0
    try:
        yield
    finally:
        for arrow, (patch_a, patch_b, shrink_a, shrink_b) in zip(arrows, kept, strict=True):
            arrow.set_patchA(patch_a)
            arrow.set_patchB(patch_b)
            arrow.shrinkA, arrow.shrinkB = shrink_a, shrink_b


def figure(spec: Chart) -> Figure:
    """The matplotlib figure of one chart, laid out (what ``render`` saves)."""
    with _drawing(spec):
        return _draw(spec)


def render(spec: Chart, prefix: str | None = None) -> str:
    """The SVG of one chart; its ids start with ``prefix`` (default: from the key)."""
    return inline(draw(spec), spec, prefix)


def draw(spec: Chart) -> str:
    """matplotlib's SVG document of one chart, as it saves it (``inline`` makes it the
    element a page holds). A pure function of the spec: worker processes call it."""
    buffer = io.StringIO()
    with _drawing(spec):
        _draw(spec).savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return buffer.getvalue()


def inline(document: str, spec: Chart, prefix: str | None = None) -> str:
    """A chart's SVG document (``draw``) as an inline element whose ids start with
    ``prefix`` (default: from the key), titled with the chart's title."""
    if prefix is None:
        prefix = id_prefix(spec.key)
    return _inline(document, prefix, spec.title or spec.key)


def standalone(document: str, spec: Chart) -> str:
    """A chart's SVG document (``draw``) as a file of its own (the Markdown's image of a
    line chart), titled with the chart's title."""
    return '<?xml version="1.0" encoding="utf-8"?>\n' + inline(document, spec, "")


def id_prefix(key: str) -> str:
    """``chart-<key as a slug>-<6 hex of its hash>-``: valid in HTML, unique per key."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-").lower()[:40] or "chart"
    digest = hashlib.sha256(key.encode()).hexdigest()[:6]
    return f"chart-{slug}-{digest}-"


def clean(text: str) -> str:
    """Text without control characters (XML 1.0 cannot hold them)."""
    return _CONTROL.sub(" ", text)


def _wrap(text: str, width: int, lines: int = 3) -> str:
    text = " ".join(clean(text).split())
    return textwrap.fill(text, width, max_lines=lines, placeholder=" …") if text else ""


def _inline(svg: str, prefix: str, title: str) -> str:
    """matplotlib's SVG document as an inline element with namespaced ids."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"[ \t]+\n", "\n", svg)  # path data ends its lines with a space
    svg = _ID.sub(lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = _URL_REF.sub(lambda m: f"url(#{prefix}{m[1]})", svg)
    svg = _HREF_REF.sub(lambda m: f'{m[1]}="#{prefix}{m[2]}"', svg)
    # matplotlib's stylesheet would apply to the whole page: scope it to this chart.
    svg = svg.replace('<style type="text/css">*{', f'<style type="text/css">#{prefix}svg *{{')
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    title_id = f"{prefix}title"
    head = head[:-1] + (
        f' id="{prefix}svg" class="chart" role="img" aria-labelledby="{title_id}">'
        f'\n <title id="{title_id}">{html.escape(clean(title))}</title>'
    )
    return head + svg[head_end:].rstrip() + "\n"


def _empty(axes: Axes, message: str) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, transform=axes.transAxes)


# -- line chart ---------------------------------------------------------------------------

MAX_TICKS = 12
"""The most labelled ticks on an axis of a line chart."""
LABEL_FONT = 9.0  # points, the tick labels' size (``font.size``)
DIGIT = 0.64  # a digit's width in DejaVu Sans, in ems (the widest of its characters here)
PLOT_WIDTH = WIDTH * 72 - 100  # points of the x axis, less the y axis's labels and margins
PLOT_HEIGHT = 2.9  # inches of the lines' panel
DELTA_HEIGHT = 1.3  # inches of the deltas' panel below it
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120, 240)  # months between labelled ticks
CLOCK_STEPS = (15, 30, 60, 120, 180, 240, 360, 720)  # minutes between labelled ticks
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})")


def line_style(index: int) -> dict[str, Any]:
    """How the ``index``-th line is drawn: its colour, dashes and marker.

    Eight colours, eight markers and four dash patterns, so that two lines differ by more
    than colour (in print, for a reader who does not see it): the first eight lines
    differ in all three; the next rounds repeat colour and marker but shift the dashes,
    so any two of the first 32 lines differ in their dashes at least."""
    return {
        "color": LINES[index % len(LINES)],
        "linestyle": DASHES[(index + index // len(LINES)) % len(DASHES)],
        "marker": MARKERS[index % len(MARKERS)],
    }


def tick_positions(labels: tuple[str, ...], most: int = MAX_TICKS) -> list[int]:
    """The x positions to label, at most ``most`` of them, at round places.

    Months (``YYYY-MM``) are labelled every 1, 2, 3 (quarters), 6, 12 (years), ... months
    and times of day (``HH:MM``) every 15, 30, 60, ... minutes: the smallest step that
    gives at most ``most`` labels, each on a month or time that is a multiple of the
    step (January, April, July, October for quarters). Other labels: every n-th from
    the first."""
    count = len(labels)
    places: list[int] | None = None
    steps: tuple[int, ...] = ()
    if count and all(_MONTH.fullmatch(x) for x in labels):
        places = [int(x[:4]) * 12 + int(x[5:7]) - 1 for x in labels]
        steps = MONTH_STEPS
    elif count and all(_CLOCK.fullmatch(x) for x in labels):
        places = [int(x[:2]) * 60 + int(x[3:5]) for x in labels]
        steps = CLOCK_STEPS
    if places is not None:
        for step in steps:
            ticks = [i for i, place in enumerate(places) if place % step == 0]
            if 2 <= len(ticks) <= most or (ticks and step == steps[-1]):
                return ticks
            if not ticks:
                break
    step = max(1, math.ceil(count / max(most, 1)))
    return list(range(0, count, step))


def _most_ticks(labels: list[str]) -> int:
    """How many labels as long as the longest fit side by side on the x axis, each with
    a space of an em to the next (at most `MAX_TICKS`)."""
    longest = max((len(x) for x in labels), default=1)
    width = (longest * DIGIT + 1.0) * LABEL_FONT
    return max(2, min(MAX_TICKS, int(PLOT_WIDTH // width)))


def _line_chart(figure: Figure, spec: LineChart) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    count = len(spec.x)
    series = [s for s in spec.series if s.values]
    deltas = [d for d in spec.deltas if d.values] if series else []
    for s in (*series, *deltas):
        if len(s.values) != count:
            raise ValueError(
                f"chart {spec.key!r}: series {s.name!r} has {len(s.values)} values "
                f"for {count} x positions"
            )
        if not all(math.isfinite(v) for v in s.values):
            raise ValueError(f"chart {spec.key!r}: series {s.name!r} has a non-finite value")
    names = [_wrap(s.name, 28, 2) for s in series]
    longest = max((len(line) for name in names for line in name.split("\n")), default=0)
    columns = min(len(series), 4 if longest <= 16 else 3 if longest <= 24 else 2) or 1
    rows = math.ceil(len(series) / columns)
    height = 0.9 + PLOT_HEIGHT + LEGEND_ROW * rows + (DELTA_HEIGHT if deltas else 0.0)
    figure.set_size_inches(WIDTH, height)
    if not count or not series:
        _empty(figure.add_subplot(), "No data")
        return
    if deltas:
        axes, below = figure.subplots(
            2, 1, sharex=True, gridspec_kw={"height_ratios": [PLOT_HEIGHT, DELTA_HEIGHT]}
        )
    else:
        axes, below = figure.add_subplot(), None
    positions = range(count)
    every = max(1, math.ceil(count / MAX_TICKS))  # markers: about a dozen a line
    # Each line's markers start a little further on, so that lines drawn over each other
    # still show each one's markers.
    offsets = [index * every // len(series) for index in range(len(series))]
    for index, (s, name) in enumerate(zip(series, names, strict=True)):
        axes.plot(
            positions,
            s.values,
            label=name,
            linewidth=1.8,
            markersize=4.5,
            markevery=(offsets[index], every),
            **line_style(index),
        )
    ticks = tick_positions(spec.x, _most_ticks([spec.x[i] for i in range(count)]))
    bottom = below if below is not None else axes
    bottom.set_xticks(ticks, [_wrap(spec.x[i], 12, 1) for i in ticks])
    axes.set_xlim(-0.5, count - 0.5)
    values = [v for s in series for v in s.values]
    if min(values) >= 0:
        axes.set_ylim(bottom=0, top=max(values) * 1.08 or 1)
    large = max(abs(v) for v in values) >= 100
    if large:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    for panel in (axes, below):
        if panel is not None:
            panel.yaxis.set_major_locator(MaxNLocator(nbins=8 if panel is axes else 4))
            panel.grid(axis="y", color=GRID, linewidth=0.8)
            panel.set_axisbelow(True)
    bottom.set_xlabel(_wrap(spec.x_label, 80, 1))
    axes.set_ylabel(_wrap(spec.y_label, 40, 2))
    if below is not None:
        shown = large or max(abs(v) for d in deltas for v in d.values) >= 100
        signed = FuncFormatter(
            lambda v, _: (
                (f"{v:+,.0f}" if shown else f"{v:+,.2f}").replace("-", "\u2212") if v else "0"
            )
        )
        for index, d in enumerate(deltas, start=1):  # each in its series' style
            below.plot(
                positions,
                d.values,
                label=_wrap(d.name, 40, 2),
                linewidth=1.8,
                markersize=4.5,
                markevery=(offsets[index % len(offsets)], every),
                **line_style(index),
            )
            # The difference at the end, written beside the last point.
            below.annotate(
                signed(d.values[-1]),
                (count - 1, d.values[-1]),
                xytext=(-4, 5),
                textcoords="offset points",
                ha="right",
                fontsize=8,
            )
        below.axhline(0, color=MUTED, linewidth=0.8)
        below.set_ylabel(_wrap(spec.delta_label, 24, 3))
        below.yaxis.set_major_formatter(signed)
    handles, _ = axes.get_legend_handles_labels()
    figure.legend(
        handles=handles, loc="outside upper center", ncols=columns, fontsize=8, handlelength=3.2
    )


def _separate(figure: Figure, spec: LineChart) -> None:
    """In a laid-out line chart, every other x label dropped until none overlaps the next
    (the estimate of `_most_ticks` holds for the labels the charts draw; this catches
    the rest, at the cost of laying the chart out again)."""
    if not figure.axes or not spec.x:
        return
    axes = figure.axes[-1]
    ticks = [round(t) for t in axes.get_xticks()]
    while len(ticks) > 2 and overlapping(axes):
        ticks = ticks[::2]
        axes.set_xticks(ticks, [_wrap(spec.x[i], 12, 1) for i in ticks])
        figure.draw_without_rendering()


def overlapping(axes: Axes) -> bool:
    """Whether two of the laid-out x tick labels of ``axes`` overlap (or touch)."""
    boxes = sorted(
        (t.get_window_extent() for t in axes.get_xticklabels() if t.get_text()),
        key=lambda box: box.x0,
    )
    return any(a.x1 >= b.x0 for a, b in itertools.pairwise(boxes))


# -- Gantt --------------------------------------------------------------------------------


def _day_number(text: str) -> float:
    """A ``YYYY-MM-DD`` date as matplotlib's date number (days since the epoch)."""
    return float((dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days)


def _gantt(figure: Figure, spec: Gantt) -> None:
    from matplotlib import dates
    from matplotlib.patches import Patch

    rows: list[tuple[str, Any]] = []  # (label, task or None for a section heading)
    for section, tasks in sections(spec):
        if section:
            rows.append((_wrap(section, 40, 1), None))
        rows.extend((_wrap(task.label or task.key, 40, 2), task) for task in tasks)
    figure.set_size_inches(WIDTH, 1.3 + 0.3 * max(len(rows), 2))
    axes = figure.add_subplot()
    if not rows:
        _empty(axes, "No tasks")
        return
    for y, (_, task) in enumerate(rows):
        if task is None:
            continue
        start, end = _day_number(task.start), _day_number(task.end)
        colour = CRITICAL if task.critical else TASK
        if end > start:
            axes.barh(y, end - start, left=start, height=0.62, color=colour)
        else:
            axes.plot([start], [y], marker="D", markersize=7, color=colour)
    axes.set_yticks(range(len(rows)), [label for label, _ in rows])
    for tick, (_, task) in zip(axes.get_yticklabels(), rows, strict=True):
        if task is None:
            tick.set_fontweight("bold")
    axes.set_ylim(len(rows) - 0.4, -0.6)
    axes.tick_params(axis="y", length=0)
    axes.xaxis_date()
    locator = dates.AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    if any(task is not None and task.critical for _, task in rows):
        handles = [Patch(color=CRITICAL, label="Critical path"), Patch(color=TASK, label="Other")]
        figure.legend(handles=handles, loc="outside lower left", ncols=2, fontsize=8)


# -- diagram ------------------------------------------------------------------------------


def layers(spec: Diagram) -> list[list[str]]:
    """Node keys by column, left to right, top to bottom.

    Columns are the topological generations of the graph (of its strongly connected
    components when it has cycles). Within a column nodes start in declaration order and
    are then sorted by the mean height of their neighbours in the other columns, sweeping
    right then left a few times (the barycentre heuristic), to uncross the edges.
    """
    check_edges(spec)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(n.key for n in spec.nodes)
    graph.add_edges_from((e.source, e.target) for e in spec.edges if e.source != e.target)
    condensed = nx.condensation(graph)
    column: dict[str, int] = {}
    for depth, generation in enumerate(nx.topological_generations(condensed)):
        for component in generation:
            for key in condensed.nodes[component]["members"]:
                column[key] = depth
    found: list[list[str]] = [[] for _ in range(max(column.values(), default=-1) + 1)]
    for node in spec.nodes:
        found[column[node.key]].append(node.key)
    undirected = graph.to_undirected(as_view=True)

    def height(key: str) -> float:
        keys = found[column[key]]
        return (len(keys) - 1) / 2 - keys.index(key)

    for sweep in range(4):
        order = range(1, len(found)) if sweep % 2 == 0 else range(len(found) - 2, -1, -1)
        for index in order:
            centre: dict[str, float] = {}
            for key in found[index]:
                others = [
                    height(n)
                    for n in undirected[key]
                    if (column[n] < index if sweep % 2 == 0 else column[n] > index)
                ]
                centre[key] = sum(others) / len(others) if others else height(key)
            found[index] = sorted(found[index], key=lambda k: -centre[k])
    return found


def _diagram(figure: Figure, spec: Diagram) -> None:
    from matplotlib.patches import Patch

    columns = layers(spec)
    tallest = max((len(c) for c in columns), default=0)
    figure.set_size_inches(min(max(4.0, 2.3 * len(columns)), 16.0), 1.0 + 0.8 * max(tallest, 1))
    axes = figure.add_subplot()
    axes.set_axis_off()
    if not columns:
        _empty(axes, "No elements")
        return
    fills = {g: FILLS[i % len(FILLS)] for i, (g, _) in enumerate(groups(spec))}
    nodes = {n.key: n for n in spec.nodes}
    position: dict[str, tuple[float, float]] = {}
    for x, keys in enumerate(columns):
        for row, key in enumerate(keys):
            position[key] = (float(x), (len(keys) - 1) / 2 - row)
    boxes = {}
    for key, (left, top) in position.items():
        node = nodes[key]
        boxes[key] = axes.text(
            left,
            top,
            _wrap(node.label or key, 22, 3),
            ha="center",
            va="center",
            fontsize=8,
            zorder=4,
            bbox={
                "boxstyle": "round,pad=0.45",
                "facecolor": fills[node.group],
                "edgecolor": MUTED,
                "linewidth": 0.8,
            },
        )
    outlines = {key: _Outline(box.get_bbox_patch()) for key, box in boxes.items()}
    for edge in spec.edges:
        (x0, y0), (x1, y1) = position[edge.source], position[edge.target]
        backwards = x1 <= x0
        axes.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            zorder=2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": MUTED,
                "linewidth": 0.9,
                "shrinkA": 1,
                "shrinkB": 1,
                "patchA": outlines[edge.source],
                "patchB": outlines[edge.target],
                "connectionstyle": f"arc3,rad={0.35 if backwards else 0.0}",
            },
        )
        if edge.label:
            axes.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2 + (0.25 if backwards else 0.0),
                _wrap(edge.label, 18, 2),
                ha="center",
                va="center",
                fontsize=7,
                color=MUTED,
                zorder=3,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            )
    axes.set_xlim(-0.6, len(columns) - 0.4)
    half = max(tallest, 1) / 2
    axes.set_ylim(-half, half)
    named = [g for g in fills if g]
    if named:
        handles = [Patch(facecolor=fills[g], edgecolor=MUTED, label=_wrap(g, 30, 1)) for g in named]
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)


class _Outline:
    """A box of a diagram as the arrows that meet it are clipped to it: ``contains`` is
    ``Patch.contains`` of the box (matplotlib clips an arrow to ``patchA``/``patchB`` by
    asking that alone), with the outline's path and its pieces made once per position of
    the box instead of at every step of the search for where the arrow crosses it (most
    of a large diagram's drawing time). The same path, transform and radius go to the
    same ``Path.contains_point``, so every answer is matplotlib's.
    """

    def __init__(self, patch: Any) -> None:
        self._patch = patch
        self._state: tuple[Any, ...] | None = None
        self._pieces: list[Any] = []
        self._transform: Any = None
        self._radius = 0.0

    def contains(self, event: Any, radius: float | None = None) -> tuple[bool, dict[str, Any]]:
        from matplotlib.path import Path

        patch = self._patch
        if not hasattr(patch, "_process_radius"):  # another matplotlib: its own answer
            return patch.contains(event, radius)  # type: ignore[no-any-return]
        transform = patch.get_transform()
        state = (
            patch.get_x(),
            patch.get_y(),
            patch.get_width(),
            patch.get_height(),
            patch.get_mutation_scale(),
            patch.get_mutation_aspect(),
            patch.get_boxstyle(),
            transform.frozen().get_matrix().tobytes(),
            radius,
        )
        if state != self._state:
            path = patch.get_path()
            if path.codes is not None:  # one piece per MOVETO, as Patch.contains splits it
                starts = (path.codes == Path.MOVETO).nonzero()[0][1:]
                self._pieces = [
                    Path(vertices, codes)
                    for vertices, codes in zip(
                        _split(path.vertices, starts), _split(path.codes, starts), strict=True
                    )
                ]
            else:
                self._pieces = [path]
            self._transform = transform
            self._radius = patch._process_radius(radius)
            self._state = state
        point = (event.x, event.y)
        inside = any(p.contains_point(point, self._transform, self._radius) for p in self._pieces)
        return inside, {}


def _split(array: Any, starts: Any) -> list[Any]:
    import numpy as np

    return list(np.split(array, starts))
