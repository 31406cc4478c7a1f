"""Document set speed: ``blueprintc build`` of the example in every format, and of the
example grown to 1,000 processes and 500 requirements (no timing assertions)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from blueprintc.cli import main
from tests.bench.generate import example_with

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _build(source: Path, target: Path) -> int:
    shutil.rmtree(target, ignore_errors=True)  # every round renders and writes everything
    return main(["build", str(source), "-o", str(target)], io.StringIO(), io.StringIO())

    def isatty(self) -> bool:
        return False


def test_bench_build_example_all_formats(benchmark: Any, tmp_path: Path) -> None:
    code = benchmark.pedantic(
        _build, args=(EXAMPLES / "northwind_bank.cxb", tmp_path / "out"), rounds=3
    )
    assert code == 0
    assert len(list((tmp_path / "out").rglob("*.html"))) >= 12


def test_bench_build_1000_processes_500_requirements(benchmark: Any, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES, project)
    entry = project / "northwind_bank.cxb"
    entry.write_text(entry.read_text(encoding="utf-8") + example_with(993, 494), "utf-8")
    code = benchmark.pedantic(_build, args=(entry, tmp_path / "out"), rounds=3)
    assert code == 0
    rfp = (tmp_path / "out" / "md" / "06-rfp.md").read_text(encoding="utf-8")
    assert "generated\\_req\\_493" in rfp.lower() or "GENERATED-REQ-493" in rfp
