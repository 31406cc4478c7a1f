"""Sizing speed: the example, and 200 queues x 672 fifteen-minute intervals (no timing
assertions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.sizing.size import Sizing, size
from tests.bench.generate import generated_blueprint

ROOT = Path(__file__).resolve().parents[2]


def _size(model: Any) -> Sizing:
    return size(model, DiagnosticSink())


def test_bench_size_example(benchmark: Any) -> None:
    result = compile(ROOT / "examples" / "northwind_bank.cxb", until="validate")
    sizing = benchmark(_size, result.model)
    assert len(sizing.queues) == 6


def test_bench_size_200_queues_672_intervals(benchmark: Any) -> None:
    # 100 generated units: 200 assisted queues (voice and chat each), one month of
    # 15-minute intervals: 7 x 96 = 672 intervals per queue.
    text = generated_blueprint(100, horizon="1 month", interval="15 min")
    result = compile(text, until="validate")
    assert result.ok and result.model is not None
    sizing = benchmark.pedantic(_size, args=(result.model,), rounds=3)
    assert len(sizing.queues) == 200
    assert sizing.queues[0].intervals.agents.shape == (1, 7, 96)
