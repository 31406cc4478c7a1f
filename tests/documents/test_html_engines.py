"""The site's two Markdown engines write the same pages, byte for byte.

``MarkdownRenderer`` renders a page with cmark-gfm and brings its HTML to what
markdown-it-py writes with the site's rules (the engine the pages were first made with,
kept as ``reference`` and as the fallback for what the fast path does not handle). Both
are run here on every document of both examples and of generated blueprints, and on
hand-made and random pages of escaped text in every construct the templates use.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.documents.build import charts_in, meta_of, render_document
from blueprintc.documents.catalog import DOCUMENTS
from blueprintc.documents.charts import Chart, LineChart, Series
from blueprintc.documents.context import Context
from blueprintc.documents.environment import FIGURE_FENCE, environment
from blueprintc.documents.escape import markdown
from blueprintc.documents.site import MarkdownRenderer
from blueprintc.driver import Compilation, compile
from tests.bench.generate import generated_blueprint
from tests.documents.conftest import ROOT, compile_in
from tests.documents.test_escaping import BASIC, FILED, HOSTILE, TEXT


def _stand_in(spec: Chart, prefix: str) -> str:
    """A chart drawn as a stand-in: both engines place the same figure (``_figure``)."""
    return f"<svg>{prefix}</svg>\n"


def _same(renderer: MarkdownRenderer, text: str) -> str:
    fast = renderer.fast(text)
    assert fast is not None, "the page fell back to markdown-it"
    assert fast == renderer.reference(text)
    return fast


def _pages(compilation: Compilation) -> list[tuple[str, str, dict[str, Chart]]]:
    ctx = Context.of_compilation(compilation)
    meta = meta_of(ctx, None)
    views = {d.name: d.build(ctx) for d in DOCUMENTS}
    charts = {c.key: c for v in views.values() for c in charts_in(v)}
    env = environment()
    return [
        (d.stem, render_document(env, "html", d, views[d.name], meta), charts) for d in DOCUMENTS
    ]


def _check_set(compilation: Compilation) -> None:
    for stem, text, charts in _pages(compilation):
        renderer = MarkdownRenderer(charts, _stand_in)
        fast = renderer.fast(text)
        assert fast is not None, f"{stem} fell back to markdown-it"
        assert fast == renderer.reference(text), stem


def test_the_examples_pages_are_identical(example: Compilation) -> None:
    _check_set(example)


@pytest.mark.parametrize("other", ["harbor_insurance", "thornvale_water"])
def test_the_other_examples_pages_are_identical(other: str) -> None:
    compilation = compile(ROOT / "examples" / f"{other}.cxb")
    assert compilation.ok
    _check_set(compilation)


@pytest.mark.parametrize("units", [1, 4])
def test_generated_blueprints_pages_are_identical(units: int, tmp_path: Path) -> None:
    _check_set(compile_in(tmp_path, generated_blueprint(units)))


def test_hostile_text_in_every_document_is_identical(tmp_path: Path) -> None:
    from tests.documents.test_escaping import hostile

    project = tmp_path / "hostile"
    project.mkdir()
    for path in (ROOT / "examples").rglob("*.cxb"):
        target = project / path.relative_to(ROOT / "examples")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hostile(path.read_text(encoding="utf-8")), encoding="utf-8")
    compilation = compile(project / "northwind_bank.cxb")
    assert compilation.ok
    _check_set(compilation)


# -- hand-made and random pages ----------------------------------------------------------

CHART = LineChart("fte", "FTE", "Month", "FTE", ("2027-01",), (Series("a", (1.0,)),))


def _page(text: str, label: str = "x") -> str:
    """``text`` (escaped) in every construct the templates write."""
    cell = markdown(text)
    return (
        f"# {cell}\n\n## Plan {cell} 2027-01\n\n{cell}\nsecond line with 2027-01-15\n\n"
        f"| {cell} | Amount | Date |\n|---|---:|:---:|\n| {cell} | 1,000 | 2027-03 |\n"
        f"| **{cell}** | *{cell}* | [{cell}](source/a%20b.cxb.html#L12) |\n\n"
        f"- {cell}\n- **Label:** {cell}\n\n1. {cell}\n2. `{label}`\n\n"
        f"```{FIGURE_FENCE} fte\n```\n\n### {cell}\n\n```text\n{cell}\n```\n\n"
        f"    indented {cell}\n\nlast {cell}\n"
    )


@pytest.mark.parametrize("text", [*BASIC, *FILED, HOSTILE, "quote \" and ' 2027-01-15\u2060@x"])
def test_escaped_text_in_every_construct_is_identical(text: str) -> None:
    _same(MarkdownRenderer({"fte": CHART}, _stand_in), _page(text))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["x_y", "a & b", "2027-01", 'it\'s "q"']))
def test_any_escaped_text_is_identical(text: str, label: str) -> None:
    renderer = MarkdownRenderer({"fte": CHART}, _stand_in)
    page = _page(text, label)
    fast = renderer.fast(page)
    if fast is None:  # only whitespace the engines trim differently sends it back
        assert any(c.isspace() and c not in " \t\n\r" for c in page)
    else:
        assert fast == renderer.reference(page)


@pytest.mark.parametrize(
    "text",
    [
        "<div>raw</div>\n",
        "> quoted\n",
        ">\n",
        "a\n\n---\n",
        "a  \nb\n",
        "a\xa0\n",
        "| \u3000x |\n|---|\n",
        "a <b>b</b>\n",
        "![img](x.png)\n",
        '[a](x "title")\n',
        "<https://example.com>\n",
        "[a](https://example.com/x)\n",
        f"```{FIGURE_FENCE} fte extra\n```\n",
        f"```{FIGURE_FENCE}\n```\n",
        f"> ```{FIGURE_FENCE} fte\n> ```\n",
    ],
)
def test_what_the_fast_path_does_not_handle_goes_to_markdown_it(text: str) -> None:
    renderer = MarkdownRenderer({"fte": CHART}, _stand_in)
    assert renderer.fast(text) is None
    if "extra" in text or f"{FIGURE_FENCE}\n" in text:
        with pytest.raises(ValueError, match="no such chart"):
            renderer.render(text)
    else:
        assert renderer.render(text) == renderer.reference(text)


@pytest.mark.parametrize(
    "text",
    ["café.html", "x%20y.html#caf%C3%A9", "#café", "<a b>", "x\\_y", "x[1].html", "a.html#L1"],
)
def test_links_are_identical(text: str) -> None:
    _same(MarkdownRenderer({}, _stand_in), f"see [the page]({text}) now\n")


def test_an_unknown_chart_is_refused_by_either_path() -> None:
    with pytest.raises(ValueError, match="no such chart"):
        MarkdownRenderer({}, _stand_in).render(f"```{FIGURE_FENCE} missing\n```\n")


def test_the_same_chart_twice_gets_distinct_ids() -> None:
    page = _same(MarkdownRenderer({"fte": CHART}, _stand_in), _page("x") + _page("y"))
    assert page.count("<figure") == 2
