"""Golden tests: each case under tests/cases/diagnostics compiles to exactly its .out file.

A case is a ``<name>.cxb`` file, or a folder ``<name>/`` whose entry is ``main.cxb`` (or
``module.cxb``, a module checked on its own as the command line does). The expected output
is the rendered diagnostics (code, file:line:col, caret, help). Regenerate on purpose with
``pytest --update-golden`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprintc.diagnostics import CODES
from blueprintc.diagnostics.render import render_text
from blueprintc.driver import compile

CASES = Path(__file__).resolve().parent.parent / "cases" / "diagnostics"
# Codes that cannot come from a file in the repository, each tested elsewhere.
ELSEWHERE = {
    "CXB0001": "tests/cli/test_cli.py (missing file on the command line)",
    "CXB0004": "tests/cli/test_cli.py (a folder given as a file), tests/semantic/test_modules.py",
    "CXB0005": "tests/semantic/test_modules.py (a file over 1 MiB)",
    "CXB0206": "tests/semantic/test_modules.py (a chain of more than 100 files)",
    "CXB0207": "tests/semantic/test_modules.py (more than 1,000 files)",
    "CXB0010": "tests/cli/test_json_answers.py (a bad command line)",
    "CXB0011": "tests/cli/test_json_answers.py (diff of a revision git does not have)",
    "CXB0422": "tests/sizing/test_limits.py (125 channels over 30 years of 15-minute intervals)",
    "CXB0901": "tests/cli/test_cli.py (internal error)",
}


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.suffix == ".cxb" or p.is_dir())


def _entry(case: Path) -> Path:
    if not case.is_dir():
        return case
    module = case / "module.cxb"
    return module if module.exists() else case / "main.cxb"


def render_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(case if case.is_dir() else case.parent)
    entry = _entry(case)
    result = compile(entry, root=entry.parent, find_user=entry.name == "module.cxb")
    return "".join(render_text(d) + "\n\n" for d in result.diagnostics)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    golden = case.with_suffix(".out") if case.is_file() else case / "expected.out"
    actual = render_case(case, monkeypatch)
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_code_has_a_case() -> None:
    seen = set()
    for golden in [*CASES.glob("*.out"), *CASES.glob("*/expected.out")]:
        text = golden.read_text(encoding="utf-8")
        seen |= {code for code in CODES if f"[{code}]" in text}
    missing = sorted(set(CODES) - seen - set(ELSEWHERE))
    assert not missing, f"codes without a golden case: {missing}"
