"""The no-op rebuild: with nothing changed, ``blueprintc build`` neither compiles nor writes.

Each case builds a copy of the example (Markdown and JSON, to stay quick), then checks
whether a second build is taken as a no-op (no compile) or runs in full.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprintc import cli
from blueprintc.documents import stamp
from tests.documents.conftest import ROOT


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(ROOT / "examples", folder)
    return folder


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The blueprints compiled by the builds of the test."""
    seen: list[str] = []
    real = cli._compile_spec

    def counted(file: str, root: str | None) -> object:
        seen.append(file)
        return real(file, root)

    monkeypatch.setattr(cli, "_compile_spec", counted)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    yield seen


def build(entry: Path, out: Path, *options: str) -> str:
    err = io.StringIO()
    argv = ["build", str(entry), "-o", str(out), "--format", "md,json", *options]
    assert cli.main(argv, io.StringIO(), err) == 0, err.getvalue()
    return err.getvalue()


def times(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_a_second_build_with_nothing_changed_is_a_no_op(
    project: Path, tmp_path: Path, compiles: list[str]
) -> None:
    entry, out, deps = project / "northwind_bank.cxb", tmp_path / "out", tmp_path / "out.d"
    first = build(entry, out, "--depfile", str(deps))
    assert "(" in first and len(compiles) == 1
    assert stamp.path_of(str(out)).is_file()
    assert stamp.path_of(str(out)).is_relative_to(tmp_path / "cache")
    assert sorted(p.name for p in out.parent.iterdir()) == ["cache", "out", "out.d", "project"]
    before, depfile = times(out), deps.read_bytes()
    second = build(entry, out, "--depfile", str(deps))
    assert len(compiles) == 1, "the no-op rebuild compiled"
    assert second.startswith(f"built {out}: 14 documents, ") and "(0 changed)" in second
    assert first.split(" (")[0] == second.split(" (")[0]  # same counts of documents and files
    assert times(out) == before and deps.read_bytes() == depfile


@pytest.mark.parametrize(
    "change",
    [
        "module",
        "entry",
        "format",
        "only",
        "epoch",
        "deleted output file",
        "new depfile",
        "tool",
        "matplotlibrc",
    ],
)
def test_any_change_builds_in_full(
    change: str,
    project: Path,
    tmp_path: Path,
    compiles: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry, out = project / "northwind_bank.cxb", tmp_path / "out"
    build(entry, out)
    options: list[str] = []
    if change == "module":
        with (project / "northwind" / "rfp.cxb").open("a", encoding="utf-8") as file:
            file.write("// reviewed\n")
    elif change == "entry":
        entry.write_text(entry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "format":
        options = ["--format", "md"]
    elif change == "only":
        options = ["--only", "rfp"]
    elif change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    elif change == "deleted output file":
        (out / "md" / "06-rfp.md").unlink()
    elif change == "new depfile":
        options = ["--depfile", str(tmp_path / "new.d")]
    elif change == "tool":
        monkeypatch.setattr(stamp, "_tool", lambda: "another blueprintc")
    elif change == "matplotlibrc":
        monkeypatch.chdir(tmp_path)
        (tmp_path / "matplotlibrc").write_text("lines.linewidth: 3\n", encoding="utf-8")
    build(entry, out, *options)
    assert len(compiles) == 2, f"{change}: the rebuild was taken for a no-op"
    if change == "deleted output file":
        assert (out / "md" / "06-rfp.md").is_file()
    if change == "new depfile":
        assert (tmp_path / "new.d").is_file()


def test_a_re_pointed_link_is_a_change(tmp_path: Path, compiles: list[str]) -> None:
    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / "a.cxb").write_text((ROOT / "examples/northwind/rfp.cxb").read_text())
    (folder / "b.cxb").write_text((ROOT / "examples/northwind/rfp.cxb").read_text() + "\n")
    os.symlink("a.cxb", folder / "rfp.cxb")
    entry = folder / "main.cxb"
    text = (ROOT / "examples" / "northwind_bank.cxb").read_text(encoding="utf-8")
    entry.write_text(text.replace('"./northwind/rfp.cxb"', '"./rfp.cxb"'), encoding="utf-8")
    out = tmp_path / "out"
    build(entry, out)
    build(entry, out)
    assert len(compiles) == 1
    (folder / "rfp.cxb").unlink()
    os.symlink("b.cxb", folder / "rfp.cxb")
    build(entry, out)
    assert len(compiles) == 2


def test_a_no_op_shows_the_warnings_again_and_werror_builds(
    project: Path, tmp_path: Path, compiles: list[str]
) -> None:
    entry, out = project / "northwind_bank.cxb", tmp_path / "out"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(re.sub(r"\n *allow CXB0516 because .*", "", text), encoding="utf-8")
    first = build(entry, out)
    second = build(entry, out)
    assert "warning[CXB0516]" in first and len(compiles) == 1
    assert second.split("built ")[0] == first.split("built ")[0]  # the same diagnostics
    assert "(0 changed)" in second
    err = io.StringIO()
    argv = ["build", str(entry), "-o", str(out), "--format", "md,json", "--werror"]
    assert cli.main(argv, io.StringIO(), err) == 1
    assert len(compiles) == 2 and "error[CXB0516]" in err.getvalue()


def test_a_damaged_stamp_only_costs_the_shortcut(
    project: Path, tmp_path: Path, compiles: list[str]
) -> None:
    entry, out = project / "northwind_bank.cxb", tmp_path / "out"
    build(entry, out)
    stamp.path_of(str(out)).write_text("{not json", encoding="utf-8")
    build(entry, out)
    build(entry, out)
    assert len(compiles) == 2  # the full build wrote a new stamp


def test_the_no_op_check_loads_neither_the_compiler_nor_matplotlib() -> None:
    """What ``blueprintc build`` imports before it knows it has work to do."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from blueprintc.documents import DOCUMENTS, FORMATS, stamp\n"
        "from blueprintc.documents.output import prepare_target\n"
        "heavy = ('matplotlib', 'blueprintc.driver', 'blueprintc.documents.views',"
        " 'blueprintc.outcome', 'markdown_it', 'cmarkgfm', 'jinja2', 'networkx')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
