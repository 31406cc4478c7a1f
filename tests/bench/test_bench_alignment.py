"""Model, graph and alignment speed on a 5,000-process blueprint (no timing assertions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from blueprintc import collector
from blueprintc.driver import compile
from blueprintc.graph import build_graph
from blueprintc.model.build import build_model
from blueprintc.semantic.check import CheckedProgram
from blueprintc.validate import AlignmentReport, Context, validate
from tests.bench.generate import generated_blueprint

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 5_000  # two processes per generated unit


def model_graph_alignment(checked: CheckedProgram) -> AlignmentReport:
    """The stages as the driver runs them (with the cyclic collector paused)."""
    with collector.paused():
        model = build_model(checked)
        return validate(Context(model, build_graph(model)))


def test_bench_alignment_example(benchmark: Any) -> None:
    result = compile(ROOT / "examples" / "northwind_bank.cxb", until="check")
    assert result.checked is not None
    report = benchmark(model_graph_alignment, result.checked)
    assert not report.reported


def test_bench_alignment_5000_processes(benchmark: Any) -> None:
    # 3.7 MiB: over the default input limit. Run once as a test (the test command), a
    # tenth of it: that shows the benchmark runs; the timed run measures the whole.
    text = generated_blueprint(PROCESSES // (20 if benchmark.disabled else 2))
    result = compile(text, until="check", max_input_bytes=len(text.encode()))
    assert result.ok and result.checked is not None
    report = benchmark.pedantic(model_graph_alignment, args=(result.checked,), rounds=3)
    assert not report.reported


def test_bench_full_compile_example(benchmark: Any) -> None:
    result = benchmark(compile, ROOT / "examples" / "northwind_bank.cxb")
    assert result.ok
