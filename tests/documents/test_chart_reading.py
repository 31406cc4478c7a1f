"""Every line chart reads: a legend naming each series, lines that differ by more than
colour, at most a dozen tick labels on an axis and none overlapping another (measured on
the laid-out matplotlib figure the SVG is saved from), and the differences drawn where
alternatives run too close to tell apart. Checked on both examples and on generated
blueprints: one option, two nearly equal, two far apart, ten years, quarter hours."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from blueprintc.documents import build_documents, svg
from blueprintc.documents.build import charts_in
from blueprintc.documents.catalog import DOCUMENTS
from blueprintc.documents.charts import CLOSE, LineChart, Series, image_path, with_deltas
from blueprintc.documents.context import Context
from blueprintc.documents.views.financial import CASH_FLOW_CHART_KEY
from blueprintc.driver import Compilation, compile
from tests.bench.generate import generated_blueprint
from tests.documents.conftest import ROOT, compile_in

RECORDING = """
component recording extends std.recording {{
  model cloud
  option onprem {{
    hosting {hosting} USD/month
  }}
}}
"""
BLUEPRINTS = {
    # Two options about 0.1 % apart over ten years (120 months).
    "close-10-years": generated_blueprint(1, horizon="10 years") + RECORDING.format(hosting=2_000),
    # The on-premises option dearer by 900k a month: the lines are far apart.
    "far": generated_blueprint(1, horizon="3 years") + RECORDING.format(hosting="900_000"),
    # Quarter hours (96 a day), two units, one year.
    "quarter-hours": generated_blueprint(2, horizon="1 year", interval="15 min"),
    # Twenty years, one unit.
    "twenty-years": generated_blueprint(1, horizon="20 years"),
}


@pytest.fixture(scope="module")
def line_charts(
    example_context: Context, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, LineChart]:
    """Every line chart of the examples and the generated blueprints, by ``source/key``."""
    contexts = {"northwind": example_context}
    harbor = compile(ROOT / "examples" / "harbor_insurance.cxb")
    assert harbor.ok
    contexts["harbor"] = Context.of_compilation(harbor)
    for name, text in BLUEPRINTS.items():
        folder = tmp_path_factory.mktemp(name)
        contexts[name] = Context.of_compilation(compile_in(folder, text))
    return {
        f"{name}/{chart.key}": chart
        for name, ctx in contexts.items()
        for document in DOCUMENTS
        for chart in charts_in(document.build(ctx))
        if isinstance(chart, LineChart)
    }


def _shown(labels: Any) -> list[Any]:
    return [t for t in labels if t.get_visible() and t.get_text()]


def _apart(boxes: list[Any], across: bool) -> bool:
    """Whether no two boxes overlap (or touch) along x (``across``) or y."""
    spans = sorted((b.x0, b.x1) if across else (b.y0, b.y1) for b in boxes)
    return all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def _readable(chart: LineChart) -> None:
    figure = svg.figure(chart)  # laid out, as saved
    main, *below = figure.axes
    (legend,) = figure.legends
    names = [" ".join(t.get_text().split()) for t in legend.get_texts()]
    assert names == [" ".join(s.name.split()) for s in chart.series]
    lines = main.get_lines()
    styles = [(ln.get_color(), ln.get_linestyle(), ln.get_marker()) for ln in lines]
    assert len(set(styles)) == len(styles) == len(chart.series)
    assert len({(c, d) for c, d, _ in styles}) == len(styles)  # dashes tell them apart
    for axes in figure.axes:
        x_labels = _shown(axes.get_xticklabels())
        y_labels = _shown(axes.get_yticklabels())
        assert len(x_labels) <= 12 and len(y_labels) <= 12
        assert _apart([t.get_window_extent() for t in x_labels], across=True), [
            t.get_text() for t in x_labels
        ]
        assert _apart([t.get_window_extent() for t in y_labels], across=False)
    assert _shown(figure.axes[-1].get_xticklabels()), "no x label at all"
    if chart.deltas:
        (panel,) = below
        assert [list(ln.get_ydata()) for ln in panel.get_lines()[: len(chart.deltas)]] == [
            list(d.values) for d in chart.deltas
        ]
    else:
        assert not below


def test_every_line_chart_reads(line_charts: dict[str, LineChart]) -> None:
    assert len(line_charts) >= 6 * 4
    for name, chart in line_charts.items():
        try:
            _readable(chart)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_month_axes_are_labelled_at_quarters_or_years(line_charts: dict[str, LineChart]) -> None:
    for name, chart in line_charts.items():
        if chart.x_label != "month":
            continue
        figure = svg.figure(chart)
        labels = [t.get_text() for t in _shown(figure.axes[-1].get_xticklabels())]
        months = {int(label[5:7]) for label in labels}
        if len(chart.x) > 24:  # a long horizon: quarters, halves or years
            assert months <= {1, 4, 7, 10}, (name, labels)
        if len(chart.x) > 60:
            assert months == {1}, (name, labels)


def test_close_options_draw_their_difference_and_far_ones_do_not(
    line_charts: dict[str, LineChart],
) -> None:
    close = line_charts[f"close-10-years/{CASH_FLOW_CHART_KEY}"]
    far = line_charts[f"far/{CASH_FLOW_CHART_KEY}"]
    assert [s.name for s in close.series] == ["design = option cloud", "option onprem"]
    assert len(close.deltas) == 1 and close.delta_label == "difference from the design, USD"
    assert len(far.series) == 2 and not far.deltas
    example = line_charts[f"northwind/{CASH_FLOW_CHART_KEY}"]
    assert len(example.series) == 2 and len(example.deltas) == 1


def test_the_example_draws_the_difference_between_its_options_to_the_cent(
    example: Compilation, example_context: Context
) -> None:
    """The cash-flow chart of the example: the on-premises option against the design
    (cloud), month by month, from the outcome's two statements (exact fractions); the
    last month by hand from the statement's totals."""
    chart = next(
        c
        for d in DOCUMENTS
        for c in charts_in(d.build(example_context))
        if c.key == CASH_FLOW_CHART_KEY
    )
    assert isinstance(chart, LineChart)
    design = example_context.outcome.statement.cumulative
    onprem = example_context.outcome.option_statements["onprem"].cumulative
    expected = [round(Fraction(b) - Fraction(a), 2) for a, b in zip(design, onprem, strict=True)]
    (delta,) = chart.deltas
    assert delta.name == "option onprem \u2212 design = option cloud"
    assert [Fraction(v).limit_denominator(100) for v in delta.values] == expected
    # 36 months; the option's extra cost reaches 378,370 USD by the last month
    # (40,366,193.56 - 39,987,823.56 in the statements' cumulative columns).
    assert delta.values[-1] == pytest.approx(40_366_193.56 - 39_987_823.56, abs=0.005)
    # Less than 5 % of the chart's height apart: 378,370 / 40,366,193.56 = 0.94 %.
    assert 100 * max(abs(v) for v in delta.values) < CLOSE * max(chart.series[1].values)


