"""Front-end speed: parse + module loading + semantic checks (no timing assertions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from blueprintc.driver import compile
from tests.bench.generate import UNIT_LINES, generated_blueprint

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
EXAMPLE_LINES = sum(
    len(p.read_text(encoding="utf-8").splitlines())
    for p in [EXAMPLE, *(ROOT / "examples" / "northwind").glob("*.cxb")]
)


def test_generated_blueprint_is_clean() -> None:
    result = compile(generated_blueprint(3))
    assert result.ok, [d.message for d in result.diagnostics]
    assert not result.diagnostics


def test_bench_frontend_example(
    benchmark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example parsed every round: its cache folder cannot be written, so no tree is
    kept (the standard library is parsed once per process, as always)."""
    blocked = tmp_path / "not a folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(blocked))
    result = benchmark(compile, EXAMPLE, until="check")
    assert result.ok


def test_bench_frontend_example_kept(benchmark: Any) -> None:
    """The example's files read back from the trees kept by an earlier round (what a
    new process checking an unchanged blueprint does)."""
    result = benchmark(compile, EXAMPLE, until="check")
    assert result.ok


@pytest.mark.parametrize("scale", [10, 100])
def test_bench_frontend_generated(benchmark: Any, scale: int) -> None:
    """A generated blueprint ``scale`` times the example's size, parsed and resolved."""
    text = generated_blueprint(max(1, scale * EXAMPLE_LINES // UNIT_LINES))
    benchmark.extra_info["lines"] = text.count("\n")
    options = {"until": "check", "max_input_bytes": len(text.encode())}  # may pass 1 MiB
    result = benchmark.pedantic(compile, args=(text,), kwargs=options, rounds=3)
    assert result.ok
