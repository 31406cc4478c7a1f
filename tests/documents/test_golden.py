"""Golden files of the example's documents: the Markdown (committed for readers under
docs/example-output/, linked from the README) and the JSON of every document.

Regenerate on purpose with ``pytest tests/documents --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprintc.documents import DOCUMENTS, build_documents
from blueprintc.driver import Compilation
from tests.documents.conftest import ROOT

EXAMPLE_OUTPUT = ROOT / "docs" / "example-output"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def example_files(example: Compilation) -> dict[str, bytes]:
    return build_documents(example, formats=("md", "json")).files


def _compare(path: Path, actual: bytes, update: bool) -> None:
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    assert path.is_file(), f"{path} is missing: run pytest tests/documents --update-golden"
    assert actual.decode() == path.read_text(encoding="utf-8"), (
        f"{path.name} is stale: review the change, then run pytest tests/documents --update-golden"
    )


@pytest.mark.parametrize("stem", ["index", *(d.stem for d in DOCUMENTS)])
def test_markdown_matches_example_output(
    example_files: dict[str, bytes], stem: str, update_golden: bool
) -> None:
    _compare(EXAMPLE_OUTPUT / f"{stem}.md", example_files[f"md/{stem}.md"], update_golden)


@pytest.mark.parametrize("stem", ["blueprint", *(d.stem for d in DOCUMENTS)])
def test_json_matches_golden(
    example_files: dict[str, bytes], stem: str, update_golden: bool
) -> None:
    _compare(GOLDEN / f"{stem}.json", example_files[f"json/{stem}.json"], update_golden)


def test_no_stale_files_in_example_output(example_files: dict[str, bytes]) -> None:
    expected = {Path(name).name for name in example_files if name.startswith("md/")}
    present = {p.name for p in EXAMPLE_OUTPUT.glob("*.md")}
    assert present <= expected, f"remove files no build produces: {sorted(present - expected)}"