@pytest.mark.parametrize(
    ("second", "deltas"),
    [
        # Gaps 1, 3 and 5 against a chart 305 high: 5 < 5 % of 305 = 15.25, close.
        ((101.0, 203.0, 305.0), ((1.0, 3.0, 5.0),)),
        # A gap of 100 against 400: 25 %, apart.
        ((100.0, 250.0, 400.0), ()),
        # The same values: the same line, not a close one.
        ((100.0, 200.0, 300.0), ()),
        # At and just under the threshold, 5 % of 300 = 15: a gap of 15 is apart, 14.9 close.
        ((100.0, 200.0, 285.0), ()),
        ((100.0, 200.0, 285.1), ((0.0, 0.0, -14.9),)),
    ],
)
def test_with_deltas_by_hand(second: tuple[float, ...], deltas: tuple[tuple[float, ...]]) -> None:
    first = Series("a", (100.0, 200.0, 300.0))
    chart = LineChart("k", "t", "x", "y", ("1", "2", "3"), (first, Series("b", second)))
    found = with_deltas(chart, "difference")
    assert [d.values for d in found.deltas] == [pytest.approx(d) for d in deltas]
    if deltas:
        assert [d.name for d in found.deltas] == ["b \u2212 a"]
        assert found.delta_label == "difference"
    else:
        assert found is chart
    alone = LineChart("k", "t", "x", "y", ("1",), (Series("a", (1.0,)),))
    assert with_deltas(alone, "d") is alone


def test_the_markdown_shows_line_charts_as_images_beside_it(example: Compilation) -> None:
    files = build_documents(example, formats=("md",)).files
    pages = {n: body.decode() for n, body in files.items() if n.endswith(".md")}
    assert not any("xychart" in text for text in pages.values())
    images = {n for n in files if n.startswith("md/charts/")}
    shown = {
        f"md/{path}"
        for text in pages.values()
        for path in re.findall(r"\]\((charts/[^)]+\.svg)\)", text)
    }
    assert shown == images and len(images) == 5
    cash = files[f"md/{image_path(CASH_FLOW_CHART_KEY)}"].decode()
    assert cash.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg ')
    assert '<title id="title">Cumulative cash flow (capex + opex)</title>' in cash
    assert "option onprem" in cash and "+378,370" in cash
    # Mermaid titles that remain are short enough for the chart's width.
    for text in pages.values():
        for line in text.splitlines():
            if line.startswith(("  title ", "title: ")):
                assert len(line.split(" ", 3)[-1]) <= 62, line


def test_a_one_option_chart_has_one_line_and_no_panel(tmp_path: Path) -> None:
    compiled = compile_in(tmp_path, generated_blueprint(1, horizon="2 years"))
    ctx = Context.of_compilation(compiled)
    chart = next(
        c for d in DOCUMENTS for c in charts_in(d.build(ctx)) if c.key == CASH_FLOW_CHART_KEY
    )
    assert isinstance(chart, LineChart)
    _readable(chart)
