"""The same figure is the same everywhere: FTE, licences and money agree between the
technology design, the financial design, the JSON of the build, the sizing and the
reports of ``blueprintc size`` and ``blueprintc cost`` — for each example that prices
components per seat or per user (the bank and the water utility)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import financial, technology
from blueprintc.driver import Compilation
from blueprintc.render.planning_report import cost_json
from blueprintc.render.sizing_report import json_report
from tests.documents.conftest import EXAMPLES, built_example, compiled_example


@pytest.fixture(scope="module", params=["northwind_bank", "thornvale_water"])
def example(request: pytest.FixtureRequest) -> Compilation:
    """Each example compiled once for the module (the conftest's is the bank alone)."""
    return compiled_example(request.param)


@pytest.fixture(scope="module")
def example_context(example: Compilation) -> Context:
    return Context.of_compilation(example)


@pytest.fixture(scope="module")
def views(
    example_context: Context,
) -> tuple[technology.TechnologyDesign, financial.FinancialDesign]:
    return technology.build(example_context), financial.build(example_context)


@pytest.fixture(scope="module")
def documents(example: Compilation) -> dict[str, Any]:
    stem = next(s for s in EXAMPLES if compiled_example(s) is example)
    files = built_example(stem)
    data: dict[str, Any] = json.loads(files["json/blueprint.json"])
    return data["documents"]


def test_fte_per_queue_agrees_everywhere(
    views: tuple[technology.TechnologyDesign, financial.FinancialDesign],
    documents: dict[str, Any],
    example: Compilation,
) -> None:
    tech, fin = views
    sizing = example.sizing
    assert sizing is not None
    staff = {row.name: row for row in fin.staff}
    tech_json = {q["queue"]: q for q in documents["technology-design"]["capacity"]}
    fin_json = {r["name"]: r for r in documents["financial-design"]["staff"]}
    assert [q.queue for q in tech.capacity] == [q.name for q in sizing.queues]
    for row, queue in zip(tech.capacity, sizing.queues, strict=True):
        expected = float(queue.monthly.fte.max())  # the queue's busiest month
        assert row.fte_peak == staff[row.queue].fte_peak == expected
        assert row.fte_average == staff[row.queue].fte_average == float(queue.monthly.fte.mean())
        assert tech_json[row.queue]["fte_peak"] == fin_json[row.queue]["fte_peak"]
        assert tech_json[row.queue]["fte_peak"] == round(expected, 6)


def test_center_fte_agrees_with_sizing_and_its_report(
    views: tuple[technology.TechnologyDesign, financial.FinancialDesign],
    documents: dict[str, Any],
    example: Compilation,
) -> None:
    tech, fin = views
    sizing = example.sizing
    assert sizing is not None
    peak = sizing.peak_month
    # The center's row is its peak month: the queues' FTE in that month add up to it.
    queues = sum(float(q.monthly.fte[peak]) for q in sizing.queues)
    assert tech.totals.fte_peak == pytest.approx(queues, abs=1e-9)
    assert tech.totals.fte_peak == float(sizing.agent_fte[peak])
    assert tech.totals.total_fte_peak == float(sizing.total_fte[peak])
    totals = documents["technology-design"]["totals"]
    assert totals["fte_peak"] == round(float(sizing.agent_fte[peak]), 6)
    report = json.loads(json_report(example.outcome))
    assert report["peak_month"] == tech.totals.peak_month
    assert report["total_fte"][peak] == pytest.approx(tech.totals.total_fte_peak, abs=0.005)
    assert report["peak_concurrent_agents"][peak] == tech.totals.peak_concurrent
    assert report["seats"] == {s.name: s.seats_needed for s in tech.sites}
    roles = {r.role: r.people_peak for r in tech.support}
    assert roles == {role: int(counts[peak]) for role, counts in sizing.support.items()}
    busiest = {r.name: int(r.fte_peak) for r in fin.staff if r.name in sizing.support}
    assert busiest == {role: int(counts.max()) for role, counts in sizing.support.items()}


def test_licence_totals_are_the_financial_cost_lines(
    views: tuple[technology.TechnologyDesign, financial.FinancialDesign],
    documents: dict[str, Any],
) -> None:
    tech, fin = views
    lines = {line.name: line.total for line in fin.lines}
    json_lines = {line["name"]: line["total"] for line in documents["financial-design"]["lines"]}
    suffix = {"licence": "licences", "subscription": "subscription", "hosting": "hosting"}
    design = [row for row in tech.licences if row.option is None]
    assert design, "the example prices components per seat or per user"
    for row, data in zip(tech.licences, documents["technology-design"]["licences"], strict=True):
        if row.option is None:
            name = f"{row.component} {suffix[row.cost]}"
            assert row.total == lines[name]
            assert data["total"] == json_lines[name]


def test_money_agrees_with_the_cost_report(
    views: tuple[technology.TechnologyDesign, financial.FinancialDesign],
    documents: dict[str, Any],
    example: Compilation,
) -> None:
    _, fin = views
    assert example.model is not None and example.planning is not None
    report = json.loads(cost_json(example.model, example.outcome))
    summary = documents["financial-design"]["summary"]
    for key in ("npv", "tco"):
        assert Decimal(summary[key]) == Decimal(report[key])
    assert Decimal(summary["capex"]) == Decimal(report["capex"]["total"])
    assert [Decimal(y["opex"]) for y in documents["financial-design"]["years"]] == [
        Decimal(v) for v in report["opex"]["years"]
    ]
    assert [Decimal(o["npv"]) for o in documents["financial-design"]["options"]] == [
        Decimal(o["npv"]) for o in report["options"]
    ]
    assert fin.activity_total == fin.summary.opex
    systems = {s.name: s.cost_per_month for s in views[0].systems}
    for name, cost in systems.items():
        line = next(x for x in report["lines"] if x["name"] == f"{name} (current)")
        assert Decimal(line["months"][0]) == cost
