"""Charts drawn twice: Mermaid text for Markdown and SVG for HTML.

Mermaid is checked against hand-written text and, when Node and the npm packages are
there (see tests/graph/test_graph_formats.py for the install command), by Mermaid's own
parser, which must read back every label, value, date and edge. The SVG is checked as
XML, for determinism and id hygiene, and through the matplotlib figure it saves.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from blueprintc.documents import mermaid, svg
from blueprintc.documents.build import charts_in
from blueprintc.documents.catalog import DOCUMENTS
from blueprintc.documents.charts import (
    Chart,
    Diagram,
    Edge,
    Gantt,
    LineChart,
    Node,
    Series,
    Task,
    image_path,
)
from blueprintc.documents.context import Context
from blueprintc.documents.environment import target_globals
from tests.graph.test_graph_formats import MERMAID_INSTALL, mermaid_dir

HOSTILE = 'say "hi" <script>alert(1)</script> | %% x; #1 & café — 日本 [a] {b} style:a&b $x$'
SVG_NS = "{http://www.w3.org/2000/svg}"

LINE = LineChart(
    "fte",
    "FTE by month",
    "Month",
    "FTE",
    ("2027-01", "2027-02", "2027-03"),
    (Series("Required", (10.0, 12.346, 0.004)), Series("Scheduled", (11.5, 1300.0, -0.001))),
)
GANTT = Gantt(
    "plan",
    "Plan",
    (
        Task("a", "Build ACD", "Phase 1", "2027-01-01", "2027-03-01", critical=True),
        Task("b", "Pilot", "Phase 2", "2027-03-01", "2027-04-15"),
        Task("c", "Kick-off", "Phase 1", "2027-01-01", "2027-01-01"),
    ),
)
DIAGRAM = Diagram(
    "deps",
    "Dependencies",
    (Node("acd", "ACD", "cloud"), Node("ivr", "IVR", "cloud"), Node("crm", "CRM")),
    (Edge("ivr", "acd", "requires"), Edge("crm", "acd")),
)
HOSTILE_CHARTS: tuple[Chart, ...] = (
    LineChart(
        "h-line", HOSTILE, HOSTILE, HOSTILE, (HOSTILE, "2027-02"), (Series(HOSTILE, (1, 2)),)
    ),
    Gantt(
        "h-gantt",
        HOSTILE,
        (
            Task("a", HOSTILE, HOSTILE, "2027-01-01", "2027-02-01", critical=True),
            Task("b", "click here", "", "2027-01-01", "2027-02-01"),
            Task("c", "2027 launch: phase 1", "section", "2027-02-01", "2027-03-01"),
        ),
    ),
    Diagram(
        "h-diagram",
        HOSTILE,
        (Node("a", HOSTILE, HOSTILE), Node("end", "end"), Node("a b", "subgraph", "end")),
        (Edge("a", "end", HOSTILE), Edge("end", "a b")),
    ),
)
EMPTY_CHARTS: tuple[Chart, ...] = (
    LineChart("e-line", "Nothing", "x", "y", (), ()),
    LineChart("e-series", "No series", "x", "y", ("2027-01",), ()),
    Gantt("e-gantt", "No tasks", ()),
    Diagram("e-diagram", "", (), ()),
)


def _mermaid(charts: tuple[Chart, ...]) -> tuple[Gantt | Diagram, ...]:
    """The charts the Markdown writes in Mermaid (all but the line charts)."""
    return tuple(c for c in charts if isinstance(c, Gantt | Diagram))


# -- Mermaid text -------------------------------------------------------------------------


def test_a_line_chart_is_not_written_in_mermaid_but_shown_as_its_drawing() -> None:
    """Mermaid's line chart has no legend: the Markdown shows the SVG drawing, written
    beside the documents, with the title as its text and caption."""
    with pytest.raises(TypeError, match="not a Gantt chart or diagram"):
        mermaid.render(LINE)  # type: ignore[arg-type]
    assert target_globals("md")["chart"](LINE) == (
        "![FTE by month](charts/fte.svg)\n\n*FTE by month*"
    )
    hostile = target_globals("md")["chart"](HOSTILE_CHARTS[0])
    assert hostile.startswith('![say "hi" \\<script\\>') and "](charts/h-line.svg)" in hostile
    assert image_path("a b/../c.d") == "charts/a-b-c-d.svg"
    assert image_path("...") == "charts/chart.svg"


def test_mermaid_gantt_groups_tasks_by_section_with_ids_and_critical_flags() -> None:
    assert mermaid.render(GANTT) == (
        "gantt\n"
        "  title Plan\n"
        "  dateFormat YYYY-MM-DD\n"
        "  axisFormat %Y-%m\n"
        "  todayMarker off\n"
        "  section Phase 1\n"
        "    Build ACD:crit, t_a, 2027-01-01, 2027-03-01\n"
        "    Kick-off:t_c, 2027-01-01, 2027-01-01\n"
        "  section Phase 2\n"
        "    Pilot:t_b, 2027-03-01, 2027-04-15\n"
    )


def test_mermaid_flowchart_with_groups_as_subgraphs() -> None:
    assert mermaid.render(DIAGRAM) == (
        "---\n"
        'title: "Dependencies"\n'
        "---\n"
        "flowchart LR\n"
        '  n_crm["CRM"]\n'
        '  subgraph g_cloud["cloud"]\n'
        '    n_acd["ACD"]\n'
        '    n_ivr["IVR"]\n'
        "  end\n"
        '  n_ivr -->|"requires"| n_acd\n'
        "  n_crm --> n_acd\n"
    )


def test_mermaid_rejects_bad_specs() -> None:
    with pytest.raises(ValueError, match="ends before"):
        mermaid.render(Gantt("g", "t", (Task("a", "a", "", "2027-02-01", "2027-01-01"),)))
    with pytest.raises(ValueError, match="unknown node"):
        mermaid.render(Diagram("d", "t", (Node("a", "a"),), (Edge("a", "b"),)))


_ENTITY = re.compile(r"#(\w+);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def _decode(text: str) -> str:
    return _ENTITY.sub(lambda m: _NAMED.get(m[1]) or chr(int(m[1])), text)


_SAFE_LABEL = re.compile(r"(?:[A-Za-z0-9 _.,+*/=\-]|#\w+;)*")


def _labels(text: str) -> list[str]:
    """The label parts of Mermaid text: quoted strings, Gantt titles, sections and tasks."""
    found = re.findall(r'"((?:[^"\\]|\\.)*)"', text.split("---\n")[-1])
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("title ", "section ")):
            found.append(stripped.split(" ", 1)[1].strip('"'))
        elif line.startswith("    ") and ":" in stripped and '"' not in stripped:
            found.append(stripped.split(":", 1)[0])
    return found


@pytest.mark.parametrize("spec", _mermaid(HOSTILE_CHARTS), ids=lambda s: s.key)
def test_mermaid_hostile_labels_are_entity_coded(spec: Gantt | Diagram) -> None:
    text = mermaid.render(spec)
    labels = _labels(text)
    assert labels
    for label in labels:
        assert _SAFE_LABEL.fullmatch(label), label  # nothing Mermaid could read as syntax
    decoded = {_decode(label) for label in labels}
    assert HOSTILE in decoded
    assert "<script" not in text and "%%" not in text.split("\n", 2)[-1]
    if isinstance(spec, Diagram):  # the title is YAML front matter: a JSON string
        assert json.loads(text.splitlines()[1].removeprefix("title: ")) == mermaid.title(HOSTILE)
        assert "<" not in text and ">" not in text.replace("-->", "")


# -- Mermaid's own parser -----------------------------------------------------------------

SUMMARY_SCRIPT = r"""
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(join(process.argv[2], "package.json"));
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve("mermaid")).href);
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
const textarea = document.createElement("textarea");
function shown(label) {  // Mermaid's entity placeholders, then the HTML entities
  textarea.innerHTML = String(label ?? "")
    .replace(/\uFB02\u00B0\u00B0/g, "&#").replace(/\uFB02\u00B0/g, "&")
    .replace(/\u00B6\u00DF/g, ";");
  return textarea.value;
}
const day = (d) => d.toISOString().slice(0, 10);
const results = [];
for (const text of JSON.parse(readFileSync(0, "utf8"))) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const s = { ok: true, type: diagram.type };
    if (diagram.type === "gantt") {
      s.title = shown(db.getDiagramTitle());
      s.tasks = db.getTasks().map((t) => ({ id: t.id, text: shown(t.task),
        section: shown(t.section), start: day(t.startTime), end: day(t.endTime),
        crit: Boolean(t.crit) }));
    } else if (diagram.type === "xychart") {
      const data = db.getXYChartData();
      s.title = shown(db.getDiagramTitle());
      s.x_title = shown(data.xAxis.title);
      s.x = (data.xAxis.categories ?? []).map(shown);
      s.y_title = shown(data.yAxis.title);
      s.lines = data.plots.filter((p) => p.type === "line").map((p) => p.data.map((d) => d[1]));
    } else {
      s.vertices = [...db.getVertices().values()].map((v) => ({ id: v.id, text: shown(v.text) }));
      s.edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: shown(e.text) }));
      s.subgraphs = db.getSubGraphs().map((g) => ({ title: shown(g.title), nodes: g.nodes }));
    }
    results.push(s);
  } catch (error) {
    results.push({ ok: false, error: String(error.message ?? error) });
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
"""


@pytest.fixture(scope="module")
def parse_mermaid(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Parse Mermaid texts with Mermaid itself; a summary of what it understood for each."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Mermaid parser check needs Node.js (`node` is not on PATH)")
    folder = mermaid_dir()
    if folder is None:
        pytest.skip(
            f"Mermaid parser check needs the npm packages: run `{MERMAID_INSTALL}` or set "
            "BLUEPRINTC_MERMAID_DIR to a folder with node_modules/mermaid and node_modules/jsdom"
        )
    script = tmp_path_factory.mktemp("mermaid") / "summary.mjs"
    script.write_text(SUMMARY_SCRIPT, encoding="utf-8")

    def parse(texts: list[str]) -> list[dict[str, Any]]:
        result = subprocess.run(
            [node, str(script), str(folder)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            timeout=120,
            env={"TZ": "UTC", "PATH": str(Path(node).parent)},
        )
        assert result.returncode == 0, result.stderr
        summaries: list[dict[str, Any]] = json.loads(result.stdout)
        return summaries

    return parse


def test_mermaid_parser_reads_back_every_label_and_value(parse_mermaid: Any) -> None:
    gantt, diagram, *hostile = parse_mermaid(
        [mermaid.render(c) for c in (GANTT, DIAGRAM, *_mermaid(HOSTILE_CHARTS))]
    )
    assert gantt["title"] == "Plan"
    assert [
        (t["id"], t["text"], t["section"], t["start"], t["end"], t["crit"]) for t in gantt["tasks"]
    ] == [
        ("t_a", "Build ACD", "Phase 1", "2027-01-01", "2027-03-01", True),
        ("t_c", "Kick-off", "Phase 1", "2027-01-01", "2027-01-01", False),
        ("t_b", "Pilot", "Phase 2", "2027-03-01", "2027-04-15", False),
    ]
    assert diagram["edges"] == [
        {"start": "n_ivr", "end": "n_acd", "text": "requires"},
        {"start": "n_crm", "end": "n_acd", "text": ""},
    ]
    assert diagram["subgraphs"] == [{"title": "cloud", "nodes": ["n_acd", "n_ivr"]}]
    h_gantt, h_diagram = hostile
    assert h_gantt["title"] == mermaid.title(HOSTILE)
    assert [(t["text"], t["section"], t["crit"]) for t in h_gantt["tasks"]] == [
        ("click here", "", False),
        (HOSTILE, HOSTILE, True),
        ("2027 launch: phase 1", "section", False),
    ]
    assert {v["text"] for v in h_diagram["vertices"]} == {HOSTILE, "end", "subgraph"}
    assert h_diagram["edges"][0]["text"] == HOSTILE
    assert [s["title"] for s in h_diagram["subgraphs"]] == [HOSTILE, "end"]


def test_mermaid_parser_accepts_empty_charts(parse_mermaid: Any) -> None:
    results = parse_mermaid([mermaid.render(c) for c in _mermaid(EMPTY_CHARTS)])
    assert all(r["ok"] for r in results), results


def test_mermaid_parser_accepts_every_chart_of_the_example(
    example_context: Context, parse_mermaid: Any
) -> None:
    charts = [
        c
        for d in DOCUMENTS
        for c in charts_in(d.build(example_context))
        if isinstance(c, Gantt | Diagram)
    ]
    assert charts, "the example draws no Gantt chart or diagram"
    results = parse_mermaid([mermaid.render(c) for c in charts])
    failed = [(c.key, r) for c, r in zip(charts, results, strict=True) if not r["ok"]]
    assert not failed


def test_mermaid_parser_check_is_not_vacuous(parse_mermaid: Any) -> None:
    broken = parse_mermaid(
        ['xychart-beta\n  x-axis "a"b" [1]\n', "gantt\n  click me:t, 2027-01-01\n"]
    )
    assert [r["ok"] for r in broken] == [False, False]


# -- SVG ------------------------------------------------------------------------------------


def _xml(text: str) -> ET.Element:
    return ET.fromstring(text)


@pytest.mark.parametrize(
    "spec", (LINE, GANTT, DIAGRAM, *HOSTILE_CHARTS, *EMPTY_CHARTS), ids=lambda s: s.key
)
def test_svg_is_an_inline_accessible_deterministic_element(spec: Chart) -> None:
    text = svg.render(spec)
    assert text.startswith("<svg ") and text.endswith("</svg>\n")
    assert "<?xml" not in text and "<!DOCTYPE" not in text and "<metadata" not in text
    assert "dc:date" not in text and "Created with" not in text and "Matplotlib v" not in text
    root = _xml(text)
    assert root.get("role") == "img" and root.get("viewBox")
    title = root.find(f"{SVG_NS}title")
    assert title is not None and title.text == (spec.title or spec.key)
    assert root.get("aria-labelledby") == title.get("id")
    assert "<script" not in text
    assert text == svg.render(spec), "two renders differ"


def _ids_and_references(text: str) -> tuple[list[str], set[str]]:
    ids = re.findall(r'\bid="([^"]+)"', text)
    refs = set(re.findall(r"url\(#([^)]+)\)", text)) | set(re.findall(r'href="#([^"]+)"', text))
    return ids, refs


def test_svg_ids_are_namespaced_by_chart_and_references_resolve() -> None:
    first, second = svg.render(LINE), svg.render(GANTT)
    ids_1, refs_1 = _ids_and_references(first)
    ids_2, refs_2 = _ids_and_references(second)
    assert len(ids_1) == len(set(ids_1)) and refs_1 <= set(ids_1) and refs_1
    assert refs_2 <= set(ids_2)
    assert not set(ids_1) & set(ids_2)
    assert all(i.startswith(svg.id_prefix("fte")) for i in ids_1)
    # matplotlib's stylesheet applies to this chart only
    assert f"#{svg.id_prefix('fte')}svg *{{" in first
    # the same chart under another prefix (shown twice on a page) shares no id either
    ids_3, _ = _ids_and_references(svg.render(LINE, "again-"))
    assert not set(ids_1) & set(ids_3) and all(i.startswith("again-") for i in ids_3)


def _texts(text: str) -> list[str]:
    return ["".join(t.itertext()) for t in _xml(text).iter(f"{SVG_NS}text")]


def test_svg_keeps_hostile_text_as_escaped_text() -> None:
    for spec in HOSTILE_CHARTS:
        text = svg.render(spec)
        assert "<script>" not in text and "&lt;script&gt;" in text
        shown = " ".join(_texts(text))
        assert "<script>alert(1)</script>" in re.sub(r"\s", "", shown)  # as text, not markup
    money = Diagram("money", "", (Node("a", "$x$ costs $5"),), ())
    assert "$x$ costs $5" in _texts(svg.render(money))  # a dollar sign is not TeX


def _legend(figure: Any) -> list[str]:
    """The names in the line chart's legend (above the plot, the figure's)."""
    (legend,) = figure.legends
    return [t.get_text() for t in legend.get_texts()]


def test_svg_line_chart_draws_each_series_with_a_legend() -> None:
    figure = svg.figure(LINE)
    (axes,) = figure.axes
    lines = {line.get_label(): list(line.get_ydata()) for line in axes.get_lines()}  # type: ignore[arg-type]
    assert lines == {"Required": [10.0, 12.346, 0.004], "Scheduled": [11.5, 1300.0, -0.001]}
    assert _legend(figure) == ["Required", "Scheduled"]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2027-01", "2027-02", "2027-03"]
    assert axes.get_xlabel() == "Month" and axes.get_ylabel() == "FTE"
    texts = _texts(svg.render(LINE))
    assert "Required" in texts and "Scheduled" in texts and "2027-02" in texts


def test_lines_differ_in_dashes_and_markers_not_only_in_colour() -> None:
    styles = [svg.line_style(i) for i in range(32)]
    first = styles[:8]
    assert len({s["color"] for s in first}) == len({s["marker"] for s in first}) == 8
    assert [s["linestyle"] for s in first[:4]] == ["-", "--", ":", "-."]
    # Any two of 32 lines differ in dashes or colour, and any two sharing a colour in dashes.
    assert len({(s["color"], s["linestyle"]) for s in styles}) == 32
    figure = svg.figure(LINE)
    drawn = [
        (ln.get_color(), ln.get_linestyle(), ln.get_marker()) for ln in figure.axes[0].get_lines()
    ]
    assert drawn == [("#0072b2", "-", "o"), ("#e69f00", "--", "s")]
    legend_lines = figure.legends[0].get_lines()
    assert [(ln.get_linestyle(), ln.get_marker()) for ln in legend_lines] == [
        ("-", "o"),
        ("--", "s"),
    ]


def test_a_line_chart_of_many_series_keeps_its_plot_and_the_legend_above() -> None:
    """Forty series of long names (a generated blueprint's contacts per channel): the
    legend above the plot is in columns, the figure grows to hold it, and beyond eight
    series each round of colours has other dashes; matplotlib warns of nothing."""
    months = tuple(f"2027-{m:02d}" for m in range(1, 13))
    spec = LineChart(
        "many",
        "t",
        "Month",
        "Contacts",
        months,
        tuple(
            Series(
                f"a rather long process name on channel {i}", tuple(float(i + j) for j in range(12))
            )
            for i in range(40)
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = svg.figure(spec)
        text = svg.render(spec)
    (axes,) = figure.axes
    assert axes.get_legend() is None and len(_legend(figure)) == 40
    few = svg.figure(LINE)
    assert figure.get_figheight() > few.get_figheight()
    assert axes.get_position().height > 0.2
    styles = [line.get_linestyle() for line in axes.get_lines()]
    assert styles[:8] == ["-", "--", ":", "-."] * 2 and styles[8:12] == ["--", ":", "-.", "-"]
    assert "channel 39" in " ".join(_texts(text))


def _month_labels(count: int, start: int = 2027 * 12) -> tuple[str, ...]:
    return tuple(f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(count))


def _clock_labels(minutes: int, first: int = 0, last: int = 24 * 60) -> tuple[str, ...]:
    return tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(first, last, minutes))


@pytest.mark.parametrize(
    ("labels", "most", "expected"),
    [
        # 3 months: each; 36 months, room for 9: every 6 months (January, July).
        (_month_labels(3), 12, ["2027-01", "2027-02", "2027-03"]),
        (_month_labels(36), 9, ["2027-01", "2027-07", "2028-01", "2028-07", "2029-01", "2029-07"]),
        # 36 months, room for 12: quarters (January, April, July, October), 12 of them.
        (
            _month_labels(36),
            12,
            [f"{y}-{m:02d}" for y in (2027, 2028, 2029) for m in (1, 4, 7, 10)],
        ),
        # 10 years from 2027-04: each January, 2028 to 2037 (10); with room for 9 only,
        # every other January (month numbers divisible by 24: the even years).
        (_month_labels(120, 2027 * 12 + 3), 12, [f"{y}-01" for y in range(2028, 2038)]),
        (_month_labels(120, 2027 * 12 + 3), 9, [f"{y}-01" for y in range(2028, 2037, 2)]),
        # 25 years from 2027-01: every two years, the even ones 2028 to 2050 (12).
        (_month_labels(300), 12, [f"{y}-01" for y in range(2028, 2051, 2)]),
        # Half hours of a day: every two hours (12); quarter hours from 07:00 to 18:45:
        # 48 of them, 24 half hours, 12 hours.
        (_clock_labels(30), 12, [f"{h:02d}:00" for h in range(0, 24, 2)]),
        (_clock_labels(15, 7 * 60, 19 * 60), 12, [f"{h:02d}:00" for h in range(7, 19)]),
        # Anything else: every third of 26 (the fewest labels per step within 12).
        (tuple("abcdefghijklmnopqrstuvwxyz"), 12, list("adgjmpsvy")),
    ],
)
def test_tick_positions_fall_on_round_months_and_hours(
    labels: tuple[str, ...], most: int, expected: list[str]
) -> None:
    ticks = svg.tick_positions(labels, most)
    assert [labels[i] for i in ticks] == expected
    assert len(ticks) <= most


def test_svg_gantt_bars_span_the_task_dates() -> None:
    (axes, *_) = svg.figure(GANTT).axes
    bars = [(p.get_x(), p.get_width(), p.get_facecolor()) for p in axes.patches]
    # 2027-01-01 is day 57 * 365 + 14 leap days = 20,819 after 1970-01-01; Jan + Feb 2027
    # = 59 days; 2027-03-01 is day 20,878 and the pilot runs 31 + 14 = 45 days. The
    # kick-off (zero days) is a diamond, not a bar. Rows: section Phase 1, Build ACD,
    # Kick-off, section Phase 2, Pilot.
    assert [(x, w) for x, w, _ in bars] == [(20819.0, 59.0), (20878.0, 45.0)]
    critical, normal = (tuple(round(c, 3) for c in colour) for *_, colour in bars)
    assert critical != normal
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["Phase 1", "Build ACD", "Kick-off", "Phase 2", "Pilot"]
    (marker,) = axes.get_lines()
    assert list(marker.get_xdata()) == [20819.0] and list(marker.get_ydata()) == [2]  # type: ignore[arg-type]


def test_svg_diagram_layers_follow_the_dependencies() -> None:
    spec = Diagram(
        "layers",
        "",
        (Node("d", "D"), Node("a", "A"), Node("b", "B"), Node("c", "C")),
        (Edge("a", "b"), Edge("b", "c"), Edge("a", "c"), Edge("d", "c")),
    )
    # a and d need nothing; b needs a; c needs b (so comes after it), a and d.
    assert svg.layers(spec) == [["d", "a"], ["b"], ["c"]] or svg.layers(spec) == [
        ["a", "d"],
        ["b"],
        ["c"],
    ]
    cycle = Diagram(
        "cycle",
        "",
        (Node("x", "X"), Node("y", "Y"), Node("z", "Z")),
        (Edge("x", "y"), Edge("y", "x"), Edge("y", "z")),
    )
    assert svg.layers(cycle) == [["x", "y"], ["z"]]
    texts = _texts(svg.render(spec))
    assert {"A", "B", "C", "D"} <= set(texts)


def test_svg_diagram_orders_a_column_to_uncross_edges() -> None:
    # Declared crosswise: a->y, b->x. The barycentre sweep puts y level with a.
    spec = Diagram(
        "cross",
        "",
        (Node("a", "a"), Node("b", "b"), Node("x", "x"), Node("y", "y")),
        (Edge("a", "y"), Edge("b", "x")),
    )
    assert svg.layers(spec) == [["a", "b"], ["y", "x"]]


def test_svg_rejects_values_it_cannot_draw() -> None:
    with pytest.raises(ValueError, match="non-finite"):
        svg.render(LineChart("n", "t", "x", "y", ("a",), (Series("s", (math.inf,)),)))


def test_x_labels_that_would_overlap_are_thinned_after_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twelve labels of twelve wide characters do not fit side by side: when the estimate
    lets them through, the laid-out chart drops every other one until none overlaps."""
    labels = tuple(f"WWWWWWWWW {i:02d}" for i in range(12))
    spec = LineChart("wide", "t", "x", "y", labels, (Series("s", tuple(range(12))),))
    monkeypatch.setattr(svg, "_most_ticks", lambda _: 12)
    monkeypatch.setattr(svg, "_separate", lambda *_: None)
    crowded = svg.figure(spec)
    assert svg.overlapping(crowded.axes[0])  # the check sees the overlap
    monkeypatch.undo()
    monkeypatch.setattr(svg, "_most_ticks", lambda _: 12)
    (axes,) = svg.figure(spec).axes
    shown = [t.get_text() for t in axes.get_xticklabels()]
    assert not svg.overlapping(axes)
    assert shown == [labels[i] for i in range(0, 12, 2)] or shown == [
        labels[i] for i in range(0, 12, 4)
    ]
