"""Charts stay readable and cheap at any size: a line chart draws at most eight lines (the
seven largest and the rest added up), a diagram or Gantt chart too large for a page is
left out with a sentence saying so (the tables list everything)."""

from __future__ import annotations

import pytest

from blueprintc.documents import charts
from blueprintc.documents.build import build_documents, charts_in
from blueprintc.documents.catalog import DOCUMENTS
from blueprintc.documents.context import Context
from blueprintc.driver import compile
from tests.bench.generate import generated_blueprint


def _series(totals: list[float]) -> list[charts.Series]:
    return [charts.Series(f"s{k}", (t / 2, t / 2)) for k, t in enumerate(totals)]


def test_few_series_are_kept_as_they_are() -> None:
    given = _series([1, 2, 3, 4, 5, 6, 7, 8])
    assert charts.fewest_series(given, "{count} others") == tuple(given)


def test_the_smallest_series_are_added_up() -> None:
    # Totals 10, 1, 9, 2, 8, 3, 7, 4, 6, 5: the seven largest are 10, 9, 8, 7, 6, 5, 4
    # (s0, s2, s4, s6, s8, s9, s7 listed in their order); 1, 2 and 3 make "3 others".
    given = _series([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
    found = charts.fewest_series(given, "{count} others")
    assert [s.name for s in found] == ["s0", "s2", "s4", "s6", "s7", "s8", "s9", "3 others"]
    assert found[-1].values == (3.0, 3.0)  # (1 + 2 + 3) / 2 in each month


def test_ties_keep_the_first_listed() -> None:
    found = charts.fewest_series(_series([1.0] * 9), "{count} others")
    assert [s.name for s in found] == ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "2 others"]


def test_a_diagram_too_large_for_a_page_is_left_out() -> None:
    nodes = tuple(charts.Node(f"n{k}", f"node {k}") for k in range(charts.MAX_NODES + 1))
    assert charts.drawable(charts.Diagram("d", "D", nodes, ())) is None
    fits = charts.Diagram("d", "D", nodes[:-1], ())
    assert charts.drawable(fits) is fits


def test_a_large_blueprint_draws_bounded_charts_and_says_what_it_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Three generated units: nine channels, so the contacts chart adds up two of them; the
    # limits on boxes and bars are lowered so that this small design is "too large".
    monkeypatch.setattr(charts, "MAX_NODES", 4)
    monkeypatch.setattr(charts, "MAX_TASKS", 4)
    compiled = compile(generated_blueprint(3, horizon="2 years"))
    assert compiled.ok
    ctx = Context.of_compilation(compiled)
    found = [c for d in DOCUMENTS for c in charts_in(d.build(ctx))]
    lines = [c for c in found if isinstance(c, charts.LineChart)]
    assert lines and all(len(c.series) <= charts.MAX_SERIES for c in lines)
    contacts = next(c for c in lines if c.key == "business-contacts-per-channel")
    assert contacts.series[-1].name == "2 other channels"
    assert not any(isinstance(c, charts.Diagram | charts.Gantt) for c in found)
    pages = build_documents(compiled, formats=("md",)).files
    text = {name: body.decode() for name, body in pages.items()}
    assert "is not drawn for a blueprint this large" in text["md/11-traceability.md"]
    assert "is not drawn for a design this large" in text["md/02-technology-design.md"]
    assert "is not drawn for a plan this large" in text["md/05-phasing-plan.md"]
