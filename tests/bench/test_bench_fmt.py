"""Formatter speed: the example and a generated 10,000-line blueprint (no timing assertions).

``format_text`` parses the file, prints it, parses the result again, formats it a second
time (idempotence) and, with ``verify``, compiles both texts up to the semantic checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.fmt import format_module, format_text
from blueprintc.source import SourceFile
from blueprintc.syntax.parse import parse
from tests.bench.generate import UNIT_LINES, generated_blueprint

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "examples" / "northwind_bank.cxb"
EXAMPLE = EXAMPLE_PATH.read_text(encoding="utf-8")
GENERATED = generated_blueprint(10_000 // UNIT_LINES + 1)


def test_generated_file_has_ten_thousand_lines() -> None:
    assert 10_000 <= GENERATED.count("\n") < 10_100


def test_bench_fmt_example(benchmark: Any) -> None:
    """With its real path, so that its `use` resolves and the compiled designs are compared."""
    result = benchmark(format_text, EXAMPLE, str(EXAMPLE_PATH))
    assert result.ok


@pytest.mark.parametrize("verify", [True, False], ids=["verified", "syntax-checks-only"])
def test_bench_fmt_generated(benchmark: Any, verify: bool) -> None:
    benchmark.extra_info["lines"] = GENERATED.count("\n")
    result = benchmark.pedantic(
        format_text, args=(GENERATED, "generated.cxb"), kwargs={"verify": verify}, rounds=3
    )
    assert result.ok and result.changed  # blank lines are added between declarations


def test_bench_fmt_printer_only(benchmark: Any) -> None:
    """Laying out an already parsed module: the printer's own share of the time."""
    module = parse(SourceFile("generated.cxb", GENERATED), DiagnosticSink())
    text = benchmark.pedantic(format_module, args=(module,), rounds=3)
    assert text.count("\n") > GENERATED.count("\n")
