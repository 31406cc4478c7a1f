"""Phasing + financial design speed: the example, and 2,000 components over 60 months
(no timing assertions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.planning.phasing import plan_of
from blueprintc.planning.run import Planning, run_planning
from tests.bench.generate import generated_components

ROOT = Path(__file__).resolve().parents[2]


def _plan(result: Any) -> Planning:
    plan = plan_of(result.model, result.sizing.grid)
    return run_planning(result.model, result.sizing, plan, DiagnosticSink())


def test_bench_planning_example(benchmark: Any) -> None:
    result = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert result.sizing is not None
    planning = benchmark(_plan, result)
    assert planning.statement.reconciles()


def test_bench_planning_2000_components_60_months(benchmark: Any) -> None:
    result = compile(generated_components(2000))
    assert result.ok, [d.message for d in result.diagnostics[:3]]
    assert result.sizing is not None and result.sizing.grid.months == 60
    planning = benchmark.pedantic(_plan, args=(result,), rounds=3)
    assert planning.plan is not None and len(planning.plan.items) >= 2000
