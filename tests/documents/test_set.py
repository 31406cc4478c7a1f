"""Properties of the whole document set: cross-document agreement and reproducibility."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from blueprintc.documents import build_documents
from blueprintc.driver import Compilation
from tests.documents.conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def views(example: Compilation) -> dict[str, Any]:
    files = build_documents(example, formats=("json",)).files
    documents: dict[str, Any] = json.loads(files["json/blueprint.json"])["documents"]
    return documents


def test_every_rfp_requirement_has_a_uat_case_and_a_unique_id(views: dict[str, Any]) -> None:
    ids = [r["id"] for group in views["rfp"]["groups"] for r in group["requirements"]]
    assert ids and len(ids) == len(set(ids))
    proved = {case["requirement"] for case in views["uat-plan"]["requirements"]}
    assert set(ids) <= proved
    assert views["uat-plan"]["flows"], "the example's channel flows have test cases"


def _build_in_process(target: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        [sys.executable, "-m", "blueprintc", "build", str(EXAMPLE), "-o", str(target)],
        check=True,
        env=env,
        cwd=target.parent,
        capture_output=True,
    )
    return {
        p.relative_to(target).as_posix(): p.read_bytes()
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }


def test_two_processes_build_byte_identical_sets(tmp_path: Path) -> None:
    """Different hash seeds (set and dict order) and working folders: same bytes."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    first = _build_in_process(tmp_path / "a" / "out", "1")
    second = _build_in_process(tmp_path / "b" / "deeper" / "out", "2")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different
    assert len(first) > 40
