"""Month-by-month sizing and costing (the transition): the example, and 200 queues over
60 months with half of them launched mid-horizon (no timing assertions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.model import Model
from blueprintc.planning.phasing import plan_of
from blueprintc.planning.run import Planning, run_planning
from blueprintc.sizing.calendar import grid_of
from blueprintc.sizing.size import size
from blueprintc.sizing.timeline import timeline_of
from tests.bench.generate import generated_blueprint

ROOT = Path(__file__).resolve().parents[2]


def transition_blueprint(units: int, horizon: str = "5 years") -> str:
    """``units`` generated blocks (two assisted queues each); every chat launched in 2028."""
    chats = ", ".join(f"chat_{k}" for k in range(units))
    text = generated_blueprint(units, horizon=horizon, interval="60 min")
    return text + f"phase digital {{\n  includes {chats}\n  start 2028-01\n}}\n"


def _size_and_cost(model: Model) -> Planning:
    """The plan, the month-by-month sizing under it, and the costs: what a compile runs
    after validation."""
    grid = grid_of(model.blueprint)
    plan = plan_of(model, grid)
    sink = DiagnosticSink()
    sizing = size(model, sink, timeline_of(model, grid, plan))
    return run_planning(model, sizing, plan, sink)


def test_bench_transition_example(benchmark: Any) -> None:
    result = compile(ROOT / "examples" / "northwind_bank.cxb", until="validate")
    assert result.model is not None
    planning = benchmark(_size_and_cost, result.model)
    assert planning.statement.reconciles()


def test_bench_transition_200_queues_60_months(benchmark: Any) -> None:
    result = compile(transition_blueprint(100), until="validate")
    assert result.ok and result.model is not None
    planning = benchmark.pedantic(_size_and_cost, args=(result.model,), rounds=1)
    assert planning.statement.horizon == 60
    chat = next(line for line in planning.statement.lines if line.name == "chat_0 agents")
    assert not any(chat.months[:13]) and all(chat.months[13:])  # live from 2028-02
