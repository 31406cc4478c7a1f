"""Semantic diff speed: two versions of the example (a volume change), end to end as
``blueprintc diff`` runs it (both compiled), and the comparison alone (no timing assertions)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from blueprintc.driver import compile
from blueprintc.semdiff import render_json, render_text, run_diff, semantic_diff

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


def _versions(tmp_path: Path) -> tuple[Path, Path]:
    """The example and a copy with more card activations (its RFP module next to it)."""
    new = tmp_path / "northwind_bank.cxb"
    text = EXAMPLE.read_text("utf-8")
    assert text.count("volume 38_000/month") == 1
    new.write_text(text.replace("volume 38_000/month", "volume 45_000/month"), "utf-8")
    (tmp_path / "northwind").mkdir()
    rfp = EXAMPLE.parent / "northwind" / "rfp.cxb"
    (tmp_path / "northwind" / "rfp.cxb").write_bytes(rfp.read_bytes())
    return EXAMPLE, new


def test_bench_diff_example_end_to_end(benchmark: Any, tmp_path: Path) -> None:
    old, new = _versions(tmp_path)

    def diff() -> str:
        out = io.StringIO()
        assert run_diff(str(old), str(new), out=out, err=io.StringIO()) == 0
        return out.getvalue()

    text = benchmark.pedantic(diff, rounds=5, iterations=1, warmup_rounds=1)
    assert "volume: 38_000/month → 45_000/month" in text


def test_bench_diff_example_comparison_only(benchmark: Any, tmp_path: Path) -> None:
    old, new = (compile(path) for path in _versions(tmp_path))
    assert old.ok and new.ok

    def diff() -> tuple[str, str]:
        report = semantic_diff(old, new)
        return render_text(report), render_json(report)

    text, _ = benchmark(diff)
    assert "FTE voice" in text
