"""Language server latency: from a changed document to the diagnostics to publish.

Measured in-process on what the server runs after the debounce delay: compile the
changed text up to the ``validate`` stage (parse, modules, names and units, model, graph,
alignment rules) and convert the diagnostics to the protocol's, for a generated
blueprint of about 2,000 lines. Edits alternate between introducing a misspelt field
and fixing it, so each round really compiles and publishes. The target is a median under
300 ms (the debounce delay of 150 ms comes on top).
"""

from __future__ import annotations

import statistics
import time
from itertools import count
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("lsprotocol")

from blueprintc.lsp.project import Project
from tests.bench.generate import UNIT_LINES, generated_blueprint

LINES = 2_000


def test_bench_lsp_diagnostics_after_change(benchmark: Any, tmp_path: Path) -> None:
    clean = generated_blueprint(-(-LINES // UNIT_LINES))  # at least LINES lines
    broken = clean.replace("  shrinkage 33%\n", "  shrinkge 33%\n", 1)
    assert broken != clean
    path = tmp_path / "big.cxb"
    path.write_text(clean, encoding="utf-8")
    uri = path.as_uri()
    project = Project()
    project.open(uri, clean, 1)
    assert project.refresh(uri)[0].diagnostics == []  # a clean blueprint to start from
    versions = count(2)

    def edit() -> tuple[tuple[()], dict[str, Any]]:
        version = next(versions)
        project.change(uri, broken if version % 2 == 0 else clean, version)
        return (), {}

    timings: list[float] = []

    def after_change() -> list[Any]:
        start = time.perf_counter()
        published = project.refresh(uri)
        timings.append(time.perf_counter() - start)
        return published

    published = benchmark.pedantic(after_change, setup=edit, rounds=12, warmup_rounds=1)
    assert len(published) == 1 and published[0].uri == uri  # each edit changes the diagnostics
    median = statistics.median(timings)  # also when pytest-benchmark is disabled
    benchmark.extra_info["lines"] = clean.count("\n")
    benchmark.extra_info["median_ms"] = round(median * 1000, 1)
    print(f"\nLSP diagnostics after a change, {clean.count(chr(10))} lines: median {median:.3f} s")
