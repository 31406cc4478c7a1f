"""Every bundled example builds completely: each document in every format, in both editions,
from one build per example and edition (the figures that two documents show are compared
in ``test_consistency``, what each edition may show in ``test_editions``)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from blueprintc.diagnostics.diagnostic import Severity
from blueprintc.documents.catalog import DOCUMENTS, FORMATS, Edition
from blueprintc.driver import Compilation
from tests.documents.conftest import built_example, compiled_example

ROOT = Path(__file__).resolve().parents[2]
# The bundled examples, by stem: the bank of the tutorials, the small insurer and the
# larger water utility (another industry, another currency, four sites, a module of its
# own for the technology).
EXAMPLES = {
    stem: ROOT / "examples" / f"{stem}.cxb"
    for stem in ("northwind_bank", "harbor_insurance", "thornvale_water")
}
# Every format but PDF: printing is checked page by page in the PDF tests, and it takes
# several times longer than all the other formats together (about 20 s of CPU for the
# water utility's 128-page book against 2.4 s for the rest).
BUILT = tuple(f for f in FORMATS if f != "pdf")
# Links in the Markdown: [text](target), the target up to its anchor.
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)")


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def built(request: pytest.FixtureRequest) -> tuple[str, Compilation, dict[str, bytes]]:
    """One example compiled and built in every format, once for the module."""
    stem = request.param
    return stem, compiled_example(stem), built_example(stem)


def test_the_bundled_examples_are_the_examples_folder() -> None:
    """A new example in examples/ is built here too (the modules live in its folders)."""
    assert {p.stem for p in (ROOT / "examples").glob("*.cxb")} == set(EXAMPLES)


def test_the_example_compiles_without_warnings(
    built: tuple[str, Compilation, dict[str, bytes]],
) -> None:
    """An example shows what a finished design looks like: every finding is resolved or
    allowed with a reason."""
    _, compilation, _ = built
    assert [d.message for d in compilation.diagnostics if d.severity is Severity.WARNING] == []


def test_every_document_is_written_in_every_format(
    built: tuple[str, Compilation, dict[str, bytes]],
) -> None:
    _, _, files = built
    for document in DOCUMENTS:
        for folder, suffix in (("md", "md"), ("html", "html"), ("json", "json")):
            path = f"{folder}/{document.stem}.{suffix}"
            assert files.get(path), path
    assert files["md/index.md"] and files["html/index.html"]
    workbooks = sorted(p for p in files if p.startswith("xlsx/"))
    assert workbooks == ["xlsx/financial-model.xlsx", "xlsx/rfp-compliance-matrix.xlsx"]
    books = {path: load_workbook(io.BytesIO(files[path])) for path in workbooks}
    assert books["xlsx/financial-model.xlsx"].worksheets[0].max_row > 1
    rfp = json.loads(files["json/blueprint.json"])["documents"]["rfp"]
    asked = sum(len(group["requirements"]) for group in rfp["groups"])
    matrix = books["xlsx/rfp-compliance-matrix.xlsx"]["Compliance matrix"]
    assert matrix.max_row >= 1 + asked  # a heading, then a row per requirement


def test_each_documents_json_is_its_part_of_the_whole(
    built: tuple[str, Compilation, dict[str, bytes]],
) -> None:
    _, _, files = built
    whole: dict[str, Any] = json.loads(files["json/blueprint.json"])["documents"]
    assert list(whole) == [d.name for d in DOCUMENTS]
    for document in DOCUMENTS:
        part = json.loads(files[f"json/{document.stem}.json"])
        assert (part["document"], part["view"]) == (document.name, whole[document.name])


def test_every_markdown_link_leads_to_a_file_of_the_set(
    built: tuple[str, Compilation, dict[str, bytes]],
) -> None:
    _, _, files = built
    for path, content in files.items():
        if not path.startswith("md/"):
            continue
        folder = Path(path).parent
        for target in LINK.findall(content.decode("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = os.path.normpath(folder / target).replace(os.sep, "/")
            assert resolved in files or resolved.startswith(".."), (path, target)


def test_another_process_builds_the_same_bytes(
    built: tuple[str, Compilation, dict[str, bytes]], tmp_path: Path
) -> None:
    """Another hash seed and working folder, through the command line: the same files
    (the bank's set is compared between two processes in ``test_set``)."""
    name, _, files = built
    if name == "northwind_bank":
        pytest.skip("test_set builds the bank's set in two processes")
    env = {**os.environ, "PYTHONHASHSEED": "7", "PYTHONPATH": str(ROOT / "src")}
    env.pop("SOURCE_DATE_EPOCH", None)
    target = tmp_path / "out"
    command = ["build", str(EXAMPLES[name]), "-o", str(target), "--format", ",".join(BUILT)]
    subprocess.run(
        [sys.executable, "-m", "blueprintc", *command],
        check=True,
        env=env,
        cwd=tmp_path,
        capture_output=True,
    )
    written = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert set(files) <= written
    assert [p for p in sorted(files) if (target / p).read_bytes() != files[p]] == []


def test_the_client_edition_builds_the_same_files_without_sources(
    built: tuple[str, Compilation, dict[str, bytes]],
) -> None:
    """The client edition: the same documents in every format, no published blueprint
    (what its pages may show is checked in ``test_editions``)."""
    stem, _, review = built
    client = built_example(stem, Edition.CLIENT)
    assert set(client) == {name for name in review if not name.startswith("html/source/")}
    assert all(client[name] for name in client)
