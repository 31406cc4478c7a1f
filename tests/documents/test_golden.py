"""Golden files of the example's documents: the Markdown (committed for readers under
docs/example-output/, linked from the README, with the images of its line charts in
docs/example-output/charts/) and the JSON of every document.

The images are compared by the text they show (legend, axis and tick labels, in order),
not byte for byte: their paths are matplotlib's, and CI also runs its oldest version.

Regenerate on purpose with ``pytest tests/documents --update-golden`` and review the diff.
"""

from __future__ import annotations

import re
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


def _shown_text(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_chart_images_match_example_output(
    example_files: dict[str, bytes], update_golden: bool
) -> None:
    images = {name: body for name, body in example_files.items() if name.startswith("md/charts/")}
    assert images, "the Markdown shows no chart image"
    for name, body in images.items():
        path = EXAMPLE_OUTPUT / name.removeprefix("md/")
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            continue
        assert path.is_file(), f"{path} is missing: run pytest tests/documents --update-golden"
        assert _shown_text(body.decode()) == _shown_text(path.read_text(encoding="utf-8")), (
            f"{path.name} is stale: review the change, then run pytest tests/documents "
            "--update-golden"
        )


def test_no_stale_files_in_example_output(example_files: dict[str, bytes]) -> None:
    expected = {name.removeprefix("md/") for name in example_files if name.startswith("md/")}
    present = {
        p.relative_to(EXAMPLE_OUTPUT).as_posix()
        for p in EXAMPLE_OUTPUT.rglob("*")
        if p.suffix in (".md", ".svg")
    }
    assert present <= expected, f"remove files no build produces: {sorted(present - expected)}"
