"""Growth with size: the full compile and the document set of a generated center of 1, 4
and 16 times the example's size (``tests.bench.scale``). The benchmark times the largest;
``extra_info`` holds the median of each size and the fitted exponent of time against size
(linear is 1). At the normal test run (benchmarks disabled) the sizes are a quarter and
half the example, to prove the path works. No timing assertions."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from blueprintc.documents.build import build_documents
from blueprintc.driver import Compilation, compile
from tests.bench.scale import exponent, scaled


def _sizes(benchmark: Any) -> tuple[float, ...]:
    return (0.25, 0.5) if benchmark.disabled else (1, 4, 16)


def _median(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timed(run: Callable[..., Any], times: list[float]) -> Callable[..., Any]:
    """``run``, recording how long each call takes in ``times``."""

    def call(*args: Any) -> Any:
        start = time.perf_counter()
        try:
            return run(*args)
        finally:
            times.append(time.perf_counter() - start)

    return call


def _compiled(times: float) -> Compilation:
    compiled = compile(scaled(times))
    assert compiled.ok, [str(d) for d in compiled.diagnostics if d.is_error][:3]
    return compiled


def test_bench_full_compile_grows_linearly(benchmark: Any) -> None:
    sizes = _sizes(benchmark)
    texts = {k: scaled(k) for k in sizes}
    medians = {k: _median(partial(compile, texts[k]), 3) for k in sizes[:-1]}
    largest = sizes[-1]
    seen: list[float] = []
    compiled = benchmark.pedantic(_timed(compile, seen), args=(texts[largest],), rounds=3)
    assert compiled.ok
    medians[largest] = statistics.median(seen)
    benchmark.extra_info["median_seconds"] = {f"{k}x": round(v, 3) for k, v in medians.items()}
    benchmark.extra_info["exponent"] = round(exponent(list(medians), list(medians.values())), 3)


def test_bench_build_grows_linearly(benchmark: Any) -> None:
    sizes = _sizes(benchmark)
    compiled = {k: _compiled(k) for k in sizes}
    if not benchmark.disabled:  # start the chart workers and load the templates first
        build_documents(_compiled(0.25))
    medians = {k: _median(partial(build_documents, compiled[k]), 1) for k in sizes[:-1]}
    largest = sizes[-1]
    seen: list[float] = []
    result = benchmark.pedantic(_timed(build_documents, seen), args=(compiled[largest],), rounds=1)
    assert result.files
    medians[largest] = statistics.median(seen)
    benchmark.extra_info["median_seconds"] = {f"{k}x": round(v, 3) for k, v in medians.items()}
    benchmark.extra_info["exponent"] = round(exponent(list(medians), list(medians.values())), 3)
