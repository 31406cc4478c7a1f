"""Document set speed: ``blueprintc build`` of the example in every format, and of the
example grown to 1,000 processes and 500 requirements; a no-op rebuild (nothing changed);
the example built by a fresh ``blueprintc`` process, as a user runs it (no timing
assertions).

In-process rounds build into an emptied folder and forget the charts drawn before
(``drawing.forget``), so each round compiles, renders, draws and writes everything; what
a process keeps by design between builds (the compiled templates, the chart workers) is
kept, as in ``--watch``. The fresh-process benchmark pays for everything: interpreter,
imports, workers.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from blueprintc.cli import main
from blueprintc.documents import drawing
from blueprintc.documents.catalog import FORMATS
from tests.bench.generate import example_with

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps and charts go to the test's folder, not the user's cache."""
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "cache"))


def _build(source: Path, target: Path, *options: str) -> int:
    shutil.rmtree(target, ignore_errors=True)  # every round renders and writes everything
    shutil.rmtree(os.environ["BLUEPRINTC_CACHE_DIR"], ignore_errors=True)
    drawing.forget()  # ... and draws every chart
    command = ["build", str(source), "-o", str(target), *options]
    return main(command, io.StringIO(), io.StringIO())


def _printing(benchmark: Any) -> tuple[str, ...]:
    """What a benchmark that prints PDFs builds: the example when timed; when the
    benchmarks run once as tests (the test command), where they only show that they run,
    the small insurer's executive summary: the examples' printing is checked page by page
    in tests/documents/test_pdf.py, and printing them here again would take a minute."""
    if benchmark.disabled:
        return (str(EXAMPLES / "harbor_insurance.cxb"), "--only", "executive-summary")
    return (str(EXAMPLES / "northwind_bank.cxb"),)


def test_bench_build_example_both_editions_all_formats(benchmark: Any, tmp_path: Path) -> None:
    """The example in the review and the client edition, every format, PDF included."""

    every = ("--format", ",".join(FORMATS), *_printing(benchmark)[1:])
    source = Path(_printing(benchmark)[0])

    def both() -> int:
        review = _build(source, tmp_path / "review", "--edition", "review", *every)
        return review or _build(source, tmp_path / "client", "--edition", "client", *every)

    assert benchmark.pedantic(both, rounds=3) == 0
    assert (tmp_path / "client" / "pdf" / "book.pdf").is_file()


def test_bench_build_example_both_editions_all_formats_kept(benchmark: Any, tmp_path: Path) -> None:
    """The same with the cache folder of an earlier build: its charts and its two printed
    books kept (an edit that changes no figure a document shows, or a rebuild into an
    emptied folder); each round still compiles and writes every file."""
    every = ("--format", ",".join(FORMATS))
    source, *only = _printing(benchmark)
    command = ["build", source, *every, *only]

    def both() -> int:
        code = 0
        for edition in ("review", "client"):
            target = tmp_path / edition
            shutil.rmtree(target, ignore_errors=True)
            drawing.forget()  # charts from the cache folder, not the process's memory
            arguments = [*command, "-o", str(target), "--edition", edition]
            code = code or main(arguments, io.StringIO(), io.StringIO())
        return code

    assert both() == 0  # prints the books and draws the charts into the cache folder
    assert benchmark.pedantic(both, rounds=3) == 0
    assert (tmp_path / "client" / "pdf" / "book.pdf").is_file()


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
    # Run once as a test (the test command), a tenth of it: that shows the benchmark runs.
    processes, requirements = (93, 44) if benchmark.disabled else (993, 494)
    blocks = example_with(processes, requirements)
    entry.write_text(entry.read_text(encoding="utf-8") + blocks, "utf-8")
    # Without the PDFs: printing some 1,500 pages would take minutes a round.
    formats = ("--format", "md,html,json,xlsx,docx")
    code = benchmark.pedantic(_build, args=(entry, tmp_path / "out", *formats), rounds=3)
    assert code == 0
    rfp = (tmp_path / "out" / "md" / "06-rfp.md").read_text(encoding="utf-8")
    last = requirements - 1
    assert f"generated\\_req\\_{last}" in rfp.lower() or f"GENERATED-REQ-{last}" in rfp


def test_bench_build_no_op_rebuild(benchmark: Any, tmp_path: Path) -> None:
    """A second build of the example to the same folder, nothing changed."""
    entry, target = EXAMPLES / "northwind_bank.cxb", tmp_path / "out"
    assert _build(entry, target) == 0
    err = io.StringIO()

    def rebuild() -> int:
        err.seek(0)
        err.truncate()
        return main(["build", str(entry), "-o", str(target)], io.StringIO(), err)

    assert benchmark.pedantic(rebuild, rounds=5) == 0
    assert "(0 changed)" in err.getvalue()


def test_bench_build_example_fresh_process(benchmark: Any, tmp_path: Path) -> None:
    """``blueprintc build`` of the example as a user runs it: a new interpreter each time."""
    target = tmp_path / "out"
    command = [sys.executable, "-m", "blueprintc", "build", str(EXAMPLES / "northwind_bank.cxb")]
    environment = {**os.environ, "BLUEPRINTC_CACHE_DIR": str(tmp_path / "cache")}

    def build() -> int:
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)  # nothing drawn before
        done = subprocess.run([*command, "-o", str(target)], env=environment, check=False)
        return done.returncode

    assert benchmark.pedantic(build, rounds=3) == 0


def test_bench_build_example_fresh_process_charts_kept(benchmark: Any, tmp_path: Path) -> None:
    """The same, with the charts of an earlier build in the cache folder (an edit that
    changes no chart's figures, or a rebuild into an emptied folder)."""
    target = tmp_path / "out"
    command = [sys.executable, "-m", "blueprintc", "build", str(EXAMPLES / "northwind_bank.cxb")]
    environment = {**os.environ, "BLUEPRINTC_CACHE_DIR": str(tmp_path / "cache")}

    def build() -> int:
        shutil.rmtree(target, ignore_errors=True)  # a full build, charts from the cache
        done = subprocess.run([*command, "-o", str(target)], env=environment, check=False)
        return done.returncode

    assert build() == 0
    assert benchmark.pedantic(build, rounds=3) == 0
