"""Document 10, the maturity assessment: indices, statuses and where each gap closes, on a
blueprint with its own four-practice catalogue worked out by hand."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import maturity
from blueprintc.driver import Compilation
from tests.documents.conftest import compile_in, render
from tests.documents.test_traceability import tables_are_rectangular

BASE = """\
blueprint "T" { currency USD; start 2027-01; horizon 3 years }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process p1 { service s; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
component acd { kind acd; supports voice }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
"""
PRACTICES = """\
practice a { layer operational; tier standard; weight 1 }
practice b { layer operational; tier best; weight 2; effort 2 months; cost 10k USD }
practice c { layer technology; tier next; weight 3; description "<script>go()</script> | now" }
practice d { layer technology; tier standard; weight 1 }
maturity {
  current a, d
  target b, c
}
phase one { includes acd; start 2027-01; budget 5k USD }
phase two { after one }
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("maturity"), BASE + PRACTICES)


@pytest.fixture(scope="module")
def view(small: Compilation) -> maturity.MaturityView:
    return maturity.build(Context.of_compilation(small))


def test_indices_by_hand(view: maturity.MaturityView) -> None:
    layers = {row.layer: row for row in view.layers}
    # Operational: a (1) of a + b (3) now; a + b (3) of 3 in the target.
    operational = layers["operational"]
    assert (operational.current, operational.target) == (Fraction(100, 3), 100)
    assert (operational.current_points, operational.target_points) == (1, 3)
    assert operational.catalogue_points == 3 and operational.gain == Fraction(200, 3)
    # Technology: d (1) of c + d (4) now; 4 of 4 in the target.
    technology = layers["technology"]
    assert (technology.current, technology.target, technology.catalogue_points) == (25, 100, 4)
    # Layers without a practice in the catalogue have no index.
    assert layers["brand"].current is None and layers["brand"].gain is None
    # Overall: 2 of 7 now, 7 of 7 in the target.
    assert view.overall is not None
    assert (view.overall.current, view.overall.target) == (Fraction(200, 7), 100)
    assert (view.overall.current_points, view.overall.catalogue_points) == (2, 7)
    assert view.current_where is not None and view.current_where.line == 14
    assert view.target_where is not None and view.target_where.line == 15


def test_practices_and_status(view: maturity.MaturityView) -> None:
    rows = [(p.layer, p.name, p.tier, p.weight, p.status) for p in view.practices]
    assert rows == [
        ("Operational", "a", "standard", 1, "carried"),
        ("Operational", "b", "best", 2, "to introduce"),
        ("Technology", "d", "standard", 1, "carried"),
        ("Technology", "c", "next", 3, "to introduce"),
    ]
    lines = {p.name: p.where.line for p in view.practices if p.where is not None}
    assert lines == {"a": 9, "b": 10, "c": 11, "d": 12}


def test_gaps_and_where_the_plan_closes_them(view: maturity.MaturityView) -> None:
    gaps = {g.name: g for g in view.gaps}
    assert list(gaps) == ["b", "c"]  # by layer, then tier
    b, c = gaps["b"], gaps["c"]
    # b lifts its layer by 2 of 3 points and the whole catalogue by 2 of 7.
    assert (b.layer_gain, b.overall_gain) == (Fraction(200, 3), Fraction(200, 7))
    assert (c.layer_gain, c.overall_gain) == (75, Fraction(300, 7))
    # c (no cost, 1 month by default) fits phase one. Phase one also holds the ACD (1 month
    # by default) and then the voice launch (1 month), so it ends at month 2. b costs 10k,
    # more than phase one's 5k budget, so it goes to phase two: months 2 to 4.
    assert (c.phase, c.start, c.closed, c.effort_months, c.cost) == (
        "one", "2027-01-01", "2027-02-01", 1, 0,
    )  # fmt: skip
    assert (b.phase, b.start, b.closed, b.effort_months, b.cost) == (
        "two", "2027-03-01", "2027-05-01", 2, 10_000,
    )  # fmt: skip
    assert b.plan_status == "planned"
    assert b.reason == "the budget left in phase one could not take its cost"
    assert view.closed_by == "2027-05-01"


def test_page(small: Compilation) -> None:
    page = render(small, "maturity")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Maturity index per layer",
        "## Current versus target practices",
        "## Gaps and where the plan closes them",
    ]
    assert "| Operational | 33.3 | 100.0 | 66.7 | 1.0 | 3.0 | 3.0 |" in page
    assert "| Brand | - | - | - |" in page
    assert "<script>" not in page
    assert "\\<script\\>go()\\</script\\> \\| now" in page
    tables_are_rectangular(page)


def test_gaps_without_phases(tmp_path: Path) -> None:
    text = BASE + PRACTICES.split("phase one")[0]
    view = maturity.build(Context.of_compilation(compile_in(tmp_path, text)))
    assert [(g.name, g.plan_status, g.phase, g.closed) for g in view.gaps] == [
        ("b", "no phases", None, None),
        ("c", "no phases", None, None),
    ]
    assert view.closed_by is None


def test_no_maturity_position(tmp_path: Path) -> None:
    compilation = compile_in(tmp_path, BASE)
    view = maturity.build(Context.of_compilation(compilation))
    assert not view.assessed and view.gaps == () and view.overall is None
    page = render(compilation, "maturity")
    assert "_No maturity position (`maturity` block) in this blueprint._" in page
    assert "_No maturity gaps in this blueprint._" in page
    tables_are_rectangular(page)


def test_example_matches_the_planning_pass(example_context: Context) -> None:
    view = maturity.build(example_context)
    result = example_context.outcome.maturity
    assert result is not None and view.overall is not None
    assert [g.name for g in view.gaps] == [p.name for p in result.gaps]
    assert (view.overall.current, view.overall.target) == (result.current, result.target)
