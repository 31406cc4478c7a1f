"""Replay every input the fuzzer found (tests/fuzz/corpus/): each must now compile cleanly
or give located diagnostics, never an internal error, within the guard's limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.cases import ROOT
from tests.fuzz.checks import check
from tests.fuzz.guard import Guard, Job

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(CORPUS.glob("*.cxb"))


def test_the_corpus_is_not_empty() -> None:
    assert CASES


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_found_input_is_handled(guard: Guard, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("// fuzz: "), "say in a header comment what the input found"
    outcome = check(guard, Job(text, path, ROOT, label=f"corpus case {path.name}"))
    assert outcome.ok or any(d["error"] and d["span"] for d in outcome.diagnostics)
